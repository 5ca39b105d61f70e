//! Rules for EC2 instances and the launch templates and launch
//! configurations that instances are created from. Each rule checks both,
//! because a template's settings reach every instance launched from it.

mod ec2_block_devices_encrypted;
mod ec2_imdsv2_required;
mod ec2_no_public_ip;

use phiguard_model::services::{BlockDevice, MetadataOptions};
use phiguard_model::{Attr, Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &ec2_block_devices_encrypted::Ec2BlockDevicesEncrypted,
    &ec2_imdsv2_required::Ec2Imdsv2Required,
    &ec2_no_public_ip::Ec2NoPublicIp,
];

/// An instance, launch template or launch configuration, with the settings
/// the EC2 rules read.
pub(crate) struct Launchable<'m> {
    pub resource: &'m Resource,
    pub block_devices: &'m [BlockDevice],
    pub metadata: &'m MetadataOptions,
    pub associate_public_ip: &'m Attr<Option<bool>>,
    pub is_template: bool,
}

/// Returns every instance, launch template and launch configuration.
pub(crate) fn launchables(model: &Model) -> Vec<Launchable<'_>> {
    model
        .resources
        .iter()
        .filter_map(|resource| match &resource.kind {
            ResourceKind::Ec2Instance(instance) => Some(Launchable {
                resource,
                block_devices: &instance.block_devices,
                metadata: &instance.metadata,
                associate_public_ip: &instance.associate_public_ip,
                is_template: false,
            }),
            ResourceKind::LaunchTemplate(template) => Some(Launchable {
                resource,
                block_devices: &template.block_devices,
                metadata: &template.metadata,
                associate_public_ip: &template.associate_public_ip,
                is_template: true,
            }),
            _ => None,
        })
        .collect()
}

impl Launchable<'_> {
    /// "instance" or "launch template", for messages.
    pub fn noun(&self) -> &'static str {
        match (self.is_template, self.resource.resource_type.as_str()) {
            (true, "aws_launch_configuration") => "launch configuration",
            (true, _) => "launch template",
            (false, _) => "instance",
        }
    }
}
