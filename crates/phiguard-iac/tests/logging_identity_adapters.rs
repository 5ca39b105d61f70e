//! The CloudTrail, KMS, CloudWatch Logs, SNS, SQS, AWS Config, GuardDuty,
//! AWS Backup, IAM and account-setting adapters, on small Terraform plans
//! and CloudFormation templates: documented defaults, links between
//! resources, and values the input leaves unknown.

use phiguard_iac::{load, Outcome};
use phiguard_model::services::{AccountSetting, ConditionOperator, Encryption};
use phiguard_model::{Model, Provenance, ResourceKind};
use serde_json::{json, Value};

/// Loads one input and returns its single model.
fn model(label: &str, text: &str) -> Model {
    let Ok(Outcome::Loaded(loaded)) = load(label, text.as_bytes(), u64::MAX) else {
        panic!("{label} did not load as a plan or template");
    };
    assert_eq!(loaded.models.len(), 1, "{label} has condition combinations");
    loaded.models.into_iter().next().expect("one model")
}

/// Builds a plan whose resources have the given planned values, without
/// unknown values or configuration references.
fn plan(resources: &[(&str, Value)]) -> String {
    let planned: Vec<Value> = resources
        .iter()
        .map(|(address, values)| {
            let (resource_type, name) = address.split_once('.').expect("type.name address");
            json!({"address": address, "mode": "managed", "type": resource_type, "name": name, "values": values})
        })
        .collect();
    json!({"format_version": "1.2", "planned_values": {"root_module": {"resources": planned}}}).to_string()
}

fn kind<'m>(model: &'m Model, address: &str) -> &'m ResourceKind {
    &model.find(address).unwrap_or_else(|| panic!("{address} is not in the model")).kind
}

#[test]
fn cloudtrail_terraform_defaults() {
    let model = model("plan.json", &plan(&[("aws_cloudtrail.audit", json!({"name": "audit", "s3_bucket_name": "logs"}))]));
    let ResourceKind::CloudTrail(trail) = kind(&model, "aws_cloudtrail.audit") else { panic!("not a trail") };
    assert_eq!(trail.multi_region.known(), Some(&false));
    assert!(trail.multi_region.is_default());
    assert_eq!(trail.log_file_validation.known(), Some(&false));
    assert_eq!(trail.logging_enabled.known(), Some(&true));
    assert_eq!(trail.kms_key.known(), Some(&None));
    assert_eq!(trail.cloudwatch_logs.known(), Some(&false));
    assert_eq!(trail.s3_data_events.known(), Some(&false));
}

#[test]
fn cloudtrail_advanced_selector_s3() {
    let selector = json!([{
        "name": "s3",
        "field_selector": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": ["AWS::S3::Object"]}
        ]
    }]);
    let model = model("plan.json", &plan(&[("aws_cloudtrail.audit", json!({"advanced_event_selector": selector}))]));
    let ResourceKind::CloudTrail(trail) = kind(&model, "aws_cloudtrail.audit") else { panic!("not a trail") };
    assert_eq!(trail.s3_data_events.known(), Some(&true));
}

#[test]
fn cloudtrail_missing_is_logging_unknown() {
    let template = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n";
    let model = model("template.yaml", template);
    let ResourceKind::CloudTrail(trail) = kind(&model, "Trail") else { panic!("not a trail") };
    assert!(trail.logging_enabled.get().is_err());
    assert_eq!(trail.multi_region.known(), Some(&false));
}

#[test]
fn kms_key_spec_and_default() {
    let model = model(
        "plan.json",
        &plan(&[
            ("aws_kms_key.signing", json!({"customer_master_key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"})),
            ("aws_kms_key.data", json!({"description": "data"})),
        ]),
    );
    let ResourceKind::KmsKey(signing) = kind(&model, "aws_kms_key.signing") else { panic!("not a key") };
    assert_eq!(signing.key_spec.known().map(String::as_str), Some("RSA_2048"));
    let ResourceKind::KmsKey(data) = kind(&model, "aws_kms_key.data") else { panic!("not a key") };
    assert_eq!(data.key_spec.known().map(String::as_str), Some("SYMMETRIC_DEFAULT"));
    assert!(data.key_spec.is_default());
    assert_eq!(data.rotation_enabled.known(), Some(&false));
    assert_eq!(data.origin.known().map(String::as_str), Some("AWS_KMS"));
}

#[test]
fn log_group_zero_retention_never_expires() {
    let model = model(
        "plan.json",
        &plan(&[
            ("aws_cloudwatch_log_group.forever", json!({"retention_in_days": 0})),
            ("aws_cloudwatch_log_group.short", json!({"retention_in_days": 30})),
        ]),
    );
    let ResourceKind::LogGroup(forever) = kind(&model, "aws_cloudwatch_log_group.forever") else { panic!("not a log group") };
    assert_eq!(forever.retention_days.known(), Some(&None));
    let ResourceKind::LogGroup(short) = kind(&model, "aws_cloudwatch_log_group.short") else { panic!("not a log group") };
    assert_eq!(short.retention_days.known(), Some(&Some(30)));
}

#[test]
fn sqs_encryption_variants() {
    let template = "\
Resources:
  Plain:
    Type: AWS::SQS::Queue
  Off:
    Type: AWS::SQS::Queue
    Properties:
      SqsManagedSseEnabled: false
  AwsKey:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
  OwnKey:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/claims
";
    let model = model("template.yaml", template);
    let encryption = |address: &str| match kind(&model, address) {
        ResourceKind::SqsQueue(queue) => queue.encryption.clone(),
        _ => panic!("{address} is not a queue"),
    };
    assert_eq!(encryption("Plain").known(), Some(&Encryption::AwsManaged));
    assert_eq!(encryption("Plain").provenance(), &Provenance::Default);
    assert_eq!(encryption("Off").known(), Some(&Encryption::None));
    assert_eq!(encryption("AwsKey").known(), Some(&Encryption::AwsManaged));
    assert_eq!(encryption("OwnKey").known(), Some(&Encryption::CustomerManaged("alias/claims".to_owned())));
}

#[test]
fn sns_topic_without_key_unencrypted() {
    let model = model("plan.json", &plan(&[("aws_sns_topic.alerts", json!({"name": "alerts"}))]));
    let ResourceKind::SnsTopic(topic) = kind(&model, "aws_sns_topic.alerts") else { panic!("not a topic") };
    assert_eq!(topic.encryption.known(), Some(&Encryption::None));
}

#[test]
fn config_status_links_by_name() {
    let model = model(
        "plan.json",
        &plan(&[
            ("aws_config_configuration_recorder.main", json!({"name": "default"})),
            ("aws_config_configuration_recorder_status.main", json!({"name": "default", "is_enabled": true})),
            ("aws_config_configuration_recorder.other", json!({"name": "other"})),
        ]),
    );
    let ResourceKind::ConfigRecorder(main) = kind(&model, "aws_config_configuration_recorder.main") else { panic!("not a recorder") };
    assert_eq!(main.enabled.known(), Some(&true));
    assert_eq!(main.all_supported.known(), Some(&true));
    let ResourceKind::ConfigRecorder(other) = kind(&model, "aws_config_configuration_recorder.other") else { panic!("not a recorder") };
    assert!(other.enabled.get().is_err());
}

#[test]
fn config_resource_types_not_all() {
    let template = "\
Resources:
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: arn:aws:iam::111122223333:role/config
      RecordingGroup:
        ResourceTypes:
          - AWS::EC2::Volume
          - AWS::S3::Bucket
";
    let model = model("template.yaml", template);
    let ResourceKind::ConfigRecorder(recorder) = kind(&model, "Recorder") else { panic!("not a recorder") };
    assert_eq!(recorder.all_supported.known(), Some(&false));
    assert!(recorder.enabled.get().is_err());
}

#[test]
fn guardduty_cloudformation_requires_enable() {
    let template = "Resources:\n  Detector:\n    Type: AWS::GuardDuty::Detector\n    Properties: {}\n";
    let model = model("template.yaml", template);
    let ResourceKind::GuardDutyDetector(detector) = kind(&model, "Detector") else { panic!("not a detector") };
    assert!(detector.enabled.get().is_err());
}

#[test]
fn backup_selection_reads_every_element() {
    let template = "\
Resources:
  Selection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: plan-1
      BackupSelection:
        SelectionName: all
        IamRoleArn: arn:aws:iam::111122223333:role/backup
        Resources:
          - arn:aws:rds:*:*:db:*
          - arn:aws:dynamodb:*:*:table/*
        NotResources:
          - arn:aws:ec2:*:*:volume/scratch
        Conditions:
          StringEquals:
            - ConditionKey: aws:ResourceTag/backup
              ConditionValue: daily
";
    let model = model("template.yaml", template);
    let ResourceKind::BackupSelection(selection) = kind(&model, "Selection") else { panic!("not a selection") };
    assert_eq!(
        selection.resources.known(),
        Some(&vec!["arn:aws:rds:*:*:db:*".to_owned(), "arn:aws:dynamodb:*:*:table/*".to_owned()])
    );
    assert_eq!(selection.not_resources.known().map(Vec::len), Some(1));
    let conditions = selection.conditions.known().expect("conditions are known");
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].operator, ConditionOperator::StringEquals);
    assert_eq!(conditions[0].key, "backup");
}

#[test]
fn backup_plan_copy_actions() {
    let rule = |copy: Value| json!({"rule_name": "daily", "target_vault_name": "main", "lifecycle": [{"delete_after": 35}], "copy_action": copy});
    let model = model(
        "plan.json",
        &plan(&[
            ("aws_backup_plan.copies", json!({"name": "copies", "rule": [rule(json!([{"destination_vault_arn": "arn:aws:backup:us-west-2:1:backup-vault:dr"}]))]})),
            ("aws_backup_plan.local", json!({"name": "local", "rule": [rule(json!([]))]})),
        ]),
    );
    let ResourceKind::BackupPlan(copies) = kind(&model, "aws_backup_plan.copies") else { panic!("not a plan") };
    assert_eq!(copies.copies_to_other_vault.known(), Some(&true));
    assert_eq!(copies.min_retention_days.known(), Some(&Some(35)));
    assert_eq!(copies.copy_destinations, vec!["arn:aws:backup:us-west-2:1:backup-vault:dr".to_owned()]);
    let ResourceKind::BackupPlan(local) = kind(&model, "aws_backup_plan.local") else { panic!("not a plan") };
    assert_eq!(local.copies_to_other_vault.known(), Some(&false));
}

#[test]
fn iam_user_credentials_link_by_name() {
    let model = model(
        "plan.json",
        &plan(&[
            ("aws_iam_user.alice", json!({"name": "alice"})),
            ("aws_iam_access_key.alice", json!({"user": "alice"})),
            ("aws_iam_user_login_profile.alice", json!({"user": "alice"})),
            ("aws_iam_user.bob", json!({"name": "bob"})),
        ]),
    );
    let ResourceKind::IamUser(alice) = kind(&model, "aws_iam_user.alice") else { panic!("not a user") };
    assert_eq!(alice.access_keys, vec!["aws_iam_access_key.alice".to_owned()]);
    assert_eq!(alice.login_profiles, vec!["aws_iam_user_login_profile.alice".to_owned()]);
    let ResourceKind::IamUser(bob) = kind(&model, "aws_iam_user.bob") else { panic!("not a user") };
    assert!(bob.access_keys.is_empty());
    assert!(bob.login_profiles.is_empty());
}

#[test]
fn iam_role_defaults_and_attachments() {
    let model = model(
        "plan.json",
        &plan(&[
            ("aws_iam_role.app", json!({"name": "app", "assume_role_policy": "{}"})),
            (
                "aws_iam_role_policy_attachment.admin",
                json!({"role": "app", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            ),
        ]),
    );
    let ResourceKind::IamRole(role) = kind(&model, "aws_iam_role.app") else { panic!("not a role") };
    assert_eq!(role.max_session_duration.known(), Some(&3600));
    assert!(role.max_session_duration.is_default());
    assert_eq!(role.managed_policy_arns.known(), Some(&vec!["arn:aws:iam::aws:policy/AdministratorAccess".to_owned()]));
}

#[test]
fn iam_cloudformation_partition_arn_unknown() {
    let template = "\
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
";
    let model = model("template.yaml", template);
    let ResourceKind::IamRole(role) = kind(&model, "Admin") else { panic!("not a role") };
    assert!(role.managed_policy_arns.get().is_err());
}

#[test]
fn account_public_access_block_flags() {
    let model = model(
        "plan.json",
        &plan(&[("aws_s3_account_public_access_block.this", json!({"block_public_acls": true, "block_public_policy": true}))]),
    );
    let ResourceKind::AccountSetting(AccountSetting::S3PublicAccessBlock { block, unknown_reason, .. }) =
        kind(&model, "aws_s3_account_public_access_block.this")
    else {
        panic!("not an account public access block")
    };
    assert!(block.block_public_acls);
    assert!(block.block_public_policy);
    assert!(!block.ignore_public_acls);
    assert!(!block.restrict_public_buckets);
    assert!(unknown_reason.is_none());
}

#[test]
fn backup_selection_computed_arguments_absent() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_backup_selection.all", "mode": "managed", "type": "aws_backup_selection", "name": "all",
            "change": {
                "actions": ["create"],
                "before": null,
                "after": {"name": "all", "resources": ["arn:aws:rds:*:*:db:*"]},
                "after_unknown": {"condition": true, "not_resources": true, "selection_tag": true, "id": true}
            }
        }],
        // A real plan's configuration lists the arguments the configuration
        // sets; those it leaves out are the ones the provider computes.
        "configuration": {"root_module": {"resources": [{
            "address": "aws_backup_selection.all", "type": "aws_backup_selection", "name": "all",
            "expressions": {"name": {"constant_value": "all"}, "resources": {"constant_value": ["arn:aws:rds:*:*:db:*"]}}
        }]}}
    });
    let model = model("plan.json", &plan.to_string());
    let ResourceKind::BackupSelection(selection) = kind(&model, "aws_backup_selection.all") else { panic!("not a selection") };
    assert_eq!(selection.resources.known().map(Vec::len), Some(1));
    assert_eq!(selection.conditions.known(), Some(&Vec::new()));
    assert_eq!(selection.not_resources.known(), Some(&Vec::new()));
    assert_eq!(selection.tag_conditions.known(), Some(&Vec::new()));
}

#[test]
fn sqs_computed_arguments_default_encryption() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_sqs_queue.claims", "mode": "managed", "type": "aws_sqs_queue", "name": "claims",
            "change": {
                "actions": ["create"],
                "before": null,
                "after": {"name": "claims"},
                "after_unknown": {"kms_master_key_id": true, "sqs_managed_sse_enabled": true, "arn": true}
            }
        }],
        "configuration": {"root_module": {"resources": [{
            "address": "aws_sqs_queue.claims", "type": "aws_sqs_queue", "name": "claims",
            "expressions": {"name": {"constant_value": "claims"}}
        }]}}
    });
    let model = model("plan.json", &plan.to_string());
    let ResourceKind::SqsQueue(queue) = kind(&model, "aws_sqs_queue.claims") else { panic!("not a queue") };
    assert_eq!(queue.encryption.known(), Some(&Encryption::AwsManaged));
    assert!(queue.encryption.is_default());
}
