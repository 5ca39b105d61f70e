//! Rules for sqs resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
