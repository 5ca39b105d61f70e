//! Verdicts of the RDS, ElastiCache and DynamoDB rules on cases that the
//! documented examples do not cover: engine defaults, undeclared parameter
//! groups, cluster members and read replicas.

use phiguard_iac::{load, Outcome};
use phiguard_model::{Finding, FindingResult};
use phiguard_rules::{evaluate, find};

/// Runs one rule over a CloudFormation template and returns its findings.
fn findings(rule_id: &str, template: &str) -> Vec<Finding> {
    let rule = find(rule_id).unwrap_or_else(|| panic!("no rule {rule_id}"));
    let Outcome::Loaded(loaded) = load("template.yaml", template.as_bytes(), u64::MAX).expect("template parses") else {
        panic!("template was skipped")
    };
    evaluate(&loaded.models, &[rule]).findings
}

fn finding<'f>(findings: &'f [Finding], address: &str) -> &'f Finding {
    findings
        .iter()
        .find(|finding| finding.resource.address == address)
        .unwrap_or_else(|| panic!("no finding for {address} in {findings:#?}"))
}

fn postgres_instance(version: Option<&str>, group: Option<&str>) -> String {
    let mut template = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n",
    );
    if let Some(version) = version {
        template.push_str(&format!("      EngineVersion: \"{version}\"\n"));
    }
    if let Some(group) = group {
        template.push_str(&format!("      DBParameterGroupName: {group}\n"));
    }
    template
}

#[test]
fn force_ssl_postgres_15_default_passes() {
    let findings = findings("RDS-003", &postgres_instance(Some("15.7"), None));
    assert_eq!(finding(&findings, "Db").result, FindingResult::Pass);
}

#[test]
fn force_ssl_postgres_14_default_fails() {
    let findings = findings("RDS-003", &postgres_instance(Some("14.12"), None));
    assert_eq!(finding(&findings, "Db").result, FindingResult::Fail);
}

#[test]
fn force_ssl_postgres_without_version_is_unknown() {
    let findings = findings("RDS-003", &postgres_instance(None, None));
    assert_eq!(finding(&findings, "Db").result, FindingResult::Unknown);
}

#[test]
fn force_ssl_named_default_group_uses_engine_default() {
    let findings = findings("RDS-003", &postgres_instance(Some("16.4"), Some("default.postgres16")));
    assert_eq!(finding(&findings, "Db").result, FindingResult::Pass);
}

#[test]
fn force_ssl_undeclared_group_is_unknown_with_name() {
    let findings = findings("RDS-003", &postgres_instance(Some("16.4"), Some("shared-postgres16")));
    let finding = finding(&findings, "Db");
    assert_eq!(finding.result, FindingResult::Unknown);
    let reason = finding.reason.as_deref().unwrap_or_default();
    assert!(reason.contains("shared-postgres16"), "the reason names the group: {reason}");
}

#[test]
fn force_ssl_group_off_fails() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Group:
    Type: AWS::RDS::DBParameterGroup
    Properties:
      Family: postgres16
      Description: Allows plain-text clients
      Parameters:
        rds.force_ssl: 0
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      EngineVersion: "16.4"
      DBParameterGroupName: !Ref Group
"#;
    let findings = findings("RDS-003", template);
    assert_eq!(finding(&findings, "Db").result, FindingResult::Fail);
}

#[test]
fn force_ssl_unknown_engine_is_unknown() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: oracle-ee
"#;
    let findings = findings("RDS-003", template);
    assert_eq!(finding(&findings, "Db").result, FindingResult::Unknown);
}

#[test]
fn force_ssl_sqlserver_default_fails() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: sqlserver-se
      EngineVersion: "16.00.4135.4.v1"
"#;
    let findings = findings("RDS-003", template);
    assert_eq!(finding(&findings, "Db").result, FindingResult::Fail);
}

const AURORA: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      EngineVersion: "16.4"
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Cluster
      Engine: aurora-postgresql
      PubliclyAccessible: true
"#;

#[test]
fn cluster_member_defers_to_cluster() {
    for rule_id in ["RDS-001", "RDS-002", "RDS-003", "RDS-005", "RDS-006", "RDS-007", "RDS-008"] {
        let findings = findings(rule_id, AURORA);
        let member = finding(&findings, "Writer");
        assert_eq!(member.result, FindingResult::NotApplicable, "{rule_id}: {member:#?}");
        assert!(member.message.contains("Cluster"), "{rule_id} names the cluster: {}", member.message);
    }
}

#[test]
fn cluster_storage_unencrypted_fails() {
    let findings = findings("RDS-001", AURORA);
    assert_eq!(finding(&findings, "Cluster").result, FindingResult::Fail);
}

#[test]
fn aurora_postgresql_default_group_fails() {
    let findings = findings("RDS-003", AURORA);
    assert_eq!(finding(&findings, "Cluster").result, FindingResult::Fail);
}

#[test]
fn public_cluster_member_fails() {
    let findings = findings("RDS-004", AURORA);
    assert_eq!(finding(&findings, "Writer").result, FindingResult::Fail);
}

#[test]
fn customer_key_not_applicable_when_unencrypted() {
    let findings = findings("RDS-002", AURORA);
    assert_eq!(finding(&findings, "Cluster").result, FindingResult::NotApplicable);
}

#[test]
fn backup_retention_below_minimum_fails() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      BackupRetentionPeriod: 6
"#;
    let findings = findings("RDS-005", template);
    let finding = finding(&findings, "Db");
    assert_eq!(finding.result, FindingResult::Fail);
    assert!(finding.message.contains("6 days"), "{}", finding.message);
}

#[test]
fn multi_az_db_cluster_passes() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: postgres
      DBClusterInstanceClass: db.m6gd.large
"#;
    let findings = findings("RDS-006", template);
    assert_eq!(finding(&findings, "Cluster").result, FindingResult::Pass);
}

const CACHES: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Standalone:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      Engine: redis
      SnapshotRetentionLimit: 3
  Valkey:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: sessions
      Engine: valkey
      TransitEncryptionEnabled: true
      TransitEncryptionMode: required
"#;

#[test]
fn standalone_cache_cluster_cannot_encrypt_at_rest() {
    let findings = findings("EC-001", CACHES);
    let standalone = finding(&findings, "Standalone");
    assert_eq!(standalone.result, FindingResult::Fail);
    assert!(standalone.message.contains("cannot encrypt"), "{}", standalone.message);
    assert_eq!(finding(&findings, "Valkey").result, FindingResult::Pass);
}

#[test]
fn transit_required_mode_passes() {
    let findings = findings("EC-002", CACHES);
    assert_eq!(finding(&findings, "Valkey").result, FindingResult::Pass);
    assert_eq!(finding(&findings, "Standalone").result, FindingResult::Fail);
}

#[test]
fn snapshot_retention_counts_days() {
    let findings = findings("EC-003", CACHES);
    assert_eq!(finding(&findings, "Standalone").result, FindingResult::Pass);
    assert_eq!(finding(&findings, "Valkey").result, FindingResult::Fail);
}

#[test]
fn dynamodb_messages_name_the_key_kind() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Owned:
    Type: AWS::DynamoDB::Table
  Managed:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: true
  ManagedAlias:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: true
        KMSMasterKeyId: alias/aws/dynamodb
"#;
    let findings = findings("DDB-001", template);
    let owned = finding(&findings, "Owned");
    assert_eq!(owned.result, FindingResult::Fail);
    assert!(owned.message.contains("AWS owned key"), "{}", owned.message);
    for address in ["Managed", "ManagedAlias"] {
        let managed = finding(&findings, address);
        assert_eq!(managed.result, FindingResult::Fail);
        assert!(managed.message.contains("aws/dynamodb"), "{address}: {}", managed.message);
    }
}
