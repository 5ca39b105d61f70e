//! EBS-001: EBS volumes are encrypted at rest.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::ebs::account_encryption_by_default;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct EbsVolumeEncrypted;

static META: RuleMeta = RuleMeta {
    id: "EBS-001",
    name: "ebs-volume-encrypted",
    severity: Severity::High,
    citations: &[ENCRYPTION_AT_REST],
    summary: "EBS volumes are encrypted at rest",
    docs: RuleDocs {
        what: "Checks that each EBS volume sets `encrypted = true` (CloudFormation: `Encrypted: true`). \
A volume that sets it to false, or leaves it out, fails unless the same input turns on EBS encryption \
by default for the account, in which case AWS encrypts every new volume.",
        why: "An EBS volume attached to a server that processes ePHI holds that ePHI at rest: databases, \
application files, logs and swap. Encryption protects the data in snapshots, in copies shared to other \
accounts and on the underlying storage, and encrypts the traffic between the instance and the volume.",
        fix: "Set `encrypted = true` on the volume, preferably with a customer managed KMS key in \
`kms_key_id`. An existing volume cannot be encrypted in place: snapshot it, copy the snapshot with \
encryption, and create a new volume from the copy. Turning on EBS encryption by default for every \
account and Region covers volumes that templates forget.",
        limitations: "EBS encryption by default is an account and Region setting that a plan or template \
usually does not show. When the volume leaves `encrypted` out and the input does not turn that setting on, \
the rule fails and its message names both possibilities. A volume restored from a snapshot inherits the \
snapshot's encryption, which the input does not show, so it is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/EBS-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EBS-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EBS-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EBS-001/pass.yaml"),
    },
};

impl Rule for EbsVolumeEncrypted {
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
                let location = volume.encrypted.location();
                if encrypted {
                    return Check::pass(resource, "the volume is encrypted", location);
                }
                if let Some(setting) = account_default {
                    return Check::pass(
                        resource,
                        format!("{} turns on EBS encryption by default, so AWS encrypts the volume", setting.address),
                        location,
                    );
                }
                if volume.encrypted.is_default() {
                    Check::fail(
                        resource,
                        "`encrypted` is not set, so the volume is unencrypted unless EBS encryption by default is \
turned on for the account and Region, which the input does not show",
                        location,
                    )
                } else {
                    Check::fail(resource, "`encrypted` is false, so the volume is not encrypted", location)
                }
            })
            .collect()
    }
}
