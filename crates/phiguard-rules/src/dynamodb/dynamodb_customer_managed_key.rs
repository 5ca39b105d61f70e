//! DDB-001: DynamoDB tables encrypt with a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct DynamoDbCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "DDB-001",
    name: "dynamodb-customer-managed-key",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST],
    summary: "DynamoDB tables encrypt with a customer managed KMS key",
    docs: RuleDocs {
        what: "Checks that each DynamoDB table enables KMS server-side encryption with a customer managed \
key: `server_side_encryption { enabled = true, kms_key_arn = ... }` in Terraform, `SSESpecification` with \
`SSEEnabled: true` and `KMSMasterKeyId` in CloudFormation (per replica in a global table). DynamoDB encrypts \
every table, so the rule never reports a table as unencrypted: a table without KMS encryption uses an AWS \
owned key, and one with KMS encryption but no key uses the AWS managed key `aws/dynamodb`; both fail with a \
message that says which.",
        why: "An AWS owned key is invisible to the account: no key policy limits who may decrypt, and \
CloudTrail records no use of it. The `aws/dynamodb` key is logged, but its policy lets any principal in the \
account that may use DynamoDB decrypt through it and cannot be changed. A customer managed key lets the key \
policy limit who can read ePHI in the table, its backups and its exports, records every use, and can be \
disabled in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled and set it as the table's key \
(`kms_key_arn`, CloudFormation: `KMSMasterKeyId`). DynamoDB switches the key of an existing table in place, \
without downtime.",
        limitations: "For a global table the rule reports the weakest replica. Terraform replicas \
(`replica` blocks) are not read separately; their keys are set per replica. A key given by alias is taken \
as customer managed unless the alias starts with `aws/`.",
        terraform_fail: include_str!("../../fixtures/DDB-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/DDB-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/DDB-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/DDB-001/pass.yaml"),
    },
};

impl Rule for DynamoDbCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::DynamoDbTable(table) => Some(table),
                _ => None,
            })
            .map(|(resource, table)| {
                let attr = &table.encryption;
                let encryption = match Check::read(resource, attr, "which key encrypts the table") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                match encryption {
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("the table is encrypted with the customer managed key {key}"), attr.location())
                    }
                    Encryption::AwsManaged if table.aws_owned_key => Check::fail(
                        resource,
                        "KMS server-side encryption is not enabled, so DynamoDB encrypts the table with an AWS owned key, not a customer managed key",
                        attr.location(),
                    ),
                    Encryption::AwsManaged => Check::fail(
                        resource,
                        "the table is encrypted with the AWS managed key aws/dynamodb, not a customer managed key",
                        attr.location(),
                    ),
                    // DynamoDB has no unencrypted tables; the adapter never
                    // builds this value, but a future input might.
                    Encryption::UnknownKey(reason) => Check::unknown(resource, "cannot tell whether a customer managed key encrypts the table", reason.clone(), attr.location()),
                    Encryption::None => Check::fail(resource, "the table is not encrypted at rest", attr.location()),
                }
            })
            .collect()
    }
}
