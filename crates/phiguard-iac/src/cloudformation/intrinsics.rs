//! Evaluation of CloudFormation intrinsic functions and conditions against
//! parameter defaults and mappings.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};

use crate::error::ParseError;
use crate::node::{Node, NodeKind};

/// A three-valued condition result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn from_bool(value: bool) -> Tri {
        if value {
            Tri::True
        } else {
            Tri::False
        }
    }
}

/// Pseudo parameters whose value is known only when a stack is deployed.
const DEPLOY_TIME_PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// Bounds the nesting of intrinsic functions and conditions being evaluated
/// at once. Conditions and functions can refer to each other (`Fn::Equals`
/// over an `Fn::If` over a condition), so a cycle in a template would
/// otherwise recurse until the stack overflows.
const MAX_EVALUATION_DEPTH: usize = 128;

/// The size, in nodes plus string bytes, that resolving a template may
/// create, as a multiple of the template's own size. `Fn::Sub` and `Ref`
/// copy parameter defaults, so a small template could otherwise expand to
/// gigabytes.
const EXPANSION_FACTOR: usize = 32;

/// The expansion allowed even for a tiny template.
const MIN_EXPANSION_BUDGET: usize = 16 << 20;

pub(crate) struct Template<'a> {
    parameters: HashMap<&'a str, Option<&'a Node>>,
    /// The size of each parameter's default, charged when a `Ref` copies it.
    parameter_weights: HashMap<&'a str, usize>,
    mappings: Option<&'a Node>,
    conditions: HashMap<&'a str, &'a Node>,
    pub(crate) resources: &'a [(String, Node)],
    resource_ids: HashSet<&'a str>,
    /// How many evaluations are nested right now.
    depth: Cell<usize>,
    /// The remaining expansion budget.
    budget: Cell<usize>,
    /// Condition results, keyed by condition name and the assumed values.
    condition_cache: RefCell<HashMap<(String, String), Tri>>,
}

/// Returns the size of a value: one per node plus the bytes of its strings.
fn weight(node: &Node) -> usize {
    match &node.kind {
        NodeKind::String(text) => 1 + text.len(),
        NodeKind::Seq(items) => 1 + items.iter().map(weight).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|(key, value)| key.len() + weight(value)).sum::<usize>(),
        _ => 1,
    }
}

/// Decrements the evaluation depth when an evaluation returns.
struct DepthGuard<'t>(&'t Cell<usize>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl<'a> Template<'a> {
    pub(crate) fn new(root: &'a Node) -> Result<Self, ParseError> {
        let resources_node = root.get("Resources").ok_or_else(|| ParseError::general("missing `Resources`"))?;
        let resources = resources_node.as_map().ok_or_else(|| {
            ParseError::at(
                format!("`Resources` must be an object of logical ids, found a {}", resources_node.type_name()),
                resources_node.line,
                resources_node.column,
            )
        })?;
        let mut parameters = HashMap::new();
        let mut parameter_weights = HashMap::new();
        for (name, parameter) in root.get("Parameters").and_then(Node::as_map).unwrap_or_default() {
            let default = parameter.get("Default");
            parameters.insert(name.as_str(), default);
            parameter_weights.insert(name.as_str(), default.map(weight).unwrap_or(1));
        }
        let mut conditions = HashMap::new();
        for (name, condition) in root.get("Conditions").and_then(Node::as_map).unwrap_or_default() {
            conditions.insert(name.as_str(), condition);
        }
        let budget = weight(root).saturating_mul(EXPANSION_FACTOR).max(MIN_EXPANSION_BUDGET);
        Ok(Self {
            parameters,
            parameter_weights,
            mappings: root.get("Mappings"),
            conditions,
            resources,
            resource_ids: resources.iter().map(|(logical_id, _)| logical_id.as_str()).collect(),
            depth: Cell::new(0),
            budget: Cell::new(budget),
            condition_cache: RefCell::new(HashMap::new()),
        })
    }

    fn is_resource(&self, name: &str) -> bool {
        self.resource_ids.contains(name)
    }

    /// Enters one level of evaluation, or returns `None` past the limit.
    fn enter(&self) -> Option<DepthGuard<'_>> {
        if self.depth.get() >= MAX_EVALUATION_DEPTH {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        Some(DepthGuard(&self.depth))
    }

    /// Takes `amount` from the expansion budget; false when it is spent.
    fn spend(&self, amount: usize) -> bool {
        match self.budget.get().checked_sub(amount) {
            Some(rest) => {
                self.budget.set(rest);
                true
            }
            None => {
                self.budget.set(0);
                false
            }
        }
    }

    /// Returns the sorted names of conditions that `Fn::If` or a resource's
    /// `Condition` uses and that cannot be evaluated.
    pub(crate) fn unknown_conditions(&self) -> Vec<String> {
        let mut used = BTreeSet::new();
        for (_, resource) in self.resources {
            if let Some(name) = resource.get("Condition").and_then(Node::as_str) {
                used.insert(name.to_owned());
            }
            if let Some(properties) = resource.get("Properties") {
                collect_if_conditions(properties, &mut used);
            }
        }
        let empty = HashMap::new();
        used.into_iter().filter(|name| self.condition(name, &empty) == Tri::Unknown).collect()
    }

    pub(crate) fn condition(&self, name: &str, assumed: &HashMap<&str, bool>) -> Tri {
        self.condition_at(name, assumed, 0)
    }

    fn condition_at(&self, name: &str, assumed: &HashMap<&str, bool>, depth: usize) -> Tri {
        if let Some(&value) = assumed.get(name) {
            return Tri::from_bool(value);
        }
        let mut assumptions: Vec<String> = assumed.iter().map(|(name, value)| format!("{name}={value}")).collect();
        assumptions.sort();
        let key = (name.to_owned(), assumptions.join(","));
        if let Some(&cached) = self.condition_cache.borrow().get(&key) {
            return cached;
        }
        let result = match (self.conditions.get(name), self.enter()) {
            (Some(node), Some(_guard)) => self.evaluate(node, assumed, depth + 1),
            // A condition that refers to itself, directly or through other
            // conditions, cannot be decided.
            _ => Tri::Unknown,
        };
        self.condition_cache.borrow_mut().insert(key, result);
        result
    }

    fn evaluate(&self, node: &Node, assumed: &HashMap<&str, bool>, depth: usize) -> Tri {
        let Some([(function, argument)]) = node.as_map() else {
            return node.as_bool().map(Tri::from_bool).unwrap_or(Tri::Unknown);
        };
        let arguments = argument.as_seq().unwrap_or_default();
        match function.as_str() {
            "Condition" => argument.as_str().map_or(Tri::Unknown, |name| self.condition_at(name, assumed, depth)),
            "Fn::Not" => match arguments.first().map(|inner| self.evaluate(inner, assumed, depth)) {
                Some(Tri::True) => Tri::False,
                Some(Tri::False) => Tri::True,
                _ => Tri::Unknown,
            },
            "Fn::And" => {
                let results: Vec<Tri> = arguments.iter().map(|inner| self.evaluate(inner, assumed, depth)).collect();
                if results.contains(&Tri::False) {
                    Tri::False
                } else if results.iter().all(|result| *result == Tri::True) {
                    Tri::True
                } else {
                    Tri::Unknown
                }
            }
            "Fn::Or" => {
                let results: Vec<Tri> = arguments.iter().map(|inner| self.evaluate(inner, assumed, depth)).collect();
                if results.contains(&Tri::True) {
                    Tri::True
                } else if results.iter().all(|result| *result == Tri::False) {
                    Tri::False
                } else {
                    Tri::Unknown
                }
            }
            "Fn::Equals" => {
                let [left, right] = arguments else { return Tri::Unknown };
                match (self.resolve(left, assumed), self.resolve(right, assumed)) {
                    (Some(left), Some(right)) => match (scalar_text(&left), scalar_text(&right)) {
                        (Some(left), Some(right)) => Tri::from_bool(left == right),
                        _ => Tri::Unknown,
                    },
                    _ => Tri::Unknown,
                }
            }
            _ => Tri::Unknown,
        }
    }

    /// Resolves intrinsic functions in a value. `None` means the value is
    /// `AWS::NoValue` and its key or list element is removed.
    pub(crate) fn resolve(&self, node: &Node, assumed: &HashMap<&str, bool>) -> Option<Node> {
        let at = |kind| Some(Node::new(kind, node.line, node.column));
        let unknown = |reason: String| Some(Node::new(NodeKind::Unknown(reason), node.line, node.column));
        let Some(_guard) = self.enter() else {
            return unknown(format!(
                "nested more than {MAX_EVALUATION_DEPTH} functions and conditions deep, or refers to itself"
            ));
        };
        if self.budget.get() == 0 {
            return unknown("past the expansion limit: parameters and functions expand the template far beyond its size".to_owned());
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                if let [(function, argument)] = entries.as_slice() {
                    if function == "Ref" || function.starts_with("Fn::") {
                        return self.function(node, function, argument, assumed);
                    }
                }
                let mut resolved = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    if let Some(value) = self.resolve(value, assumed) {
                        resolved.push((key.clone(), value));
                    }
                }
                at(NodeKind::Map(resolved))
            }
            NodeKind::Seq(items) => at(NodeKind::Seq(items.iter().filter_map(|item| self.resolve(item, assumed)).collect())),
            NodeKind::Unknown(reason) => unknown(reason.clone()),
            _ => Some(node.clone()),
        }
    }

    fn function(&self, node: &Node, function: &str, argument: &Node, assumed: &HashMap<&str, bool>) -> Option<Node> {
        let at = |kind| Some(Node::new(kind, node.line, node.column));
        let unknown = |reason: String| Some(Node::new(NodeKind::Unknown(reason), node.line, node.column));
        let arguments = argument.as_seq().unwrap_or_default();
        match function {
            "Ref" => {
                let Some(name) = argument.as_str() else {
                    return unknown("a `Ref` to a value that is not a name".to_owned());
                };
                if name == "AWS::NoValue" {
                    return None;
                }
                if DEPLOY_TIME_PSEUDO_PARAMETERS.contains(&name) {
                    return unknown(format!("the pseudo parameter {name}, known only at deploy time"));
                }
                if let Some(default) = self.parameters.get(name) {
                    if !self.spend(self.parameter_weights.get(name).copied().unwrap_or(1)) {
                        return unknown("past the expansion limit: parameters and functions expand the template far beyond its size".to_owned());
                    }
                    return match default {
                        Some(default) => Some(Node { line: node.line, column: node.column, ..(*default).clone() }),
                        None => unknown(format!("set from parameter {name}, which has no default")),
                    };
                }
                if self.is_resource(name) {
                    return at(NodeKind::Ref { target: name.to_owned(), attribute: None });
                }
                unknown(format!("a `Ref` to {name}, which is not a parameter or resource"))
            }
            "Fn::GetAtt" => {
                let parts: Vec<String> = match &argument.kind {
                    NodeKind::Seq(items) => items
                        .iter()
                        .filter_map(|item| self.resolve(item, assumed))
                        .filter_map(|item| item.as_str().map(str::to_owned))
                        .collect(),
                    NodeKind::String(text) => text.splitn(2, '.').map(str::to_owned).collect(),
                    _ => Vec::new(),
                };
                match parts.as_slice() {
                    [resource, attribute] if self.is_resource(resource) => {
                        at(NodeKind::Ref { target: resource.clone(), attribute: Some(attribute.clone()) })
                    }
                    _ => unknown("a `Fn::GetAtt` of a resource that is not in the template".to_owned()),
                }
            }
            "Fn::If" => {
                let [condition, when_true, when_false] = arguments else {
                    return unknown("an invalid `Fn::If`, which needs a condition name and two values".to_owned());
                };
                let Some(name) = condition.as_str() else {
                    return unknown("an invalid `Fn::If`, whose condition is not a name".to_owned());
                };
                match self.condition(name, assumed) {
                    Tri::True => self.resolve(when_true, assumed),
                    Tri::False => self.resolve(when_false, assumed),
                    Tri::Unknown => unknown(format!("chosen by condition {name}, which cannot be evaluated")),
                }
            }
            "Fn::Join" => {
                let [delimiter, list] = arguments else {
                    return unknown("an invalid `Fn::Join`, which needs a delimiter and a list".to_owned());
                };
                let delimiter = self.resolve(delimiter, assumed).and_then(|d| scalar_text(&d));
                let list = self.resolve(list, assumed);
                let parts: Option<Vec<String>> =
                    list.as_ref().and_then(Node::as_seq).map(|items| items.iter().map(scalar_text).collect()).and_then(|p| p);
                match (delimiter, parts) {
                    (Some(delimiter), Some(parts)) => {
                        let joined = parts.join(&delimiter);
                        if !self.spend(joined.len()) {
                            return unknown("past the expansion limit: parameters and functions expand the template far beyond its size".to_owned());
                        }
                        at(NodeKind::String(joined))
                    }
                    _ => unknown("joined by `Fn::Join` from values known only at deploy time".to_owned()),
                }
            }
            "Fn::Sub" => self.substitute(node, argument, assumed),
            "Fn::Select" => {
                let [index, list] = arguments else {
                    return unknown("an invalid `Fn::Select`, which needs an index and a list".to_owned());
                };
                let index = self.resolve(index, assumed).and_then(|i| i.as_i64());
                let list = self.resolve(list, assumed);
                match (index, list.as_ref().and_then(Node::as_seq)) {
                    (Some(index), Some(items)) if index >= 0 && (index as usize) < items.len() => {
                        Some(items[index as usize].clone())
                    }
                    _ => unknown("selected by `Fn::Select` from a list known only at deploy time, or with an index outside the list".to_owned()),
                }
            }
            "Fn::Split" => {
                let [delimiter, text] = arguments else {
                    return unknown("an invalid `Fn::Split`, which needs a delimiter and a string".to_owned());
                };
                let delimiter = self.resolve(delimiter, assumed).and_then(|d| scalar_text(&d));
                let text = self.resolve(text, assumed).and_then(|t| scalar_text(&t));
                match (delimiter, text) {
                    (Some(delimiter), Some(text)) if !delimiter.is_empty() => at(NodeKind::Seq(
                        text.split(delimiter.as_str())
                            .map(|part| Node::new(NodeKind::String(part.to_owned()), node.line, node.column))
                            .collect(),
                    )),
                    _ => unknown("split by `Fn::Split` from a value known only at deploy time".to_owned()),
                }
            }
            "Fn::FindInMap" => {
                let keys: Vec<Option<String>> =
                    arguments.iter().take(3).map(|key| self.resolve(key, assumed).and_then(|k| scalar_text(&k))).collect();
                match keys.as_slice() {
                    [Some(map), Some(top), Some(second)] => {
                        // Mapping values are literals: CloudFormation allows no
                        // functions in `Mappings`, so they are not evaluated.
                        match self.mappings.and_then(|m| m.get(map)).and_then(|m| m.get(top)).and_then(|m| m.get(second)) {
                            Some(value) if !self.spend(weight(value)) => unknown(
                                "past the expansion limit: parameters and functions expand the template far beyond its size".to_owned(),
                            ),
                            Some(value) => Some(Node { line: node.line, column: node.column, ..value.clone() }),
                            None => unknown(format!("looked up in the mapping {map}.{top}.{second}, which is not defined")),
                        }
                    }
                    _ => unknown("looked up by `Fn::FindInMap` with keys known only at deploy time".to_owned()),
                }
            }
            "Fn::Base64" => self.resolve(argument, assumed),
            "Fn::ImportValue" => unknown("imported from another stack's export".to_owned()),
            other => unknown(format!("computed by `{other}` at deploy time")),
        }
    }

    /// Evaluates `Fn::Sub` when every variable is a parameter with a default
    /// or given in the variable map; otherwise the result is unknown.
    fn substitute(&self, node: &Node, argument: &Node, assumed: &HashMap<&str, bool>) -> Option<Node> {
        let unknown = |reason: String| Some(Node::new(NodeKind::Unknown(reason), node.line, node.column));
        let (template, variables) = match &argument.kind {
            NodeKind::String(text) => (text.as_str(), None),
            NodeKind::Seq(items) if items.len() == 2 => match items[0].as_str() {
                Some(text) => (text, Some(&items[1])),
                None => return unknown("an invalid `Fn::Sub`, whose template is not a string".to_owned()),
            },
            _ => return unknown("an invalid `Fn::Sub`, which needs a string or a string and a variable map".to_owned()),
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                return unknown("an invalid `Fn::Sub` with an unclosed `${`".to_owned());
            };
            let name = &after[..end];
            let value = variables
                .and_then(|vars| vars.get(name))
                .and_then(|value| self.resolve(value, assumed))
                .or_else(|| {
                    if name.contains('.') {
                        None
                    } else {
                        let reference = Node::new(
                            NodeKind::Map(vec![("Ref".to_owned(), Node::new(NodeKind::String(name.to_owned()), 0, 0))]),
                            node.line,
                            node.column,
                        );
                        self.resolve(&reference, assumed)
                    }
                });
            match (value.as_ref().and_then(scalar_text), value.as_ref().and_then(Node::unknown_reason)) {
                (Some(text), _) => out.push_str(&text),
                (None, Some(reason)) => return unknown(format!("built by `Fn::Sub` from ${{{name}}}, which is {reason}")),
                (None, None) => return unknown(format!("built by `Fn::Sub` from ${{{name}}}, which is known only at deploy time")),
            }
            if out.len() > self.budget.get() {
                return unknown("past the expansion limit: parameters and functions expand the template far beyond its size".to_owned());
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if !self.spend(out.len()) {
            return unknown("past the expansion limit: parameters and functions expand the template far beyond its size".to_owned());
        }
        Some(Node::new(NodeKind::String(out), node.line, node.column))
    }
}

fn collect_if_conditions(node: &Node, used: &mut BTreeSet<String>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                if key == "Fn::If" {
                    if let Some(name) = value.as_seq().and_then(|items| items.first()).and_then(Node::as_str) {
                        used.insert(name.to_owned());
                    }
                }
                collect_if_conditions(value, used);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|item| collect_if_conditions(item, used)),
        _ => {}
    }
}

/// Returns the text of a scalar, as CloudFormation compares and joins values.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(text) => Some(text.clone()),
        NodeKind::Number(number) => Some(if number.fract() == 0.0 { format!("{}", *number as i64) } else { number.to_string() }),
        NodeKind::Bool(value) => Some(value.to_string()),
        _ => None,
    }
}
