//! End-to-end tests of `phiguard scan` and `phiguard rules`: the real
//! binary on the bundled corpus of public plans and templates, on hostile
//! input, and with configuration files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn phiguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phiguard")).args(args).output().expect("the binary runs")
}

fn scan_json(args: &[&str]) -> (i32, Value) {
    let mut full = vec!["scan", "--format", "json"];
    full.extend_from_slice(args);
    let output = phiguard(&full);
    let code = output.status.code().expect("exit code");
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    let json = serde_json::from_str(&text).unwrap_or_else(|error| panic!("invalid JSON ({error}): {text}"));
    (code, json)
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for directory in ["terraform-plans", "cloudformation"] {
        for entry in std::fs::read_dir(corpus().join(directory)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    files.sort();
    files
}

#[test]
fn corpus_files_scan_without_errors() {
    for file in corpus_files() {
        let (code, json) = scan_json(&[file.to_str().unwrap()]);
        assert!(code == 0 || code == 1, "{}: exit code {code}, errors {}", file.display(), json["errors"]);
        assert_eq!(json["errors"].as_array().unwrap().len(), 0, "{}: {}", file.display(), json["errors"]);
        assert_eq!(json["summary"]["files_scanned"], 1);
    }
}

/// Files whose names give a pass or fail verdict, with the rule the name is about.
const LABELLED: &[(&str, &str, &str)] = &[
    ("terraform-plans/tfc__test_s3_encryption_failure__plan.out.json", "S3-001", "fail"),
    ("terraform-plans/tfc__test_s3_encryption_success__plan.out.json", "S3-001", "pass"),
    ("terraform-plans/tfc__test_kms_key_rotation_failure__plan.out.json", "KMS-001", "fail"),
    ("cloudformation/ckv__CloudTrailEncryption-FAILED.yaml", "CT-003", "fail"),
    ("cloudformation/ckv__CloudTrailEncryption-PASSED.json", "CT-003", "pass"),
    ("cloudformation/ckv__ElasticacheReplicationGroupEncryptionAtRest-FAILED.yaml", "EC-001", "fail"),
    ("cloudformation/ckv__ElasticacheReplicationGroupEncryptionAtRest-PASSED.yaml", "EC-001", "pass"),
    ("cloudformation/ckv__KMSRotation-FAILED.yml", "KMS-001", "fail"),
    ("cloudformation/ckv__RDSEncryption-FAIL.yaml", "RDS-001", "fail"),
    ("cloudformation/ckv__RDSEncryption-PASSED.yaml", "RDS-001", "pass"),
    ("cloudformation/ckv__ALBListenerHTTPS-FAILED-HTTP.yaml", "ELB-001", "fail"),
];

#[test]
fn labelled_corpus_files_get_their_verdict() {
    for (file, rule, expected) in LABELLED {
        let path = corpus().join(file);
        let (_, json) = scan_json(&["--rule", rule, path.to_str().unwrap()]);
        let results: Vec<&str> = json["findings"].as_array().unwrap().iter().map(|f| f["result"].as_str().unwrap()).collect();
        assert!(!results.is_empty(), "{file}: {rule} produced no finding");
        match *expected {
            "fail" => assert!(results.contains(&"fail"), "{file}: {rule} gave {results:?}, expected a failure"),
            _ => assert!(results.iter().all(|r| *r == "pass"), "{file}: {rule} gave {results:?}, expected passes only"),
        }
    }
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let directory = corpus();
    let first = phiguard(&["scan", "--format", "json", directory.to_str().unwrap()]);
    let second = phiguard(&["scan", "--format", "json", directory.to_str().unwrap()]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn json_findings_have_the_documented_fields() {
    let path = corpus().join("terraform-plans/tfc__test_s3_encryption_failure__plan.out.json");
    let (code, json) = scan_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(json["format_version"], 1);
    for key in ["pass", "fail", "unknown", "not_applicable", "suppressed"] {
        assert!(json["summary"][key].is_u64(), "summary lacks {key}");
    }
    let finding = &json["findings"].as_array().unwrap()[0];
    for key in ["rule_id", "rule_name", "severity", "result", "resource", "citations", "message"] {
        assert!(!finding[key].is_null(), "finding lacks {key}: {finding}");
    }
    for key in ["address", "type", "file", "line"] {
        assert!(!finding["resource"][key].is_null(), "resource lacks {key}: {finding}");
    }
    assert!(finding["citations"][0].as_str().unwrap().starts_with("164."));
}

#[test]
fn sarif_results_have_lines_and_rules_have_metadata() {
    let path = corpus().join("terraform-plans/tfc__test_s3_encryption_failure__plan.out.json");
    let output = phiguard(&["scan", "--format", "sarif", path.to_str().unwrap()]);
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{result}");
    }
    let rule = &run["tool"]["driver"]["rules"][0];
    assert!(rule["properties"]["security-severity"].is_string());
    let tags: Vec<&str> = rule["properties"]["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(tags.iter().any(|tag| tag.starts_with("HIPAA-164.312")), "{tags:?}");
}

#[test]
fn fail_on_threshold_sets_exit_code() {
    let path = corpus().join("terraform-plans/tfc__test_s3_encryption_failure__plan.out.json");
    let (code, _) = scan_json(&["--rule", "S3-001", "--fail-on", "critical", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (code, _) = scan_json(&["--rule", "S3-001", "--fail-on", "medium", path.to_str().unwrap()]);
    assert_eq!(code, 1);
}

#[test]
fn output_file_receives_the_report() {
    let directory = tempfile::tempdir().unwrap();
    let output_path = directory.path().join("report.sarif");
    let path = corpus().join("terraform-plans/tfc__test_s3_encryption_failure__plan.out.json");
    let output = phiguard(&["scan", "-f", "sarif", "-o", output_path.to_str().unwrap(), path.to_str().unwrap()]);
    assert!(output.stdout.is_empty());
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&output_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

fn write(directory: &Path, name: &str, content: &str) -> PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

const FAILING_TEMPLATE: &str = "Resources:\n  Records:\n    Type: AWS::S3::Bucket\n";

#[test]
fn exception_suppresses_with_its_justification() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "template.yaml", FAILING_TEMPLATE);
    write(
        directory.path(),
        "phiguard.toml",
        "[[exception]]\nrule = \"S3-001\"\nresource = \"Rec*\"\njustification = \"holds no ePHI, public data only\"\nexpires = \"2999-01-01\"\n",
    );
    let (code, json) = scan_json(&["--rule", "S3-001", directory.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{json}");
    let finding = &json["findings"][0];
    assert_eq!(finding["result"], "suppressed");
    assert_eq!(finding["reason"], "holds no ePHI, public data only");
}

#[test]
fn expired_exception_no_longer_applies() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "template.yaml", FAILING_TEMPLATE);
    write(
        directory.path(),
        "phiguard.toml",
        "[[exception]]\nrule = \"S3-001\"\nresource = \"*\"\njustification = \"temporary\"\nexpires = \"2001-01-01\"\n",
    );
    let (code, json) = scan_json(&["--rule", "S3-001", directory.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["result"], "fail");
    let notes = json["notes"].to_string();
    assert!(notes.contains("expired on 2001-01-01"), "{notes}");
}

#[test]
fn unknown_config_key_is_an_error_naming_it() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "template.yaml", FAILING_TEMPLATE);
    write(directory.path(), "phiguard.toml", "[rules]\nselekt = [\"S3-001\"]\n");
    let output = phiguard(&["scan", directory.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("selekt"), "{stderr}");
}

#[test]
fn unparseable_file_is_reported_and_others_still_scanned() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "a-template.yaml", FAILING_TEMPLATE);
    write(directory.path(), "b-plan.json", "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": ");
    let (code, json) = scan_json(&["--rule", "S3-001", directory.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    let error = &json["errors"][0];
    assert!(error["file"].as_str().unwrap().ends_with("b-plan.json"));
    assert_eq!(error["line"], 1);
    assert!(error["message"].as_str().unwrap().contains("expected"), "{error}");
    assert_eq!(json["findings"].as_array().unwrap().len(), 1, "the valid template is still scanned");
}

#[test]
fn oversized_file_gets_a_size_error() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("huge.json");
    // A sparse file of 400 MB: the size check must reject it before reading.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(400 * 1024 * 1024).unwrap();
    let (code, json) = scan_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 2);
    let message = json["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("419430400 bytes"), "{message}");
    assert!(message.contains("--max-file-size"), "{message}");
}

#[test]
fn hostile_inputs_are_rejected_without_a_crash() {
    let directory = tempfile::tempdir().unwrap();
    let mut bomb = String::from("Resources: {}\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    let mut previous = 'a';
    for name in 'b'..='k' {
        let items = vec![format!("*{previous}"); 10].join(",");
        bomb.push_str(&format!("{name}: &{name} [{items}]\n"));
        previous = name;
    }
    let cases = [
        ("bomb.yaml", bomb),
        ("deep.json", "[".repeat(200_000)),
        ("deep.yaml", format!("Resources: {}", "[".repeat(200_000))),
        ("types.json", "{\"format_version\": \"1.2\", \"resource_changes\": \"x\", \"planned_values\": [1], \"configuration\": 5}".to_owned()),
        ("types-cfn.yaml", "Resources:\n  A:\n    Type: [1, 2]\n  B: 7\n  C:\n    Type: AWS::S3::Bucket\n    Properties: [x]\n".to_owned()),
        ("version.json", "{\"format_version\": 7, \"planned_values\": {}}".to_owned()),
        ("empty.json", String::new()),
        ("invalid-utf8.json", String::from_utf8_lossy(b"{\"a\": \"\xff\"}").into_owned()),
    ];
    for (name, content) in &cases {
        write(directory.path(), name, content);
    }
    std::fs::write(directory.path().join("raw-bytes.json"), b"{\"a\": \"\xff\xfe\"}").unwrap();
    let output = phiguard(&["scan", "--format", "json", directory.path().to_str().unwrap()]);
    let code = output.status.code().expect("no signal: the binary did not crash");
    assert!(code <= 2, "exit code {code}");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = json["errors"].to_string();
    assert!(errors.contains("alias bomb"), "{errors}");
    assert!(errors.contains("deeper than 256"), "{errors}");
    assert!(errors.contains("format_version"), "{errors}");
    assert!(errors.contains("invalid UTF-8"), "{errors}");
}

#[test]
fn rules_lists_and_documents() {
    let output = phiguard(&["rules"]);
    assert!(output.status.success());
    let listing = String::from_utf8(output.stdout).unwrap();
    assert!(listing.contains("S3-001"));
    let output = phiguard(&["rules", "s3-bucket-customer-managed-key"]);
    let document = String::from_utf8(output.stdout).unwrap();
    for heading in ["## What it checks", "## Why it matters for ePHI", "## How to fix", "## Known limitations", "## Non-compliant Terraform", "## Compliant CloudFormation"] {
        assert!(document.contains(heading), "missing {heading}");
    }
    let output = phiguard(&["rules", "NOPE-999"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn rules_document_matches_the_code() {
    let output = phiguard(&["rules", "--markdown"]);
    let generated = String::from_utf8(output.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is out of date; regenerate it with `cargo run -p phiguard -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn nothing_scannable_is_an_error() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "docker-compose.yml", "services:\n  web:\n    image: nginx\n");
    write(directory.path(), "package.json", "{\"name\": \"site\"}");
    let (code, json) = scan_json(&[directory.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(json["summary"]["files_scanned"], 0);
    assert_eq!(json["summary"]["files_skipped"], 2);
    let message = json["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("terraform show -json"), "{message}");
    assert!(message.contains(".tf files"), "{message}");
}

#[test]
fn fail_on_unknown_counts_unknown_findings() {
    let directory = tempfile::tempdir().unwrap();
    let template = "Parameters:\n  Name:\n    Type: String\nResources:\n  Records:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: !Ref Name\n";
    let path = write(directory.path(), "template.yaml", template);
    let (code, json) = scan_json(&["--rule", "S3-006", path.to_str().unwrap()]);
    assert_eq!(json["findings"][0]["result"], "unknown");
    assert_eq!(code, 0);
    let (code, _) = scan_json(&["--rule", "S3-006", "--fail-on-unknown", path.to_str().unwrap()]);
    assert_eq!(code, 1);
}

#[test]
fn errors_on_stderr_with_output_file() {
    let directory = tempfile::tempdir().unwrap();
    let broken = write(directory.path(), "broken.json", "{\"format_version\": ");
    let report = directory.path().join("report.sarif");
    let output = phiguard(&["scan", "-f", "sarif", "-o", report.to_str().unwrap(), broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.json:1:"), "{stderr}");
}

#[test]
fn exception_rules_and_addresses_are_checked() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "template.yaml", FAILING_TEMPLATE);
    write(directory.path(), "phiguard.toml", "[[exception]]\nrule = \"S3-999\"\nresource = \"*\"\njustification = \"x\"\n");
    let output = phiguard(&["scan", directory.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("S3-999"));

    write(
        directory.path(),
        "phiguard.toml",
        "[[exception]]\nrule = \"S3-001\"\nresource = \"Records\"\njustification = \"reviewed\"\n\n[[exception]]\nrule = \"S3-004\"\nresource = \"Other*\"\njustification = \"stale\"\n",
    );
    let (_, json) = scan_json(&["--rule", "S3-001", "--rule", "S3-004", directory.path().to_str().unwrap()]);
    let results: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule_id"].as_str().unwrap(), f["result"].as_str().unwrap()))
        .collect();
    assert!(results.contains(&("S3-001", "suppressed")), "{results:?}");
    assert!(json["notes"].to_string().contains("matched no failing or unknown finding"), "{}", json["notes"]);
}

#[test]
fn exception_matches_an_address_with_brackets_as_written() {
    let directory = tempfile::tempdir().unwrap();
    let plan = r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_s3_bucket.scans[\"intake\"]", "mode": "managed", "type": "aws_s3_bucket", "name": "scans", "index": "intake", "values": {"bucket": "intake"}}]}}}"#;
    write(directory.path(), "plan.json", plan);
    write(
        directory.path(),
        "phiguard.toml",
        "[[exception]]\nrule = \"S3-001\"\nresource = 'aws_s3_bucket.scans[\"intake\"]'\njustification = \"reviewed\"\n",
    );
    let (_, json) = scan_json(&["--rule", "S3-001", directory.path().to_str().unwrap()]);
    assert_eq!(json["findings"][0]["result"], "suppressed", "{}", json["findings"]);
}

#[test]
fn same_file_twice_is_scanned_once() {
    let directory = tempfile::tempdir().unwrap();
    let path = write(directory.path(), "template.yaml", FAILING_TEMPLATE);
    let (_, json) = scan_json(&["--rule", "S3-001", path.to_str().unwrap(), directory.path().to_str().unwrap()]);
    assert_eq!(json["summary"]["files_scanned"], 1);
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
}

#[test]
fn closed_pipe_is_not_a_crash() {
    use std::io::Read;
    for args in [vec!["rules", "--markdown"], vec!["rules"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_phiguard"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn listener_takes_its_load_balancers_ephi_tag() {
    let directory = tempfile::tempdir().unwrap();
    let template = "Resources:\n  Balancer:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Tags:\n        - Key: DataClassification\n          Value: phi\n  Listener:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: !Ref Balancer\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - Type: forward\n          TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api/0123456789abcdef\n";
    write(directory.path(), "template.yaml", template);
    write(directory.path(), "phiguard.toml", "scope = \"tagged\"\n");
    let (_, json) = scan_json(&["--rule", "ELB-001", directory.path().to_str().unwrap()]);
    let finding = &json["findings"][0];
    assert_eq!(finding["resource"]["address"], "Listener");
    assert_eq!(finding["result"], "fail", "{finding}");
    assert_eq!(finding["severity"], "critical", "ELB-001 is high, raised one step for ePHI");
}

#[test]
fn cluster_members_and_replicas_take_ephi_tag() {
    let directory = tempfile::tempdir().unwrap();
    let configuration = r#"
resource "aws_rds_cluster" "records" {
  engine            = "aurora-postgresql"
  storage_encrypted = true
  tags              = { DataClassification = "phi" }
}
resource "aws_rds_cluster_instance" "member" {
  cluster_identifier  = aws_rds_cluster.records.id
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = true
}
resource "aws_db_instance" "source" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = true
  publicly_accessible = false
  tags                = { DataClassification = "phi" }
}
resource "aws_db_instance" "replica" {
  replicate_source_db = aws_db_instance.source.identifier
  instance_class      = "db.t3.micro"
  publicly_accessible = true
}
resource "aws_db_instance" "unrelated" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = true
  publicly_accessible = true
}
"#;
    write(directory.path(), "main.tf", configuration);
    write(directory.path(), "phiguard.toml", "scope = \"tagged\"\n");
    let (_, json) = scan_json(&["--rule", "RDS-004", directory.path().to_str().unwrap()]);
    let result = |address: &str| -> String {
        let finding = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"]["address"] == address)
            .unwrap_or_else(|| panic!("no RDS-004 finding on {address}: {}", json["findings"]));
        finding["result"].as_str().unwrap().to_owned()
    };
    assert_eq!(result("aws_rds_cluster_instance.member"), "fail");
    assert_eq!(result("aws_db_instance.replica"), "fail");
    assert_eq!(result("aws_db_instance.unrelated"), "not_applicable", "untagged and without a tagged parent");
}

fn hcl_corpus_modules() -> Vec<PathBuf> {
    let mut modules: Vec<PathBuf> =
        std::fs::read_dir(corpus().join("terraform-hcl")).unwrap().map(|entry| entry.unwrap().path()).collect();
    modules.sort();
    modules
}

#[test]
fn hcl_corpus_modules_scan_without_errors() {
    let modules = hcl_corpus_modules();
    assert_eq!(modules.len(), 8);
    let mut resources = 0;
    for module in modules {
        let (code, json) = scan_json(&[module.to_str().unwrap()]);
        assert!(code == 0 || code == 1, "{}: exit code {code}, errors {}", module.display(), json["errors"]);
        assert_eq!(json["errors"].as_array().unwrap().len(), 0, "{}: {}", module.display(), json["errors"]);
        assert_eq!(json["summary"]["files_scanned"], 1, "{}", module.display());
        let addresses: std::collections::BTreeSet<&str> =
            json["findings"].as_array().unwrap().iter().filter_map(|f| f["resource"]["address"].as_str()).collect();
        resources += addresses.len();
    }
    assert!(resources >= 15, "the HCL corpus gave findings on {resources} resources");
}

/// The RDS module's own defaults: encrypted storage, 7-day retention off
/// (no default), deletion protection off. Each verdict follows from a
/// variable default in variables.tf.
#[test]
fn hcl_module_defaults_give_verdicts() {
    let module = corpus().join("terraform-hcl/tfam-rds__modules-db_instance");
    let (code, json) = scan_json(&[module.to_str().unwrap()]);
    assert_eq!(code, 1);
    let result = |rule: &str| -> String {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == rule && f["resource"]["address"] == "aws_db_instance.this[0]")
            .unwrap_or_else(|| panic!("no {rule} finding on aws_db_instance.this[0]: {}", json["findings"]))["result"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(result("RDS-001"), "pass", "storage_encrypted defaults to true");
    assert_eq!(result("RDS-007"), "fail", "deletion_protection defaults to false");
    assert_eq!(result("RDS-006"), "fail", "multi_az defaults to false");
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == "RDS-007").unwrap();
    assert!(finding["location"]["file"].as_str().unwrap().ends_with("tfam-rds__modules-db_instance/main.tf"), "{finding}");
}

#[test]
fn scan_names_bad_tf_file_and_continues() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.tf"), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n").unwrap();
    std::fs::write(dir.path().join("volume.tf"), "resource \"aws_ebs_volume\" \"v\" {\n  size = 10\n}\n").unwrap();
    let (code, json) = scan_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 2, "an input error exits with 2");
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["file"].as_str().unwrap().ends_with("broken.tf"), "{errors:?}");
    // The value is missing where the line ends.
    assert_eq!(errors[0]["line"], 2);
    let findings = json["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule_id"] == "EBS-001" && f["result"] == "fail"), "{findings:?}");
}

#[test]
fn unknown_dynamic_ingress_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("variables.tf"), "variable \"ports\" {}\n").unwrap();
    std::fs::write(
        dir.path().join("network.tf"),
        r#"
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
"#,
    )
    .unwrap();
    let (_, json) = scan_json(&[dir.path().to_str().unwrap()]);
    let findings = json["findings"].as_array().unwrap();
    let finding = findings.iter().find(|f| f["rule_id"] == "SG-001").unwrap_or_else(|| panic!("no SG-001 in {findings:?}"));
    assert_eq!(finding["result"], "unknown", "{finding}");
    assert!(finding["location"]["file"].as_str().unwrap().ends_with("network.tf"), "{finding}");
    assert_eq!(finding["location"]["line"], 4, "{finding}");
}

#[test]
fn scan_tf_argument_reads_module_once() {
    let module = corpus().join("terraform-hcl/tfam-vpc__modules-flow-log");
    let main = module.join("main.tf");
    let variables = module.join("variables.tf");
    let (_, json) = scan_json(&[main.to_str().unwrap(), variables.to_str().unwrap(), module.to_str().unwrap()]);
    assert_eq!(json["summary"]["files_scanned"], 1);
}

/// A catalog that `phiguard services import` wrote replaces the built-in
/// list for every command, so a newer AWS list takes effect without a
/// rebuild.
#[test]
fn catalog_option_replaces_builtin_list() {
    let directory = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../phiguard-catalog/data/hipaa-eligible-services.toml"),
    )
    .unwrap();
    let today = jiff::Zoned::now().date().to_string();
    let newer = builtin.replacen("list_date = \"2025-04-16\"", &format!("list_date = \"{today}\""), 1);
    assert_ne!(newer, builtin, "the test rewrites the list date");
    let catalog = write(directory.path(), "services.toml", &newer);
    let template = write(directory.path(), "template.yaml", "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n");

    let output = phiguard(&["--catalog", catalog.to_str().unwrap(), "services", "list", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains(&today), "services list shows the new list date");

    let builtin_scan = phiguard(&["scan", template.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&builtin_scan.stderr).contains("days ago"), "the built-in list is old");
    let newer_scan = phiguard(&["scan", "--catalog", catalog.to_str().unwrap(), template.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&newer_scan.stderr).contains("days ago"), "{}", String::from_utf8_lossy(&newer_scan.stderr));

    let broken = write(directory.path(), "broken.toml", "not = [valid");
    let output = phiguard(&["--catalog", broken.to_str().unwrap(), "services", "list"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("services import"), "{stderr}");
}

/// A pass that depends on a resource the configuration may not create is
/// unknown, while a failure on such a resource stays a failure.
#[test]
fn uncertain_count_turns_passes_unknown() {
    let directory = tempfile::tempdir().unwrap();
    let configuration = r#"
variable "enabled" {}
resource "aws_s3_bucket" "b" {
  bucket = "records"
}
resource "aws_s3_bucket_versioning" "b" {
  count  = var.enabled ? 1 : 0
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_ebs_volume" "plain" {
  count     = var.enabled ? 1 : 0
  size      = 1
  encrypted = false
}
resource "aws_ebs_volume" "encrypted" {
  count     = var.enabled ? 1 : 0
  size      = 1
  encrypted = true
}
"#;
    write(directory.path(), "main.tf", configuration);
    let (_, json) = scan_json(&["--rule", "S3-004", "--rule", "EBS-001", directory.path().to_str().unwrap()]);
    let finding = |rule: &str, address: &str| -> Value {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == rule && f["resource"]["address"] == address)
            .unwrap_or_else(|| panic!("no {rule} finding on {address}: {}", json["findings"]))
            .clone()
    };
    let versioning = finding("S3-004", "aws_s3_bucket.b");
    assert_eq!(versioning["result"], "unknown", "{versioning}");
    assert!(versioning["reason"].as_str().unwrap().contains("aws_s3_bucket_versioning.b"), "{versioning}");
    assert_eq!(finding("EBS-001", "aws_ebs_volume.plain")["result"], "fail");
    assert_eq!(finding("EBS-001", "aws_ebs_volume.encrypted")["result"], "unknown");
}

/// Storage that is encrypted with a key the configuration does not show
/// passes the encryption rules; only the customer-managed-key rules are
/// unknown.
#[test]
fn unknown_kms_key_still_counts_as_encrypted() {
    let directory = tempfile::tempdir().unwrap();
    let configuration = r#"
variable "key_arn" {}
resource "aws_db_instance" "db" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = var.key_arn
}
resource "aws_ebs_volume" "v" {
  size       = 10
  encrypted  = true
  kms_key_id = var.key_arn
}
"#;
    write(directory.path(), "main.tf", configuration);
    let (_, json) = scan_json(&["--rule", "RDS-001", "--rule", "RDS-002", "--rule", "EBS-001", "--rule", "EBS-002", directory.path().to_str().unwrap()]);
    let result = |rule: &str| -> String {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == rule)
            .unwrap_or_else(|| panic!("no {rule} finding: {}", json["findings"]))["result"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(result("RDS-001"), "pass");
    assert_eq!(result("EBS-001"), "pass");
    assert_eq!(result("RDS-002"), "unknown");
    assert_eq!(result("EBS-002"), "unknown");
}

/// A module's resources link to the resources its caller passes in, a
/// `for_each` over another resource keeps that resource's keys, and a
/// called module directory is not scanned again on its own.
#[test]
fn module_arguments_and_resource_for_each_link() {
    let directory = tempfile::tempdir().unwrap();
    write(
        directory.path(),
        "main.tf",
        r#"
variable "buckets" { default = ["intake", "claims"] }
resource "aws_s3_bucket" "b" {
  for_each = toset(var.buckets)
  bucket   = "acme-${each.key}"
}
resource "aws_s3_bucket_versioning" "b" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  versioning_configuration {
    status = each.key == "intake" ? "Enabled" : "Suspended"
  }
}
resource "aws_kms_key" "phi" {
  enable_key_rotation = true
}
module "db" {
  source      = "./modules/db"
  kms_key_arn = aws_kms_key.phi.arn
}
"#,
    );
    std::fs::create_dir_all(directory.path().join("modules/db")).unwrap();
    write(
        &directory.path().join("modules/db"),
        "main.tf",
        "variable \"kms_key_arn\" {}\nresource \"aws_db_instance\" \"this\" {\n  engine            = \"postgres\"\n  storage_encrypted = true\n  kms_key_id        = var.kms_key_arn\n}\n",
    );
    let (_, json) = scan_json(&["--rule", "S3-004", "--rule", "RDS-002", directory.path().to_str().unwrap()]);
    let findings = json["findings"].as_array().unwrap();
    let result = |rule: &str, address: &str| -> String {
        findings
            .iter()
            .find(|f| f["rule_id"] == rule && f["resource"]["address"] == address)
            .unwrap_or_else(|| panic!("no {rule} finding on {address}: {findings:?}"))["result"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(result("S3-004", "aws_s3_bucket.b[\"intake\"]"), "pass");
    assert_eq!(result("S3-004", "aws_s3_bucket.b[\"claims\"]"), "fail");
    assert_eq!(result("RDS-002", "module.db.aws_db_instance.this"), "pass");
    assert!(
        !findings.iter().any(|f| f["resource"]["address"] == "aws_db_instance.this"),
        "the called module is not scanned on its own: {findings:?}"
    );
    let notes = json["notes"].as_array().unwrap();
    assert!(notes.iter().any(|note| note["message"].as_str().unwrap().contains("scanned as a module of")), "{notes:?}");
}

#[test]
fn working_directory_notes_name_dot() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "main.tf", "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\nresource \"aws_sqs_queue\" \"q\" {}\n");
    let output = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .current_dir(directory.path())
        .args(["scan", "--format", "json", "."])
        .output()
        .expect("the binary runs");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = json["notes"].as_array().unwrap();
    assert!(!notes.is_empty());
    assert!(notes.iter().all(|note| note["file"] == "."), "{notes:?}");
}

#[test]
fn config_errors_name_the_file() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n");
    let config = write(directory.path(), "phiguard.toml", "[rules]\nselect = [\"ZZ-*\"]\n");
    let output = phiguard(&["scan", directory.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(config.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("ZZ-*"), "{stderr}");
}

#[test]
fn bracket_exception_gets_escape_hint() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "main.tf", "resource \"aws_ebs_volume\" \"v\" {\n  count     = 2\n  size      = 1\n  encrypted = false\n}\n");
    write(
        directory.path(),
        "phiguard.toml",
        "[[exception]]\nrule = \"EBS-001\"\nresource = \"aws_ebs_volume.v[*]\"\njustification = \"scratch\"\nexpires = \"2099-01-01\"\n",
    );
    let (_, json) = scan_json(&["--rule", "EBS-001", directory.path().to_str().unwrap()]);
    let notes = json["notes"].as_array().unwrap();
    assert!(notes.iter().any(|note| note["message"].as_str().unwrap().contains("write `\\[`")), "{notes:?}");
}

/// When a template condition decides the verdict, the finding points at the
/// setting where the branches differ, not at the resource.
#[test]
fn condition_split_points_at_setting() {
    let directory = tempfile::tempdir().unwrap();
    // Outside production the rotation setting is left out, so that branch
    // fails on the default and points at the resource. The finding must
    // point at the setting on line 11 instead.
    let template = "Parameters:\n  Env:\n    Type: String\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      Description: intake\n      EnableKeyRotation: !If [IsProd, true, !Ref AWS::NoValue]\n";
    write(directory.path(), "template.yaml", template);
    let (_, json) = scan_json(&["--rule", "KMS-001", directory.path().to_str().unwrap()]);
    let finding = &json["findings"][0];
    assert_eq!(finding["result"], "unknown", "{finding}");
    assert_eq!(finding["location"]["line"], 11, "{finding}");
}

/// Instances of one `count` resource share rule, file and line. Each SARIF
/// result carries a fingerprint that names its resource, so code scanning
/// keeps them apart.
#[test]
fn sarif_fingerprints_tell_instances_apart() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "main.tf", "resource \"aws_ebs_volume\" \"v\" {\n  count     = 2\n  size      = 1\n  encrypted = false\n}\n");
    let output = phiguard(&["scan", "--format", "sarif", "--rule", "EBS-001", directory.path().to_str().unwrap()]);
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let fingerprints: std::collections::BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["partialFingerprints"]["phiguardResource/v1"].as_str().unwrap())
        .collect();
    let expected: std::collections::BTreeSet<&str> = ["EBS-001|aws_ebs_volume.v[0]", "EBS-001|aws_ebs_volume.v[1]"].into_iter().collect();
    assert_eq!(fingerprints, expected);
}
