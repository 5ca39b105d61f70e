//! ACC-002: S3 Block Public Access is fully on for the account.

use phiguard_model::services::AccountSetting;
use phiguard_model::{Model, Severity};

use crate::citations::{ACCESS_AUTHORIZATION, ACCESS_CONTROL};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct S3AccountPublicAccessBlock;

static META: RuleMeta = RuleMeta {
    id: "ACC-002",
    name: "s3-account-public-access-block",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, ACCESS_AUTHORIZATION],
    summary: "S3 Block Public Access is enabled for the whole account",
    docs: RuleDocs {
        what: "Checks the `aws_s3_account_public_access_block` setting: `block_public_acls`, \
`block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` must all be true. Each \
defaults to false.",
        why: "Account-level Block Public Access overrides every bucket, so no bucket or object in the \
account can be made public by an ACL or bucket policy, whether by mistake, by a new bucket without \
its own block, or by a compromised principal. A public bucket exposes whatever ePHI it holds to \
anyone on the internet.",
        fix: "Set all four arguments to true. Serve public content, if any, from a separate account or \
through CloudFront with origin access control.",
        limitations: "Terraform only: CloudFormation has no resource type for the account-level \
setting, so the rule has no CloudFormation examples. The rule sees the setting only when the input \
declares it; an account configured elsewhere is not checked.",
        terraform_fail: include_str!("../../fixtures/ACC-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/ACC-002/pass.tf"),
        cloudformation_fail: "",
        cloudformation_pass: "",
    },
};

impl Rule for S3AccountPublicAccessBlock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::settings(model)
            .filter_map(|(resource, setting)| match setting {
                AccountSetting::S3PublicAccessBlock { block, unknown_reason, .. } => Some((resource, block, unknown_reason)),
                _ => None,
            })
            .map(|(resource, block, unknown_reason)| {
                let flags = [
                    ("block_public_acls", block.block_public_acls),
                    ("block_public_policy", block.block_public_policy),
                    ("ignore_public_acls", block.ignore_public_acls),
                    ("restrict_public_buckets", block.restrict_public_buckets),
                ];
                let off: Vec<&str> = flags.iter().filter(|(_, on)| !on).map(|(name, _)| *name).collect();
                if off.is_empty() {
                    return Check::pass(resource, "all four Block Public Access settings are on for the account", &resource.location);
                }
                if let Some(reason) = unknown_reason {
                    return Check::unknown(
                        resource,
                        "cannot tell whether Block Public Access is fully on for the account",
                        reason.clone(),
                        &resource.location,
                    );
                }
                Check::fail(
                    resource,
                    format!("account-level Block Public Access leaves {} off", off.join(", ")),
                    &resource.location,
                )
            })
            .collect()
    }
}
