//! CT-001: CloudTrail trails log events from every region.

use phiguard_model::{Model, Severity};

use crate::citations::{ACTIVITY_REVIEW, AUDIT_CONTROLS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct CloudtrailMultiRegion;

static META: RuleMeta = RuleMeta {
    id: "CT-001",
    name: "cloudtrail-multi-region",
    severity: Severity::High,
    citations: &[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    summary: "CloudTrail trail records API activity in every region",
    docs: RuleDocs {
        what: "Checks that the trail is a multi-region trail (`is_multi_region_trail` in Terraform, \
`IsMultiRegionTrail` in CloudFormation). Both default to false, so a trail that leaves the setting \
out records only the region it is created in.",
        why: "Activity involving ePHI can happen in any region the account can use, including regions \
nobody meant to use. A single-region trail leaves API calls in every other region unrecorded, so \
an attacker who copies data or creates resources there leaves no audit trail. The audit controls \
standard requires recording activity in systems that contain or use ePHI.",
        fix: "Set `is_multi_region_trail = true` (Terraform) or `IsMultiRegionTrail: true` \
(CloudFormation). Keep `include_global_service_events` enabled so IAM and STS calls are recorded too.",
        limitations: "The rule checks each trail on its own. An organization trail or a trail in \
another stack may already record every region; the rule cannot see those and reports this trail \
as it is declared.",
        terraform_fail: include_str!("../../fixtures/CT-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CT-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CT-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CT-001/pass.yaml"),
    },
};

impl Rule for CloudtrailMultiRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::trails(model)
            .map(|(resource, trail)| {
                let multi_region = match Check::read(resource, &trail.multi_region, "whether the trail is multi-region") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = trail.multi_region.location();
                if multi_region {
                    Check::pass(resource, "the trail records events from every region", location)
                } else if trail.multi_region.is_default() {
                    Check::fail(
                        resource,
                        "the trail leaves the multi-region setting out, which defaults to false, so it records only its own region",
                        location,
                    )
                } else {
                    Check::fail(resource, "the multi-region setting is false, so the trail records only its own region", location)
                }
            })
            .collect()
    }
}
