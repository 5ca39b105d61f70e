//! Rules for ec2 resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
