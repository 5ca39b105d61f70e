//! Rules for rds resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
