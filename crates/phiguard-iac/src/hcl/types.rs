//! Conversion of an input variable's value to its type constraint, as
//! Terraform converts it before any expression reads the variable. It
//! matters for verdicts because `optional(bool, false)` fills in an
//! attribute that `try(var.settings.encrypted, true)` or `lookup` would
//! otherwise replace with its own fallback, and because an object type
//! drops attributes that it does not declare.

use hcl_edit::expr::{Expression, ObjectKey};

use crate::node::{Node, NodeKind};

use super::eval::{number_text, Evaluator};

/// Converts `value` to the type written in `constraint`. Parts of the value
/// or of the constraint that phiguard does not model are left as they are.
pub(crate) fn convert(evaluator: &mut Evaluator<'_>, value: Node, constraint: &Expression) -> Node {
    if value.unknown_reason().is_some() || value.is_null() {
        return value;
    }
    match constraint {
        Expression::Variable(name) => convert_primitive(value, name.value().as_str()),
        Expression::FuncCall(call) => {
            let name = call.name.name.value().as_str();
            let arguments: Vec<&Expression> = call.args.iter().collect();
            match (name, arguments.as_slice()) {
                ("object", [Expression::Object(attributes)]) => convert_object(evaluator, value, attributes),
                ("list" | "set" | "map", [element]) => convert_elements(evaluator, value, element),
                ("tuple", [Expression::Array(elements)]) => convert_tuple(evaluator, value, elements),
                _ => value,
            }
        }
        _ => value,
    }
}

fn convert_primitive(value: Node, type_name: &str) -> Node {
    let kind = match (type_name, &value.kind) {
        ("bool", NodeKind::String(text)) if text == "true" || text == "false" => NodeKind::Bool(text == "true"),
        ("number", NodeKind::String(text)) => match text.trim().parse::<f64>() {
            Ok(number) => NodeKind::Number(number),
            Err(_) => return value,
        },
        ("string", NodeKind::Number(number)) => NodeKind::String(number_text(*number)),
        ("string", NodeKind::Bool(flag)) => NodeKind::String(flag.to_string()),
        _ => return value,
    };
    Node::new(kind, value.line, value.column)
}

fn convert_object(evaluator: &mut Evaluator<'_>, value: Node, attributes: &hcl_edit::expr::Object) -> Node {
    let (line, column) = (value.line, value.column);
    let NodeKind::Map(mut entries) = value.kind else { return value };
    let mut converted = Vec::new();
    for (key, attribute) in attributes.iter() {
        let ObjectKey::Ident(name) = key else { continue };
        let name = name.value().as_str();
        let optional = match attribute.expr() {
            Expression::FuncCall(call) if call.name.name.value().as_str() == "optional" => Some(call.args.iter().collect::<Vec<_>>()),
            _ => None,
        };
        let (attribute_type, default) = match &optional {
            Some(arguments) => (arguments.first().copied(), arguments.get(1).copied()),
            None => (Some(attribute.expr()), None),
        };
        let is_optional = optional.is_some();
        let given = entries.iter().position(|(existing, _)| existing == name).map(|index| entries.swap_remove(index).1);
        let item = match (given, default) {
            (Some(item), _) if !item.is_null() || !is_optional => item,
            // An optional attribute that is absent or null takes its
            // default, or null without one.
            (_, Some(default)) => {
                let mut default = evaluator.eval_at(default, line, column);
                default.line = line;
                default.column = column;
                default
            }
            (_, None) if is_optional => Node::new(NodeKind::Null, line, column),
            // Terraform rejects a value without a required attribute, so
            // the attribute stays missing here.
            (_, None) => continue,
        };
        let item = match attribute_type {
            Some(attribute_type) => convert(evaluator, item, attribute_type),
            None => item,
        };
        converted.push((name.to_owned(), item));
    }
    // Attributes that the type does not declare are dropped, as Terraform
    // drops them.
    Node::new(NodeKind::Map(converted), line, column)
}

fn convert_elements(evaluator: &mut Evaluator<'_>, value: Node, element: &Expression) -> Node {
    let (line, column) = (value.line, value.column);
    let kind = match value.kind {
        NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().map(|item| convert(evaluator, item, element)).collect()),
        NodeKind::Map(entries) => {
            NodeKind::Map(entries.into_iter().map(|(key, item)| (key, convert(evaluator, item, element))).collect())
        }
        other => other,
    };
    Node::new(kind, line, column)
}

fn convert_tuple(evaluator: &mut Evaluator<'_>, value: Node, elements: &hcl_edit::expr::Array) -> Node {
    let (line, column) = (value.line, value.column);
    let NodeKind::Seq(items) = value.kind else { return value };
    let converted = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match elements.iter().nth(index) {
            Some(element) => convert(evaluator, item, element),
            None => item,
        })
        .collect();
    Node::new(NodeKind::Seq(converted), line, column)
}
