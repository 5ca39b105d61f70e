//! IAM-002: IAM role sessions last at most one hour.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::AUTOMATIC_LOGOFF;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct IamRoleSessionDuration;

/// The upper limit the rule accepts for a role's maximum session duration,
/// in seconds. It is also IAM's default.
const MAX_SESSION_SECONDS: u32 = 3_600;

static META: RuleMeta = RuleMeta {
    id: "IAM-002",
    name: "iam-role-session-duration",
    severity: Severity::Medium,
    citations: &[AUTOMATIC_LOGOFF],
    summary: "IAM role maximum session duration is at most one hour",
    docs: RuleDocs {
        what: "Checks that the role's maximum session duration (`max_session_duration` in Terraform, \
`MaxSessionDuration` in CloudFormation) is at most 3,600 seconds. Both default to 3,600 seconds, so a \
role that leaves the setting out passes.",
        why: "Automatic logoff ends a session after a period of inactivity so that an unattended or \
stolen session cannot keep reaching ePHI. Role sessions cannot be ended for inactivity, but their \
credentials expire at the end of the session: a 12-hour maximum lets a copied set of temporary \
credentials work for half a day.",
        fix: "Set `max_session_duration = 3600` or `MaxSessionDuration: 3600`, or remove the setting. \
Users who need longer work can assume the role again.",
        limitations: "The maximum applies to sessions requested with a longer duration; callers can \
always ask for shorter ones. Role chaining limits sessions to one hour regardless. Sessions in \
the AWS console follow the console's own timeout.",
        terraform_fail: include_str!("../../fixtures/IAM-002/fail.tf"),
        terraform_pass: include_str!("../../fixtures/IAM-002/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/IAM-002/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/IAM-002/pass.yaml"),
    },
};

impl Rule for IamRoleSessionDuration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::IamRole(role) => Some(role),
                _ => None,
            })
            .map(|(resource, role)| {
                let seconds = match Check::read(resource, &role.max_session_duration, "the role's maximum session duration") {
                    Ok(value) => *value,
                    Err(unknown) => return unknown,
                };
                let location = role.max_session_duration.location();
                if seconds > MAX_SESSION_SECONDS {
                    Check::fail(
                        resource,
                        format!("the maximum session duration is {seconds} seconds, over the {MAX_SESSION_SECONDS}-second limit"),
                        location,
                    )
                } else if role.max_session_duration.is_default() {
                    Check::pass(resource, format!("the maximum session duration is the default {seconds} seconds"), location)
                } else {
                    Check::pass(resource, format!("the maximum session duration is {seconds} seconds"), location)
                }
            })
            .collect()
    }
}
