//! The live CloudWatch Logs source: reads the events of log groups within a
//! time window with FilterLogEvents and scans each message. A finding's
//! source is `cloudwatch-logs:GROUP:STREAM@TIMESTAMP`, which is unambiguous
//! because neither group nor stream names may contain `:`. Group names that
//! end in `*` are expanded with DescribeLogGroups.

use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;
use jiff::{SignedDuration, Timestamp};
use phiguard_phi::output::SourceFailure;

use crate::Report;
use phiguard_phi::{scan_bytes, Detector, ScanOptions};

use crate::connect::Aws;
use crate::errors::{describe, Attempt};

/// The time range of events to read. Both ends are inclusive, as in
/// FilterLogEvents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl TimeWindow {
    /// Builds a window from `--since` and `--until` values, each an RFC 3339
    /// timestamp or a duration before `now` such as `90m`, `24h` or `7d`.
    /// `until` defaults to `now`.
    pub fn parse(since: &str, until: Option<&str>, now: Timestamp) -> Result<TimeWindow, String> {
        let start = parse_time(since, now)?;
        let end = match until {
            Some(text) => parse_time(text, now)?,
            None => now,
        };
        if start > end {
            return Err(format!("invalid time window: the start {start} is after the end {end}; check --since and --until"));
        }
        Ok(TimeWindow { start, end })
    }
}

/// Parses an RFC 3339 timestamp (`2026-12-04T08:00:00Z`, or with an offset),
/// `now`, or a duration before `now`: a whole number followed by `s`, `m`,
/// `h`, `d` (24 hours) or `w` (7 days).
pub fn parse_time(text: &str, now: Timestamp) -> Result<Timestamp, String> {
    let invalid = || format!("invalid time {text:?}: expected an RFC 3339 timestamp such as 2026-12-04T08:00:00Z, `now`, or a duration such as 30m, 24h or 7d");
    if text == "now" {
        return Ok(now);
    }
    if let Ok(timestamp) = text.parse::<Timestamp>() {
        return Ok(timestamp);
    }
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    let count: i64 = digits.parse().map_err(|_| invalid())?;
    let unit_seconds: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(invalid()),
    };
    let seconds = count.checked_mul(unit_seconds).ok_or_else(invalid)?;
    now.checked_sub(SignedDuration::from_secs(seconds)).map_err(|_| invalid())
}

/// Counts from one CloudWatch Logs scan, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogsSummary {
    /// Log groups read, after expanding `*` patterns.
    pub groups: u64,
    pub events: u64,
    /// True when `max_events` stopped the scan before the window's end.
    pub stopped_at_limit: bool,
}

/// Scans every event of each log group within `window` and adds findings,
/// sources (one per group), bytes and failures to `report`. A failure on one
/// group is recorded for that group, and the others are still scanned.
/// `max_events` caps the events read across all groups, in group order.
pub fn scan_log_groups(
    aws: &Aws,
    detector: &Detector,
    options: &ScanOptions,
    groups: &[String],
    window: &TimeWindow,
    max_events: Option<u64>,
    report: &mut Report,
) -> LogsSummary {
    let client = aws.logs();
    let mut summary = LogsSummary::default();
    for pattern in groups {
        let names = match pattern.strip_suffix('*') {
            Some(prefix) => match expand_prefix(aws, &client, prefix) {
                Ok(names) if names.is_empty() => {
                    report.errors.push(SourceFailure {
                        source: format!("cloudwatch-logs:{pattern}"),
                        message: format!("no log group name starts with {prefix:?} in region {}: check the name and --region", aws.region()),
                    });
                    continue;
                }
                Ok(names) => names,
                Err(message) => {
                    report.errors.push(SourceFailure { source: format!("cloudwatch-logs:{pattern}"), message });
                    continue;
                }
            },
            None => vec![pattern.clone()],
        };
        for name in names {
            if max_events.is_some_and(|max| summary.events >= max) {
                summary.stopped_at_limit = true;
                return summary;
            }
            summary.groups += 1;
            scan_group(aws, &client, detector, options, &name, window, max_events, report, &mut summary);
        }
    }
    summary
}

/// Lists the log groups whose names start with `prefix`.
fn expand_prefix(aws: &Aws, client: &aws_sdk_cloudwatchlogs::Client, prefix: &str) -> Result<Vec<String>, String> {
    let mut request = client.describe_log_groups();
    if !prefix.is_empty() {
        request = request.log_group_name_prefix(prefix);
    }
    let mut pages = request.into_paginator().send();
    let mut names = Vec::new();
    while let Some(page) = aws.block_on(pages.next()) {
        let page = page.map_err(|error| {
            let resource = format!("arn:aws:logs:{}:*:log-group:*", aws.region());
            let attempt = Attempt { action: "logs:DescribeLogGroups", resource: &resource, not_found: "", region: aws.region() };
            format!("failed to list log groups: {}", describe(&error, &attempt))
        })?;
        names.extend(page.log_groups().iter().filter_map(|group| group.log_group_name()).map(String::from));
    }
    Ok(names)
}

#[allow(clippy::too_many_arguments)]
fn scan_group(
    aws: &Aws,
    client: &aws_sdk_cloudwatchlogs::Client,
    detector: &Detector,
    options: &ScanOptions,
    group: &str,
    window: &TimeWindow,
    max_events: Option<u64>,
    report: &mut Report,
    summary: &mut LogsSummary,
) {
    let mut counted = false;
    let mut pages = client
        .filter_log_events()
        .log_group_name(group)
        .start_time(window.start.as_millisecond())
        .end_time(window.end.as_millisecond())
        .into_paginator()
        .send();
    while let Some(page) = aws.block_on(pages.next()) {
        let page = match page {
            Ok(page) => page,
            Err(error) => {
                let resource = format!("arn:aws:logs:{}:*:log-group:{group}:*", aws.region());
                let not_found = format!(
                    "log group {group} not found in region {}: check the name and --region, or list groups with `aws logs describe-log-groups`",
                    aws.region()
                );
                let attempt = Attempt { action: "logs:FilterLogEvents", resource: &resource, not_found: &not_found, region: aws.region() };
                report.errors.push(SourceFailure {
                    source: format!("cloudwatch-logs:{group}"),
                    message: format!("failed to read events: {}", describe(&error, &attempt)),
                });
                return;
            }
        };
        // A group counts as a source once it has been read, as a file does
        // once it has been opened.
        if !counted {
            report.sources += 1;
            counted = true;
        }
        for event in page.events() {
            if max_events.is_some_and(|max| summary.events >= max) {
                summary.stopped_at_limit = true;
                return;
            }
            scan_event(detector, options, group, event, report);
            summary.events += 1;
        }
    }
}

fn scan_event(detector: &Detector, options: &ScanOptions, group: &str, event: &FilteredLogEvent, report: &mut Report) {
    let message = event.message().unwrap_or("");
    let label = event_label(group, event.log_stream_name().unwrap_or(""), event.timestamp().unwrap_or(0));
    report.bytes += message.len() as u64;
    report.findings.extend(scan_bytes(detector, message.as_bytes(), &label, options));
}

/// Formats the source label of one event, with the timestamp in UTC to the
/// millisecond.
pub fn event_label(group: &str, stream: &str, timestamp_ms: i64) -> String {
    let time = match Timestamp::from_millisecond(timestamp_ms) {
        Ok(time) => time.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => format!("{timestamp_ms}ms"),
    };
    format!("cloudwatch-logs:{group}:{stream}@{time}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-04T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn relative_times() {
        let cases = [
            ("90s", "2026-12-04T11:58:30Z"),
            ("30m", "2026-12-04T11:30:00Z"),
            ("24h", "2026-12-03T12:00:00Z"),
            ("7d", "2026-11-27T12:00:00Z"),
            ("2w", "2026-11-20T12:00:00Z"),
            ("now", "2026-12-04T12:00:00Z"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_time(text, now()).unwrap(), expected.parse::<Timestamp>().unwrap(), "{text}");
        }
    }

    #[test]
    fn rfc3339_times() {
        let parsed = parse_time("2026-12-04T08:00:00+02:00", now()).unwrap();
        assert_eq!(parsed, "2026-12-04T06:00:00Z".parse::<Timestamp>().unwrap());
    }

    #[test]
    fn invalid_times() {
        for text in ["", "yesterday", "24", "h", "1.5h", "-3h", "3y", "2026-12-04", "99999999999999999w"] {
            let error = parse_time(text, now()).unwrap_err();
            assert!(error.contains("expected an RFC 3339 timestamp"), "{text}: {error}");
        }
    }

    #[test]
    fn window_defaults_to_now() {
        let window = TimeWindow::parse("1h", None, now()).unwrap();
        assert_eq!(window.end, now());
        assert_eq!(window.start, "2026-12-04T11:00:00Z".parse::<Timestamp>().unwrap());
    }

    #[test]
    fn window_rejects_reversed_ends() {
        let error = TimeWindow::parse("1h", Some("2h"), now()).unwrap_err();
        assert!(error.contains("is after the end"), "{error}");
    }

    #[test]
    fn label_names_group_stream_and_time() {
        let label = event_label("/aws/lambda/intake", "2026/12/04/[$LATEST]0f1e", 1_796_385_600_120);
        assert_eq!(label, "cloudwatch-logs:/aws/lambda/intake:2026/12/04/[$LATEST]0f1e@2026-12-04T12:00:00.120Z");
    }
}
