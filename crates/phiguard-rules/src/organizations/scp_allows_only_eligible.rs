//! SCP-001: the SCPs in effect on a live account allow no service outside
//! the HIPAA eligible and supporting services.

use phiguard_model::{Model, Severity};

use super::{condition_note, describe_level, describe_levels, effect, list_prefixes, scp_records, Effect};
use crate::citations::{ACCESS_AUTHORIZATION, RISK_MANAGEMENT};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ScpAllowsOnlyEligible;

// NOTE: the BAA requirement behind this rule is 164.308(b)(1) and
// 164.314(a), which the citation catalog does not list yet; SVC-001 cites
// the same stand-ins.
static META: RuleMeta = RuleMeta {
    id: "SCP-001",
    name: "scp-allows-only-eligible-services",
    severity: Severity::High,
    citations: &[RISK_MANAGEMENT, ACCESS_AUTHORIZATION],
    summary: "The SCPs in effect on the account allow only HIPAA eligible and supporting services",
    docs: RuleDocs {
        what: "Reads the service control policies attached to the organization root, to each OU above \
the scanned account and to the account itself. It evaluates them as AWS Organizations does: an action \
is allowed only when every level has an attached SCP that allows it and no SCP at any level denies it. \
The rule fails when the effective SCPs allow a service that the catalog marks not eligible, a service the \
catalog does not know, or every service AWS adds later (an allow of `*` at every level). The message names \
the levels where `FullAWSAccess` is still attached and the non-eligible services allowed. It also fails \
when the account is in no organization, when SCPs are not enabled in the organization, and for the \
management account, which SCPs never restrict. It is Unknown when Organizations denies the read. Live \
accounts only (`phiguard scan --aws`).",
        why: "The AWS Business Associate Addendum covers only the HIPAA eligible services. An SCP that \
allows only those services, plus the supporting services that hold no customer content, keeps every \
principal in the account, administrators included, from putting ePHI into a service that no business \
associate agreement covers (45 CFR 164.308(b)(1)). IAM policies alone do not: any administrator can \
grant themselves a non-eligible service.",
        fix: "Attach an SCP that allows only eligible and supporting services to the OU that holds the \
account: `phiguard scp generate` writes a deny-not-action policy that works with `FullAWSAccess` \
attached, and `--strategy allow-list` writes allow statements that replace it. For an allow-list, detach \
`FullAWSAccess` from every level where the allow-list is attached, because one allow at a level is \
enough. Move workloads out of the management account.",
        limitations: "Statements with conditions are evaluated as if the condition holds, and \
`Resource` and `NotResource` are ignored, so a condition that does not hold can allow more than the rule \
reports. Whether a service is allowed only in part is estimated from the action patterns. Only the \
management account and delegated administrators of AWS Organizations may read the SCPs; from another \
member account the result is Unknown. Resource control policies and permission boundaries are not read. \
Plans and templates cannot express the organization's hierarchy, so the rule has no Terraform or \
CloudFormation examples.",
        terraform_fail: "",
        terraform_pass: "",
        cloudformation_fail: "",
        cloudformation_pass: "",
    },
};

impl Rule for ScpAllowsOnlyEligible {
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
                let what = format!("whether the SCPs keep account {account} to HIPAA eligible services");
                let (hierarchy, access) = match effect(resource, scps, &what) {
                    Err(unknown) => return unknown,
                    Ok(Effect::Unrestricted { why, next_step }) => {
                        return Check::fail(
                            resource,
                            format!("{why}, so no SCP keeps account {account} to HIPAA eligible services; {next_step}"),
                            location,
                        )
                    }
                    Ok(Effect::Restricted { hierarchy, access }) => (hierarchy, access),
                };

                let mut allowed = Vec::new();
                if !access.non_eligible_allowed.is_empty() {
                    allowed.push(format!(
                        "{} non-eligible service(s): {}",
                        access.non_eligible_allowed.len(),
                        list_prefixes(&access.non_eligible_allowed)
                    ));
                }
                if !access.unknown_allowed.is_empty() {
                    allowed.push(format!(
                        "{} service(s) not in the catalog: {}",
                        access.unknown_allowed.len(),
                        list_prefixes(&access.unknown_allowed)
                    ));
                }
                if access.allows_everything_else {
                    allowed.push("every service that no statement names, including services AWS adds later".to_string());
                }
                let conditions = condition_note(&access);
                if allowed.is_empty() {
                    return Check::pass(
                        resource,
                        format!(
                            "the SCPs in effect on account {account} allow no non-eligible service (levels: {}){conditions}",
                            describe_levels(&hierarchy.levels)
                        ),
                        location,
                    );
                }

                let full_access: Vec<String> = hierarchy
                    .levels
                    .iter()
                    .filter(|level| level.policies.iter().any(|policy| policy.is_full_aws_access()))
                    .map(describe_level)
                    .collect();
                let attached = if full_access.is_empty() {
                    "FullAWSAccess is attached at no level".to_string()
                } else {
                    format!("FullAWSAccess is attached at {}", full_access.join(", "))
                };
                Check::fail(
                    resource,
                    format!("the SCPs in effect on account {account} allow {}; {attached}{conditions}", allowed.join("; ")),
                    location,
                )
            })
            .collect()
    }
}
