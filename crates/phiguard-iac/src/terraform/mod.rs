//! The Terraform plan and state adapter front end: walks `terraform show
//! -json` output (plan format 0.1 to 1.2, and state), merges unknown values
//! in, and attaches each resource's configuration references and the
//! attributes its configuration sets.

pub(crate) mod references;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use phiguard_model::Location;

use crate::error::ParseError;
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};

/// The reason recorded on values that Terraform computes during apply.
pub const AFTER_APPLY: &str = "known only after apply";

/// Returns true when the document is Terraform plan or state JSON.
pub fn detect(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root.get("values").is_some()
            || root.get("terraform_version").is_some())
}

/// Builds the raw resources of a plan or state document.
/// The document is taken by value so that each resource's values move into
/// its raw resource instead of being copied, which halves the memory a large
/// plan needs.
pub fn raw_resources(mut root: Node, file: Arc<str>) -> Result<RawSet, ParseError> {
    check_format_version(&root)?;
    check_shape(&root)?;
    let mut resources = Vec::new();
    let mut seen = HashSet::new();
    let deleted: HashSet<String> = deleted_addresses(&root);

    // Resource changes carry `after_unknown`, so they come first; resources
    // that only appear in planned values (plans without changes for them)
    // are added afterwards.
    if let Some(NodeKind::Seq(changes)) = root.get_mut("resource_changes").map(|node| &mut node.kind) {
        for change in changes {
            if let Some(raw) = from_change(change, &file) {
                seen.insert(raw.address.clone());
                resources.push(raw);
            }
        }
    }
    let root = &root;
    let values_root = root.get("planned_values").or_else(|| root.get("values")).and_then(|values| values.get("root_module"));
    if let Some(module) = values_root {
        let needed = |address: &str| !seen.contains(address) && !deleted.contains(address);
        let mut found = Vec::new();
        walk_module(module, &file, &needed, &mut |raw| found.push(raw));
        for raw in found {
            seen.insert(raw.address.clone());
            resources.push(raw);
        }
    }

    if let Some(configuration) = root.get("configuration").and_then(|config| config.get("root_module")) {
        let expressions = references::index_configuration(configuration);
        let links = references::index_links(configuration);
        let addresses: Vec<String> = resources.iter().map(|raw| raw.address.clone()).collect();
        let addresses = references::index_instances(&addresses);
        for raw in &mut resources {
            raw.references = references::resolve(&raw.address, &expressions, &links, &addresses);
            raw.configured = references::configured_paths(&raw.address, &expressions);
        }
    }
    Ok(RawSet::new(Dialect::Terraform, file, resources))
}

/// Rejects a plan whose resource containers have the wrong JSON type, which
/// would otherwise read as a plan without resources and pass.
fn check_shape(root: &Node) -> Result<(), ParseError> {
    let expect = |node: Option<&Node>, name: &str, list: bool| -> Result<(), ParseError> {
        let Some(node) = node else { return Ok(()) };
        let fits = match &node.kind {
            NodeKind::Null => true,
            NodeKind::Seq(_) => list,
            NodeKind::Map(_) => !list,
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            let expected = if list { "a list" } else { "an object" };
            Err(ParseError::at(
                format!("`{name}` must be {expected}, found a {}; produce the file with `terraform show -json`", node.type_name()),
                node.line,
                node.column,
            ))
        }
    };
    expect(root.get("resource_changes"), "resource_changes", true)?;
    for section in ["planned_values", "values"] {
        let values = root.get(section);
        expect(values, section, false)?;
        let module = values.and_then(|values| values.get("root_module"));
        expect(module, &format!("{section}.root_module"), false)?;
        expect(module.and_then(|module| module.get("resources")), &format!("{section}.root_module.resources"), true)?;
    }
    Ok(())
}

fn check_format_version(root: &Node) -> Result<(), ParseError> {
    let version = root.get("format_version").ok_or_else(|| ParseError::general("missing `format_version`"))?;
    let Some(text) = version.as_str() else {
        return Err(ParseError::at(
            format!("`format_version` must be a string such as \"1.2\", found a {}", version.type_name()),
            version.line,
            version.column,
        ));
    };
    let major = text.split('.').next().and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(0 | 1) => Ok(()),
        _ => Err(ParseError::at(
            format!("unsupported plan format_version \"{text}\"; phiguard reads versions 0.1 to 1.x"),
            version.line,
            version.column,
        )),
    }
}

fn deleted_addresses(root: &Node) -> HashSet<String> {
    let mut deleted = HashSet::new();
    for change in root.get("resource_changes").and_then(Node::as_seq).unwrap_or_default() {
        if is_delete_only(change) {
            if let Some(address) = change.get("address").and_then(Node::as_str) {
                deleted.insert(address.to_owned());
            }
        }
    }
    deleted
}

fn is_delete_only(change: &Node) -> bool {
    let actions: Vec<&str> = change
        .get("change")
        .and_then(|inner| inner.get("actions"))
        .and_then(Node::as_seq)
        .map(|actions| actions.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();
    actions == ["delete"]
}

fn from_change(change: &mut Node, file: &Arc<str>) -> Option<RawResource> {
    if change.get("mode").and_then(Node::as_str) != Some("managed") || is_delete_only(change) {
        return None;
    }
    let address = change.get("address")?.as_str()?.to_owned();
    let resource_type = change.get("type")?.as_str()?.to_owned();
    let (line, column) = (change.line, change.column);
    let inner = change.get_mut("change")?;
    let mut props = match inner.get_mut("after") {
        Some(after) if after.as_map().is_some() => {
            let placeholder = Node::new(NodeKind::Null, after.line, after.column);
            std::mem::replace(after, placeholder)
        }
        _ => Node::new(NodeKind::Map(Vec::new()), line, column),
    };
    if let Some(unknown) = inner.get("after_unknown") {
        merge_unknown(&mut props, unknown);
    }
    Some(RawResource {
        address,
        resource_type,
        location: Location::new(file.clone(), props.line, props.column),
        props,
        references: BTreeMap::new(),
        configured: None,
        existence: None,
    })
}

/// Emits the managed resources of a module and its children whose address
/// `needed` accepts. The check comes before the values are copied, because
/// in a plan most resources were already read from `resource_changes`.
fn walk_module(module: &Node, file: &Arc<str>, needed: &dyn Fn(&str) -> bool, emit: &mut dyn FnMut(RawResource)) {
    for resource in module.get("resources").and_then(Node::as_seq).unwrap_or_default() {
        if resource.get("mode").and_then(Node::as_str).is_some_and(|mode| mode != "managed") {
            continue;
        }
        let (Some(address), Some(resource_type)) =
            (resource.get("address").and_then(Node::as_str), resource.get("type").and_then(Node::as_str))
        else {
            continue;
        };
        if !needed(address) {
            continue;
        }
        let props = match resource.get("values") {
            Some(values) if values.as_map().is_some() => values.clone(),
            _ => Node::new(NodeKind::Map(Vec::new()), resource.line, resource.column),
        };
        emit(RawResource {
            address: address.to_owned(),
            resource_type: resource_type.to_owned(),
            location: Location::new(file.clone(), props.line, props.column),
            props,
            references: BTreeMap::new(),
            configured: None,
        existence: None,
        });
    }
    for child in module.get("child_modules").and_then(Node::as_seq).unwrap_or_default() {
        walk_module(child, file, needed, emit);
    }
}

/// Marks every value that `after_unknown` flags as unknown. Unknown values
/// are absent or null in `after`, so the key is created when missing.
fn merge_unknown(value: &mut Node, unknown: &Node) {
    match (&mut value.kind, &unknown.kind) {
        (_, NodeKind::Bool(true)) => {
            value.kind = NodeKind::Unknown(AFTER_APPLY.to_owned());
        }
        (NodeKind::Map(entries), NodeKind::Map(flags)) => {
            for (key, flag) in flags {
                match entries.iter_mut().find(|(name, _)| name == key) {
                    Some((_, child)) => merge_unknown(child, flag),
                    None if matches!(flag.kind, NodeKind::Bool(true)) => entries.push((
                        key.clone(),
                        Node::new(NodeKind::Unknown(AFTER_APPLY.to_owned()), value.line, value.column),
                    )),
                    None => {}
                }
            }
        }
        (NodeKind::Seq(items), NodeKind::Seq(flags)) => {
            for (item, flag) in items.iter_mut().zip(flags) {
                merge_unknown(item, flag);
            }
        }
        (NodeKind::Null, NodeKind::Map(_) | NodeKind::Seq(_)) => {}
        _ => {}
    }
}

/// Splits an address into its module path (`module.a.module.b["x"].`) and
/// the resource part (`aws_s3_bucket.b["k"]`).
pub(crate) fn split_module_path(address: &str) -> (&str, &str) {
    let mut rest = address;
    let mut consumed = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        // The module name ends at the next `.` that is outside brackets.
        let mut depth = 0;
        let mut end = None;
        for (index, character) in after.char_indices() {
            match character {
                '[' => depth += 1,
                ']' => depth -= 1,
                '.' if depth == 0 => {
                    end = Some(index);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        let step = "module.".len() + end + 1;
        consumed += step;
        rest = &rest[step..];
    }
    (&address[..consumed], &address[consumed..])
}

/// Removes instance keys (`[0]`, `["x"]`) from an address.
pub(crate) fn strip_indices(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut in_string = false;
    for character in address.chars() {
        match character {
            '"' if depth > 0 => in_string = !in_string,
            '[' if !in_string => depth += 1,
            ']' if !in_string => depth -= 1,
            _ if depth == 0 => out.push(character),
            _ => {}
        }
    }
    out
}

/// Returns the instance key of the last address step (`["x"]` or `[0]`).
pub(crate) fn instance_key(address: &str) -> Option<&str> {
    let (_, resource) = split_module_path(address);
    resource.find('[').map(|start| &resource[start..])
}

pub(crate) type ExpressionIndex<'a> = HashMap<String, &'a Node>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_path_split() {
        assert_eq!(
            split_module_path("module.a.module.b[\"x.y\"].aws_s3_bucket.c[0]"),
            ("module.a.module.b[\"x.y\"].", "aws_s3_bucket.c[0]")
        );
        assert_eq!(split_module_path("aws_s3_bucket.c"), ("", "aws_s3_bucket.c"));
    }

    #[test]
    fn indices_are_stripped() {
        assert_eq!(strip_indices("module.a[0].aws_s3_bucket.b[\"k[1]\"]"), "module.a.aws_s3_bucket.b");
    }
}
