//! Rules on the service control policies (SCPs) that AWS Organizations
//! applies to a live account. Only `phiguard scan --aws` reads them, because
//! plans and templates cannot express where an account sits in its
//! organization.

mod scp_allows_eligible;
mod scp_allows_only_eligible;

use phiguard_catalog::policy::PolicyDocument;
use phiguard_catalog::scp::{effective_access, EffectiveAccess};
use phiguard_catalog::Catalog;
use phiguard_model::services::{ScpHierarchy, ScpLevel, ServiceControlPolicies};
use phiguard_model::{Model, Resource, ResourceKind};

use crate::{Check, Rule};

pub(crate) const RULES: &[&dyn Rule] =
    &[&scp_allows_only_eligible::ScpAllowsOnlyEligible, &scp_allows_eligible::ScpAllowsEligible];

/// How many prefixes a message lists before it gives the rest as a count.
const LISTED_PREFIXES: usize = 8;

/// Iterates over the SCP records of a model; a live account has one.
fn scp_records(model: &Model) -> impl Iterator<Item = (&Resource, &ServiceControlPolicies)> {
    model.each(|kind| match kind {
        ResourceKind::ServiceControlPolicies(scps) => Some(scps),
        _ => None,
    })
}

/// The effect of the SCPs on one account.
enum Effect<'a> {
    /// No SCP restricts the account: `why` gives the reason, and `next_step` what
    /// would make SCPs apply.
    Unrestricted { why: String, next_step: &'static str },
    /// The SCPs restrict the account, and `access` is what they let through.
    Restricted { hierarchy: &'a ScpHierarchy, access: EffectiveAccess },
}

/// Evaluates what the SCPs of `scps` let through, or returns the unknown
/// check for `what` when the SCPs could not be read or a policy does not parse.
fn effect<'m, 'a>(resource: &'m Resource, scps: &'a ServiceControlPolicies, what: &str) -> Result<Effect<'a>, Check<'m>> {
    let hierarchy = Check::read(resource, &scps.hierarchy, what)?;
    let account = &scps.account_id;
    if hierarchy.organization_id.is_empty() {
        return Ok(Effect::Unrestricted {
            why: format!("account {account} is not in an organization, so no SCP applies to it"),
            next_step: "move it into an AWS Organizations OU with an SCP that allows only eligible services \
                        (`phiguard scp generate`)",
        });
    }
    if !hierarchy.scps_enabled {
        return Ok(Effect::Unrestricted {
            why: format!("SCPs are not enabled in organization {}", hierarchy.organization_id),
            next_step: "enable all features and the SERVICE_CONTROL_POLICY policy type on the organization root",
        });
    }
    if hierarchy.is_management_account(account) {
        return Ok(Effect::Unrestricted {
            why: format!(
                "account {account} is the management account of organization {}, which SCPs never restrict",
                hierarchy.organization_id
            ),
            next_step: "run ePHI workloads in member accounts under an OU with such an SCP",
        });
    }

    let mut levels: Vec<Vec<PolicyDocument>> = Vec::with_capacity(hierarchy.levels.len());
    for level in &hierarchy.levels {
        let mut documents = Vec::with_capacity(level.policies.len());
        for policy in &level.policies {
            let label = format!("SCP {} ({})", policy.name, policy.id);
            match PolicyDocument::parse(&label, &policy.content) {
                Ok(document) => documents.push(document),
                Err(error) => {
                    return Err(Check::unknown(
                        resource,
                        format!("cannot tell {what}"),
                        format!("{error}; the policy is attached to {}", describe_level(level)),
                        &resource.location,
                    ))
                }
            }
        }
        levels.push(documents);
    }
    let access = effective_access(Catalog::active(), &levels);
    Ok(Effect::Restricted { hierarchy, access })
}

/// Names a level for messages, such as `OU ou-ab12-cdef3456`.
fn describe_level(level: &ScpLevel) -> String {
    format!("{} {}", level.target.as_str(), level.id)
}

/// Names the levels from the root down, such as `root r-ab12, OU ou-ab12-cdef3456, account 111122223333`.
fn describe_levels(levels: &[ScpLevel]) -> String {
    levels.iter().map(describe_level).collect::<Vec<_>>().join(", ")
}

/// Lists prefixes up to [`LISTED_PREFIXES`] and counts the rest.
fn list_prefixes(prefixes: &[String]) -> String {
    let shown = prefixes.iter().take(LISTED_PREFIXES).cloned().collect::<Vec<_>>().join(", ");
    match prefixes.len().saturating_sub(LISTED_PREFIXES) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Returns the sentence on conditions for messages, or an empty string when
/// no statement has one.
fn condition_note(access: &EffectiveAccess) -> String {
    match access.conditional_statements {
        0 => String::new(),
        count => format!("; {count} statement(s) with conditions were evaluated as if every condition holds"),
    }
}

#[cfg(test)]
mod tests;
