//! VPC-001: every VPC has a flow log.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACTIVITY_REVIEW, AUDIT_CONTROLS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct VpcFlowLogsEnabled;

static META: RuleMeta = RuleMeta {
    id: "VPC-001",
    name: "vpc-flow-logs-enabled",
    severity: Severity::Medium,
    citations: &[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    summary: "VPCs capture traffic with a flow log",
    docs: RuleDocs {
        what: "Checks that the input declares a flow log for each VPC: Terraform `aws_flow_log` with \
`vpc_id` referring to the VPC, or CloudFormation `AWS::EC2::FlowLog` with `ResourceType: VPC` and \
`ResourceId` referring to it. A VPC without one fails. When a flow log's target is not determined by the \
input, the result is unknown.",
        why: "Flow logs record which addresses connected to which network interfaces, on which ports, and \
whether the traffic was accepted. They are the network part of the audit trail for systems that hold ePHI, \
and often the only way to tell after an incident whether data left the VPC and where it went.",
        fix: "Add a flow log for the VPC with `traffic_type = \"ALL\"` that delivers to CloudWatch Logs or to \
an S3 bucket with retention that matches the audit policy.",
        limitations: "Flow logs created outside the input, by another stack or for the whole organization, \
are not visible, and the VPC fails; record an exception for it. Flow logs on single subnets or network \
interfaces do not count for the VPC. The rule does not check the traffic type or the destination.",
        terraform_fail: include_str!("../../fixtures/VPC-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/VPC-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/VPC-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/VPC-001/pass.yaml"),
    },
};

impl Rule for VpcFlowLogsEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::Vpc(vpc) => Some(vpc),
                _ => None,
            })
            .map(|(resource, vpc)| {
                if !vpc.flow_logs.is_empty() {
                    return Check::pass(resource, format!("flow log {} captures the VPC", vpc.flow_logs.join(", ")), &resource.location);
                }
                if !vpc.unresolved_flow_logs.is_empty() {
                    return Check::unknown(
                        resource,
                        "cannot tell whether a flow log captures the VPC",
                        format!(
                            "the input does not determine which VPC flow log {} captures",
                            vpc.unresolved_flow_logs.join(", ")
                        ),
                        &resource.location,
                    );
                }
                Check::fail(resource, "no flow log in the input captures the VPC", &resource.location)
            })
            .collect()
    }
}
