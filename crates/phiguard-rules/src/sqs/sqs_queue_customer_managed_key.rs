//! SQS-002: encrypted SQS queues use a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SqsQueueCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "SQS-002",
    name: "sqs-queue-customer-managed-key",
    severity: Severity::Low,
    citations: &[ENCRYPTION_AT_REST],
    summary: "Encrypted SQS queue uses a customer managed KMS key, not SSE-SQS or alias/aws/sqs",
    docs: RuleDocs {
        what: "Checks that an encrypted queue uses SSE-KMS with a customer managed key. A queue on \
SSE-SQS (set or by default) or on the AWS managed key `alias/aws/sqs` fails. Unencrypted queues \
are not applicable here; SQS-001 reports them.",
        why: "With SSE-SQS or the AWS managed key, anyone allowed to receive messages can read them, and \
no key policy of yours narrows that. SSE-SQS also records no key use in CloudTrail. A customer \
managed key lets the key policy limit who may read ePHI in messages, records each use, and can be \
disabled in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled, allow producers and consumers \
in its key policy, and set it as `kms_master_key_id` or `KmsMasterKeyId`.",
        limitations: "A key named by an ARN or id is taken as customer managed; only the \
`alias/aws/sqs` form is recognized as AWS managed.",
        terraform_fail: include_str!("../../fixtures/SQS-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SQS-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SQS-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SQS-002/pass.yaml"),
    },
};

impl Rule for SqsQueueCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::queues(model)
            .map(|(resource, queue)| {
                let encryption = match Check::read(resource, &queue.encryption, "the queue's KMS key") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = queue.encryption.location();
                match encryption {
                    Encryption::UnknownKey(reason) => Check::unknown(resource, "cannot tell whether a customer managed key encrypts the queue", reason.clone(), location),
                    Encryption::None => Check::not_applicable(resource, "the queue is not encrypted, which SQS-001 reports"),
                    Encryption::AwsManaged if queue.encryption.is_default() => Check::fail(
                        resource,
                        "the queue sets no KMS key, so SQS encrypts it with SSE-SQS by default, not a customer managed key",
                        location,
                    ),
                    Encryption::AwsManaged => Check::fail(
                        resource,
                        "the queue is encrypted with SSE-SQS or the AWS managed key aws/sqs, not a customer managed key",
                        location,
                    ),
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("the queue is encrypted with the customer managed key {key}"), location)
                    }
                }
            })
            .collect()
    }
}
