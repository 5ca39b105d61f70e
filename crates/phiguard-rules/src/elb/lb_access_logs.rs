//! ELB-003: load balancers write access logs.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACTIVITY_REVIEW, AUDIT_CONTROLS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct LbAccessLogs;

static META: RuleMeta = RuleMeta {
    id: "ELB-003",
    name: "lb-access-logs",
    severity: Severity::Medium,
    citations: &[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    summary: "Application and Network Load Balancers write access logs to S3",
    docs: RuleDocs {
        what: "Checks that each Application or Network Load Balancer turns access logs on: Terraform \
`access_logs { enabled = true }`, CloudFormation `LoadBalancerAttributes` key `access_logs.s3.enabled` set \
to \"true\". Access logs are off unless set. Gateway Load Balancers have no access logs and are not \
applicable.",
        why: "Access logs record every request that reaches an application handling ePHI: client address, \
time, path, status and TLS details. The audit controls standard requires recording activity in systems \
that contain ePHI, and these logs are often the only record of who requested which data from outside.",
        fix: "Add `access_logs { bucket = ..., enabled = true }` with an S3 bucket whose policy allows the \
Elastic Load Balancing log delivery principal to write, and retain the logs as the audit policy requires.",
        limitations: "Network Load Balancers log only TLS listener connections, so access logs on a load \
balancer with only TCP or UDP listeners record nothing. The rule does not check the target bucket's \
policy, encryption or retention. Connection logs are not checked.",
        terraform_fail: include_str!("../../fixtures/ELB-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/ELB-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/ELB-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/ELB-003/pass.yaml"),
    },
};

impl Rule for LbAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::LoadBalancer(load_balancer) => Some(load_balancer),
                _ => None,
            })
            .map(|(resource, load_balancer)| {
                if load_balancer.lb_type.known().map(String::as_str) == Some("gateway") {
                    return Check::not_applicable(resource, "Gateway Load Balancers have no access logs");
                }
                let enabled = match Check::read(resource, &load_balancer.access_logs, "whether access logs are on") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = load_balancer.access_logs.location();
                if enabled {
                    Check::pass(resource, "access logs are on", location)
                } else if load_balancer.access_logs.is_default() {
                    Check::fail(resource, "access logs are not configured, and they are off by default", location)
                } else {
                    Check::fail(resource, "access logs are turned off", location)
                }
            })
            .collect()
    }
}
