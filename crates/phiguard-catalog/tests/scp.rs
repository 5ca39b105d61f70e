//! Tests of the SCP generator and checker: generated policies are parsed back
//! and sample actions are evaluated against them.

use std::process::Command;

use phiguard_catalog::catalog::Catalog;
use phiguard_catalog::policy::{action_matches, evaluate, Decision, PolicyDocument};
use phiguard_catalog::scp::{check, generate, render, Format, ScpError, ScpOptions, Strategy};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn parse_back(scp: &phiguard_catalog::scp::GeneratedScp) -> Vec<PolicyDocument> {
    scp.policies
        .iter()
        .map(|policy| PolicyDocument::parse(&policy.name, &policy.minified).expect("generated policy parses"))
        .collect()
}

#[test]
fn wildcard_matching() {
    assert!(action_matches("*", "s3:GetObject"));
    assert!(action_matches("s3:*", "s3:GetObject"));
    assert!(action_matches("S3:get*", "s3:GetObject"));
    assert!(action_matches("s3:Get?bject", "s3:GetObject"));
    assert!(!action_matches("s3:*", "s3express:CreateSession"));
    assert!(!action_matches("s3:Put*", "s3:GetObject"));
    assert!(action_matches("ec2:*Instances", "ec2:DescribeInstances"));
    assert!(!action_matches("ec2:*Instances", "ec2:DescribeInstanceStatus"));
}

#[test]
fn deny_not_action_is_one_statement() {
    let scp = generate(catalog(), &ScpOptions::default()).expect("default policy fits");
    assert_eq!(scp.policies.len(), 1);
    let parsed = parse_back(&scp);
    assert_eq!(parsed[0].statements.len(), 1);
    assert!(scp.policies[0].size() <= 5_120, "size {}", scp.policies[0].size());
    assert_eq!(parsed[0].minified_size, scp.policies[0].size());
    assert!(!scp.policies[0].minified.contains(' '), "policy is not minified");
}

#[test]
fn deny_not_action_evaluates_sample_actions() {
    let scp = generate(catalog(), &ScpOptions::default()).expect("default policy fits");
    let mut attached = parse_back(&scp);
    attached.push(PolicyDocument::full_aws_access());

    for allowed in [
        "s3:GetObject",
        "rds:CreateDBInstance",
        "bedrock:InvokeModel",
        "ssmmessages:OpenDataChannel",
        "iam:CreateRole",
        "sts:AssumeRole",
        "organizations:DescribeOrganization",
        "support:CreateCase",
        "cloudtrail-data:PutAuditEvents",
    ] {
        assert_eq!(evaluate(&attached, allowed), Decision::Allowed, "{allowed}");
    }
    for denied in ["lightsail:CreateInstances", "apprunner:CreateService", "sms-voice:SendVoiceMessage", "aws-marketplace:Subscribe"] {
        assert_eq!(evaluate(&attached, denied), Decision::ExplicitDeny, "{denied}");
    }
    // Unconfirmed prefixes stay out unless included.
    assert_eq!(evaluate(&attached, "codestar-connections:UseConnection"), Decision::ExplicitDeny);
    assert!(scp.warnings.iter().any(|w| w.contains("codestar-connections")));
}

#[test]
fn include_and_exclude_change_the_set() {
    let options = ScpOptions {
        include: vec!["codestar-connections".into(), "lightsail".into()],
        exclude: vec!["bedrock".into(), "support".into()],
        ..ScpOptions::default()
    };
    let scp = generate(catalog(), &options).expect("fits");
    let mut attached = parse_back(&scp);
    attached.push(PolicyDocument::full_aws_access());
    assert_eq!(evaluate(&attached, "codestar-connections:UseConnection"), Decision::Allowed);
    assert_eq!(evaluate(&attached, "lightsail:CreateInstances"), Decision::Allowed);
    assert_eq!(evaluate(&attached, "bedrock:InvokeModel"), Decision::ExplicitDeny);
    assert_eq!(evaluate(&attached, "support:CreateCase"), Decision::ExplicitDeny);
    assert!(scp.warnings.iter().any(|w| w.contains("lightsail") && w.contains("not HIPAA eligible")));
}

#[test]
fn without_supporting_services_iam_is_denied() {
    let scp = generate(catalog(), &ScpOptions { supporting: false, ..ScpOptions::default() }).expect("fits");
    let mut attached = parse_back(&scp);
    attached.push(PolicyDocument::full_aws_access());
    assert_eq!(evaluate(&attached, "iam:CreateRole"), Decision::ExplicitDeny);
    assert_eq!(evaluate(&attached, "s3:GetObject"), Decision::Allowed);
}

#[test]
fn invalid_prefix_is_rejected() {
    let options = ScpOptions { include: vec!["S3:*".into()], ..ScpOptions::default() };
    assert!(matches!(generate(catalog(), &options), Err(ScpError::InvalidPrefix { option: "include", .. })));
}

#[test]
fn deny_not_action_never_splits() {
    let options = ScpOptions { max_size: 2_000, ..ScpOptions::default() };
    let error = generate(catalog(), &options).expect_err("cannot fit in 2000 characters");
    let ScpError::DoesNotFit { size, max_size, over, ref advice } = error else {
        panic!("expected DoesNotFit, got {error}");
    };
    assert_eq!(max_size, 2_000);
    assert_eq!(over, size - 2_000);
    assert!(advice.contains("exclusions"), "{advice}");
    assert!(advice.contains("allow-list"), "{advice}");
    let message = error.to_string();
    assert!(message.contains(&size.to_string()), "{message}");
}

#[test]
fn following_the_advice_makes_it_fit() {
    let options = ScpOptions { max_size: 3_700, ..ScpOptions::default() };
    let Err(ScpError::DoesNotFit { advice, .. }) = generate(catalog(), &options) else {
        panic!("expected DoesNotFit at 3700 characters");
    };
    let exclude: Vec<String> = advice
        .split("--exclude ")
        .skip(1)
        .map(|rest| rest.split([' ', '.']).next().unwrap_or_default().to_string())
        .collect();
    assert!(!exclude.is_empty());
    let retry = ScpOptions { exclude, ..options };
    let scp = generate(catalog(), &retry).expect("fits after the advised exclusions");
    assert!(scp.policies[0].size() <= 3_700);
    assert!(!retry_has_identity_exclusions(&scp));
}

#[test]
fn allow_list_splits_within_the_limit() {
    let options = ScpOptions { strategy: Strategy::AllowList, max_size: 1_200, max_policies: 10, ..ScpOptions::default() };
    let scp = generate(catalog(), &options).expect("fits in ten policies");
    assert!(scp.policies.len() > 1, "expected a split, got {}", scp.policies.len());
    for policy in &scp.policies {
        assert!(policy.size() <= 1_200, "{} is {} characters", policy.name, policy.size());
    }
    let attached = parse_back(&scp);
    for allowed in ["s3:GetObject", "zz-unused:Nothing".replace("zz-unused", "xray").as_str(), "iam:CreateRole", "a4b:ListSkills"] {
        assert_eq!(evaluate(&attached, allowed), Decision::Allowed, "{allowed}");
    }
    assert_eq!(evaluate(&attached, "lightsail:CreateInstances"), Decision::ImplicitDeny);
    // Every allowed prefix appears in exactly one policy.
    let total: usize = attached.iter().map(|p| p.statements[0].actions.patterns().len()).sum();
    assert_eq!(total, scp.prefixes.len());
}

#[test]
fn allow_list_fails_with_too_many_policies() {
    let options = ScpOptions { strategy: Strategy::AllowList, max_size: 1_200, max_policies: 2, ..ScpOptions::default() };
    let error = generate(catalog(), &options).expect_err("two policies are not enough");
    assert!(matches!(error, ScpError::TooManyPolicies { max_policies: 2, .. }), "{error}");
    assert!(error.to_string().contains("exclusions"), "{error}");
}

#[test]
fn allow_list_single_policy_at_default_size() {
    let options = ScpOptions { strategy: Strategy::AllowList, ..ScpOptions::default() };
    let scp = generate(catalog(), &options).expect("fits");
    assert_eq!(scp.policies.len(), 1);
    assert!(scp.warnings.iter().any(|w| w.contains("FullAWSAccess")));
}

#[test]
fn json_output_is_the_minified_policy() {
    let scp = generate(catalog(), &ScpOptions::default()).expect("fits");
    let text = render(&scp, Format::Json, catalog());
    assert_eq!(text.trim_end(), scp.policies[0].minified);
    assert!(text.starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"#), "{text}");
    let value: serde_json::Value = serde_json::from_str(text.trim_end()).expect("valid JSON");
    assert_eq!(value["Version"], "2012-10-17");
    assert_eq!(value["Statement"][0]["Effect"], "Deny");
    assert_eq!(value["Statement"][0]["Resource"], "*");
}

#[test]
fn cloudformation_output_embeds_the_policy() {
    let options = ScpOptions { strategy: Strategy::AllowList, max_size: 1_500, max_policies: 10, ..ScpOptions::default() };
    let scp = generate(catalog(), &options).expect("fits");
    let text = render(&scp, Format::CloudFormation, catalog());
    let template: serde_json::Value = serde_json::from_str(&text).expect("valid JSON template");
    let resources = template["Resources"].as_object().expect("Resources object");
    assert_eq!(resources.len(), scp.policies.len());
    for (policy, (_, resource)) in scp.policies.iter().zip(resources.iter()) {
        assert_eq!(resource["Type"], "AWS::Organizations::Policy");
        assert_eq!(resource["Properties"]["Type"], "SERVICE_CONTROL_POLICY");
        assert_eq!(resource["Properties"]["TargetIds"][0]["Ref"], "HipaaTargetId");
        assert_eq!(serde_json::to_string(&resource["Properties"]["Content"]).unwrap_or_default().len(), policy.size());
    }
}

fn terraform_outputs() -> Vec<String> {
    let single = generate(catalog(), &ScpOptions::default()).expect("fits");
    let split = generate(
        catalog(),
        &ScpOptions { strategy: Strategy::AllowList, max_size: 1_500, max_policies: 10, ..ScpOptions::default() },
    )
    .expect("fits");
    vec![render(&single, Format::Terraform, catalog()), render(&split, Format::Terraform, catalog())]
}

#[test]
fn terraform_output_parses_as_hcl() {
    for text in terraform_outputs() {
        let body: hcl::Body = hcl::from_str(&text).unwrap_or_else(|error| panic!("invalid HCL: {error}\n{text}"));
        let policies: Vec<&hcl::Block> = body
            .blocks()
            .filter(|block| block.identifier() == "resource" && block.labels().first().map(|l| l.as_str()) == Some("aws_organizations_policy"))
            .collect();
        assert!(!policies.is_empty());
        for block in policies {
            let content = block
                .body()
                .attributes()
                .find(|attribute| attribute.key() == "content")
                .expect("content attribute");
            let hcl::Expression::String(json) = content.expr() else {
                panic!("content is not a plain string: {:?}", content.expr());
            };
            let parsed = PolicyDocument::parse("content", json).expect("content is a policy");
            assert_eq!(parsed.minified_size, json.chars().count());
        }
    }
}

#[test]
fn terraform_output_passes_fmt_check() {
    let Ok(version) = Command::new("terraform").arg("version").output() else {
        eprintln!("terraform is not installed; the HCL parse test covers the output");
        return;
    };
    if !version.status.success() {
        eprintln!("terraform does not run; the HCL parse test covers the output");
        return;
    }
    for text in terraform_outputs() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("scp.tf");
        std::fs::write(&path, &text).expect("write scp.tf");
        let output = Command::new("terraform").arg("fmt").arg("-check").arg("-diff").arg(&path).output().expect("run terraform fmt");
        assert!(
            output.status.success(),
            "terraform fmt -check failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn check_accepts_generated_policy() {
    let scp = generate(catalog(), &ScpOptions::default()).expect("fits");
    let report = check(catalog(), &parse_back(&scp), 5_120);
    assert!(report.assumed_full_aws_access);
    assert!(report.access.eligible_blocked.is_empty(), "{:?}", report.access.eligible_blocked);
    assert!(report.access.non_eligible_allowed.is_empty(), "{:?}", report.access.non_eligible_allowed);
    assert!(report.access.unknown_allowed.is_empty(), "{:?}", report.access.unknown_allowed);
    assert!(!report.access.allows_everything_else);
    assert!(!report.failed());
}

#[test]
fn check_reports_leaks_and_blocks() {
    let policy = r#"{
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "NotAction": ["s3:*", "iam:*", "aws-marketplace:*", "newservice:*", "dynamodb:Get*"],
            "Resource": "*"
        }]
    }"#;
    let parsed = PolicyDocument::parse("legacy.json", policy).expect("parses");
    let report = check(catalog(), &[parsed], 5_120);
    assert!(report.access.non_eligible_allowed.contains(&"aws-marketplace".to_string()));
    assert!(report.access.unknown_allowed.contains(&"newservice".to_string()));
    assert!(report.access.eligible_blocked.contains(&"bedrock".to_string()));
    assert!(report.access.eligible_partial.contains(&"dynamodb".to_string()));
    assert!(!report.access.eligible_blocked.contains(&"s3".to_string()));
    assert!(report.access.supporting_blocked.contains(&"sts".to_string()));
    assert!(report.failed());
}

#[test]
fn check_flags_size_and_full_access() {
    let full = PolicyDocument::parse("full.json", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
        .expect("parses");
    let report = check(catalog(), &[full], 50);
    assert!(report.access.allows_everything_else);
    assert!(report.sizes[0].1 > 50);
    assert!(report.failed());
}

#[test]
fn policy_parse_errors_name_the_file() {
    let error = PolicyDocument::parse("broken.json", "{").unwrap_err();
    assert!(error.to_string().contains("broken.json"));
    let error = PolicyDocument::parse("shape.json", r#"{"Statement":[{"Effect":"Maybe","Action":"*"}]}"#).unwrap_err();
    assert!(error.to_string().contains("Maybe"), "{error}");
}

/// Returns whether the policy lost IAM or STS, which the advice must never suggest excluding.
fn retry_has_identity_exclusions(scp: &phiguard_catalog::scp::GeneratedScp) -> bool {
    !scp.prefixes.contains(&"iam".to_string()) || !scp.prefixes.contains(&"sts".to_string())
}
