//! SQS queues: SSE-KMS with a named key, or SSE-SQS with a key SQS owns.

use phiguard_model::services::{Encryption, SqsQueue};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::kms::KMS_KEY_OR_ALIAS_TYPES;
use crate::adapt::sns::key_encryption;
use crate::adapt::Reader;
use crate::raw::{RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let queue = Reader::new(set, raw);
    let (key_path, sse_path) = match raw.resource_type.as_str() {
        "aws_sqs_queue" => ("kms_master_key_id", "sqs_managed_sse_enabled"),
        "AWS::SQS::Queue" => ("KmsMasterKeyId", "SqsManagedSseEnabled"),
        _ => return None,
    };
    let key = if queue.computed_by_provider(key_path) {
        Attr::default_value(None, queue.resource_location())
    } else {
        queue.string_or_link(key_path, KMS_KEY_OR_ALIAS_TYPES)
    };
    let encryption = match key.known() {
        Some(Some(_)) => key_encryption(key, Encryption::None),
        Some(None) => sse_sqs(&queue, sse_path),
        None => key.map(|_| Encryption::None),
    };
    Some(ResourceKind::SqsQueue(SqsQueue { encryption }))
}

/// Reads SSE-SQS for a queue without a KMS key. Since October 2022 SQS
/// encrypts every new queue with SSE-SQS unless the request turns it off
/// (AWS Compute Blog, "Announcing server-side encryption with Amazon
/// Simple Queue Service-managed encryption keys (SSE-SQS) by default"), so
/// an absent setting is an AWS managed key.
///
/// A Terraform value that the provider computes because the configuration
/// leaves it out is read as absent too (see `Reader::computed_by_provider`).
fn sse_sqs(queue: &Reader<'_>, path: &str) -> Attr<Encryption> {
    if queue.computed_by_provider(path) {
        return Attr::default_value(Encryption::AwsManaged, queue.resource_location());
    }
    queue.bool(path, true).map(|enabled| if enabled { Encryption::AwsManaged } else { Encryption::None })
}
