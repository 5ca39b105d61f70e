//! RDS-004: RDS DB instances are not publicly accessible.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{ACCESS_CONTROL, WORKFORCE_SECURITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct RdsNoPublicAccess;

static META: RuleMeta = RuleMeta {
    id: "RDS-004",
    name: "rds-no-public-access",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, WORKFORCE_SECURITY],
    summary: "RDS DB instances are not publicly accessible",
    docs: RuleDocs {
        what: "Checks that no RDS DB instance, including each instance of an Aurora cluster, sets \
`publicly_accessible` (CloudFormation: `PubliclyAccessible`) to true. The Terraform AWS provider sends false \
when the attribute is unset. The RDS API, which CloudFormation calls without a value, makes the instance \
public when the VPC it is placed in has an internet gateway; a template that leaves the property out is \
therefore reported as unknown.",
        why: "A publicly accessible instance gets a public IP address and a DNS name that resolves to it from \
the internet. Only its security group then stands between the database that holds ePHI and every host on the \
internet that can guess or steal a password, and one widened security group rule exposes it. A database that \
holds ePHI should be reachable only from the application tier inside the VPC.",
        fix: "Set `publicly_accessible = false` (CloudFormation: `PubliclyAccessible: false`) and place the \
instance in a subnet group of private subnets. For administration, reach it through Session Manager port \
forwarding or a VPN instead of a public endpoint. RDS applies the change without replacing the instance.",
        limitations: "The rule reads the flag only. It does not check whether the subnets route to an \
internet gateway or what the security groups allow, and it does not read the `publicly_accessible` flag of \
Multi-AZ DB clusters. A tagged ePHI resource raises the severity to critical.",
        terraform_fail: include_str!("../../fixtures/RDS-004/fail.tf"),
        terraform_pass: include_str!("../../fixtures/RDS-004/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/RDS-004/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/RDS-004/pass.yaml"),
    },
};

impl Rule for RdsNoPublicAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::RdsInstance(instance) => Some(instance),
                _ => None,
            })
            .map(|(resource, instance)| {
                let attr = &instance.publicly_accessible;
                match Check::read(resource, attr, "whether the instance is publicly accessible") {
                    Ok(true) => Check::fail(
                        resource,
                        "the instance is publicly accessible: it has a public IP address that resolves from the internet",
                        attr.location(),
                    ),
                    Ok(false) => Check::pass(resource, "the instance is not publicly accessible", attr.location()),
                    Err(unknown) => unknown,
                }
            })
            .collect()
    }
}
