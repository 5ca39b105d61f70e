//! SVC-001: every resource runs on a service that is on the AWS HIPAA
//! eligible services list.

use phiguard_catalog::{Catalog, Eligibility, Lookup};
use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{RISK_ANALYSIS, RISK_MANAGEMENT};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct ServiceHipaaEligible;

// NOTE: the BAA requirement itself is 164.308(b)(1) and 164.314(a), which the
// citation catalog does not list yet. Until it does, the rule cites the risk
// analysis and risk management specifications that a non-covered service undermines.
static META: RuleMeta = RuleMeta {
    id: "SVC-001",
    name: "service-hipaa-eligible",
    severity: Severity::High,
    citations: &[RISK_ANALYSIS, RISK_MANAGEMENT],
    summary: "Every resource runs on a HIPAA eligible AWS service",
    docs: RuleDocs {
        what: "Maps each resource's Terraform or CloudFormation type to the IAM prefix of the service that \
runs it, and looks that prefix up in the dated catalog of the AWS HIPAA Eligible Services list. A resource \
of a service that is not on the list fails. Supporting services that store no customer content (IAM, STS, \
billing, support) are not applicable unless the resource is tagged as holding ePHI, and then they fail. A \
type that is missing from phiguard's table, or whose prefix is not confirmed as part of a listed service, \
is Unknown and the finding names the type. A resource read from a live account (`phiguard scan --aws`) has \
the type `aws:NAMESPACE:TYPE` from its ARN, and its ARN namespace is looked up as an IAM prefix. The few \
namespaces that differ from the prefix (`catalog` for Service Catalog) are mapped first. A namespace the \
catalog does not know is Unknown and named. Severity rises one level for resources tagged as holding ePHI.",
        why: "The AWS Business Associate Addendum covers only the services on the HIPAA eligible list. ePHI \
that a non-eligible service stores, processes or transmits is outside any business associate agreement, \
which HIPAA requires for every business associate (45 CFR 164.308(b)(1) and 164.314(a)). The account may \
use other services, but none of them may touch ePHI.",
        fix: "Move the workload to an eligible service (for example, App Runner to ECS on Fargate, \
Lightsail to EC2), or keep the resource and make sure it never receives ePHI and record that decision as an \
exception with its justification. `phiguard services show TYPE` prints the service, the date it was listed \
and any features AWS excludes. A service-control policy from `phiguard scp generate` blocks non-eligible \
services at the organization level.",
        limitations: "Eligibility is decided per service, so features that AWS excludes from an eligible \
service (such as Simple AD in Directory Service or Studio Lab in SageMaker) still pass; the finding names \
the exclusions. The catalog is as current as its list date, which `phiguard services list` prints; `phiguard scan`, `services` and `scp` warn on standard error when it is older than 180 days. CloudFormation custom resources and types missing from the table are Unknown. Types of other Terraform \
providers (null_resource, random_id) are not applicable. A live scan sees only the resources that the \
Resource Groups Tagging API returns (resources that have or had tags) and every S3 bucket.",
        terraform_fail: include_str!("../../fixtures/SVC-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/SVC-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/SVC-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/SVC-001/pass.yaml"),
    },
};

impl Rule for ServiceHipaaEligible {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let catalog = Catalog::active();
        model
            .resources
            .iter()
            // The SCP record describes the organization's policies, not a
            // workload that runs on a service.
            .filter(|resource| !matches!(resource.kind, ResourceKind::ServiceControlPolicies(_)))
            .map(|resource| check_resource(catalog, resource))
            .collect()
    }
}

/// ARN service namespaces that differ from the IAM prefix of the service
/// that owns them, as `(namespace, prefix)` pairs. Every other namespace is
/// looked up as an IAM prefix as it is.
const ARN_NAMESPACE_ALIASES: &[(&str, &str)] = &[
    // AWS Service Catalog portfolios and products: `arn:aws:catalog:REGION:ACCOUNT:portfolio/port-...`.
    ("catalog", "servicecatalog"),
];

/// Returns the IAM prefix for the namespace of a live resource type
/// (`aws:NAMESPACE:TYPE`), or `None` for a type of another form.
fn live_prefix(resource_type: &str) -> Option<String> {
    let rest = resource_type.strip_prefix("aws:")?;
    if rest.starts_with(':') {
        return None;
    }
    let namespace = rest.split(':').next().unwrap_or_default().to_ascii_lowercase();
    let prefix = ARN_NAMESPACE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == namespace)
        .map_or(namespace.clone(), |(_, prefix)| prefix.to_string());
    Some(prefix)
}

fn check_resource<'m>(catalog: &Catalog, resource: &'m phiguard_model::Resource) -> Check<'m> {
    let resource_type = resource.resource_type.as_str();
    if let Some(prefix) = live_prefix(resource_type) {
        return judge(catalog, resource, catalog.lookup_prefix(&prefix), Table::ArnNamespace);
    }
    if resource_type.starts_with("Custom::") {
        return Check::unknown(
            resource,
            format!("cannot tell whether {resource_type} is HIPAA eligible"),
            format!(
                "{resource_type} is a CloudFormation custom resource, which runs code (usually a Lambda function) \
                 that the template does not show; check what its handler does with ePHI"
            ),
            &resource.location,
        );
    }
    let lowercase = resource_type.to_ascii_lowercase();
    if !lowercase.starts_with("aws_") && !lowercase.starts_with("aws::") {
        // Types of other Terraform providers (null_resource, random_id, tls_private_key) run on no AWS service.
        return Check::not_applicable(resource, format!("{resource_type} is not an AWS resource type"));
    }
    judge(catalog, resource, catalog.lookup_resource_type(resource_type), Table::ResourceTypes)
}

/// The source of a resource's service lookup, which decides how an unknown
/// result is explained.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    /// phiguard's table of Terraform and CloudFormation types.
    ResourceTypes,
    /// The ARN namespace of a live resource, taken as an IAM prefix.
    ArnNamespace,
}

/// Turns the catalog's verdict on a resource's service into a check.
fn judge<'m>(catalog: &Catalog, resource: &'m phiguard_model::Resource, found: Lookup<'_>, table: Table) -> Check<'m> {
    let resource_type = resource.resource_type.as_str();
    let prefix = found.prefixes.first().map(String::as_str).unwrap_or_default();
    let location = &resource.location;
    let as_of = &catalog.meta.list_date;

    match found.eligibility {
        Eligibility::Eligible => {
            let names: Vec<String> = found.services.iter().map(|service| service.name.clone()).collect();
            let mut message = format!("{resource_type} runs on {} ({prefix}), which is HIPAA eligible", names.join(" / "));
            let exclusions: Vec<&str> =
                found.services.iter().flat_map(|service| service.exclusions.iter().map(String::as_str)).collect();
            if !exclusions.is_empty() {
                message.push_str(&format!("; AWS excludes from eligibility: {}", exclusions.join("; ")));
            }
            Check::pass(resource, message, location)
        }
        Eligibility::Supporting if resource.holds_phi => Check::fail(
            resource,
            format!(
                "{resource_type} is tagged as holding ePHI, but {} ({prefix}) is a supporting service that is not \
                 on the HIPAA eligible list of {as_of}",
                found.other_name.unwrap_or_default()
            ),
            location,
        ),
        Eligibility::Supporting => Check::not_applicable(
            resource,
            format!(
                "{resource_type} belongs to {} ({prefix}), a supporting service that stores no customer content and \
                 is not tagged as holding ePHI",
                found.other_name.unwrap_or_default()
            ),
        ),
        Eligibility::NotEligible => Check::fail(
            resource,
            format!(
                "{resource_type} runs on {} ({prefix}), which is not HIPAA eligible ({}; list of {as_of})",
                found.other_name.unwrap_or_default(),
                found.reason.unwrap_or_default()
            ),
            location,
        ),
        Eligibility::Unconfirmed => Check::unknown(
            resource,
            format!("cannot tell whether {resource_type} ({prefix}) is HIPAA eligible"),
            format!(
                "the IAM prefix {prefix} is {}; check the service on the AWS list and record the result",
                found.reason.unwrap_or_default()
            ),
            location,
        ),
        Eligibility::Unknown if table == Table::ArnNamespace => Check::unknown(
            resource,
            format!("cannot tell whether {resource_type} is HIPAA eligible"),
            format!(
                "the ARN namespace {prefix} is not an IAM prefix in phiguard's catalog; find the service that owns \
                 it on the AWS HIPAA eligible list, check it with `phiguard services show NAME` and record the \
                 result as an exception"
            ),
            location,
        ),
        Eligibility::Unknown => Check::unknown(
            resource,
            format!("cannot tell whether {resource_type} is HIPAA eligible"),
            format!(
                "the resource type {resource_type} is not in phiguard's resource type table; run `phiguard services \
                 show` on its service name to check it by hand"
            ),
            location,
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use phiguard_model::{FindingResult, Location, Resource, ResourceKind};

    use super::*;

    fn resource(resource_type: &str, holds_phi: bool) -> Resource {
        let mut resource = Resource::new("r", resource_type, Location::new(Arc::from("main.tf"), 3, 1), ResourceKind::Other);
        resource.holds_phi = holds_phi;
        resource
    }

    fn result(resource_type: &str, holds_phi: bool) -> (FindingResult, String, Option<String>) {
        let resource = resource(resource_type, holds_phi);
        let check = check_resource(Catalog::embedded(), &resource);
        (check.result, check.message, check.reason)
    }

    #[test]
    fn eligible_types_pass() {
        for resource_type in ["aws_s3_bucket", "AWS::S3::Bucket", "aws_db_instance", "AWS::DynamoDB::Table", "AWS::Serverless::Function"] {
            assert_eq!(result(resource_type, true).0, FindingResult::Pass, "{resource_type}");
        }
    }

    #[test]
    fn pass_names_exclusions() {
        let (verdict, message, _) = result("aws_db_instance", false);
        assert_eq!(verdict, FindingResult::Pass);
        assert!(message.contains("Db2"), "{message}");
    }

    #[test]
    fn non_eligible_types_fail() {
        for resource_type in ["aws_lightsail_instance", "AWS::AppRunner::Service", "aws_pinpointsmsvoicev2_phone_number"] {
            let (verdict, message, _) = result(resource_type, false);
            assert_eq!(verdict, FindingResult::Fail, "{resource_type}");
            assert!(message.contains("not HIPAA eligible"), "{message}");
        }
    }

    #[test]
    fn supporting_type_depends_on_tag() {
        assert_eq!(result("aws_iam_role", false).0, FindingResult::NotApplicable);
        let (verdict, message, _) = result("aws_iam_role", true);
        assert_eq!(verdict, FindingResult::Fail);
        assert!(message.contains("ePHI"), "{message}");
    }

    #[test]
    fn unknown_type_is_named() {
        let (verdict, message, reason) = result("aws_brand_new_service_thing", false);
        assert_eq!(verdict, FindingResult::Unknown);
        assert!(message.contains("aws_brand_new_service_thing"), "{message}");
        assert!(reason.unwrap_or_default().contains("aws_brand_new_service_thing"));
        let (verdict, _, reason) = result("Custom::Widget", false);
        assert_eq!(verdict, FindingResult::Unknown);
        assert!(reason.unwrap_or_default().contains("custom resource"));
    }

    #[test]
    fn other_provider_types_not_applicable() {
        for resource_type in ["null_resource", "random_id", "tls_private_key"] {
            assert_eq!(result(resource_type, true).0, FindingResult::NotApplicable, "{resource_type}");
        }
    }

    #[test]
    fn unconfirmed_prefix_is_unknown() {
        let (verdict, _, reason) = result("aws_appautoscaling_target", false);
        assert_eq!(verdict, FindingResult::Unknown);
        assert!(reason.unwrap_or_default().contains("application-autoscaling"));
    }

    #[test]
    fn live_eligible_types_pass() {
        for resource_type in ["aws:sqs:queue", "aws:dynamodb:table", "aws:s3:bucket", "aws:elasticloadbalancing:loadbalancer"] {
            let (verdict, message, _) = result(resource_type, false);
            assert_eq!(verdict, FindingResult::Pass, "{resource_type}: {message}");
            assert!(message.contains("HIPAA eligible"), "{message}");
        }
    }

    #[test]
    fn live_non_eligible_type_fails() {
        let (verdict, message, _) = result("aws:lightsail:instance", true);
        assert_eq!(verdict, FindingResult::Fail);
        assert!(message.contains("lightsail"), "{message}");
        assert!(message.contains("not HIPAA eligible"), "{message}");
    }

    #[test]
    fn live_namespace_alias_maps_prefix() {
        let (verdict, message, _) = result("aws:catalog:portfolio", false);
        assert_eq!(verdict, FindingResult::Pass, "{message}");
        assert!(message.contains("(servicecatalog)"), "{message}");
    }

    #[test]
    fn live_unknown_namespace_is_named() {
        let (verdict, message, reason) = result("aws:brand-new-service:widget", false);
        assert_eq!(verdict, FindingResult::Unknown);
        assert!(message.contains("aws:brand-new-service:widget"), "{message}");
        let reason = reason.unwrap_or_default();
        assert!(reason.contains("ARN namespace brand-new-service"), "{reason}");
    }

    #[test]
    fn live_supporting_type_depends_on_tag() {
        assert_eq!(result("aws:iam:role", false).0, FindingResult::NotApplicable);
        assert_eq!(result("aws:iam:role", true).0, FindingResult::Fail);
    }

    #[test]
    fn scp_record_is_skipped() {
        use phiguard_model::services::ServiceControlPolicies;
        use phiguard_model::Attr;

        let location = Location::live("arn:aws:iam::111122223333:root");
        let scps = ServiceControlPolicies {
            account_id: "111122223333".into(),
            hierarchy: Attr::unknown("not read in this test", location.clone()),
        };
        let record = Resource::new(
            "arn:aws:iam::111122223333:root",
            "aws:organizations:service-control-policies",
            location,
            ResourceKind::ServiceControlPolicies(scps),
        );
        let model = Model { source: "aws account 111122223333".into(), resources: vec![record], assumptions: Vec::new() };
        assert!(ServiceHipaaEligible.check(&model).is_empty());
    }

    #[test]
    fn phi_tag_raises_severity() {
        let mut resource = resource("aws_lightsail_instance", true);
        resource.address = "aws_lightsail_instance.intake".into();
        let model = Model { source: "main.tf".into(), resources: vec![resource], assumptions: Vec::new() };
        let findings = crate::evaluate(std::slice::from_ref(&model), &[&ServiceHipaaEligible]).findings;
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Critical);
        assert_eq!(findings[0].result, FindingResult::Fail);
    }
}
