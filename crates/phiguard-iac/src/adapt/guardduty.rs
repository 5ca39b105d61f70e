//! GuardDuty detectors: whether they are enabled.

use phiguard_model::services::GuardDutyDetector;
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::Reader;
use crate::raw::{RawResource, RawSet};

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let detector = Reader::new(set, raw);
    let enabled = match raw.resource_type.as_str() {
        // Terraform AWS provider, aws_guardduty_detector: `enable` defaults
        // to true.
        "aws_guardduty_detector" => detector.bool("enable", true),
        // CloudFormation requires `Enable` (AWS CloudFormation User Guide,
        // AWS::GuardDuty::Detector).
        "AWS::GuardDuty::Detector" => match detector.node("Enable") {
            Some(_) => detector.bool("Enable", false),
            None => Attr::unknown(
                "`Enable` is missing, and CloudFormation requires it, so the stack would fail to deploy",
                detector.resource_location(),
            ),
        },
        _ => return None,
    };
    Some(ResourceKind::GuardDutyDetector(GuardDutyDetector { enabled }))
}
