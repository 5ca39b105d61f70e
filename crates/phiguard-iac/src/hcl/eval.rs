//! The HCL expression evaluator. It turns a Terraform expression into a
//! `Node` value where the configuration alone decides it. Where it does
//! not, the value is an `Unknown` that names the reason: a resource
//! attribute known only after apply, a data source, a variable without a
//! value.
//!
//! Evaluation records every resource an expression refers to, through
//! locals as well, so adapters can link split resources as they do for a
//! plan's configuration references.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Directive, Element, Template};

use crate::node::{Node, NodeKind};
use crate::terraform::AFTER_APPLY;

use super::functions;

/// The maximum evaluation work, in steps, for a root module and every
/// module instance it calls together. One step is one expression, one value
/// node that an expression produces or copies, or 32 bytes of string.
/// Counting the size of values stops locals that double a list or a string
/// at each step and module calls whose `for_each` multiplies at each level.
/// The largest module in the test corpus takes under 1,000 steps, and a
/// module of 10,000 resources from `bench/gen_hcl.py` about 170,000.
pub(crate) const WORK_BUDGET: u64 = 5_000_000;

/// The maximum length of a string that evaluation builds (templates,
/// `format`, `join`, `replace`, `jsonencode`). Larger results are unknown,
/// so one expression cannot allocate gigabytes before the work budget counts
/// it.
pub(crate) const MAX_STRING_BYTES: usize = 1 << 20;

/// The maximum nesting depth of expressions and locals during evaluation.
const MAX_DEPTH: usize = 128;

/// The values an expression can read, for one module instance.
pub(crate) struct Scope<'a> {
    /// Input variables, already evaluated in the caller's scope.
    pub variables: &'a HashMap<String, Node>,
    /// Local values by name, as expressions; evaluated on first use.
    pub locals: &'a HashMap<String, &'a Expression>,
    /// `path.module` and `path.root`.
    pub module_path: &'a str,
    pub root_path: &'a str,
    /// The instances of each resource of the module, by `type.name`, so a
    /// whole-resource reference such as `for_each = aws_s3_bucket.b` has
    /// its instance keys.
    pub resource_shapes: &'a HashMap<String, Shape>,
    /// The resources that each input variable's value refers to, in the
    /// caller's module, written as `@MODULE_PATH|REFERENCE`.
    pub input_references: &'a HashMap<String, Vec<String>>,
}

/// The instances a resource block declares.
#[derive(Clone, Debug)]
pub(crate) enum Shape {
    /// No `count` or `for_each`.
    Single,
    Count(usize),
    ForEach(Vec<String>),
}

/// Evaluates expressions in one scope, caching locals and recording
/// references.
pub(crate) struct Evaluator<'a> {
    scope: Scope<'a>,
    local_cache: HashMap<String, (Node, Vec<String>)>,
    local_stack: Vec<String>,
    /// Names bound by `for` expressions, `dynamic` blocks, `each` and
    /// `count`, innermost last.
    bindings: Vec<(String, Node)>,
    /// Resource references found since the last [`Evaluator::take_references`].
    references: Vec<String>,
    /// Work spent so far, shared by every evaluator of one root module.
    work: Rc<Cell<u64>>,
    depth: usize,
    /// How many evaluation errors (a missing attribute, an index out of
    /// range) have occurred; `try` and `can` compare it around an argument.
    pub(crate) errors: u64,
    /// The position given to every value the current attribute produces,
    /// so findings point at the attribute that sets the value rather than
    /// at a variable default in another file.
    line: u32,
    column: u32,
}

impl<'a> Evaluator<'a> {
    pub fn new(scope: Scope<'a>, work: Rc<Cell<u64>>) -> Self {
        Self {
            scope,
            local_cache: HashMap::new(),
            local_stack: Vec::new(),
            bindings: Vec::new(),
            references: Vec::new(),
            work,
            depth: 0,
            errors: 0,
            line: 1,
            column: 1,
        }
    }

    pub fn bind(&mut self, name: &str, value: Node) {
        self.bindings.push((name.to_owned(), value));
    }

    pub fn unbind(&mut self, count: usize) {
        let keep = self.bindings.len().saturating_sub(count);
        self.bindings.truncate(keep);
    }

    fn record(&mut self, reference: String) {
        if !self.references.contains(&reference) {
            self.references.push(reference);
        }
    }

    /// Replaces the resource instances (`Ref` nodes) left in a finished value
    /// with unknown values, recording each as a reference, because a plan
    /// shows such a value as known only after apply.
    pub fn settle(&mut self, value: &mut Node) {
        match &mut value.kind {
            NodeKind::Ref { target, .. } => {
                let target = target.clone();
                self.record(target);
                value.kind = NodeKind::Unknown(AFTER_APPLY.to_owned());
            }
            NodeKind::Seq(items) => items.iter_mut().for_each(|item| self.settle(item)),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|(_, item)| self.settle(item)),
            _ => {}
        }
    }

    pub fn take_references(&mut self) -> Vec<String> {
        std::mem::take(&mut self.references)
    }

    /// Evaluates `expression`, placing every value it produces at `line`
    /// and `column`.
    pub fn eval_at(&mut self, expression: &Expression, line: u32, column: u32) -> Node {
        self.line = line;
        self.column = column;
        self.eval(expression)
    }

    pub(crate) fn node(&self, kind: NodeKind) -> Node {
        Node::new(kind, self.line, self.column)
    }

    pub(crate) fn unknown(&self, reason: impl Into<String>) -> Node {
        self.node(NodeKind::Unknown(reason.into()))
    }

    /// Returns an unknown for an expression that Terraform would reject, and
    /// counts it so that `try` moves on to its next argument.
    pub(crate) fn error(&mut self, reason: impl Into<String>) -> Node {
        self.errors += 1;
        self.unknown(reason)
    }

    pub fn eval(&mut self, expression: &Expression) -> Node {
        if self.budget_spent() {
            return self.budget_unknown();
        }
        self.spend(1);
        if self.depth >= MAX_DEPTH {
            return self.unknown("too deeply nested to evaluate");
        }
        self.depth += 1;
        let value = self.eval_inner(expression);
        self.depth -= 1;
        self.spend(weight(&value));
        // A value finished after the budget ran out is dropped, so the
        // expressions still being evaluated around it cannot copy it into
        // their results or the local cache.
        if self.budget_spent() {
            return self.budget_unknown();
        }
        value
    }

    fn budget_unknown(&self) -> Node {
        self.unknown(format!(
            "too complex to evaluate: the module and its module calls used the whole budget of {WORK_BUDGET} evaluation steps"
        ))
    }

    pub(crate) fn budget_spent(&self) -> bool {
        self.work.get() > WORK_BUDGET
    }

    pub(crate) fn spend(&self, units: u64) {
        self.work.set(self.work.get().saturating_add(units));
    }

    /// Returns an unknown in place of a string over [`MAX_STRING_BYTES`].
    pub(crate) fn too_long(&self, what: &str) -> Node {
        self.unknown(format!("{what} longer than {MAX_STRING_BYTES} bytes"))
    }

    fn eval_inner(&mut self, expression: &Expression) -> Node {
        match expression {
            Expression::Null(_) => self.node(NodeKind::Null),
            Expression::Bool(value) => self.node(NodeKind::Bool(*value.value())),
            Expression::Number(number) => match number.value().as_f64() {
                Some(value) => self.node(NodeKind::Number(value)),
                None => self.unknown(format!("the number {} is out of range", number.value())),
            },
            Expression::String(text) => self.node(NodeKind::String(text.value().clone())),
            Expression::Array(items) => {
                let values = items.iter().map(|item| self.eval(item)).collect();
                self.node(NodeKind::Seq(values))
            }
            Expression::Object(object) => {
                let mut entries = MapBuilder::default();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.value().as_str().to_owned(),
                        ObjectKey::Expression(expression) => {
                            let key = self.eval(expression);
                            match scalar_text(&key) {
                                Some(text) => text,
                                None => {
                                    let reason = key.unknown_reason().unwrap_or("not a string").to_owned();
                                    return self.unknown(format!("an object key is {reason}"));
                                }
                            }
                        }
                    };
                    let value = self.eval(value.expr());
                    // A later duplicate key wins, as in Terraform's merge.
                    entries.insert(key, value);
                }
                self.node(NodeKind::Map(entries.finish()))
            }
            Expression::StringTemplate(template) => self.template(template),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(name) => self.variable(name.value().as_str(), &[]),
            Expression::Traversal(traversal) => {
                if let Expression::Variable(root) = &traversal.expr {
                    let operators: Vec<&TraversalOperator> = traversal.operators.iter().map(|op| op.value()).collect();
                    self.variable(root.value().as_str(), &operators)
                } else {
                    let base = self.eval(&traversal.expr);
                    let operators: Vec<&TraversalOperator> = traversal.operators.iter().map(|op| op.value()).collect();
                    self.apply(base, &operators)
                }
            }
            Expression::Conditional(conditional) => {
                let condition = self.eval(&conditional.cond_expr);
                match condition.as_bool() {
                    Some(true) => self.eval(&conditional.true_expr),
                    Some(false) => self.eval(&conditional.false_expr),
                    None => {
                        // Both branches are evaluated for their references;
                        // when they agree the condition does not matter.
                        let yes = self.eval(&conditional.true_expr);
                        let no = self.eval(&conditional.false_expr);
                        if same(&yes, &no) == Some(true) {
                            yes
                        } else {
                            let reason = condition.unknown_reason().unwrap_or("not a boolean").to_owned();
                            self.unknown(format!("chosen by a condition that is {reason}"))
                        }
                    }
                }
            }
            Expression::FuncCall(call) => {
                let name = call.name.name.value().as_str().to_owned();
                let namespaced = call.name.is_namespaced();
                if namespaced {
                    return self.unknown(format!("the result of the provider function `{name}`"));
                }
                functions::call(self, &name, call.args.iter().collect::<Vec<_>>().as_slice(), call.args.expand_final())
            }
            Expression::UnaryOp(operation) => {
                let value = self.eval(&operation.expr);
                if let Some(reason) = value.unknown_reason() {
                    return self.unknown(reason.to_owned());
                }
                match (operation.operator.value(), &value.kind) {
                    (UnaryOperator::Not, _) if value.as_bool().is_some() => {
                        self.node(NodeKind::Bool(!value.as_bool().unwrap_or_default()))
                    }
                    (UnaryOperator::Neg, NodeKind::Number(number)) => self.node(NodeKind::Number(-number)),
                    _ => self.unknown(format!("an invalid operand ({}) of a unary operator", value.type_name())),
                }
            }
            Expression::BinaryOp(operation) => {
                let left = self.eval(&operation.lhs_expr);
                let right = self.eval(&operation.rhs_expr);
                self.binary(*operation.operator.value(), left, right)
            }
            Expression::ForExpr(for_expr) => self.for_expr(for_expr),
        }
    }

    fn binary(&mut self, operator: BinaryOperator, left: Node, right: Node) -> Node {
        use BinaryOperator::*;
        // `false && x` and `true || x` decide without the other operand.
        match operator {
            And if left.as_bool() == Some(false) || right.as_bool() == Some(false) => {
                return self.node(NodeKind::Bool(false));
            }
            Or if left.as_bool() == Some(true) || right.as_bool() == Some(true) => {
                return self.node(NodeKind::Bool(true));
            }
            _ => {}
        }
        for operand in [&left, &right] {
            if let Some(reason) = operand.unknown_reason() {
                return self.unknown(reason.to_owned());
            }
        }
        let number = |node: &Node| match &node.kind {
            NodeKind::Number(value) => Some(*value),
            NodeKind::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        };
        match operator {
            Eq | NotEq => match same(&left, &right) {
                Some(equal) => self.node(NodeKind::Bool(equal == (operator == Eq))),
                None => self.unknown(format!("a comparison with `{}` of values that are not fully known", operator.as_str())),
            },
            And | Or => match (left.as_bool(), right.as_bool()) {
                (Some(a), Some(b)) => self.node(NodeKind::Bool(if operator == And { a && b } else { a || b })),
                _ => self.unknown("an operand of a logical operator is not a boolean"),
            },
            _ => {
                let (Some(a), Some(b)) = (number(&left), number(&right)) else {
                    return self.unknown(format!("an operand of `{}` is not a number", operator.as_str()));
                };
                let kind = match operator {
                    Less => NodeKind::Bool(a < b),
                    LessEq => NodeKind::Bool(a <= b),
                    Greater => NodeKind::Bool(a > b),
                    GreaterEq => NodeKind::Bool(a >= b),
                    Plus => NodeKind::Number(a + b),
                    Minus => NodeKind::Number(a - b),
                    Mul => NodeKind::Number(a * b),
                    Div if b != 0.0 => NodeKind::Number(a / b),
                    Mod if b != 0.0 => NodeKind::Number(a % b),
                    _ => return self.unknown("a division by zero"),
                };
                self.node(kind)
            }
        }
    }

    fn for_expr(&mut self, for_expr: &hcl_edit::expr::ForExpr) -> Node {
        let collection = self.eval(&for_expr.intro.collection_expr);
        let Some(pairs) = self.iterate(&collection) else {
            let reason = collection.unknown_reason().unwrap_or("not a collection").to_owned();
            return self.unknown(format!("a `for` expression over a collection that is {reason}"));
        };
        let key_name = for_expr.intro.key_var.as_ref().map(|ident| ident.value().as_str().to_owned());
        let value_name = for_expr.intro.value_var.value().as_str().to_owned();
        let mut list = Vec::new();
        let mut map = MapBuilder::default();
        for (key, value) in pairs {
            let mut bound = 1;
            self.bind(&value_name, value);
            if let Some(name) = &key_name {
                self.bind(name, key);
                bound += 1;
            }
            let keep = match &for_expr.cond {
                Some(condition) => self.eval(&condition.expr).as_bool(),
                None => Some(true),
            };
            let outcome = match keep {
                None => Err("a `for` expression whose `if` clause is unknown".to_owned()),
                Some(false) => Ok(()),
                Some(true) => match &for_expr.key_expr {
                    Some(key_expr) => {
                        let key = self.eval(key_expr);
                        match scalar_text(&key) {
                            Some(text) => {
                                let value = self.eval(&for_expr.value_expr);
                                if for_expr.grouping {
                                    match map.get_mut(&text) {
                                        Some(group) => {
                                            if let NodeKind::Seq(items) = &mut group.kind {
                                                items.push(value);
                                            }
                                        }
                                        None => {
                                            let group = self.node(NodeKind::Seq(vec![value]));
                                            map.insert(text, group);
                                        }
                                    }
                                } else {
                                    map.insert(text, value);
                                }
                                Ok(())
                            }
                            None => Err(format!(
                                "a `for` expression whose key is {}",
                                key.unknown_reason().unwrap_or("not a string")
                            )),
                        }
                    }
                    None => {
                        list.push(self.eval(&for_expr.value_expr));
                        Ok(())
                    }
                },
            };
            self.unbind(bound);
            if let Err(reason) = outcome {
                return self.unknown(reason);
            }
        }
        if for_expr.key_expr.is_some() {
            self.node(NodeKind::Map(map.finish()))
        } else {
            self.node(NodeKind::Seq(list))
        }
    }

    /// Returns `(key, value)` pairs of a list (index keys), a map (string
    /// keys) or a set, or `None` when the value is unknown or a scalar.
    pub(crate) fn iterate(&self, collection: &Node) -> Option<Vec<(Node, Node)>> {
        match &collection.kind {
            NodeKind::Seq(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (self.node(NodeKind::Number(index as f64)), item.clone()))
                    .collect(),
            ),
            NodeKind::Map(entries) => {
                let mut sorted: Vec<&(String, Node)> = entries.iter().collect();
                // Terraform iterates maps in key order.
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                Some(sorted.into_iter().map(|(key, value)| (self.node(NodeKind::String(key.clone())), value.clone())).collect())
            }
            NodeKind::Null => Some(Vec::new()),
            _ => None,
        }
    }

    fn template(&mut self, template: &Template) -> Node {
        let mut text = String::new();
        match self.template_into(template, &mut text) {
            Ok(()) => self.node(NodeKind::String(text)),
            Err(reason) => self.unknown(reason),
        }
    }

    /// Appends to a template's text unless that makes it longer than
    /// [`MAX_STRING_BYTES`].
    fn push_text(text: &mut String, part: &str) -> Result<(), String> {
        if text.len() + part.len() > MAX_STRING_BYTES {
            return Err(format!("a template longer than {MAX_STRING_BYTES} bytes"));
        }
        text.push_str(part);
        Ok(())
    }

    fn template_into(&mut self, template: &Template, text: &mut String) -> Result<(), String> {
        for element in template.iter() {
            match element {
                Element::Literal(literal) => Self::push_text(text, literal.value())?,
                Element::Interpolation(interpolation) => {
                    let mut value = self.eval(&interpolation.expr);
                    self.settle(&mut value);
                    match scalar_text(&value) {
                        Some(part) => Self::push_text(text, &part)?,
                        None => {
                            return Err(value
                                .unknown_reason()
                                .map(str::to_owned)
                                .unwrap_or_else(|| format!("a template that interpolates a {}", value.type_name())))
                        }
                    }
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(if_directive) => {
                        let condition = self.eval(&if_directive.if_expr.cond_expr);
                        match condition.as_bool() {
                            Some(true) => self.template_into(&if_directive.if_expr.template, text)?,
                            Some(false) => {
                                if let Some(otherwise) = &if_directive.else_expr {
                                    self.template_into(&otherwise.template, text)?;
                                }
                            }
                            None => {
                                return Err(format!(
                                    "a template `if` whose condition is {}",
                                    condition.unknown_reason().unwrap_or("not a boolean")
                                ))
                            }
                        }
                    }
                    Directive::For(for_directive) => {
                        let intro = &for_directive.for_expr;
                        let collection = self.eval(&intro.collection_expr);
                        let Some(pairs) = self.iterate(&collection) else {
                            return Err(format!(
                                "a template `for` over a collection that is {}",
                                collection.unknown_reason().unwrap_or("not a collection")
                            ));
                        };
                        for (key, value) in pairs {
                            let mut bound = 1;
                            self.bind(intro.value_var.value().as_str(), value);
                            if let Some(name) = &intro.key_var {
                                self.bind(name.value().as_str(), key);
                                bound += 1;
                            }
                            let outcome = self.template_into(&intro.template, text);
                            self.unbind(bound);
                            outcome?;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    /// Evaluates a name and the traversal steps after it.
    fn variable(&mut self, name: &str, operators: &[&TraversalOperator]) -> Node {
        if let Some(position) = self.bindings.iter().rposition(|(bound, _)| bound == name) {
            let value = self.bindings[position].1.clone();
            return self.apply(value, operators);
        }
        let attribute = |index: usize| match operators.get(index) {
            Some(TraversalOperator::GetAttr(ident)) => Some(ident.value().as_str().to_owned()),
            _ => None,
        };
        match name {
            "var" => {
                let Some(variable) = attribute(0) else { return self.unknown("a bare `var` reference") };
                let value = match self.scope.variables.get(&variable) {
                    Some(value) => self.relocate(value.clone()),
                    None => self.unknown(format!("the input variable `{variable}`, which is not declared")),
                };
                if let Some(references) = self.scope.input_references.get(&variable) {
                    for reference in references {
                        if !self.references.contains(reference) {
                            self.references.push(reference.clone());
                        }
                    }
                }
                self.apply(value, &operators[1..])
            }
            "local" => {
                let Some(local) = attribute(0) else { return self.unknown("a bare `local` reference") };
                let value = self.local(&local);
                self.apply(value, &operators[1..])
            }
            "path" => match attribute(0).as_deref() {
                Some("module") => self.node(NodeKind::String(self.scope.module_path.to_owned())),
                Some("root") => self.node(NodeKind::String(self.scope.root_path.to_owned())),
                Some("cwd") => self.node(NodeKind::String(".".to_owned())),
                _ => self.unknown("an unsupported `path` attribute"),
            },
            "terraform" => match attribute(0).as_deref() {
                Some("workspace") => self.node(NodeKind::String("default".to_owned())),
                _ => self.unknown("an unsupported `terraform` attribute"),
            },
            "each" | "count" | "self" => self.unknown(format!("`{name}` outside a resource that defines it")),
            "data" => {
                let source = match (attribute(0), attribute(1)) {
                    (Some(kind), Some(label)) => format!("data.{kind}.{label}"),
                    _ => "data".to_owned(),
                };
                self.unknown(format!("read from the data source `{source}` at plan time"))
            }
            "module" => {
                let module = attribute(0).unwrap_or_default();
                self.unknown(format!("an output of the module `{module}`"))
            }
            resource_type => {
                let Some(resource_name) = attribute(0) else {
                    return self.unknown(format!("the unknown name `{resource_type}`"));
                };
                let base = format!("{resource_type}.{resource_name}");
                // A reference to the whole resource, as `for_each = aws_s3_bucket.b`
                // writes it, is its collection of instances. Each instance is a
                // `Ref`, which becomes unknown and a reference once an attribute
                // is read from it.
                let whole = !matches!(
                    operators.get(1),
                    Some(TraversalOperator::GetAttr(_) | TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_))
                );
                if let (true, Some(shape)) = (whole, self.scope.resource_shapes.get(&base)) {
                    let instance = |evaluator: &Self, key: String| {
                        evaluator.node(NodeKind::Ref { target: format!("{base}{key}"), attribute: None })
                    };
                    let value = match shape {
                        Shape::Single => instance(self, String::new()),
                        Shape::Count(count) => {
                            let items = (0..*count).map(|index| instance(self, format!("[{index}]"))).collect();
                            self.node(NodeKind::Seq(items))
                        }
                        Shape::ForEach(keys) => {
                            let entries = keys
                                .iter()
                                .map(|key| (key.clone(), instance(self, format!("[{}]", serde_json::Value::String(key.clone())))))
                                .collect();
                            self.node(NodeKind::Map(entries))
                        }
                    };
                    return self.apply(value, &operators[1..]);
                }
                let mut reference = base;
                if let Some(TraversalOperator::Index(key)) = operators.get(1) {
                    let key = self.eval(key);
                    match &key.kind {
                        NodeKind::Number(index) => reference.push_str(&format!("[{index}]")),
                        NodeKind::String(text) => reference.push_str(&format!("[{}]", serde_json::Value::String(text.clone()))),
                        _ => {}
                    }
                } else if let Some(TraversalOperator::LegacyIndex(index)) = operators.get(1) {
                    reference.push_str(&format!("[{}]", index.value()));
                }
                if !self.references.contains(&reference) {
                    self.references.push(reference);
                }
                self.unknown(AFTER_APPLY)
            }
        }
    }

    fn local(&mut self, name: &str) -> Node {
        if let Some((value, references)) = self.local_cache.get(name) {
            let (value, references) = (value.clone(), references.clone());
            for reference in references {
                if !self.references.contains(&reference) {
                    self.references.push(reference);
                }
            }
            return self.relocate(value);
        }
        let Some(expression) = self.scope.locals.get(name).copied() else {
            return self.unknown(format!("the local value `{name}`, which is not declared"));
        };
        if self.local_stack.iter().any(|active| active == name) {
            return self.unknown(format!("the local value `{name}`, which refers to itself"));
        }
        // A local is evaluated without the caller's bindings and with its own
        // reference list, so its cached result is the same wherever it is used.
        let saved_bindings = std::mem::take(&mut self.bindings);
        let saved_references = std::mem::take(&mut self.references);
        self.local_stack.push(name.to_owned());
        let value = self.eval(expression);
        self.local_stack.pop();
        self.bindings = saved_bindings;
        let references = std::mem::replace(&mut self.references, saved_references);
        for reference in &references {
            if !self.references.contains(reference) {
                self.references.push(reference.clone());
            }
        }
        self.local_cache.insert(name.to_owned(), (value.clone(), references));
        value
    }

    /// Applies attribute, index and splat steps to a value.
    fn apply(&mut self, mut value: Node, operators: &[&TraversalOperator]) -> Node {
        for (position, operator) in operators.iter().enumerate() {
            if value.unknown_reason().is_some() {
                return value;
            }
            // Reading from a resource instance: the value is known only after
            // apply, and the expression refers to that instance.
            if let (NodeKind::Ref { target, .. }, TraversalOperator::GetAttr(_) | TraversalOperator::Index(_)) = (&value.kind, operator) {
                self.record(target.clone());
                return self.unknown(AFTER_APPLY);
            }
            value = match operator {
                TraversalOperator::GetAttr(ident) => {
                    let name = ident.value().as_str();
                    match value.get(name) {
                        Some(found) => found.clone(),
                        None if value.as_map().is_some() => self.error(format!("the missing attribute `{name}`")),
                        None => self.error(format!("the attribute `{name}` of a {}", value.type_name())),
                    }
                }
                TraversalOperator::Index(key) => {
                    let key = self.eval(key);
                    self.index(&value, &key)
                }
                TraversalOperator::LegacyIndex(index) => {
                    let key = self.node(NodeKind::Number(*index.value() as f64));
                    self.index(&value, &key)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match &value.kind {
                        NodeKind::Seq(items) => items.clone(),
                        NodeKind::Null => Vec::new(),
                        _ => vec![value.clone()],
                    };
                    // Each splat recurses once, and a traversal can hold
                    // thousands of them.
                    if self.depth >= MAX_DEPTH {
                        return self.unknown("too deeply nested to evaluate");
                    }
                    let rest = &operators[position + 1..];
                    self.depth += 1;
                    let mapped = items.into_iter().map(|item| self.apply(item, rest)).collect();
                    self.depth -= 1;
                    return self.node(NodeKind::Seq(mapped));
                }
            };
        }
        value
    }

    fn index(&mut self, value: &Node, key: &Node) -> Node {
        if let Some(reason) = key.unknown_reason() {
            return self.unknown(format!("indexed by a key that is {reason}"));
        }
        match (&value.kind, &key.kind) {
            (NodeKind::Seq(items), _) => match key.as_i64().and_then(|index| usize::try_from(index).ok()) {
                Some(index) if index < items.len() => items[index].clone(),
                _ => self.error(format!("an index out of range of a {}-element list", items.len())),
            },
            (NodeKind::Map(_), _) => match scalar_text(key).and_then(|text| value.get(&text).cloned()) {
                Some(found) => found,
                None => self.error("a missing map key"),
            },
            _ => self.error(format!("an index into a {}", value.type_name())),
        }
    }

    /// Moves a value and everything in it to the current position.
    pub(crate) fn relocate(&self, mut value: Node) -> Node {
        fn walk(node: &mut Node, line: u32, column: u32) {
            node.line = line;
            node.column = column;
            match &mut node.kind {
                NodeKind::Seq(items) => items.iter_mut().for_each(|item| walk(item, line, column)),
                NodeKind::Map(entries) => entries.iter_mut().for_each(|(_, item)| walk(item, line, column)),
                _ => {}
            }
        }
        walk(&mut value, self.line, self.column);
        value
    }
}

/// Returns the steps that producing or copying a value costs: one per node
/// and one per 32 bytes of string. It walks with its own stack because a value
/// built through a chain of locals can nest deeper than the call stack
/// allows.
fn weight(value: &Node) -> u64 {
    let mut total = 0u64;
    let mut pending = vec![value];
    while let Some(node) = pending.pop() {
        total += 1;
        match &node.kind {
            NodeKind::String(text) | NodeKind::Unknown(text) => total += text.len() as u64 / 32,
            NodeKind::Seq(items) => pending.extend(items),
            NodeKind::Map(entries) => {
                for (key, item) in entries {
                    total += key.len() as u64 / 32;
                    pending.push(item);
                }
            }
            _ => {}
        }
    }
    total
}

/// Returns the text of a string, number or boolean, as a template shows it.
pub(crate) fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(text) => Some(text.clone()),
        NodeKind::Bool(value) => Some(value.to_string()),
        NodeKind::Number(value) => Some(number_text(*value)),
        _ => None,
    }
}

pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Compares two values, ignoring positions. Returns `None` when an
/// unknown part could make them equal or different, because two values
/// with the same unknown reason (two resource ARNs known after apply) need
/// not be equal.
pub(crate) fn same(a: &Node, b: &Node) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (NodeKind::Unknown(_), _) | (_, NodeKind::Unknown(_)) => None,
        (NodeKind::Seq(x), NodeKind::Seq(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_same(x.iter().zip(y).map(|(p, q)| same(p, q)))
        }
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let others: HashMap<&str, &Node> = y.iter().map(|(key, value)| (key.as_str(), value)).collect();
            all_same(x.iter().map(|(key, value)| match others.get(key.as_str()) {
                Some(other) => same(value, other),
                None => Some(false),
            }))
        }
        (NodeKind::Number(x), NodeKind::String(y)) | (NodeKind::String(y), NodeKind::Number(x)) => {
            Some(y.trim().parse::<f64>().ok() == Some(*x))
        }
        (x, y) => Some(x == y),
    }
}

/// Combines element comparisons: one known difference decides `false`,
/// otherwise an unknown comparison makes the result unknown.
fn all_same(comparisons: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut result = Some(true);
    for comparison in comparisons {
        match comparison {
            Some(false) => return Some(false),
            None => result = None,
            Some(true) => {}
        }
    }
    result
}

/// Returns true when a value is unknown or contains an unknown anywhere.
pub(crate) fn contains_unknown(value: &Node) -> bool {
    let mut pending = vec![value];
    while let Some(node) = pending.pop() {
        match &node.kind {
            NodeKind::Unknown(_) => return true,
            NodeKind::Seq(items) => pending.extend(items),
            NodeKind::Map(entries) => pending.extend(entries.iter().map(|(_, item)| item)),
            _ => {}
        }
    }
    false
}

/// Builds a map where a later duplicate key replaces the earlier value,
/// in time linear in the number of keys.
#[derive(Default)]
pub(crate) struct MapBuilder {
    entries: Vec<(String, Node)>,
    positions: HashMap<String, usize>,
}

impl MapBuilder {
    pub(crate) fn insert(&mut self, key: String, value: Node) {
        match self.positions.get(&key) {
            Some(&position) => self.entries[position].1 = value,
            None => {
                self.positions.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let position = *self.positions.get(key)?;
        Some(&mut self.entries[position].1)
    }

    pub(crate) fn finish(self) -> Vec<(String, Node)> {
        self.entries
    }
}
