//! `Reader`: typed reads of a raw resource's properties into `Attr` values,
//! with provenance and location.
//!
//! Paths are dot-separated keys. Each step goes into a nested block, which
//! Terraform writes as a one-element list and CloudFormation as an object.

use phiguard_model::{Attr, Location};

use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};
use crate::terraform::AFTER_APPLY;

pub struct Reader<'a> {
    pub set: &'a RawSet,
    pub raw: &'a RawResource,
    /// Whether reads treat a Terraform attribute that the provider computes
    /// because the configuration leaves it unset as absent.
    computed_as_default: bool,
}

impl<'a> Reader<'a> {
    pub fn new(set: &'a RawSet, raw: &'a RawResource) -> Self {
        Self { set, raw, computed_as_default: false }
    }

    /// Makes reads treat an attribute as absent, so that it takes the
    /// service default, when a Terraform plan marks it known after apply only
    /// because the provider computes it (see [`Reader::computed_by_provider`]).
    /// Use it for resources whose optional attributes the provider fills with
    /// the AWS default, such as an RDS instance's `backup_retention_period`.
    pub fn with_computed_defaults(mut self) -> Self {
        self.computed_as_default = true;
        self
    }

    /// Returns true when the plan marks the attribute at `path` (or a block
    /// on the way to it) as known after apply and the resource's
    /// configuration does not set it, so the provider computes it. Returns
    /// false when the plan has no configuration section to tell.
    pub fn computed_by_provider(&self, path: &str) -> bool {
        let Some(configured) = &self.raw.configured else { return false };
        let mut node = &self.raw.props;
        let mut walked = String::new();
        for key in path.split('.') {
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(key);
            match node.block(key) {
                Some(next) => node = next,
                None => return false,
            }
            if node.unknown_reason() == Some(AFTER_APPLY) {
                return !configured.contains(&walked);
            }
        }
        false
    }

    pub fn dialect(&self) -> Dialect {
        self.set.dialect
    }

    pub fn resource_location(&self) -> Location {
        self.raw.location.clone()
    }

    /// Returns the position of a node of this resource. The file is the
    /// resource's own, because a Terraform module spreads its resources over
    /// several files.
    pub fn location(&self, node: &Node) -> Location {
        Location::new(self.raw.location.file.clone(), node.line, node.column)
    }

    /// Returns the node at `path`, or `None` when any step is absent or null.
    pub fn node(&self, path: &str) -> Option<&'a Node> {
        if self.computed_as_default && self.computed_by_provider(path) {
            return None;
        }
        node_at(&self.raw.props, path)
    }

    /// Returns the list at `path`, or `None` when it is absent or null.
    /// Unlike [`Reader::node`], the last step keeps the whole list instead
    /// of taking a nested block's first element.
    pub(crate) fn list_node(&self, path: &str) -> Option<&'a Node> {
        if self.computed_as_default && self.computed_by_provider(path) {
            return None;
        }
        let (parent, key) = match path.rsplit_once('.') {
            Some((parent, key)) => (node_at(&self.raw.props, parent)?, key),
            None => (&self.raw.props, path),
        };
        if parent.unknown_reason().is_some() {
            return Some(parent);
        }
        parent.present(key)
    }

    /// Reads a boolean; an absent value takes the service default.
    pub fn bool(&self, path: &str, default: bool) -> Attr<bool> {
        self.read(path, default, |node| node.as_bool(), "a boolean")
    }

    /// Reads a non-negative integer; an absent value takes the default.
    pub fn u32(&self, path: &str, default: u32) -> Attr<u32> {
        self.read(path, default, |node| node.as_i64().and_then(|v| u32::try_from(v).ok()), "a non-negative integer")
    }

    pub fn i64(&self, path: &str, default: i64) -> Attr<i64> {
        self.read(path, default, Node::as_i64, "an integer")
    }

    /// Reads a string; an absent value is `None` with default provenance.
    pub fn string(&self, path: &str) -> Attr<Option<String>> {
        match self.node(path) {
            None => Attr::default_value(None, self.resource_location()),
            Some(node) => match &node.kind {
                NodeKind::String(text) if text.is_empty() => Attr::explicit(None, self.location(node)),
                NodeKind::String(text) => Attr::explicit(Some(text.clone()), self.location(node)),
                NodeKind::Number(_) | NodeKind::Bool(_) => {
                    Attr::explicit(Some(node.to_json().to_string()), self.location(node))
                }
                NodeKind::Ref { target, .. } => Attr::explicit(Some(target.clone()), self.location(node)),
                NodeKind::Unknown(reason) => Attr::unknown(format!("`{path}` is {reason}"), self.location(node)),
                _ => Attr::unknown(format!("`{path}` is a {}, expected a string", node.type_name()), self.location(node)),
            },
        }
    }

    /// Reads a string that may refer to another resource. A Terraform value
    /// known only after apply whose configuration refers to a resource of
    /// one of `types` becomes that resource's address, so a KMS key created
    /// in the same plan counts as set.
    pub fn string_or_link(&self, path: &str, types: &[&str]) -> Attr<Option<String>> {
        let value = self.string(path);
        if value.known().is_some() {
            return value;
        }
        let linked = self.set.links(self.raw, path).into_iter().find(|address| {
            self.set.get(address).is_some_and(|target| types.contains(&target.resource_type.as_str()))
        });
        match linked {
            Some(address) => Attr::explicit(Some(address), value.location().clone()),
            None => value,
        }
    }

    /// Reads a list of strings; an absent value is an empty list.
    pub fn strings(&self, path: &str) -> Attr<Vec<String>> {
        match self.list_node(path) {
            None => Attr::default_value(Vec::new(), self.resource_location()),
            Some(node) => match &node.kind {
                NodeKind::Unknown(reason) => Attr::unknown(format!("`{path}` is {reason}"), self.location(node)),
                NodeKind::Seq(items) => {
                    let mut values = Vec::new();
                    for item in items {
                        match &item.kind {
                            NodeKind::String(text) => values.push(text.clone()),
                            NodeKind::Ref { target, .. } => values.push(target.clone()),
                            NodeKind::Unknown(reason) => {
                                return Attr::unknown(format!("an element of `{path}` is {reason}"), self.location(item))
                            }
                            _ => values.push(item.to_json().to_string()),
                        }
                    }
                    Attr::explicit(values, self.location(node))
                }
                NodeKind::String(text) => Attr::explicit(vec![text.clone()], self.location(node)),
                _ => Attr::unknown(format!("`{path}` is a {}, expected a list", node.type_name()), self.location(node)),
            },
        }
    }

    fn read<T>(&self, path: &str, default: T, convert: impl Fn(&Node) -> Option<T>, expected: &str) -> Attr<T> {
        match self.node(path) {
            None => Attr::default_value(default, self.resource_location()),
            Some(node) => {
                if let NodeKind::Unknown(reason) = &node.kind {
                    return Attr::unknown(format!("`{path}` is {reason}"), self.location(node));
                }
                match convert(node) {
                    Some(value) => Attr::explicit(value, self.location(node)),
                    None => Attr::unknown(
                        format!("`{path}` is a {}, expected {expected}", node.type_name()),
                        self.location(node),
                    ),
                }
            }
        }
    }

    /// Returns the known tags: Terraform's `tags` map (or `tags_all`) or
    /// CloudFormation's `Tags` list of `Key`/`Value` objects.
    pub fn tags(&self) -> std::collections::BTreeMap<String, String> {
        let mut tags = std::collections::BTreeMap::new();
        for key in ["tags_all", "tags", "Tags"] {
            let Some(node) = self.raw.props.get(key) else { continue };
            match &node.kind {
                NodeKind::Map(entries) => {
                    for (name, value) in entries {
                        if let Some(text) = value.as_str() {
                            tags.insert(name.clone(), text.to_owned());
                        }
                    }
                }
                NodeKind::Seq(items) => {
                    for item in items {
                        if let (Some(name), Some(value)) =
                            (item.get("Key").and_then(Node::as_str), item.get("Value").and_then(Node::as_str))
                        {
                            tags.insert(name.to_owned(), value.to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
        tags
    }
}

/// Walks a dot-separated path of nested blocks.
pub fn node_at<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = root;
    for key in path.split('.') {
        // Everything inside an unknown value is unknown, not absent: a
        // whole property object from an undecidable `Fn::If`, or a plan's
        // `after_unknown: true`, must not read as "nothing set".
        if node.unknown_reason().is_some() {
            return Some(node);
        }
        node = node.block(key)?;
    }
    if node.is_null() {
        None
    } else {
        Some(node)
    }
}
