//! EFS-002: encrypted EFS file systems use a customer managed KMS key.

use phiguard_model::services::Encryption;
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACCESS_CONTROL, ENCRYPTION_AT_REST};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct EfsCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "EFS-002",
    name: "efs-customer-managed-key",
    severity: Severity::Medium,
    citations: &[ENCRYPTION_AT_REST, ACCESS_CONTROL],
    summary: "Encrypted EFS file systems use a customer managed KMS key",
    docs: RuleDocs {
        what: "Checks that each encrypted EFS file system names a customer managed KMS key in `kms_key_id` \
(CloudFormation: `KmsKeyId`). Without a key, or with the `aws/elasticfilesystem` alias, EFS uses its AWS \
managed key and the rule fails. Unencrypted file systems are not applicable here: EFS-001 reports them.",
        why: "The AWS managed key's policy allows any principal in the account that can use EFS, so it adds \
no control over who reads ePHI. A customer managed key limits decryption through its key policy, records \
every use in CloudTrail, and can be disabled to cut off access in an incident.",
        fix: "Create a customer managed KMS key with rotation enabled and set it as `kms_key_id`. The key of \
an existing file system cannot change: create a new file system with the key and copy the data over.",
        limitations: "A key given as a variable without a value, or as a data source, is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/EFS-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EFS-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EFS-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EFS-002/pass.yaml"),
    },
};

impl Rule for EfsCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::EfsFileSystem(file_system) => Some(file_system),
                _ => None,
            })
            .map(|(resource, file_system)| {
                let encrypted = match Check::read(resource, &file_system.encrypted, "whether the file system is encrypted") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                if !encrypted {
                    return Check::not_applicable(resource, "the file system is not encrypted, which EFS-001 reports");
                }
                let encryption = match Check::read(resource, &file_system.encryption, "which KMS key encrypts the file system") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = file_system.encryption.location();
                match encryption {
                    Encryption::CustomerManaged(key) => {
                        Check::pass(resource, format!("the file system uses the customer managed key {key}"), location)
                    }
                    Encryption::AwsManaged if file_system.encryption.is_default() => Check::fail(
                        resource,
                        "the file system names no KMS key, so EFS uses the AWS managed key aws/elasticfilesystem",
                        location,
                    ),
                    Encryption::AwsManaged => {
                        Check::fail(resource, "the file system uses the AWS managed key aws/elasticfilesystem", location)
                    }
                    Encryption::UnknownKey(reason) => Check::unknown(resource, "cannot tell whether a customer managed key encrypts the file system", reason.clone(), location),
                    Encryption::None => Check::not_applicable(resource, "the file system is not encrypted, which EFS-001 reports"),
                }
            })
            .collect()
    }
}
