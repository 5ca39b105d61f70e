//! Tests of the Terraform and CloudFormation front ends through the public
//! `load` entry point: which resources come out, with which addresses,
//! values, unknowns and links.

use phiguard_iac::cloudformation::MAX_ASSUMED_CONDITIONS;
use phiguard_iac::{load, Loaded, Outcome};
use phiguard_model::services::Encryption;
use phiguard_model::{Model, ResourceKind};

fn loaded(label: &str, text: &str) -> Loaded {
    match load(label, text.as_bytes(), u64::MAX) {
        Ok(Outcome::Loaded(loaded)) => loaded,
        Ok(Outcome::Skipped(why)) => panic!("{label} skipped: {why}"),
        Err(error) => panic!("{label}: {error}"),
    }
}

fn addresses(model: &Model) -> Vec<&str> {
    model.resources.iter().map(|resource| resource.address.as_str()).collect()
}

fn bucket_encryption<'a>(model: &'a Model, address: &str) -> &'a phiguard_model::Attr<Encryption> {
    match &model.find(address).unwrap_or_else(|| panic!("no {address}")).kind {
        ResourceKind::S3Bucket(bucket) => &bucket.encryption,
        other => panic!("{address} is {other:?}"),
    }
}

const PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [
      {"address": "aws_s3_bucket.kept", "mode": "managed", "type": "aws_s3_bucket", "name": "kept", "values": {"bucket": "kept"}},
      {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me", "values": {}}
    ],
    "child_modules": [{"address": "module.a", "resources": [], "child_modules": [{"address": "module.a.module.b[\"x\"]", "resources": [
      {"address": "module.a.module.b[\"x\"].aws_s3_bucket.deep[0]", "mode": "managed", "type": "aws_s3_bucket", "name": "deep", "index": 0, "values": {"bucket": "deep"}}
    ]}]}]
  }},
  "resource_changes": [
    {"address": "aws_s3_bucket.gone", "mode": "managed", "type": "aws_s3_bucket", "name": "gone",
     "change": {"actions": ["delete"], "before": {"bucket": "gone"}, "after": null, "after_unknown": {}}},
    {"address": "aws_s3_bucket.computed", "mode": "managed", "type": "aws_s3_bucket", "name": "computed",
     "change": {"actions": ["create"], "before": null, "after": {"bucket": null}, "after_unknown": {"bucket": true}}},
    {"address": "aws_s3_bucket_server_side_encryption_configuration.computed", "mode": "managed",
     "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "computed",
     "change": {"actions": ["create"], "before": null,
       "after": {"bucket": null, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": null}]}]},
       "after_unknown": {"bucket": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]}}},
    {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
     "change": {"actions": ["create"], "before": null, "after": {"enable_key_rotation": true}, "after_unknown": {"arn": true}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_s3_bucket_server_side_encryption_configuration.computed", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "computed",
     "expressions": {"bucket": {"references": ["aws_s3_bucket.computed.id", "aws_s3_bucket.computed"]},
       "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, "sse_algorithm": {"constant_value": "aws:kms"}}]}]}}
  ]}}
}"#;

#[test]
fn plan_keeps_module_addresses_and_skips_deletes_and_data() {
    let loaded = loaded("plan.json", PLAN);
    let model = &loaded.models[0];
    let found = addresses(model);
    assert!(found.contains(&"module.a.module.b[\"x\"].aws_s3_bucket.deep[0]"), "{found:?}");
    assert!(found.contains(&"aws_s3_bucket.kept"));
    assert!(!found.contains(&"aws_s3_bucket.gone"), "a deleted resource was kept");
    assert!(!found.iter().any(|address| address.starts_with("data.")), "a data source was kept");
}

#[test]
fn plan_unknown_values_are_unknown_not_absent() {
    let loaded = loaded("plan.json", PLAN);
    let ResourceKind::S3Bucket(bucket) = &loaded.models[0].find("aws_s3_bucket.computed").unwrap().kind else {
        panic!("not a bucket")
    };
    let reason = bucket.name.get().unwrap_err();
    assert!(reason.contains("known only after apply"), "{reason}");
}

#[test]
fn plan_configuration_references_link_split_resources() {
    let loaded = loaded("plan.json", PLAN);
    let encryption = bucket_encryption(&loaded.models[0], "aws_s3_bucket.computed");
    assert_eq!(encryption.known(), Some(&Encryption::CustomerManaged("aws_kms_key.k".to_owned())));
    assert!(encryption.is_explicit());
    assert!(encryption.location().line > 1);
}

#[test]
fn plan_without_encryption_takes_the_s3_default() {
    let loaded = loaded("plan.json", PLAN);
    let encryption = bucket_encryption(&loaded.models[0], "aws_s3_bucket.kept");
    assert_eq!(encryption.known(), Some(&Encryption::AwsManaged));
    assert!(encryption.is_default());
}

#[test]
fn state_json_is_read() {
    let state = r#"{"format_version": "1.0", "terraform_version": "1.6.0", "values": {"root_module": {"resources": [
        {"address": "aws_s3_bucket.s", "mode": "managed", "type": "aws_s3_bucket", "name": "s", "values": {"bucket": "s"}}]}}}"#;
    let loaded = loaded("state.json", state);
    assert_eq!(addresses(&loaded.models[0]), ["aws_s3_bucket.s"]);
}

#[test]
fn plan_with_byte_order_marks_is_read() {
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(PLAN.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in PLAN.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    for (name, bytes) in [("utf8-bom.json", utf8), ("utf16.json", utf16)] {
        let Ok(Outcome::Loaded(loaded)) = load(name, &bytes, u64::MAX) else { panic!("{name} did not load") };
        assert!(addresses(&loaded.models[0]).contains(&"aws_s3_bucket.kept"), "{name}");
    }
}

#[test]
fn future_plan_format_is_rejected_with_its_version() {
    let Err(error) = load("plan.json", br#"{"format_version": "2.0", "planned_values": {}}"#, u64::MAX) else {
        panic!("a 2.0 plan was accepted")
    };
    assert!(error.message.contains("\"2.0\""), "{}", error.message);
}

const TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
  KeyArn:
    Type: String
    Default: arn:aws:kms:us-east-1:111122223333:key/example
Mappings:
  Settings:
    prod: {Algorithm: "aws:kms"}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  AlwaysTrue: !Equals [a, a]
  NeverTrue: !Not [!Condition AlwaysTrue]
Resources:
  Mapped:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [records, !Select [1, !Split [",", "a,b,c"]]]]
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: !FindInMap [Settings, prod, Algorithm]
              KMSMasterKeyID: !Ref KeyArn
  Branching:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "records-${AWS::Region}"
      VersioningConfiguration: !If [IsProd, {Status: Enabled}, !Ref AWS::NoValue]
  NeverCreated:
    Type: AWS::S3::Bucket
    Condition: NeverTrue
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
"#;

#[test]
fn template_resolves_defaults_mappings_and_functions() {
    let loaded = loaded("template.yaml", TEMPLATE);
    let model = &loaded.models[0];
    let ResourceKind::S3Bucket(bucket) = &model.find("Mapped").unwrap().kind else { panic!() };
    assert_eq!(bucket.name.known(), Some(&Some("records-b".to_owned())));
    assert_eq!(
        bucket.encryption.known(),
        Some(&Encryption::CustomerManaged("arn:aws:kms:us-east-1:111122223333:key/example".to_owned()))
    );
    let ResourceKind::S3Bucket(branching) = &model.find("Branching").unwrap().kind else { panic!() };
    let reason = branching.name.get().unwrap_err();
    assert!(reason.contains("AWS::Region"), "{reason}");
}

#[test]
fn template_branches_on_unknown_conditions() {
    let loaded = loaded("template.yaml", TEMPLATE);
    assert_eq!(loaded.models.len(), 2, "IsProd cannot be evaluated, so both values are tried");
    let mut versioning: Vec<(bool, Option<bool>)> = loaded
        .models
        .iter()
        .map(|model| {
            let ResourceKind::S3Bucket(bucket) = &model.find("Branching").unwrap().kind else { panic!() };
            (model.assumptions[0].1, bucket.versioning.known().copied())
        })
        .collect();
    versioning.sort();
    assert_eq!(versioning, [(false, Some(false)), (true, Some(true))]);
    for model in &loaded.models {
        assert_eq!(model.assumptions[0].0, "IsProd");
        assert!(model.find("NeverCreated").is_none(), "a resource whose condition is false was kept");
        assert!(model.find("Function").is_some(), "the SAM function was dropped");
    }
}

#[test]
fn template_with_many_unknown_conditions_is_bounded() {
    let mut template = String::from("Parameters:\n");
    let count = MAX_ASSUMED_CONDITIONS + 3;
    for index in 0..count {
        template.push_str(&format!("  P{index}:\n    Type: String\n"));
    }
    template.push_str("Conditions:\n");
    for index in 0..count {
        template.push_str(&format!("  C{index}: !Equals [!Ref P{index}, x]\n"));
    }
    template.push_str("Resources:\n");
    for index in 0..count {
        template.push_str(&format!(
            "  B{index}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !If [C{index}, a, b]\n"
        ));
    }
    let loaded = loaded("many.yaml", &template);
    assert_eq!(loaded.models.len(), 1 << MAX_ASSUMED_CONDITIONS);
    assert!(loaded.notes.iter().any(|note| note.contains("cannot be evaluated")), "{:?}", loaded.notes);
    let ResourceKind::S3Bucket(last) = &loaded.models[0].find(&format!("B{}", count - 1)).unwrap().kind else { panic!() };
    assert!(last.name.get().is_err(), "a condition beyond the bound must stay unknown");
}

#[test]
fn language_extensions_foreach_is_noted_not_fatal() {
    let template = "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Buckets:\n    - Name\n    - [a, b]\n    - Bucket${Name}:\n        Type: AWS::S3::Bucket\n  Plain:\n    Type: AWS::S3::Bucket\n";
    let loaded = loaded("foreach.yaml", template);
    assert_eq!(addresses(&loaded.models[0]), ["Plain"]);
    assert!(loaded.notes.iter().any(|note| note.contains("Fn::ForEach::Buckets")), "{:?}", loaded.notes);
}

#[test]
fn json_template_is_detected_by_content() {
    let template = r#"{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Ref": "AWS::StackName"}}}}}"#;
    let loaded = loaded("stack.txt", template);
    assert_eq!(addresses(&loaded.models[0]), ["B"]);
}

#[test]
fn other_files_are_skipped_with_a_reason() {
    for (name, text) in [
        ("workflow.yaml", "on: push\njobs: {}\n"),
        ("package.json", "{\"name\": \"x\"}"),
        ("main.tf", "resource \"aws_s3_bucket\" \"b\" {}"),
    ] {
        match load(name, text.as_bytes(), u64::MAX) {
            Ok(Outcome::Skipped(reason)) => assert!(!reason.is_empty()),
            _ => panic!("{name} was not skipped"),
        }
    }
}
