//! Rules for config resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
