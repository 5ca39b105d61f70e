//! Rules for sns resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
