//! CloudWatch Logs log groups: KMS key and retention.

use phiguard_model::services::LogGroup;
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::kms::KMS_KEY_OR_ALIAS_TYPES;
use crate::adapt::Reader;
use crate::raw::{RawResource, RawSet};


pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let group = Reader::new(set, raw);
    let (key_path, retention_path) = match raw.resource_type.as_str() {
        "aws_cloudwatch_log_group" => ("kms_key_id", "retention_in_days"),
        "AWS::Logs::LogGroup" => ("KmsKeyId", "RetentionInDays"),
        _ => return None,
    };
    Some(ResourceKind::LogGroup(LogGroup {
        kms_key: group.string_or_link(key_path, KMS_KEY_OR_ALIAS_TYPES),
        retention_days: retention(&group, retention_path),
    }))
}

/// Reads the retention in days. Both inputs keep events forever when the
/// retention is absent, and Terraform also when it is 0 (Terraform AWS
/// provider, aws_cloudwatch_log_group), so both become `None`.
fn retention(group: &Reader<'_>, path: &str) -> Attr<Option<u32>> {
    if group.node(path).is_none() {
        return Attr::default_value(None, group.resource_location());
    }
    group.u32(path, 0).map(|days| if days == 0 { None } else { Some(days) })
}
