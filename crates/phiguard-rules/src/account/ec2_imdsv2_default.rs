//! ACC-003: new EC2 instances in the region require IMDSv2 by default.

use phiguard_model::services::AccountSetting;
use phiguard_model::{Model, Severity};

use crate::citations::{ACCESS_CONTROL, PERSON_AUTHENTICATION};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct Ec2Imdsv2Default;

static META: RuleMeta = RuleMeta {
    id: "ACC-003",
    name: "ec2-imdsv2-default",
    severity: Severity::Medium,
    citations: &[ACCESS_CONTROL, PERSON_AUTHENTICATION],
    summary: "Instance metadata defaults require IMDSv2 (http_tokens = required)",
    docs: RuleDocs {
        what: "Checks the `aws_ec2_instance_metadata_defaults` setting: `http_tokens` must be \
`required`. `optional` fails, and so does `no-preference`, the default, which leaves the choice to \
each AMI and launch request.",
        why: "The instance metadata service hands out the temporary credentials of the instance's \
role. IMDSv1 answers plain GET requests, so a server-side request forgery flaw in an application \
that handles ePHI can leak those credentials and, with them, the data the role can read. IMDSv2 \
requires a session token that such requests cannot obtain. Requiring it by default protects \
instances whose launch settings do not set it.",
        fix: "Set `http_tokens = \"required\"` and keep `http_put_response_hop_limit` at 1, or 2 for \
containers that need the metadata service. Repeat in every region the account uses.",
        limitations: "Terraform only: CloudFormation has no resource type for the account-level \
metadata defaults, so the rule has no CloudFormation examples. Launch settings of an instance \
override the default; they are checked per instance. The setting applies per region.",
        terraform_fail: include_str!("../../fixtures/ACC-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/ACC-003/pass.tf"),
        cloudformation_fail: "",
        cloudformation_pass: "",
    },
};

impl Rule for Ec2Imdsv2Default {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::settings(model)
            .filter_map(|(resource, setting)| match setting {
                AccountSetting::InstanceMetadataDefaults { http_tokens } => Some((resource, http_tokens)),
                _ => None,
            })
            .map(|(resource, http_tokens)| {
                let tokens = match Check::read(resource, http_tokens, "the default http_tokens setting") {
                    Ok(value) => value.as_deref(),
                    Err(unknown) => return unknown,
                };
                let location = http_tokens.location();
                match tokens {
                    Some("required") => Check::pass(resource, "new instances require IMDSv2 by default", location),
                    Some("optional") => {
                        Check::fail(resource, "http_tokens is optional, so new instances accept IMDSv1 by default", location)
                    }
                    Some(other) => Check::fail(
                        resource,
                        format!("http_tokens is {other}, so each AMI and launch request decides whether IMDSv1 is accepted"),
                        location,
                    ),
                    None => Check::fail(
                        resource,
                        "http_tokens is not set and defaults to no-preference, so each AMI and launch request decides whether IMDSv1 is accepted",
                        location,
                    ),
                }
            })
            .collect()
    }
}
