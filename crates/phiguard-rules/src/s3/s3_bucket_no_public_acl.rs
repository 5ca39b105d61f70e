//! S3-006: the bucket's canned ACL does not grant public access.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACCESS_CONTROL, WORKFORCE_SECURITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3BucketNoPublicAcl;

/// Canned ACLs that grant access beyond the bucket owner's account, in the
/// Terraform and the CloudFormation spelling.
const PUBLIC_ACLS: &[&str] = &[
    "public-read",
    "public-read-write",
    "authenticated-read",
    "PublicRead",
    "PublicReadWrite",
    "AuthenticatedRead",
];

static META: RuleMeta = RuleMeta {
    id: "S3-006",
    name: "s3-bucket-no-public-acl",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, WORKFORCE_SECURITY],
    summary: "S3 bucket ACL does not grant public or any-AWS-user access",
    docs: RuleDocs {
        what: "Checks the bucket's canned ACL. `public-read`, `public-read-write` and `authenticated-read` \
(`PublicRead`, `PublicReadWrite`, `AuthenticatedRead` in CloudFormation) fail; any other ACL, or none, \
passes.",
        why: "These ACLs let anyone on the internet, or anyone with any AWS account, list or read the \
bucket. Any ePHI in it is then disclosed without authorization.",
        fix: "Remove the ACL or set it to `private`, and set object ownership to `BucketOwnerEnforced`, \
which disables ACLs altogether.",
        limitations: "Grants in an explicit access control policy (grantee lists) are not read, only canned \
ACLs. Block Public Access, checked by S3-003, overrides public ACLs when it is on.",
        terraform_fail: include_str!("../../fixtures/S3-006/fail.tf"),
        terraform_pass: include_str!("../../fixtures/S3-006/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/S3-006/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/S3-006/pass.yaml"),
    },
};

impl Rule for S3BucketNoPublicAcl {
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
                let acl = match Check::read(resource, &bucket.acl, "the bucket's ACL") {
                    Ok(acl) => acl,
                    Err(unknown) => return unknown,
                };
                let location = bucket.acl.location();
                match acl.as_deref() {
                    Some(acl) if PUBLIC_ACLS.contains(&acl) => {
                        Check::fail(resource, format!("the canned ACL `{acl}` grants access outside the account"), location)
                    }
                    Some(acl) => Check::pass(resource, format!("the canned ACL `{acl}` is not public"), location),
                    None => Check::pass(resource, "no ACL is set, so only the bucket owner has access", location),
                }
            })
            .collect()
    }
}
