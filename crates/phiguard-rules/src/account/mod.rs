//! Rules for account resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
