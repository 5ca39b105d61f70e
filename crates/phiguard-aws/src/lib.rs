//! Live AWS access for phiguard, kept in its own crate so the rest of the
//! workspace builds without the AWS SDK. [`Aws`] owns the SDK configuration
//! (region, profile, credentials, endpoint override) and its runtime. The
//! [`s3`] and [`logs`] modules stream S3 objects and CloudWatch Logs events
//! through the `phiguard-phi` detector. The [`account`] module turns a live
//! account's resources and SCPs into a model for the rules, through clients
//! that the [`guard`] keeps to read-only operations. Every call is read-only.

pub mod account;
pub mod arn;
mod connect;
mod errors;
pub mod guard;
pub mod inventory;
pub mod logs;
pub mod organizations;
pub mod s3;

use phiguard_phi::output::SourceFailure;
use phiguard_phi::{scan_reader, Detector, ScanOptions, Source};

pub use account::{scan_account, AccountScan, ScpAccounts};
pub use connect::{Aws, AwsOptions, ConnectError};
pub use guard::{Operation, ReadOnlyGuard};
pub use logs::{parse_time, scan_log_groups, LogsSummary, TimeWindow};
pub use s3::{parse_byte_size, parse_sample_percent, scan_s3, S3Sampling, S3Summary, S3Url};

/// The SDK crates, for callers and tests that make their own requests.
pub use {aws_sdk_cloudwatchlogs, aws_sdk_organizations, aws_sdk_resourcegroupstagging, aws_sdk_s3, aws_sdk_sts};

/// The findings and failures of the live sources, collected so the caller
/// can write them to its report with the file sources' results.
#[derive(Debug, Default)]
pub struct Report {
    pub sources: u64,
    pub bytes: u64,
    pub findings: Vec<phiguard_phi::finding::Finding>,
    pub errors: Vec<SourceFailure>,
}

/// Scans one source and adds its findings, or the read failure, to `report`.
pub(crate) fn scan_into_report(detector: &Detector, options: &ScanOptions, source: Source, report: &mut Report) {
    let Source { label, reader } = source;
    report.sources += 1;
    let findings = &mut report.findings;
    match scan_reader(detector, reader, &label, options, |finding| findings.push(finding)) {
        Ok(summary) => report.bytes += summary.bytes,
        Err(error) => report.errors.push(SourceFailure { source: label, message: format!("failed to read: {error}") }),
    }
}
