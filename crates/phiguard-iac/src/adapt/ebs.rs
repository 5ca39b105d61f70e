//! EBS volumes (`aws_ebs_volume`, `AWS::EC2::Volume`), and the reading of
//! an "encrypted" flag with its KMS key that EC2 block devices share.

use phiguard_model::services::{EbsVolume, Encryption};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::{encryption_from_key, Reader, KMS_KEY_TYPES};
use crate::node::Node;
use crate::raw::{Dialect, RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    if !matches!(raw.resource_type.as_str(), "aws_ebs_volume" | "AWS::EC2::Volume") {
        return None;
    }
    let keys = ebs_keys(set.dialect);
    let reader = Reader::new(set, raw);
    // The EC2 API reference for CreateVolume documents `Encrypted` as false
    // unless the account turns on EBS encryption by default, which a plan or
    // template cannot show. The rule names both cases.
    let (encrypted, encryption) = block_device_encryption(&reader, keys.encrypted, keys.kms_key, keys.snapshot);
    Some(ResourceKind::EbsVolume(EbsVolume { encrypted, encryption }))
}

/// Reads an "encrypted" flag (default false) and its KMS key under the
/// given paths, returning the flag and the encryption it implies. A plan
/// shows both as known only after apply when the configuration leaves them
/// out, and they then take their defaults.
///
/// EC2 rejects a KMS key on an unencrypted volume, so a known key makes an
/// unknown flag true. A volume restored from a snapshot keeps the snapshot's
/// encryption, which the input does not show, so an unset flag next to a
/// `snapshot_path` value is unknown.
pub(crate) fn encrypted_with_key(reader: &Reader<'_>, encrypted_path: &str, key_path: &str) -> (Attr<bool>, Attr<Encryption>) {
    let mut encrypted = reader.bool(encrypted_path, false);
    // Terraform's launch template schema stores the flag as a string, and an
    // unset one as "".
    let empty = reader.node(encrypted_path).and_then(Node::as_str) == Some("");
    if empty || reader.computed_by_provider(encrypted_path) {
        encrypted = Attr::default_value(false, encrypted.location().clone());
    }
    let mut key = reader.string_or_link(key_path, KMS_KEY_TYPES);
    if reader.computed_by_provider(key_path) {
        key = Attr::default_value(None, key.location().clone());
    }
    if encrypted.known().is_none() && matches!(key.known(), Some(Some(_))) {
        encrypted = Attr::explicit(true, key.location().clone());
    }
    // Default provenance on an AWS managed encryption tells rules that the
    // input names no key, so the service's default key applies.
    let key_unset = key.is_default();
    let encryption = encryption_from_key(encrypted.clone(), key);
    let encryption = match encryption.known() {
        Some(Encryption::AwsManaged) if key_unset => Attr::default_value(Encryption::AwsManaged, encryption.location().clone()),
        _ => encryption,
    };
    (encrypted, encryption)
}

/// Like [`encrypted_with_key`] for a volume or block device that may be
/// created from a snapshot: an unset flag with a snapshot id is unknown, because the
/// volume inherits the snapshot's encryption.
pub(crate) fn block_device_encryption(
    reader: &Reader<'_>,
    encrypted_path: &str,
    key_path: &str,
    snapshot_path: &str,
) -> (Attr<bool>, Attr<Encryption>) {
    let (encrypted, encryption) = encrypted_with_key(reader, encrypted_path, key_path);
    if !encrypted.is_default() {
        return (encrypted, encryption);
    }
    let snapshot = reader.string(snapshot_path);
    let source = match snapshot.get() {
        Ok(Some(id)) => format!("snapshot {id}"),
        Ok(None) => return (encrypted, encryption),
        // A plan shows an unset `snapshot_id` as known only after apply.
        Err(_) if reader.computed_by_provider(snapshot_path) => return (encrypted, encryption),
        Err(reason) => format!("a snapshot whose id is unknown ({reason})"),
    };
    let reason = format!("the volume is created from {source} and inherits its encryption, which the input does not show");
    let location = snapshot.location().clone();
    (Attr::unknown(reason.clone(), location.clone()), Attr::unknown(reason, location))
}

/// The property names of a block device's EBS settings in one dialect.
pub(crate) struct EbsKeys {
    pub encrypted: &'static str,
    pub kms_key: &'static str,
    pub snapshot: &'static str,
}

pub(crate) fn ebs_keys(dialect: Dialect) -> EbsKeys {
    match dialect {
        Dialect::Terraform => EbsKeys { encrypted: "encrypted", kms_key: "kms_key_id", snapshot: "snapshot_id" },
        Dialect::CloudFormation => EbsKeys { encrypted: "Encrypted", kms_key: "KmsKeyId", snapshot: "SnapshotId" },
    }
}
