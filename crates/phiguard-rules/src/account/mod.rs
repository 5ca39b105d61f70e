//! Rules for account-wide settings.

mod ebs_default_encryption;
mod ec2_imdsv2_default;
mod s3_account_public_access_block;

use phiguard_model::services::AccountSetting;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &ebs_default_encryption::EbsDefaultEncryption,
    &s3_account_public_access_block::S3AccountPublicAccessBlock,
    &ec2_imdsv2_default::Ec2Imdsv2Default,
];

/// Iterates over the account settings of a model.
fn settings(model: &Model) -> impl Iterator<Item = (&Resource, &AccountSetting)> {
    model.each(|kind| match kind {
        ResourceKind::AccountSetting(setting) => Some(setting),
        _ => None,
    })
}
