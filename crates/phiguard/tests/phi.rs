//! End-to-end tests of `phiguard phi scan` and `phiguard phi redact`: the
//! real binary on files, directories and stdin, with every output format,
//! and with a `[phi]` config section.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Published example identifiers: CMS's sample MBI and NPI.
const MBI: &str = "1EG4-TE5-MK73";
const NPI: &str = "1234567893";

fn phiguard(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().expect("stdin is piped").write_all(stdin).expect("write stdin");
    child.wait_with_output().expect("the binary finishes")
}

fn log_line() -> String {
    format!("2026-03-05T10:22:31Z INFO patient mbi={MBI} rendering_npi={NPI} status=ok\n")
}

#[test]
fn phi_scan_stdin_exits_one_on_findings() {
    let output = phiguard(&["phi", "scan", "-"], log_line().as_bytes());
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert!(text.contains("-:1: mbi ****-***-MK73"), "{text}");
    assert!(!text.contains(MBI), "unmasked MBI in output: {text}");
    assert!(!text.contains(NPI), "unmasked NPI in output: {text}");
}

#[test]
fn phi_scan_clean_input_exits_zero() {
    let output = phiguard(&["phi", "scan", "-"], b"2026-03-05T10:22:31Z INFO nothing to see\n");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn phi_scan_min_confidence_filters() {
    let output = phiguard(&["phi", "scan", "--min-confidence", "1.0", "-"], log_line().as_bytes());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn phi_scan_invalid_confidence_rejected() {
    let output = phiguard(&["phi", "scan", "--min-confidence", "2", "-"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid confidence"));
}

#[test]
fn phi_scan_missing_file_exits_two() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let missing = dir.path().join("missing.log");
    let output = phiguard(&["phi", "scan", missing.to_str().expect("UTF-8 path")], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("missing.log"));
}

#[test]
fn phi_scan_json_lists_findings() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("a.log"), log_line()).expect("write log");
    std::fs::create_dir(dir.path().join("nested")).expect("mkdir");
    std::fs::write(dir.path().join("nested/b.log"), format!("clean\n{}", log_line())).expect("write log");
    let output = phiguard(&["phi", "scan", "--format", "json", dir.path().to_str().expect("UTF-8 path")], b"");
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let findings = report["findings"].as_array().expect("findings array");
    assert_eq!(findings.len(), 4);
    assert_eq!(findings[0]["detector"], "mbi");
    assert!(findings[0]["source"].as_str().expect("source").ends_with("a.log"));
    assert!(findings[2]["source"].as_str().expect("source").ends_with("b.log"));
    assert_eq!(findings[2]["line"], 2);
    assert_eq!(report["sources"], 2);
    assert!(!String::from_utf8_lossy(&output.stdout).contains(MBI));
}

#[test]
fn phi_scan_sarif_output_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let report_path = dir.path().join("phi.sarif");
    let output = phiguard(
        &["phi", "scan", "--format", "sarif", "--output", report_path.to_str().expect("UTF-8 path"), "-"],
        log_line().as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report written")).expect("SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results[0]["ruleId"], "mbi");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
}

#[test]
fn phi_redact_masks_stdin() {
    let output = phiguard(&["phi", "redact"], log_line().as_bytes());
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_eq!(text, "2026-03-05T10:22:31Z INFO patient mbi=****-***-MK73 rendering_npi=******7893 status=ok\n");
}

#[test]
fn phi_config_adds_custom_detector() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(
        dir.path().join("phiguard.toml"),
        "[phi]\ndisable = [\"npi\"]\n\n[[phi.custom]]\nname = \"acme_mrn\"\npattern = '\\bACM[0-9]{7}\\b'\ncontext = [\"chart\"]\n",
    )
    .expect("write config");
    let log = dir.path().join("app.log");
    std::fs::write(&log, format!("chart ACM0012345 npi {NPI}\n")).expect("write log");
    let output = phiguard(&["phi", "scan", "--format", "json", log.to_str().expect("UTF-8 path")], b"");
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let detectors: Vec<&str> = report["findings"].as_array().expect("findings").iter().map(|f| f["detector"].as_str().expect("name")).collect();
    assert_eq!(detectors, ["acme_mrn"]);
}

#[test]
fn phi_config_invalid_pattern_names_detector() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = dir.path().join("phiguard.toml");
    std::fs::write(&config, "[[phi.custom]]\nname = \"bad\"\npattern = '(x'\n").expect("write config");
    let output = phiguard(&["phi", "scan", "--config", config.to_str().expect("UTF-8 path"), "-"], b"");
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("\"bad\""), "{message}");
}

#[test]
fn phi_redact_files_to_output() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let first = dir.path().join("a.log");
    let second = dir.path().join("b.log");
    std::fs::write(&first, log_line()).expect("write log");
    std::fs::write(&second, b"no identifiers here\n").expect("write log");
    let redacted = dir.path().join("out.log");
    let output = phiguard(
        &[
            "phi",
            "redact",
            "--output",
            redacted.to_str().expect("UTF-8 path"),
            first.to_str().expect("UTF-8 path"),
            second.to_str().expect("UTF-8 path"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(&redacted).expect("redacted output written");
    assert!(text.starts_with("2026-03-05T10:22:31Z INFO patient mbi=****-***-MK73"), "{text}");
    assert!(text.ends_with("no identifiers here\n"), "{text}");
    assert!(!text.contains(MBI));
}

#[test]
fn phi_redact_missing_file_fails() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let missing = dir.path().join("missing.log");
    let output = phiguard(&["phi", "redact", missing.to_str().expect("UTF-8 path")], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.log"));
}
