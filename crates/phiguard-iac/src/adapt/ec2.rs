//! EC2 instances, launch templates and launch configurations: their EBS
//! block devices, instance metadata service (IMDS) options and public IP
//! setting.
//!
//! An instance created from a launch template in the same input takes the
//! template's block devices, IMDS options and public IP setting wherever the
//! instance leaves them out. CloudFormation's `AWS::EC2::Instance` has no IMDS
//! property at all, so a CloudFormation instance gets IMDS options only from
//! its launch template.

use phiguard_model::services::{BlockDevice, Ec2Instance, Encryption, LaunchTemplate, MetadataOptions};
use phiguard_model::{Attr, Location, Provenance, ResourceKind};

use crate::adapt::ebs::{block_device_encryption, ebs_keys};
use crate::adapt::read::node_at;
use crate::adapt::{nested, Reader};
use crate::node::{Node, NodeKind};
use crate::raw::{RawResource, RawSet};

const TF_TEMPLATE: &[&str] = &["aws_launch_template"];
const CFN_TEMPLATE: &[&str] = &["AWS::EC2::LaunchTemplate"];

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    match raw.resource_type.as_str() {
        "aws_instance" => Some(ResourceKind::Ec2Instance(terraform_instance(set, raw))),
        "aws_launch_template" => Some(ResourceKind::LaunchTemplate(terraform_template(set, raw))),
        "aws_launch_configuration" => Some(ResourceKind::LaunchTemplate(terraform_launch_configuration(set, raw))),
        "AWS::EC2::Instance" => Some(ResourceKind::Ec2Instance(cloudformation_instance(set, raw))),
        "AWS::EC2::LaunchTemplate" => Some(ResourceKind::LaunchTemplate(cloudformation_template(set, raw))),
        _ => None,
    }
}

/// The launch template reference of an instance.
enum TemplateLink {
    /// The instance names no launch template.
    None,
    /// The template is declared in the input.
    Linked(String, Box<LaunchTemplate>),
    /// The instance names a template that the input does not declare; the
    /// string describes it for messages.
    Missing(String),
}

impl TemplateLink {
    /// Returns the address of a template declared in the input.
    fn address(&self) -> Option<String> {
        match self {
            TemplateLink::Linked(address, _) => Some(address.clone()),
            TemplateLink::Missing(_) | TemplateLink::None => None,
        }
    }
}

fn terraform_instance(set: &RawSet, raw: &RawResource) -> Ec2Instance {
    let reader = Reader::new(set, raw);
    let template = match reader.node("launch_template") {
        None => TemplateLink::None,
        Some(_) if Reader::new(set, raw).computed_by_provider("launch_template") => TemplateLink::None,
        Some(_) => {
            let target = set
                .link_target(raw, "launch_template.id", TF_TEMPLATE, &["id"])
                .or_else(|| set.link_target(raw, "launch_template.name", TF_TEMPLATE, &["name"]));
            match target {
                Some(target) => TemplateLink::Linked(target.address.clone(), Box::new(terraform_template(set, target))),
                None => TemplateLink::Missing(describe_template(reader.node("launch_template"), &["id", "name"])),
            }
        }
    };

    let mut own_devices = Vec::new();
    let has_root = push_devices(set, raw, "root_block_device", None, None, &mut own_devices);
    push_devices(set, raw, "ebs_block_device", None, Some("device_name"), &mut own_devices);
    let block_devices = with_root(own_devices, has_root, &template, &reader.resource_location());

    Ec2Instance {
        block_devices,
        metadata: inherit_metadata(metadata(&reader, "metadata_options", "http_tokens", "http_endpoint"), &template),
        associate_public_ip: inherit_public_ip(optional_bool(&reader, "associate_public_ip_address"), &template),
        launch_template: template.address(),
    }
}

fn terraform_template(set: &RawSet, raw: &RawResource) -> LaunchTemplate {
    let reader = Reader::new(set, raw);
    let mut block_devices = Vec::new();
    let declared = push_devices(set, raw, "block_device_mappings", Some("ebs"), Some("device_name"), &mut block_devices);
    if !declared {
        block_devices.push(ami_root_device(&reader.resource_location()));
    }
    LaunchTemplate {
        block_devices,
        metadata: metadata(&reader, "metadata_options", "http_tokens", "http_endpoint"),
        associate_public_ip: interfaces_public_ip(&reader, "network_interfaces", "associate_public_ip_address"),
    }
}

/// Builds the model of a launch configuration, which has the same settings
/// as an instance and is modeled as a launch template.
fn terraform_launch_configuration(set: &RawSet, raw: &RawResource) -> LaunchTemplate {
    let reader = Reader::new(set, raw);
    let mut block_devices = Vec::new();
    let has_root = push_devices(set, raw, "root_block_device", None, None, &mut block_devices);
    push_devices(set, raw, "ebs_block_device", None, Some("device_name"), &mut block_devices);
    if !has_root {
        block_devices.insert(0, ami_root_device(&reader.resource_location()));
    }
    LaunchTemplate {
        block_devices,
        metadata: metadata(&reader, "metadata_options", "http_tokens", "http_endpoint"),
        associate_public_ip: optional_bool(&reader, "associate_public_ip_address"),
    }
}

fn cloudformation_instance(set: &RawSet, raw: &RawResource) -> Ec2Instance {
    let reader = Reader::new(set, raw);
    let template = match reader.node("LaunchTemplate") {
        None => TemplateLink::None,
        Some(node) => {
            let target = set
                .links(raw, "LaunchTemplate")
                .into_iter()
                .filter_map(|address| set.get(&address))
                .find(|target| CFN_TEMPLATE.contains(&target.resource_type.as_str()));
            match target {
                Some(target) => TemplateLink::Linked(target.address.clone(), Box::new(cloudformation_template(set, target))),
                None => TemplateLink::Missing(describe_template(Some(node), &["LaunchTemplateId", "LaunchTemplateName"])),
            }
        }
    };

    let mut own_devices = Vec::new();
    let declared = push_devices(set, raw, "BlockDeviceMappings", Some("Ebs"), Some("DeviceName"), &mut own_devices);
    // The mappings may or may not include the AMI's root device; without any
    // mapping the root device is the AMI's.
    let block_devices = with_root(own_devices, declared, &template, &reader.resource_location());

    // `AWS::EC2::Instance` has no IMDS property: without a launch template
    // the instance uses the AMI's or the account's default.
    let unset = MetadataOptions {
        http_tokens: Attr::default_value(None, reader.resource_location()),
        http_endpoint: Attr::default_value(None, reader.resource_location()),
    };
    Ec2Instance {
        block_devices,
        metadata: inherit_metadata(unset, &template),
        associate_public_ip: inherit_public_ip(
            interfaces_public_ip(&reader, "NetworkInterfaces", "AssociatePublicIpAddress"),
            &template,
        ),
        launch_template: template.address(),
    }
}

fn cloudformation_template(set: &RawSet, raw: &RawResource) -> LaunchTemplate {
    let reader = Reader::new(set, raw);
    let mut block_devices = Vec::new();
    let declared =
        push_devices(set, raw, "LaunchTemplateData.BlockDeviceMappings", Some("Ebs"), Some("DeviceName"), &mut block_devices);
    if !declared {
        block_devices.push(ami_root_device(&reader.resource_location()));
    }
    LaunchTemplate {
        block_devices,
        metadata: metadata(&reader, "LaunchTemplateData.MetadataOptions", "HttpTokens", "HttpEndpoint"),
        associate_public_ip: interfaces_public_ip(
            &reader,
            "LaunchTemplateData.NetworkInterfaces",
            "AssociatePublicIpAddress",
        ),
    }
}

/// Returns the value at a dot-separated path without taking the first element
/// of the last step, so that a block list stays a list.
fn list_at<'a>(raw: &'a RawResource, path: &str) -> Option<&'a Node> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (node_at(&raw.props, parent)?, key),
        None => (&raw.props, path),
    };
    parent.present(key)
}

/// Appends the EBS devices of the block list at `list_path`, and returns
/// whether the input declares the list (an unknown list counts as declared
/// and adds one device of unknown encryption). `ebs_key` names the nested
/// EBS block, when the list mixes EBS and other devices. Devices without a
/// name from `name_key` are called `root`.
fn push_devices(
    set: &RawSet,
    raw: &RawResource,
    list_path: &str,
    ebs_key: Option<&str>,
    name_key: Option<&str>,
    devices: &mut Vec<BlockDevice>,
) -> bool {
    let Some(list) = list_at(raw, list_path) else { return false };
    // A computed list that the configuration leaves out contains the AMI's
    // devices, as when the list is absent.
    if Reader::new(set, raw).computed_by_provider(list_path) {
        return false;
    }
    let keys = ebs_keys(set.dialect);
    let location = raw.location_of(list);
    if let NodeKind::Unknown(reason) = &list.kind {
        let reason = format!("`{list_path}` is {reason}");
        devices.push(BlockDevice {
            name: list_path.to_owned(),
            encrypted: Attr::unknown(reason.clone(), location.clone()),
            encryption: Attr::unknown(reason, location),
        });
        return true;
    }
    let items: Vec<&Node> = match &list.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Map(_) => vec![list],
        _ => Vec::new(),
    };
    if items.is_empty() {
        return false;
    }
    for item in items {
        let name = name_key
            .and_then(|key| item.get(key))
            .and_then(Node::as_str)
            .unwrap_or("root")
            .to_owned();
        let prefix = match ebs_key {
            Some(key) => match item.get(key) {
                None => continue,
                Some(ebs) if ebs.is_null() || matches!(&ebs.kind, NodeKind::Seq(items) if items.is_empty()) => continue,
                Some(ebs) => {
                    if let NodeKind::Unknown(reason) = &ebs.kind {
                        let reason = format!("the EBS settings of {name} are {reason}");
                        let location = raw.location_of(ebs);
                        devices.push(BlockDevice {
                            name,
                            encrypted: Attr::unknown(reason.clone(), location.clone()),
                            encryption: Attr::unknown(reason, location),
                        });
                        continue;
                    }
                    format!("{key}.")
                }
            },
            None => String::new(),
        };
        let element = nested(raw, item, list_path);
        let reader = Reader::new(set, &element);
        let (encrypted, encryption) = block_device_encryption(
            &reader,
            &format!("{prefix}{}", keys.encrypted),
            &format!("{prefix}{}", keys.kms_key),
            &format!("{prefix}{}", keys.snapshot),
        );
        devices.push(BlockDevice { name, encrypted, encryption });
    }
    true
}

/// Builds the root device that an instance gets from its AMI when the input
/// declares none. It is encrypted only when the AMI's snapshot is encrypted
/// or the account turns on EBS encryption by default. The input shows
/// neither, so the documented default (unencrypted) applies.
fn ami_root_device(location: &Location) -> BlockDevice {
    BlockDevice {
        name: "root".to_owned(),
        encrypted: Attr::default_value(false, location.clone()),
        encryption: Attr::default_value(Encryption::None, location.clone()),
    }
}

/// Completes an instance's devices: without a root device of its own, the
/// instance takes its launch template's devices, or the AMI's root device.
fn with_root(mut own: Vec<BlockDevice>, has_root: bool, template: &TemplateLink, location: &Location) -> Vec<BlockDevice> {
    if has_root {
        return own;
    }
    match template {
        TemplateLink::Linked(_, template) => {
            let mut devices = template.block_devices.clone();
            devices.append(&mut own);
            devices
        }
        TemplateLink::Missing(name) => {
            let reason = format!("the root device comes from launch template {name}, which the input does not declare");
            own.insert(
                0,
                BlockDevice {
                    name: "root".to_owned(),
                    encrypted: Attr::unknown(reason.clone(), location.clone()),
                    encryption: Attr::unknown(reason, location.clone()),
                },
            );
            own
        }
        TemplateLink::None => {
            own.insert(0, ami_root_device(location));
            own
        }
    }
}

/// Reads the IMDS options block at `path`. An unknown block makes both
/// options unknown. An absent block, or one that a plan computes because the
/// configuration leaves it out, leaves both unset (default provenance).
fn metadata(reader: &Reader<'_>, path: &str, tokens_key: &str, endpoint_key: &str) -> MetadataOptions {
    if reader.computed_by_provider(path) {
        let location = reader.resource_location();
        return MetadataOptions {
            http_tokens: Attr::default_value(None, location.clone()),
            http_endpoint: Attr::default_value(None, location),
        };
    }
    if let Some(node) = reader.node(path) {
        if let NodeKind::Unknown(reason) = &node.kind {
            let reason = format!("`{path}` is {reason}");
            return MetadataOptions {
                http_tokens: Attr::unknown(reason.clone(), reader.location(node)),
                http_endpoint: Attr::unknown(reason, reader.location(node)),
            };
        }
    }
    MetadataOptions {
        http_tokens: reader.string(&format!("{path}.{tokens_key}")),
        http_endpoint: reader.string(&format!("{path}.{endpoint_key}")),
    }
}

/// Takes the launch template's IMDS options where the instance does not set
/// them. A plan shows an instance's unset `metadata_options` as known only
/// after apply, so an unknown value also yields to a declared template.
fn inherit_metadata(own: MetadataOptions, template: &TemplateLink) -> MetadataOptions {
    let set_by_instance = matches!(own.http_tokens.known(), Some(Some(_))) || matches!(own.http_endpoint.known(), Some(Some(_)));
    if set_by_instance {
        return own;
    }
    match template {
        TemplateLink::Linked(_, template) => template.metadata.clone(),
        TemplateLink::Missing(name) => {
            let reason = format!("the IMDS options come from launch template {name}, which the input does not declare");
            let location = own.http_tokens.location().clone();
            MetadataOptions {
                http_tokens: Attr::unknown(reason.clone(), location.clone()),
                http_endpoint: Attr::unknown(reason, location),
            }
        }
        TemplateLink::None => own,
    }
}

fn inherit_public_ip(own: Attr<Option<bool>>, template: &TemplateLink) -> Attr<Option<bool>> {
    if own.is_explicit() {
        return own;
    }
    match template {
        TemplateLink::Linked(_, template) if !matches!(template.associate_public_ip.provenance(), Provenance::Default) => {
            template.associate_public_ip.clone()
        }
        TemplateLink::Missing(name) if own.is_default() => Attr::unknown(
            format!("the public IP setting may come from launch template {name}, which the input does not declare"),
            own.location().clone(),
        ),
        _ => own,
    }
}

/// Reads an optional boolean: `None` with default provenance when absent or
/// computed because the configuration leaves it out.
fn optional_bool(reader: &Reader<'_>, path: &str) -> Attr<Option<bool>> {
    if reader.computed_by_provider(path) {
        return Attr::default_value(None, reader.resource_location());
    }
    match reader.node(path) {
        None => Attr::default_value(None, reader.resource_location()),
        Some(_) => reader.bool(path, false).map(Some),
    }
}

/// Reads the public IP setting of a list of network interfaces: true when
/// any interface sets it, false when one sets false and none sets true, and
/// unset (default provenance) when none sets it. Terraform's launch template
/// schema stores the value as the string `"true"` or `"false"`.
fn interfaces_public_ip(reader: &Reader<'_>, list_path: &str, key: &str) -> Attr<Option<bool>> {
    let Some(list) = list_at(reader.raw, list_path) else {
        return Attr::default_value(None, reader.resource_location());
    };
    if let NodeKind::Unknown(reason) = &list.kind {
        return Attr::unknown(format!("`{list_path}` is {reason}"), reader.location(list));
    }
    let items: Vec<&Node> = match &list.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Map(_) => vec![list],
        _ => Vec::new(),
    };
    let mut result = Attr::default_value(None, reader.resource_location());
    for item in items {
        let Some(value) = item.present(key) else { continue };
        if let NodeKind::Unknown(reason) = &value.kind {
            return Attr::unknown(format!("`{list_path}.{key}` is {reason}"), reader.location(value));
        }
        match value.as_bool() {
            Some(true) => return Attr::explicit(Some(true), reader.location(value)),
            Some(false) => result = Attr::explicit(Some(false), reader.location(value)),
            // The Terraform launch template schema writes an unset value as "".
            None if value.as_str() == Some("") => {}
            None => {
                return Attr::unknown(
                    format!("`{list_path}.{key}` is a {}, expected a boolean", value.type_name()),
                    reader.location(value),
                )
            }
        }
    }
    result
}

/// Describes a launch template reference that the input does not resolve,
/// for messages: its literal id or name when the input gives one.
fn describe_template(block: Option<&Node>, keys: &[&str]) -> String {
    let block = block.and_then(|node| match &node.kind {
        NodeKind::Seq(items) => items.first(),
        _ => Some(node),
    });
    keys.iter()
        .filter_map(|key| block.and_then(|node| node.get(key)).and_then(Node::as_str))
        .find(|text| !text.is_empty())
        .map(|text| format!("`{text}`"))
        .unwrap_or_else(|| "(its id is not known from the input)".to_owned())
}
