//! Live source tests against moto's server: S3 listing, sampling, byte
//! budget and decompression, CloudWatch Logs time windows and locations, and
//! failures that name the bucket or group while the other sources still
//! scan. Every identifier is generated at run time and is synthetic.

mod support;

use phiguard_aws::{scan_log_groups, scan_s3, S3Sampling, S3Url, TimeWindow};
use phiguard_phi::generate::{vectors, Identifiers};
use phiguard_aws::Report;
use phiguard_phi::{Detector, Finding, ScanOptions};
use support::{masked_ssn, now_ms, Moto};

/// Gzip-compresses `data`.
fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn url(text: &str) -> S3Url {
    S3Url::parse(text).unwrap()
}

fn ssn_line(ssn: &str) -> String {
    format!("{{\"level\":\"info\",\"msg\":\"eligibility check\",\"patient_ssn\":\"{ssn}\"}}\n")
}

fn sources(findings: &[Finding]) -> Vec<&str> {
    let mut labels: Vec<&str> = findings.iter().map(|finding| finding.source.as_str()).collect();
    labels.dedup();
    labels
}

fn scan_urls(moto: &Moto, urls: &[S3Url], sampling: &S3Sampling) -> (Report, phiguard_aws::S3Summary) {
    let aws = moto.connect();
    let mut report = Report::default();
    let summary = scan_s3(&aws, &Detector::built_in(), &ScanOptions::default(), urls, sampling, &mut report);
    (report, summary)
}

#[test]
fn s3_findings_are_redacted_with_object_labels() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(11);
    let (plain_ssn, gzip_ssn, zstd_ssn, outside_ssn) = (ids.ssn(), ids.ssn(), ids.ssn(), ids.ssn());
    let plain = format!("GET /health 200\n{}provider npi={}\n", ssn_line(&plain_ssn), vectors::CMS_EXAMPLE_NPI);
    let zstd_body = zstd::encode_all(ssn_line(&zstd_ssn).as_bytes(), 3).unwrap();
    moto.put_objects(
        &aws,
        "phi-exports",
        &[
            ("exports/2026/a.log", plain.clone().into_bytes()),
            ("exports/2026/b.log.gz", gzip(ssn_line(&gzip_ssn).as_bytes())),
            ("exports/2026/c.log.zst", zstd_body),
            ("other/d.log", ssn_line(&outside_ssn).into_bytes()),
        ],
    );

    let (report, summary) = scan_urls(&moto, &[url("s3://phi-exports/exports/")], &S3Sampling::default());

    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(summary.listed, 3);
    assert_eq!(summary.scanned, 3);
    assert_eq!(report.sources, 3);
    assert_eq!(
        sources(&report.findings),
        ["s3://phi-exports/exports/2026/a.log", "s3://phi-exports/exports/2026/b.log.gz", "s3://phi-exports/exports/2026/c.log.zst"]
    );

    let ssn = &report.findings[0];
    assert_eq!(ssn.detector, "ssn");
    assert_eq!(ssn.line, 2);
    assert_eq!(ssn.redacted, masked_ssn(&plain_ssn));
    assert_eq!(ssn.offset as usize, plain.find(&plain_ssn).unwrap());
    let npi = &report.findings[1];
    assert_eq!(npi.detector, "npi");
    assert_eq!(npi.line, 3);
    assert_eq!(npi.redacted, "******7893");

    let redacted: Vec<&str> = report.findings.iter().map(|finding| finding.redacted.as_str()).collect();
    assert!(redacted.contains(&masked_ssn(&gzip_ssn).as_str()), "gzip object not decompressed: {redacted:?}");
    assert!(redacted.contains(&masked_ssn(&zstd_ssn).as_str()), "zstd object not decompressed: {redacted:?}");
    // The report as a whole, in every field, contains no unmasked value.
    let everything = format!("{report:?}");
    for value in [&plain_ssn, &gzip_ssn, &zstd_ssn, &outside_ssn] {
        assert!(!everything.contains(value.as_str()), "unmasked SSN in the report");
    }
    assert!(!everything.contains(vectors::CMS_EXAMPLE_NPI), "unmasked NPI in the report");
}

#[test]
fn s3_max_objects_takes_key_order() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(12);
    // Put in reverse order, so the listing order is S3's and not ours.
    let objects: Vec<(String, Vec<u8>)> =
        (0..5).rev().map(|index| (format!("logs/part-{index}.log"), ssn_line(&ids.ssn()).into_bytes())).collect();
    let borrowed: Vec<(&str, Vec<u8>)> = objects.iter().map(|(key, body)| (key.as_str(), body.clone())).collect();
    moto.put_objects(&aws, "sampled", &borrowed);

    let sampling = S3Sampling { max_objects: Some(2), ..S3Sampling::default() };
    let (report, summary) = scan_urls(&moto, &[url("s3://sampled/logs/")], &sampling);

    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(summary.scanned, 2);
    assert!(summary.stopped_at_limit);
    assert_eq!(sources(&report.findings), ["s3://sampled/logs/part-0.log", "s3://sampled/logs/part-1.log"]);
}

#[test]
fn s3_sample_percent_is_repeatable() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(13);
    let objects: Vec<(String, Vec<u8>)> =
        (0..40).map(|index| (format!("day-{index:02}.log"), ssn_line(&ids.ssn()).into_bytes())).collect();
    let borrowed: Vec<(&str, Vec<u8>)> = objects.iter().map(|(key, body)| (key.as_str(), body.clone())).collect();
    moto.put_objects(&aws, "percent", &borrowed);

    let sampling = S3Sampling { sample_percent: 25.0, ..S3Sampling::default() };
    let (first, first_summary) = scan_urls(&moto, &[url("s3://percent")], &sampling);
    let (second, second_summary) = scan_urls(&moto, &[url("s3://percent")], &sampling);

    assert_eq!(first_summary.listed, 40);
    assert_eq!(first_summary.scanned + first_summary.not_sampled, 40);
    assert!((3..=20).contains(&first_summary.scanned), "25% of 40 objects scanned {}", first_summary.scanned);
    assert_eq!(first.findings.len() as u64, first_summary.scanned);
    assert_eq!(first_summary, second_summary);
    assert_eq!(sources(&first.findings), sources(&second.findings));
}

#[test]
fn s3_byte_budget_cuts_the_last_object() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(14);
    let (first_ssn, early_ssn, late_ssn, unread_ssn) = (ids.ssn(), ids.ssn(), ids.ssn(), ids.ssn());
    let first = ssn_line(&first_ssn);
    // The second object has one SSN inside the budget and one past it.
    let mut second = ssn_line(&early_ssn);
    second.push_str(&"GET /assets/app.js 200 1532\n".repeat(40));
    let late_offset = second.len();
    second.push_str(&ssn_line(&late_ssn));
    moto.put_objects(
        &aws,
        "budget",
        &[("a.log", first.clone().into_bytes()), ("b.log", second.into_bytes()), ("c.log", ssn_line(&unread_ssn).into_bytes())],
    );

    let budget = first.len() as u64 + 200;
    let sampling = S3Sampling { max_bytes: Some(budget), ..S3Sampling::default() };
    let (report, summary) = scan_urls(&moto, &[url("s3://budget")], &sampling);

    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(200 < late_offset, "the late SSN must lie past the budget");
    assert_eq!(summary.bytes_downloaded, budget);
    assert_eq!(report.bytes, budget);
    assert!(summary.truncated);
    assert!(summary.stopped_at_limit);
    assert_eq!(summary.scanned, 2);
    let redacted: Vec<&str> = report.findings.iter().map(|finding| finding.redacted.as_str()).collect();
    assert_eq!(redacted, [masked_ssn(&first_ssn), masked_ssn(&early_ssn)]);
}

#[test]
fn s3_byte_budget_cuts_gzip_cleanly() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(15);
    let early_ssn = ids.ssn();
    let mut text = ssn_line(&early_ssn);
    // Varied lines, so the compressed object stays well above the budget.
    let mut rng = phiguard_phi::generate::Rng::new(3);
    for _ in 0..2000 {
        text.push_str(&format!("GET /api/v1/claims/{} 200 {}\n", rng.next_u64(), rng.range(100, 99_999)));
    }
    let compressed = gzip(text.as_bytes());
    assert!(compressed.len() > 4096, "test object too small: {} bytes", compressed.len());
    moto.put_objects(&aws, "budget-gz", &[("big.log.gz", compressed)]);

    let sampling = S3Sampling { max_bytes: Some(2048), ..S3Sampling::default() };
    let (report, summary) = scan_urls(&moto, &[url("s3://budget-gz")], &sampling);

    assert!(report.errors.is_empty(), "a cut gzip stream must end quietly: {:?}", report.errors);
    assert!(summary.truncated);
    assert_eq!(summary.bytes_downloaded, 2048);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].redacted, masked_ssn(&early_ssn));
}

#[test]
fn s3_missing_bucket_names_it_and_scan_continues() {
    let moto = Moto::start();
    let aws = moto.connect();
    let ssn = Identifiers::new(16).ssn();
    moto.put_objects(&aws, "present", &[("a.log", ssn_line(&ssn).into_bytes())]);

    let urls = [url("s3://no-such-bucket/logs/"), url("s3://present/")];
    let (report, summary) = scan_urls(&moto, &urls, &S3Sampling::default());

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let failure = &report.errors[0];
    assert_eq!(failure.source, "s3://no-such-bucket/logs/");
    assert!(failure.message.contains("bucket no-such-bucket not found"), "{}", failure.message);
    assert!(failure.message.contains("--region"), "the message should give the next step: {}", failure.message);
    assert_eq!(summary.scanned, 1);
    assert_eq!(sources(&report.findings), ["s3://present/a.log"]);
}

#[test]
fn s3_rejected_credentials_name_the_fix() {
    // With INITIAL_NO_AUTH_ACTION_COUNT set, moto checks credentials after
    // that many requests, and the dummy access key is not one it issued.
    let moto = Moto::start_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "2")]);
    let aws = moto.connect();
    let ssn = Identifiers::new(19).ssn();
    moto.put_objects(&aws, "locked", &[("a.log", ssn_line(&ssn).into_bytes())]);

    let (report, summary) = scan_urls(&moto, &[url("s3://locked/")], &S3Sampling::default());

    assert_eq!(summary.scanned, 0);
    assert!(report.findings.is_empty());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].source, "s3://locked/");
    let message = &report.errors[0].message;
    assert!(message.contains("the credentials were rejected (InvalidAccessKeyId)"), "{message}");
    assert!(message.contains("aws sso login"), "the message should give the next step: {message}");
}

#[test]
fn s3_unreachable_endpoint_names_the_fix() {
    support::isolate_process_environment();
    // A port that was free a moment ago, so the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let options = phiguard_aws::AwsOptions {
        region: Some(support::REGION.to_string()),
        profile: None,
        endpoint_url: Some(format!("http://127.0.0.1:{port}")),
    };
    let aws = phiguard_aws::Aws::connect(&options).unwrap();
    let mut report = Report::default();

    scan_s3(&aws, &Detector::built_in(), &ScanOptions::default(), &[url("s3://anywhere")], &S3Sampling::default(), &mut report);

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let message = &report.errors[0].message;
    assert!(message.contains("failed to send the request"), "{message}");
    assert!(message.contains("Connection refused"), "{message}");
    assert!(message.contains("--endpoint-url"), "the message should give the next step: {message}");
}

/// Events at fixed distances before now, in two streams of one group.
struct LogFixture {
    group: &'static str,
    old_ssn: String,
    recent_ssn: String,
    old_ms: i64,
    recent_ms: i64,
    npi_ms: i64,
}

fn put_log_fixture(moto: &Moto, aws: &phiguard_aws::Aws) -> LogFixture {
    let mut ids = Identifiers::new(17);
    let now = now_ms();
    let fixture = LogFixture {
        group: "/phiguard/test/intake",
        old_ssn: ids.ssn(),
        recent_ssn: ids.ssn(),
        old_ms: now - 3 * 3_600_000,
        recent_ms: now - 30 * 60_000,
        npi_ms: now - 5 * 60_000,
    };
    moto.put_events(
        aws,
        fixture.group,
        &[
            ("web-1", fixture.old_ms, ssn_line(&fixture.old_ssn)),
            ("web-1", fixture.recent_ms, ssn_line(&fixture.recent_ssn)),
            ("web-1", now - 20 * 60_000, "GET /health 200".to_string()),
            ("web-2", fixture.npi_ms, format!("referral accepted, provider npi={}", vectors::CMS_EXAMPLE_NPI)),
        ],
    );
    fixture
}

fn scan_groups(moto: &Moto, groups: &[&str], window: &TimeWindow) -> (Report, phiguard_aws::LogsSummary) {
    let aws = moto.connect();
    let mut report = Report::default();
    let groups: Vec<String> = groups.iter().map(|group| group.to_string()).collect();
    let summary = scan_log_groups(&aws, &Detector::built_in(), &ScanOptions::default(), &groups, window, None, &mut report);
    (report, summary)
}

#[test]
fn logs_relative_window_and_locations() {
    let moto = Moto::start();
    let aws = moto.connect();
    let fixture = put_log_fixture(&moto, &aws);

    let window = TimeWindow::parse("1h", None, jiff::Timestamp::now()).unwrap();
    let (report, summary) = scan_groups(&moto, &[fixture.group], &window);

    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(summary.groups, 1);
    assert_eq!(summary.events, 3);
    assert_eq!(report.findings.len(), 2, "{:?}", report.findings);
    let mut findings = report.findings.clone();
    findings.sort_by(|a, b| a.source.cmp(&b.source));

    assert_eq!(findings[0].detector, "ssn");
    assert_eq!(findings[0].redacted, masked_ssn(&fixture.recent_ssn));
    assert_eq!(findings[0].source, phiguard_aws::logs::event_label(fixture.group, "web-1", fixture.recent_ms));
    assert_eq!(findings[0].line, 1);
    assert_eq!(findings[1].detector, "npi");
    assert_eq!(findings[1].redacted, "******7893");
    assert_eq!(findings[1].source, phiguard_aws::logs::event_label(fixture.group, "web-2", fixture.npi_ms));
    assert!(!format!("{report:?}").contains(&fixture.recent_ssn), "unmasked SSN in the report");
}

#[test]
fn logs_absolute_window_excludes_newer_events() {
    let moto = Moto::start();
    let aws = moto.connect();
    let fixture = put_log_fixture(&moto, &aws);

    let start = jiff::Timestamp::from_millisecond(fixture.old_ms - 60_000).unwrap().to_string();
    let end = jiff::Timestamp::from_millisecond(fixture.old_ms + 60_000).unwrap().to_string();
    let window = TimeWindow::parse(&start, Some(&end), jiff::Timestamp::now()).unwrap();
    let (report, summary) = scan_groups(&moto, &[fixture.group], &window);

    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(summary.events, 1);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].redacted, masked_ssn(&fixture.old_ssn));
    assert_eq!(report.findings[0].source, phiguard_aws::logs::event_label(fixture.group, "web-1", fixture.old_ms));
}

#[test]
fn logs_max_events_stops_the_scan() {
    let moto = Moto::start();
    let aws = moto.connect();
    let fixture = put_log_fixture(&moto, &aws);
    let window = TimeWindow::parse("1h", None, jiff::Timestamp::now()).unwrap();
    let groups = [fixture.group.to_string(), fixture.group.to_string()];
    let mut report = Report::default();

    let summary = scan_log_groups(&aws, &Detector::built_in(), &ScanOptions::default(), &groups, &window, Some(2), &mut report);

    assert_eq!(summary.events, 2);
    assert_eq!(summary.groups, 1, "the second group should not be read once the cap is reached");
    assert!(summary.stopped_at_limit);
    assert!(report.findings.len() <= 2, "{:?}", report.findings);
}

#[test]
fn logs_missing_group_names_it_and_scan_continues() {
    let moto = Moto::start();
    let aws = moto.connect();
    let fixture = put_log_fixture(&moto, &aws);

    let window = TimeWindow::parse("1h", None, jiff::Timestamp::now()).unwrap();
    let (report, _) = scan_groups(&moto, &["/phiguard/test/missing", fixture.group], &window);

    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let failure = &report.errors[0];
    assert_eq!(failure.source, "cloudwatch-logs:/phiguard/test/missing");
    assert!(failure.message.contains("log group /phiguard/test/missing not found"), "{}", failure.message);
    assert!(failure.message.contains("describe-log-groups"), "the message should give the next step: {}", failure.message);
    assert_eq!(report.findings.len(), 2);
}

#[test]
fn logs_prefix_pattern_expands_groups() {
    let moto = Moto::start();
    let aws = moto.connect();
    let fixture = put_log_fixture(&moto, &aws);
    let other_ssn = Identifiers::new(18).ssn();
    moto.put_events(&aws, "/phiguard/test/billing", &[("batch", now_ms() - 60_000, ssn_line(&other_ssn))]);
    moto.put_events(&aws, "/unrelated/app", &[("batch", now_ms() - 60_000, ssn_line(&other_ssn))]);

    let window = TimeWindow::parse("1h", None, jiff::Timestamp::now()).unwrap();
    let (report, summary) = scan_groups(&moto, &["/phiguard/test/*", "/nothing/here/*"], &window);

    assert_eq!(summary.groups, 2);
    assert_eq!(report.findings.len(), 3, "{:?}", report.findings);
    assert!(report.findings.iter().any(|finding| finding.source.starts_with("cloudwatch-logs:/phiguard/test/billing:batch@")));
    assert!(report.findings.iter().any(|finding| finding.source.starts_with(&format!("cloudwatch-logs:{}:", fixture.group))));
    assert!(report.findings.iter().all(|finding| !finding.source.contains("/unrelated/")));
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].message.contains("no log group name starts with \"/nothing/here/\""), "{}", report.errors[0].message);
}
