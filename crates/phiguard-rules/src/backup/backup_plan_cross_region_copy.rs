//! BAK-002: every rule of a backup plan copies recovery points to another
//! vault.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::DISASTER_RECOVERY;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct BackupPlanCrossRegionCopy;

static META: RuleMeta = RuleMeta {
    id: "BAK-002",
    name: "backup-plan-cross-region-copy",
    severity: Severity::Low,
    citations: &[DISASTER_RECOVERY],
    summary: "Every AWS Backup plan rule copies recovery points to another vault",
    docs: RuleDocs {
        what: "Checks that every rule of the backup plan has a copy action (`copy_action` in \
Terraform, `CopyActions` in CloudFormation) that copies its recovery points to a destination vault. \
The message names the destination vaults.",
        why: "A disaster recovery plan must restore ePHI when a whole region, or the account that holds \
the primary vault, is lost or compromised. Recovery points that exist only in the vault that \
created them share its fate; a copy in a vault in another region, ideally in another account, \
survives it.",
        fix: "Add a `copy_action` with `destination_vault_arn` (or `CopyActions` with \
`DestinationBackupVaultArn`) that names a vault in another region, preferably in a separate backup \
account, with a lifecycle that keeps copies as long as the originals.",
        limitations: "The rule cannot compare regions, because the input does not give the region of \
the source vault: a copy to another vault in the same region passes. Review the destinations the \
message names. The rule does not check the destination vault's lock or access policy.",
        terraform_fail: include_str!("../../fixtures/BAK-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/BAK-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/BAK-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/BAK-002/pass.yaml"),
    },
};

impl Rule for BackupPlanCrossRegionCopy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::BackupPlan(plan) => Some(plan),
                _ => None,
            })
            .map(|(resource, plan)| {
                let copies = match Check::read(resource, &plan.copies_to_other_vault, "whether the plan copies recovery points") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = plan.copies_to_other_vault.location();
                if copies {
                    Check::pass(
                        resource,
                        format!("every rule copies recovery points to another vault: {}", plan.copy_destinations.join(", ")),
                        location,
                    )
                } else {
                    Check::fail(resource, "a rule of the plan has no copy action, so its recovery points stay in one vault", location)
                }
            })
            .collect()
    }
}
