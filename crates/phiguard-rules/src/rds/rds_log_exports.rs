//! RDS-008: RDS instances and clusters export their logs to CloudWatch Logs.

use phiguard_model::{Model, Severity};

use crate::citations::AUDIT_CONTROLS;
use crate::rds::{databases, on_cluster};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsLogExports;

static META: RuleMeta = RuleMeta {
    id: "RDS-008",
    name: "rds-log-exports",
    severity: Severity::Medium,
    citations: &[AUDIT_CONTROLS],
    summary: "RDS instances and clusters export database logs to CloudWatch Logs",
    docs: RuleDocs {
        what: "Checks that each RDS DB instance and DB cluster exports at least one database log type to \
CloudWatch Logs through `enabled_cloudwatch_logs_exports` (CloudFormation: `EnableCloudwatchLogsExports`); \
none is exported by default. An instance of an Aurora cluster is not applicable: the cluster exports the \
logs of all its instances.",
        why: "Database logs record connections, failed logins, errors and, with auditing configured, the \
statements that read or change ePHI. Kept only on the instance, they rotate away within days and vanish \
with the instance. Exported to CloudWatch Logs they are retained on a schedule you set, can raise alarms, and \
serve the activity review that the HIPAA audit controls standard requires.",
        fix: "Set `enabled_cloudwatch_logs_exports` (CloudFormation: `EnableCloudwatchLogsExports`) to the \
engine's log types: `postgresql` for PostgreSQL and Aurora PostgreSQL; `audit`, `error`, `general` and \
`slowquery` for MySQL, MariaDB and Aurora MySQL; `agent` and `error` for SQL Server; `alert`, `audit`, \
`listener` and `trace` for Oracle. Configure the engine to write what you need to audit (for example \
`log_connections` and pgAudit on PostgreSQL, the MariaDB Audit Plugin option on MySQL, or \
`server_audit_logging` on Aurora MySQL), and set a retention on the log groups.",
        limitations: "The rule checks that some log type is exported, not which one, nor whether the engine \
is configured to log connections or statements. It does not read the retention of the log groups.",
        terraform_fail: include_str!("../../fixtures/RDS-008/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-008/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-008/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-008/pass.yaml"),
    },
};

impl Rule for RdsLogExports {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| {
                if let Some(cluster) = database.cluster() {
                    return on_cluster(model, resource, cluster, "log exports");
                }
                let attr = database.log_exports();
                let noun = database.noun();
                match Check::read(resource, attr, "which logs are exported") {
                    Ok(types) if types.is_empty() => Check::fail(
                        resource,
                        format!("the {noun} exports no database logs to CloudWatch Logs"),
                        attr.location(),
                    ),
                    Ok(types) => Check::pass(
                        resource,
                        format!("the {noun} exports its {} logs to CloudWatch Logs", types.join(", ")),
                        attr.location(),
                    ),
                    Err(unknown) => unknown,
                }
            })
            .collect()
    }
}
