//! Every rule's documented examples, scanned through the same pipeline as
//! user input: the non-compliant example must fail the rule and the
//! compliant one must pass it, on Terraform and on CloudFormation.

mod common;

use phiguard_iac::hcl::HclFile;
use phiguard_iac::{load, load_terraform_files, Outcome};
use phiguard_model::{Finding, FindingResult};
use phiguard_rules::{evaluate, registry, Rule};

fn findings_for(rule: &dyn Rule, label: &str, text: &str) -> Vec<Finding> {
    let outcome = load(label, text.as_bytes(), u64::MAX).unwrap_or_else(|error| panic!("{label}: {error}"));
    let Outcome::Loaded(loaded) = outcome else { panic!("{label} was skipped") };
    evaluate(&loaded.models, &[rule]).findings
}

/// Scans a Terraform example as HCL, the way `phiguard scan DIR` reads a
/// module directory.
fn hcl_findings_for(rule: &dyn Rule, label: &str, text: &str) -> Vec<Finding> {
    let files = vec![HclFile { label: label.to_owned(), text: text.to_owned() }];
    let (loaded, errors) = load_terraform_files("example", files, u64::MAX);
    if let Some(error) = errors.first() {
        panic!("{label}: {}: {}", error.file, error.error);
    }
    evaluate(&loaded.models, &[rule]).findings
}

fn assert_example(rule: &dyn Rule, label: &str, text: &str, expected: FindingResult) {
    let findings = findings_for(rule, label, text);
    assert_findings(rule, label, findings, expected);
}

fn assert_findings(rule: &dyn Rule, label: &str, findings: Vec<Finding>, expected: FindingResult) {
    let id = rule.meta().id;
    assert!(!findings.is_empty(), "{id} {label}: the rule produced no finding");
    let summary: Vec<String> = findings.iter().map(|f| format!("{} {}: {}", f.result, f.resource.address, f.message)).collect();
    match expected {
        FindingResult::Fail => assert!(
            findings.iter().any(|finding| finding.result == FindingResult::Fail),
            "{id} {label}: expected a failing finding, got {summary:#?}"
        ),
        _ => {
            assert!(
                findings.iter().all(|f| matches!(f.result, FindingResult::Pass | FindingResult::NotApplicable)),
                "{id} {label}: expected only passing findings, got {summary:#?}"
            );
            assert!(
                findings.iter().any(|finding| finding.result == FindingResult::Pass),
                "{id} {label}: expected a passing finding, got {summary:#?}"
            );
        }
    }
}

#[test]
fn examples_give_their_verdict() {
    let mut checked = 0;
    for rule in registry() {
        let docs = &rule.meta().docs;
        if !docs.terraform_fail.is_empty() {
            assert_example(rule, "fail.tfplan.json", &common::plan_from_hcl(docs.terraform_fail), FindingResult::Fail);
            let findings = hcl_findings_for(rule, "fail.tf", docs.terraform_fail);
            assert_findings(rule, "fail.tf", findings, FindingResult::Fail);
            checked += 2;
        }
        if !docs.terraform_pass.is_empty() {
            assert_example(rule, "pass.tfplan.json", &common::plan_from_hcl(docs.terraform_pass), FindingResult::Pass);
            let findings = hcl_findings_for(rule, "pass.tf", docs.terraform_pass);
            assert_findings(rule, "pass.tf", findings, FindingResult::Pass);
            checked += 2;
        }
        if !docs.cloudformation_fail.is_empty() {
            assert_example(rule, "fail.yaml", docs.cloudformation_fail, FindingResult::Fail);
            checked += 1;
        }
        if !docs.cloudformation_pass.is_empty() {
            assert_example(rule, "pass.yaml", docs.cloudformation_pass, FindingResult::Pass);
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn rules_with_both_inputs_have_both_verdicts() {
    for rule in registry() {
        let docs = &rule.meta().docs;
        let id = rule.meta().id;
        assert_eq!(docs.terraform_fail.is_empty(), docs.terraform_pass.is_empty(), "{id}: Terraform examples come in pairs");
        assert_eq!(
            docs.cloudformation_fail.is_empty(),
            docs.cloudformation_pass.is_empty(),
            "{id}: CloudFormation examples come in pairs"
        );
    }
}
