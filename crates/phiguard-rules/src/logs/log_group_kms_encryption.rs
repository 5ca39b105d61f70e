//! LOG-001: CloudWatch Logs log groups encrypt with a customer managed KMS
//! key.

use phiguard_model::{Model, Severity};

use crate::citations::{AUDIT_CONTROLS, ENCRYPTION_AT_REST};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct LogGroupKmsEncryption;

static META: RuleMeta = RuleMeta {
    id: "LOG-001",
    name: "log-group-kms-encryption",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, AUDIT_CONTROLS],
    summary: "CloudWatch Logs log group is encrypted with a customer managed KMS key",
    docs: RuleDocs {
        what: "Checks that the log group names a KMS key (`kms_key_id` in Terraform, `KmsKeyId` in \
CloudFormation). Without one, CloudWatch Logs encrypts the log data with a key it owns and manages.",
        why: "Application and audit logs often carry ePHI: request bodies, patient identifiers in \
URLs, query text. With a customer managed key, the key policy decides who can read the logs apart \
from IAM access to CloudWatch Logs, every decryption is recorded in CloudTrail, and the key can be \
disabled to cut off access in an incident. The service-managed default gives none of these \
controls.",
        fix: "Create a symmetric customer managed KMS key (CloudWatch Logs accepts only symmetric \
keys) whose key policy allows the `logs.<region>.amazonaws.com` service principal to use it, and set \
it as `kms_key_id` or `KmsKeyId`.",
        limitations: "The rule does not read the key policy, so it cannot tell whether CloudWatch Logs \
may use the key. Log groups that services create on their own, such as Lambda's, are not in the \
input and are not seen.",
        terraform_fail: include_str!("../../fixtures/LOG-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/LOG-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/LOG-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/LOG-001/pass.yaml"),
    },
};

impl Rule for LogGroupKmsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::log_groups(model)
            .map(|(resource, group)| {
                let key = match Check::read(resource, &group.kms_key, "the log group's KMS key") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = group.kms_key.location();
                match key {
                    Some(key) => Check::pass(resource, format!("the log group is encrypted with the KMS key {key}"), location),
                    None => Check::fail(
                        resource,
                        "the log group sets no KMS key, so CloudWatch Logs encrypts it with a service-managed key, not a customer managed key",
                        location,
                    ),
                }
            })
            .collect()
    }
}
