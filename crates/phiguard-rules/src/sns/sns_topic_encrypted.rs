//! SNS-001: SNS topics are encrypted at rest.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, Severity};

use crate::citations::{ENCRYPTION_AT_REST, TRANSMISSION_ENCRYPTION};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct SnsTopicEncrypted;

static META: RuleMeta = RuleMeta {
    id: "SNS-001",
    name: "sns-topic-encrypted",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, TRANSMISSION_ENCRYPTION],
    summary: "SNS topic has server-side encryption with a KMS key",
    docs: RuleDocs {
        what: "Checks that the topic names a KMS key (`kms_master_key_id` in Terraform, \
`KmsMasterKeyId` in CloudFormation). SNS encrypts a topic's messages at rest only when a key is \
set, so a topic without one is reported as unencrypted. The AWS managed key `alias/aws/sns` passes \
this rule; SNS-002 reports it separately.",
        why: "SNS keeps each message until every subscription has received it, and notifications about \
appointments, lab results or claims can carry ePHI. Server-side encryption keeps those stored \
messages encrypted with a KMS key.",
        fix: "Set `kms_master_key_id` or `KmsMasterKeyId` to a customer managed KMS key (preferred, see \
SNS-002) or to `alias/aws/sns`. Publishers then need `kms:GenerateDataKey*` and `kms:Decrypt` on \
the key.",
        limitations: "Server-side encryption covers message bodies only: topic names, message \
attributes and metadata stay unencrypted. A key given as a parameter without a default is reported \
as unknown.",
        terraform_fail: include_str!("../../fixtures/SNS-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SNS-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SNS-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SNS-001/pass.yaml"),
    },
};

impl Rule for SnsTopicEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::topics(model)
            .map(|(resource, topic)| {
                let encryption = match Check::read(resource, &topic.encryption, "the topic's encryption") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = topic.encryption.location();
                match encryption {
                    Encryption::None => Check::fail(resource, "the topic names no KMS key, so its messages are not encrypted at rest", location),
                    Encryption::UnknownKey(_) => Check::pass(resource, "the topic is encrypted with a KMS key the input does not show", location),
                    Encryption::AwsManaged => Check::pass(resource, "the topic is encrypted with the AWS managed key aws/sns", location),
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("the topic is encrypted with the customer managed key {key}"), location)
                    }
                }
            })
            .collect()
    }
}
