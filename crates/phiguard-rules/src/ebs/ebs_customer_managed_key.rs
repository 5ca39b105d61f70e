//! EBS-002: encrypted EBS volumes use a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACCESS_CONTROL, ENCRYPTION_AT_REST};
use crate::ebs::account_encryption_by_default;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct EbsCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "EBS-002",
    name: "ebs-customer-managed-key",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, ACCESS_CONTROL],
    summary: "Encrypted EBS volumes use a customer managed KMS key",
    docs: RuleDocs {
        what: "Checks that each encrypted EBS volume names a customer managed KMS key in `kms_key_id` \
(CloudFormation: `KmsKeyId`). A volume encrypted without a key, or with the `aws/ebs` alias, uses an AWS \
managed key and fails. Unencrypted volumes are not applicable here: EBS-001 reports them.",
        why: "With the AWS managed `aws/ebs` key, anyone allowed to use EBS in the account can use the key, \
so the key policy adds no control over who reads ePHI in snapshots and volumes. A customer managed key lets \
the key policy limit decryption to the roles that need it, logs every use in CloudTrail, allows sharing \
encrypted snapshots across accounts, and can be disabled in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled and set it as `kms_key_id`. An existing \
volume keeps its key: copy a snapshot of it with the new key and create a new volume from the copy.",
        limitations: "A volume that leaves the key out uses the account's default EBS key, which is `aws/ebs` \
unless the account sets a customer managed default key. The rule cannot see that account setting and \
fails such volumes, naming the default key in the message. A volume encrypted only through the \
account's encryption by default is reported as unknown, because its key is not in the input.",
        terraform_fail: include_str!("../../fixtures/EBS-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EBS-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EBS-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EBS-002/pass.yaml"),
    },
};

impl Rule for EbsCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let account_default = account_encryption_by_default(model);
        model
            .each(|kind| match kind {
                ResourceKind::EbsVolume(volume) => Some(volume),
                _ => None,
            })
            .map(|(resource, volume)| {
                let encrypted = match Check::read(resource, &volume.encrypted, "whether the volume is encrypted") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                if !encrypted {
                    return match account_default {
                        Some(setting) => Check::unknown(
                            resource,
                            "cannot tell which KMS key encrypts the volume",
                            format!("{} encrypts the volume with the account's default EBS key, which the input does not show", setting.address),
                            volume.encrypted.location(),
                        ),
                        None => Check::not_applicable(resource, "the volume is not encrypted, which EBS-001 reports"),
                    };
                }
                let encryption = match Check::read(resource, &volume.encryption, "which KMS key encrypts the volume") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                key_check(resource, encryption, volume.encryption.is_default(), volume.encryption.location(), "volume")
            })
            .collect()
    }
}

/// Checks the key of an encrypted EBS volume or block device. `key_unset`
/// is true when the input names no key, so the account's default EBS key
/// applies. `subject` names the volume or device in messages.
pub(crate) fn key_check<'m>(
    resource: &'m phiguard_model::Resource,
    encryption: &Encryption,
    key_unset: bool,
    location: &phiguard_model::Location,
    subject: &str,
) -> Check<'m> {
    match encryption {
        Encryption::CustomerManaged(key) => Check::pass(resource, format!("the {subject} uses the customer managed key {key}"), location),
        Encryption::AwsManaged if key_unset => Check::fail(
            resource,
            format!("the {subject} names no KMS key, so it uses the account's default EBS key, which is the AWS managed key aws/ebs unless the account sets a customer managed default"),
            location,
        ),
        Encryption::AwsManaged => Check::fail(resource, format!("the {subject} uses the AWS managed key aws/ebs"), location),
        Encryption::UnknownKey(reason) => {
            Check::unknown(resource, format!("cannot tell whether a customer managed key encrypts the {subject}"), reason.clone(), location)
        }
        Encryption::None => Check::not_applicable(resource, format!("the {subject} is not encrypted")),
    }
}
