//! BAK-001: every data store in the input is selected by a backup plan.

use phiguard_model::services::BackupSelection;
use phiguard_model::{Model, Resource, ResourceKind, Severity};

use super::selection::{selects, ArnShape, Selected};
use crate::citations::{DATA_BACKUP, EMERGENCY_ACCESS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct BackupCoverage;

/// The data stores the rule checks, by resource type in either input, with
/// the ARN shape that selection patterns match. The rule reads resource
/// types rather than model kinds so that it covers a type whose adapter
/// does not type it yet.
const DATA_STORES: &[(&str, ArnShape)] = &[
    ("aws_db_instance", ArnShape { service: "rds", resource_prefix: "db:" }),
    ("AWS::RDS::DBInstance", ArnShape { service: "rds", resource_prefix: "db:" }),
    ("aws_rds_cluster", ArnShape { service: "rds", resource_prefix: "cluster:" }),
    ("AWS::RDS::DBCluster", ArnShape { service: "rds", resource_prefix: "cluster:" }),
    ("aws_dynamodb_table", ArnShape { service: "dynamodb", resource_prefix: "table/" }),
    ("AWS::DynamoDB::Table", ArnShape { service: "dynamodb", resource_prefix: "table/" }),
    ("aws_ebs_volume", ArnShape { service: "ec2", resource_prefix: "volume/" }),
    ("AWS::EC2::Volume", ArnShape { service: "ec2", resource_prefix: "volume/" }),
    ("aws_efs_file_system", ArnShape { service: "elasticfilesystem", resource_prefix: "file-system/" }),
    ("AWS::EFS::FileSystem", ArnShape { service: "elasticfilesystem", resource_prefix: "file-system/" }),
];

static META: RuleMeta = RuleMeta {
    id: "BAK-001",
    name: "backup-coverage",
    severity: Severity::High,
    citations: &[DATA_BACKUP, EMERGENCY_ACCESS],
    summary: "Every RDS database, DynamoDB table, EBS volume and EFS file system is in an AWS Backup selection",
    docs: RuleDocs {
        what: "For each RDS DB instance and cluster, DynamoDB table, EBS volume and EFS file system in \
the input, checks that some AWS Backup selection (`aws_backup_selection`, \
`AWS::Backup::BackupSelection`) selects it: by a reference to the resource, by an ARN pattern whose \
`*` covers the resource's type (such as `arn:aws:dynamodb:*:*:table/*`), or by a tag condition \
(`selection_tag`, `ListOfTags`) that the resource's tags meet. The selection's tag conditions \
(`condition`, `Conditions`) must also hold, and the resource must not be excluded by \
`not_resources` or `NotResources`. When the input has no backup selection at all, the result is \
unknown, because an organization backup policy or another stack may cover the resources. An RDS \
instance that belongs to an Aurora cluster is backed up through its cluster and is not applicable.",
        why: "The contingency plan standard requires retrievable exact copies of ePHI, and emergency \
access depends on restoring data when a store is lost, corrupted or encrypted by ransomware. \
Service-level snapshots alone live in the same account and can be deleted with the data; AWS Backup \
gives one policy with retention, vault locks and copies, and a data store it does not select is \
easy to miss until a restore is needed.",
        fix: "Add the resource to a backup selection: reference its ARN in `resources` or `Resources`, \
or tag it with a key and value that a selection's `selection_tag` or `ListOfTags` selects. Make sure \
the selection's plan runs at least daily and keeps recovery points as long as the organization's \
retention policy requires.",
        limitations: "ARN patterns are compared by service and resource type only. The partition, \
region and account of a pattern are not compared, because the input does not give them for the \
resource, and a pattern that names specific resources gives an unknown result. Resources in the \
input whose tags are known only after apply may be missed by tag selections. The rule does not \
check the plan's schedule or retention, and cannot see backups made by other means such as RDS \
automated backups or DynamoDB point-in-time recovery. In a Terraform plan, a `condition`, \
`not_resources` or `selection_tag` known only after apply, with no reference to a resource, is \
read as absent, because that is how the provider plans arguments the configuration leaves out.",
        terraform_fail: include_str!("../../fixtures/BAK-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/BAK-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/BAK-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/BAK-001/pass.yaml"),
    },
};

impl Rule for BackupCoverage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let selections: Vec<(&Resource, &BackupSelection)> = model
            .each(|kind| match kind {
                ResourceKind::BackupSelection(selection) => Some(selection),
                _ => None,
            })
            .collect();
        model
            .resources
            .iter()
            .filter_map(|resource| {
                let (_, shape) = DATA_STORES.iter().find(|(resource_type, _)| *resource_type == resource.resource_type)?;
                Some(check_resource(resource, *shape, &selections))
            })
            .collect()
    }
}

fn check_resource<'m>(resource: &'m Resource, shape: ArnShape, selections: &[(&Resource, &BackupSelection)]) -> Check<'m> {
    if let ResourceKind::RdsInstance(instance) = &resource.kind {
        if let Some(cluster) = &instance.cluster {
            return Check::not_applicable(resource, format!("the instance belongs to the cluster {cluster}, whose backups cover it"));
        }
    }
    if selections.is_empty() {
        return Check::unknown(
            resource,
            "cannot tell whether AWS Backup covers the resource",
            "the input has no backup selection, and an organization backup policy or another stack may cover it",
            &resource.location,
        );
    }

    let mut unknown: Option<(String, &Resource)> = None;
    for (selection_resource, selection) in selections {
        match selects(selection, resource, shape) {
            Selected::Yes => {
                return Check::pass(
                    resource,
                    format!("the backup selection {} selects the resource", selection_resource.address),
                    &selection_resource.location,
                )
            }
            Selected::Unknown(reason) => {
                unknown.get_or_insert((reason, selection_resource));
            }
            Selected::No => {}
        }
    }
    match unknown {
        Some((reason, selection_resource)) => Check::unknown(
            resource,
            "cannot tell whether a backup selection selects the resource",
            format!("for the backup selection {}, {reason}", selection_resource.address),
            &selection_resource.location,
        ),
        None => Check::fail(
            resource,
            format!("no backup selection in the input selects the resource ({} checked)", selections.len()),
            &resource.location,
        ),
    }
}
