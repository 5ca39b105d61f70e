//! Rules for ebs resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
