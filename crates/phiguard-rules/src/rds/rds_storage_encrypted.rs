//! RDS-001: RDS DB instances and clusters encrypt their storage.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::rds::{databases, on_cluster, replica_note};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsStorageEncrypted;

static META: RuleMeta = RuleMeta {
    id: "RDS-001",
    name: "rds-storage-encrypted",
    severity: Severity::High,
    citations: &[ENCRYPTION_AT_REST],
    summary: "RDS DB instances and Aurora clusters encrypt their storage",
    docs: RuleDocs {
        what: "Checks that every RDS DB instance and DB cluster (Aurora or Multi-AZ) has storage encryption \
enabled, with any KMS key. An instance of a cluster is not applicable: the cluster holds the setting. A read \
replica takes its source's encryption unless it names its own KMS key, and the rule follows the source when \
the input declares it. Storage encryption is off unless `storage_encrypted` (Terraform) or `StorageEncrypted` \
(CloudFormation) is true; Aurora Serverless v1 clusters are always encrypted.",
        why: "Storage encryption covers the database volumes, automated backups, snapshots, read replicas and \
logs. Without it, anyone who obtains a snapshot or a copy of the underlying storage reads ePHI in clear text, \
and an unencrypted snapshot shared with another account discloses it there.",
        fix: "Set `storage_encrypted = true` (CloudFormation: `StorageEncrypted: true`), preferably with a \
customer managed KMS key in `kms_key_id`. RDS cannot encrypt an existing instance or cluster in place: take a \
snapshot, copy the snapshot with encryption enabled, restore a new instance or cluster from the encrypted copy, \
and move clients to it. Replicas of an unencrypted source cannot be encrypted either; recreate them from the \
encrypted source.",
        limitations: "An instance or cluster restored from a snapshot keeps the snapshot's encryption, which \
the input does not show, so the rule reports it as unknown (a cluster restored with a KMS key named is \
encrypted with that key). A read replica or a point-in-time restore whose source is not in the same input is \
unknown too. A secondary cluster of an Aurora global database is read from its own settings.",
        terraform_fail: include_str!("../../fixtures/RDS-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-001/pass.yaml"),
    },
};

impl Rule for RdsStorageEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| {
                if let Some(cluster) = database.cluster() {
                    return on_cluster(model, resource, cluster, "storage encryption");
                }
                let attr = database.encryption();
                let encryption = match Check::read(resource, attr, "whether storage is encrypted") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let noun = database.noun();
                let note = replica_note(database);
                match encryption {
                    Encryption::None => Check::fail(
                        resource,
                        format!(
                            "the {noun}'s storage is not encrypted{note}; RDS cannot encrypt it in place, so snapshot it, \
copy the snapshot with encryption and restore from the copy"
                        ),
                        attr.location(),
                    ),
                    Encryption::UnknownKey(_) => Check::pass(resource, "storage encryption is on, with a KMS key the input does not show", attr.location()),
                    Encryption::AwsManaged => Check::pass(
                        resource,
                        format!("the {noun}'s storage is encrypted with the AWS managed key aws/rds{note}"),
                        attr.location(),
                    ),
                    Encryption::CustomerManaged(key) => Check::pass(
                        resource,
                        format!("the {noun}'s storage is encrypted with the customer managed key {key}{note}"),
                        attr.location(),
                    ),
                }
            })
            .collect()
    }
}
