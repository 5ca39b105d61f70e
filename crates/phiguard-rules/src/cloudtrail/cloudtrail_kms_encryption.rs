//! CT-003: CloudTrail trails encrypt their log files with a KMS key.

use phiguard_model::{Model, Severity};

use crate::citations::{AUDIT_CONTROLS, ENCRYPTION_AT_REST};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct CloudtrailKmsEncryption;

static META: RuleMeta = RuleMeta {
    id: "CT-003",
    name: "cloudtrail-kms-encryption",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, AUDIT_CONTROLS],
    summary: "CloudTrail trail encrypts log files with a KMS key (SSE-KMS)",
    docs: RuleDocs {
        what: "Checks that the trail names a KMS key (`kms_key_id` in Terraform, `KMSKeyId` in \
CloudFormation) as a key id, ARN, alias or a reference to a key or alias resource. Without one, \
log files get only the log bucket's default encryption, which is SSE-S3 unless the bucket sets \
otherwise.",
        why: "CloudTrail records name the people, roles and resources that touch ePHI, and data events \
can include object keys that identify patients. SSE-KMS with a customer managed key lets the key \
policy decide who can read the audit record, separately from who can read the bucket, and \
records every decryption.",
        fix: "Create a customer managed KMS key whose key policy lets `cloudtrail.amazonaws.com` call \
`kms:GenerateDataKey*`, enable its rotation, and set it as the trail's `kms_key_id` or `KMSKeyId`.",
        limitations: "The rule does not read the key policy, so it cannot tell whether CloudTrail may \
use the key or who may decrypt with it. Any key that is set passes; the rule does not tell \
customer managed keys from AWS managed ones here. A key given as a parameter without a default is reported \
as unknown.",
        terraform_fail: include_str!("../../fixtures/CT-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CT-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CT-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CT-003/pass.yaml"),
    },
};

impl Rule for CloudtrailKmsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::trails(model)
            .map(|(resource, trail)| {
                let key = match Check::read(resource, &trail.kms_key, "the trail's KMS key") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = trail.kms_key.location();
                match key {
                    Some(key) => Check::pass(resource, format!("log files are encrypted with the KMS key {key}"), location),
                    None => Check::fail(
                        resource,
                        "the trail sets no KMS key, so its log files have only the log bucket's default encryption (SSE-S3 unless the bucket sets a key)",
                        location,
                    ),
                }
            })
            .collect()
    }
}
