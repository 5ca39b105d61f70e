//! Rules on which AWS services a HIPAA account uses.

mod service_hipaa_eligible;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[&service_hipaa_eligible::ServiceHipaaEligible];
