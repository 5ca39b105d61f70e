//! Rules for efs resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
