//! SNS-002: encrypted SNS topics use a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SnsTopicCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "SNS-002",
    name: "sns-topic-customer-managed-key",
    severity: Severity::Low,
    citations: &[ENCRYPTION_AT_REST],
    summary: "Encrypted SNS topic uses a customer managed KMS key, not alias/aws/sns",
    docs: RuleDocs {
        what: "Checks that an encrypted topic's KMS key is a customer managed key. A topic encrypted \
with the AWS managed key `alias/aws/sns` fails. Unencrypted topics are not applicable here; \
SNS-001 reports them.",
        why: "The policy of the AWS managed key cannot be changed, so anyone allowed to use SNS in the \
account can have messages decrypted, and other AWS services and accounts cannot be granted use of \
it. A customer managed key lets the key policy limit who may read ePHI in notifications and lets \
the key be disabled in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled, allow the publishing services \
in its key policy, and set it as `kms_master_key_id` or `KmsMasterKeyId`.",
        limitations: "A key named by an ARN or id is taken as customer managed; the rule cannot tell \
whether such an ARN points at an AWS managed key. Only the `alias/aws/sns` form is recognized as AWS \
managed.",
        terraform_fail: include_str!("../../fixtures/SNS-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SNS-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SNS-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SNS-002/pass.yaml"),
    },
};

impl Rule for SnsTopicCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::topics(model)
            .map(|(resource, topic)| {
                let encryption = match Check::read(resource, &topic.encryption, "the topic's KMS key") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = topic.encryption.location();
                match encryption {
                    Encryption::UnknownKey(reason) => Check::unknown(resource, "cannot tell whether a customer managed key encrypts the topic", reason.clone(), location),
                    Encryption::None => Check::not_applicable(resource, "the topic is not encrypted, which SNS-001 reports"),
                    Encryption::AwsManaged => {
                        Check::fail(resource, "the topic is encrypted with the AWS managed key aws/sns, not a customer managed key", location)
                    }
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("the topic is encrypted with the customer managed key {key}"), location)
                    }
                }
            })
            .collect()
    }
}
