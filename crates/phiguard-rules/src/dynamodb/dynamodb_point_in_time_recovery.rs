//! DDB-002: DynamoDB tables have point-in-time recovery.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::DATA_BACKUP;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct DynamoDbPointInTimeRecovery;

static META: RuleMeta = RuleMeta {
    id: "DDB-002",
    name: "dynamodb-point-in-time-recovery",
    severity: Severity::Medium,
    citations: &[DATA_BACKUP],
    summary: "DynamoDB tables have point-in-time recovery enabled",
    docs: RuleDocs {
        what: "Checks that each DynamoDB table enables point-in-time recovery: \
`point_in_time_recovery { enabled = true }` in Terraform, `PointInTimeRecoverySpecification` with \
`PointInTimeRecoveryEnabled: true` in CloudFormation (on every replica of a global table). It is off by \
default.",
        why: "Point-in-time recovery keeps continuous backups, so a table can be restored to any second of the \
recovery period (35 days unless shortened) after a faulty deployment, a bulk delete or overwritten items. \
Without it, ePHI in the table can be recovered only from on-demand backups, if anyone took one.",
        fix: "Enable point-in-time recovery on the table (and on each replica of a global table). It applies \
in place, without downtime or impact on the table's performance. Keep longer-term copies with AWS Backup.",
        limitations: "The rule does not see AWS Backup plans or on-demand backups that cover the table, and \
Terraform replicas (`replica` blocks) are not read separately.",
        terraform_fail: include_str!("../../fixtures/DDB-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/DDB-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/DDB-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/DDB-002/pass.yaml"),
    },
};

impl Rule for DynamoDbPointInTimeRecovery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::DynamoDbTable(table) => Some(table),
                _ => None,
            })
            .map(|(resource, table)| {
                let attr = &table.point_in_time_recovery;
                match Check::read(resource, attr, "whether point-in-time recovery is on") {
                    Ok(true) => Check::pass(resource, "point-in-time recovery is on for the table", attr.location()),
                    Ok(false) => Check::fail(resource, "point-in-time recovery is off for the table", attr.location()),
                    Err(unknown) => unknown,
                }
            })
            .collect()
    }
}
