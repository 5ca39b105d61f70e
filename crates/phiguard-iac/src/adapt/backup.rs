//! AWS Backup plans (retention and copy actions) and backup selections
//! (which resources a plan backs up).

use phiguard_model::services::{BackupPlan, BackupSelection, ConditionOperator, SelectionCondition, TagCondition};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::extra_reads::{literal_strings, string_list};
use crate::adapt::Reader;
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};

/// The prefix of a condition key on a resource tag.
const RESOURCE_TAG_PREFIX: &str = "aws:ResourceTag/";

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let reader = Reader::new(set, raw);
    match raw.resource_type.as_str() {
        "aws_backup_plan" => Some(ResourceKind::BackupPlan(plan(&reader, reader.raw.props.blocks("rule"), RuleKeys::TERRAFORM))),
        "AWS::Backup::BackupPlan" => {
            let rules = reader.node("BackupPlan").map(|plan| plan.blocks("BackupPlanRule")).unwrap_or_default();
            Some(ResourceKind::BackupPlan(plan(&reader, rules, RuleKeys::CLOUDFORMATION)))
        }
        "aws_backup_selection" => Some(ResourceKind::BackupSelection(terraform_selection(&reader))),
        "AWS::Backup::BackupSelection" => Some(ResourceKind::BackupSelection(cloudformation_selection(&reader))),
        _ => None,
    }
}

/// Key names of a backup rule, per dialect.
struct RuleKeys {
    lifecycle: &'static str,
    delete_after: &'static str,
    copy_actions: &'static str,
    destination: &'static str,
}

impl RuleKeys {
    const TERRAFORM: RuleKeys =
        RuleKeys { lifecycle: "lifecycle", delete_after: "delete_after", copy_actions: "copy_action", destination: "destination_vault_arn" };
    const CLOUDFORMATION: RuleKeys = RuleKeys {
        lifecycle: "Lifecycle",
        delete_after: "DeleteAfterDays",
        copy_actions: "CopyActions",
        destination: "DestinationBackupVaultArn",
    };
}

fn plan(reader: &Reader<'_>, rules: Vec<&Node>, keys: RuleKeys) -> BackupPlan {
    let location = rules.first().map(|rule| reader.location(rule)).unwrap_or_else(|| reader.resource_location());

    let mut min_retention: Option<u32> = None;
    let mut retention_unknown: Option<(String, &Node)> = None;
    let mut every_rule_copies = !rules.is_empty();
    let mut copy_destinations = Vec::new();
    for rule in &rules {
        if let Some(days) = rule.block(keys.lifecycle).and_then(|lifecycle| lifecycle.present(keys.delete_after)) {
            match days.as_i64().and_then(|days| u32::try_from(days).ok()) {
                Some(days) => min_retention = Some(min_retention.map_or(days, |min| min.min(days))),
                None => retention_unknown = Some((format!("`{}` is not a known number of days", keys.delete_after), days)),
            }
        }
        let copies = rule.blocks(keys.copy_actions);
        if copies.is_empty() {
            every_rule_copies = false;
        }
        for copy in copies {
            copy_destinations.push(destination_name(reader, copy.get(keys.destination)));
        }
    }

    let min_retention_days = match retention_unknown {
        Some((reason, node)) => Attr::unknown(reason, reader.location(node)),
        None if rules.is_empty() => Attr::default_value(None, location.clone()),
        None => Attr::explicit(min_retention, location.clone()),
    };
    BackupPlan { min_retention_days, copies_to_other_vault: Attr::explicit(every_rule_copies, location), copy_destinations }
}

/// Names a copy destination: the ARN, the linked vault, or a note that
/// the ARN is known only after apply.
fn destination_name(reader: &Reader<'_>, node: Option<&Node>) -> String {
    let Some(node) = node else { return "a vault whose ARN is missing".to_owned() };
    match &node.kind {
        NodeKind::String(arn) => arn.clone(),
        NodeKind::Ref { target, .. } => target.clone(),
        _ => {
            let links = reader.set.links(reader.raw, "rule.copy_action.destination_vault_arn");
            if links.is_empty() {
                "a vault whose ARN is known only at deploy time".to_owned()
            } else {
                links.join(", ")
            }
        }
    }
}

fn terraform_selection(reader: &Reader<'_>) -> BackupSelection {
    let plan = reader.set.links(reader.raw, "plan_id").into_iter().next().or_else(|| reader.string("plan_id").known().cloned().flatten());
    let tag_conditions = if reader.computed_by_provider("selection_tag") {
        Attr::default_value(Vec::new(), reader.resource_location())
    } else {
        tags(reader, reader.raw.props.blocks("selection_tag"), ["type", "key", "value"], reader.raw.props.present("selection_tag"))
    };
    let conditions = match reader.raw.props.block("condition") {
        Some(_) if reader.computed_by_provider("condition") => Attr::default_value(Vec::new(), reader.resource_location()),
        Some(block) => conditions(reader, block, terraform_operator_key, "key", "value"),
        None => Attr::default_value(Vec::new(), reader.resource_location()),
    };
    let not_resources = if reader.computed_by_provider("not_resources") {
        Attr::default_value(Vec::new(), reader.resource_location())
    } else {
        resource_list(reader, "not_resources")
    };
    BackupSelection { plan, resources: resource_list(reader, "resources"), tag_conditions, conditions, not_resources }
}

fn terraform_operator_key(operator: ConditionOperator) -> &'static str {
    match operator {
        ConditionOperator::StringEquals => "string_equals",
        ConditionOperator::StringNotEquals => "string_not_equals",
        ConditionOperator::StringLike => "string_like",
        ConditionOperator::StringNotLike => "string_not_like",
    }
}

fn cloudformation_selection(reader: &Reader<'_>) -> BackupSelection {
    let plan = reader.string("BackupPlanId").known().cloned().flatten();
    let selection = reader.node("BackupSelection");
    let tag_conditions = tags(
        reader,
        selection.map(|node| node.blocks("ListOfTags")).unwrap_or_default(),
        ["ConditionType", "ConditionKey", "ConditionValue"],
        selection.and_then(|node| node.present("ListOfTags")),
    );
    let conditions = match selection.and_then(|node| node.block("Conditions")) {
        Some(block) => conditions(reader, block, cloudformation_operator_key, "ConditionKey", "ConditionValue"),
        None => Attr::default_value(Vec::new(), reader.resource_location()),
    };
    BackupSelection {
        plan,
        resources: resource_list(reader, "BackupSelection.Resources"),
        tag_conditions,
        conditions,
        not_resources: resource_list(reader, "BackupSelection.NotResources"),
    }
}

fn cloudformation_operator_key(operator: ConditionOperator) -> &'static str {
    match operator {
        ConditionOperator::StringEquals => "StringEquals",
        ConditionOperator::StringNotEquals => "StringNotEquals",
        ConditionOperator::StringLike => "StringLike",
        ConditionOperator::StringNotLike => "StringNotLike",
    }
}

/// Reads a list of resource ARNs, ARN patterns or references. In
/// Terraform, a list that refers to other resources is known only after
/// apply, so the configuration references give the linked resources.
///
/// NOTE: when such a list also holds values computed from variables or
/// data sources, only its references and literal elements are kept.
fn resource_list(reader: &Reader<'_>, path: &str) -> Attr<Vec<String>> {
    let list = string_list(reader, path);
    if list.known().is_some() || reader.dialect() != Dialect::Terraform {
        return list;
    }
    let links = reader.set.links(reader.raw, path);
    if links.is_empty() {
        return list;
    }
    let mut values = literal_strings(reader, path);
    values.extend(links);
    Attr::explicit(values, list.location().clone())
}

/// Reads `selection_tag` or `ListOfTags`. AWS Backup accepts only the
/// `STRINGEQUALS` condition type there.
fn tags(reader: &Reader<'_>, items: Vec<&Node>, [type_key, key_key, value_key]: [&str; 3], list: Option<&Node>) -> Attr<Vec<TagCondition>> {
    let Some(list) = list else {
        return Attr::default_value(Vec::new(), reader.resource_location());
    };
    if let NodeKind::Unknown(reason) = &list.kind {
        return Attr::unknown(format!("the tag conditions are {reason}"), reader.location(list));
    }
    let mut conditions = Vec::new();
    for item in items {
        let condition_type = item.get(type_key).and_then(Node::as_str);
        let key = item.get(key_key).and_then(Node::as_str);
        let value = item.get(value_key).and_then(Node::as_str);
        match (condition_type, key, value) {
            (Some(condition_type), Some(key), Some(value)) if condition_type.eq_ignore_ascii_case("STRINGEQUALS") => {
                conditions.push(TagCondition { key: key.to_owned(), value: value.to_owned() });
            }
            (Some(condition_type), Some(_), Some(_)) => {
                return Attr::unknown(format!("a tag condition has the unsupported type `{condition_type}`"), reader.location(item));
            }
            _ => return Attr::unknown("a tag condition's type, key or value is not a known string", reader.location(item)),
        }
    }
    Attr::explicit(conditions, reader.location(list))
}

/// Reads the condition block: one list of key and value pairs per
/// operator, under the key that `operator_key` gives.
fn conditions(
    reader: &Reader<'_>,
    block: &Node,
    operator_key: fn(ConditionOperator) -> &'static str,
    key_key: &str,
    value_key: &str,
) -> Attr<Vec<SelectionCondition>> {
    if let NodeKind::Unknown(reason) = &block.kind {
        return Attr::unknown(format!("the selection conditions are {reason}"), reader.location(block));
    }
    let mut conditions = Vec::new();
    for operator in [
        ConditionOperator::StringEquals,
        ConditionOperator::StringNotEquals,
        ConditionOperator::StringLike,
        ConditionOperator::StringNotLike,
    ] {
        for test in block.blocks(operator_key(operator)) {
            let key = test.get(key_key).and_then(Node::as_str);
            let value = test.get(value_key).and_then(Node::as_str);
            let (Some(key), Some(value)) = (key, value) else {
                return Attr::unknown("a selection condition's key or value is not a known string", reader.location(test));
            };
            let Some(tag) = key.strip_prefix(RESOURCE_TAG_PREFIX) else {
                return Attr::unknown(
                    format!("the selection condition key `{key}` is not a resource tag (`{RESOURCE_TAG_PREFIX}...`)"),
                    reader.location(test),
                );
            };
            conditions.push(SelectionCondition { operator, key: tag.to_owned(), value: value.to_owned() });
        }
    }
    Attr::explicit(conditions, reader.location(block))
}
