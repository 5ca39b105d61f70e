//! RDS-007: RDS instances and clusters have deletion protection.

use phiguard_model::{Model, Severity};

use crate::citations::INTEGRITY;
use crate::rds::{databases, on_cluster};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsDeletionProtection;

static META: RuleMeta = RuleMeta {
    id: "RDS-007",
    name: "rds-deletion-protection",
    severity: Severity::Medium,
    citations: &[INTEGRITY],
    summary: "RDS instances and clusters have deletion protection enabled",
    docs: RuleDocs {
        what: "Checks that each RDS DB instance and DB cluster sets `deletion_protection` (CloudFormation: \
`DeletionProtection`) to true; the default is false. An instance of a cluster is not applicable: the \
cluster's deletion protection guards it.",
        why: "With deletion protection on, RDS rejects every request to delete the database until someone \
turns the setting off in a separate change. That stops a mistyped command, a console click or an \
infrastructure change that replaces the resource from destroying ePHI, and makes deliberate destruction a \
visible two-step action, as the HIPAA integrity standard asks for protection against improper destruction.",
        fix: "Set `deletion_protection = true` (CloudFormation: `DeletionProtection: true`). RDS applies it \
immediately, without downtime. In CloudFormation, also consider `DeletionPolicy: Snapshot` so that removing \
the resource from the stack keeps a final snapshot.",
        limitations: "The rule does not read CloudFormation's `DeletionPolicy` or Terraform's \
`prevent_destroy` lifecycle setting, which guard against deletion through the tool only.",
        terraform_fail: include_str!("../../fixtures/RDS-007/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-007/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-007/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-007/pass.yaml"),
    },
};

impl Rule for RdsDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| {
                if let Some(cluster) = database.cluster() {
                    return on_cluster(model, resource, cluster, "deletion protection");
                }
                let attr = database.deletion_protection();
                let noun = database.noun();
                match Check::read(resource, attr, "whether deletion protection is on") {
                    Ok(true) => Check::pass(resource, format!("deletion protection is on for the {noun}"), attr.location()),
                    Ok(false) => Check::fail(
                        resource,
                        format!("deletion protection is off, so a single request can delete the {noun} and its automated backups"),
                        attr.location(),
                    ),
                    Err(unknown) => unknown,
                }
            })
            .collect()
    }
}
