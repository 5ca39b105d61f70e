//! Reads the service control policies in effect on one account from AWS
//! Organizations: the organization (DescribeOrganization), whether SCPs are
//! enabled on its root (ListRoots), the account's parents up to the root
//! (ListParents), the SCPs attached at each level (ListPoliciesForTarget)
//! and their documents (DescribePolicy).
//!
//! Only the management account and delegated administrators may call the
//! List operations, so from another member account the result is unknown,
//! with the reason and the next step.

use std::collections::HashMap;

use aws_sdk_organizations::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_organizations::types::{OrganizationFeatureSet, ParentType, PolicyType, PolicyTypeStatus};
use phiguard_model::services::{AttachedScp, ScpHierarchy, ScpLevel, ScpTarget};
use phiguard_model::{Attr, Location};

use crate::connect::Aws;
use crate::errors::{describe, Attempt};

/// The deepest nesting AWS Organizations allows is five OUs under the root;
/// a longer chain of parents means the responses are inconsistent.
const MAX_DEPTH: usize = 10;

/// Returns the ids of the organization's active accounts (ListAccounts),
/// sorted, for checking the SCPs of every account from the management
/// account or a delegated administrator.
pub fn organization_accounts(aws: &Aws) -> Result<Vec<String>, String> {
    let client = aws.organizations();
    let mut pages = client.list_accounts().into_paginator().send();
    let mut accounts = Vec::new();
    while let Some(page) = aws.block_on(pages.next()) {
        let page = page.map_err(|error| {
            let attempt = Attempt { action: "organizations:ListAccounts", resource: "*", not_found: "", region: aws.region() };
            format!("failed to list the organization's accounts: {}", describe(&error, &attempt))
        })?;
        for account in page.accounts() {
            let active = account.status().is_none_or(|status| status.as_str() == "ACTIVE");
            if let (true, Some(id)) = (active, account.id()) {
                accounts.push(id.to_string());
            }
        }
    }
    accounts.sort();
    accounts.dedup();
    Ok(accounts)
}

/// Returns the SCP levels in effect on `account_id`, or an unknown attribute
/// whose reason explains why they cannot be read and what to do. `location` is
/// the location the attribute records.
pub fn read_scps(aws: &Aws, account_id: &str, location: &Location) -> Attr<ScpHierarchy> {
    match read_hierarchy(aws, account_id) {
        Ok(hierarchy) => Attr::explicit(hierarchy, location.clone()),
        Err(reason) => Attr::unknown(reason, location.clone()),
    }
}

fn read_hierarchy(aws: &Aws, account_id: &str) -> Result<ScpHierarchy, String> {
    let client = aws.organizations();
    let reader = Reader { aws, account_id };

    let described = match aws.block_on(client.describe_organization().send()) {
        Ok(described) => described,
        // An account outside any organization is a known state: no SCP
        // applies to it, which the SCP rules report as a failure.
        Err(error) if error.code() == Some("AWSOrganizationsNotInUseException") => {
            return Ok(ScpHierarchy {
                organization_id: String::new(),
                management_account_id: String::new(),
                scps_enabled: false,
                levels: Vec::new(),
            });
        }
        Err(error) => return Err(reader.explain(&error, "organizations:DescribeOrganization")),
    };
    let organization = described.organization().ok_or("DescribeOrganization returned no organization")?;
    let organization_id = organization.id().unwrap_or_default().to_string();
    let management_account_id = organization.master_account_id().unwrap_or_default().to_string();
    let all_features = organization.feature_set() != Some(&OrganizationFeatureSet::ConsolidatedBilling);

    let mut roots = client.list_roots().into_paginator().send();
    let mut scps_enabled = false;
    while let Some(page) = aws.block_on(roots.next()) {
        let page = page.map_err(|error| reader.explain(&error, "organizations:ListRoots"))?;
        scps_enabled |= page.roots().iter().flat_map(|root| root.policy_types()).any(|policy_type| {
            policy_type.r#type() == Some(&PolicyType::ServiceControlPolicy)
                && policy_type.status() == Some(&PolicyTypeStatus::Enabled)
        });
    }

    // Walk up from the account; the levels are then reversed to run from the root down.
    let mut levels = vec![ScpLevel { target: ScpTarget::Account, id: account_id.to_string(), policies: Vec::new() }];
    let mut child = account_id.to_string();
    loop {
        if levels.len() > MAX_DEPTH {
            return Err(format!(
                "ListParents returned more than {MAX_DEPTH} levels above account {account_id}; check the \
                 organization's structure in the AWS Organizations console"
            ));
        }
        let mut pages = client.list_parents().child_id(&child).into_paginator().send();
        let mut parent = None;
        while let Some(page) = aws.block_on(pages.next()) {
            let page = page.map_err(|error| reader.explain(&error, "organizations:ListParents"))?;
            parent = parent.or_else(|| page.parents().first().cloned());
        }
        let parent = parent.ok_or_else(|| format!("ListParents returned no parent for {child}"))?;
        let id = parent.id().unwrap_or_default().to_string();
        let target = match parent.r#type() {
            Some(ParentType::Root) => ScpTarget::Root,
            _ => ScpTarget::OrganizationalUnit,
        };
        levels.push(ScpLevel { target, id: id.clone(), policies: Vec::new() });
        if target == ScpTarget::Root {
            break;
        }
        child = id;
    }
    levels.reverse();

    let mut documents: HashMap<String, AttachedScp> = HashMap::new();
    for level in &mut levels {
        let mut pages = client
            .list_policies_for_target()
            .target_id(&level.id)
            .filter(PolicyType::ServiceControlPolicy)
            .into_paginator()
            .send();
        while let Some(page) = aws.block_on(pages.next()) {
            let page = page.map_err(|error| reader.explain(&error, "organizations:ListPoliciesForTarget"))?;
            for summary in page.policies() {
                let Some(policy_id) = summary.id() else { continue };
                if let Some(known) = documents.get(policy_id) {
                    level.policies.push(known.clone());
                    continue;
                }
                let described = aws
                    .block_on(client.describe_policy().policy_id(policy_id).send())
                    .map_err(|error| reader.explain(&error, "organizations:DescribePolicy"))?;
                let content = described.policy().and_then(|policy| policy.content()).unwrap_or_default();
                let attached = AttachedScp {
                    id: policy_id.to_string(),
                    name: summary.name().unwrap_or_default().to_string(),
                    aws_managed: summary.aws_managed(),
                    content: content.to_string(),
                };
                documents.insert(policy_id.to_string(), attached.clone());
                level.policies.push(attached);
            }
        }
    }

    Ok(ScpHierarchy { organization_id, management_account_id, scps_enabled: all_features && scps_enabled, levels })
}

/// The context that failure messages name.
struct Reader<'a> {
    aws: &'a Aws,
    account_id: &'a str,
}

impl Reader<'_> {
    /// Explains why an Organizations call failed and what to do next.
    fn explain<E, R>(&self, error: &SdkError<E, R>, action: &str) -> String
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + 'static,
    {
        explain_code(error.code(), action, self.account_id).unwrap_or_else(|| {
            let attempt = Attempt { action, resource: "*", not_found: "", region: self.aws.region() };
            format!("failed to read the SCPs: {}", describe(error, &attempt))
        })
    }
}

/// Returns the message for the Organizations error codes that have a next
/// step of their own, or `None` for the others.
fn explain_code(code: Option<&str>, action: &str, account: &str) -> Option<String> {
    match code? {
        "AWSOrganizationsNotInUseException" => Some(format!(
            "account {account} is not in an organization, so no SCP limits it to HIPAA eligible services; \
             put it in an AWS Organizations OU with an SCP that allows only eligible services (`phiguard scp \
             generate`)"
        )),
        "AccessDeniedException" if action == "organizations:DescribeOrganization" => Some(format!(
            "{action} was denied for account {account}; allow it for the scanning credentials, and check that no \
             SCP or permissions boundary denies it"
        )),
        "AccessDeniedException" => Some(format!(
            "{action} was denied for account {account}: only the management account and delegated administrators \
             of AWS Organizations can read SCPs. Scan with credentials of a delegated administrator, or have the \
             management account delegate organizations:ListRoots, ListParents, ListPoliciesForTarget and \
             DescribePolicy to this account in the organization's resource-based delegation policy"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_in_organization_names_next_step() {
        let message = explain_code(Some("AWSOrganizationsNotInUseException"), "organizations:DescribeOrganization", "111122223333")
            .expect("a message");
        assert!(message.contains("111122223333 is not in an organization"), "{message}");
        assert!(message.contains("phiguard scp generate"), "{message}");
    }

    #[test]
    fn member_denial_names_delegation() {
        let message =
            explain_code(Some("AccessDeniedException"), "organizations:ListParents", "111122223333").expect("a message");
        assert!(message.contains("organizations:ListParents was denied for account 111122223333"), "{message}");
        assert!(message.contains("delegated administrator"), "{message}");
    }

    #[test]
    fn other_codes_use_generic_message() {
        assert_eq!(explain_code(Some("TooManyRequestsException"), "organizations:ListParents", "111122223333"), None);
        assert_eq!(explain_code(None, "organizations:ListParents", "111122223333"), None);
    }
}
