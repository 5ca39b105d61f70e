//! EC-002: ElastiCache requires TLS between clients and nodes.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY};
use crate::elasticache::in_replication_group;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ElastiCacheInTransitEncryption;

static META: RuleMeta = RuleMeta {
    id: "EC-002",
    name: "elasticache-in-transit-encryption",
    severity: Severity::High,
    citations: &[TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION],
    summary: "ElastiCache replication groups and cache clusters require in-transit encryption",
    docs: RuleDocs {
        what: "Checks that each ElastiCache replication group and standalone cache cluster sets \
`transit_encryption_enabled` (CloudFormation: `TransitEncryptionEnabled`) to true; the default is false. A \
replication group whose `transit_encryption_mode` (CloudFormation: `TransitEncryptionMode`) is `preferred` \
fails too, because that mode still accepts unencrypted connections. A cache cluster that is a member of a \
replication group is not applicable because the group holds the setting.",
        why: "Without in-transit encryption, commands, cached records and the AUTH token cross the network in \
clear text, between clients and nodes and between primary and replicas. Anyone with access to the VPC \
traffic, through a compromised host or a traffic mirroring session, reads ePHI. The ElastiCache API reference \
for CreateReplicationGroup states that HIPAA compliance needs in-transit encryption, an AUTH token and a \
cache subnet group.",
        fix: "Set `transit_encryption_enabled = true` (CloudFormation: `TransitEncryptionEnabled: true`), \
and require authentication with an AUTH token or RBAC user groups. For most engine versions the setting can \
only be chosen when the group or cluster is created: create a new one from a backup and move clients over. \
Replication groups on Valkey, or on Redis OSS 7.0 and later, can turn it on in place: set the mode to \
`preferred`, move every client to TLS, then set it to `required`.",
        limitations: "The rule does not check that an AUTH token or RBAC user group is set, nor that \
clients verify the server certificate. ElastiCache Serverless caches, which always encrypt in transit, are \
not read.",
        terraform_fail: include_str!("../../fixtures/EC-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EC-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EC-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EC-002/pass.yaml"),
    },
};

impl Rule for ElastiCacheInTransitEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let mut checks = Vec::new();
        for resource in &model.resources {
            let check = match &resource.kind {
                ResourceKind::ElastiCacheReplicationGroup(group) => {
                    let attr = &group.transit_encryption;
                    match Check::read(resource, attr, "whether the replication group encrypts traffic") {
                        Ok(false) => Check::fail(
                            resource,
                            "in-transit encryption is off, so clients and replicas exchange data in clear text",
                            attr.location(),
                        ),
                        Ok(true) => {
                            let mode_attr = &group.transit_encryption_mode;
                            match Check::read(resource, mode_attr, "which in-transit encryption mode is set") {
                                Ok(Some(mode)) if mode == "preferred" => Check::fail(
                                    resource,
                                    "in-transit encryption is in `preferred` mode, which still accepts unencrypted connections",
                                    mode_attr.location(),
                                ),
                                Ok(_) => Check::pass(resource, "the replication group requires in-transit encryption", attr.location()),
                                Err(unknown) => unknown,
                            }
                        }
                        Err(unknown) => unknown,
                    }
                }
                ResourceKind::ElastiCacheCluster(cluster) => match &cluster.replication_group {
                    Some(group) => in_replication_group(model, resource, group, "in-transit encryption"),
                    None => {
                        let attr = &cluster.transit_encryption;
                        match Check::read(resource, attr, "whether the cache cluster encrypts traffic") {
                            Ok(false) => Check::fail(
                                resource,
                                "in-transit encryption is off, so clients exchange data with the cache cluster in clear text",
                                attr.location(),
                            ),
                            Ok(true) => Check::pass(resource, "the cache cluster encrypts traffic in transit", attr.location()),
                            Err(unknown) => unknown,
                        }
                    }
                },
                _ => continue,
            };
            checks.push(check);
        }
        checks
    }
}
