//! GD-001: GuardDuty detectors are enabled.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACTIVITY_REVIEW, INCIDENT_PROCEDURES};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct GuarddutyDetectorEnabled;

static META: RuleMeta = RuleMeta {
    id: "GD-001",
    name: "guardduty-detector-enabled",
    severity: Severity::High,
    citations: &[INCIDENT_PROCEDURES, ACTIVITY_REVIEW],
    summary: "GuardDuty detector is enabled",
    docs: RuleDocs {
        what: "Checks that the GuardDuty detector is enabled: `enable` in Terraform, which defaults to \
true, or `Enable` in CloudFormation, which the resource requires.",
        why: "GuardDuty analyses CloudTrail, VPC flow logs and DNS logs for signs of compromise, such \
as credentials used from unusual places or instances talking to known malicious hosts. Incident \
response starts with noticing an incident, and activity review at cloud scale needs automated \
detection. A suspended detector produces no findings while the account keeps handling ePHI.",
        fix: "Set `enable = true` (or remove the argument) in Terraform, or `Enable: true` in \
CloudFormation, in every region the account uses, and route findings to the people who respond \
to incidents.",
        limitations: "The rule checks the detectors in the input only. It cannot tell whether every \
region has one, or whether an organization's delegated administrator manages GuardDuty for the \
account. A CloudFormation detector without `Enable` cannot be deployed and is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/GD-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/GD-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/GD-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/GD-001/pass.yaml"),
    },
};

impl Rule for GuarddutyDetectorEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::GuardDutyDetector(detector) => Some(detector),
                _ => None,
            })
            .map(|(resource, detector)| {
                let enabled = match Check::read(resource, &detector.enabled, "whether the detector is enabled") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = detector.enabled.location();
                if enabled {
                    Check::pass(resource, "the detector is enabled", location)
                } else {
                    Check::fail(resource, "the detector is suspended, so GuardDuty produces no findings", location)
                }
            })
            .collect()
    }
}
