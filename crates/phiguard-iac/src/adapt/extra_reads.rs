//! Reads that `Reader` does not offer: string lists at the end of a path,
//! and Terraform arguments that the provider computes when the
//! configuration leaves them out.
//!
//! `Reader::node` treats every path step as a nested block and returns the
//! first element of a list, so `Reader::strings("resources")` reads only
//! the first element of a top-level list. The list helpers here step into
//! nested blocks the same way but keep the final value whole.

use phiguard_model::Attr;

use crate::adapt::Reader;
use crate::node::{Node, NodeKind};
use crate::raw::Dialect;

/// Returns the value at `path`, stepping into nested blocks for every step
/// but the last, or `None` when it is absent or null.
pub(super) fn list_node<'a>(reader: &Reader<'a>, path: &str) -> Option<&'a Node> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (reader.node(parent)?, key),
        None => (&reader.raw.props, path),
    };
    parent.present(key)
}

/// Reads a list of strings. A reference element becomes the address of
/// the resource it names, and a single string becomes a one-element list.
/// An absent value is an empty list with default provenance. Any element
/// known only at deploy time makes the whole list unknown.
pub(super) fn string_list(reader: &Reader<'_>, path: &str) -> Attr<Vec<String>> {
    let Some(node) = list_node(reader, path) else {
        return Attr::default_value(Vec::new(), reader.resource_location());
    };
    let location = reader.location(node);
    let items: Vec<&Node> = match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::String(_) | NodeKind::Ref { .. } => vec![node],
        NodeKind::Unknown(reason) => return Attr::unknown(format!("`{path}` is {reason}"), location),
        _ => return Attr::unknown(format!("`{path}` is a {}, expected a list of strings", node.type_name()), location),
    };
    let mut values = Vec::new();
    for item in items {
        match &item.kind {
            NodeKind::String(text) => values.push(text.clone()),
            NodeKind::Ref { target, .. } => values.push(target.clone()),
            NodeKind::Unknown(reason) => {
                return Attr::unknown(format!("an element of `{path}` is {reason}"), reader.location(item));
            }
            _ => {
                return Attr::unknown(
                    format!("an element of `{path}` is a {}, expected a string", item.type_name()),
                    reader.location(item),
                )
            }
        }
    }
    Attr::explicit(values, location)
}

/// Returns the literal string elements of the list at `path`, skipping
/// elements that are not known strings.
pub(super) fn literal_strings(reader: &Reader<'_>, path: &str) -> Vec<String> {
    list_node(reader, path)
        .and_then(Node::as_seq)
        .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// True when a whole Terraform argument is known only after apply and the
/// configuration refers to no resource under it. The provider plans
/// optional arguments that the configuration leaves out this way, so the
/// argument is read as absent. Always false for CloudFormation.
///
/// NOTE: an argument set from variables or data sources alone looks the
/// same in the plan and is read as absent too.
pub(super) fn computed_by_provider(reader: &Reader<'_>, key: &str) -> bool {
    if reader.dialect() != Dialect::Terraform {
        return false;
    }
    let whole_unknown = reader.raw.props.present(key).is_some_and(|node| matches!(node.kind, NodeKind::Unknown(_)));
    let nested = format!("{key}.");
    whole_unknown && !reader.raw.references.keys().any(|path| path == key || path.starts_with(&nested))
}
