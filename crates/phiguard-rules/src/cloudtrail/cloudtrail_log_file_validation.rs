//! CT-002: CloudTrail trails write digest files to validate their log files.

use phiguard_model::{Model, Severity};

use crate::citations::{AUTHENTICATE_EPHI, INTEGRITY};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct CloudtrailLogFileValidation;

static META: RuleMeta = RuleMeta {
    id: "CT-002",
    name: "cloudtrail-log-file-validation",
    severity: Severity::Medium,
    citations: &[INTEGRITY, AUTHENTICATE_EPHI],
    summary: "CloudTrail trail has log file integrity validation enabled",
    docs: RuleDocs {
        what: "Checks that log file validation is enabled (`enable_log_file_validation` in Terraform, \
`EnableLogFileValidation` in CloudFormation). Both default to false.",
        why: "With validation enabled, CloudTrail writes an hourly digest file that signs the hash of \
every log file it delivered. The digests show whether a log file was changed or deleted after \
delivery, so the audit record of who accessed ePHI can be trusted in an investigation. Without \
them, someone with write access to the log bucket can alter the record unnoticed.",
        fix: "Set `enable_log_file_validation = true` (Terraform) or `EnableLogFileValidation: true` \
(CloudFormation), and validate the logs with `aws cloudtrail validate-logs` during reviews.",
        limitations: "Validation detects changes; it does not prevent them. The rule does not check \
that the log bucket has versioning or Object Lock, which protect the files themselves.",
        terraform_fail: include_str!("../../fixtures/CT-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/CT-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/CT-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/CT-002/pass.yaml"),
    },
};

impl Rule for CloudtrailLogFileValidation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::trails(model)
            .map(|(resource, trail)| {
                let enabled = match Check::read(resource, &trail.log_file_validation, "whether log file validation is enabled") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = trail.log_file_validation.location();
                if enabled {
                    Check::pass(resource, "log file validation is enabled", location)
                } else if trail.log_file_validation.is_default() {
                    Check::fail(resource, "log file validation is not set and defaults to disabled", location)
                } else {
                    Check::fail(resource, "log file validation is disabled", location)
                }
            })
            .collect()
    }
}
