//! KMS keys: key spec, key material origin and automatic rotation.

use phiguard_model::services::KmsKey;
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::Reader;
use crate::raw::{RawResource, RawSet};

/// KMS keys and aliases, for attributes that accept a key by id, ARN or
/// alias, such as a trail's or a log group's key.
pub(super) const KMS_KEY_OR_ALIAS_TYPES: &[&str] =
    &["aws_kms_key", "aws_kms_replica_key", "aws_kms_alias", "AWS::KMS::Key", "AWS::KMS::ReplicaKey", "AWS::KMS::Alias"];

/// The default key spec of both inputs, a symmetric AES-256 key.
const SYMMETRIC_DEFAULT: &str = "SYMMETRIC_DEFAULT";
/// The default origin of both inputs: KMS generates the key material.
const AWS_KMS: &str = "AWS_KMS";

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let key = Reader::new(set, raw);
    // Terraform `aws_kms_key`: `customer_master_key_spec` defaults to
    // SYMMETRIC_DEFAULT and `enable_key_rotation` to false. Keys with
    // imported material are a separate type, `aws_kms_external_key`, and
    // `custom_key_store_id` puts the key material in a custom key store,
    // recorded as AWS_CLOUDHSM because the plan does not say which kind.
    // CloudFormation `AWS::KMS::Key`: `KeySpec` defaults to
    // SYMMETRIC_DEFAULT, `Origin` to AWS_KMS and `EnableKeyRotation` to
    // false (AWS CloudFormation User Guide, AWS::KMS::Key).
    let data = match raw.resource_type.as_str() {
        "aws_kms_key" => KmsKey {
            key_spec: with_default(key.string("customer_master_key_spec"), SYMMETRIC_DEFAULT),
            rotation_enabled: key.bool("enable_key_rotation", false),
            origin: key.string("custom_key_store_id").map(|store| {
                if store.is_some() { "AWS_CLOUDHSM" } else { AWS_KMS }.to_owned()
            }),
        },
        "AWS::KMS::Key" => KmsKey {
            key_spec: with_default(key.string("KeySpec"), SYMMETRIC_DEFAULT),
            rotation_enabled: key.bool("EnableKeyRotation", false),
            origin: with_default(key.string("Origin"), AWS_KMS),
        },
        _ => return None,
    };
    Some(ResourceKind::KmsKey(data))
}

/// Replaces an absent or empty string with the documented default.
fn with_default(value: Attr<Option<String>>, default: &str) -> Attr<String> {
    let location = value.location().clone();
    match value.get() {
        Ok(Some(text)) => Attr::explicit(text.clone(), location),
        Ok(None) => Attr::default_value(default.to_owned(), location),
        Err(reason) => Attr::unknown(reason.to_owned(), location),
    }
}
