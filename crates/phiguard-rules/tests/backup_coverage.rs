//! BAK-001 on small templates: the results that the documented examples
//! do not show, such as inputs without selections, exclusions, tag
//! conditions and patterns that name one resource.

use phiguard_iac::{load, Outcome};
use phiguard_model::FindingResult;
use phiguard_rules::{evaluate, find};

/// Builds a template with a DynamoDB table tagged `backup: daily`, followed
/// by `extra` resources.
fn template(extra: &str) -> String {
    format!(
        "\
Resources:
  Patients:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: patients
      Tags:
        - Key: backup
          Value: daily
{extra}"
    )
}

/// Builds a backup selection resource with the given `BackupSelection` body
/// lines.
fn selection(body: &str) -> String {
    format!(
        "  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: plan-1
      BackupSelection:
        SelectionName: selection
        IamRoleArn: arn:aws:iam::111122223333:role/backup
{body}"
    )
}

fn table_result(text: &str) -> FindingResult {
    let Ok(Outcome::Loaded(loaded)) = load("template.yaml", text.as_bytes(), u64::MAX) else {
        panic!("the template did not load");
    };
    let rule = find("BAK-001").expect("BAK-001 is registered");
    let findings = evaluate(&loaded.models, &[rule]).findings;
    let finding = findings.iter().find(|finding| finding.resource.address == "Patients").expect("a finding for the table");
    finding.result
}

#[test]
fn no_selection_is_unknown() {
    assert_eq!(table_result(&template("")), FindingResult::Unknown);
}

#[test]
fn type_pattern_selects_table() {
    let text = template(&selection("        Resources:\n          - arn:aws:dynamodb:*:*:table/*\n"));
    assert_eq!(table_result(&text), FindingResult::Pass);
}

#[test]
fn other_type_pattern_fails() {
    let text = template(&selection("        Resources:\n          - arn:aws:rds:*:*:db:*\n"));
    assert_eq!(table_result(&text), FindingResult::Fail);
}

#[test]
fn named_pattern_is_unknown() {
    let text = template(&selection("        Resources:\n          - arn:aws:dynamodb:*:*:table/claims\n"));
    assert_eq!(table_result(&text), FindingResult::Unknown);
}

#[test]
fn not_resources_excludes_table() {
    let text = template(&selection(
        "        Resources:\n          - \"*\"\n        NotResources:\n          - arn:aws:dynamodb:*:*:table/*\n",
    ));
    assert_eq!(table_result(&text), FindingResult::Fail);
}

#[test]
fn tag_condition_narrows_selection() {
    let matching = template(&selection(
        "        Resources:\n          - \"*\"\n        Conditions:\n          StringEquals:\n            - ConditionKey: aws:ResourceTag/backup\n              ConditionValue: daily\n",
    ));
    assert_eq!(table_result(&matching), FindingResult::Pass);
    let other = template(&selection(
        "        Resources:\n          - \"*\"\n        Conditions:\n          StringLike:\n            - ConditionKey: aws:ResourceTag/backup\n              ConditionValue: weekly*\n",
    ));
    assert_eq!(table_result(&other), FindingResult::Fail);
}

#[test]
fn reference_selects_table() {
    let text = template(&selection("        Resources:\n          - !GetAtt Patients.Arn\n"));
    assert_eq!(table_result(&text), FindingResult::Pass);
}
