//! A plan written by a real Terraform (1.11.4) and AWS provider (5.100.0)
//! from `data/real-plan/main.tf`: real plans mark every attribute the
//! provider computes as known after apply, which hand-written plans do not.
//! The verdicts below are what the configuration determines.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn findings() -> Vec<Value> {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-plan/plan.json");
    let output = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(["scan", "--format", "json", plan.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{}", report["errors"]);
    report["findings"].as_array().unwrap().clone()
}

fn result_of<'a>(findings: &'a [Value], rule: &str, address: &str) -> &'a str {
    findings
        .iter()
        .find(|finding| finding["rule_id"] == rule && finding["resource"]["address"] == address)
        .unwrap_or_else(|| panic!("no {rule} finding on {address}"))["result"]
        .as_str()
        .unwrap()
}

#[test]
fn real_plan_verdicts() {
    let findings = findings();
    let expected = [
        ("S3-001", "aws_s3_bucket.records", "pass"),
        ("S3-003", "aws_s3_bucket.records", "pass"),
        ("S3-004", "aws_s3_bucket.records", "pass"),
        ("S3-005", "aws_s3_bucket.records", "pass"),
        ("S3-006", "aws_s3_bucket.records", "pass"),
        // The policy embeds the bucket's ARN, which Terraform knows only
        // after apply, so the plan carries no policy text to read.
        ("S3-002", "aws_s3_bucket.records", "unknown"),
        ("S3-001", "aws_s3_bucket.plain", "fail"),
        ("S3-002", "aws_s3_bucket.plain", "fail"),
        ("S3-003", "aws_s3_bucket.plain", "pass"),
        ("S3-004", "aws_s3_bucket.plain", "fail"),
        ("S3-005", "aws_s3_bucket.plain", "fail"),
        ("S3-006", "aws_s3_bucket.plain", "pass"),
        ("KMS-001", "aws_kms_key.records", "pass"),
        ("RDS-001", "aws_db_instance.claims", "fail"),
        ("RDS-003", "aws_db_instance.claims", "pass"),
        ("RDS-004", "aws_db_instance.claims", "pass"),
        ("RDS-005", "aws_db_instance.claims", "fail"),
        ("LOG-002", "aws_cloudwatch_log_group.api", "fail"),
        ("SG-001", "aws_security_group.admin", "fail"),
        ("SG-002", "aws_security_group.admin", "pass"),
        ("EBS-001", "aws_ebs_volume.scratch", "fail"),
    ];
    for (rule, address, result) in expected {
        assert_eq!(result_of(&findings, rule, address), result, "{rule} on {address}");
    }
}

#[test]
fn real_plan_has_no_unexplained_unknowns() {
    for finding in findings() {
        if finding["result"] == "unknown" {
            let reason = finding["reason"].as_str().unwrap_or_default();
            assert!(!reason.is_empty(), "unknown without a reason: {finding}");
        }
    }
}

fn scan(path: &Path) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .args(["scan", "--format", "json", path.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{}", report["errors"]);
    report["findings"].as_array().unwrap().clone()
}

/// The HCL the plan was made from gives the plan's verdicts, except where
/// the configuration decides what the plan leaves unknown.
#[test]
fn configuration_gives_the_plan_verdicts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-plan");
    let verdicts = |findings: Vec<Value>| -> std::collections::BTreeMap<(String, String), String> {
        findings
            .into_iter()
            .map(|f| {
                let key = (f["rule_id"].as_str().unwrap().to_owned(), f["resource"]["address"].as_str().unwrap().to_owned());
                (key, f["result"].as_str().unwrap().to_owned())
            })
            .collect()
    };
    let from_plan = verdicts(scan(&dir.join("plan.json")));
    let mut from_hcl = verdicts(scan(&dir.join("main.tf")));
    assert!(from_plan.len() > 40, "the plan gives {} findings", from_plan.len());
    // `jsonencode` of a policy whose only unknowns are resource ARNs is
    // read from the configuration, while the plan shows the string as known only
    // after apply.
    let key = ("S3-002".to_owned(), "aws_s3_bucket.records".to_owned());
    assert_eq!(from_plan.get(&key).map(String::as_str), Some("unknown"));
    assert_eq!(from_hcl.get(&key).map(String::as_str), Some("pass"));
    from_hcl.insert(key, "unknown".to_owned());
    assert_eq!(from_hcl, from_plan);
}

/// A plan by real Terraform where the links run through Terraform itself:
/// `for_each = aws_s3_bucket.b` with `bucket = each.value.id`, and a KMS
/// key passed into a local module as `var.kms_key_arn`. The plan and the
/// HCL it was made from give the same verdicts.
#[test]
fn links_through_for_each_and_module_arguments() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-plan-modules");
    for input in [dir.join("plan.json"), dir.join("main.tf")] {
        let findings = scan(&input);
        let label = input.display().to_string();
        let result = |rule: &str, address: &str| -> String {
            findings
                .iter()
                .find(|finding| finding["rule_id"] == rule && finding["resource"]["address"] == address)
                .unwrap_or_else(|| panic!("{label}: no {rule} finding on {address}"))["result"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(result("S3-004", "aws_s3_bucket.b[\"intake\"]"), "pass", "{label}");
        assert_eq!(result("S3-004", "aws_s3_bucket.b[\"claims\"]"), "fail", "{label}");
        assert_eq!(result("RDS-002", "module.db.aws_db_instance.this"), "pass", "{label}");
        assert_eq!(result("RDS-001", "module.db.aws_db_instance.this"), "pass", "{label}");
    }
}
