//! Terraform's built-in functions, for the ones that shape the settings
//! rules read: collection helpers (`merge`, `lookup`, `concat`), type
//! conversions, string helpers, `jsonencode` for inline policies, and
//! `try` and `can` for optional values. Any other function gives an
//! unknown value that names it, never a guess.

use hcl_edit::expr::Expression;

use crate::node::{Node, NodeKind};

use super::eval::{contains_unknown, number_text, same, scalar_text, Evaluator, MapBuilder, MAX_STRING_BYTES};

/// The maximum length of a list from `range`, so a crafted call cannot
/// exhaust memory.
const MAX_RANGE: usize = 10_000;

pub(crate) fn call(evaluator: &mut Evaluator<'_>, name: &str, args: &[&Expression], expand_final: bool) -> Node {
    // `try` and `can` look at errors, so they evaluate their own arguments.
    match name {
        "try" => return try_call(evaluator, args),
        "can" => {
            let Some(argument) = args.first() else { return evaluator.error("`can` without an argument") };
            let before = evaluator.errors;
            let value = evaluator.eval(argument);
            return if evaluator.errors > before {
                evaluator.errors = before;
                evaluator.node(NodeKind::Bool(false))
            } else if let Some(reason) = value.unknown_reason() {
                evaluator.unknown(reason.to_owned())
            } else {
                evaluator.node(NodeKind::Bool(true))
            };
        }
        _ => {}
    }
    let mut values: Vec<Node> = args.iter().map(|argument| evaluator.eval(argument)).collect();
    if expand_final {
        match values.pop().map(|last| last.kind) {
            Some(NodeKind::Seq(items)) => values.extend(items),
            Some(NodeKind::Unknown(reason)) => return evaluator.unknown(reason),
            _ => return evaluator.error(format!("`{name}(...)` expands a value that is not a list")),
        }
    }
    // Functions that accept unknown arguments without becoming unknown.
    match name {
        "coalesce" => {
            for value in &values {
                if value.unknown_reason().is_some() {
                    return value.clone();
                }
                if !value.is_null() && value.as_str() != Some("") {
                    return value.clone();
                }
            }
            return evaluator.error("`coalesce` found no non-null argument");
        }
        "lookup" if values.len() >= 2 => {
            if let (Some(_), Some(key)) = (values[0].as_map(), scalar_text(&values[1])) {
                if let Some(found) = values[0].get(&key) {
                    return found.clone();
                }
                return match values.get(2) {
                    Some(default) => default.clone(),
                    None => evaluator.error(format!("`lookup` found no key `{key}`")),
                };
            }
        }
        "jsonencode" => return jsonencode(evaluator, values.first()),
        _ => {}
    }
    if let Some(unknown) = values.iter().find(|value| value.unknown_reason().is_some()) {
        return unknown.clone();
    }
    let text = |index: usize| values.get(index).and_then(scalar_text);
    let kind = match name {
        "merge" => {
            let mut merged = MapBuilder::default();
            for value in &values {
                match &value.kind {
                    NodeKind::Map(entries) => {
                        for (key, item) in entries {
                            merged.insert(key.clone(), item.clone());
                        }
                    }
                    NodeKind::Null => {}
                    _ => return evaluator.error(format!("`merge` of a {}", value.type_name())),
                }
            }
            NodeKind::Map(merged.finish())
        }
        "concat" => {
            let mut joined = Vec::new();
            for value in &values {
                match &value.kind {
                    NodeKind::Seq(items) => joined.extend(items.iter().cloned()),
                    _ => return evaluator.error(format!("`concat` of a {}", value.type_name())),
                }
            }
            NodeKind::Seq(joined)
        }
        "flatten" => {
            // An unknown element may be a list of any length, so the
            // flattened list is unknown. The walk uses its own stack because
            // a list built through a chain of locals can nest very deep.
            let mut out = Vec::new();
            let mut pending: Vec<&Node> = values.iter().rev().collect();
            while let Some(node) = pending.pop() {
                match &node.kind {
                    NodeKind::Seq(items) => pending.extend(items.iter().rev()),
                    NodeKind::Unknown(reason) => return evaluator.unknown(format!("`flatten` of a list with an element that is {reason}")),
                    _ => out.push(node.clone()),
                }
            }
            NodeKind::Seq(out)
        }
        "compact" => match values.first().map(|value| &value.kind) {
            Some(NodeKind::Seq(items)) => {
                // An unknown element may be null or empty, which `compact`
                // would drop.
                if let Some(reason) = items.iter().find_map(Node::unknown_reason) {
                    return evaluator.unknown(format!("`compact` of a list with an element that is {reason}"));
                }
                NodeKind::Seq(items.iter().filter(|item| !item.is_null() && item.as_str() != Some("")).cloned().collect())
            }
            _ => return evaluator.error("`compact` of a value that is not a list"),
        },
        "distinct" | "toset" => match values.first().map(|value| &value.kind) {
            Some(NodeKind::Seq(items)) => match distinct(evaluator, items) {
                Some(unique) => NodeKind::Seq(unique),
                None => return evaluator.unknown(format!("`{name}` of a list whose elements are not all known, so duplicates cannot be told apart")),
            },
            Some(NodeKind::Null) => NodeKind::Null,
            _ => return evaluator.error(format!("`{name}` of a value that is not a list")),
        },
        "tolist" | "tomap" | "tostring" | "tonumber" | "tobool" | "sensitive" | "nonsensitive" => {
            match values.into_iter().next() {
                Some(value) => return value,
                None => return evaluator.error(format!("`{name}` without an argument")),
            }
        }
        "one" => match values.first().map(|value| &value.kind) {
            Some(NodeKind::Seq(items)) if items.is_empty() => NodeKind::Null,
            Some(NodeKind::Seq(items)) if items.len() == 1 => return items[0].clone(),
            _ => return evaluator.error("`one` of a list with more than one element"),
        },
        "length" => match values.first().map(|value| &value.kind) {
            Some(NodeKind::Seq(items)) => NodeKind::Number(items.len() as f64),
            Some(NodeKind::Map(entries)) => NodeKind::Number(entries.len() as f64),
            Some(NodeKind::String(text)) => NodeKind::Number(text.chars().count() as f64),
            _ => return evaluator.error("`length` of a value without a length"),
        },
        "keys" => match values.first().and_then(Node::as_map) {
            Some(entries) => {
                let mut keys: Vec<&String> = entries.iter().map(|(key, _)| key).collect();
                keys.sort();
                NodeKind::Seq(keys.into_iter().map(|key| evaluator.node(NodeKind::String(key.clone()))).collect())
            }
            None => return evaluator.error("`keys` of a value that is not a map"),
        },
        "values" => match values.first().and_then(Node::as_map) {
            Some(entries) => {
                let mut sorted: Vec<&(String, Node)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                NodeKind::Seq(sorted.into_iter().map(|(_, value)| value.clone()).collect())
            }
            None => return evaluator.error("`values` of a value that is not a map"),
        },
        "contains" => match (values.first().map(|value| &value.kind), values.get(1)) {
            (Some(NodeKind::Seq(items)), Some(wanted)) => {
                let mut found = Some(false);
                for item in items {
                    match same(item, wanted) {
                        Some(true) => {
                            found = Some(true);
                            break;
                        }
                        None => found = None,
                        Some(false) => {}
                    }
                }
                match found {
                    Some(found) => NodeKind::Bool(found),
                    None => return evaluator.unknown("`contains` of a list or value that is not fully known"),
                }
            }
            _ => return evaluator.error("`contains` of a value that is not a list"),
        },
        "element" => match (values.first().map(|value| &value.kind), values.get(1).and_then(Node::as_i64)) {
            (Some(NodeKind::Seq(items)), Some(index)) if !items.is_empty() && index >= 0 => {
                return items[index as usize % items.len()].clone()
            }
            _ => return evaluator.error("`element` of an empty list or with a bad index"),
        },
        "zipmap" => match (values.first().and_then(Node::as_seq), values.get(1).and_then(Node::as_seq)) {
            (Some(keys), Some(items)) if keys.len() == items.len() => {
                let mut map = Vec::new();
                for (key, item) in keys.iter().zip(items) {
                    if let Some(reason) = key.unknown_reason() {
                        return evaluator.unknown(format!("`zipmap` with a key that is {reason}"));
                    }
                    let Some(key) = scalar_text(key) else { return evaluator.error("`zipmap` with a key that is not a string") };
                    map.push((key, item.clone()));
                }
                NodeKind::Map(map)
            }
            _ => return evaluator.error("`zipmap` of lists of different lengths"),
        },
        "range" => {
            // Every argument must be a number, because skipping one would shift the
            // others into the wrong places.
            let Some(numbers) = values.iter().map(finite_number).collect::<Option<Vec<f64>>>() else {
                return evaluator.error("`range` with an argument that is not a finite number");
            };
            let (start, end, step) = match numbers.as_slice() {
                [end] => (0.0, *end, 1.0),
                [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
                [start, end, step] if *step != 0.0 => (*start, *end, *step),
                _ => return evaluator.error("`range` needs one to three numbers and a step that is not zero"),
            };
            let mut items = Vec::new();
            let mut current = start;
            while (step > 0.0 && current < end) || (step < 0.0 && current > end) {
                if items.len() >= MAX_RANGE {
                    return evaluator.unknown(format!("a `range` longer than {MAX_RANGE} elements"));
                }
                items.push(evaluator.node(NodeKind::Number(current)));
                current += step;
            }
            NodeKind::Seq(items)
        }
        "min" | "max" => {
            let numbers: Option<Vec<f64>> = values.iter().map(finite_number).collect();
            match numbers {
                Some(numbers) if !numbers.is_empty() => {
                    let pick = if name == "min" { f64::min } else { f64::max };
                    NodeKind::Number(numbers.into_iter().reduce(pick).unwrap_or_default())
                }
                _ => return evaluator.error(format!("`{name}` of values that are not numbers")),
            }
        }
        "abs" => match values.first().map(|value| &value.kind) {
            Some(NodeKind::Number(value)) => NodeKind::Number(value.abs()),
            _ => return evaluator.error("`abs` of a value that is not a number"),
        },
        "lower" | "upper" | "trimspace" => match text(0) {
            Some(value) => NodeKind::String(match name {
                "lower" => value.to_lowercase(),
                "upper" => value.to_uppercase(),
                _ => value.trim().to_owned(),
            }),
            None => return evaluator.error(format!("`{name}` of a value that is not a string")),
        },
        "startswith" | "endswith" => match (text(0), text(1)) {
            (Some(value), Some(affix)) => {
                NodeKind::Bool(if name == "startswith" { value.starts_with(&affix) } else { value.ends_with(&affix) })
            }
            _ => return evaluator.error(format!("`{name}` of values that are not strings")),
        },
        "join" => match (text(0), values.get(1).and_then(Node::as_seq)) {
            (Some(separator), Some(items)) => {
                if let Some(reason) = items.iter().find_map(Node::unknown_reason) {
                    return evaluator.unknown(reason.to_owned());
                }
                let parts: Option<Vec<String>> = items.iter().map(scalar_text).collect();
                match parts {
                    Some(parts) => {
                        let length = parts.iter().map(|part| part.len() + separator.len()).sum::<usize>();
                        if length > MAX_STRING_BYTES {
                            return evaluator.too_long("the result of `join`");
                        }
                        NodeKind::String(parts.join(&separator))
                    }
                    None => return evaluator.error("`join` of a list with values that are not strings"),
                }
            }
            _ => return evaluator.error("`join` needs a separator and a list"),
        },
        "split" => match (text(0), text(1)) {
            (Some(separator), Some(value)) if !separator.is_empty() => NodeKind::Seq(
                value.split(separator.as_str()).map(|part| evaluator.node(NodeKind::String(part.to_owned()))).collect(),
            ),
            _ => return evaluator.error("`split` needs a separator and a string"),
        },
        // A replacement written between slashes is a regular expression,
        // which phiguard does not run.
        "replace" => match (text(0), text(1), text(2)) {
            (Some(value), Some(search), Some(replacement)) if !(search.starts_with('/') && search.ends_with('/')) => {
                // Each match can grow the text, so the length is checked
                // before the new string is built.
                let matches = if search.is_empty() { value.chars().count() + 1 } else { value.matches(search.as_str()).count() };
                let length = value.len() + matches.saturating_mul(replacement.len());
                if length > MAX_STRING_BYTES {
                    return evaluator.too_long("the result of `replace`");
                }
                NodeKind::String(value.replace(&search, &replacement))
            }
            _ => return evaluator.unknown("the result of `replace` with a regular expression"),
        },
        "format" => match format(&values) {
            Some(formatted) if formatted.len() > MAX_STRING_BYTES => return evaluator.too_long("the result of `format`"),
            Some(formatted) => NodeKind::String(formatted),
            None => return evaluator.unknown("the result of a `format` call that phiguard does not evaluate"),
        },
        "jsondecode" => match text(0).and_then(|value| serde_json::from_str::<serde_json::Value>(&value).ok()) {
            Some(json) => return from_json(evaluator, &json),
            None => return evaluator.error("`jsondecode` of a string that is not JSON"),
        },
        _ => return evaluator.unknown(format!("the result of the function `{name}`, which phiguard does not evaluate")),
    };
    evaluator.node(kind)
}

/// Reads a finite number, accepting numeric strings as Terraform converts
/// them.
fn finite_number(value: &Node) -> Option<f64> {
    let number = match &value.kind {
        NodeKind::Number(number) => *number,
        NodeKind::String(text) => text.trim().parse().ok()?,
        _ => return None,
    };
    number.is_finite().then_some(number)
}

fn try_call(evaluator: &mut Evaluator<'_>, args: &[&Expression]) -> Node {
    let before = evaluator.errors;
    for argument in args {
        let errors = evaluator.errors;
        let value = evaluator.eval(argument);
        if evaluator.errors == errors {
            evaluator.errors = before;
            return value;
        }
    }
    evaluator.errors = before;
    evaluator.error("no argument of `try` evaluates without an error")
}

/// `format` with the `%s`, `%d`, `%v` and `%%` verbs.
fn format(values: &[Node]) -> Option<String> {
    let pattern = values.first()?.as_str()?;
    let mut arguments = values[1..].iter();
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(character) = chars.next() {
        if character != '%' {
            out.push(character);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(&scalar_text(arguments.next()?)?),
            _ => return None,
        }
        // Stop early: the caller reports the string as too long.
        if out.len() > MAX_STRING_BYTES {
            break;
        }
    }
    Some(out)
}

/// JSON-encodes a value. Unknown values under a policy's `Resource` or
/// `NotResource` key become placeholder strings, because statements
/// usually name resources created in the same configuration and the rules
/// never read resource ARNs. An unknown value anywhere else makes the
/// whole document unknown.
fn jsonencode(evaluator: &mut Evaluator<'_>, value: Option<&Node>) -> Node {
    fn unknown_outside_resources(node: &Node, under_resource: bool) -> Option<&str> {
        match &node.kind {
            NodeKind::Unknown(reason) if !under_resource => Some(reason),
            NodeKind::Seq(items) => items.iter().find_map(|item| unknown_outside_resources(item, under_resource)),
            NodeKind::Map(entries) => entries.iter().find_map(|(key, item)| {
                unknown_outside_resources(item, under_resource || key == "Resource" || key == "NotResource")
            }),
            _ => None,
        }
    }
    let Some(value) = value else { return evaluator.error("`jsonencode` without an argument") };
    if let Some(reason) = unknown_outside_resources(value, false) {
        return evaluator.unknown(reason.to_owned());
    }
    let encoded = value.to_json().to_string();
    if encoded.len() > MAX_STRING_BYTES {
        return evaluator.too_long("the result of `jsonencode`");
    }
    evaluator.node(NodeKind::String(encoded))
}

/// Removes duplicate elements, or returns `None` when an element that is not
/// fully known could equal another one. Scalars are compared by their
/// text, because Terraform converts a set's elements to one type. Lists and
/// objects are compared pairwise, and each comparison is counted as work.
fn distinct(evaluator: &Evaluator<'_>, items: &[Node]) -> Option<Vec<Node>> {
    let mut unique: Vec<Node> = Vec::new();
    let mut seen_scalars = std::collections::HashSet::new();
    for item in items {
        if contains_unknown(item) {
            return None;
        }
        match scalar_text(item) {
            Some(text) => {
                if seen_scalars.insert(text) {
                    unique.push(item.clone());
                }
            }
            None => {
                evaluator.spend(unique.len() as u64);
                if !unique.iter().any(|seen| same(seen, item) == Some(true)) {
                    unique.push(item.clone());
                }
            }
        }
    }
    Some(unique)
}

fn from_json(evaluator: &Evaluator<'_>, value: &serde_json::Value) -> Node {
    use serde_json::Value;
    let kind = match value {
        Value::Null => NodeKind::Null,
        Value::Bool(flag) => NodeKind::Bool(*flag),
        Value::Number(number) => match number.as_f64() {
            Some(number) => NodeKind::Number(number),
            None => NodeKind::String(number_text(0.0)),
        },
        Value::String(text) => NodeKind::String(text.clone()),
        Value::Array(items) => NodeKind::Seq(items.iter().map(|item| from_json(evaluator, item)).collect()),
        Value::Object(map) => NodeKind::Map(map.iter().map(|(key, item)| (key.clone(), from_json(evaluator, item))).collect()),
    };
    evaluator.node(kind)
}
