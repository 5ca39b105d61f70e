//! EC-001: ElastiCache replication groups encrypt data at rest.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::elasticache::in_replication_group;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ElastiCacheAtRestEncryption;

static META: RuleMeta = RuleMeta {
    id: "EC-001",
    name: "elasticache-at-rest-encryption",
    severity: Severity::High,
    citations: &[ENCRYPTION_AT_REST],
    summary: "ElastiCache replication groups encrypt data at rest",
    docs: RuleDocs {
        what: "Checks that each ElastiCache replication group sets `at_rest_encryption_enabled` \
(CloudFormation: `AtRestEncryptionEnabled`) to true. When it is unset, ElastiCache encrypts Valkey groups and \
leaves Redis OSS groups unencrypted. A standalone cache cluster (`aws_elasticache_cluster`, \
`AWS::ElastiCache::CacheCluster`) cannot encrypt at rest at all and fails; a cache cluster that is a member \
of a replication group is not applicable because the group holds the setting.",
        why: "At-rest encryption covers the data ElastiCache writes to disk: during synchronization and swap, \
in backups, and in snapshots exported to S3. A cache in front of a database of ePHI holds copies of its \
records, so an unencrypted backup or snapshot discloses them.",
        fix: "Set `at_rest_encryption_enabled = true` (CloudFormation: `AtRestEncryptionEnabled: true`), \
preferably with a customer managed KMS key in `kms_key_id`. The setting can only be chosen when the group is \
created: take a backup, create a new encrypted group from it, and move clients over. Replace a standalone \
cache cluster with a replication group, or with an ElastiCache Serverless cache, which always encrypts at \
rest.",
        limitations: "ElastiCache Serverless caches and global datastores are not read.",
        terraform_fail: include_str!("../../fixtures/EC-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EC-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EC-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EC-001/pass.yaml"),
    },
};

impl Rule for ElastiCacheAtRestEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let mut checks = Vec::new();
        for resource in &model.resources {
            match &resource.kind {
                ResourceKind::ElastiCacheReplicationGroup(group) => {
                    let attr = &group.at_rest_encryption;
                    let check = match Check::read(resource, attr, "whether the replication group encrypts data at rest") {
                        Ok(Encryption::None) if attr.is_default() => Check::fail(
                            resource,
                            "at-rest encryption is not set, and ElastiCache leaves Redis OSS replication groups unencrypted by default",
                            attr.location(),
                        ),
                        Ok(Encryption::None) => Check::fail(resource, "at-rest encryption is off for the replication group", attr.location()),
                        Ok(Encryption::UnknownKey(_)) => Check::pass(resource, "at-rest encryption is on, with a KMS key the input does not show", attr.location()),
                        Ok(Encryption::AwsManaged) => Check::pass(
                            resource,
                            "the replication group encrypts data at rest with the default service-managed key",
                            attr.location(),
                        ),
                        Ok(Encryption::CustomerManaged(key)) => Check::pass(
                            resource,
                            format!("the replication group encrypts data at rest with the customer managed key {key}"),
                            attr.location(),
                        ),
                        Err(unknown) => unknown,
                    };
                    checks.push(check);
                }
                ResourceKind::ElastiCacheCluster(cluster) => {
                    let check = match &cluster.replication_group {
                        Some(group) => in_replication_group(model, resource, group, "at-rest encryption"),
                        None => Check::fail(
                            resource,
                            "a standalone cache cluster cannot encrypt data at rest; use a replication group or a serverless cache",
                            &resource.location,
                        ),
                    };
                    checks.push(check);
                }
                _ => {}
            }
        }
        checks
    }
}
