//! The CloudFormation front end: detects templates, evaluates parameters
//! defaults, mappings, conditions and intrinsic functions, and yields raw
//! resources whose `Ref` and `Fn::GetAtt` values link to other resources.
//!
//! A condition that depends on a parameter without a default, or on a pseudo
//! parameter such as `AWS::Region`, cannot be evaluated. For up to
//! [`MAX_ASSUMED_CONDITIONS`] such conditions, the template is resolved once
//! per combination of their values. The scan then merges the verdicts, so a
//! rule that gives the same result on every branch reports that result.

mod intrinsics;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use phiguard_model::Location;

use crate::error::ParseError;
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};

pub use intrinsics::Tri;

/// Unknown conditions beyond this count are not branched on; `Fn::If` on
/// them resolves to an unknown value instead. Six conditions give 64
/// resolutions, which stays fast for templates of hundreds of resources.
pub const MAX_ASSUMED_CONDITIONS: usize = 6;

/// Returns true when the document is a CloudFormation or SAM template.
pub fn detect(root: &Node) -> bool {
    // A template that declares its format version is a template even when
    // its `Resources` is missing or malformed. Resolving it then reports the
    // problem instead of skipping the file.
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(resources) = root.get("Resources").and_then(Node::as_map) else {
        return false;
    };
    resources.iter().any(|(key, resource)| {
            key.starts_with("Fn::ForEach::") || resource.get("Type").and_then(Node::as_str).is_some_and(|t| t.contains("::"))
        })
}

/// One resolution of a template: the condition values it assumes and its raw
/// resources.
pub struct Resolution {
    pub assumptions: Vec<(String, bool)>,
    pub resources: RawSet,
}

/// The resolutions of a template, and notes about parts that were skipped.
pub struct Resolved {
    pub resolutions: Vec<Resolution>,
    pub notes: Vec<String>,
}

pub fn resolve(root: &Node, file: Arc<str>) -> Result<Resolved, ParseError> {
    let template = intrinsics::Template::new(root)?;
    let mut notes = Vec::new();
    let unknown = template.unknown_conditions();
    let (branched, unbranched): (Vec<String>, Vec<String>) = {
        let mut names = unknown;
        let rest = names.split_off(names.len().min(MAX_ASSUMED_CONDITIONS));
        (names, rest)
    };
    if !unbranched.is_empty() {
        notes.push(format!(
            "{} conditions cannot be evaluated; values under `Fn::If` on {} are unknown",
            branched.len() + unbranched.len(),
            unbranched.join(", ")
        ));
    }

    let mut resolutions = Vec::new();
    for combination in 0..(1usize << branched.len()) {
        let assumptions: Vec<(String, bool)> = branched
            .iter()
            .enumerate()
            .map(|(bit, name)| (name.clone(), combination & (1 << bit) != 0))
            .collect();
        let assumed: HashMap<&str, bool> = assumptions.iter().map(|(name, value)| (name.as_str(), *value)).collect();
        let resources = resources_for(&template, &assumed, &file, &mut notes);
        resolutions.push(Resolution { assumptions, resources: RawSet::new(Dialect::CloudFormation, file.clone(), resources) });
    }
    notes.sort();
    notes.dedup();
    Ok(Resolved { resolutions, notes })
}

fn resources_for(
    template: &intrinsics::Template<'_>,
    assumed: &HashMap<&str, bool>,
    file: &Arc<str>,
    notes: &mut Vec<String>,
) -> Vec<RawResource> {
    let mut resources = Vec::new();
    for (logical_id, resource) in template.resources {
        if logical_id.starts_with("Fn::ForEach::") {
            notes.push(format!(
                "`{logical_id}` (AWS::LanguageExtensions) is not expanded; its resources are not scanned"
            ));
            continue;
        }
        let Some(resource_type) = resource.get("Type").and_then(Node::as_str) else {
            notes.push(format!("resource `{logical_id}` has no `Type`; it is not scanned"));
            continue;
        };
        if let Some(condition) = resource.get("Condition").and_then(Node::as_str) {
            if template.condition(condition, assumed) == Tri::False {
                continue;
            }
        }
        let props = match resource.get("Properties") {
            Some(properties) => template
                .resolve(properties, assumed)
                .unwrap_or_else(|| Node::new(NodeKind::Map(Vec::new()), properties.line, properties.column)),
            None => Node::new(NodeKind::Map(Vec::new()), resource.line, resource.column),
        };
        resources.push(RawResource {
            address: logical_id.clone(),
            resource_type: resource_type.to_owned(),
            location: Location::new(file.clone(), resource.line, resource.column),
            props,
            references: BTreeMap::new(),
            configured: None,
            existence: None,
        });
    }
    resources
}
