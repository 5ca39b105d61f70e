//! Hostile and damaged input through the public `load` entry point: every
//! prefix of real files, mangled types and deep structures must give a
//! result or an error, never a panic.

use std::path::Path;

use phiguard_iac::{load, Outcome};

fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../phiguard/tests/corpus").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Loads every prefix of `bytes` at a stride, so truncation at any kind of
/// token is covered without testing all offsets of a large file.
fn load_prefixes(label: &str, bytes: &[u8], stride: usize) -> (usize, usize) {
    let (mut loaded, mut errors) = (0, 0);
    for end in (0..bytes.len()).step_by(stride) {
        match load(label, &bytes[..end], u64::MAX) {
            Ok(Outcome::Loaded(_)) => loaded += 1,
            Ok(Outcome::Skipped(_)) => {}
            Err(error) => {
                assert!(!error.message.is_empty(), "{label} cut at {end}: an empty error message");
                errors += 1;
            }
        }
    }
    (loaded, errors)
}

#[test]
fn truncated_plans_give_errors() {
    let bytes = corpus("terraform-plans/tfc__test_issue-174__plan.out.json");
    let (loaded, errors) = load_prefixes("plan.json", &bytes, 7);
    assert_eq!(loaded, 0, "a truncated JSON plan cannot be complete");
    assert!(errors > 0);
}

#[test]
fn truncated_templates_never_panic() {
    for name in ["cloudformation/acft__webapp.yaml", "cloudformation/ckv__graph_encryption__test.json"] {
        let bytes = corpus(name);
        let label = if name.ends_with(".json") { "template.json" } else { "template.yaml" };
        let (loaded, errors) = load_prefixes(label, &bytes, 13);
        assert!(loaded + errors > 0, "{name}: no prefix was recognised at all");
    }
}

#[test]
fn wrong_types_in_plans_never_panic() {
    let shapes = [
        r#"{"format_version": "1.2", "resource_changes": "x"}"#,
        r#"{"format_version": "1.2", "resource_changes": [1, null, {"address": 5}]}"#,
        r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "change": {"actions": "create", "after": [1], "after_unknown": {"a": [true]}}}]}"#,
        r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "change": {"after": {"bucket": 5, "server_side_encryption_configuration": "x", "versioning": [[]], "tags": [1]}, "after_unknown": true}}]}"#,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": {}, "child_modules": [1, {"resources": [{}]}]}}}"#,
        r#"{"format_version": "1.2", "planned_values": {}, "configuration": {"root_module": {"module_calls": {"a": {"module": 7}}, "resources": [{"address": 1}]}}}"#,
        r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_db_instance.d", "mode": "managed", "type": "aws_db_instance", "change": {"after": {"backup_retention_period": 1e400, "port": -0, "allocated_storage": 18446744073709551616}}}]}"#,
    ];
    for (index, shape) in shapes.iter().enumerate() {
        let _ = load(&format!("shape-{index}.json"), shape.as_bytes(), u64::MAX);
    }
}

#[test]
fn wrong_types_in_templates_never_panic() {
    let shapes = [
        "Resources: [1, 2]\nAWSTemplateFormatVersion: x\n",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: 5\n",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Select [-1, [a]]\n      VersioningConfiguration: !Select [99999999999999999999, [a]]\n",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${unclosed'\n      Tags: !FindInMap [Missing, a, b]\n",
        "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Condition: A\n    Properties:\n      BucketName: !If [A, x, y]\n",
        "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt {a: b}\n      AccessControl: !Ref [x]\n",
    ];
    for (index, shape) in shapes.iter().enumerate() {
        let _ = load(&format!("shape-{index}.yaml"), shape.as_bytes(), u64::MAX);
    }
}

#[test]
fn deeply_nested_functions_are_bounded() {
    let depth = 5_000;
    let mut value = String::from("\"x\"");
    for _ in 0..depth {
        value = format!("{{\"Fn::Base64\": {value}}}");
    }
    let template = format!("{{\"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"BucketName\": {value}}}}}}}}}");
    let error = load("deep.json", template.as_bytes(), u64::MAX).err().expect("nesting beyond the limit is an error");
    assert!(error.message.contains("deeper than"), "{}", error.message);
}

fn loaded_models(label: &str, text: &str) -> Vec<phiguard_model::Model> {
    match load(label, text.as_bytes(), u64::MAX) {
        Ok(Outcome::Loaded(loaded)) => loaded.models,
        Ok(Outcome::Skipped(why)) => panic!("{label} skipped: {why}"),
        Err(error) => panic!("{label}: {error}"),
    }
}

#[test]
fn condition_referring_to_itself_is_unknown() {
    let template = "Conditions:\n  A: !Equals [!If [A, x, y], x]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: A\n    Properties:\n      BucketName: !If [A, a, b]\n";
    let models = loaded_models("cycle.yaml", template);
    assert!(!models.is_empty());
}

#[test]
fn mapping_values_are_not_evaluated() {
    let template = "Mappings:\n  M:\n    a:\n      b: !FindInMap [M, a, b]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !FindInMap [M, a, b]\n";
    let models = loaded_models("mapping-cycle.yaml", template);
    assert!(models[0].find("B").is_some());
}

#[test]
fn condition_fan_out_is_evaluated_once_per_condition() {
    let mut template = String::from("Parameters:\n  P:\n    Type: String\nConditions:\n");
    for level in 0..40 {
        template.push_str(&format!("  C{level}: !And [!Condition C{next}, !Condition C{next}]\n", next = level + 1));
    }
    template.push_str("  C40: !Equals [!Ref P, x]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Condition: C0\n");
    let started = std::time::Instant::now();
    let models = loaded_models("fan-out.yaml", &template);
    assert_eq!(models.len(), 2, "C0 cannot be decided, so both values are tried");
    assert!(started.elapsed().as_secs() < 10, "conditions were evaluated exponentially often");
}

#[test]
fn parameter_expansion_is_bounded() {
    let big = "x".repeat(100_000);
    let uses = "${Big}".repeat(20_000);
    let template = format!(
        "{{\"Parameters\": {{\"Big\": {{\"Type\": \"String\", \"Default\": \"{big}\"}}}}, \"Resources\": {{\"B\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"BucketName\": {{\"Fn::Sub\": \"{uses}\"}}}}}}}}}}"
    );
    let models = loaded_models("sub-bomb.json", &template);
    let phiguard_model::ResourceKind::S3Bucket(bucket) = &models[0].find("B").unwrap().kind else { panic!() };
    let reason = bucket.name.get().unwrap_err();
    assert!(reason.contains("expansion limit"), "{reason}");
}

#[test]
fn wholly_unknown_properties_are_not_defaults() {
    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_db_instance.d", "mode": "managed", "type": "aws_db_instance", "name": "d",
        "change": {"actions": ["create"], "after": {"publicly_accessible": true}, "after_unknown": true}}]}"#;
    let models = loaded_models("unknown.json", plan);
    let resource = models[0].find("aws_db_instance.d").unwrap();
    assert!(resource.properties_unknown.is_some(), "the whole `after` is unknown");
}
