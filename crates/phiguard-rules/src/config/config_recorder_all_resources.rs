//! CFG-001: AWS Config recorders record every supported resource type.

use phiguard_model::{Model, Severity};

use crate::citations::{ACTIVITY_REVIEW, RISK_ANALYSIS};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ConfigRecorderAllResources;

static META: RuleMeta = RuleMeta {
    id: "CFG-001",
    name: "config-recorder-all-resources",
    severity: Severity::Medium,
    citations: &[RISK_ANALYSIS, ACTIVITY_REVIEW],
    summary: "AWS Config recorder records all supported resource types",
    docs: RuleDocs {
        what: "Checks that the configuration recorder records every supported resource type: no \
recording group (AWS Config then records all supported types), `all_supported` true in Terraform \
(its default), `AllSupported: true` in CloudFormation, and no recording strategy other than \
`ALL_SUPPORTED_RESOURCE_TYPES`. A recorder limited to a list of types, or excluding some, fails.",
        why: "A risk analysis needs an accurate inventory of where ePHI is stored and how those \
systems are configured. AWS Config's history is that inventory for AWS: it shows when a bucket \
became public or a database lost its encryption. A recorder limited to some types leaves every \
other resource that may hold ePHI out of the record, including types AWS adds later.",
        fix: "Remove the recording group, or set `all_supported = true` (Terraform) or \
`AllSupported: true` (CloudFormation) without a resource type list. In one region, also set \
`include_global_resource_types` so IAM users, roles and policies are recorded.",
        limitations: "The rule does not require global resource types, because they should be \
recorded in one region only and the rule sees one recorder at a time; the message says whether this \
recorder records them. A CloudFormation recording group that sets neither `AllSupported`, resource \
types nor a strategy is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/CFG-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CFG-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CFG-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CFG-001/pass.yaml"),
    },
};

impl Rule for ConfigRecorderAllResources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::recorders(model)
            .map(|(resource, recorder)| {
                let all = match Check::read(resource, &recorder.all_supported, "which resource types the recorder records") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = recorder.all_supported.location();
                if !all {
                    return Check::fail(
                        resource,
                        "the recorder records only a selected list of resource types, not all supported types",
                        location,
                    );
                }
                let global = match recorder.include_global_resources.known() {
                    Some(true) => "including global IAM resource types",
                    Some(false) => "without global IAM resource types, which one region should record",
                    None => "and cannot tell whether it records global IAM resource types",
                };
                Check::pass(resource, format!("the recorder records all supported resource types, {global}"), location)
            })
            .collect()
    }
}
