//! RDS instances, Aurora clusters and ElastiCache.

use std::collections::BTreeMap;

use crate::attr::Attr;
use crate::services::Encryption;

/// Parameters of an RDS DB parameter group or cluster parameter group, by
/// name, with the group's address or name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ParameterGroup {
    pub name: String,
    pub parameters: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct RdsInstance {
    /// The engine, such as `postgres`, `mysql` or `aurora-postgresql`.
    pub engine: Attr<Option<String>>,
    pub engine_version: Attr<Option<String>>,
    /// The Aurora cluster this instance belongs to. Encryption, backups and
    /// the cluster parameter group of such an instance live on the cluster.
    pub cluster: Option<String>,
    /// The source instance of a read replica, by address when the input
    /// declares it, else by identifier or ARN. A replica inherits the
    /// source's storage encryption, and its data is backed up through the
    /// source.
    pub replica_source: Option<String>,
    pub encryption: Attr<Encryption>,
    pub publicly_accessible: Attr<bool>,
    pub backup_retention_days: Attr<u32>,
    pub multi_az: Attr<bool>,
    pub deletion_protection: Attr<bool>,
    pub log_exports: Attr<Vec<String>>,
    /// The linked parameter group. `None` inside the attribute means the
    /// engine's default parameter group.
    pub parameter_group: Attr<Option<ParameterGroup>>,
}

#[derive(Clone, Debug)]
pub struct RdsCluster {
    pub engine: Attr<Option<String>>,
    pub engine_version: Attr<Option<String>>,
    pub encryption: Attr<Encryption>,
    pub backup_retention_days: Attr<u32>,
    pub deletion_protection: Attr<bool>,
    pub log_exports: Attr<Vec<String>>,
    /// The linked cluster parameter group; `None` means the default group.
    pub parameter_group: Attr<Option<ParameterGroup>>,
}

#[derive(Clone, Debug)]
pub struct ElastiCacheReplicationGroup {
    pub engine: Attr<Option<String>>,
    pub at_rest_encryption: Attr<Encryption>,
    pub transit_encryption: Attr<bool>,
    /// `preferred` accepts unencrypted connections next to TLS ones while
    /// clients migrate; `required` accepts TLS only. `None` when unset, which
    /// with in-transit encryption on means `required`.
    pub transit_encryption_mode: Attr<Option<String>>,
    pub snapshot_retention_days: Attr<u32>,
}

#[derive(Clone, Debug)]
pub struct ElastiCacheCluster {
    pub engine: Attr<Option<String>>,
    /// The replication group this cluster is a member of; its settings then
    /// come from the group.
    pub replication_group: Option<String>,
    pub transit_encryption: Attr<bool>,
    pub snapshot_retention_days: Attr<u32>,
}
