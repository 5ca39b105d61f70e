//! EFS-001: EFS file systems are encrypted at rest.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct EfsEncrypted;

static META: RuleMeta = RuleMeta {
    id: "EFS-001",
    name: "efs-encrypted",
    severity: Severity::High,
    citations: &[ENCRYPTION_AT_REST],
    summary: "EFS file systems are encrypted at rest",
    docs: RuleDocs {
        what: "Checks that each EFS file system sets `encrypted = true` (CloudFormation: `Encrypted: true`). \
The EFS API, CloudFormation and the Terraform provider all create an unencrypted file system when the \
setting is left out, so an unset value fails.",
        why: "EFS file systems are shared storage for documents, exports and application data, which in a \
healthcare workload includes ePHI. Encryption at rest protects that data on the underlying storage and in \
backups, and puts access to it under a KMS key policy.",
        fix: "Set `encrypted = true`, preferably with a customer managed KMS key in `kms_key_id`. Encryption \
can only be chosen when the file system is created: create an encrypted file system and copy the data \
over, for example with AWS DataSync.",
        limitations: "Only the AWS console encrypts new file systems by default; the rule reads the setting \
as the API applies it. Encryption in transit depends on how clients mount the file system and on the \
file system policy, which this rule does not check.",
        terraform_fail: include_str!("../../fixtures/EFS-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EFS-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EFS-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EFS-001/pass.yaml"),
    },
};

impl Rule for EfsEncrypted {
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
                let location = file_system.encrypted.location();
                if encrypted {
                    Check::pass(resource, "the file system is encrypted at rest", location)
                } else if file_system.encrypted.is_default() {
                    Check::fail(resource, "`encrypted` is not set, and EFS then creates an unencrypted file system", location)
                } else {
                    Check::fail(resource, "`encrypted` is false, so the file system is not encrypted at rest", location)
                }
            })
            .collect()
    }
}
