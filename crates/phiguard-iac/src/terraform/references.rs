//! Configuration references: which resource each attribute of a resource
//! points to, read from the plan's `configuration` section.
//!
//! Terraform AWS provider 4 and later splits a bucket's encryption,
//! versioning, logging and policy into their own resources. When the bucket
//! name is computed, the only link between them in a plan is the expression
//! `bucket = aws_s3_bucket.b.id`, which the configuration records as a
//! reference.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::node::{Node, NodeKind};

use super::{instance_key, split_module_path, strip_indices, ExpressionIndex};

/// Indexes every resource's `expressions` by its address without instance
/// keys, with module calls prefixed (`module.a.module.b.aws_x.y`).
pub(crate) fn index_configuration(root_module: &Node) -> ExpressionIndex<'_> {
    let mut index = ExpressionIndex::new();
    index_module(root_module, "", &mut index, 0);
    index
}

fn index_module<'a>(module: &'a Node, prefix: &str, index: &mut ExpressionIndex<'a>, depth: usize) {
    // Module calls nest at most as deep as the document; the bound guards
    // against a crafted document, not against real configurations.
    if depth > 64 {
        return;
    }
    for resource in module.get("resources").and_then(Node::as_seq).unwrap_or_default() {
        if let (Some(address), Some(expressions)) =
            (resource.get("address").and_then(Node::as_str), resource.get("expressions"))
        {
            index.insert(format!("{prefix}{address}"), expressions);
        }
    }
    for (name, call) in module.get("module_calls").and_then(Node::as_map).unwrap_or_default() {
        if let Some(child) = call.get("module") {
            index_module(child, &format!("{prefix}module.{name}."), index, depth + 1);
        }
    }
}

/// The configuration's record of how expressions reach other resources
/// through Terraform itself: the references of each resource's
/// `for_each_expression` (for `each.value`), and the argument expressions
/// of each module call (for `var.NAME` inside the module).
#[derive(Default)]
pub(crate) struct LinkIndex<'a> {
    /// Resource address without instance keys to its `for_each` references.
    for_each: HashMap<String, Vec<String>>,
    /// Module path without instance keys (`module.a.module.b.`) to the
    /// call's `expressions`.
    calls: HashMap<String, &'a Node>,
}

pub(crate) fn index_links(root_module: &Node) -> LinkIndex<'_> {
    let mut index = LinkIndex::default();
    index_module_links(root_module, "", &mut index, 0);
    index
}

fn index_module_links<'a>(module: &'a Node, prefix: &str, index: &mut LinkIndex<'a>, depth: usize) {
    if depth > 64 {
        return;
    }
    for resource in module.get("resources").and_then(Node::as_seq).unwrap_or_default() {
        let address = resource.get("address").and_then(Node::as_str);
        let for_each = resource.get("for_each_expression").and_then(|node| node.get("references")).and_then(Node::as_seq);
        if let (Some(address), Some(references)) = (address, for_each) {
            let references = references.iter().filter_map(Node::as_str).map(str::to_owned).collect();
            index.for_each.insert(format!("{prefix}{address}"), references);
        }
    }
    for (name, call) in module.get("module_calls").and_then(Node::as_map).unwrap_or_default() {
        let path = format!("{prefix}module.{name}.");
        if let Some(expressions) = call.get("expressions") {
            index.calls.insert(path.clone(), expressions);
        }
        if let Some(child) = call.get("module") {
            index_module_links(child, &path, index, depth + 1);
        }
    }
}

/// Follows a reference that names no resource itself: `each.value` to the
/// resource the `for_each` iterates over (the instance with the same key),
/// and `var.NAME` to what the module call passes in, through any number of
/// module levels.
fn resolve_indirect(
    reference: &str,
    address: &str,
    module_path: &str,
    own_key: Option<&str>,
    links: &LinkIndex<'_>,
    addresses: &InstanceIndex,
    depth: usize,
) -> Vec<String> {
    if depth > 16 {
        return Vec::new();
    }
    if reference == "each.value" || reference.starts_with("each.value.") {
        let references = links.for_each.get(&strip_indices(address)).map(Vec::as_slice).unwrap_or_default();
        return references
            .iter()
            .filter_map(|target| resolve_reference(target, module_path, own_key, addresses))
            .collect();
    }
    let Some(variable) = reference.strip_prefix("var.").map(|rest| rest.split(['.', '[']).next().unwrap_or(rest)) else {
        return Vec::new();
    };
    if module_path.is_empty() {
        return Vec::new();
    }
    let Some(call) = links.calls.get(&strip_indices(module_path)) else { return Vec::new() };
    let Some(argument) = call.get(variable) else { return Vec::new() };
    // The call belongs to the module one level up, whose path is this one
    // without its last `module.NAME[KEY].` step.
    let trimmed = &module_path[..module_path.len() - 1];
    let caller_path = match trimmed.rfind("module.") {
        Some(0) | None => "",
        Some(start) => &module_path[..start],
    };
    let mut targets = Vec::new();
    for caller_reference in argument.get("references").and_then(Node::as_seq).unwrap_or_default().iter().filter_map(Node::as_str) {
        match resolve_reference(caller_reference, caller_path, None, addresses) {
            Some(target) => targets.push(target),
            None => targets.extend(resolve_indirect(caller_reference, address, caller_path, None, links, addresses, depth + 1)),
        }
    }
    targets
}

/// Resource instance addresses grouped by their address without the last
/// instance key (`module.m.aws_s3_bucket.b`), so a reference resolves in
/// constant time, with the set of all addresses for exact lookups.
#[derive(Default)]
pub(crate) struct InstanceIndex {
    by_base: HashMap<String, Vec<String>>,
    all: HashSet<String>,
}

pub(crate) fn index_instances(addresses: &[String]) -> InstanceIndex {
    let mut index = InstanceIndex::default();
    for address in addresses {
        index.by_base.entry(base_of(address)).or_default().push(address.clone());
        index.all.insert(address.clone());
    }
    index
}

/// Removes a trailing instance key (`["x"]`, `[0]`) from an address.
fn base_of(address: &str) -> String {
    if !address.ends_with(']') {
        return address.to_owned();
    }
    // Find the `[` that opens the final key, skipping brackets inside a
    // quoted for_each key.
    let bytes = address.as_bytes();
    let mut in_string = false;
    let mut open = None;
    for (position, byte) in bytes.iter().enumerate() {
        match byte {
            b'"' => in_string = !in_string,
            b'[' if !in_string => open = Some(position),
            _ => {}
        }
    }
    match open {
        Some(start) => address[..start].to_owned(),
        None => address.to_owned(),
    }
}

/// Resolves the references of the resource at `address` to full addresses of
/// resources in `addresses`.
pub(crate) fn resolve(
    address: &str,
    index: &ExpressionIndex<'_>,
    links: &LinkIndex<'_>,
    addresses: &InstanceIndex,
) -> BTreeMap<String, Vec<String>> {
    let mut resolved = BTreeMap::new();
    let Some(expressions) = index.get(&strip_indices(address)) else {
        return resolved;
    };
    let (module_path, _) = split_module_path(address);
    let own_key = instance_key(address);
    let mut found = Vec::new();
    collect(expressions, String::new(), &mut found);
    for (path, references) in found {
        let mut targets = Vec::new();
        for reference in references {
            let found = match resolve_reference(&reference, module_path, own_key, addresses) {
                Some(target) => vec![target],
                None => resolve_indirect(&reference, address, module_path, own_key, links, addresses, 0),
            };
            for target in found {
                if !targets.contains(&target) {
                    targets.push(target);
                }
            }
        }
        if !targets.is_empty() {
            resolved.entry(path).or_insert_with(Vec::new).extend(targets);
        }
    }
    resolved
}

/// Returns the attribute paths that the configuration of the resource at
/// `address` sets, each enclosing block included, or `None` when the
/// configuration does not describe the resource.
///
/// A plan marks an optional attribute that the provider computes as known
/// after apply even when the configuration leaves it unset. This set
/// separates that case from an attribute set to a value computed elsewhere.
// NOTE: `dynamic` blocks are absent from the configuration section, so an
// unknown value inside one counts as unset.
pub(crate) fn configured_paths(address: &str, index: &ExpressionIndex<'_>) -> Option<BTreeSet<String>> {
    let expressions = index.get(&strip_indices(address))?;
    let mut paths = BTreeSet::new();
    collect_paths(expressions, String::new(), &mut paths);
    Some(paths)
}

fn collect_paths(node: &Node, path: String, out: &mut BTreeSet<String>) {
    if !path.is_empty() {
        out.insert(path.clone());
    }
    match &node.kind {
        // An expression object ends the path; anything else is a block.
        NodeKind::Map(_) if node.get("references").is_some() || node.get("constant_value").is_some() => {}
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                collect_paths(value, child, out);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|item| collect_paths(item, path.clone(), out)),
        _ => {}
    }
}

/// Collects `(attribute path, references)` pairs. An expression is an
/// object with `references` or `constant_value`; nested blocks are lists of
/// objects of expressions.
fn collect(node: &Node, path: String, out: &mut Vec<(String, Vec<String>)>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            if let Some(references) = node.get("references").and_then(Node::as_seq) {
                let names = references.iter().filter_map(Node::as_str).map(str::to_owned).collect();
                out.push((path, names));
                return;
            }
            for (key, value) in entries {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                collect(value, child, out);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|item| collect(item, path.clone(), out)),
        _ => {}
    }
}

/// Turns a reference such as `aws_s3_bucket.b.id` or `aws_s3_bucket.b["x"]`
/// into the address of one resource instance. The instance is the one with
/// the referring resource's own key, or the only instance.
/// Resolves one reference (`type.name`, `type.name[key]`, with attribute
/// steps after it) made from the module at `module_path` to a full address.
pub(crate) fn resolve_reference(reference: &str, module_path: &str, own_key: Option<&str>, addresses: &InstanceIndex) -> Option<String> {
    const NOT_RESOURCES: &[&str] = &["var.", "local.", "module.", "data.", "each.", "count.", "path.", "self."];
    if NOT_RESOURCES.iter().any(|prefix| reference.starts_with(prefix)) {
        return None;
    }
    // A reference is `type.name`, then an optional instance key in brackets,
    // then attribute steps. The delimiters are ASCII, so the byte offsets
    // found for them are character boundaries.
    let (resource_type, rest) = reference.split_once('.')?;
    let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = &rest[..name_end];
    let explicit_key = rest[name_end..].starts_with('[').then(|| instance_key_at(&rest[name_end..]));
    let base = format!("{module_path}{resource_type}.{name}");
    if let Some(key) = explicit_key {
        let wanted = format!("{base}{}", key?);
        return addresses.all.contains(&wanted).then_some(wanted);
    }
    match addresses.by_base.get(&base).map(Vec::as_slice) {
        None | Some([]) => None,
        Some([only]) => Some(only.clone()),
        Some(_) => {
            let wanted = format!("{base}{}", own_key?);
            addresses.all.contains(&wanted).then_some(wanted)
        }
    }
}

/// Returns the bracketed instance key at the start of `text` (`["a.b"]`,
/// `[0]`), with brackets inside a quoted key kept, or `None` when the key
/// is not closed.
fn instance_key_at(text: &str) -> Option<&str> {
    let mut in_string = false;
    let mut escaped = false;
    for (index, character) in text.char_indices() {
        match character {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return Some(&text[..=index]),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_paths_include_blocks_and_leaves() {
        let expressions = crate::json::parse(
            r#"{"storage_encrypted": {"constant_value": true},
                "kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]},
                "point_in_time_recovery": [{"enabled": {"constant_value": true}}]}"#,
        )
        .expect("valid JSON");
        let mut index = ExpressionIndex::new();
        index.insert("module.m.aws_db_instance.db".to_owned(), &expressions);
        let paths = configured_paths("module.m.aws_db_instance.db[0]", &index).expect("resource is indexed");
        let expected = ["kms_key_id", "point_in_time_recovery", "point_in_time_recovery.enabled", "storage_encrypted"];
        assert_eq!(paths.iter().map(String::as_str).collect::<Vec<_>>(), expected);
        assert_eq!(configured_paths("aws_db_instance.other", &index), None);
    }

    #[test]
    fn reference_with_non_ascii_key_does_not_panic() {
        let addresses = index_instances(&["aws_s3_bucket.b[\"ü\"]".to_owned()]);
        assert_eq!(resolve_reference("a[ü].b", "", None, &addresses), None);
        assert_eq!(
            resolve_reference("aws_s3_bucket.b[\"ü\"].id", "", None, &addresses),
            Some("aws_s3_bucket.b[\"ü\"]".to_owned())
        );
        assert_eq!(resolve_reference("aws_s3_bucket.b[\"unclosed", "", None, &addresses), None);
    }

    #[test]
    fn reference_to_single_instance() {
        let addresses = index_instances(&["module.m.aws_s3_bucket.b".to_owned()]);
        assert_eq!(
            resolve_reference("aws_s3_bucket.b.id", "module.m.", None, &addresses),
            Some("module.m.aws_s3_bucket.b".to_owned())
        );
        assert_eq!(resolve_reference("aws_s3_bucket.b.id", "", None, &addresses), None);
    }

    #[test]
    fn reference_follows_own_for_each_key() {
        let addresses =
            index_instances(&["aws_s3_bucket.b[\"x\"]".to_owned(), "aws_s3_bucket.b[\"y\"]".to_owned()]);
        assert_eq!(
            resolve_reference("aws_s3_bucket.b", "", Some("[\"y\"]"), &addresses),
            Some("aws_s3_bucket.b[\"y\"]".to_owned())
        );
        assert_eq!(resolve_reference("aws_s3_bucket.b", "", None, &addresses), None);
        assert_eq!(
            resolve_reference("aws_s3_bucket.b[\"x\"].id", "", None, &addresses),
            Some("aws_s3_bucket.b[\"x\"]".to_owned())
        );
    }
}
