//! EC2-002: instances and launch templates require IMDSv2 or turn the
//! instance metadata service off.

use phiguard_model::services::AccountSetting;
use phiguard_model::{Model, Resource, ResourceKind, Severity};

use crate::citations::{ACCESS_CONTROL, RISK_MANAGEMENT};
use crate::ec2::launchables;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct Ec2Imdsv2Required;

static META: RuleMeta = RuleMeta {
    id: "EC2-002",
    name: "ec2-imdsv2-required",
    severity: Severity::Medium,
    citations: &[ACCESS_CONTROL, RISK_MANAGEMENT],
    summary: "EC2 instances and launch templates require IMDSv2",
    docs: RuleDocs {
        what: "Checks that each instance, launch template and launch configuration sets the instance \
metadata option `http_tokens = \"required\"` (CloudFormation launch templates: `HttpTokens: required`), or \
turns the metadata endpoint off with `http_endpoint = \"disabled\"`. When the option is left out, the \
instance uses the AMI's or the account's default, which allows IMDSv1 unless one of them requires IMDSv2, \
and the rule fails. An instance created from a launch template in the same input takes the template's \
options where it sets none.",
        why: "IMDSv1 answers any plain HTTP GET from the instance, so a server-side request forgery or an \
open proxy in an application lets an attacker read the instance role's temporary credentials, and with them \
the ePHI that the role can reach. IMDSv2 requires a session token obtained with a PUT request, which such \
requests cannot make.",
        fix: "Add `metadata_options { http_tokens = \"required\" }` to the instance or launch template. \
`AWS::EC2::Instance` has no metadata property, so in CloudFormation create the instance from a launch \
template whose `MetadataOptions` sets `HttpTokens: required`. Setting the account's instance metadata \
defaults to require IMDSv2 covers instances that templates forget.",
        limitations: "The AMI's `ImdsSupport` setting and the account's instance metadata defaults are not \
visible unless the input declares the account defaults, so an unset option fails with a message that names \
them. A launch template that the input refers to but does not declare makes the instance unknown.",
        terraform_fail: include_str!("../../fixtures/EC2-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/EC2-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/EC2-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/EC2-002/pass.yaml"),
    },
};

/// Returns the resource that sets the account's instance metadata default
/// to require IMDSv2, when the input declares one.
fn account_requires_imdsv2(model: &Model) -> Option<&Resource> {
    model.resources.iter().find(|resource| {
        matches!(
            &resource.kind,
            ResourceKind::AccountSetting(AccountSetting::InstanceMetadataDefaults { http_tokens })
                if http_tokens.known().and_then(|value| value.as_deref()) == Some("required")
        )
    })
}

impl Rule for Ec2Imdsv2Required {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let account_default = account_requires_imdsv2(model);
        launchables(model)
            .into_iter()
            .map(|target| {
                let resource = target.resource;
                let noun = target.noun();
                let metadata = target.metadata;
                if metadata.http_endpoint.known().and_then(|value| value.as_deref()) == Some("disabled") {
                    return Check::pass(resource, format!("the {noun} turns the instance metadata endpoint off"), metadata.http_endpoint.location());
                }
                let tokens = match Check::read(resource, &metadata.http_tokens, "whether the instance metadata service requires IMDSv2") {
                    Ok(value) => value,
                    Err(unknown) => return unknown,
                };
                let location = metadata.http_tokens.location();
                match tokens.as_deref() {
                    Some("required") => Check::pass(resource, format!("the {noun} requires IMDSv2 (`http_tokens` is \"required\")"), location),
                    Some(other) => Check::fail(
                        resource,
                        format!("the {noun} sets `http_tokens` to \"{other}\", which allows IMDSv1; set it to \"required\""),
                        location,
                    ),
                    None => match account_default {
                        Some(setting) => Check::pass(
                            resource,
                            format!("the {noun} leaves `http_tokens` out and {} makes the account require IMDSv2", setting.address),
                            location,
                        ),
                        None if resource.resource_type == "AWS::EC2::Instance" => Check::fail(
                            resource,
                            "the instance has no launch template, and `AWS::EC2::Instance` cannot set IMDS options, so it uses the \
AMI's or the account's default, which allows IMDSv1 unless one of them requires IMDSv2",
                            location,
                        ),
                        None => Check::fail(
                            resource,
                            format!(
                                "the {noun} does not set `http_tokens`, so it uses the AMI's or the account's default, which allows \
IMDSv1 (\"optional\") unless one of them requires IMDSv2"
                            ),
                            location,
                        ),
                    },
                }
            })
            .collect()
    }
}
