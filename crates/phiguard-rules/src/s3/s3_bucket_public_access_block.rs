//! S3-003: all four S3 Block Public Access settings are on for the bucket.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACCESS_CONTROL, WORKFORCE_SECURITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3BucketPublicAccessBlock;

static META: RuleMeta = RuleMeta {
    id: "S3-003",
    name: "s3-bucket-public-access-block",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, WORKFORCE_SECURITY],
    summary: "S3 bucket blocks public ACLs and public policies",
    docs: RuleDocs {
        what: "Checks that the bucket's Block Public Access settings `BlockPublicAcls`, `BlockPublicPolicy`, \
`IgnorePublicAcls` and `RestrictPublicBuckets` are all true. A bucket that declares no public access block \
passes with a note: since April 2023 S3 turns all four settings on for every new bucket.",
        why: "A bucket policy or ACL that grants access to everyone exposes ePHI to the internet, the \
most common cause of large healthcare breaches in cloud storage. Block Public Access overrides such \
grants, so a later mistake in a policy cannot make the data public.",
        fix: "Set all four settings to true in `aws_s3_bucket_public_access_block` or in the bucket's \
`PublicAccessBlockConfiguration`, and keep the account-level block on as well.",
        limitations: "Buckets created before April 2023 keep the settings they were created with, which a \
plan does not show when no block is declared. The account-level block is checked by ACC-002 when the \
input declares it.",
        terraform_fail: include_str!("../../fixtures/S3-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/S3-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/S3-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/S3-003/pass.yaml"),
    },
};

impl Rule for S3BucketPublicAccessBlock {
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
                let block = match Check::read(resource, &bucket.public_access_block, "the bucket's public access block") {
                    Ok(block) => block,
                    Err(unknown) => return unknown,
                };
                let location = bucket.public_access_block.location();
                let Some(block) = block else {
                    return Check::pass(
                        resource,
                        "no public access block is declared, so the S3 default for new buckets applies: all four settings on",
                        location,
                    );
                };
                let off: Vec<&str> = [
                    ("BlockPublicAcls", block.block_public_acls),
                    ("BlockPublicPolicy", block.block_public_policy),
                    ("IgnorePublicAcls", block.ignore_public_acls),
                    ("RestrictPublicBuckets", block.restrict_public_buckets),
                ]
                .into_iter()
                .filter(|(_, on)| !on)
                .map(|(name, _)| name)
                .collect();
                if off.is_empty() {
                    Check::pass(resource, "all four Block Public Access settings are on", location)
                } else {
                    Check::fail(resource, format!("Block Public Access settings off: {}", off.join(", ")), location)
                }
            })
            .collect()
    }
}
