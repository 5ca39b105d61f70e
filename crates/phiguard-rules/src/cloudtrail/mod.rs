//! Rules for CloudTrail trails.

mod cloudtrail_cloudwatch_logs;
mod cloudtrail_kms_encryption;
mod cloudtrail_log_file_validation;
mod cloudtrail_logging_enabled;
mod cloudtrail_multi_region;
mod cloudtrail_s3_data_events;

use phiguard_model::services::CloudTrail;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &cloudtrail_multi_region::CloudtrailMultiRegion,
    &cloudtrail_log_file_validation::CloudtrailLogFileValidation,
    &cloudtrail_kms_encryption::CloudtrailKmsEncryption,
    &cloudtrail_cloudwatch_logs::CloudtrailCloudwatchLogs,
    &cloudtrail_s3_data_events::CloudtrailS3DataEvents,
    &cloudtrail_logging_enabled::CloudtrailLoggingEnabled,
];

/// Iterates over the trails of a model.
fn trails(model: &Model) -> impl Iterator<Item = (&Resource, &CloudTrail)> {
    model.each(|kind| match kind {
        ResourceKind::CloudTrail(trail) => Some(trail),
        _ => None,
    })
}
