//! The RDS, ElastiCache and DynamoDB adapters on small Terraform plans and
//! CloudFormation templates: defaults, links between resources, and values
//! that RDS copies from a source or a cluster.

use phiguard_iac::{load, Outcome};
use phiguard_model::services::{DynamoDbTable, ElastiCacheCluster, ElastiCacheReplicationGroup, Encryption, RdsCluster, RdsInstance};
use phiguard_model::{Model, Provenance, ResourceKind};

fn model(label: &str, text: &str) -> Model {
    match load(label, text.as_bytes(), u64::MAX).unwrap_or_else(|error| panic!("{label}: {error}")) {
        Outcome::Loaded(mut loaded) => loaded.models.remove(0),
        Outcome::Skipped(reason) => panic!("{label} was skipped: {reason}"),
    }
}

fn instance<'m>(model: &'m Model, address: &str) -> &'m RdsInstance {
    match &model.find(address).unwrap_or_else(|| panic!("{address} is not in the model")).kind {
        ResourceKind::RdsInstance(instance) => instance,
        other => panic!("{address} is {other:?}, expected an RDS instance"),
    }
}

fn cluster<'m>(model: &'m Model, address: &str) -> &'m RdsCluster {
    match &model.find(address).unwrap_or_else(|| panic!("{address} is not in the model")).kind {
        ResourceKind::RdsCluster(cluster) => cluster,
        other => panic!("{address} is {other:?}, expected an RDS cluster"),
    }
}

fn table<'m>(model: &'m Model, address: &str) -> &'m DynamoDbTable {
    match &model.find(address).unwrap_or_else(|| panic!("{address} is not in the model")).kind {
        ResourceKind::DynamoDbTable(table) => table,
        other => panic!("{address} is {other:?}, expected a DynamoDB table"),
    }
}

fn replication_group<'m>(model: &'m Model, address: &str) -> &'m ElastiCacheReplicationGroup {
    match &model.find(address).unwrap_or_else(|| panic!("{address} is not in the model")).kind {
        ResourceKind::ElastiCacheReplicationGroup(group) => group,
        other => panic!("{address} is {other:?}, expected a replication group"),
    }
}

fn cache_cluster<'m>(model: &'m Model, address: &str) -> &'m ElastiCacheCluster {
    match &model.find(address).unwrap_or_else(|| panic!("{address} is not in the model")).kind {
        ResourceKind::ElastiCacheCluster(cluster) => cluster,
        other => panic!("{address} is {other:?}, expected a cache cluster"),
    }
}

/// Builds a plan that creates one `aws_db_instance` the way `terraform show
/// -json` writes it. Optional attributes that the provider computes are
/// known after apply, and `configuration` lists what the module sets.
fn instance_plan(configured: &str, include_configuration: bool) -> String {
    let configuration = if include_configuration {
        format!(r#", "configuration": {{"root_module": {{"resources": [{{"address": "aws_db_instance.db", "type": "aws_db_instance", "name": "db", "expressions": {{{configured}}}}}]}}}}"#)
    } else {
        String::new()
    };
    format!(
        r#"{{
  "format_version": "1.2",
  "resource_changes": [{{
    "address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db",
    "change": {{
      "actions": ["create"],
      "after": {{"engine": "postgres", "engine_version": "16.4", "storage_encrypted": true, "publicly_accessible": false}},
      "after_unknown": {{"backup_retention_period": true, "multi_az": true, "kms_key_id": true, "parameter_group_name": true,
                        "enabled_cloudwatch_logs_exports": true}}
    }}
  }}]{configuration}
}}"#
    )
}

const CONFIGURED_CONSTANTS: &str = r#""engine": {"constant_value": "postgres"}, "engine_version": {"constant_value": "16.4"},
    "storage_encrypted": {"constant_value": true}"#;

#[test]
fn computed_attributes_take_the_service_default() {
    let model = model("plan.json", &instance_plan(CONFIGURED_CONSTANTS, true));
    let db = instance(&model, "aws_db_instance.db");
    assert_eq!(db.backup_retention_days.known(), Some(&1));
    assert_eq!(db.backup_retention_days.provenance(), &Provenance::Default);
    assert_eq!(db.multi_az.known(), Some(&false));
    assert_eq!(db.encryption.known(), Some(&Encryption::AwsManaged));
    assert_eq!(db.parameter_group.known(), Some(&None));
    assert_eq!(db.log_exports.known(), Some(&Vec::new()));
}

#[test]
fn configured_unknown_attribute_stays_unknown() {
    let configured = format!(r#"{CONFIGURED_CONSTANTS}, "kms_key_id": {{"references": ["data.aws_kms_key.shared.arn", "data.aws_kms_key.shared"]}}"#);
    let model = model("plan.json", &instance_plan(&configured, true));
    let db = instance(&model, "aws_db_instance.db");
    // Storage encryption is on, and only the key that a data source gives is unknown.
    assert!(
        matches!(db.encryption.get(), Ok(phiguard_model::services::Encryption::UnknownKey(_))),
        "a key set from a data source is unknown, got {:?}",
        db.encryption
    );
}

#[test]
fn plan_without_configuration_keeps_unknowns() {
    let model = model("plan.json", &instance_plan("", false));
    let db = instance(&model, "aws_db_instance.db");
    assert!(db.backup_retention_days.get().is_err());
    assert!(db.multi_az.get().is_err());
}

const PARAMETER_GROUPS_PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_db_parameter_group.tls", "mode": "managed", "type": "aws_db_parameter_group", "name": "tls",
     "values": {"name": "pg-tls", "family": "mysql8.0",
                "parameter": [{"name": "require_secure_transport", "value": "1", "apply_method": "immediate"},
                              {"name": "long_query_time", "value": 2}]}},
    {"address": "aws_db_instance.linked", "mode": "managed", "type": "aws_db_instance", "name": "linked",
     "values": {"engine": "MySQL", "parameter_group_name": "pg-tls",
                "enabled_cloudwatch_logs_exports": ["audit", "error", "slowquery"]}},
    {"address": "aws_db_instance.default_group", "mode": "managed", "type": "aws_db_instance", "name": "default_group",
     "values": {"engine": "mysql", "parameter_group_name": "default.mysql8.0"}},
    {"address": "aws_db_instance.external", "mode": "managed", "type": "aws_db_instance", "name": "external",
     "values": {"engine": "mysql", "parameter_group_name": "shared-mysql-tls"}}
  ]}}
}"#;

#[test]
fn parameter_group_links_by_name() {
    let model = model("plan.json", PARAMETER_GROUPS_PLAN);
    let linked = instance(&model, "aws_db_instance.linked");
    let group = linked.parameter_group.known().cloned().flatten().expect("the group is linked");
    assert_eq!(group.name, "aws_db_parameter_group.tls");
    assert_eq!(group.parameters.get("require_secure_transport").map(String::as_str), Some("1"));
    assert_eq!(group.parameters.get("long_query_time").map(String::as_str), Some("2"));
    assert_eq!(linked.engine.known(), Some(&Some("mysql".to_owned())));
}

#[test]
fn default_parameter_group_by_name() {
    let model = model("plan.json", PARAMETER_GROUPS_PLAN);
    let db = instance(&model, "aws_db_instance.default_group");
    assert_eq!(db.parameter_group.known(), Some(&None));
}

#[test]
fn undeclared_parameter_group_is_unknown() {
    let model = model("plan.json", PARAMETER_GROUPS_PLAN);
    let db = instance(&model, "aws_db_instance.external");
    let reason = db.parameter_group.get().expect_err("the group is not in the input");
    assert!(reason.contains("shared-mysql-tls"), "the reason names the group: {reason}");
}

#[test]
fn log_exports_keep_every_element() {
    let model = model("plan.json", PARAMETER_GROUPS_PLAN);
    let db = instance(&model, "aws_db_instance.linked");
    let expected: Vec<String> = ["audit", "error", "slowquery"].map(str::to_owned).to_vec();
    assert_eq!(db.log_exports.known(), Some(&expected));
}

const REPLICA_TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
  Source:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      EngineVersion: "14.12"
      StorageEncrypted: true
      KmsKeyId: !GetAtt Key.Arn
  Replica:
    Type: AWS::RDS::DBInstance
    Properties:
      SourceDBInstanceIdentifier: !Ref Source
  ExternalReplica:
    Type: AWS::RDS::DBInstance
    Properties:
      SourceDBInstanceIdentifier: arn:aws:rds:us-east-1:111122223333:db:records
  Restored:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBSnapshotIdentifier: records-final
"#;

#[test]
fn replica_inherits_source_encryption_and_engine() {
    let model = model("template.yaml", REPLICA_TEMPLATE);
    let replica = instance(&model, "Replica");
    assert_eq!(replica.replica_source.as_deref(), Some("Source"));
    assert_eq!(replica.encryption.known(), Some(&Encryption::CustomerManaged("Key".to_owned())));
    assert_eq!(replica.engine.known(), Some(&Some("postgres".to_owned())));
    assert_eq!(replica.engine_version.known(), Some(&Some("14.12".to_owned())));
}

#[test]
fn replica_of_undeclared_source_is_unknown() {
    let model = model("template.yaml", REPLICA_TEMPLATE);
    let replica = instance(&model, "ExternalReplica");
    let reason = replica.encryption.get().expect_err("the source is not in the input");
    assert!(reason.contains("arn:aws:rds:us-east-1:111122223333:db:records"), "{reason}");
}

#[test]
fn snapshot_restore_encryption_is_unknown() {
    let model = model("template.yaml", REPLICA_TEMPLATE);
    let restored = instance(&model, "Restored");
    let reason = restored.encryption.get().expect_err("the snapshot decides");
    assert!(reason.contains("records-final"), "{reason}");
}

const CLUSTER_TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Parameters:
    Type: AWS::RDS::DBClusterParameterGroup
    Properties:
      Family: aurora-postgresql16
      Description: TLS only
      Parameters:
        rds.force_ssl: 1
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      StorageEncrypted: true
      BackupRetentionPeriod: 14
      DeletionProtection: true
      DBClusterParameterGroupName: !Ref Parameters
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Cluster
      Engine: aurora-postgresql
      PubliclyAccessible: false
"#;

#[test]
fn cluster_instance_takes_cluster_settings() {
    let model = model("template.yaml", CLUSTER_TEMPLATE);
    let writer = instance(&model, "Writer");
    assert_eq!(writer.cluster.as_deref(), Some("Cluster"));
    assert_eq!(writer.backup_retention_days.known(), Some(&14));
    assert_eq!(writer.deletion_protection.known(), Some(&true));
    assert_eq!(writer.encryption.known(), Some(&Encryption::AwsManaged));
    assert_eq!(writer.publicly_accessible.known(), Some(&false));

    let cluster = cluster(&model, "Cluster");
    let group = cluster.parameter_group.known().cloned().flatten().expect("the cluster group is linked");
    assert_eq!(group.parameters.get("rds.force_ssl").map(String::as_str), Some("1"));
}

#[test]
fn unset_public_access_in_template_is_unknown() {
    let model = model("template.yaml", REPLICA_TEMPLATE);
    let source = instance(&model, "Source");
    let reason = source.publicly_accessible.get().expect_err("RDS decides from the VPC");
    assert!(reason.contains("internet gateway"), "{reason}");
}

const DYNAMODB_TEMPLATE: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
  Global:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
      Replicas:
        - Region: us-east-1
          SSESpecification:
            KMSMasterKeyId: !GetAtt Key.Arn
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: true
        - Region: us-west-2
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: false
  Owned:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: false
"#;

#[test]
fn global_table_reports_weakest_replica() {
    let model = model("template.yaml", DYNAMODB_TEMPLATE);
    let global = table(&model, "Global");
    assert_eq!(global.encryption.known(), Some(&Encryption::AwsManaged));
    assert!(!global.aws_owned_key, "KMS is enabled, so the key is aws/dynamodb");
    assert_eq!(global.point_in_time_recovery.known(), Some(&false));
}

#[test]
fn table_without_kms_uses_owned_key() {
    let model = model("template.yaml", DYNAMODB_TEMPLATE);
    let owned = table(&model, "Owned");
    assert_eq!(owned.encryption.known(), Some(&Encryption::AwsManaged));
    assert!(owned.aws_owned_key);
}

const ELASTICACHE_PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_elasticache_replication_group.valkey", "mode": "managed", "type": "aws_elasticache_replication_group", "name": "valkey",
     "values": {"replication_group_id": "sessions", "engine": "valkey"}},
    {"address": "aws_elasticache_replication_group.redis", "mode": "managed", "type": "aws_elasticache_replication_group", "name": "redis",
     "values": {"replication_group_id": "queues", "transit_encryption_enabled": true, "transit_encryption_mode": "preferred"}},
    {"address": "aws_elasticache_cluster.member", "mode": "managed", "type": "aws_elasticache_cluster", "name": "member",
     "values": {"cluster_id": "sessions-3", "replication_group_id": "sessions"}}
  ]}}
}"#;

#[test]
fn valkey_encrypts_at_rest_by_default() {
    let model = model("plan.json", ELASTICACHE_PLAN);
    let valkey = replication_group(&model, "aws_elasticache_replication_group.valkey");
    assert_eq!(valkey.at_rest_encryption.known(), Some(&Encryption::AwsManaged));
    let redis = replication_group(&model, "aws_elasticache_replication_group.redis");
    assert_eq!(redis.engine.known(), Some(&Some("redis".to_owned())));
    assert_eq!(redis.at_rest_encryption.known(), Some(&Encryption::None));
    assert_eq!(redis.transit_encryption_mode.known(), Some(&Some("preferred".to_owned())));
}

#[test]
fn cache_cluster_links_to_group_by_id() {
    let model = model("plan.json", ELASTICACHE_PLAN);
    let member = cache_cluster(&model, "aws_elasticache_cluster.member");
    assert_eq!(member.replication_group.as_deref(), Some("aws_elasticache_replication_group.valkey"));
}
