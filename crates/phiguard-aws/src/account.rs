//! The live account scan: who the credentials belong to (STS
//! GetCallerIdentity), the resource inventory of the requested regions and
//! the SCPs in effect, turned into one [`Model`] that the rules read like a
//! plan or template.

use phiguard_model::services::ServiceControlPolicies;
use phiguard_model::{Location, Model, Resource, ResourceKind};

use crate::arn::Arn;
use crate::connect::Aws;
use crate::errors::{describe, Attempt};
use crate::inventory::{list_resources, LiveFailure};
use crate::organizations::{organization_accounts, read_scps};

/// The resource type of the account-level resource that carries the SCPs.
pub const SCP_RESOURCE_TYPE: &str = "aws:organizations:service-control-policies";

/// The note every account scan carries, because the gap is silent otherwise.
pub const UNTAGGED_NOTE: &str = "the Resource Groups Tagging API returns only resources that have or once had \
tags, so untagged resources other than S3 buckets are not scanned";

/// The model of one account and what could not be read.
#[derive(Debug)]
pub struct AccountScan {
    pub account_id: String,
    /// The regions whose resources were listed, in the order given.
    pub regions: Vec<String>,
    pub model: Model,
    /// Regions or listings that failed; their resources are missing from
    /// the model.
    pub failures: Vec<LiveFailure>,
    /// Facts about what the scan could not see.
    pub notes: Vec<String>,
}

/// The accounts whose SCPs a live scan checks besides its own account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ScpAccounts {
    /// Only the account of the credentials.
    #[default]
    Own,
    /// These account ids as well.
    These(Vec<String>),
    /// Every active account of the organization (ListAccounts).
    All,
}

/// Scans the account that the credentials of `aws` belong to, in each of
/// `regions` (the connection's region when empty), and the SCPs in effect on
/// it and on the accounts `scp_accounts` names. `progress` is called with
/// each region before its resources are listed.
///
/// Returns an error only when the account cannot be identified; a region or
/// listing that fails is recorded in [`AccountScan::failures`].
pub fn scan_account(
    aws: &Aws,
    regions: &[String],
    scp_accounts: &ScpAccounts,
    progress: &dyn Fn(&str),
) -> Result<AccountScan, String> {
    let regions: Vec<String> = if regions.is_empty() { vec![aws.region().to_string()] } else { regions.to_vec() };
    let (account_id, partition) = caller_account(aws)?;

    let inventory = list_resources(aws, &partition, &regions, progress);
    let mut resources: Vec<Resource> = inventory
        .resources
        .iter()
        .map(|live| {
            let resource_type =
                Arn::parse(&live.arn).map(|arn| arn.model_type()).unwrap_or_else(|| "aws:unknown:resource".to_string());
            let mut resource = Resource::new(live.arn.clone(), resource_type, Location::live(&live.arn), ResourceKind::Other);
            resource.tags = live.tags.clone();
            resource
        })
        .collect();

    let mut failures = inventory.failures;
    let mut checked = vec![account_id.clone()];
    match scp_accounts {
        ScpAccounts::Own => {}
        ScpAccounts::These(ids) => checked.extend(ids.iter().cloned()),
        ScpAccounts::All => match organization_accounts(aws) {
            Ok(ids) => checked.extend(ids),
            Err(message) => failures.push(LiveFailure { source: "organization accounts".to_string(), message }),
        },
    }
    let mut seen = std::collections::HashSet::new();
    checked.retain(|id| seen.insert(id.clone()));
    for id in &checked {
        // The SCPs belong to the account as a whole, which IAM names with its root ARN.
        let account_arn = format!("arn:{partition}:iam::{id}:root");
        let location = Location::live(&account_arn);
        let hierarchy = read_scps(aws, id, &location);
        resources.push(Resource::new(
            account_arn,
            SCP_RESOURCE_TYPE,
            location,
            ResourceKind::ServiceControlPolicies(ServiceControlPolicies { account_id: id.clone(), hierarchy }),
        ));
    }

    let mut notes = vec![UNTAGGED_NOTE.to_string()];
    notes.extend(inventory.notes);
    if checked.len() > 1 {
        notes.push(format!(
            "checked the SCPs of {} accounts; resources were listed in account {account_id} only",
            checked.len()
        ));
    }
    let model = Model { source: format!("aws account {account_id}"), resources, assumptions: Vec::new() };
    Ok(AccountScan { account_id, regions, model, failures, notes })
}

/// Returns the account id and partition of the credentials.
fn caller_account(aws: &Aws) -> Result<(String, String), String> {
    let attempt = Attempt { action: "sts:GetCallerIdentity", resource: "*", not_found: "", region: aws.region() };
    let identity = aws
        .block_on(aws.sts().get_caller_identity().send())
        .map_err(|error| format!("failed to identify the AWS account: {}", describe(&error, &attempt)))?;
    let account_id = identity.account().unwrap_or_default().to_string();
    if account_id.is_empty() {
        return Err("failed to identify the AWS account: GetCallerIdentity returned no account id".to_string());
    }
    let partition =
        identity.arn().and_then(Arn::parse).map(|arn| arn.partition.to_string()).unwrap_or_else(|| "aws".to_string());
    Ok((account_id, partition))
}
