//! KMS-001: symmetric KMS keys rotate their key material automatically.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ENCRYPTION_AT_REST, RISK_MANAGEMENT};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct KmsKeyRotation;

static META: RuleMeta = RuleMeta {
    id: "KMS-001",
    name: "kms-key-rotation",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, RISK_MANAGEMENT],
    summary: "Symmetric customer managed KMS key has automatic rotation enabled",
    docs: RuleDocs {
        what: "Checks that automatic key rotation is enabled (`enable_key_rotation` in Terraform, \
`EnableKeyRotation` in CloudFormation) on symmetric encryption keys whose key material KMS \
generates. Rotation is off by default. Asymmetric and HMAC keys, and keys with imported material \
or in a custom key store, cannot rotate automatically, so the rule does not apply to them.",
        why: "Customer managed keys protect ePHI in S3, RDS, EBS, logs and backups. Automatic rotation \
creates new key material every year (or on the period you set) while keeping the old material to \
decrypt older data, which limits how much ePHI one piece of key material protects and is a \
routine expectation of key management under a risk management plan.",
        fix: "Set `enable_key_rotation = true` (Terraform) or `EnableKeyRotation: true` \
(CloudFormation). Set `rotation_period_in_days` or `RotationPeriodInDays` to rotate more often \
than the 365-day default.",
        limitations: "The rule reads `aws_kms_key` and `AWS::KMS::Key` only. Replica keys follow \
their primary key, and keys created outside the input are not seen. The rotation period is not \
checked. In Terraform any `custom_key_store_id` makes the rule not applicable, whichever kind of \
key store it names.",
        terraform_fail: include_str!("../../fixtures/KMS-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/KMS-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/KMS-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/KMS-001/pass.yaml"),
    },
};

impl Rule for KmsKeyRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::KmsKey(key) => Some(key),
                _ => None,
            })
            .map(|(resource, key)| {
                let spec = match Check::read(resource, &key.key_spec, "the key spec") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                if spec != "SYMMETRIC_DEFAULT" {
                    return Check::not_applicable(
                        resource,
                        format!("the key spec is {spec}, and KMS rotates only symmetric encryption keys automatically"),
                    );
                }
                let origin = match Check::read(resource, &key.origin, "where the key material comes from") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                if origin != "AWS_KMS" {
                    return Check::not_applicable(
                        resource,
                        format!("the key material origin is {origin}, and KMS rotates only key material it generates"),
                    );
                }
                let rotation = match Check::read(resource, &key.rotation_enabled, "whether key rotation is enabled") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = key.rotation_enabled.location();
                if rotation {
                    Check::pass(resource, "automatic key rotation is enabled", location)
                } else if key.rotation_enabled.is_default() {
                    Check::fail(resource, "key rotation is not set and defaults to disabled", location)
                } else {
                    Check::fail(resource, "automatic key rotation is disabled", location)
                }
            })
            .collect()
    }
}
