//! Rules for cloudtrail resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
