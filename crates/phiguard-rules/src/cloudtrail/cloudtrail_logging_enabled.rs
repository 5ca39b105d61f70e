//! CT-006: CloudTrail trails are logging.

use phiguard_model::{Model, Severity};

use crate::citations::{ACTIVITY_REVIEW, AUDIT_CONTROLS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct CloudtrailLoggingEnabled;

static META: RuleMeta = RuleMeta {
    id: "CT-006",
    name: "cloudtrail-logging-enabled",
    severity: Severity::High,
    citations: &[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    summary: "CloudTrail trail is logging",
    docs: RuleDocs {
        what: "Checks that the trail is turned on: `enable_logging` in Terraform, which defaults to \
true, or `IsLogging` in CloudFormation, which the resource requires.",
        why: "A stopped trail keeps its configuration but records nothing, so every other CloudTrail \
setting gives a false sense of an audit record. Stopping a trail is also a common first step of an \
attacker who wants to act on ePHI unseen.",
        fix: "Set `enable_logging = true` (or remove the argument) in Terraform, or `IsLogging: true` in \
CloudFormation. Alarm on `StopLogging` calls so a trail stopped outside the code is noticed.",
        limitations: "The rule reads the declared state. A trail stopped later through the console \
or API is visible only to a scan of the live account. A CloudFormation trail without `IsLogging` \
cannot be deployed and is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/CT-006/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CT-006/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CT-006/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CT-006/pass.yaml"),
    },
};

impl Rule for CloudtrailLoggingEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::trails(model)
            .map(|(resource, trail)| {
                let logging = match Check::read(resource, &trail.logging_enabled, "whether the trail is logging") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = trail.logging_enabled.location();
                if logging {
                    Check::pass(resource, "the trail is logging", location)
                } else {
                    Check::fail(resource, "logging is turned off, so the trail records nothing", location)
                }
            })
            .collect()
    }
}
