//! RDS-005: RDS instances and clusters keep automated backups for at least
//! seven days.

use phiguard_model::{Model, Severity};

use crate::citations::DATA_BACKUP;
use crate::rds::{databases, on_cluster};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsBackupRetention;

/// The shortest automated backup retention, in days, that passes.
const MIN_RETENTION_DAYS: u32 = 7;

static META: RuleMeta = RuleMeta {
    id: "RDS-005",
    name: "rds-backup-retention",
    severity: Severity::Medium,
    citations: &[DATA_BACKUP],
    summary: "RDS instances and clusters keep automated backups for at least 7 days",
    docs: RuleDocs {
        what: "Checks that each RDS DB instance and DB cluster keeps automated backups for at least 7 days \
(`backup_retention_period`, CloudFormation: `BackupRetentionPeriod`). When the attribute is unset, the RDS \
API default of 1 day applies, in Terraform and in CloudFormation alike, and the rule fails. A retention of 0 \
turns automated backups off on an instance. An instance of a cluster is not applicable because the cluster \
holds its backups, and a read replica is not applicable because its data is backed up through its source.",
        why: "Automated backups are what point-in-time recovery restores from: daily snapshots plus \
transaction logs, for as many days as the retention. Seven days is the minimum this rule accepts because \
damage to ePHI (a faulty migration, a deleted table, ransomware that encrypts rows) is often found days \
later, at a weekly review or after a weekend, and a one-day window has already discarded the last good \
state by then. The HIPAA data backup plan asks for retrievable exact copies of ePHI; longer-term copies \
belong in AWS Backup.",
        fix: "Set `backup_retention_period` (CloudFormation: `BackupRetentionPeriod`) to 7 or more, up to 35 \
days. Changing the retention between 0 and a non-zero value causes a brief outage; other changes apply \
without one. Keep copies beyond 35 days, and copies in another Region or account, with an AWS Backup plan.",
        limitations: "The rule reads the automated backup retention only. It does not see AWS Backup plans \
that cover the database, or manual snapshots.",
        terraform_fail: include_str!("../../fixtures/RDS-005/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-005/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-005/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-005/pass.yaml"),
    },
};

impl Rule for RdsBackupRetention {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| {
                if let Some(cluster) = database.cluster() {
                    return on_cluster(model, resource, cluster, "automated backups");
                }
                if let Some(source) = database.replica_source() {
                    return Check::not_applicable(
                        resource,
                        format!("the instance is a read replica of {source}, whose automated backups hold its data"),
                    );
                }
                let attr = database.backup_retention_days();
                let days = match Check::read(resource, attr, "how long automated backups are kept") {
                    Ok(days) => *days,
                    Err(unknown) => return unknown,
                };
                let noun = database.noun();
                let location = attr.location();
                if days >= MIN_RETENTION_DAYS {
                    Check::pass(resource, format!("the {noun} keeps automated backups for {days} days"), location)
                } else if days == 0 {
                    Check::fail(resource, format!("automated backups of the {noun} are turned off (retention 0 days)"), location)
                } else if attr.is_default() {
                    Check::fail(
                        resource,
                        format!(
                            "the backup retention is not set, so RDS keeps automated backups of the {noun} for {days} day, \
under the {MIN_RETENTION_DAYS}-day minimum"
                        ),
                        location,
                    )
                } else {
                    let unit = if days == 1 { "day" } else { "days" };
                    Check::fail(
                        resource,
                        format!("the {noun} keeps automated backups for {days} {unit}, under the {MIN_RETENTION_DAYS}-day minimum"),
                        location,
                    )
                }
            })
            .collect()
    }
}
