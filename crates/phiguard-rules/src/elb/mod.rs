//! Rules for elb resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
