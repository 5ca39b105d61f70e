//! Rules for iam resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
