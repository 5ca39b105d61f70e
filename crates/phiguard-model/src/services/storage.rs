//! S3, EBS, EFS and DynamoDB.

use crate::attr::Attr;
use crate::services::{Encryption, PolicyDocument};

#[derive(Clone, Debug)]
pub struct S3Bucket {
    /// The bucket name, when known.
    pub name: Attr<Option<String>>,
    /// Default encryption. Since January 2023 S3 encrypts every new object
    /// with SSE-S3 when nothing is set, so the service default is
    /// `AwsManaged`.
    pub encryption: Attr<Encryption>,
    pub bucket_key_enabled: Attr<bool>,
    /// The bucket policy, inline or from a linked policy resource.
    pub policy: Attr<Option<PolicyDocument>>,
    /// The bucket's public access block, when one is declared.
    pub public_access_block: Attr<Option<PublicAccessBlock>>,
    /// A canned ACL such as `private` or `public-read`.
    pub acl: Attr<Option<String>>,
    pub versioning: Attr<bool>,
    pub object_lock: Attr<bool>,
    /// Server access logging to a target bucket.
    pub access_logging: Attr<bool>,
    pub lifecycle_rules: Attr<Vec<LifecycleRule>>,
    pub replication: Attr<Option<Replication>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub block_public_policy: bool,
    pub ignore_public_acls: bool,
    pub restrict_public_buckets: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LifecycleRule {
    pub enabled: bool,
    /// `(days, storage class)` transitions.
    pub transitions: Vec<(u32, String)>,
    pub expiration_days: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Replication {
    /// Destination bucket ARNs, or addresses when the input links them.
    pub destinations: Vec<String>,
    /// Destination account ids, where the rule names one.
    pub destination_accounts: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct EbsVolume {
    /// Whether the volume is encrypted, known even when the key is not (a
    /// plan shows an unset `kms_key_id` as known only after apply).
    pub encrypted: Attr<bool>,
    pub encryption: Attr<Encryption>,
}

#[derive(Clone, Debug)]
pub struct EfsFileSystem {
    /// Whether the file system is encrypted at rest, known even when the key
    /// is not.
    pub encrypted: Attr<bool>,
    pub encryption: Attr<Encryption>,
}

#[derive(Clone, Debug)]
pub struct DynamoDbTable {
    /// DynamoDB always encrypts at rest; without a KMS setting it uses an AWS
    /// owned key, which the model records as `AwsManaged`.
    pub encryption: Attr<Encryption>,
    /// Whether an `AwsManaged` encryption is the AWS owned key (server-side
    /// encryption not set to KMS) rather than the `aws/dynamodb` KMS key.
    pub aws_owned_key: bool,
    pub point_in_time_recovery: Attr<bool>,
}
