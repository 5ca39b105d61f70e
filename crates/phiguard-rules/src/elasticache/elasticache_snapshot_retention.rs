//! EC-003: ElastiCache takes automatic backups.

use phiguard_model::{Attr, Location, Model, Resource, ResourceKind, Severity};

use crate::citations::DATA_BACKUP;
use crate::elasticache::in_replication_group;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ElastiCacheSnapshotRetention;

static META: RuleMeta = RuleMeta {
    id: "EC-003",
    name: "elasticache-snapshot-retention",
    severity: Severity::Low,
    citations: &[DATA_BACKUP],
    summary: "ElastiCache replication groups and Valkey or Redis OSS cache clusters keep automatic backups",
    docs: RuleDocs {
        what: "Checks that each ElastiCache replication group, and each standalone Valkey or Redis OSS cache \
cluster, keeps automatic backups for at least one day through `snapshot_retention_limit` (CloudFormation: \
`SnapshotRetentionLimit`). The default is 0, which turns automatic backups off. Memcached clusters are not \
applicable because Memcached has no backups, and a cache cluster that is a member of a replication group is \
not applicable because the group holds the setting.",
        why: "A cache is usually rebuilt from the database of record, but Valkey and Redis OSS are also used \
as the only store of sessions, queues and computed results that can contain ePHI. Without automatic backups \
a node failure or a flushed key space loses that data for good. The threshold is one day because the rule \
asks only that backups exist; set a longer retention where the cache holds data found nowhere else.",
        fix: "Set `snapshot_retention_limit` (CloudFormation: `SnapshotRetentionLimit`) to 1 or more, up to \
35 days, and a `snapshot_window` outside peak hours. The change applies without downtime.",
        limitations: "The rule cannot tell whether the cache holds the only copy of any data, so it applies \
to every Valkey and Redis OSS cache; suppress it, with a justification, for caches that only hold data \
rebuilt from elsewhere.",
        terraform_fail: include_str!("../../fixtures/EC-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EC-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EC-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EC-003/pass.yaml"),
    },
};

impl Rule for ElastiCacheSnapshotRetention {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let mut checks = Vec::new();
        for resource in &model.resources {
            let check = match &resource.kind {
                ResourceKind::ElastiCacheReplicationGroup(group) => check_retention(resource, &group.snapshot_retention_days, "replication group"),
                ResourceKind::ElastiCacheCluster(cluster) => {
                    if let Some(group) = &cluster.replication_group {
                        in_replication_group(model, resource, group, "backup settings")
                    } else {
                        match Check::read(resource, &cluster.engine, "which engine the cache cluster runs") {
                            Ok(Some(engine)) if engine == "memcached" => {
                                Check::not_applicable(resource, "Memcached cache clusters do not support backups")
                            }
                            Ok(Some(_)) => check_retention(resource, &cluster.snapshot_retention_days, "cache cluster"),
                            Ok(None) => unknown_engine(resource, cluster.engine.location()),
                            Err(unknown) => unknown,
                        }
                    }
                }
                _ => continue,
            };
            checks.push(check);
        }
        checks
    }
}

fn check_retention<'m>(resource: &'m Resource, attr: &Attr<u32>, noun: &str) -> Check<'m> {
    match Check::read(resource, attr, "how long automatic backups are kept") {
        Ok(0) => Check::fail(resource, format!("automatic backups of the {noun} are off (snapshot retention 0 days)"), attr.location()),
        Ok(days) => {
            let unit = if *days == 1 { "day" } else { "days" };
            Check::pass(resource, format!("the {noun} keeps automatic backups for {days} {unit}"), attr.location())
        }
        Err(unknown) => unknown,
    }
}

fn unknown_engine<'m>(resource: &'m Resource, location: &Location) -> Check<'m> {
    Check::unknown(
        resource,
        "cannot tell whether the cache cluster supports backups",
        "the engine is not set, and only Valkey and Redis OSS clusters support backups",
        location,
    )
}
