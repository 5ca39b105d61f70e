//! SCP-002: the SCPs in effect on a live account do not block HIPAA
//! eligible services.

use phiguard_model::{Model, Severity};

use super::{condition_note, describe_levels, effect, list_prefixes, scp_records, Effect};
use crate::citations::RISK_MANAGEMENT;
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ScpAllowsEligible;

static META: RuleMeta = RuleMeta {
    id: "SCP-002",
    name: "scp-allows-eligible-services",
    severity: Severity::Low,
    citations: &[RISK_MANAGEMENT],
    summary: "The SCPs in effect on the account do not block HIPAA eligible services",
    docs: RuleDocs {
        what: "Evaluates the SCPs from the organization root down to the scanned account, as SCP-001 \
does, and fails when they block every action of a HIPAA eligible service. The message lists the blocked \
eligible services, and names the eligible services allowed only in part and the supporting services \
blocked. An account that no SCP restricts (in no organization, SCPs not enabled, or the management account) \
passes. It is Unknown when Organizations denies the read. Live accounts only (`phiguard scan --aws`).",
        why: "Several eligible services are the safeguards themselves: AWS Backup for the data backup \
plan, CloudTrail and CloudWatch Logs for audit controls, KMS for encryption. An allow-list that leaves \
one out, or a guardrail that denies it, stops teams from using the service that protects ePHI and pushes \
them to workarounds outside the reviewed set.",
        fix: "Regenerate the SCP with `phiguard scp generate`, which allows every eligible service of the \
catalog, or add the blocked prefixes to the allow-list at every level from the root to the account. If \
a service is blocked on purpose, record that as an exception with its justification.",
        limitations: "A service counts as blocked only when none of its actions gets through; guardrails \
that deny a few actions (leaving the organization, stopping CloudTrail) are reported as partial, not as \
failures. Statements with conditions are evaluated as if the condition holds. The SCPs of a member \
account can only be read from the management account or a delegated administrator. Plans and templates \
cannot express the organization's hierarchy, so the rule has no Terraform or CloudFormation examples.",
        terraform_fail: "",
        terraform_pass: "",
        cloudformation_fail: "",
        cloudformation_pass: "",
    },
};

impl Rule for ScpAllowsEligible {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn live_only(&self) -> bool {
        true
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        scp_records(model)
            .map(|(resource, scps)| {
                let account = &scps.account_id;
                let location = scps.hierarchy.location();
                let what = format!("whether the SCPs block HIPAA eligible services for account {account}");
                let (hierarchy, access) = match effect(resource, scps, &what) {
                    Err(unknown) => return unknown,
                    Ok(Effect::Unrestricted { why, .. }) => {
                        return Check::pass(resource, format!("{why}, so no SCP blocks an eligible service"), location)
                    }
                    Ok(Effect::Restricted { hierarchy, access }) => (hierarchy, access),
                };

                let mut details = Vec::new();
                if !access.eligible_partial.is_empty() {
                    details.push(format!(
                        "{} eligible service(s) allowed only in part: {}",
                        access.eligible_partial.len(),
                        list_prefixes(&access.eligible_partial)
                    ));
                }
                if !access.supporting_blocked.is_empty() {
                    details.push(format!(
                        "{} supporting service(s) blocked: {}",
                        access.supporting_blocked.len(),
                        list_prefixes(&access.supporting_blocked)
                    ));
                }
                let details = details.iter().map(|detail| format!("; {detail}")).collect::<String>();
                let conditions = condition_note(&access);
                if access.eligible_blocked.is_empty() {
                    return Check::pass(
                        resource,
                        format!(
                            "the SCPs in effect on account {account} block no HIPAA eligible service (levels: {}){details}{conditions}",
                            describe_levels(&hierarchy.levels)
                        ),
                        location,
                    );
                }
                Check::fail(
                    resource,
                    format!(
                        "the SCPs in effect on account {account} block {} HIPAA eligible service(s): {}{details}{conditions}",
                        access.eligible_blocked.len(),
                        list_prefixes(&access.eligible_blocked)
                    ),
                    location,
                )
            })
            .collect()
    }
}
