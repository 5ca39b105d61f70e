//! Tests of SCP-001 and SCP-002 on hand-built SCP records: the verdicts for
//! allow-lists, FullAWSAccess, deny-not-action guardrails, the management
//! account, disabled SCPs, unreadable hierarchies and malformed policies.

use phiguard_catalog::scp::{generate, ScpOptions, Strategy};
use phiguard_catalog::Catalog;
use phiguard_model::services::{AttachedScp, ScpHierarchy, ScpLevel, ScpTarget, ServiceControlPolicies};
use phiguard_model::{Attr, FindingResult, Location, Model, Resource, ResourceKind};

use super::scp_allows_eligible::ScpAllowsEligible;
use super::scp_allows_only_eligible::ScpAllowsOnlyEligible;
use crate::{Check, Rule};

const ACCOUNT: &str = "111122223333";
const MANAGEMENT: &str = "999988887777";

fn full_aws_access() -> AttachedScp {
    AttachedScp {
        id: "p-FullAWSAccess".into(),
        name: "FullAWSAccess".into(),
        aws_managed: true,
        content: r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into(),
    }
}

fn custom(id: &str, content: &str) -> AttachedScp {
    AttachedScp { id: id.into(), name: format!("policy-{id}"), aws_managed: false, content: content.into() }
}

fn generated(strategy: Strategy, exclude: &[&str]) -> Vec<AttachedScp> {
    let options = ScpOptions {
        strategy,
        exclude: exclude.iter().map(|prefix| prefix.to_string()).collect(),
        max_size: 10_240,
        max_policies: 10,
        ..ScpOptions::default()
    };
    let scp = generate(Catalog::embedded(), &options).expect("the policy fits");
    scp.policies.iter().enumerate().map(|(index, policy)| custom(&format!("p-gen{index}"), &policy.minified)).collect()
}

fn levels(root: Vec<AttachedScp>, ou: Vec<AttachedScp>, account: Vec<AttachedScp>) -> Vec<ScpLevel> {
    vec![
        ScpLevel { target: ScpTarget::Root, id: "r-ab12".into(), policies: root },
        ScpLevel { target: ScpTarget::OrganizationalUnit, id: "ou-ab12-cdef3456".into(), policies: ou },
        ScpLevel { target: ScpTarget::Account, id: ACCOUNT.into(), policies: account },
    ]
}

fn hierarchy(levels: Vec<ScpLevel>) -> ScpHierarchy {
    ScpHierarchy {
        organization_id: "o-a1b2c3d4e5".into(),
        management_account_id: MANAGEMENT.into(),
        scps_enabled: true,
        levels,
    }
}

fn model(hierarchy: Attr<ScpHierarchy>) -> Model {
    let address = format!("arn:aws:iam::{ACCOUNT}:root");
    let record = Resource::new(
        address.clone(),
        "aws:organizations:service-control-policies",
        Location::live(&address),
        ResourceKind::ServiceControlPolicies(ServiceControlPolicies { account_id: ACCOUNT.into(), hierarchy }),
    );
    Model { source: format!("aws account {ACCOUNT}"), resources: vec![record], assumptions: Vec::new() }
}

fn known(hierarchy: ScpHierarchy) -> Model {
    model(Attr::explicit(hierarchy, Location::live("arn:aws:iam::111122223333:root")))
}

/// Runs one rule and returns its only check's result, message and reason.
fn verdict(rule: &dyn Rule, model: &Model) -> (FindingResult, String, Option<String>) {
    let checks: Vec<Check<'_>> = rule.check(model);
    assert_eq!(checks.len(), 1, "{} gave {} checks", rule.meta().id, checks.len());
    let check = checks.into_iter().next().unwrap();
    (check.result, check.message, check.reason)
}

#[test]
fn full_access_everywhere_fails_scp_001() {
    let model = known(hierarchy(levels(vec![full_aws_access()], vec![full_aws_access()], vec![full_aws_access()])));
    let (result, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Fail);
    let non_eligible = Catalog::embedded().non_eligible.len();
    assert!(message.contains(&format!("{non_eligible} non-eligible service(s): ")), "{message}");
    assert!(message.contains("lightsail"), "{message}");
    assert!(message.contains(" more"), "{message}");
    assert!(message.contains("services AWS adds later"), "{message}");
    assert!(
        message.contains("FullAWSAccess is attached at root r-ab12, OU ou-ab12-cdef3456, account 111122223333"),
        "{message}"
    );
    assert_eq!(verdict(&ScpAllowsEligible, &model).0, FindingResult::Pass);
}

#[test]
fn allow_list_on_ou_passes_both() {
    let model = known(hierarchy(levels(
        vec![full_aws_access()],
        generated(Strategy::AllowList, &[]),
        vec![full_aws_access()],
    )));
    let (result, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Pass, "{message}");
    assert!(message.contains("levels: root r-ab12, OU ou-ab12-cdef3456, account 111122223333"), "{message}");
    let (result, message, _) = verdict(&ScpAllowsEligible, &model);
    assert_eq!(result, FindingResult::Pass, "{message}");
}

#[test]
fn allow_list_beside_full_access_fails() {
    // FullAWSAccess left attached next to the allow-list on the OU, and on
    // the levels above and below, lets everything through.
    let mut ou = generated(Strategy::AllowList, &[]);
    ou.push(full_aws_access());
    let model = known(hierarchy(levels(vec![full_aws_access()], ou, vec![full_aws_access()])));
    let (result, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains("FullAWSAccess is attached at root r-ab12, OU ou-ab12-cdef3456"), "{message}");
}

#[test]
fn deny_not_action_guardrail_passes() {
    let mut ou = generated(Strategy::DenyNotAction, &[]);
    ou.push(full_aws_access());
    let model = known(hierarchy(levels(vec![full_aws_access()], ou, vec![full_aws_access()])));
    let (result, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Pass, "{message}");
}

#[test]
fn excluded_eligible_service_fails_scp_002() {
    let model = known(hierarchy(levels(
        vec![full_aws_access()],
        generated(Strategy::AllowList, &["bedrock", "backup"]),
        vec![full_aws_access()],
    )));
    let (result, message, _) = verdict(&ScpAllowsEligible, &model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains("block 2 HIPAA eligible service(s): backup, bedrock"), "{message}");
    assert_eq!(verdict(&ScpAllowsOnlyEligible, &model).0, FindingResult::Pass);
}

#[test]
fn partial_guardrail_is_not_a_block() {
    let guardrail = custom(
        "p-guard",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["cloudtrail:StopLogging","cloudtrail:DeleteTrail"],"Resource":"*"}]}"#,
    );
    let model = known(hierarchy(levels(vec![full_aws_access()], vec![full_aws_access(), guardrail], vec![full_aws_access()])));
    let (result, message, _) = verdict(&ScpAllowsEligible, &model);
    assert_eq!(result, FindingResult::Pass, "{message}");
}

#[test]
fn management_account_is_unrestricted() {
    let mut management = hierarchy(levels(vec![full_aws_access()], generated(Strategy::AllowList, &[]), vec![full_aws_access()]));
    management.management_account_id = ACCOUNT.into();
    let model = known(management);
    let (result, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains("management account of organization o-a1b2c3d4e5"), "{message}");
    assert_eq!(verdict(&ScpAllowsEligible, &model).0, FindingResult::Pass);
}

#[test]
fn disabled_scps_fail_scp_001() {
    let mut disabled = hierarchy(levels(Vec::new(), Vec::new(), Vec::new()));
    disabled.scps_enabled = false;
    let model = known(disabled);
    let (result, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains("SCPs are not enabled in organization o-a1b2c3d4e5"), "{message}");
    assert_eq!(verdict(&ScpAllowsEligible, &model).0, FindingResult::Pass);
}

#[test]
fn unreadable_hierarchy_is_unknown() {
    let reason = "organizations:ListParents was denied for account 111122223333";
    let model = model(Attr::unknown(reason, Location::live("arn:aws:iam::111122223333:root")));
    for rule in [&ScpAllowsOnlyEligible as &dyn Rule, &ScpAllowsEligible] {
        let (result, message, found) = verdict(rule, &model);
        assert_eq!(result, FindingResult::Unknown, "{}", rule.meta().id);
        assert!(message.contains("111122223333"), "{message}");
        assert_eq!(found.as_deref(), Some(reason));
    }
}

#[test]
fn malformed_policy_is_unknown() {
    let broken = custom("p-broken", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*"}]}"#);
    let model = known(hierarchy(levels(vec![full_aws_access()], vec![broken], vec![full_aws_access()])));
    let (result, _, reason) = verdict(&ScpAllowsOnlyEligible, &model);
    assert_eq!(result, FindingResult::Unknown);
    let reason = reason.unwrap_or_default();
    assert!(reason.contains("SCP policy-p-broken (p-broken)"), "{reason}");
    assert!(reason.contains("OU ou-ab12-cdef3456"), "{reason}");
}

#[test]
fn conditions_are_named() {
    let region_lock = custom(
        "p-region",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}]}"#,
    );
    let mut ou = generated(Strategy::AllowList, &[]);
    ou.push(region_lock);
    let model = known(hierarchy(levels(vec![full_aws_access()], ou, vec![full_aws_access()])));
    let (_, message, _) = verdict(&ScpAllowsOnlyEligible, &model);
    assert!(message.contains("1 statement(s) with conditions"), "{message}");
}

#[test]
fn scp_rules_are_live_only() {
    assert!(ScpAllowsOnlyEligible.live_only());
    assert!(ScpAllowsEligible.live_only());
}
