//! S3-005: S3 server access logging is enabled.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACTIVITY_REVIEW, AUDIT_CONTROLS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3BucketAccessLogging;

static META: RuleMeta = RuleMeta {
    id: "S3-005",
    name: "s3-bucket-access-logging",
    severity: Severity::Medium,
    citations: &[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    summary: "S3 bucket writes server access logs",
    docs: RuleDocs {
        what: "Checks that server access logging is configured for the bucket, inline or through an \
`aws_s3_bucket_logging` resource, or with `LoggingConfiguration` in CloudFormation.",
        why: "Server access logs record every request to the bucket: who read which object, from where, \
and whether it was allowed. The audit controls standard requires a record of activity in systems that \
hold ePHI; without it, the scope of a breach cannot be established.",
        fix: "Send access logs to a dedicated log bucket, ideally in a separate log-archive account, with \
a retention of at least six years.",
        limitations: "CloudTrail S3 data events are an alternative record of object access; this rule does \
not count them, CT-005 checks them. The rule does not check that the target bucket exists or accepts \
the logs.",
        terraform_fail: include_str!("../../fixtures/S3-005/fail.tf"),
        terraform_pass: include_str!("../../fixtures/S3-005/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/S3-005/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/S3-005/pass.yaml"),
    },
};

impl Rule for S3BucketAccessLogging {
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
                let enabled = match Check::read(resource, &bucket.access_logging, "whether access logging is enabled") {
                    Ok(enabled) => *enabled,
                    Err(unknown) => return unknown,
                };
                let location = bucket.access_logging.location();
                if enabled {
                    Check::pass(resource, "server access logging is configured", location)
                } else {
                    Check::fail(resource, "server access logging is not configured", location)
                }
            })
            .collect()
    }
}
