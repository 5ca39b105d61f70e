//! CloudTrail, CloudWatch Logs, AWS Config, GuardDuty, AWS Backup, KMS, SNS
//! and SQS.

use crate::attr::Attr;
use crate::services::Encryption;

#[derive(Clone, Debug)]
pub struct CloudTrail {
    pub multi_region: Attr<bool>,
    pub log_file_validation: Attr<bool>,
    pub kms_key: Attr<Option<String>>,
    pub cloudwatch_logs: Attr<bool>,
    pub logging_enabled: Attr<bool>,
    /// Whether the trail's event selectors log S3 object-level data events.
    pub s3_data_events: Attr<bool>,
}

#[derive(Clone, Debug)]
pub struct KmsKey {
    /// `SYMMETRIC_DEFAULT` or an asymmetric or HMAC spec.
    pub key_spec: Attr<String>,
    pub rotation_enabled: Attr<bool>,
    /// The source of the key material: `AWS_KMS` (the default),
    /// `EXTERNAL` (imported), `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`. KMS
    /// rotates only `AWS_KMS` key material automatically.
    pub origin: Attr<String>,
}

#[derive(Clone, Debug)]
pub struct LogGroup {
    pub kms_key: Attr<Option<String>>,
    /// Retention in days; `None` means never expire.
    pub retention_days: Attr<Option<u32>>,
}

#[derive(Clone, Debug)]
pub struct SnsTopic {
    pub encryption: Attr<Encryption>,
}

#[derive(Clone, Debug)]
pub struct SqsQueue {
    pub encryption: Attr<Encryption>,
}

#[derive(Clone, Debug)]
pub struct ConfigRecorder {
    pub all_supported: Attr<bool>,
    pub include_global_resources: Attr<bool>,
    /// From a linked recorder status resource; unknown when none is declared.
    pub enabled: Attr<bool>,
}

#[derive(Clone, Debug)]
pub struct GuardDutyDetector {
    pub enabled: Attr<bool>,
}

#[derive(Clone, Debug)]
pub struct BackupPlan {
    /// Retention of the shortest-lived rule, in days; `None` when no rule
    /// deletes recovery points.
    pub min_retention_days: Attr<Option<u32>>,
    /// Whether every rule copies recovery points to another vault.
    pub copies_to_other_vault: Attr<bool>,
    /// Destination vaults of the rules' copy actions, as ARNs or
    /// addresses of linked vaults, in rule order.
    pub copy_destinations: Vec<String>,
}

/// A tag condition of a backup selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCondition {
    pub key: String,
    pub value: String,
}

/// The operator of a backup selection condition on a resource tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionOperator {
    StringEquals,
    StringNotEquals,
    /// Matches the value as a pattern in which `*` stands for any text.
    StringLike,
    StringNotLike,
}

/// A condition on a resource tag that every resource a backup selection
/// selects must meet (`condition` in Terraform, `Conditions` in
/// CloudFormation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectionCondition {
    pub operator: ConditionOperator,
    /// The tag key, without the `aws:ResourceTag/` prefix.
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug)]
pub struct BackupSelection {
    pub plan: Option<String>,
    /// Selected resources: addresses of linked resources, or ARNs and ARN
    /// patterns with `*`.
    pub resources: Attr<Vec<String>>,
    /// Tag conditions of which any one selects a resource (`selection_tag`
    /// in Terraform, `ListOfTags` in CloudFormation).
    pub tag_conditions: Attr<Vec<TagCondition>>,
    /// Tag conditions that every selected resource must also meet.
    pub conditions: Attr<Vec<SelectionCondition>>,
    /// Resources excluded from the selection, in the form of `resources`.
    pub not_resources: Attr<Vec<String>>,
}
