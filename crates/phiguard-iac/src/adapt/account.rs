//! Account-wide settings that Terraform declares as resources: EBS
//! encryption by default, S3 Block Public Access for the account, and
//! instance metadata defaults.

use phiguard_model::services::{AccountSetting, PublicAccessBlock};
use phiguard_model::ResourceKind;

use crate::adapt::Reader;
use crate::raw::{RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let reader = Reader::new(set, raw);
    let setting = match raw.resource_type.as_str() {
        // Terraform AWS provider: `enabled` defaults to true.
        "aws_ebs_encryption_by_default" => AccountSetting::EbsEncryptionByDefault { enabled: reader.bool("enabled", true) },
        // Terraform AWS provider: each flag defaults to false.
        "aws_s3_account_public_access_block" => public_access_block(&reader),
        // Terraform AWS provider: `http_tokens` defaults to
        // `no-preference`, which is what an absent value means here too.
        "aws_ec2_instance_metadata_defaults" => {
            AccountSetting::InstanceMetadataDefaults { http_tokens: reader.string("http_tokens") }
        }
        _ => return None,
    };
    Some(ResourceKind::AccountSetting(setting))
}

fn public_access_block(reader: &Reader<'_>) -> AccountSetting {
    let flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]
        .map(|key| reader.bool(key, false));
    let unknown_reason = flags.iter().find_map(|flag| flag.get().err().map(str::to_owned));
    let value = |index: usize| flags[index].known().copied().unwrap_or(false);
    AccountSetting::S3PublicAccessBlock {
        block: PublicAccessBlock {
            block_public_acls: value(0),
            block_public_policy: value(1),
            ignore_public_acls: value(2),
            restrict_public_buckets: value(3),
        },
        location_known: true,
        unknown_reason,
    }
}
