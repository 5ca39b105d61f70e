//! Test support: turns the Terraform HCL examples in rule documentation into
//! plan JSON, the way `terraform show -json` shows a plan that creates them,
//! so the examples users read are the inputs the tests scan.
//!
//! Literal values become planned values. A reference such as
//! `aws_kms_key.k.arn` becomes a value known only after apply, with the
//! reference recorded in the configuration section, as Terraform records it.

use hcl::expr::{Expression, TraversalOperator};
use hcl::structure::{Body, Structure};
use serde_json::{json, Map, Value};

/// Converts an HCL example with `resource` blocks to plan JSON.
pub fn plan_from_hcl(source: &str) -> String {
    let body: Body = hcl::parse(source).unwrap_or_else(|error| panic!("example is not valid HCL: {error}\n{source}"));
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut configuration = Vec::new();
    for structure in body.iter() {
        let Structure::Block(block) = structure else { continue };
        if block.identifier.as_str() != "resource" || block.labels.len() != 2 {
            continue;
        }
        let resource_type = block.labels[0].as_str().to_owned();
        let name = block.labels[1].as_str().to_owned();
        let address = format!("{resource_type}.{name}");
        let (values, unknown, expressions) = convert_body(&block.body);
        planned.push(json!({"address": address, "mode": "managed", "type": resource_type, "name": name, "values": values}));
        changes.push(json!({
            "address": address, "mode": "managed", "type": resource_type, "name": name,
            "change": {"actions": ["create"], "before": null, "after": values, "after_unknown": unknown}
        }));
        configuration.push(json!({"address": address, "mode": "managed", "type": resource_type, "name": name, "expressions": expressions}));
    }
    let plan = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": configuration}}
    });
    serde_json::to_string_pretty(&plan).expect("plan JSON serializes")
}

/// Returns `(values, after_unknown, expressions)` for a block body.
fn convert_body(body: &Body) -> (Value, Value, Value) {
    let mut values = Map::new();
    let mut unknown = Map::new();
    let mut expressions = Map::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key = attribute.key.as_str().to_owned();
                let references = references(&attribute.expr);
                match literal(&attribute.expr) {
                    Some(value) => {
                        values.insert(key.clone(), value.clone());
                        expressions.insert(key, json!({"constant_value": value}));
                    }
                    None => {
                        values.insert(key.clone(), Value::Null);
                        unknown.insert(key.clone(), Value::Bool(true));
                        expressions.insert(key, json!({"references": references}));
                    }
                }
            }
            Structure::Block(block) => {
                let key = block.identifier.as_str().to_owned();
                let (block_values, block_unknown, block_expressions) = convert_body(&block.body);
                push(&mut values, &key, block_values);
                push(&mut unknown, &key, block_unknown);
                push(&mut expressions, &key, block_expressions);
            }
        }
    }
    (Value::Object(values), Value::Object(unknown), Value::Object(expressions))
}

fn push(map: &mut Map<String, Value>, key: &str, value: Value) {
    match map.entry(key.to_owned()).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(items) => items.push(value),
        _ => unreachable!("blocks are stored as lists"),
    }
}

/// Returns the JSON value of an expression made only of literals.
fn literal(expression: &Expression) -> Option<Value> {
    match expression {
        Expression::Null => Some(Value::Null),
        Expression::Bool(value) => Some(Value::Bool(*value)),
        Expression::Number(number) => serde_json::to_value(number).ok(),
        Expression::String(text) => Some(Value::String(text.clone())),
        Expression::Array(items) => items.iter().map(literal).collect::<Option<Vec<_>>>().map(Value::Array),
        Expression::Object(object) => {
            let mut map = Map::new();
            for (key, value) in object {
                map.insert(key.to_string().trim_matches('"').to_owned(), literal(value)?);
            }
            Some(Value::Object(map))
        }
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            let value = literal(call.args.first()?)?;
            Some(Value::String(value.to_string()))
        }
        _ => None,
    }
}

/// Collects `type.name` and `type.name.attribute` references.
fn references(expression: &Expression) -> Vec<String> {
    let mut found = Vec::new();
    collect_references(expression, &mut found);
    found
}

fn collect_references(expression: &Expression, found: &mut Vec<String>) {
    match expression {
        Expression::Traversal(traversal) => {
            if let Expression::Variable(root) = &traversal.expr {
                let mut path = root.as_str().to_owned();
                for operator in &traversal.operators {
                    if let TraversalOperator::GetAttr(name) = operator {
                        path.push('.');
                        path.push_str(name.as_str());
                        found.push(path.clone());
                    } else {
                        break;
                    }
                }
            }
        }
        Expression::Array(items) => items.iter().for_each(|item| collect_references(item, found)),
        Expression::Object(object) => object.values().for_each(|value| collect_references(value, found)),
        Expression::FuncCall(call) => call.args.iter().for_each(|arg| collect_references(arg, found)),
        Expression::TemplateExpr(template) => {
            let text = template.to_string();
            let mut rest = text.as_str();
            while let Some(start) = rest.find("${") {
                let inner = &rest[start + 2..];
                let end = inner.find('}').unwrap_or(inner.len());
                let parts: Vec<&str> = inner[..end].trim().split('.').collect();
                for length in 2..=parts.len() {
                    found.push(parts[..length].join("."));
                }
                rest = &inner[end..];
            }
        }
        _ => {}
    }
    // Terraform lists the resource itself as well as its attribute.
    let mut extra = Vec::new();
    for reference in found.iter() {
        let parts: Vec<&str> = reference.split('.').collect();
        if parts.len() > 2 {
            extra.push(parts[..2].join("."));
        }
    }
    for reference in extra {
        if !found.contains(&reference) {
            found.push(reference);
        }
    }
}
