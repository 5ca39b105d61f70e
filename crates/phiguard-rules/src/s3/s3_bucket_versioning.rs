//! S3-004: S3 bucket versioning is enabled.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{DATA_BACKUP, EMERGENCY_ACCESS, INTEGRITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3BucketVersioning;

static META: RuleMeta = RuleMeta {
    id: "S3-004",
    name: "s3-bucket-versioning",
    severity: Severity::Medium,
    citations: &[INTEGRITY, DATA_BACKUP, EMERGENCY_ACCESS],
    summary: "S3 bucket keeps object versions",
    docs: RuleDocs {
        what: "Checks that versioning is `Enabled` on the bucket. Buckets are unversioned until versioning \
is turned on, so a bucket that does not set it fails, as does one whose versioning is `Suspended`.",
        why: "Without versions, an overwrite or delete of an object destroys the previous ePHI for good, \
whether it was an application bug, a compromised credential or ransomware. Versions let the data be \
restored and show that records were not altered, which the integrity standard asks for.",
        fix: "Enable versioning with `aws_s3_bucket_versioning` (status `Enabled`) or the bucket's \
`VersioningConfiguration`, and add a lifecycle rule that expires noncurrent versions after the retention \
period you need.",
        limitations: "The rule does not check MFA delete or Object Lock, which protect versions from \
deletion by a privileged user.",
        terraform_fail: include_str!("../../fixtures/S3-004/fail.tf"),
        terraform_pass: include_str!("../../fixtures/S3-004/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/S3-004/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/S3-004/pass.yaml"),
    },
};

impl Rule for S3BucketVersioning {
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
                let enabled = match Check::read(resource, &bucket.versioning, "whether versioning is enabled") {
                    Ok(enabled) => *enabled,
                    Err(unknown) => return unknown,
                };
                let location = bucket.versioning.location();
                if enabled {
                    Check::pass(resource, "versioning is enabled", location)
                } else if bucket.versioning.is_default() {
                    Check::fail(resource, "versioning is not configured, so the bucket keeps no previous versions", location)
                } else {
                    Check::fail(resource, "versioning is suspended or disabled", location)
                }
            })
            .collect()
    }
}
