//! End-to-end tests of `phiguard scan --aws`: the real binary against moto's
//! server, with SVC-001 and the SCP rules reported through the usual
//! formats, exceptions and exit codes. moto makes the caller's account the
//! management account of any organization the test creates.

#[path = "../../phiguard-aws/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

use phiguard_aws::aws_sdk_organizations::types::{OrganizationFeatureSet, PolicyType};
use serde_json::Value;
use support::{dummy_environment, Moto};

const ACCOUNT: &str = "123456789012";
const ACCOUNT_ARN: &str = "arn:aws:iam::123456789012:root";

/// Runs the binary with only the dummy AWS environment, in `directory`.
fn phiguard(args: &[&str], directory: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_phiguard"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command.envs(dummy_environment()).current_dir(directory).args(args).output().expect("the binary runs")
}

fn json_report(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("invalid JSON ({error}): {text}"))
}

/// Returns the finding of `rule` on the resource `address`.
fn finding<'r>(report: &'r Value, rule: &str, address: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["rule_id"] == rule && finding["resource"]["address"] == address)
        .unwrap_or_else(|| panic!("no {rule} finding on {address} in {report}"))
}

fn notes(report: &Value) -> Vec<String> {
    report["notes"].as_array().unwrap().iter().map(|note| note["message"].as_str().unwrap().to_string()).collect()
}

/// Creates an organization with SCPs enabled, as the caller's account.
fn create_organization(moto: &Moto) {
    let aws = moto.connect();
    let client = phiguard_aws::aws_sdk_organizations::Client::new(aws.sdk_config());
    aws.block_on(client.create_organization().feature_set(OrganizationFeatureSet::All).send()).expect("create organization");
    let roots = aws.block_on(client.list_roots().send()).expect("list roots");
    let root = roots.roots()[0].id().unwrap().to_string();
    aws.block_on(client.enable_policy_type().root_id(root).policy_type(PolicyType::ServiceControlPolicy).send())
        .expect("enable SCPs");
}

#[test]
fn aws_scan_reports_json() {
    let moto = Moto::start();
    let workload = moto.create_workload();
    let (queue, cluster) = (workload.queue.as_str(), workload.cluster.as_str());
    create_organization(&moto);
    let directory = tempfile::tempdir().unwrap();

    let output = phiguard(&["scan", "--aws", "--endpoint-url", &moto.endpoint, "--format", "json"], directory.path());
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let report = json_report(&output);
    assert_eq!(report["summary"]["aws_accounts_scanned"], 1);
    assert_eq!(report["summary"]["files_scanned"], 0);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report}");

    let on_queue = finding(&report, "SVC-001", queue);
    assert_eq!(on_queue["result"], "pass");
    assert_eq!(on_queue["severity"], "critical", "the ePHI tag raises the severity");
    assert_eq!(on_queue["resource"]["type"], "aws:sqs:queue");
    assert_eq!(on_queue["resource"]["file"], queue);
    assert_eq!(on_queue["resource"]["line"], 0);

    assert_eq!(finding(&report, "SVC-001", &workload.table)["result"], "pass");

    let on_cluster = finding(&report, "SVC-001", cluster);
    assert_eq!(on_cluster["result"], "unknown");
    assert!(on_cluster["reason"].as_str().unwrap().contains("ARN namespace dsql"), "{on_cluster}");

    let allow_list = finding(&report, "SCP-001", ACCOUNT_ARN);
    assert_eq!(allow_list["result"], "fail");
    let message = allow_list["message"].as_str().unwrap();
    assert!(message.contains(&format!("account {ACCOUNT} is the management account")), "{message}");
    assert_eq!(finding(&report, "SCP-002", ACCOUNT_ARN)["result"], "pass");

    let notes = notes(&report);
    assert!(notes.iter().any(|note| note.contains("untagged resources other than S3 buckets are not scanned")), "{notes:?}");
    let calls = notes.iter().find(|note| note.starts_with("made ")).unwrap_or_else(|| panic!("no call note in {notes:?}"));
    assert!(calls.contains("STS GetCallerIdentity (1)"), "{calls}");
    assert!(calls.contains("Organizations ListParents (1)"), "{calls}");
    assert!(stderr.contains(&format!("aws: scanned account {ACCOUNT} in us-east-1: 3 resource(s)")), "{stderr}");
}

#[test]
fn aws_scan_without_organization_fails_scp_001() {
    let moto = Moto::start();
    let directory = tempfile::tempdir().unwrap();

    let output = phiguard(&["scan", "--aws", "--endpoint-url", &moto.endpoint, "--format", "json"], directory.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "no SCP limits the account: {stderr}");
    let report = json_report(&output);
    let scp_001 = finding(&report, "SCP-001", ACCOUNT_ARN);
    assert_eq!(scp_001["result"], "fail", "{scp_001}");
    assert!(scp_001["message"].as_str().unwrap().contains("is not in an organization"), "{scp_001}");
    let scp_002 = finding(&report, "SCP-002", ACCOUNT_ARN);
    assert_eq!(scp_002["result"], "pass", "{scp_002}");
}

#[test]
fn aws_scan_combines_paths_and_regions() {
    let moto = Moto::start();
    let directory = tempfile::tempdir().unwrap();
    let template = directory.path().join("queue.yaml");
    std::fs::write(&template, "Resources:\n  Intake:\n    Type: AWS::SQS::Queue\n").unwrap();

    let output = phiguard(
        &[
            "scan",
            "queue.yaml",
            "--aws",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            &moto.endpoint,
            "--format",
            "json",
        ],
        directory.path(),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report = json_report(&output);
    assert_eq!(report["summary"]["files_scanned"], 1, "{stderr}");
    assert_eq!(report["summary"]["aws_accounts_scanned"], 1);
    assert_eq!(finding(&report, "SVC-001", "Intake")["result"], "pass");
    assert_eq!(finding(&report, "SCP-001", ACCOUNT_ARN)["result"], "fail", "the account is in no organization");
    let calls = notes(&report).into_iter().find(|note| note.starts_with("made ")).unwrap();
    assert!(calls.contains("Resource Groups Tagging API GetResources (2)"), "{calls}");
    assert!(stderr.contains("in us-east-1, eu-west-1"), "{stderr}");
    // stderr is not a terminal here, so there is no progress line.
    assert!(!stderr.contains("listing the resources of region"), "{stderr}");
}

#[test]
fn aws_scan_applies_exceptions() {
    let moto = Moto::start();
    create_organization(&moto);
    let directory = tempfile::tempdir().unwrap();
    let config = "[[exception]]\nrule = \"SCP-001\"\nresource = \"arn:aws:iam::*:root\"\n\
justification = \"the management account runs no workloads\"\n";
    std::fs::write(directory.path().join("phiguard.toml"), config).unwrap();

    let output = phiguard(&["scan", "--aws", "--endpoint-url", &moto.endpoint, "--format", "json"], directory.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let report = json_report(&output);
    let suppressed = finding(&report, "SCP-001", ACCOUNT_ARN);
    assert_eq!(suppressed["result"], "suppressed");
    assert_eq!(suppressed["reason"], "the management account runs no workloads");
    let notes = notes(&report);
    assert!(!notes.iter().any(|note| note.contains("matched no failing or unknown finding")), "{notes:?}");
}

#[test]
fn tagged_scope_spares_account_findings() {
    let moto = Moto::start();
    let workload = moto.create_workload();
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("phiguard.toml"), "scope = \"tagged\"\n").unwrap();

    let output = phiguard(&["scan", "--aws", "--endpoint-url", &moto.endpoint, "--format", "json"], directory.path());
    let report = json_report(&output);
    assert_eq!(finding(&report, "SVC-001", &workload.queue)["result"], "pass");
    assert_eq!(finding(&report, "SVC-001", &workload.table)["result"], "not_applicable");
    assert_eq!(finding(&report, "SCP-001", ACCOUNT_ARN)["result"], "fail", "account findings keep their verdict under scope = tagged");
}

#[test]
fn aws_flags_require_aws() {
    let directory = tempfile::tempdir().unwrap();
    let output = phiguard(&["scan", "--region", "us-east-1"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--aws"), "{stderr}");

    let output = phiguard(&["scan"], directory.path());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn aws_scan_without_region_names_fix() {
    let directory = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_phiguard"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    let environment = dummy_environment().into_iter().filter(|(name, _)| *name != "AWS_REGION");
    let output = command
        .envs(environment)
        .current_dir(directory.path())
        .args(["scan", "--aws", "--endpoint-url", "http://127.0.0.1:9"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no AWS region is set"), "{stderr}");
}

#[test]
fn scp_account_must_be_an_id_or_all() {
    let directory = tempfile::tempdir().unwrap();
    let output = phiguard(&["scan", "--aws", "--scp-account", "12345"], directory.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("12-digit AWS account id"), "{stderr}");
}
