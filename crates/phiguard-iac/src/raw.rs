//! `RawResource`: one resource as an input declares it, after the format's
//! own resolution (Terraform unknowns merged in, CloudFormation intrinsics
//! evaluated), before the service adapters type it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use phiguard_model::Location;

use crate::node::{Node, NodeKind};

/// The input format a raw resource came from; adapters read property
/// names and shapes per dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Terraform,
    CloudFormation,
}

#[derive(Clone, Debug)]
pub struct RawResource {
    /// Terraform address or CloudFormation logical id.
    pub address: String,
    pub resource_type: String,
    /// Terraform `values` / `after`, or CloudFormation `Properties`.
    pub props: Node,
    pub location: Location,
    /// Terraform only: the resources each attribute path refers to, from the
    /// plan's `configuration` section, as full addresses. Paths join block
    /// and attribute names with dots and skip list indices.
    pub references: BTreeMap<String, Vec<String>>,
    /// Terraform only: the attribute paths that the configuration sets,
    /// written like the keys of `references`, with every enclosing block.
    /// `None` when the plan has no configuration for the resource, so an
    /// unset attribute and one set to an unknown value look the same.
    pub configured: Option<BTreeSet<String>>,
    /// Terraform HCL only: why it is unknown whether the resource is
    /// created, when its `count` or `for_each` (or its module's) cannot be
    /// evaluated. `None` when it is created.
    pub existence: Option<String>,
}

impl RawResource {
    /// Returns the location of a node of this resource's properties. It
    /// names the resource's own file, which for a Terraform module
    /// directory is one of several files of the input.
    pub fn location_of(&self, node: &Node) -> Location {
        Location::new(self.location.file.clone(), node.line, node.column)
    }
}

/// All raw resources of one input, with lookups that adapters use to link
/// resources that the input keeps apart.
pub struct RawSet {
    pub dialect: Dialect,
    pub file: Arc<str>,
    pub resources: Vec<RawResource>,
    by_address: HashMap<String, usize>,
    /// Child indexes built by [`RawSet::children`], by child type and path.
    child_index: Mutex<HashMap<(String, String), Arc<HashMap<String, Vec<usize>>>>>,
    /// Parents that [`RawSet::children`] found a child for whose creation
    /// is unknown, with the reason.
    uncertain_parents: Mutex<HashMap<String, String>>,
}

impl RawSet {
    pub fn new(dialect: Dialect, file: Arc<str>, resources: Vec<RawResource>) -> Self {
        let by_address = resources.iter().enumerate().map(|(index, raw)| (raw.address.clone(), index)).collect();
        Self {
            dialect,
            file,
            resources,
            by_address,
            child_index: Mutex::new(HashMap::new()),
            uncertain_parents: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, address: &str) -> Option<&RawResource> {
        self.by_address.get(address).map(|&index| &self.resources[index])
    }

    pub fn of_type<'a>(&'a self, resource_type: &'a str) -> impl Iterator<Item = &'a RawResource> + 'a {
        self.resources.iter().filter(move |raw| raw.resource_type == resource_type)
    }

    /// Returns the addresses of the resources that `raw`'s attribute at
    /// `path` refers to. Terraform reads them from the configuration
    /// references, and CloudFormation from `Ref` and `Fn::GetAtt` in the value.
    pub fn links(&self, raw: &RawResource, path: &str) -> Vec<String> {
        match self.dialect {
            Dialect::Terraform => raw.references.get(path).cloned().unwrap_or_default(),
            Dialect::CloudFormation => {
                let mut node = Some(&raw.props);
                for key in path.split('.') {
                    node = node.and_then(|value| value.get(key));
                }
                let mut targets = Vec::new();
                if let Some(node) = node {
                    collect_refs(node, &mut targets);
                }
                targets
            }
        }
    }

    /// Finds the resource of one of `types` that `raw`'s attribute `path`
    /// points to. References come first. Then, for Terraform, the
    /// attribute's literal value is matched against the candidates'
    /// `id_keys` values (a bucket name, an ARN), because hand-written plans
    /// link that way.
    pub fn link_target(&self, raw: &RawResource, path: &str, types: &[&str], id_keys: &[&str]) -> Option<&RawResource> {
        for address in self.links(raw, path) {
            if let Some(target) = self.get(&address) {
                if types.contains(&target.resource_type.as_str()) {
                    return Some(target);
                }
            }
        }
        let mut node = Some(&raw.props);
        for key in path.split('.') {
            node = node.and_then(|value| value.block(key));
        }
        let literal = node.and_then(Node::as_str)?;
        self.resources.iter().find(|candidate| {
            types.contains(&candidate.resource_type.as_str())
                && id_keys.iter().any(|key| candidate.props.get(key).and_then(Node::as_str) == Some(literal))
        })
    }
}

impl RawSet {
    /// Returns the resources of `child_type` whose attribute `path` links to
    /// `parent` (see [`RawSet::link_target`]). The index is built once per
    /// child type and path, so linking stays linear in the number of
    /// resources.
    pub fn children(&self, parent: &RawResource, child_type: &str, path: &str, parent_types: &[&str], id_keys: &[&str]) -> Vec<&RawResource> {
        let key = (child_type.to_owned(), path.to_owned());
        let index = {
            let mut cache = self.child_index.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            cache
                .entry(key)
                .or_insert_with(|| {
                    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
                    for (position, child) in self.resources.iter().enumerate() {
                        if child.resource_type != child_type {
                            continue;
                        }
                        if let Some(target) = self.link_target(child, path, parent_types, id_keys) {
                            index.entry(target.address.clone()).or_default().push(position);
                        }
                    }
                    Arc::new(index)
                })
                .clone()
        };
        let children: Vec<&RawResource> =
            index.get(&parent.address).map(|positions| positions.iter().map(|&p| &self.resources[p]).collect()).unwrap_or_default();
        if let Some((child, reason)) = children.iter().find_map(|child| child.existence.as_ref().map(|reason| (child, reason))) {
            let mut uncertain = self.uncertain_parents.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            uncertain
                .entry(parent.address.clone())
                .or_insert_with(|| format!("{} configures it and may not be created: {reason}", child.address));
        }
        children
    }

    /// Returns why a setting that a child resource gives `address` may not
    /// apply, when [`RawSet::children`] found a child whose creation is
    /// unknown.
    pub fn uncertain_parent(&self, address: &str) -> Option<String> {
        self.uncertain_parents.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(address).cloned()
    }
}

fn collect_refs(node: &Node, targets: &mut Vec<String>) {
    match &node.kind {
        NodeKind::Ref { target, .. } => targets.push(target.clone()),
        NodeKind::Seq(items) => items.iter().for_each(|item| collect_refs(item, targets)),
        NodeKind::Map(entries) => entries.iter().for_each(|(_, value)| collect_refs(value, targets)),
        _ => {}
    }
}
