//! Rules for dynamodb resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
