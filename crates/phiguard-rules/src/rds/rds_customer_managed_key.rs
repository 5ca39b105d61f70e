//! RDS-002: encrypted RDS storage uses a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::rds::{databases, on_cluster, replica_note};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "RDS-002",
    name: "rds-customer-managed-key",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST],
    summary: "Encrypted RDS instances and clusters use a customer managed KMS key",
    docs: RuleDocs {
        what: "Checks that an encrypted RDS DB instance or DB cluster names a customer managed KMS key in \
`kms_key_id` (CloudFormation: `KmsKeyId`). Encryption without a key, or with the `alias/aws/rds` alias, uses \
the AWS managed key `aws/rds` and fails. Unencrypted storage is not applicable here: RDS-001 reports it. An \
instance of a cluster is not applicable because the cluster holds the key.",
        why: "AWS sets the policy of the AWS managed `aws/rds` key and nobody can change it: any principal in \
the account that may use RDS can use the key through RDS, the key cannot be disabled, and snapshots encrypted \
with it cannot be shared with another account. A customer managed key lets the key policy limit who can \
restore and read ePHI, lets a snapshot be shared only with accounts the key policy names, and can be disabled \
to cut off access in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled and set it as `kms_key_id` (CloudFormation: \
`KmsKeyId`). RDS cannot change the key of an existing instance or cluster: copy a snapshot with the new key and \
restore from the copy.",
        limitations: "A key given by alias is taken as customer managed unless the alias starts with `aws/`. \
The rule does not read the key policy or check that the key exists.",
        terraform_fail: include_str!("../../fixtures/RDS-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-002/pass.yaml"),
    },
};

impl Rule for RdsCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        databases(model)
            .map(|(resource, database)| {
                if let Some(cluster) = database.cluster() {
                    return on_cluster(model, resource, cluster, "encryption key");
                }
                let attr = database.encryption();
                let encryption = match Check::read(resource, attr, "which key encrypts the storage") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let noun = database.noun();
                let note = replica_note(database);
                match encryption {
                    Encryption::None => Check::not_applicable(
                        resource,
                        format!("the {noun}'s storage is not encrypted, which RDS-001 reports"),
                    ),
                    Encryption::UnknownKey(reason) => Check::unknown(resource, "cannot tell whether a customer managed key encrypts the storage", reason.clone(), attr.location()),
                    Encryption::AwsManaged => Check::fail(
                        resource,
                        format!("the {noun}'s storage is encrypted with the AWS managed key aws/rds, not a customer managed key{note}"),
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
