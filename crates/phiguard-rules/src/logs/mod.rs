//! Rules for logs resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
