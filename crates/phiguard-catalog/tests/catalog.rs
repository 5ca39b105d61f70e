//! Tests of the embedded catalog data and of the lookups over it.

use jiff::civil::date;
use phiguard_catalog::catalog::{Catalog, Eligibility, MatchKind, RESOURCE_TYPES_TSV, SERVICES_TOML};
use phiguard_catalog::CatalogError;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

#[test]
fn embedded_data_is_valid() {
    let parsed = Catalog::parse(SERVICES_TOML, RESOURCE_TYPES_TSV);
    assert!(parsed.is_ok(), "embedded data failed validation: {:?}", parsed.err());
}

#[test]
fn catalog_has_the_whole_list() {
    assert_eq!(catalog().services.len(), 168);
    assert_eq!(catalog().meta.list_date, "2025-04-16");
    assert_eq!(catalog().list_date(), date(2025, 4, 16));
}

#[test]
fn every_listed_service_has_a_prefix_or_is_known_to_have_none() {
    let without: Vec<&str> = catalog()
        .services
        .iter()
        .filter(|s| s.prefixes.is_empty() && s.unconfirmed_prefixes.is_empty())
        .map(|s| s.name.as_str())
        .collect();
    // These two have no IAM prefix: an operations offering and a product with its own console.
    assert_eq!(without, vec!["AWS CloudEndure", "AWS Managed Services"]);
}

#[test]
fn every_corpus_and_common_type_resolves() {
    for resource_type in [
        "aws_s3_bucket",
        "AWS::S3::Bucket",
        "aws_db_instance",
        "AWS::RDS::DBCluster",
        "aws_dynamodb_table",
        "aws_instance",
        "aws_ebs_volume",
        "aws_efs_file_system",
        "aws_elasticache_replication_group",
        "aws_lb_listener",
        "AWS::ElasticLoadBalancingV2::Listener",
        "aws_cloudtrail",
        "aws_kms_key",
        "aws_cloudwatch_log_group",
        "aws_sns_topic",
        "aws_sqs_queue",
        "aws_vpc",
        "aws_config_configuration_recorder",
        "aws_guardduty_detector",
        "aws_backup_plan",
        "aws_iam_role",
        "aws_lambda_function",
        "aws_ecs_service",
        "aws_eks_cluster",
        "aws_api_gateway_rest_api",
        "aws_cloudfront_distribution",
        "aws_route53_zone",
        "aws_secretsmanager_secret",
        "aws_ssm_parameter",
        "aws_wafv2_web_acl",
        "aws_organizations_policy",
        "aws_lightsail_instance",
    ] {
        let found = catalog().lookup(resource_type);
        assert_eq!(found.matched, MatchKind::ResourceType, "{resource_type} is missing from the table");
        assert_ne!(found.eligibility, Eligibility::Unknown, "{resource_type}");
    }
}

#[test]
fn lookup_s3_bucket_by_both_spellings() {
    for query in ["aws_s3_bucket", "AWS::S3::Bucket", "aws::s3::bucket"] {
        let found = catalog().lookup(query);
        assert_eq!(found.eligibility, Eligibility::Eligible, "{query}");
        assert_eq!(found.prefixes, vec!["s3".to_string()]);
        assert_eq!(found.services.len(), 1);
        assert_eq!(found.services[0].name, "Amazon Simple Storage Service (S3)");
        assert_eq!(found.listed_since(), Some("2022-04-18"));
    }
}

#[test]
fn lookup_shared_prefix_names_one_service() {
    let docdb = catalog().lookup("aws_docdb_cluster");
    assert_eq!(docdb.prefixes, vec!["rds".to_string()]);
    assert_eq!(docdb.services.len(), 1);
    assert_eq!(docdb.services[0].name, "Amazon DocumentDB");

    let rds = catalog().lookup("aws_db_instance");
    assert_eq!(rds.services[0].name, "Amazon Relational Database Service (Amazon RDS)");
    assert_eq!(rds.services[0].exclusions.len(), 1);

    let ebs = catalog().lookup("aws_ebs_volume");
    assert_eq!(ebs.services[0].name, "Amazon Elastic Block Store (Amazon EBS)");
}

#[test]
fn lookup_by_prefix_lists_every_owner() {
    let found = catalog().lookup("rds");
    assert_eq!(found.matched, MatchKind::Prefix);
    assert_eq!(found.eligibility, Eligibility::Eligible);
    let names: Vec<&str> = found.services.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"Amazon Aurora"));
    assert!(names.contains(&"Amazon Neptune"));
    assert!(names.contains(&"Amazon DocumentDB"));
}

#[test]
fn lookup_by_name_current_and_former() {
    let bedrock = catalog().lookup("amazon bedrock");
    assert_eq!(bedrock.matched, MatchKind::ServiceName);
    assert_eq!(bedrock.prefixes, vec!["bedrock".to_string()]);
    assert_eq!(bedrock.listed_since(), Some("2025-04-16"));

    let renamed = catalog().lookup("AWS Single Sign-On");
    assert_eq!(renamed.matched, MatchKind::ServiceName);
    assert_eq!(renamed.services[0].name, "AWS IAM Identity Center");

    let with_qualifier = catalog().lookup("AWS Directory Service [excludes Simple AD]");
    assert_eq!(with_qualifier.services[0].exclusions, vec!["Simple AD".to_string()]);
}

#[test]
fn lookup_supporting_and_non_eligible() {
    let iam = catalog().lookup("aws_iam_role");
    assert_eq!(iam.eligibility, Eligibility::Supporting);
    assert!(iam.reason.as_deref().unwrap_or_default().contains("ePHI"));

    let app_runner = catalog().lookup("aws_apprunner_service");
    assert_eq!(app_runner.eligibility, Eligibility::NotEligible);
    assert_eq!(app_runner.other_name.as_deref(), Some("AWS App Runner"));

    let voice = catalog().lookup("sms-voice");
    assert_eq!(voice.eligibility, Eligibility::NotEligible);
    assert!(voice.reason.as_deref().unwrap_or_default().contains("voice"));
}

#[test]
fn lookup_unconfirmed_prefix() {
    let found = catalog().lookup("aws_appautoscaling_target");
    assert_eq!(found.eligibility, Eligibility::Unconfirmed);
    assert_eq!(found.services[0].name, "Amazon EC2 Auto Scaling");
}

#[test]
fn lookup_unknown_type_names_it() {
    let found = catalog().lookup("aws_made_up_thing");
    assert_eq!(found.matched, MatchKind::Nothing);
    assert_eq!(found.eligibility, Eligibility::Unknown);
    assert!(found.reason.as_deref().unwrap_or_default().contains("aws_made_up_thing"));

    let prefix = catalog().lookup("notaservice");
    assert_eq!(prefix.eligibility, Eligibility::Unknown);
}

#[test]
fn age_warning_after_180_days() {
    let list_date = catalog().list_date();
    assert!(catalog().age_warning(list_date).is_none());
    assert!(catalog().age_warning(list_date + jiff::Span::new().days(180)).is_none());
    let warning = catalog().age_warning(list_date + jiff::Span::new().days(181));
    let text = warning.unwrap_or_default();
    assert!(text.contains("181 days"), "{text}");
    assert!(text.contains("phiguard services import"), "{text}");
}

const MINIMAL: &str = r#"
[catalog]
format = 1
version = "2025.04.16-1"
list_date = "2025-04-16"
source = "test"
source_url = "https://example.invalid/"
prefixes_checked = "2026-12-04"
prefixes_source = "test"

[[service]]
name = "Amazon Simple Storage Service (S3)"
prefixes = ["s3"]
listed_since = "2022-04-18"

[[non_eligible]]
prefix = "lightsail"
name = "Amazon Lightsail"
"#;

#[test]
fn table_rejects_prefix_outside_catalog() {
    let error = Catalog::parse(MINIMAL, "aws_s3_bucket\ts3\naws_apprunner_service\tapprunner\n").unwrap_err();
    assert!(matches!(error, CatalogError::UnknownPrefix { ref prefix, line: 2, .. } if prefix == "apprunner"), "{error}");
}

#[test]
fn table_rejects_duplicate_type() {
    let error = Catalog::parse(MINIMAL, "aws_s3_bucket\ts3\naws_s3_bucket\ts3\n").unwrap_err();
    assert!(matches!(error, CatalogError::Duplicate { what: "resource type", .. }), "{error}");
}

#[test]
fn table_rejects_unknown_service_name() {
    let error = Catalog::parse(MINIMAL, "aws_s3_bucket\ts3\tAmazon S4\n").unwrap_err();
    assert!(matches!(error, CatalogError::UnknownService { .. }), "{error}");
}

#[test]
fn catalog_rejects_duplicate_service() {
    let doubled = format!("{MINIMAL}\n[[service]]\nname = \"Amazon Simple Storage Service (S3)\"\nprefixes = [\"s3\"]\nlisted_since = \"2022-04-18\"\n");
    let error = Catalog::parse(&doubled, "").unwrap_err();
    assert!(matches!(error, CatalogError::Duplicate { what: "service name", .. }), "{error}");
}

#[test]
fn catalog_rejects_eligible_prefix_listed_as_non_eligible() {
    let conflicting = format!("{MINIMAL}\n[[non_eligible]]\nprefix = \"s3\"\nname = \"S3 again\"\n");
    let error = Catalog::parse(&conflicting, "").unwrap_err();
    assert!(matches!(error, CatalogError::Conflict { .. }), "{error}");
}

#[test]
fn catalog_rejects_bad_date_and_prefix() {
    let bad_date = MINIMAL.replace("list_date = \"2025-04-16\"", "list_date = \"April 2025\"");
    assert!(matches!(Catalog::parse(&bad_date, "").unwrap_err(), CatalogError::InvalidDate { .. }));
    let bad_prefix = MINIMAL.replace("prefixes = [\"s3\"]", "prefixes = [\"S3\"]");
    assert!(matches!(Catalog::parse(&bad_prefix, "").unwrap_err(), CatalogError::InvalidPrefix { .. }));
}

#[test]
fn no_prefix_is_both_confirmed_and_unconfirmed() {
    let eligible = catalog().eligible_prefixes();
    for prefix in catalog().unconfirmed_prefixes().keys() {
        assert!(!eligible.contains(prefix), "{prefix} is confirmed for one service and unconfirmed for another");
    }
}

#[test]
fn corpus_types_are_all_mapped() {
    let listed = include_str!("fixtures/corpus-resource-types.txt");
    let mut checked = 0;
    for resource_type in listed.lines().filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let found = catalog().lookup_resource_type(resource_type);
        assert_eq!(found.matched, MatchKind::ResourceType, "{resource_type} is missing from resource-types.tsv");
        checked += 1;
    }
    assert!(checked > 200, "only {checked} corpus types listed");
}
