//! EC2-001: every EBS block device of an instance or launch template is
//! encrypted.

use phiguard_model::{Model, Severity};

use crate::citations::ENCRYPTION_AT_REST;
use crate::ebs::account_encryption_by_default;
use crate::ec2::launchables;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct Ec2BlockDevicesEncrypted;

static META: RuleMeta = RuleMeta {
    id: "EC2-001",
    name: "ec2-block-devices-encrypted",
    severity: Severity::High,
    citations: &[ENCRYPTION_AT_REST],
    summary: "EC2 instances and launch templates encrypt every EBS block device",
    docs: RuleDocs {
        what: "Checks every EBS block device that an instance, launch template or launch configuration \
declares (Terraform `root_block_device`, `ebs_block_device` and `block_device_mappings`; CloudFormation \
`BlockDeviceMappings`) for `encrypted = true`. A resource that declares no root device gets the AMI's root \
device, which counts as unencrypted. An instance created from a launch template in the same input is checked \
with the template's devices where it declares none of its own. The rule passes every device when the input \
turns on EBS encryption by default for the account.",
        why: "The root and data volumes of a server that handles ePHI hold that ePHI: databases, uploaded \
files, caches, logs and swap. An unencrypted volume exposes it in every snapshot and AMI made from the \
instance, and in any copy shared with another account.",
        fix: "Set `encrypted = true` on every block device (in launch templates, `encrypted = \"true\"` inside \
`ebs`), preferably with a customer managed `kms_key_id`, or turn on EBS encryption by default for every \
account and Region. Existing volumes must be replaced from encrypted snapshot copies.",
        limitations: "The AMI's own block device mappings are not visible: a root device left out is \
encrypted only when the AMI's snapshot is encrypted or the account encrypts by default, and the rule fails \
it with a message that names both. A device created from a snapshot without an `encrypted` setting \
inherits the snapshot's encryption and is reported as unknown. Volumes attached as separate resources are \
checked by EBS-001.",
        terraform_fail: include_str!("../../fixtures/EC2-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EC2-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EC2-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EC2-001/pass.yaml"),
    },
};

impl Rule for Ec2BlockDevicesEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let account_default = account_encryption_by_default(model);
        launchables(model)
            .into_iter()
            .map(|target| {
                let resource = target.resource;
                let noun = target.noun();
                let mut unset = Vec::new();
                let mut disabled = Vec::new();
                let mut unknown = Vec::new();
                for device in target.block_devices {
                    match device.encrypted.get() {
                        Ok(true) => {}
                        Ok(false) if device.encrypted.is_default() => unset.push(device),
                        Ok(false) => disabled.push(device),
                        Err(reason) => unknown.push((device, reason)),
                    }
                }
                let failing = !unset.is_empty() || !disabled.is_empty();
                if failing {
                    if let Some(setting) = account_default {
                        return Check::pass(
                            resource,
                            format!("{} turns on EBS encryption by default, so AWS encrypts every block device of the {noun}", setting.address),
                            &resource.location,
                        );
                    }
                }
                if let Some(device) = disabled.first() {
                    let names: Vec<&str> = disabled.iter().map(|device| device.name.as_str()).collect();
                    return Check::fail(
                        resource,
                        format!("the {noun} sets `encrypted` to false on block device {}", names.join(", ")),
                        device.encrypted.location(),
                    );
                }
                if let Some(device) = unset.first() {
                    let names: Vec<&str> = unset.iter().map(|device| device.name.as_str()).collect();
                    return Check::fail(
                        resource,
                        format!(
                            "the {noun} does not set `encrypted` on block device {}, so it is unencrypted unless the AMI's snapshot \
is encrypted or EBS encryption by default is turned on for the account, which the input does not show",
                            names.join(", ")
                        ),
                        device.encrypted.location(),
                    );
                }
                if let Some((device, reason)) = unknown.first() {
                    return Check::unknown(
                        resource,
                        format!("cannot tell whether block device {} of the {noun} is encrypted", device.name),
                        reason.to_string(),
                        device.encrypted.location(),
                    );
                }
                let names: Vec<&str> = target.block_devices.iter().map(|device| device.name.as_str()).collect();
                Check::pass(resource, format!("every block device of the {noun} is encrypted ({})", names.join(", ")), &resource.location)
            })
            .collect()
    }
}
