//! Rules for KMS keys.

mod kms_key_rotation;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[&kms_key_rotation::KmsKeyRotation];
