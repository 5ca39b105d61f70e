//! Rules for EBS volumes, and the account-wide EBS encryption setting that
//! the EBS and EC2 rules consult.

mod ebs_customer_managed_key;
mod ebs_volume_encrypted;

use phiguard_model::services::AccountSetting;
use phiguard_model::{Model, Resource, ResourceKind};

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] =
    &[&ebs_volume_encrypted::EbsVolumeEncrypted, &ebs_customer_managed_key::EbsCustomerManagedKey];

/// Returns the resource that turns on EBS encryption by default for the
/// account, when the input declares one whose setting is known to be on.
pub(crate) fn account_encryption_by_default(model: &Model) -> Option<&Resource> {
    model.resources.iter().find(|resource| {
        matches!(
            &resource.kind,
            ResourceKind::AccountSetting(AccountSetting::EbsEncryptionByDefault { enabled }) if enabled.known() == Some(&true)
        )
    })
}
