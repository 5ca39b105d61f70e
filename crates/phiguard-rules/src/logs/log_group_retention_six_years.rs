//! LOG-002: CloudWatch Logs log groups keep events for at least six years.

use phiguard_model::{Model, Severity};

use crate::citations::{AUDIT_CONTROLS, DOCUMENTATION_RETENTION};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct LogGroupRetentionSixYears;

/// Six years in days: 6 × 365 plus the two leap days that any six
/// consecutive years can contain. It is also a retention value that
/// CloudWatch Logs accepts.
const SIX_YEARS_DAYS: u32 = 2_192;

static META: RuleMeta = RuleMeta {
    id: "LOG-002",
    name: "log-group-retention-six-years",
    severity: Severity::Medium,
    citations: &[AUDIT_CONTROLS, DOCUMENTATION_RETENTION],
    summary: "CloudWatch Logs log group keeps events for at least six years",
    docs: RuleDocs {
        what: "Checks that the log group's retention (`retention_in_days` in Terraform, \
`RetentionInDays` in CloudFormation) is at least 2,192 days, or that events never expire. Events \
never expire when the retention is left out, or set to 0 in Terraform.",
        why: "HIPAA requires covered entities and business associates to keep the documentation of \
their security policies and the actions and activities they require for six years from creation \
or from when it was last in effect (45 CFR 164.316(b)(2)(i)). Audit logs are the record that \
activity review and incident response took place, and a breach investigation may need logs from \
years back. 2,192 days covers six years including two leap days, and is a value CloudWatch Logs \
accepts.",
        fix: "Set `retention_in_days = 2192` (or a longer accepted value such as 2557 or 3653), or \
`RetentionInDays: 2192`. If logs move to S3 for long-term storage, keep them there for six years \
and document the export.",
        limitations: "The rule treats every log group the same. Logs exported to S3 or another \
archive and kept there for six years satisfy the requirement too, but the rule cannot see the \
export and still fails the log group. The six years apply to documentation; which logs count as \
such is the organization's decision.",
        terraform_fail: include_str!("../../fixtures/LOG-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/LOG-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/LOG-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/LOG-002/pass.yaml"),
    },
};

impl Rule for LogGroupRetentionSixYears {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        super::log_groups(model)
            .map(|(resource, group)| {
                let retention = match Check::read(resource, &group.retention_days, "the log group's retention") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = group.retention_days.location();
                match retention {
                    None => Check::pass(resource, "log events never expire", location),
                    Some(days) if days >= SIX_YEARS_DAYS => {
                        Check::pass(resource, format!("log events are kept for {days} days, at least six years"), location)
                    }
                    Some(days) => Check::fail(
                        resource,
                        format!("log events are kept for {days} days, less than the {SIX_YEARS_DAYS} days of six years"),
                        location,
                    ),
                }
            })
            .collect()
    }
}
