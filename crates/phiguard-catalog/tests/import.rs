//! Tests of `services import`: parsing a saved copy of the AWS reference page
//! and rebuilding the catalog from it.

use jiff::civil::date;
use phiguard_catalog::catalog::Catalog;
use phiguard_catalog::import::{parse_reference_page, rebuild, split_entry, to_toml, validate, ImportError};

const PAGE: &str = include_str!("fixtures/hipaa-eligible-services-reference.html");

const CURRENT: &str = r#"
[catalog]
format = 1
version = "2025.04.16-1"
list_date = "2025-04-16"
source = "test"
source_url = "https://example.invalid/"
prefixes_checked = "2026-12-04"
prefixes_source = "test"

[[service]]
name = "Amazon API Gateway"
prefixes = ["apigateway", "execute-api"]
listed_since = "2022-04-18"

[[service]]
name = "Amazon Bedrock"
prefixes = ["bedrock"]
listed_since = "2025-04-16"

[[service]]
name = "AWS Directory Service"
qualifier = "excludes Simple AD"
prefixes = ["ds"]
exclusions = ["Simple AD"]
listed_since = "2022-04-18"

[[service]]
name = "Amazon Relational Database Service (Amazon RDS)"
qualifier = "SQL Server, MySQL, Oracle, PostgreSQL and MariaDB engines only"
prefixes = ["rds"]
listed_since = "2022-04-18"

[[service]]
name = "Amazon SageMaker"
prefixes = ["sagemaker"]
listed_since = "2022-04-18"

[[service]]
name = "AWS Security Hub"
prefixes = ["securityhub"]
listed_since = "2022-04-18"

[[service]]
name = "Amazon Simple Storage Service (S3)"
prefixes = ["s3"]
listed_since = "2022-04-18"

[[service]]
name = "Amazon Simple Queue Service (SQS)"
prefixes = ["sqs"]
listed_since = "2022-04-18"

[[service]]
name = "AWS Lambda"
prefixes = ["lambda"]
listed_since = "2022-04-18"

[[service]]
name = "VM Import/Export"
prefixes = ["ec2"]
listed_since = "2022-04-18"

[[service]]
name = "AWS WorkLink"
prefixes = ["worklink"]
listed_since = "2022-04-18"
"#;

fn current() -> Catalog {
    Catalog::parse(CURRENT, "").expect("test catalog is valid")
}

#[test]
fn page_lists_only_services() {
    let list = parse_reference_page(PAGE);
    let names: Vec<&str> = list.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 12, "{names:?}");
    assert!(!names.contains(&"AWS Marketplace"), "navigation leaked: {names:?}");
    assert!(!names.contains(&"AWS Privacy"), "footer leaked: {names:?}");
    assert!(names.contains(&"Amazon Simple Storage Service (S3)"), "non-breaking space not normalized: {names:?}");
    assert!(names.contains(&"Amazon Simple Queue Service (SQS)"), "whitespace not collapsed: {names:?}");
}

#[test]
fn page_date_and_address() {
    let list = parse_reference_page(PAGE);
    assert_eq!(list.last_updated, Some(date(2026, 7, 14)));
    assert_eq!(
        list.canonical_url.as_deref(),
        Some("https://aws.amazon.com/compliance/hipaa-eligible-services-reference/")
    );
}

#[test]
fn entry_splits_name_and_qualifier() {
    let entry = split_entry("AWS Directory Service [excludes Simple AD]");
    assert_eq!(entry.name, "AWS Directory Service");
    assert_eq!(entry.qualifier.as_deref(), Some("excludes Simple AD"));
    let plain = split_entry("AWS Lambda");
    assert_eq!(plain.qualifier, None);
}

#[test]
fn rebuild_reports_added_removed_renamed() {
    let list = parse_reference_page(PAGE);
    let (file, diff) = rebuild(&current(), &list, date(2026, 7, 14));

    assert_eq!(diff.added, vec!["Amazon Bedrock AgentCore".to_string(), "Amazon Aurora DSQL".to_string()]);
    assert_eq!(diff.removed, vec!["AWS WorkLink".to_string()]);
    assert_eq!(diff.renamed, vec![("Amazon SageMaker".to_string(), "Amazon SageMaker AI".to_string())]);
    assert_eq!(diff.renamed_guessed, vec![("AWS Security Hub".to_string(), "AWS Security Hub CSPM".to_string())]);
    assert_eq!(diff.qualifier_changed.len(), 2, "{:?}", diff.qualifier_changed);

    let sagemaker = file.services.iter().find(|s| s.name == "Amazon SageMaker AI").expect("renamed service kept");
    assert_eq!(sagemaker.prefixes, vec!["sagemaker".to_string()]);
    assert_eq!(sagemaker.former_names, vec!["Amazon SageMaker".to_string()]);
    assert_eq!(sagemaker.listed_since, "2022-04-18");

    let added = file.services.iter().find(|s| s.name == "Amazon Aurora DSQL").expect("added service");
    assert!(added.prefixes.is_empty());
    assert_eq!(added.listed_since, "2026-07-14");

    let directory = file.services.iter().find(|s| s.name == "AWS Directory Service").expect("kept");
    assert_eq!(directory.exclusions, vec!["Simple AD".to_string()]);
    assert_eq!(file.catalog.list_date, "2026-07-14");
    assert_eq!(file.catalog.version, "2026.07.14-1");
}

#[test]
fn rebuilt_catalog_round_trips() {
    let list = parse_reference_page(PAGE);
    let (file, _) = rebuild(&current(), &list, date(2026, 7, 14));
    let text = to_toml(&file).expect("serializes");
    assert!(text.contains("# Fields of a [[service]]:"), "field documentation missing:\n{text}");
    let reparsed = Catalog::parse(&text, "").expect("written catalog parses");
    assert_eq!(reparsed.services.len(), 12);
    assert_eq!(reparsed.meta.list_date, "2026-07-14");
}

#[test]
fn reimport_of_same_page_changes_nothing() {
    let list = parse_reference_page(PAGE);
    let (file, _) = rebuild(&current(), &list, date(2026, 7, 14));
    let again = Catalog::parse(&to_toml(&file).expect("serializes"), "").expect("parses");
    let (_, diff) = rebuild(&again, &list, date(2026, 7, 14));
    assert!(diff.is_empty(), "{diff:?}");
}

#[test]
fn import_rejects_short_or_undated_pages() {
    let list = parse_reference_page(PAGE);
    assert!(matches!(validate(&list, 50, None), Err(ImportError::TooFew { found: 12, minimum: 50 })));
    assert_eq!(validate(&list, 10, None).expect("dated"), date(2026, 7, 14));

    let undated = parse_reference_page(&PAGE.replace("Last Updated: July&nbsp;14, 2026", ""));
    assert!(matches!(validate(&undated, 10, None), Err(ImportError::NoDate)));
    assert_eq!(validate(&undated, 10, Some(date(2026, 1, 2))).expect("date given"), date(2026, 1, 2));

    let navigation_only = parse_reference_page("<html><body><nav><ul><li>AWS Marketplace</li><li>AWS Careers</li><li>AWS Events</li></ul></nav></body></html>");
    assert!(navigation_only.entries.is_empty());
}

#[test]
fn embedded_catalog_against_page() {
    let list = parse_reference_page(PAGE);
    let (_, diff) = rebuild(Catalog::embedded(), &list, date(2026, 7, 14));
    // The page is a small excerpt, so most services show as removed, but
    // names the catalog already has must not show as added.
    assert!(!diff.added.contains(&"Amazon Bedrock AgentCore".to_string()), "{:?}", diff.added);
    assert!(!diff.added.contains(&"Amazon SageMaker AI".to_string()), "{:?}", diff.added);
    assert!(diff.renamed_guessed.contains(&("AWS Security Hub".to_string(), "AWS Security Hub CSPM".to_string())));
    assert!(diff.removed.contains(&"AWS WorkLink".to_string()) || diff.removed.contains(&"Amazon WorkLink".to_string()));
}
