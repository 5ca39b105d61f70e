//! Rules for GuardDuty detectors.

mod guardduty_detector_enabled;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[&guardduty_detector_enabled::GuarddutyDetectorEnabled];
