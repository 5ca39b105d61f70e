//! SQS-001: SQS queues are encrypted at rest.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, Severity};

use crate::citations::{ENCRYPTION_AT_REST, TRANSMISSION_ENCRYPTION};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SqsQueueEncrypted;

static META: RuleMeta = RuleMeta {
    id: "SQS-001",
    name: "sqs-queue-encrypted",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, TRANSMISSION_ENCRYPTION],
    summary: "SQS queue has server-side encryption (SSE-SQS or SSE-KMS)",
    docs: RuleDocs {
        what: "Checks that the queue is encrypted at rest, either with a KMS key (`kms_master_key_id`, \
`KmsMasterKeyId`) or with SSE-SQS (`sqs_managed_sse_enabled`, `SqsManagedSseEnabled`). Since October \
2022 SQS enables SSE-SQS on every new queue unless the request turns it off, so a queue that sets \
neither passes, and only a queue that turns SSE-SQS off without a key fails. SQS-002 reports queues \
that do not use a customer managed key.",
        why: "Messages wait in a queue for up to 14 days, and queues between services that process \
claims, orders or patient events carry ePHI in their bodies. Server-side encryption keeps the \
stored messages encrypted.",
        fix: "Remove `sqs_managed_sse_enabled = false` or `SqsManagedSseEnabled: false`, or better, set \
a customer managed KMS key as `kms_master_key_id` or `KmsMasterKeyId`.",
        limitations: "The SSE-SQS default applies to queues created through HTTPS endpoints with \
Signature Version 4, which Terraform and CloudFormation use. Queues created before October 2022 \
keep the encryption they had; a plan that changes such a queue without setting encryption is read \
as encrypted. In a Terraform plan, a `kms_master_key_id` or `sqs_managed_sse_enabled` known only \
after apply, with no reference to a resource, is read as unset, because that is how the provider \
plans arguments the configuration leaves out.",
        terraform_fail: include_str!("../../fixtures/SQS-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SQS-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SQS-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SQS-001/pass.yaml"),
    },
};

impl Rule for SqsQueueEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::queues(model)
            .map(|(resource, queue)| {
                let encryption = match Check::read(resource, &queue.encryption, "the queue's encryption") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = queue.encryption.location();
                match encryption {
                    Encryption::None => Check::fail(
                        resource,
                        "SSE-SQS is turned off and no KMS key is set, so messages are not encrypted at rest",
                        location,
                    ),
                    Encryption::UnknownKey(_) => Check::pass(resource, "the queue is encrypted with a KMS key the input does not show", location),
                    Encryption::AwsManaged if queue.encryption.is_default() => {
                        Check::pass(resource, "the queue sets no encryption and gets SSE-SQS, which SQS enables by default", location)
                    }
                    Encryption::AwsManaged => Check::pass(resource, "the queue is encrypted with SSE-SQS or the AWS managed key aws/sqs", location),
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("the queue is encrypted with the customer managed key {key}"), location)
                    }
                }
            })
            .collect()
    }
}
