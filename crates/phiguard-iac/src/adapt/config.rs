//! AWS Config configuration recorders: what they record and whether they
//! are started.

use phiguard_model::services::ConfigRecorder;
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::extra_reads::string_list;
use crate::adapt::Reader;
use crate::node::NodeKind;
use crate::raw::{Dialect, RawResource, RawSet};

const TF_RECORDER: &[&str] = &["aws_config_configuration_recorder"];
/// The recording strategy that records every supported resource type.
const ALL_SUPPORTED: &str = "ALL_SUPPORTED_RESOURCE_TYPES";

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let recorder = Reader::new(set, raw);
    let data = match raw.resource_type.as_str() {
        "aws_config_configuration_recorder" => ConfigRecorder {
            all_supported: all_supported(&recorder, "recording_group", ["all_supported", "resource_types", "recording_strategy", "use_only"]),
            include_global_resources: recorder.bool("recording_group.include_global_resource_types", false),
            enabled: terraform_enabled(set, raw),
        },
        "AWS::Config::ConfigurationRecorder" => ConfigRecorder {
            all_supported: all_supported(&recorder, "RecordingGroup", ["AllSupported", "ResourceTypes", "RecordingStrategy", "UseOnly"]),
            include_global_resources: recorder.bool("RecordingGroup.IncludeGlobalResourceTypes", false),
            enabled: cloudformation_enabled(set, &recorder),
        },
        _ => return None,
    };
    Some(ResourceKind::ConfigRecorder(data))
}

/// Reads whether the recorder records every supported resource type. Without
/// a recording group, AWS Config records all supported types
/// (AWS Config API Reference, PutConfigurationRecorder). Terraform's
/// `all_supported` defaults to true; in CloudFormation a group that sets
/// only `ResourceTypes` records just those types. A recording strategy
/// other than `ALL_SUPPORTED_RESOURCE_TYPES` (an inclusion or exclusion
/// list) records less than everything.
fn all_supported(recorder: &Reader<'_>, group_key: &str, [all_key, types_key, strategy_key, use_only_key]: [&str; 4]) -> Attr<bool> {
    let Some(group) = recorder.node(group_key) else {
        return Attr::default_value(true, recorder.resource_location());
    };
    if let NodeKind::Unknown(reason) = &group.kind {
        return Attr::unknown(format!("`{group_key}` is {reason}"), recorder.location(group));
    }

    let strategy = recorder.string(&format!("{group_key}.{strategy_key}.{use_only_key}"));
    match strategy.get() {
        Err(reason) => return Attr::unknown(reason.to_owned(), strategy.location().clone()),
        Ok(Some(use_only)) if use_only != ALL_SUPPORTED => return Attr::explicit(false, strategy.location().clone()),
        Ok(_) => {}
    }

    if group.get(all_key).is_some_and(|value| !value.is_null()) {
        return recorder.bool(&format!("{group_key}.{all_key}"), true);
    }
    match recorder.dialect() {
        Dialect::Terraform => Attr::default_value(true, recorder.location(group)),
        Dialect::CloudFormation => {
            let types = string_list(recorder, &format!("{group_key}.{types_key}"));
            match types.get() {
                Err(reason) => Attr::unknown(reason.to_owned(), types.location().clone()),
                Ok(list) if !list.is_empty() => Attr::explicit(false, types.location().clone()),
                Ok(_) if strategy.known().is_some_and(Option::is_some) => Attr::explicit(true, strategy.location().clone()),
                Ok(_) => Attr::unknown(
                    format!("`{group_key}` sets neither `{all_key}`, `{types_key}` nor a recording strategy"),
                    recorder.location(group),
                ),
            }
        }
    }
}

/// Reads `is_enabled` from the `aws_config_configuration_recorder_status`
/// that names this recorder. Terraform creates a recorder stopped and only
/// a status resource starts it, so without one the state is unknown: the
/// recorder may be started outside this plan.
fn terraform_enabled(set: &RawSet, raw: &RawResource) -> Attr<bool> {
    let statuses = set.children(raw, "aws_config_configuration_recorder_status", "name", TF_RECORDER, &["name"]);
    match statuses.first() {
        Some(status) => Reader::new(set, status).bool("is_enabled", false),
        None => Attr::unknown(
            "no aws_config_configuration_recorder_status in the plan names this recorder, so whether it is started is decided outside the plan",
            raw.location.clone(),
        ),
    }
}

/// CloudFormation starts a recorder it creates as soon as a delivery
/// channel is available (AWS CloudFormation User Guide,
/// AWS::Config::ConfigurationRecorder). A delivery channel in the same
/// template makes the recorder started; without one it depends on a
/// channel declared elsewhere.
fn cloudformation_enabled(set: &RawSet, recorder: &Reader<'_>) -> Attr<bool> {
    match set.of_type("AWS::Config::DeliveryChannel").next() {
        Some(channel) => Attr::default_value(true, channel.location.clone()),
        None => Attr::unknown(
            "CloudFormation starts the recorder once a delivery channel exists, and the template declares none",
            recorder.resource_location(),
        ),
    }
}
