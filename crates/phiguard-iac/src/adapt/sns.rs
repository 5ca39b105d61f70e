//! SNS topics: server-side encryption with a KMS key.

use phiguard_model::services::{Encryption, SnsTopic};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::kms::KMS_KEY_OR_ALIAS_TYPES;
use crate::adapt::{is_aws_managed_key, Reader};
use crate::raw::{RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let topic = Reader::new(set, raw);
    let key_path = match raw.resource_type.as_str() {
        "aws_sns_topic" => "kms_master_key_id",
        "AWS::SNS::Topic" => "KmsMasterKeyId",
        _ => return None,
    };
    // SNS applies server-side encryption to a topic only when it names a
    // KMS key, so a topic without one is unencrypted (Amazon SNS Developer
    // Guide, "Encryption at rest").
    let encryption = key_encryption(topic.string_or_link(key_path, KMS_KEY_OR_ALIAS_TYPES), Encryption::None);
    Some(ResourceKind::SnsTopic(SnsTopic { encryption }))
}

/// Builds the encryption of a resource that names an optional KMS key: an
/// `aws/<service>` alias is an AWS managed key, any other key a customer
/// managed key, and no key gives `without_key` with the key's provenance.
pub(super) fn key_encryption(key: Attr<Option<String>>, without_key: Encryption) -> Attr<Encryption> {
    key.map(|key| match key {
        Some(id) if is_aws_managed_key(&id) => Encryption::AwsManaged,
        Some(id) => Encryption::CustomerManaged(id),
        None => without_key,
    })
}
