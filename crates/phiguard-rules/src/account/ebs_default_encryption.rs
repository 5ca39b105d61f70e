//! ACC-001: EBS encryption by default is enabled for the region.

use phiguard_model::services::AccountSetting;
use phiguard_model::{Model, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct EbsDefaultEncryption;

static META: RuleMeta = RuleMeta {
    id: "ACC-001",
    name: "ebs-default-encryption",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST],
    summary: "EBS encryption by default is enabled",
    docs: RuleDocs {
        what: "Checks the `aws_ebs_encryption_by_default` setting: `enabled` must be true, which is the \
Terraform argument's default.",
        why: "With encryption by default, every new EBS volume and snapshot copy in the region is \
encrypted, including volumes that instances, launch templates, Auto Scaling groups and other \
services create without saying so. It is the safety net under per-volume settings for disks that \
hold ePHI.",
        fix: "Set `enabled = true` (or remove the argument), and set `aws_ebs_default_kms_key` to a \
customer managed key. Repeat in every region the account uses.",
        limitations: "Terraform only: CloudFormation has no resource type for this account setting, so \
the rule has no CloudFormation examples. The setting applies per region, and the rule cannot tell \
whether every region sets it. Existing volumes are not encrypted by turning it on.",
        terraform_fail: include_str!("../../fixtures/ACC-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/ACC-001/pass.tf"),
        cloudformation_fail: "",
        cloudformation_pass: "",
    },
};

impl Rule for EbsDefaultEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::settings(model)
            .filter_map(|(resource, setting)| match setting {
                AccountSetting::EbsEncryptionByDefault { enabled } => Some((resource, enabled)),
                _ => None,
            })
            .map(|(resource, enabled)| {
                let value = match Check::read(resource, enabled, "whether EBS encryption by default is enabled") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                if value {
                    Check::pass(resource, "EBS encryption by default is enabled", enabled.location())
                } else {
                    Check::fail(resource, "EBS encryption by default is disabled, so new volumes may be unencrypted", enabled.location())
                }
            })
            .collect()
    }
}
