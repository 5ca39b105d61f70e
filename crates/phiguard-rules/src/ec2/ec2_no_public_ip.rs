//! EC2-003: instances and launch templates do not assign a public IP
//! address.

use phiguard_model::{Model, Severity};

use crate::citations::{ACCESS_CONTROL, TRANSMISSION_SECURITY};
use crate::ec2::launchables;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct Ec2NoPublicIp;

static META: RuleMeta = RuleMeta {
    id: "EC2-003",
    name: "ec2-no-public-ip",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, TRANSMISSION_SECURITY],
    summary: "EC2 instances and launch templates do not assign public IP addresses",
    docs: RuleDocs {
        what: "Checks `associate_public_ip_address` on instances and launch configurations, and on the \
network interfaces of launch templates and CloudFormation instances (`AssociatePublicIpAddress`). An \
explicit true fails and false passes. Left out, the subnet's `map_public_ip_on_launch` setting decides, \
which this rule does not read, so the result is unknown.",
        why: "An instance with a public IP address can be reached from the internet whenever a security \
group or network ACL allows it, and one misconfigured rule then exposes the ePHI it processes. Instances \
that handle ePHI belong in private subnets behind a load balancer, a NAT gateway or Systems Manager \
Session Manager.",
        fix: "Set `associate_public_ip_address = false` and place the instance in a private subnet. Reach it \
through Session Manager or a bastion in a separate, tightly controlled subnet, and publish services \
through a load balancer.",
        limitations: "The subnet's automatic public IP setting and Elastic IP associations are not read. An \
instance that attaches existing network interfaces takes their settings, which the rule does not follow.",
        terraform_fail: include_str!("../../fixtures/EC2-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EC2-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EC2-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EC2-003/pass.yaml"),
    },
};

impl Rule for Ec2NoPublicIp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        launchables(model)
            .into_iter()
            .map(|target| {
                let resource = target.resource;
                let noun = target.noun();
                let attr = target.associate_public_ip;
                let value = match Check::read(resource, attr, &format!("whether the {noun} gets a public IP address")) {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                match value {
                    Some(true) => Check::fail(resource, format!("the {noun} sets `associate_public_ip_address` to true"), attr.location()),
                    Some(false) => Check::pass(resource, format!("the {noun} sets `associate_public_ip_address` to false"), attr.location()),
                    None => Check::unknown(
                        resource,
                        format!("cannot tell whether the {noun} gets a public IP address"),
                        "`associate_public_ip_address` is not set, so the subnet's `map_public_ip_on_launch` setting decides, \
which the rule does not read",
                        attr.location(),
                    ),
                }
            })
            .collect()
    }
}
