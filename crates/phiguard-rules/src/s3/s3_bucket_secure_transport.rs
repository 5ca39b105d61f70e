//! S3-002: the bucket policy denies requests that do not use TLS.

use phiguard_model::services::{Effect, PolicyDocument, Statement};
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{INTEGRITY, TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3BucketSecureTransport;

static META: RuleMeta = RuleMeta {
    id: "S3-002",
    name: "s3-bucket-secure-transport",
    severity: Severity::High,
    citations: &[TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION, INTEGRITY],
    summary: "S3 bucket policy denies requests made without TLS",
    docs: RuleDocs {
        what: "Checks that the bucket policy has a `Deny` statement for every principal and S3 action with \
the condition `aws:SecureTransport = false` (or that denies `s3:TlsVersion` below 1.2). A bucket without a \
policy, or whose policy lacks such a statement, fails.",
        why: "S3 accepts plain HTTP requests unless the bucket policy refuses them. ePHI read or written over \
HTTP crosses the network unencrypted, which transmission security requires guarding against. Only a \
policy makes TLS mandatory for every client, including misconfigured SDKs and scripts.",
        fix: "Add a statement with `Effect: Deny`, `Principal: \"*\"`, `Action: \"s3:*\"`, the bucket and \
`bucket/*` as resources, and the condition `Bool` `aws:SecureTransport` `false`.",
        limitations: "A policy built from values known only after apply is reported as unknown. The rule \
does not check VPC endpoint policies or access point policies, which can also deny HTTP.",
        terraform_fail: include_str!("../../fixtures/S3-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/S3-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/S3-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/S3-002/pass.yaml"),
    },
};

/// True when the statement denies every principal some S3 access when the
/// request does not use TLS or uses a TLS version below 1.2.
fn denies_insecure_transport(statement: &Statement) -> bool {
    if statement.effect != Effect::Deny || !statement.principals.iter().any(|principal| principal == "*") {
        return false;
    }
    let covers_s3 = statement.actions.iter().any(|action| action == "*" || action.starts_with("s3:"));
    let insecure_condition = statement.conditions.iter().any(|condition| {
        let key = condition.key.to_ascii_lowercase();
        (key == "aws:securetransport"
            && condition.operator.starts_with("Bool")
            && condition.values.iter().any(|value| value.eq_ignore_ascii_case("false")))
            || (key == "s3:tlsversion"
                && condition.operator.starts_with("NumericLessThan")
                && condition.values.iter().any(|value| value.parse::<f64>().is_ok_and(|version| version >= 1.2)))
    });
    covers_s3 && insecure_condition
}

fn has_tls_deny(policy: &PolicyDocument) -> bool {
    policy.statements.iter().any(denies_insecure_transport)
}

impl Rule for S3BucketSecureTransport {
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
                let policy = match Check::read(resource, &bucket.policy, "whether the bucket policy requires TLS") {
                    Ok(policy) => policy,
                    Err(unknown) => return unknown,
                };
                let location = bucket.policy.location();
                match policy {
                    None => Check::fail(resource, "the bucket has no policy, so requests over plain HTTP are accepted", location),
                    Some(policy) if has_tls_deny(policy) => {
                        Check::pass(resource, "the bucket policy denies requests without TLS", location)
                    }
                    Some(_) => Check::fail(
                        resource,
                        "the bucket policy has no statement denying requests where aws:SecureTransport is false",
                        location,
                    ),
                }
            })
            .collect()
    }
}
