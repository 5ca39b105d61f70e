//! CloudTrail trails: multi-region, log file validation, KMS encryption,
//! CloudWatch Logs delivery, logging state and S3 data event selectors.

use phiguard_model::services::CloudTrail;
use phiguard_model::{Attr, Location, ResourceKind};

use crate::adapt::kms::KMS_KEY_OR_ALIAS_TYPES;
use crate::adapt::Reader;
use crate::node::{Node, NodeKind};
use crate::raw::{RawResource, RawSet};

const LOG_GROUP_TYPES: &[&str] = &["aws_cloudwatch_log_group", "AWS::Logs::LogGroup"];
/// The data resource type of S3 object-level events.
const S3_OBJECT: &str = "AWS::S3::Object";

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let trail = Reader::new(set, raw);
    let data = match raw.resource_type.as_str() {
        // Terraform AWS provider defaults: `is_multi_region_trail` and
        // `enable_log_file_validation` false, `enable_logging` true
        // (registry.terraform.io/providers/hashicorp/aws, aws_cloudtrail).
        "aws_cloudtrail" => CloudTrail {
            multi_region: trail.bool("is_multi_region_trail", false),
            log_file_validation: trail.bool("enable_log_file_validation", false),
            kms_key: trail.string_or_link("kms_key_id", KMS_KEY_OR_ALIAS_TYPES),
            cloudwatch_logs: trail.string_or_link("cloud_watch_logs_group_arn", LOG_GROUP_TYPES).map(|arn| arn.is_some()),
            logging_enabled: trail.bool("enable_logging", true),
            s3_data_events: s3_data_events(&trail, "event_selector", "data_resource", "type", "advanced_event_selector", "field_selector", "field", "equals"),
        },
        // CloudFormation: `IsMultiRegionTrail` and `EnableLogFileValidation`
        // default to false, and `IsLogging` is required (AWS CloudFormation
        // User Guide, AWS::CloudTrail::Trail).
        "AWS::CloudTrail::Trail" => CloudTrail {
            multi_region: trail.bool("IsMultiRegionTrail", false),
            log_file_validation: trail.bool("EnableLogFileValidation", false),
            kms_key: trail.string_or_link("KMSKeyId", KMS_KEY_OR_ALIAS_TYPES),
            cloudwatch_logs: trail.string_or_link("CloudWatchLogsLogGroupArn", LOG_GROUP_TYPES).map(|arn| arn.is_some()),
            logging_enabled: match trail.node("IsLogging") {
                Some(_) => trail.bool("IsLogging", false),
                None => Attr::unknown(
                    "`IsLogging` is missing, and CloudFormation requires it, so the stack would fail to deploy",
                    trail.resource_location(),
                ),
            },
            s3_data_events: s3_data_events(&trail, "EventSelectors", "DataResources", "Type", "AdvancedEventSelectors", "FieldSelectors", "Field", "Equals"),
        },
        _ => return None,
    };
    Some(ResourceKind::CloudTrail(data))
}

/// Returns whether any basic event selector names the data resource type
/// `AWS::S3::Object`, or any advanced event selector has a `resources.type`
/// field selector that equals it. Key names differ per dialect, so the
/// caller passes them.
#[allow(clippy::too_many_arguments)]
fn s3_data_events(
    trail: &Reader<'_>,
    selectors_key: &str,
    data_resources_key: &str,
    type_key: &str,
    advanced_key: &str,
    field_selectors_key: &str,
    field_key: &str,
    equals_key: &str,
) -> Attr<bool> {
    let props = &trail.raw.props;
    for key in [selectors_key, advanced_key] {
        if let Some(node) = props.present(key) {
            if let NodeKind::Unknown(reason) = &node.kind {
                return Attr::unknown(format!("`{key}` is {reason}"), trail.location(node));
            }
        }
    }

    let mut first_location: Option<Location> = None;
    for selector in props.blocks(selectors_key) {
        first_location.get_or_insert_with(|| trail.location(selector));
        for resource in selector.blocks(data_resources_key) {
            match resource.get(type_key).map(|value| &value.kind) {
                Some(NodeKind::String(text)) if text == S3_OBJECT => {
                    return Attr::explicit(true, trail.location(resource));
                }
                Some(NodeKind::Unknown(reason)) => {
                    return Attr::unknown(format!("a data resource type is {reason}"), trail.location(resource));
                }
                _ => {}
            }
        }
    }
    for selector in props.blocks(advanced_key) {
        first_location.get_or_insert_with(|| trail.location(selector));
        for field in selector.blocks(field_selectors_key) {
            if field.get(field_key).and_then(Node::as_str) != Some("resources.type") {
                continue;
            }
            match field.get(equals_key).map(|value| &value.kind) {
                Some(NodeKind::Seq(values)) if values.iter().any(|value| value.as_str() == Some(S3_OBJECT)) => {
                    return Attr::explicit(true, trail.location(field));
                }
                Some(NodeKind::Unknown(reason)) => {
                    return Attr::unknown(format!("a `resources.type` field selector is {reason}"), trail.location(field));
                }
                _ => {}
            }
        }
    }
    match first_location {
        Some(location) => Attr::explicit(false, location),
        // Without selectors a trail logs management events only.
        None => Attr::default_value(false, trail.resource_location()),
    }
}
