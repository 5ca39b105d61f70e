//! Service adapters: turn raw resources into the typed model.
//!
//! One module per service. Each exposes `adapt(set, raw) -> Option<ResourceKind>`
//! and returns `None` for types it does not handle; [`adapt`] asks each in
//! turn, and a resource that no module types becomes `ResourceKind::Other`.
//! An adapter links resources that the input keeps apart (a bucket's
//! encryption resource to its bucket) and fills in documented defaults.

pub mod policy;
pub mod read;
mod account;
mod backup;
mod cloudtrail;
mod config;
mod dynamodb;
mod ebs;
mod ec2;
mod efs;
mod elasticache;
mod elb;
mod extra_reads;
mod guardduty;
mod iam;
mod kms;
mod logs;
mod network;
mod rds;
mod s3;
mod sns;
mod sqs;

use phiguard_model::services::Encryption;
use phiguard_model::{Attr, Resource, ResourceKind};

use crate::raw::{RawResource, RawSet};
pub use read::Reader;

type AdaptFn = fn(&RawSet, &RawResource) -> Option<ResourceKind>;

/// The service adapters, in the order they are asked.
const ADAPTERS: &[AdaptFn] = &[
    s3::adapt,
    rds::adapt,
    dynamodb::adapt,
    ebs::adapt,
    ec2::adapt,
    efs::adapt,
    elasticache::adapt,
    elb::adapt,
    network::adapt,
    cloudtrail::adapt,
    config::adapt,
    guardduty::adapt,
    logs::adapt,
    kms::adapt,
    sns::adapt,
    sqs::adapt,
    backup::adapt,
    iam::adapt,
    account::adapt,
];

/// Builds the model resources of one raw set, in input order.
pub fn adapt(set: &RawSet) -> Vec<Resource> {
    set.resources
        .iter()
        .map(|raw| {
            let kind = ADAPTERS.iter().find_map(|adapter| adapter(set, raw)).unwrap_or(ResourceKind::Other);
            let mut resource = Resource::new(raw.address.clone(), raw.resource_type.clone(), raw.location.clone(), kind);
            resource.tags = Reader::new(set, raw).tags();
            resource.properties_unknown = raw.props.unknown_reason().map(|reason| format!("the resource's properties are {reason}"));
            // The adapter has asked for this resource's children by now, so
            // an uncertain child is already recorded.
            resource.conditional = match &raw.existence {
                Some(reason) => Some(format!("the resource may not be created: {reason}")),
                None => set.uncertain_parent(&raw.address),
            };
            resource
        })
        .collect()
}

/// KMS key resource types, for [`Reader::string_or_link`].
pub const KMS_KEY_TYPES: &[&str] = &["aws_kms_key", "aws_kms_replica_key", "AWS::KMS::Key", "AWS::KMS::ReplicaKey"];

/// Builds the encryption attribute from an "encrypted" flag and an optional
/// KMS key: no flag is no encryption, no key or an `aws/<service>` alias is
/// an AWS managed key, anything else a customer managed key. The result's
/// provenance and location follow the key when it is set, else the flag.
pub fn encryption_from_key(enabled: Attr<bool>, key: Attr<Option<String>>) -> Attr<Encryption> {
    let enabled_value = match enabled.get() {
        Ok(value) => *value,
        Err(reason) => return Attr::unknown(reason.to_owned(), enabled.location().clone()),
    };
    if !enabled_value {
        return enabled.map(|_| Encryption::None);
    }
    let key_value = match key.get() {
        Ok(value) => value.clone(),
        // Encryption is on whatever the key turns out to be, so only the
        // key's kind is unknown.
        Err(reason) => return Attr::explicit(Encryption::UnknownKey(format!("the KMS key is unknown: {reason}")), key.location().clone()),
    };
    match key_value {
        Some(id) if !is_aws_managed_key(&id) => key.map(|_| Encryption::CustomerManaged(id)),
        Some(_) => key.map(|_| Encryption::AwsManaged),
        None => enabled.map(|_| Encryption::AwsManaged),
    }
}

/// True for `aws/<service>` aliases, which name AWS managed keys.
pub fn is_aws_managed_key(key: &str) -> bool {
    key.starts_with("alias/aws/") || key.contains(":alias/aws/")
}

/// Builds a raw resource whose properties are `node`, one element of a
/// nested block list of `raw` found under `prefix`, so that a [`Reader`] can
/// read the element with paths relative to it. Terraform references under
/// `prefix` keep their paths without it. The references of all elements of
/// one list share a path, so a reference links every element that leaves
/// the attribute unknown.
pub(crate) fn nested(raw: &RawResource, node: &crate::node::Node, prefix: &str) -> RawResource {
    let start = format!("{prefix}.");
    let references = raw
        .references
        .iter()
        .filter_map(|(path, targets)| path.strip_prefix(&start).map(|rest| (rest.to_owned(), targets.clone())))
        .collect();
    let configured = raw.configured.as_ref().map(|paths| {
        paths.iter().filter_map(|path| path.strip_prefix(&start).map(str::to_owned)).collect()
    });
    RawResource {
        address: raw.address.clone(),
        resource_type: raw.resource_type.clone(),
        props: node.clone(),
        location: raw.location.clone(),
        references,
        configured,
        existence: raw.existence.clone(),
    }
}

/// Lowercases a string attribute. CloudFormation accepts engine names in
/// any case (`MySQL`), and rules compare lowercase names.
pub(crate) fn lowercase(value: Attr<Option<String>>) -> Attr<Option<String>> {
    value.map(|text| text.map(|text| text.to_ascii_lowercase()))
}
