//! Rules for guardduty resources.

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[];
