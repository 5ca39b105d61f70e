//! `phiguard scan --aws`: the live account scan. This module parses its
//! options, builds the account's model through `phiguard-aws` with clients
//! that only read, runs the selected rules on it, and adds the findings,
//! failures and notes to the same report as the file inputs.

use std::io::IsTerminal;

use anyhow::Result;
use clap::Args;

use phiguard_aws::{scan_account, Aws, AwsOptions, Operation, ScpAccounts};
use phiguard_model::{Finding, ResourceKind};
use phiguard_report::{InputError, Note, Report};
use phiguard_rules::evaluate;

use crate::config::Scope;
use crate::pipeline::{limit_to_tagged, mark_ephi, ScanContext};

/// Options of the live account scan.
#[derive(Args, Debug)]
#[command(next_help_heading = "Live AWS account")]
pub struct LiveArgs {
    /// Also scan the AWS account of the current credentials, read-only: the
    /// resources that the Resource Groups Tagging API lists, every S3 bucket,
    /// and the SCPs in effect. PATH arguments are then optional.
    #[arg(long)]
    pub aws: bool,
    /// Region to scan (repeat the flag for several); the default comes from
    /// AWS_REGION or the profile.
    #[arg(long = "region", value_name = "REGION", requires = "aws")]
    regions: Vec<String>,
    /// Named profile from ~/.aws/config; the default comes from AWS_PROFILE.
    #[arg(long, requires = "aws")]
    profile: Option<String>,
    /// Send every AWS request to this endpoint (an emulator or a VPC
    /// endpoint) instead of AWS's own; AWS_ENDPOINT_URL sets it too.
    #[arg(long, value_name = "URL", requires = "aws")]
    endpoint_url: Option<String>,
    /// Also check the SCPs in effect on this account id (repeat the flag for
    /// several), or on every active account of the organization with `all`.
    /// Needs the credentials of the management account or a delegated
    /// administrator; resources are still listed in the credentials' account only.
    #[arg(long = "scp-account", value_name = "ID|all", requires = "aws", value_parser = parse_account)]
    scp_accounts: Vec<String>,
}

/// Accepts `all` or a 12-digit AWS account id.
fn parse_account(value: &str) -> Result<String, String> {
    if value == "all" || (value.len() == 12 && value.bytes().all(|byte| byte.is_ascii_digit())) {
        Ok(value.to_owned())
    } else {
        Err(format!("{value:?} is not a 12-digit AWS account id or `all`"))
    }
}

/// Scans the live account into `report` when `--aws` is given. Returns an
/// error only when the AWS configuration itself is unusable (no region, no
/// credentials). A region or API that fails is recorded in the report's
/// errors, and the rest is still scanned.
pub fn scan(args: &LiveArgs, context: &ScanContext<'_>, report: &mut Report) -> Result<()> {
    if !args.aws {
        return Ok(());
    }
    let aws = Aws::connect_read_only(&AwsOptions {
        region: args.regions.first().cloned(),
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
    })?;

    let terminal = std::io::stderr().is_terminal();
    let progress = |region: &str| {
        if terminal {
            eprintln!("aws: listing the resources of region {region}");
        }
    };
    let scp_accounts = if args.scp_accounts.iter().any(|id| id == "all") {
        ScpAccounts::All
    } else if args.scp_accounts.is_empty() {
        ScpAccounts::Own
    } else {
        ScpAccounts::These(args.scp_accounts.clone())
    };
    let scan = scan_account(&aws, &args.regions, &scp_accounts, &progress);
    let operations = aws.guard().map(|guard| guard.operations()).unwrap_or_default();
    let mut scan = match scan {
        Ok(scan) => scan,
        Err(message) => {
            report.errors.push(InputError { file: "aws account".to_owned(), line: None, column: None, message });
            record_operations(&operations, "aws account", report);
            return Ok(());
        }
    };

    let source = scan.model.source.clone();
    mark_ephi(&mut scan.model, context.config);
    let models = std::slice::from_ref(&scan.model);
    let mut findings = evaluate(models, &context.rules).findings;
    if context.config.scope == Scope::Tagged {
        // The SCP findings judge the account as a whole, which carries no
        // tags, so only the findings on resources are limited.
        let (mut resource_findings, account_findings): (Vec<Finding>, Vec<Finding>) =
            findings.into_iter().partition(|finding| !is_account_finding(finding, &scan.model));
        limit_to_tagged(&mut resource_findings, models);
        resource_findings.extend(account_findings);
        findings = resource_findings;
    }

    let resources = scan.model.resources.iter().filter(|resource| matches!(resource.kind, ResourceKind::Other)).count();
    eprintln!(
        "aws: scanned account {} in {}: {resources} resource(s) and the SCPs in effect",
        scan.account_id,
        scan.regions.join(", "),
    );
    report.aws_accounts_scanned += 1;
    report.findings.extend(findings);
    for failure in scan.failures {
        report.errors.push(InputError {
            file: format!("{source}, {}", failure.source),
            line: None,
            column: None,
            message: failure.message,
        });
    }
    for message in scan.notes {
        report.notes.push(Note { file: source.clone(), message });
    }
    record_operations(&operations, &source, report);
    Ok(())
}

/// Returns whether a finding is on the account's SCP record rather than on a
/// resource.
fn is_account_finding(finding: &Finding, model: &phiguard_model::Model) -> bool {
    model
        .find(&finding.resource.address)
        .is_some_and(|resource| matches!(resource.kind, ResourceKind::ServiceControlPolicies(_)))
}

/// Adds a note that lists the AWS operations the scan called, with counts, so
/// the report shows what was read. An operation that the read-only guard
/// rejected is an error, because phiguard should never attempt one.
fn record_operations(operations: &[Operation], source: &str, report: &mut Report) {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for operation in operations {
        let name = format!("{} {}", operation.service, operation.name);
        match counted.iter_mut().find(|(seen, _)| *seen == name) {
            Some((_, count)) => *count += 1,
            None => counted.push((name, 1)),
        }
        if !operation.allowed {
            report.errors.push(InputError {
                file: source.to_owned(),
                line: None,
                column: None,
                message: format!(
                    "the read-only guard rejected {} {}, so it was not sent; this is a phiguard bug, please report it",
                    operation.service, operation.name
                ),
            });
        }
    }
    if counted.is_empty() {
        return;
    }
    let listed: Vec<String> = counted.iter().map(|(name, count)| format!("{name} ({count})")).collect();
    report.notes.push(Note {
        file: source.to_owned(),
        message: format!("made {} read-only AWS call(s): {}", operations.len(), listed.join(", ")),
    });
}
