//! Rules for ElastiCache replication groups and cache clusters.
//!
//! A cache cluster that is a member of a replication group takes its
//! encryption and backup settings from the group, so rules report the group
//! and mark the member not applicable.

mod elasticache_at_rest_encryption;
mod elasticache_in_transit_encryption;
mod elasticache_snapshot_retention;

use phiguard_model::{Model, Resource};

use crate::{Check, Rule};

pub(crate) const RULES: &[&dyn Rule] = &[
    &elasticache_at_rest_encryption::ElastiCacheAtRestEncryption,
    &elasticache_in_transit_encryption::ElastiCacheInTransitEncryption,
    &elasticache_snapshot_retention::ElastiCacheSnapshotRetention,
];

/// Returns the not-applicable check for a cache cluster that belongs to a
/// replication group, whose `setting` the group holds.
fn in_replication_group<'m>(model: &Model, resource: &'m Resource, group: &str, setting: &str) -> Check<'m> {
    let reported = if model.find(group).is_some() {
        "the group's finding reports it"
    } else {
        "the group is not in this input, so it is not checked here"
    };
    Check::not_applicable(
        resource,
        format!("the cache cluster belongs to the replication group {group}, which holds its {setting}; {reported}"),
    )
}
