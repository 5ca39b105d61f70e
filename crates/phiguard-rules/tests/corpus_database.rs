//! The RDS and ElastiCache rules on labelled public templates of the test
//! corpus (`crates/phiguard/tests/corpus`): each file whose name says FAIL
//! or PASSED gets that verdict from the rule it was written for.

use std::path::PathBuf;

use phiguard_iac::{load, Outcome};
use phiguard_model::{Finding, FindingResult};
use phiguard_rules::{evaluate, find};

fn corpus_file(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../phiguard/tests/corpus/cloudformation").join(name);
    assert!(path.is_file(), "{} is missing from the test corpus", path.display());
    path
}

fn findings(rule_id: &str, name: &str) -> Vec<Finding> {
    let path = corpus_file(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let rule = find(rule_id).unwrap_or_else(|| panic!("no rule {rule_id}"));
    let Outcome::Loaded(loaded) = load(name, &bytes, u64::MAX).unwrap_or_else(|error| panic!("{name}: {error}")) else {
        panic!("{name} was skipped")
    };
    evaluate(&loaded.models, &[rule]).findings
}

fn results(findings: &[Finding]) -> Vec<(String, FindingResult)> {
    findings.iter().map(|finding| (finding.resource.address.clone(), finding.result)).collect()
}

#[test]
fn rds_encryption_fail_file_fails() {
    let findings = findings("RDS-001", "ckv__RDSEncryption-FAIL.yaml");
    // MyDB0 leaves StorageEncrypted unset and MyDB1 sets it to false.
    assert_eq!(
        results(&findings),
        [("MyDB0".to_owned(), FindingResult::Fail), ("MyDB1".to_owned(), FindingResult::Fail)]
    );
}

#[test]
fn rds_encryption_passed_file_passes() {
    let findings = findings("RDS-001", "ckv__RDSEncryption-PASSED.yaml");
    assert_eq!(results(&findings), [("MyDB0".to_owned(), FindingResult::Pass)]);
}

#[test]
fn elasticache_at_rest_failed_file_fails() {
    let findings = findings("EC-001", "ckv__ElasticacheReplicationGroupEncryptionAtRest-FAILED.yaml");
    assert_eq!(results(&findings), [("ReplicationGroup".to_owned(), FindingResult::Fail)]);
}

#[test]
fn elasticache_at_rest_passed_file_passes() {
    let findings = findings("EC-001", "ckv__ElasticacheReplicationGroupEncryptionAtRest-PASSED.yaml");
    assert_eq!(results(&findings), [("ReplicationGroup".to_owned(), FindingResult::Pass)]);
}

#[test]
fn parameter_group_without_tls_fails() {
    // A MySQL 8.0 instance linked by `Ref` to a parameter group that sets
    // `autocommit` and `general_log` but not `require_secure_transport`.
    let findings = findings("RDS-003", "acft__RDS_with_DBParameterGroup.json");
    assert_eq!(results(&findings), [("MyDB".to_owned(), FindingResult::Fail)]);
    assert!(findings[0].message.contains("MyRDSParamGroup"), "{}", findings[0].message);
}

#[test]
fn read_replica_inherits_encryption() {
    let findings = findings("RDS-001", "acft__RDS_MySQL_With_Read_Replica.yaml");
    assert_eq!(
        results(&findings),
        [("MainDB".to_owned(), FindingResult::Pass), ("ReplicaDB".to_owned(), FindingResult::Pass)]
    );
}
