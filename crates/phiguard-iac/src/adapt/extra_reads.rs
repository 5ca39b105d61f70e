//! String-list reads that `Reader::strings` does not offer: a strict list
//! whose non-string elements make the attribute unknown, and the literal
//! strings of a partly unknown list.

use phiguard_model::Attr;

use crate::adapt::Reader;
use crate::node::{Node, NodeKind};

/// Reads a list of strings. A reference element becomes the address of
/// the resource it names, and a single string becomes a one-element list.
/// An absent value is an empty list with default provenance. Any element
/// known only at deploy time makes the whole list unknown.
pub(super) fn string_list(reader: &Reader<'_>, path: &str) -> Attr<Vec<String>> {
    let Some(node) = reader.list_node(path) else {
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
    reader.list_node(path)
        .and_then(Node::as_seq)
        .map(|items| items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}
