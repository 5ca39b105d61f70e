//! Rules for CloudWatch Logs log groups.

mod log_group_kms_encryption;
mod log_group_retention_six_years;

use phiguard_model::services::LogGroup;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &log_group_kms_encryption::LogGroupKmsEncryption,
    &log_group_retention_six_years::LogGroupRetentionSixYears,
];

/// Iterates over the log groups of a model.
fn log_groups(model: &Model) -> impl Iterator<Item = (&Resource, &LogGroup)> {
    model.each(|kind| match kind {
        ResourceKind::LogGroup(group) => Some(group),
        _ => None,
    })
}
