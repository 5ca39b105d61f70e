//! Rules for network resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
