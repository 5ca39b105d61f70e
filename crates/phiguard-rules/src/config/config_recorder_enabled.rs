//! CFG-002: AWS Config recorders are started.

use phiguard_model::{Model, Severity};

use crate::citations::{ACTIVITY_REVIEW, RISK_ANALYSIS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ConfigRecorderEnabled;

static META: RuleMeta = RuleMeta {
    id: "CFG-002",
    name: "config-recorder-enabled",
    severity: Severity::Medium,
    citations: &[RISK_ANALYSIS, ACTIVITY_REVIEW],
    summary: "AWS Config recorder is started",
    docs: RuleDocs {
        what: "Checks that the configuration recorder is recording. In Terraform a recorder is created \
stopped, and the `is_enabled` argument of the `aws_config_configuration_recorder_status` that names \
it starts it. CloudFormation starts a recorder it creates as soon as a delivery channel is \
available, so a recorder in a template that also declares an `AWS::Config::DeliveryChannel` passes.",
        why: "A recorder that is not started records nothing: the configuration history that risk \
analysis and activity review rely on stops, and Config rules that watch resources holding ePHI \
stop evaluating changes.",
        fix: "In Terraform, add an `aws_config_configuration_recorder_status` with `name` set to the \
recorder's name and `is_enabled = true`, depending on the delivery channel. In CloudFormation, \
declare an `AWS::Config::DeliveryChannel` in the same template.",
        limitations: "A Terraform plan without a status resource for the recorder is reported as \
unknown, because the recorder may be started outside the plan. A CloudFormation template without a \
delivery channel is reported as unknown, because a channel in another stack starts the recorder \
too. CloudFormation cannot express a stopped recorder, so the rule has no failing CloudFormation \
example. A recorder stopped later through the API is visible only to a scan of the live account.",
        terraform_fail: include_str!("../../fixtures/CFG-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CFG-002/pass.tf"),
        cloudformation_fail: "",
        cloudformation_pass: "",
    },
};

impl Rule for ConfigRecorderEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::recorders(model)
            .map(|(resource, recorder)| {
                let enabled = match Check::read(resource, &recorder.enabled, "whether the recorder is started") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = recorder.enabled.location();
                if !enabled {
                    Check::fail(resource, "the recorder status sets is_enabled to false, so the recorder records nothing", location)
                } else if recorder.enabled.is_default() {
                    Check::pass(resource, "CloudFormation starts the recorder because the template declares a delivery channel", location)
                } else {
                    Check::pass(resource, "the recorder status starts the recorder", location)
                }
            })
            .collect()
    }
}
