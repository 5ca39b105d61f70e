//! Rules for elasticache resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
