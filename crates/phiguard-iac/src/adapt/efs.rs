//! EFS file systems (`aws_efs_file_system`, `AWS::EFS::FileSystem`) and
//! their encryption at rest.

use phiguard_model::services::EfsFileSystem;
use phiguard_model::ResourceKind;

use crate::adapt::ebs::encrypted_with_key;
use crate::adapt::Reader;
use crate::raw::{RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let (encrypted_key, kms_key) = match raw.resource_type.as_str() {
        "aws_efs_file_system" => ("encrypted", "kms_key_id"),
        "AWS::EFS::FileSystem" => ("Encrypted", "KmsKeyId"),
        _ => return None,
    };
    // The EFS API reference for CreateFileSystem and the CloudFormation
    // reference for AWS::EFS::FileSystem both leave `Encrypted` false when it
    // is not set, and the Terraform provider's `encrypted` follows the API.
    // Only the console encrypts new file systems by default.
    let (encrypted, encryption) = encrypted_with_key(&Reader::new(set, raw), encrypted_key, kms_key);
    Some(ResourceKind::EfsFileSystem(EfsFileSystem { encrypted, encryption }))
}
