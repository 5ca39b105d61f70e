//! Tests of SCP evaluation through organization levels: an action passes only
//! when every level from the root down to the account allows it and no level
//! denies it.

use phiguard_catalog::catalog::Catalog;
use phiguard_catalog::policy::{evaluate_levels, service_access_levels, Decision, PolicyDocument, ServiceAccess};
use phiguard_catalog::scp::{effective_access, generate, ScpOptions, Strategy};

fn policy(name: &str, statements: &str) -> PolicyDocument {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":{statements}}}"#);
    PolicyDocument::parse(name, &text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn full() -> PolicyDocument {
    PolicyDocument::full_aws_access()
}

fn allow(actions: &str) -> PolicyDocument {
    policy("allow", &format!(r#"[{{"Effect":"Allow","Action":{actions},"Resource":"*"}}]"#))
}

fn deny(actions: &str) -> PolicyDocument {
    policy("deny", &format!(r#"[{{"Effect":"Deny","Action":{actions},"Resource":"*"}}]"#))
}

fn allow_list() -> Vec<PolicyDocument> {
    let options = ScpOptions { strategy: Strategy::AllowList, max_size: 10_240, max_policies: 10, ..ScpOptions::default() };
    let scp = generate(Catalog::embedded(), &options).expect("the allow-list fits");
    scp.policies.iter().map(|generated| PolicyDocument::parse(&generated.name, &generated.minified).unwrap()).collect()
}

#[test]
fn every_level_must_allow() {
    let levels = vec![vec![full()], vec![allow(r#"["s3:*"]"#)], vec![full()]];

    let s3 = evaluate_levels(&levels, "s3:GetObject");
    assert_eq!(s3.decision, Decision::Allowed);
    assert_eq!(s3.level, None);

    let sqs = evaluate_levels(&levels, "sqs:SendMessage");
    assert_eq!(sqs.decision, Decision::ImplicitDeny);
    assert_eq!(sqs.level, Some(1));
}

#[test]
fn deny_at_any_level_wins() {
    let levels = vec![vec![full()], vec![full()], vec![full(), deny(r#""s3:Delete*""#)]];
    let decision = evaluate_levels(&levels, "s3:DeleteBucket");
    assert_eq!(decision.decision, Decision::ExplicitDeny);
    assert_eq!(decision.level, Some(2));
    assert_eq!(evaluate_levels(&levels, "s3:GetObject").decision, Decision::Allowed);
}

#[test]
fn explicit_deny_reported_before_missing_allow() {
    let levels = vec![vec![allow(r#""sqs:*""#)], vec![deny(r#""s3:*""#)]];
    let decision = evaluate_levels(&levels, "s3:GetObject");
    assert_eq!(decision.decision, Decision::ExplicitDeny);
    assert_eq!(decision.level, Some(1));
}

#[test]
fn no_levels_allow_nothing() {
    let levels: Vec<Vec<PolicyDocument>> = Vec::new();
    assert_eq!(evaluate_levels(&levels, "s3:GetObject").decision, Decision::ImplicitDeny);
    let empty_level = vec![Vec::new(), vec![full()]];
    assert_eq!(evaluate_levels(&empty_level, "s3:GetObject").decision, Decision::ImplicitDeny);
}

#[test]
fn not_action_allow_and_deny() {
    let allow_all_but_iam = policy("not-iam", r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#);
    let deny_outside_s3 = policy("only-s3", r#"{"Effect":"Deny","NotAction":["s3:*","sts:*"],"Resource":"*"}"#);
    let levels = vec![vec![allow_all_but_iam], vec![full(), deny_outside_s3]];
    assert_eq!(evaluate_levels(&levels, "s3:PutObject").decision, Decision::Allowed);
    assert_eq!(evaluate_levels(&levels, "iam:CreateRole").decision, Decision::ExplicitDeny);
    assert_eq!(evaluate_levels(&levels, "sqs:SendMessage").decision, Decision::ExplicitDeny);
    let sts = evaluate_levels(&levels, "sts:AssumeRole");
    assert_eq!(sts.decision, Decision::Allowed);
}

#[test]
fn service_access_across_levels() {
    let levels = vec![vec![full()], vec![allow(r#"["s3:Get*","dynamodb:*"]"#)], vec![full(), deny(r#""dynamodb:*""#)]];
    assert_eq!(service_access_levels(&levels, "s3"), ServiceAccess::Partial);
    assert_eq!(service_access_levels(&levels, "dynamodb"), ServiceAccess::None);
    assert_eq!(service_access_levels(&levels, "sqs"), ServiceAccess::None);
    let open = vec![vec![full()], vec![full()]];
    assert_eq!(service_access_levels(&open, "sqs"), ServiceAccess::Full);
}

#[test]
fn partial_allows_at_two_levels_must_overlap() {
    // The OU allows only reads and the account only writes, so nothing passes both.
    let levels = vec![vec![full()], vec![allow(r#""s3:Get*""#)], vec![allow(r#""s3:Put*""#)]];
    assert_eq!(service_access_levels(&levels, "s3"), ServiceAccess::None);
}

#[test]
fn allow_list_below_full_access_keeps_to_eligible() {
    let levels = vec![vec![full()], allow_list(), allow_list()];
    let access = effective_access(Catalog::embedded(), &levels);
    assert!(access.non_eligible_allowed.is_empty(), "{:?}", access.non_eligible_allowed);
    assert!(access.unknown_allowed.is_empty(), "{:?}", access.unknown_allowed);
    assert!(!access.allows_everything_else);
    assert!(access.eligible_blocked.is_empty(), "{:?}", access.eligible_blocked);
}

#[test]
fn full_access_on_one_level_is_enough_elsewhere() {
    // FullAWSAccess still attached to the account changes nothing while the
    // OU above it has the allow-list.
    let levels = vec![vec![full()], allow_list(), vec![full()]];
    let access = effective_access(Catalog::embedded(), &levels);
    assert!(access.non_eligible_allowed.is_empty(), "{:?}", access.non_eligible_allowed);
    assert!(!access.allows_everything_else);
}

#[test]
fn full_access_everywhere_allows_non_eligible() {
    let levels = vec![vec![full()], vec![full()]];
    let access = effective_access(Catalog::embedded(), &levels);
    assert!(access.non_eligible_allowed.contains(&"lightsail".to_string()), "{:?}", access.non_eligible_allowed);
    assert_eq!(access.non_eligible_allowed.len(), Catalog::embedded().non_eligible.len());
    assert!(access.allows_everything_else);
    assert!(access.eligible_blocked.is_empty());
}

#[test]
fn deny_blocking_eligible_services_is_listed() {
    let levels = vec![vec![full()], vec![full(), deny(r#"["bedrock:*","backup:*"]"#)]];
    let access = effective_access(Catalog::embedded(), &levels);
    assert!(access.eligible_blocked.contains(&"bedrock".to_string()), "{:?}", access.eligible_blocked);
    assert!(access.eligible_blocked.contains(&"backup".to_string()), "{:?}", access.eligible_blocked);
    assert!(!access.eligible_blocked.contains(&"s3".to_string()));
}

#[test]
fn conditional_statements_are_counted() {
    let conditional = policy(
        "region-lock",
        r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}"#,
    );
    let levels = vec![vec![full()], vec![full(), conditional]];
    let access = effective_access(Catalog::embedded(), &levels);
    assert_eq!(access.conditional_statements, 1);
}
