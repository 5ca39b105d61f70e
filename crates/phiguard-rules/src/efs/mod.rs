//! Rules for EFS file systems.

mod efs_customer_managed_key;
mod efs_encrypted;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[&efs_encrypted::EfsEncrypted, &efs_customer_managed_key::EfsCustomerManagedKey];
