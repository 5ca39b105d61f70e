//! IAM policy documents from either input: Terraform writes them as JSON
//! strings, CloudFormation as objects.

use phiguard_model::services::{Condition, Effect, PolicyDocument, Statement};
use phiguard_model::{Attr, Location};

use crate::node::{Node, NodeKind};

/// Parses a policy document node (a JSON string or an object). Returns an
/// unknown attribute when the document is computed or malformed.
pub fn read_policy(node: &Node, location: Location) -> Attr<PolicyDocument> {
    let owned;
    let document = match &node.kind {
        NodeKind::String(text) => match crate::json::parse(text) {
            Ok(parsed) => {
                owned = parsed;
                &owned
            }
            Err(error) => return Attr::unknown(format!("the policy is not valid JSON ({error})"), location),
        },
        NodeKind::Map(_) => node,
        NodeKind::Unknown(reason) => return Attr::unknown(format!("the policy is {reason}"), location),
        _ => return Attr::unknown(format!("the policy is a {}, expected a JSON document", node.type_name()), location),
    };
    match parse_document(document) {
        Ok(parsed) => Attr::explicit(parsed, location),
        Err(reason) => Attr::unknown(reason, location),
    }
}

fn parse_document(document: &Node) -> Result<PolicyDocument, String> {
    let statements = match document.get("Statement") {
        Some(node) => match &node.kind {
            NodeKind::Seq(items) => items.iter().collect::<Vec<_>>(),
            NodeKind::Map(_) => vec![node],
            NodeKind::Unknown(reason) => return Err(format!("the policy statements are {reason}")),
            _ => return Err("the policy's `Statement` is neither a list nor an object".to_owned()),
        },
        None => Vec::new(),
    };
    let mut parsed = Vec::new();
    for statement in statements {
        let effect = match statement.get("Effect").and_then(Node::as_str) {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            Some(other) => return Err(format!("a statement has the invalid effect `{other}`")),
            None => return Err("a statement has no known `Effect`".to_owned()),
        };
        let mut principals = Vec::new();
        if let Some(principal) = statement.get("Principal") {
            match &principal.kind {
                NodeKind::String(text) => principals.push(text.clone()),
                NodeKind::Map(entries) => {
                    for (_, value) in entries {
                        principals.extend(strings(Some(value)));
                    }
                }
                _ => principals.extend(strings(Some(principal))),
            }
        }
        let mut conditions = Vec::new();
        for (operator, tests) in statement.get("Condition").and_then(Node::as_map).unwrap_or_default() {
            for (key, values) in tests.as_map().unwrap_or_default() {
                conditions.push(Condition { operator: operator.clone(), key: key.clone(), values: strings(Some(values)) });
            }
        }
        parsed.push(Statement {
            effect,
            actions: strings(statement.get("Action")),
            not_actions: strings(statement.get("NotAction")),
            resources: strings(statement.get("Resource")),
            principals,
            conditions,
        });
    }
    Ok(PolicyDocument { statements: parsed })
}

/// Reads a string or a list of strings; booleans and numbers become their
/// text, because condition values such as `false` appear in both forms.
fn strings(node: Option<&Node>) -> Vec<String> {
    let Some(node) = node else { return Vec::new() };
    match &node.kind {
        NodeKind::Seq(items) => items.iter().flat_map(|item| strings(Some(item))).collect(),
        NodeKind::String(text) => vec![text.clone()],
        NodeKind::Bool(value) => vec![value.to_string()],
        NodeKind::Number(_) => vec![node.to_json().to_string()],
        NodeKind::Ref { target, .. } => vec![target.clone()],
        NodeKind::Unknown(reason) => vec![format!("<unknown: {reason}>")],
        _ => Vec::new(),
    }
}
