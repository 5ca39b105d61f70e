//! S3-001: S3 buckets encrypt by default with a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ENCRYPTION_AT_REST, TRANSMISSION_ENCRYPTION};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3BucketCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "S3-001",
    name: "s3-bucket-customer-managed-key",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, TRANSMISSION_ENCRYPTION],
    summary: "S3 bucket default encryption uses a customer managed KMS key",
    docs: RuleDocs {
        what: "Checks that the bucket's default encryption is SSE-KMS (or DSSE-KMS) with a customer managed \
KMS key. A bucket without an encryption configuration, with SSE-S3 (AES256), or with the AWS managed \
`aws/s3` key fails with a message that names which of these it uses.",
        why: "Since January 2023 S3 encrypts every new object with SSE-S3, so an S3 bucket is never \
unencrypted at rest. SSE-S3 and the `aws/s3` key, however, give no separate control over decryption: \
anyone who can read the object can decrypt it, and CloudTrail records no key use. A customer managed key \
lets the key policy limit who can decrypt ePHI, records every decryption, and allows the key to be \
disabled in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled and set it as the bucket's default \
encryption with `sse_algorithm = \"aws:kms\"` and `kms_master_key_id`. Existing objects keep their old \
encryption until they are copied in place.",
        limitations: "The rule reads the default encryption only. Objects uploaded with an explicit \
encryption header, and existing objects, may use another key. A key given as a variable without a \
value is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/S3-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/S3-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/S3-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/S3-001/pass.yaml"),
    },
};

impl Rule for S3BucketCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::S3Bucket(bucket) => Some(bucket),
                _ => None,
            })
            .map(|(resource, bucket)| {
                let encryption = match Check::read(resource, &bucket.encryption, "the bucket's default encryption") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = bucket.encryption.location();
                match encryption {
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("default encryption uses the customer managed key {key}"), location)
                    }
                    Encryption::AwsManaged if bucket.encryption.is_default() => Check::fail(
                        resource,
                        "no default encryption is configured, so S3 applies SSE-S3 with an Amazon S3 managed key, not a customer managed key",
                        location,
                    ),
                    Encryption::AwsManaged => Check::fail(
                        resource,
                        "default encryption uses an AWS managed key (SSE-S3 or aws/s3), not a customer managed key",
                        location,
                    ),
                    Encryption::UnknownKey(reason) => Check::unknown(resource, "cannot tell whether a customer managed key encrypts the bucket", reason.clone(), location),
                    Encryption::None => Check::fail(resource, "the bucket has no default encryption", location),
                }
            })
            .collect()
    }
}
