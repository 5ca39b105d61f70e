//! Running rules over models and turning checks into findings.
//!
//! A CloudFormation template with conditions that cannot be evaluated yields
//! one model per combination of condition values. A rule that gives the same
//! result for a resource in every combination reports that result; one that
//! differs reports `Unknown` and names the result under each combination.

use std::collections::BTreeMap;

use phiguard_model::{Finding, FindingResult, Model, ResourceRef};

use crate::{Check, Rule};

/// The findings of a set of rules over the models of one input.
pub struct Evaluation {
    pub findings: Vec<Finding>,
}

pub fn evaluate(models: &[Model], rules: &[&dyn Rule]) -> Evaluation {
    let mut findings = Vec::new();
    for rule in rules {
        let meta = rule.meta();
        // Keyed by resource address, in first-seen order.
        let mut by_resource: BTreeMap<String, Vec<(Finding, &Model)>> = BTreeMap::new();
        let mut order = Vec::new();
        for model in models {
            for check in rule.check(model) {
                let finding = to_finding(*rule, check);
                let address = finding.resource.address.clone();
                if !by_resource.contains_key(&address) {
                    order.push(address.clone());
                }
                by_resource.entry(address).or_default().push((finding, model));
            }
        }
        for address in order {
            let variants = by_resource.remove(&address).unwrap_or_default();
            findings.push(merge(variants, meta.id));
        }
    }
    Evaluation { findings }
}

fn to_finding(rule: &dyn Rule, mut check: Check<'_>) -> Finding {
    let meta = rule.meta();
    // A verdict on a resource whose properties are all unknown would judge
    // defaults the input may not use, so it becomes unknown.
    if let (Some(reason), FindingResult::Pass | FindingResult::Fail) = (&check.resource.properties_unknown, check.result) {
        check.message = "the resource's properties are unknown, so the rule cannot judge it".to_owned();
        check.result = FindingResult::Unknown;
        check.reason = Some(reason.clone());
    }
    // A pass on a resource that may not be created, or whose compliant
    // setting comes from a resource that may not be created, is a guess.
    if let (Some(reason), FindingResult::Pass) = (&check.resource.conditional, check.result) {
        check.message = format!("{}, if the resources involved are created", check.message);
        check.result = FindingResult::Unknown;
        check.reason = Some(reason.clone());
    }
    let severity = if check.resource.holds_phi { meta.severity.raised() } else { meta.severity };
    Finding {
        rule_id: meta.id,
        rule_name: meta.name,
        severity,
        result: check.result,
        resource: ResourceRef {
            address: check.resource.address.clone(),
            resource_type: check.resource.resource_type.clone(),
            location: check.resource.location.clone(),
        },
        citations: meta.citations,
        message: check.message,
        reason: check.reason,
        location: check.location,
        expires: None,
    }
}

/// Merges the findings of one rule on one resource across condition
/// combinations.
fn merge(mut variants: Vec<(Finding, &Model)>, rule_id: &str) -> Finding {
    if variants.len() == 1 || variants.iter().all(|(finding, _)| finding.result == variants[0].0.result) {
        return variants.swap_remove(0).0;
    }
    let branches: Vec<String> = variants
        .iter()
        .map(|(finding, model)| {
            let assumptions: Vec<String> =
                model.assumptions.iter().map(|(name, value)| format!("{name}={value}")).collect();
            format!("{} when {} ({})", finding.result, assumptions.join(", "), finding.message)
        })
        .collect();
    // The branches differ at a setting, so the merged finding points at a
    // branch's setting rather than at the resource: a failing branch's first,
    // because it names what fails. A branch that reads a default points at
    // the resource itself.
    let at_setting = |finding: &Finding| finding.location != finding.resource.location;
    let chosen = variants
        .iter()
        .position(|(finding, _)| finding.result == FindingResult::Fail && at_setting(finding))
        .or_else(|| variants.iter().position(|(finding, _)| at_setting(finding)))
        .unwrap_or(0);
    let mut merged = variants.swap_remove(chosen).0;
    merged.result = FindingResult::Unknown;
    merged.message = format!("{rule_id} depends on template conditions that cannot be evaluated");
    merged.reason = Some(format!("the result differs by condition: {}", branches.join("; ")));
    merged
}
