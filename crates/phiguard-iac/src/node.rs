//! `Node`: the input-neutral value tree that the JSON and YAML parsers build,
//! with the line and column of every value.
//!
//! Adapters read resource properties through it. Two kinds exist only after
//! resolution: `Unknown` (a value known only after apply, or an unresolved
//! parameter) and `Ref` (a link to another resource in the same input).

/// A value with its position in the input (1-based line and column).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Seq(Vec<Node>),
    /// Keys in input order. Lookups are linear, which is faster than hashing
    /// for the small objects that resource properties are.
    Map(Vec<(String, Node)>),
    /// A value that cannot be known from the input; the string gives the reason.
    Unknown(String),
    /// A reference to another resource of the same input, by Terraform
    /// address or CloudFormation logical id, with the attribute read from it.
    Ref { target: String, attribute: Option<String> },
}

impl Node {
    pub fn new(kind: NodeKind, line: u32, column: u32) -> Self {
        Self { kind, line, column }
    }

    /// Returns the value under `key` when this is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.kind {
            NodeKind::Map(entries) => entries.iter_mut().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// Returns a nested block: Terraform writes a nested block as a list of
    /// objects and CloudFormation as an object, so this returns the first
    /// element of a list, or the object itself. A null or an empty list is
    /// `None`, like an absent key.
    pub fn block(&self, key: &str) -> Option<&Node> {
        let value = self.get(key)?;
        match &value.kind {
            NodeKind::Seq(items) => items.first(),
            NodeKind::Null => None,
            _ => Some(value),
        }
    }

    /// Returns every element of a nested block list (or the single object).
    pub fn blocks(&self, key: &str) -> Vec<&Node> {
        match self.get(key).map(|value| &value.kind) {
            Some(NodeKind::Seq(items)) => items.iter().collect(),
            Some(NodeKind::Null) | None => Vec::new(),
            Some(_) => vec![self.get(key).expect("checked above")],
        }
    }

    /// Returns the value under `key` unless it is absent or null.
    pub fn present(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|value| !value.is_null())
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(text) => Some(text),
            _ => None,
        }
    }

    /// Reads a boolean, accepting the strings `"true"` and `"false"` that
    /// CloudFormation templates often use.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Bool(value) => Some(*value),
            NodeKind::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            NodeKind::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// Reads an integer, accepting numeric strings.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.kind {
            NodeKind::Number(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => Some(*value as i64),
            NodeKind::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(String, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Returns the reason when the value is unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Unknown(reason) => Some(reason),
            _ => None,
        }
    }

    /// Returns a short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Seq(_) => "list",
            NodeKind::Map(_) => "object",
            NodeKind::Unknown(_) => "unknown value",
            NodeKind::Ref { .. } => "reference",
        }
    }

    /// Converts the tree to `serde_json::Value`, for policy documents that
    /// rules parse. Unknown values and references become strings that name
    /// them, so a policy with an unresolved ARN still parses.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(value) => Value::Bool(*value),
            NodeKind::Number(value) => serde_json::Number::from_f64(*value).map(Value::Number).unwrap_or(Value::Null),
            NodeKind::String(text) => Value::String(text.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                Value::Object(entries.iter().map(|(key, value)| (key.clone(), value.to_json())).collect())
            }
            NodeKind::Unknown(reason) => Value::String(format!("<unknown: {reason}>")),
            NodeKind::Ref { target, attribute } => match attribute {
                Some(attribute) => Value::String(format!("<ref {target}.{attribute}>")),
                None => Value::String(format!("<ref {target}>")),
            },
        }
    }
}
