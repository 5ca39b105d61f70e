//! The live sources of `phiguard phi scan`: `--s3` and `--log-group`. This
//! module parses their options, connects through `phiguard-aws`, and adds
//! what it finds to the same report as the file sources.

use anyhow::{anyhow, Result};
use clap::Args;
use phiguard_aws::{
    parse_byte_size, parse_sample_percent, scan_log_groups, scan_s3, Aws, AwsOptions, S3Sampling, S3Url, TimeWindow,
};
use phiguard_aws::Report;
use phiguard_phi::{Detector, ScanOptions};

/// Options for S3 objects and CloudWatch Logs events.
#[derive(Args)]
#[command(next_help_heading = "Live AWS sources")]
pub struct LiveArgs {
    /// Scan the S3 objects under s3://BUCKET/PREFIX (repeatable).
    #[arg(long = "s3", value_name = "URL", value_parser = S3Url::parse)]
    pub s3: Vec<S3Url>,
    /// Percentage of S3 objects to scan, chosen by a hash of the key so
    /// reruns scan the same objects.
    #[arg(long, value_name = "PERCENT", default_value = "100", value_parser = parse_sample_percent)]
    sample_percent: f64,
    /// Maximum number of S3 objects to scan, in key order, across all --s3
    /// URLs.
    #[arg(long, value_name = "COUNT")]
    max_objects: Option<u64>,
    /// Maximum bytes to download from S3 across all --s3 URLs, as stored
    /// (compressed); accepts K, M and G suffixes (powers of 1024). The object
    /// that crosses the budget is scanned up to it.
    #[arg(long, value_name = "BYTES", value_parser = parse_byte_size)]
    max_bytes: Option<u64>,
    /// Scan the events of a CloudWatch Logs group (repeatable); a trailing
    /// `*` scans every group whose name starts with the rest.
    #[arg(long = "log-group", value_name = "NAME")]
    pub log_groups: Vec<String>,
    /// Start of the log event window: an RFC 3339 timestamp, or a duration
    /// before now such as 30m, 24h or 7d.
    #[arg(long, value_name = "TIME", default_value = "24h")]
    since: String,
    /// End of the log event window, in the same forms as --since; the
    /// default is now.
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Maximum number of log events to scan across all --log-group names.
    #[arg(long, value_name = "COUNT")]
    max_events: Option<u64>,
    /// AWS region; the default comes from AWS_REGION or the profile.
    #[arg(long)]
    region: Option<String>,
    /// Named profile from ~/.aws/config; the default comes from AWS_PROFILE.
    #[arg(long)]
    profile: Option<String>,
    /// Send every AWS request to this endpoint (an emulator or a VPC
    /// endpoint) instead of AWS's own; AWS_ENDPOINT_URL sets it too. S3 then
    /// uses path-style addressing.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

impl LiveArgs {
    fn any(&self) -> bool {
        !self.s3.is_empty() || !self.log_groups.is_empty()
    }
}

/// Scans the live sources, if any were given, into `report`. Returns an
/// error only when the AWS configuration itself is unusable (no region, no
/// credentials); a failed bucket or log group is recorded in `report`.
pub fn scan(args: &LiveArgs, detector: &Detector, options: &ScanOptions, report: &mut Report) -> Result<()> {
    if !args.any() {
        return Ok(());
    }
    // The window is checked before connecting, so a typo fails fast.
    let window = if args.log_groups.is_empty() {
        None
    } else {
        let now = jiff::Timestamp::now();
        Some(TimeWindow::parse(&args.since, args.until.as_deref(), now).map_err(|message| anyhow!(message))?)
    };
    let aws = Aws::connect(&AwsOptions {
        region: args.region.clone(),
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
    })?;

    if !args.s3.is_empty() {
        let sampling =
            S3Sampling { sample_percent: args.sample_percent, max_objects: args.max_objects, max_bytes: args.max_bytes };
        let summary = scan_s3(&aws, detector, options, &args.s3, &sampling, report);
        let mut line = format!(
            "s3: scanned {} of {} listed object(s), {} byte(s) downloaded",
            summary.scanned, summary.listed, summary.bytes_downloaded
        );
        if summary.not_sampled > 0 {
            line += &format!(", {} left out by --sample-percent", summary.not_sampled);
        }
        if summary.archived > 0 {
            line += &format!(", {} archived in Glacier or Deep Archive and skipped", summary.archived);
        }
        if summary.truncated {
            line += ", the last object cut at --max-bytes";
        }
        if summary.stopped_at_limit {
            line += ", listing stopped at --max-objects or --max-bytes";
        }
        eprintln!("{line}");
    }
    if let Some(window) = window {
        let summary = scan_log_groups(&aws, detector, options, &args.log_groups, &window, args.max_events, report);
        let mut line = format!(
            "logs: scanned {} event(s) in {} log group(s) from {} to {}",
            summary.events,
            summary.groups,
            window.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            window.end.strftime("%Y-%m-%dT%H:%M:%SZ")
        );
        if summary.stopped_at_limit {
            line += ", stopped at --max-events";
        }
        eprintln!("{line}");
    }
    Ok(())
}
