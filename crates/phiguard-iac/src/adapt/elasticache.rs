//! ElastiCache replication groups (Valkey and Redis OSS) and cache clusters
//! (Memcached, or single Valkey or Redis OSS nodes).
//!
//! Defaults follow the ElastiCache API: at-rest encryption on for Valkey and
//! off for Redis OSS, in-transit encryption off, no automatic backups
//! (a snapshot retention of 0 days), and `redis` as a replication group's
//! engine.

use phiguard_model::services::{ElastiCacheCluster, ElastiCacheReplicationGroup};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::{encryption_from_key, lowercase, Reader, KMS_KEY_TYPES};
use crate::raw::{RawResource, RawSet};

const REPLICATION_GROUP_TYPES: &[&str] = &["aws_elasticache_replication_group", "AWS::ElastiCache::ReplicationGroup"];
/// Attributes that hold a replication group's id, for links by literal value.
const REPLICATION_GROUP_IDS: &[&str] = &["replication_group_id", "id", "ReplicationGroupId"];

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let reader = Reader::new(set, raw).with_computed_defaults();
    match raw.resource_type.as_str() {
        "aws_elasticache_replication_group" => Some(ResourceKind::ElastiCacheReplicationGroup(replication_group(
            &reader,
            ReplicationGroupKeys {
                engine: "engine",
                at_rest: "at_rest_encryption_enabled",
                kms_key: "kms_key_id",
                transit: "transit_encryption_enabled",
                transit_mode: "transit_encryption_mode",
                snapshot_retention: "snapshot_retention_limit",
            },
        ))),
        "AWS::ElastiCache::ReplicationGroup" => Some(ResourceKind::ElastiCacheReplicationGroup(replication_group(
            &reader,
            ReplicationGroupKeys {
                engine: "Engine",
                at_rest: "AtRestEncryptionEnabled",
                kms_key: "KmsKeyId",
                transit: "TransitEncryptionEnabled",
                transit_mode: "TransitEncryptionMode",
                snapshot_retention: "SnapshotRetentionLimit",
            },
        ))),
        "aws_elasticache_cluster" => Some(ResourceKind::ElastiCacheCluster(ElastiCacheCluster {
            engine: lowercase(reader.string("engine")),
            replication_group: replication_group_of(&reader),
            transit_encryption: reader.bool("transit_encryption_enabled", false),
            snapshot_retention_days: reader.u32("snapshot_retention_limit", 0),
        })),
        // A CloudFormation cache cluster cannot join a replication group.
        "AWS::ElastiCache::CacheCluster" => Some(ResourceKind::ElastiCacheCluster(ElastiCacheCluster {
            engine: lowercase(reader.string("Engine")),
            replication_group: None,
            transit_encryption: reader.bool("TransitEncryptionEnabled", false),
            snapshot_retention_days: reader.u32("SnapshotRetentionLimit", 0),
        })),
        _ => None,
    }
}

struct ReplicationGroupKeys {
    engine: &'static str,
    at_rest: &'static str,
    kms_key: &'static str,
    transit: &'static str,
    transit_mode: &'static str,
    snapshot_retention: &'static str,
}

fn replication_group(reader: &Reader<'_>, keys: ReplicationGroupKeys) -> ElastiCacheReplicationGroup {
    let mut engine = lowercase(reader.string(keys.engine));
    if engine.is_default() {
        engine = Attr::default_value(Some("redis".to_owned()), reader.resource_location());
    }
    // CreateReplicationGroup turns at-rest encryption on by default for
    // Valkey and off for Redis OSS.
    let valkey = engine.known().is_some_and(|name| name.as_deref() == Some("valkey"));
    let at_rest_encryption =
        encryption_from_key(reader.bool(keys.at_rest, valkey), reader.string_or_link(keys.kms_key, KMS_KEY_TYPES));
    ElastiCacheReplicationGroup {
        engine,
        at_rest_encryption,
        transit_encryption: reader.bool(keys.transit, false),
        transit_encryption_mode: lowercase(reader.string(keys.transit_mode)),
        snapshot_retention_days: reader.u32(keys.snapshot_retention, 0),
    }
}

/// Returns the replication group a Terraform cache cluster joins, by
/// address when the input declares it, else by id.
fn replication_group_of(reader: &Reader<'_>) -> Option<String> {
    let path = "replication_group_id";
    if let Some(group) = reader.set.link_target(reader.raw, path, REPLICATION_GROUP_TYPES, REPLICATION_GROUP_IDS) {
        return Some(group.address.clone());
    }
    let value = reader.string(path);
    match value.get() {
        Ok(name) => name.clone(),
        Err(reason) => Some(format!("a replication group given by a value that cannot be read ({reason})")),
    }
}
