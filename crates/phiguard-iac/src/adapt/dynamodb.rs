//! DynamoDB tables: Terraform `aws_dynamodb_table`, CloudFormation
//! `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`.
//!
//! DynamoDB encrypts every table at rest. Without server-side encryption
//! set to KMS it uses an AWS owned key; with KMS and no key given, the AWS
//! managed `aws/dynamodb` key. Point-in-time recovery is off by default.

use phiguard_model::services::{DynamoDbTable, Encryption};
use phiguard_model::{Attr, Location, ResourceKind};

use crate::adapt::{is_aws_managed_key, Reader, KMS_KEY_TYPES};
use crate::node::{Node, NodeKind};
use crate::raw::{RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let reader = Reader::new(set, raw).with_computed_defaults();
    let table = match raw.resource_type.as_str() {
        "aws_dynamodb_table" => table(
            reader.bool("server_side_encryption.enabled", false),
            reader.string_or_link("server_side_encryption.kms_key_arn", KMS_KEY_TYPES),
            reader.bool("point_in_time_recovery.enabled", false),
        ),
        "AWS::DynamoDB::Table" => table(
            reader.bool("SSESpecification.SSEEnabled", false),
            reader.string_or_link("SSESpecification.KMSMasterKeyId", KMS_KEY_TYPES),
            reader.bool("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", false),
        ),
        "AWS::DynamoDB::GlobalTable" => global_table(&reader),
        _ => return None,
    };
    Some(ResourceKind::DynamoDbTable(table))
}

/// Builds a table from its server-side encryption flag, KMS key and
/// point-in-time recovery flag.
fn table(kms_enabled: Attr<bool>, key: Attr<Option<String>>, point_in_time_recovery: Attr<bool>) -> DynamoDbTable {
    let (encryption, aws_owned_key) = encryption(kms_enabled, key);
    DynamoDbTable { encryption, aws_owned_key, point_in_time_recovery }
}

fn encryption(kms_enabled: Attr<bool>, key: Attr<Option<String>>) -> (Attr<Encryption>, bool) {
    match kms_enabled.get() {
        Err(reason) => (Attr::unknown(reason.to_owned(), kms_enabled.location().clone()), false),
        Ok(false) => (kms_enabled.map(|_| Encryption::AwsManaged), true),
        Ok(true) => match key.get() {
            // KMS encryption is on, so only the key's kind is unknown.
            Err(reason) => (Attr::explicit(Encryption::UnknownKey(format!("the KMS key is unknown: {reason}")), key.location().clone()), false),
            Ok(Some(id)) if !is_aws_managed_key(id) => {
                let id = id.clone();
                (key.map(|_| Encryption::CustomerManaged(id)), false)
            }
            Ok(Some(_)) => (key.map(|_| Encryption::AwsManaged), false),
            Ok(None) => (kms_enabled.map(|_| Encryption::AwsManaged), false),
        },
    }
}

/// Builds the model of a global table, which sets server-side encryption
/// once and the KMS key and point-in-time recovery per replica. The model
/// keeps one value for the table, the weakest replica's.
fn global_table(reader: &Reader<'_>) -> DynamoDbTable {
    let kms_enabled = reader.bool("SSESpecification.SSEEnabled", false);
    let replicas: Vec<&Node> =
        reader.node("Replicas").and_then(Node::as_seq).map(|items| items.iter().collect()).unwrap_or_default();

    let mut weakest = encryption(kms_enabled.clone(), Attr::default_value(None, reader.resource_location()));
    if matches!(kms_enabled.get(), Ok(true)) {
        let keys: Vec<Attr<Option<String>>> = replicas
            .iter()
            .map(|replica| replica_string(reader, replica, &["SSESpecification", "KMSMasterKeyId"]))
            .collect();
        // A replica without a customer managed key decides the table's
        // encryption; otherwise every replica has one and the first is shown.
        let decisive = keys
            .iter()
            .find(|key| !matches!(key.get(), Ok(Some(id)) if !is_aws_managed_key(id)))
            .or(keys.first());
        if let Some(key) = decisive {
            weakest = encryption(kms_enabled.clone(), key.clone());
        }
    }

    let mut point_in_time_recovery = Attr::default_value(false, reader.resource_location());
    for (index, replica) in replicas.iter().enumerate() {
        let enabled = replica_bool(reader, replica, &["PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"]);
        let stop = !matches!(enabled.get(), Ok(true));
        if index == 0 || stop {
            point_in_time_recovery = enabled;
        }
        if stop {
            break;
        }
    }

    let (encryption, aws_owned_key) = weakest;
    DynamoDbTable { encryption, aws_owned_key, point_in_time_recovery }
}

fn replica_node<'a>(replica: &'a Node, path: &[&str]) -> Option<&'a Node> {
    let mut node = replica;
    for key in path {
        node = node.get(key).filter(|value| !value.is_null())?;
    }
    Some(node)
}

fn replica_string(reader: &Reader<'_>, replica: &Node, path: &[&str]) -> Attr<Option<String>> {
    let location = reader.location(replica);
    match replica_node(replica, path) {
        None => Attr::default_value(None, location),
        Some(node) => read_with(reader, node, path, |node| match &node.kind {
            NodeKind::String(text) => Some(Some(text.clone())),
            NodeKind::Ref { target, .. } => Some(Some(target.clone())),
            _ => None,
        }),
    }
}

fn replica_bool(reader: &Reader<'_>, replica: &Node, path: &[&str]) -> Attr<bool> {
    match replica_node(replica, path) {
        None => Attr::default_value(false, reader.location(replica)),
        Some(node) => read_with(reader, node, path, Node::as_bool),
    }
}

fn read_with<T>(reader: &Reader<'_>, node: &Node, path: &[&str], convert: impl Fn(&Node) -> Option<T>) -> Attr<T> {
    let location: Location = reader.location(node);
    let name = path.join(".");
    if let Some(reason) = node.unknown_reason() {
        return Attr::unknown(format!("`Replicas[].{name}` is {reason}"), location);
    }
    match convert(node) {
        Some(value) => Attr::explicit(value, location),
        None => Attr::unknown(format!("`Replicas[].{name}` is a {}, which cannot be read", node.type_name()), location),
    }
}
