//! End-to-end tests of `phiguard phi scan --s3` and `--log-group`: the real
//! binary against moto's server, with the endpoint given by flag or by
//! AWS_ENDPOINT_URL, and with the configuration errors a user meets first.
//! Every identifier is generated at run time and is synthetic.

#[path = "../../phiguard-aws/tests/support/mod.rs"]
mod support;

use std::process::{Command, Output};

use phiguard_phi::generate::{vectors, Identifiers};
use serde_json::Value;
use support::{dummy_environment, masked_ssn, now_ms, Moto};

/// Runs the binary with only the dummy AWS environment, plus `extra`.
fn phiguard(args: &[&str], extra: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_phiguard"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command.envs(dummy_environment());
    command.envs(extra.iter().copied());
    command.args(args).output().expect("the binary runs")
}

fn json_report(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("invalid JSON ({error}): {text}"))
}

fn ssn_line(ssn: &str) -> String {
    format!("2026-12-04T08:00:00Z INFO claim submitted patient_ssn={ssn}\n")
}

#[test]
fn s3_scan_reports_redacted_json() {
    let moto = Moto::start();
    let aws = moto.connect();
    let ssn = Identifiers::new(21).ssn();
    let body = format!("{}provider npi={}\n", ssn_line(&ssn), vectors::CMS_EXAMPLE_NPI);
    moto.put_objects(&aws, "phi-cli", &[("exports/a.log", body.into_bytes()), ("readme.txt", b"no identifiers here\n".to_vec())]);

    let output = phiguard(&["phi", "scan", "--s3", "s3://phi-cli/exports/", "--endpoint-url", &moto.endpoint, "--format", "json"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let report = json_report(&output);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{report}");
    assert_eq!(findings[0]["source"], "s3://phi-cli/exports/a.log");
    assert_eq!(findings[0]["detector"], "ssn");
    assert_eq!(findings[0]["line"], 1);
    assert_eq!(findings[0]["redacted"], masked_ssn(&ssn));
    assert_eq!(findings[1]["detector"], "npi");
    assert_eq!(findings[1]["line"], 2);
    assert_eq!(findings[1]["redacted"], "******7893");
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
    assert!(stderr.contains("s3: scanned 1 of 1 listed object(s)"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains(&ssn), "unmasked SSN on stdout");
    assert!(!stderr.contains(&ssn), "unmasked SSN on stderr");
}

#[test]
fn log_group_scan_with_environment_endpoint() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(22);
    let (old_ssn, recent_ssn) = (ids.ssn(), ids.ssn());
    let recent_ms = now_ms() - 10 * 60_000;
    moto.put_events(
        &aws,
        "/phiguard/cli/api",
        &[("api-1", now_ms() - 5 * 3_600_000, ssn_line(&old_ssn)), ("api-1", recent_ms, ssn_line(&recent_ssn))],
    );

    let output = phiguard(
        &["phi", "scan", "--log-group", "/phiguard/cli/api", "--since", "1h"],
        &[("AWS_ENDPOINT_URL", moto.endpoint.as_str())],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(output.status.code(), Some(1), "stdout: {stdout}\nstderr: {stderr}");
    let label = phiguard_aws::logs::event_label("/phiguard/cli/api", "api-1", recent_ms);
    let expected = format!("{label}:1: ssn {}", masked_ssn(&recent_ssn));
    assert!(stdout.lines().any(|line| line.starts_with(&expected)), "no line starts with {expected:?}:\n{stdout}");
    assert!(!stdout.contains(&masked_ssn(&old_ssn)), "an event outside --since was scanned:\n{stdout}");
    assert!(stdout.contains("1 finding(s) in 1 source(s)"), "{stdout}");
    assert!(stderr.contains("logs: scanned 1 event(s) in 1 log group(s)"), "{stderr}");
}

#[test]
fn missing_bucket_fails_but_logs_still_scan() {
    let moto = Moto::start();
    let aws = moto.connect();
    let ssn = Identifiers::new(23).ssn();
    moto.put_events(&aws, "/phiguard/cli/worker", &[("w", now_ms() - 60_000, ssn_line(&ssn))]);

    let output = phiguard(
        &[
            "phi",
            "scan",
            "--s3",
            "s3://no-such-bucket/x/",
            "--log-group",
            "/phiguard/cli/worker",
            "--endpoint-url",
            &moto.endpoint,
            "--format",
            "json",
        ],
        &[],
    );

    assert_eq!(output.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let report = json_report(&output);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["source"], "s3://no-such-bucket/x/");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("bucket no-such-bucket not found in region us-east-1"), "{message}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["redacted"], masked_ssn(&ssn));
}

#[test]
fn max_objects_and_max_bytes_limit_the_scan() {
    let moto = Moto::start();
    let aws = moto.connect();
    let mut ids = Identifiers::new(24);
    let ssns: Vec<String> = (0..3).map(|_| ids.ssn()).collect();
    let objects: Vec<(String, Vec<u8>)> =
        ssns.iter().enumerate().map(|(index, ssn)| (format!("k{index}.log"), ssn_line(ssn).into_bytes())).collect();
    let borrowed: Vec<(&str, Vec<u8>)> = objects.iter().map(|(key, body)| (key.as_str(), body.clone())).collect();
    moto.put_objects(&aws, "limits", &borrowed);

    let by_count = phiguard(
        &["phi", "scan", "--s3", "s3://limits", "--max-objects", "2", "--endpoint-url", &moto.endpoint, "--format", "json"],
        &[],
    );
    let report = json_report(&by_count);
    let sources: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["s3://limits/k0.log", "s3://limits/k1.log"]);

    // One whole object plus 10 bytes of the next, too few for a complete SSN.
    let budget = (objects[0].1.len() + 10).to_string();
    let by_bytes =
        phiguard(&["phi", "scan", "--s3", "s3://limits", "--max-bytes", &budget, "--endpoint-url", &moto.endpoint, "--format", "json"], &[]);
    let report = json_report(&by_bytes);
    let redacted: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["redacted"].as_str().unwrap()).collect();
    assert_eq!(redacted, [masked_ssn(&ssns[0])]);
    assert_eq!(report["bytes"].as_u64(), Some(budget.parse().unwrap()));
    let stderr = String::from_utf8_lossy(&by_bytes.stderr);
    assert!(stderr.contains("the last object cut at --max-bytes"), "{stderr}");
}

#[test]
fn invalid_live_options_are_rejected() {
    let cases: &[(&[&str], &str)] = &[
        (&["--s3", "bucket-without-scheme"], "invalid S3 URL"),
        (&["--s3", "s3://ok-bucket", "--sample-percent", "0"], "invalid sample percentage"),
        (&["--s3", "s3://ok-bucket", "--max-bytes", "12T"], "invalid byte size"),
        (&["--log-group", "/a", "--since", "yesterday"], "invalid time \"yesterday\""),
        (&["--s3", "s3://ok-bucket", "--endpoint-url", "127.0.0.1:9"], "invalid endpoint URL"),
    ];
    for (args, expected) in cases {
        let mut full = vec!["phi", "scan"];
        full.extend_from_slice(args);
        let output = phiguard(&full, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr}");
    }
}

#[test]
fn missing_region_and_credentials_give_next_step() {
    // Nothing is sent before these checks, and port 9 on loopback has no listener.
    let endpoint = "http://127.0.0.1:9";
    let args = ["phi", "scan", "--s3", "s3://any-bucket", "--endpoint-url", endpoint];

    let mut command = Command::new(env!("CARGO_BIN_EXE_phiguard"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    let without_region: Vec<(&str, String)> = dummy_environment().into_iter().filter(|(name, _)| *name != "AWS_REGION").collect();
    let output = command.envs(without_region).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS region is set: pass --region"), "{stderr}");

    let mut command = Command::new(env!("CARGO_BIN_EXE_phiguard"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    let without_keys: Vec<(&str, String)> =
        dummy_environment().into_iter().filter(|(name, _)| !name.ends_with("_KEY_ID") && !name.ends_with("_ACCESS_KEY")).collect();
    let output = command.envs(without_keys).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS credentials found"), "{stderr}");
    assert!(stderr.contains("aws sso login"), "{stderr}");
}

#[test]
fn paths_required_without_live_sources() {
    let output = phiguard(&["phi", "scan"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("<PATHS>"), "{stderr}");
}
