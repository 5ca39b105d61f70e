//! The Terraform HCL front end. It reads the `.tf` files of a root module
//! directory and evaluates what the configuration alone decides: variable
//! defaults and `.tfvars` values, locals, `count`, `for_each`, `dynamic`
//! blocks, override files, local child modules and the AWS provider's
//! `default_tags`. It builds the same raw resources as a plan, so every
//! service adapter and rule works on it unchanged.
//!
//! A value the configuration cannot decide (a resource attribute computed
//! during apply, a data source, a variable without a value) is an unknown
//! that names the reason, and the rules report Unknown for it.

mod eval;
mod functions;
mod types;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;
use phiguard_model::Location;

use crate::error::ParseError;
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};
use crate::terraform::references::{index_instances, resolve_reference};
use crate::terraform::{instance_key, split_module_path};

use eval::{scalar_text, Evaluator, Scope, WORK_BUDGET, Shape};

/// The maximum depth of nested module calls. Real configurations stay far
/// below it, and a module that calls itself would otherwise recurse
/// without end.
const MAX_MODULE_DEPTH: usize = 16;

/// The maximum number of resource and module instances one root module
/// expands to, so a crafted `count`, or `for_each` on nested module calls,
/// cannot exhaust memory.
const MAX_INSTANCES: usize = 50_000;

/// The maximum bracket nesting depth of a file. The HCL parser recurses
/// once per level, so deeper input is rejected before parsing.
const MAX_NESTING: usize = 200;

/// One `.tf` or `.tfvars` file: the label findings show, and its text.
pub struct HclFile {
    pub label: String,
    pub text: String,
}

/// A file of the module that could not be read or parsed. The rest of the
/// module is still scanned.
pub struct FileError {
    pub file: String,
    pub error: ParseError,
}

/// The result of loading one root module.
pub struct ModuleLoad {
    pub set: RawSet,
    pub notes: Vec<String>,
    pub errors: Vec<FileError>,
}

/// Returns true for file names that Terraform reads as configuration.
pub fn is_configuration_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".tf") || is_autoloaded_variables(&lower)
}

/// Returns true for the variable files Terraform loads without `-var-file`.
fn is_autoloaded_variables(lower_name: &str) -> bool {
    lower_name == "terraform.tfvars" || lower_name.ends_with(".auto.tfvars")
}

/// Loads the root module in `dir`: its `.tf` files, `terraform.tfvars` and
/// `*.auto.tfvars`. `label` is the directory as findings show it.
pub fn load_directory(label: &str, dir: &Path, max_size: u64) -> ModuleLoad {
    let mut errors = Vec::new();
    let files = read_module_files(label, dir, max_size, &mut errors);
    let mut load = load_files(label, files, Some(dir), max_size);
    errors.append(&mut load.errors);
    load.errors = errors;
    load
}

/// Loads a root module from files already in memory. Local module calls
/// are followed only when `dir` gives the directory of the files.
pub fn load_files(label: &str, files: Vec<HclFile>, dir: Option<&Path>, max_size: u64) -> ModuleLoad {
    let mut loader = Loader {
        root_dir: dir.map(Path::to_path_buf),
        root_label: label.to_owned(),
        max_size,
        resources: Vec::new(),
        pending_references: Vec::new(),
        notes: Vec::new(),
        errors: Vec::new(),
        default_tags: None,
        instance_budget_noted: false,
        module_instances: 0,
        module_stack: dir.map(|dir| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())).into_iter().collect(),
        work: Rc::new(Cell::new(0)),
        module_files: HashMap::new(),
        installed_modules: dir.map(installed_modules).unwrap_or_default(),
        uncertain_modules: Vec::new(),
    };
    let (module, variable_files) = loader.parse_all(files);
    let mut variables_given = HashMap::new();
    for file in &variable_files {
        loader.read_variable_values(file, &mut variables_given);
    }
    let module_dir = dir.map(Path::to_path_buf);
    loader.instantiate(&module, "", "", module_dir.as_deref(), label, variables_given, HashMap::new(), 0, true);
    loader.finish()
}

/// The parsed files of one module. Override files (`override.tf`,
/// `*_override.tf`) are kept apart because Terraform merges each of their
/// blocks into the block of the same type and labels.
struct ModuleFiles {
    files: Vec<Parsed>,
    overrides: Vec<Parsed>,
}

/// Override blocks by [`block_key`], in the order Terraform applies them.
type OverrideBlocks<'f> = HashMap<String, Vec<(&'f Parsed, &'f Block)>>;

struct Parsed {
    label: Arc<str>,
    text: String,
    /// Byte offsets at which lines start.
    line_starts: Vec<usize>,
    body: Body,
}

impl Parsed {
    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let start = self.line_starts[line - 1];
        let end = offset.min(self.text.len());
        let column = self.text.get(start..end).map(|prefix| prefix.chars().count()).unwrap_or(0) + 1;
        (line as u32, column as u32)
    }

    fn position_of(&self, item: &impl Span) -> (u32, u32) {
        item.span().map(|span| self.position(span.start)).unwrap_or((1, 1))
    }
}

struct Loader {
    root_dir: Option<PathBuf>,
    root_label: String,
    max_size: u64,
    resources: Vec<RawResource>,
    /// For each resource, by index: attribute path to the references its
    /// expression makes, still relative to the resource's module.
    pending_references: Vec<BTreeMap<String, Vec<String>>>,
    notes: Vec<String>,
    errors: Vec<FileError>,
    /// The AWS provider's `default_tags`, from the root module.
    default_tags: Option<Node>,
    instance_budget_noted: bool,
    module_instances: usize,
    /// The canonical directories of the module calls being evaluated, the
    /// root module first, to stop a module that calls itself.
    module_stack: Vec<PathBuf>,
    /// Evaluation work spent by every module instance, against
    /// [`WORK_BUDGET`].
    work: Rc<Cell<u64>>,
    /// The parsed files of each child module directory, by directory and
    /// label, so a module called once per instance of its caller is read
    /// and parsed once and its errors are reported once.
    module_files: HashMap<(PathBuf, String), Rc<ModuleFiles>>,
    /// `.terraform/modules/modules.json`: module key to installed directory.
    installed_modules: HashMap<String, PathBuf>,
    /// The reasons the module instances being expanded may not be created,
    /// innermost call last, from calls with an undecidable `count` or
    /// `for_each`.
    uncertain_modules: Vec<String>,
}

impl Loader {
    fn parse_all(&mut self, files: Vec<HclFile>) -> (ModuleFiles, Vec<Parsed>) {
        let mut module = ModuleFiles { files: Vec::new(), overrides: Vec::new() };
        let mut variables = Vec::new();
        for file in files {
            let lower = file.label.to_ascii_lowercase();
            let name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower).to_owned();
            let Some(parsed) = self.parse(file) else { continue };
            if name.ends_with(".tfvars") {
                variables.push(parsed);
            } else if name == "override.tf" || name.ends_with("_override.tf") {
                module.overrides.push(parsed);
            } else {
                module.files.push(parsed);
            }
        }
        (module, variables)
    }

    fn parse(&mut self, file: HclFile) -> Option<Parsed> {
        if let Some((line, column)) = too_deep(&file.text) {
            self.errors.push(FileError {
                file: file.label,
                error: ParseError::at(
                    format!("brackets nest more than {MAX_NESTING} levels deep; no Terraform configuration needs that"),
                    line,
                    column,
                ),
            });
            return None;
        }
        match hcl_edit::parser::parse_body(&file.text) {
            Ok(body) => {
                let mut line_starts = vec![0];
                line_starts.extend(file.text.match_indices('\n').map(|(index, _)| index + 1));
                Some(Parsed { label: Arc::from(file.label.as_str()), text: file.text, line_starts, body })
            }
            Err(error) => {
                let location = error.location();
                let message = format!("invalid HCL: {}; fix the syntax at this position", error.message());
                self.errors.push(FileError {
                    file: file.label,
                    error: ParseError::at(message, location.line() as u32, location.column() as u32),
                });
                None
            }
        }
    }

    fn read_variable_values(&mut self, file: &Parsed, values: &mut HashMap<String, Node>) {
        let empty_variables = HashMap::new();
        let empty_locals = HashMap::new();
        let (no_shapes, no_references) = (HashMap::new(), HashMap::new());
        let scope = Scope {
            variables: &empty_variables,
            locals: &empty_locals,
            module_path: ".",
            root_path: ".",
            resource_shapes: &no_shapes,
            input_references: &no_references,
        };
        let mut evaluator = Evaluator::new(scope, self.work.clone());
        for structure in file.body.iter() {
            if let Structure::Attribute(attribute) = structure {
                let (line, column) = file.position_of(&attribute.value);
                let value = evaluator.eval_at(&attribute.value, line, column);
                values.insert(attribute.key.value().as_str().to_owned(), value);
            }
        }
    }

    /// Evaluates one module instance and everything it calls.
    #[allow(clippy::too_many_arguments)]
    fn instantiate(
        &mut self,
        module: &ModuleFiles,
        prefix: &str,
        display_name: &str,
        dir: Option<&Path>,
        dir_label: &str,
        inputs: HashMap<String, Node>,
        input_references: HashMap<String, Vec<String>>,
        depth: usize,
        is_root: bool,
    ) {
        let mut variables = HashMap::new();
        let mut locals: HashMap<String, &Expression> = HashMap::new();
        let mut resources: Vec<(&Parsed, &Block)> = Vec::new();
        let mut calls: Vec<(&Parsed, &Block)> = Vec::new();
        let mut providers: Vec<(&Parsed, &Block)> = Vec::new();
        let mut declared: Vec<(&Parsed, &Block)> = Vec::new();
        for file in &module.files {
            for structure in file.body.iter() {
                let Structure::Block(block) = structure else { continue };
                match block.ident.value().as_str() {
                    "variable" => declared.push((file, block)),
                    "locals" => {
                        for item in block.body.iter() {
                            if let Structure::Attribute(attribute) = item {
                                locals.insert(attribute.key.value().as_str().to_owned(), &attribute.value);
                            }
                        }
                    }
                    "resource" => resources.push((file, block)),
                    "module" => calls.push((file, block)),
                    "provider" => providers.push((file, block)),
                    _ => {}
                }
            }
        }
        let mut overrides: OverrideBlocks<'_> = HashMap::new();
        for file in &module.overrides {
            for structure in file.body.iter() {
                let Structure::Block(block) = structure else { continue };
                if block.ident.value().as_str() == "locals" {
                    // An override file's local replaces the local of the
                    // same name.
                    for item in block.body.iter() {
                        if let Structure::Attribute(attribute) = item {
                            locals.insert(attribute.key.value().as_str().to_owned(), &attribute.value);
                        }
                    }
                } else {
                    overrides.entry(block_key(block)).or_default().push((file, block));
                }
            }
        }
        let module_path = dir_label.to_owned();
        let root_path = self.root_label.clone();
        // Variable defaults are evaluated in an empty scope, as Terraform
        // requires them to be constants.
        {
            let empty_variables = HashMap::new();
            let empty_locals = HashMap::new();
            let (no_shapes, no_references) = (HashMap::new(), HashMap::new());
            let scope = Scope {
                variables: &empty_variables,
                locals: &empty_locals,
                module_path: &module_path,
                root_path: &root_path,
                resource_shapes: &no_shapes,
                input_references: &no_references,
            };
            let mut evaluator = Evaluator::new(scope, self.work.clone());
            for (file, block) in &declared {
                let Some(name) = block.labels.first().map(|label| label.as_str().to_owned()) else { continue };
                let given = inputs.get(&name).filter(|value| !value.is_null());
                let block_overrides = overrides.get(&block_key(block)).map(Vec::as_slice).unwrap_or_default();
                let default = overriding_attribute(block_overrides, "default")
                    .or_else(|| attribute(&block.body, "default").map(|default| (*file, default)));
                let value = match (given, default) {
                    (Some(value), _) => value.clone(),
                    (None, Some((file, default))) => {
                        let (line, column) = file.position_of(default);
                        evaluator.eval_at(default, line, column)
                    }
                    (None, None) => {
                        let (line, column) = file.position_of(*block);
                        let why = if is_root {
                            "which has no default and no value in terraform.tfvars or a *.auto.tfvars file"
                        } else {
                            "which has no default and is not set by the module call"
                        };
                        Node::new(NodeKind::Unknown(format!("the input variable `{name}`, {why}")), line, column)
                    }
                };
                let value = match attribute(&block.body, "type") {
                    Some(constraint) => types::convert(&mut evaluator, value, constraint),
                    None => value,
                };
                variables.insert(name, value);
            }
        }
        // The instances of each resource come first, because expressions
        // such as `for_each = aws_s3_bucket.b` read them. A `count` or
        // `for_each` that refers to another resource's instances is
        // evaluated without them, so it stays unknown.
        let no_shapes = HashMap::new();
        let mut shapes = HashMap::new();
        {
            let scope = Scope {
                variables: &variables,
                locals: &locals,
                module_path: &module_path,
                root_path: &root_path,
                resource_shapes: &no_shapes,
                input_references: &input_references,
            };
            let mut evaluator = Evaluator::new(scope, self.work.clone());
            for (file, block) in &resources {
                let [resource_type, name] = block.labels.as_slice() else { continue };
                let no_overrides = Vec::new();
                let block_overrides = overrides.get(&block_key(block)).unwrap_or(&no_overrides);
                let (_, body) = expansion(file, block, block_overrides);
                if let Some(shape) = shape_of(&mut evaluator, body) {
                    shapes.insert(format!("{}.{}", resource_type.as_str(), name.as_str()), shape);
                }
            }
        }
        let scope = Scope {
            variables: &variables,
            locals: &locals,
            module_path: &module_path,
            root_path: &root_path,
            resource_shapes: &shapes,
            input_references: &input_references,
        };
        let mut evaluator = Evaluator::new(scope, self.work.clone());

        if is_root {
            self.default_tags = providers.iter().find_map(|(file, block)| {
                // An override's `default_tags` block replaces the original.
                let overriding = overrides.get(&block_key(block)).and_then(|blocks| {
                    blocks.iter().rev().find(|(_, over)| nested_block(&over.body, "default_tags").is_some())
                });
                match overriding {
                    Some((over_file, over)) if attribute(&block.body, "alias").is_none() => {
                        aws_default_tags(&mut evaluator, over_file, over)
                    }
                    _ => aws_default_tags(&mut evaluator, file, block),
                }
            });
        }
        let no_overrides = Vec::new();
        for (file, block) in &resources {
            let block_overrides = overrides.get(&block_key(block)).unwrap_or(&no_overrides);
            self.expand_resource(&mut evaluator, file, block, block_overrides, prefix);
        }
        for (file, block) in &calls {
            let block_overrides = overrides.get(&block_key(block)).unwrap_or(&no_overrides);
            self.expand_call(&mut evaluator, file, block, block_overrides, prefix, display_name, dir, dir_label, depth);
        }
    }

    fn expand_resource(
        &mut self,
        evaluator: &mut Evaluator<'_>,
        file: &Parsed,
        block: &Block,
        overrides: &[(&Parsed, &Block)],
        prefix: &str,
    ) {
        let [resource_type, name] = block.labels.as_slice() else { return };
        let (resource_type, name) = (resource_type.as_str().to_owned(), name.as_str().to_owned());
        let base = format!("{prefix}{resource_type}.{name}");
        let (line, column) = file.position_of(block);
        let location = Location::new(file.label.clone(), line, column);
        let root_prefix = format!("{}/", self.root_label);
        let resource_file = file.label.strip_prefix(&root_prefix).unwrap_or(&file.label);
        for (over_file, over) in overrides {
            let (over_line, _) = over_file.position_of(*over);
            self.notes.push(format!(
                "{}:{over_line}: this override of {base} is merged into it, so findings on the settings it changes point at {resource_file}:{line}",
                over_file.label
            ));
        }
        let (expansion_file, expansion_body) = expansion(file, block, overrides);
        let (instances, uncertain) = self.instances(evaluator, expansion_file, expansion_body, &base);
        let existence = uncertain.or_else(|| self.uncertain_modules.last().cloned());
        for (key, bindings) in instances {
            if self.instance_budget_spent() {
                return;
            }
            let bound = bindings.len();
            for (binding, value) in bindings {
                evaluator.bind(&binding, value);
            }
            let mut configured = BTreeSet::new();
            let mut references = BTreeMap::new();
            let mut props = body_node(evaluator, file, &block.body, "", true, &mut configured, &mut references);
            for (over_file, over) in overrides {
                let mut over_configured = BTreeSet::new();
                let mut over_references = BTreeMap::new();
                let mut over_props = body_node(evaluator, over_file, &over.body, "", true, &mut over_configured, &mut over_references);
                // A resource's findings name its own file, so values from
                // the override file point at the resource block instead of
                // at lines of another file.
                move_to(&mut over_props, line, column);
                merge_override(&mut props, &mut configured, &mut references, over_props, over_configured, over_references);
            }
            evaluator.unbind(bound);
            if resource_type.starts_with("aws_") {
                if let Some(defaults) = &self.default_tags {
                    apply_default_tags(&mut props, defaults);
                }
            }
            self.resources.push(RawResource {
                address: format!("{base}{key}"),
                resource_type: resource_type.clone(),
                props,
                location: location.clone(),
                references: BTreeMap::new(),
                configured: Some(configured),
                existence: existence.clone(),
            });
            self.pending_references.push(references);
        }
    }

    /// Returns true, and adds a note the first time, once the resource and
    /// module instances reach [`MAX_INSTANCES`].
    fn instance_budget_spent(&mut self) -> bool {
        if self.resources.len() + self.module_instances < MAX_INSTANCES {
            return false;
        }
        if !self.instance_budget_noted {
            self.instance_budget_noted = true;
            self.notes.push(format!(
                "the configuration expands to more than {MAX_INSTANCES} resource and module instances; the rest are not scanned"
            ));
        }
        true
    }

    /// Returns the instance keys of a resource or module call, with the
    /// names each instance binds (`count`, `each`).
    /// Also returns why the instances may not be created, when `count` or
    /// `for_each` cannot be evaluated and one instance stands for them.
    fn instances(
        &mut self,
        evaluator: &mut Evaluator<'_>,
        file: &Parsed,
        body: &Body,
        base: &str,
    ) -> (Vec<(String, Vec<(String, Node)>)>, Option<String>) {
        if let Some(count) = attribute(body, "count") {
            let (line, column) = file.position_of(count);
            let value = evaluator.eval_at(count, line, column);
            evaluator.take_references();
            return match value.as_i64() {
                Some(count) if count >= 0 => {
                    let instances = (0..count.min(MAX_INSTANCES as i64))
                        .map(|index| {
                            let count = object(line, column, vec![("index", Node::new(NodeKind::Number(index as f64), line, column))]);
                            (format!("[{index}]"), vec![("count".to_owned(), count)])
                        })
                        .collect();
                    (instances, None)
                }
                _ => {
                    let reason = value.unknown_reason().unwrap_or("not a whole number").to_owned();
                    self.notes.push(format!(
                        "{}:{line}: the `count` of {base} is {reason}, so it is scanned as one instance that may not be created; its passing findings, and those of resources it configures, are unknown",
                        file.label
                    ));
                    let index = Node::new(NodeKind::Unknown(format!("the count index of {base}, whose count is {reason}")), line, column);
                    let instance = (String::new(), vec![("count".to_owned(), object(line, column, vec![("index", index)]))]);
                    (vec![instance], Some(format!("the `count` of {base} is {reason}")))
                }
            };
        }
        if let Some(for_each) = attribute(body, "for_each") {
            let (line, column) = file.position_of(for_each);
            let value = evaluator.eval_at(for_each, line, column);
            evaluator.take_references();
            return match for_each_pairs(&value) {
                Some(pairs) => {
                    let instances = pairs
                        .into_iter()
                        .map(|(key, item)| {
                            let key_node = Node::new(NodeKind::String(key.clone()), line, column);
                            let each = object(line, column, vec![("key", key_node), ("value", item)]);
                            (format!("[{}]", serde_json::Value::String(key)), vec![("each".to_owned(), each)])
                        })
                        .collect();
                    (instances, None)
                }
                None => {
                    let reason = value.unknown_reason().unwrap_or("not a map or a set of strings").to_owned();
                    self.notes.push(format!(
                        "{}:{line}: the `for_each` of {base} is {reason}, so it is scanned as one instance that may not be created; its passing findings, and those of resources it configures, are unknown",
                        file.label
                    ));
                    let unknown = |what: &str| Node::new(NodeKind::Unknown(format!("the {what} of an instance of {base}, whose for_each is {reason}")), line, column);
                    let each = object(line, column, vec![("key", unknown("key")), ("value", unknown("value"))]);
                    let instance = (String::new(), vec![("each".to_owned(), each)]);
                    (vec![instance], Some(format!("the `for_each` of {base} is {reason}")))
                }
            };
        }
        (vec![(String::new(), Vec::new())], None)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_call(
        &mut self,
        evaluator: &mut Evaluator<'_>,
        file: &Parsed,
        block: &Block,
        overrides: &[(&Parsed, &Block)],
        prefix: &str,
        display_name: &str,
        dir: Option<&Path>,
        dir_label: &str,
        depth: usize,
    ) {
        let Some(name) = block.labels.first().map(|label| label.as_str().to_owned()) else { return };
        let (line, column) = file.position_of(block);
        let key = if display_name.is_empty() { name.clone() } else { format!("{display_name}.{name}") };
        let source = overriding_attribute(overrides, "source")
            .map(|(_, source)| source)
            .or_else(|| attribute(&block.body, "source"));
        let source = source.and_then(|source| match source {
            Expression::String(text) => Some(text.value().clone()),
            _ => None,
        });
        let Some(source) = source else {
            self.notes.push(format!("{}:{line}: module `{key}` has no literal `source`, so it is not scanned", file.label));
            return;
        };
        if depth + 1 > MAX_MODULE_DEPTH {
            self.notes.push(format!(
                "{}:{line}: module `{key}` nests more than {MAX_MODULE_DEPTH} module calls deep, so it is not scanned",
                file.label
            ));
            return;
        }
        let is_local = source.starts_with("./") || source.starts_with("../");
        let child_dir = if is_local {
            dir.map(|dir| dir.join(&source))
        } else {
            self.installed_modules.get(&key).cloned()
        };
        let Some(child_dir) = child_dir.filter(|path| path.is_dir()) else {
            let next = if is_local {
                "the directory does not exist where the module call says"
            } else {
                "run `terraform init` so that .terraform/modules holds it, or scan the plan from `terraform show -json`"
            };
            self.notes.push(format!(
                "{}:{line}: module `{key}` (source \"{source}\") is not scanned: {next}",
                file.label
            ));
            return;
        };
        let child_label = if is_local {
            normalize(&format!("{dir_label}/{source}"))
        } else {
            let relative = child_dir.strip_prefix(self.root_dir.as_deref().unwrap_or(Path::new(""))).unwrap_or(&child_dir);
            // modules.json may name a directory outside the root module,
            // which keeps its own path.
            if relative.is_absolute() {
                normalize(&relative.display().to_string())
            } else {
                normalize(&format!("{}/{}", self.root_label, relative.display()))
            }
        };
        let canonical_dir = std::fs::canonicalize(&child_dir).unwrap_or_else(|_| child_dir.clone());
        if self.module_stack.contains(&canonical_dir) {
            // A directory that calls itself, directly or through other
            // modules, makes a module tree without end.
            self.notes.push(format!(
                "{}:{line}: module `{key}` (source \"{source}\") is not scanned: its directory {child_label} also contains a module that calls it, so the module calls would never end",
                file.label
            ));
            return;
        }
        let parsed = self.module_files(&child_dir, &child_label);
        let base = format!("{prefix}module.{name}");
        let (expansion_file, expansion_body) = expansion(file, block, overrides);
        let (instances, uncertain) = self.instances(evaluator, expansion_file, expansion_body, &base);
        let module_uncertain = uncertain.is_some();
        if let Some(reason) = uncertain {
            self.uncertain_modules.push(reason);
        }
        for (instance_key, bindings) in instances {
            if self.instance_budget_spent() {
                break;
            }
            self.module_instances += 1;
            let bound = bindings.len();
            for (binding, value) in bindings {
                evaluator.bind(&binding, value);
            }
            let mut inputs = HashMap::new();
            let mut input_references: HashMap<String, Vec<String>> = HashMap::new();
            // An override's argument replaces the call's argument of the
            // same name, so override blocks are read after the call.
            let bodies = std::iter::once((file, block)).chain(overrides.iter().copied());
            for (argument_file, argument_block) in bodies {
                for structure in argument_block.body.iter() {
                    let Structure::Attribute(argument) = structure else { continue };
                    let argument_name = argument.key.value().as_str();
                    if matches!(argument_name, "source" | "version" | "count" | "for_each" | "providers" | "depends_on") {
                        continue;
                    }
                    let (line, column) = argument_file.position_of(&argument.value);
                    let mut value = evaluator.eval_at(&argument.value, line, column);
                    evaluator.settle(&mut value);
                    // The references are relative to this module, so they
                    // carry its path into the child module.
                    let references = evaluator
                        .take_references()
                        .into_iter()
                        .map(|reference| if reference.starts_with('@') { reference } else { format!("@{prefix}|{reference}") })
                        .collect();
                    input_references.insert(argument_name.to_owned(), references);
                    inputs.insert(argument_name.to_owned(), value);
                }
            }
            evaluator.unbind(bound);
            let child_prefix = format!("{base}{instance_key}.");
            self.module_stack.push(canonical_dir.clone());
            self.instantiate(&parsed, &child_prefix, &key, Some(&child_dir), &child_label, inputs, input_references, depth + 1, false);
            self.module_stack.pop();
        }
        if module_uncertain {
            self.uncertain_modules.pop();
        }
        let _ = column;
    }

    /// Reads and parses a child module's files on its first call.
    fn module_files(&mut self, dir: &Path, label: &str) -> Rc<ModuleFiles> {
        let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let key = (canonical, label.to_owned());
        if let Some(parsed) = self.module_files.get(&key) {
            return parsed.clone();
        }
        let mut errors = Vec::new();
        let files = read_module_files(label, dir, self.max_size, &mut errors);
        self.errors.append(&mut errors);
        let (parsed, _) = self.parse_all(files);
        let parsed = Rc::new(parsed);
        self.module_files.insert(key, parsed.clone());
        parsed
    }

    fn finish(mut self) -> ModuleLoad {
        if self.work.get() > WORK_BUDGET {
            self.notes.push(format!(
                "the configuration needs more than {WORK_BUDGET} evaluation steps; values evaluated after that are unknown, so scan the plan from `terraform show -json` instead"
            ));
        }
        let addresses: Vec<String> = self.resources.iter().map(|raw| raw.address.clone()).collect();
        let index = index_instances(&addresses);
        for (raw, pending) in self.resources.iter_mut().zip(&self.pending_references) {
            let (module_path, _) = split_module_path(&raw.address);
            let module_path = module_path.to_owned();
            let own_key = instance_key(&raw.address).map(str::to_owned);
            for (path, references) in pending {
                let mut targets: Vec<String> = Vec::new();
                for reference in references {
                    // A reference from a module call's argument is resolved in
                    // the calling module, which `@PATH|` names.
                    let target = match reference.strip_prefix('@').and_then(|rest| rest.split_once('|')) {
                        Some((caller_path, caller_reference)) => resolve_reference(caller_reference, caller_path, None, &index),
                        None => resolve_reference(reference, &module_path, own_key.as_deref(), &index),
                    };
                    if let Some(target) = target {
                        if !targets.contains(&target) {
                            targets.push(target);
                        }
                    }
                }
                if !targets.is_empty() {
                    raw.references.insert(path.clone(), targets);
                }
            }
        }
        // Notes are shown under the module directory, so they name files
        // relative to it.
        let prefix = format!("{}/", self.root_label);
        for note in &mut self.notes {
            if let Some(relative) = note.strip_prefix(&prefix) {
                *note = relative.to_owned();
            }
        }
        self.notes.sort();
        self.notes.dedup();
        let set = RawSet::new(Dialect::Terraform, Arc::from(self.root_label.as_str()), self.resources);
        ModuleLoad { set, notes: self.notes, errors: self.errors }
    }
}

/// Converts a block body to a node as a plan shows it: attributes as
/// values, nested blocks as lists of objects. Records the attribute paths
/// set and the references of each.
fn body_node(
    evaluator: &mut Evaluator<'_>,
    file: &Parsed,
    body: &Body,
    path: &str,
    top_level: bool,
    configured: &mut BTreeSet<String>,
    references: &mut BTreeMap<String, Vec<String>>,
) -> Node {
    let (line, column) = file.position_of(body);
    let mut entries: Vec<(String, Node)> = Vec::new();
    let join = |name: &str| if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key = attribute.key.value().as_str();
                if top_level && matches!(key, "count" | "for_each" | "provider" | "depends_on") {
                    continue;
                }
                let (line, column) = file.position_of(&attribute.value);
                let mut value = evaluator.eval_at(&attribute.value, line, column);
                evaluator.settle(&mut value);
                let attribute_path = join(key);
                let found = evaluator.take_references();
                if !found.is_empty() {
                    references.entry(attribute_path.clone()).or_insert_with(Vec::new).extend(found);
                }
                configured.insert(attribute_path);
                entries.retain(|(existing, _)| existing != key);
                entries.push((key.to_owned(), value));
            }
            Structure::Block(block) => {
                let ident = block.ident.value().as_str();
                if top_level && matches!(ident, "lifecycle" | "provisioner" | "connection") {
                    continue;
                }
                if ident == "dynamic" {
                    let Some(label) = block.labels.first().map(|label| label.as_str().to_owned()) else { continue };
                    let block_path = join(&label);
                    configured.insert(block_path.clone());
                    let generated = dynamic_blocks(evaluator, file, block, &label, &block_path, configured, references);
                    push_block(&mut entries, &label, generated);
                    continue;
                }
                let block_path = join(ident);
                configured.insert(block_path.clone());
                let node = body_node(evaluator, file, &block.body, &block_path, false, configured, references);
                push_block(&mut entries, ident, BlockValue::One(node));
            }
        }
    }
    Node::new(NodeKind::Map(entries), line, column)
}

enum BlockValue {
    One(Node),
    Many(Vec<Node>),
    Unknown(Node),
}

fn push_block(entries: &mut Vec<(String, Node)>, name: &str, value: BlockValue) {
    let existing = entries.iter_mut().find(|(key, _)| key == name);
    match (existing, value) {
        (_, BlockValue::Unknown(node)) => {
            entries.retain(|(key, _)| key != name);
            entries.push((name.to_owned(), node));
        }
        (Some((_, list)), BlockValue::One(node)) => {
            if let NodeKind::Seq(items) = &mut list.kind {
                items.push(node);
            }
        }
        (Some((_, list)), BlockValue::Many(nodes)) => {
            if let NodeKind::Seq(items) = &mut list.kind {
                items.extend(nodes);
            }
        }
        (None, BlockValue::One(node)) => {
            let (line, column) = (node.line, node.column);
            entries.push((name.to_owned(), Node::new(NodeKind::Seq(vec![node]), line, column)));
        }
        (None, BlockValue::Many(nodes)) => {
            let (line, column) = nodes.first().map(|node| (node.line, node.column)).unwrap_or((1, 1));
            entries.push((name.to_owned(), Node::new(NodeKind::Seq(nodes), line, column)));
        }
    }
}

/// Expands a `dynamic` block over its `for_each` collection.
fn dynamic_blocks(
    evaluator: &mut Evaluator<'_>,
    file: &Parsed,
    block: &Block,
    label: &str,
    path: &str,
    configured: &mut BTreeSet<String>,
    references: &mut BTreeMap<String, Vec<String>>,
) -> BlockValue {
    let (line, column) = file.position_of(block);
    let Some(for_each) = attribute(&block.body, "for_each") else {
        return BlockValue::Unknown(Node::new(NodeKind::Unknown(format!("the dynamic block `{label}` has no for_each")), line, column));
    };
    let iterator = match attribute(&block.body, "iterator") {
        Some(Expression::Variable(name)) => name.value().as_str().to_owned(),
        _ => label.to_owned(),
    };
    let content = block.body.iter().find_map(|item| match item {
        Structure::Block(inner) if inner.ident.value().as_str() == "content" => Some(inner),
        _ => None,
    });
    let Some(content) = content else { return BlockValue::Many(Vec::new()) };
    let (for_line, for_column) = file.position_of(for_each);
    let collection = evaluator.eval_at(for_each, for_line, for_column);
    let found = evaluator.take_references();
    if !found.is_empty() {
        references.entry(path.to_owned()).or_default().extend(found);
    }
    let Some(pairs) = evaluator.iterate(&collection) else {
        let reason = collection.unknown_reason().unwrap_or("not a collection");
        return BlockValue::Unknown(Node::new(
            NodeKind::Unknown(format!("generated by a `dynamic \"{label}\"` block over a collection that is {reason}")),
            line,
            column,
        ));
    };
    let mut nodes = Vec::new();
    for (key, value) in pairs {
        evaluator.bind(&iterator, object(line, column, vec![("key", key), ("value", value)]));
        nodes.push(body_node(evaluator, file, &content.body, path, false, configured, references));
        evaluator.unbind(1);
    }
    BlockValue::Many(nodes)
}

/// Reads `provider "aws" { default_tags { tags = {...} } }`.
fn aws_default_tags(evaluator: &mut Evaluator<'_>, file: &Parsed, block: &Block) -> Option<Node> {
    if block.labels.first().map(|label| label.as_str()) != Some("aws") {
        return None;
    }
    // An aliased provider configures only the resources that select it.
    if attribute(&block.body, "alias").is_some() {
        return None;
    }
    let default_tags = block.body.iter().find_map(|item| match item {
        Structure::Block(inner) if inner.ident.value().as_str() == "default_tags" => Some(inner),
        _ => None,
    })?;
    let tags = attribute(&default_tags.body, "tags")?;
    let (line, column) = file.position_of(tags);
    let value = evaluator.eval_at(tags, line, column);
    evaluator.take_references();
    Some(value)
}

/// Sets `tags_all` to the provider's default tags merged with the
/// resource's own tags, as the AWS provider does.
fn apply_default_tags(props: &mut Node, defaults: &Node) {
    let NodeKind::Map(entries) = &mut props.kind else { return };
    let own = entries.iter().find(|(key, _)| key == "tags").map(|(_, value)| value.clone());
    let merged = match (&defaults.kind, own.as_ref().map(|own| &own.kind)) {
        (NodeKind::Map(default_entries), None | Some(NodeKind::Null)) => Node::new(NodeKind::Map(default_entries.clone()), defaults.line, defaults.column),
        (NodeKind::Map(default_entries), Some(NodeKind::Map(own_entries))) => {
            let mut merged = default_entries.clone();
            for (key, value) in own_entries {
                merged.retain(|(existing, _)| existing != key);
                merged.push((key.clone(), value.clone()));
            }
            let own = own.as_ref().expect("matched above");
            Node::new(NodeKind::Map(merged), own.line, own.column)
        }
        // The resource's own tags are unknown, but the default tags still
        // apply unless those tags replace the same keys. Keeping them errs
        // toward marking the resource as holding ePHI, which checks more.
        (NodeKind::Map(default_entries), Some(NodeKind::Unknown(_))) => {
            Node::new(NodeKind::Map(default_entries.clone()), defaults.line, defaults.column)
        }
        _ => return,
    };
    entries.retain(|(key, _)| key != "tags_all");
    entries.push(("tags_all".to_owned(), merged));
}

/// Returns the key that pairs an override block with the block it
/// changes: its type and its labels.
fn block_key(block: &Block) -> String {
    let mut key = block.ident.value().as_str().to_owned();
    for label in &block.labels {
        key.push('.');
        key.push_str(label.as_str());
    }
    key
}

/// Returns the last override block that sets the attribute `name`, with
/// the attribute's value.
fn overriding_attribute<'f>(overrides: &[(&'f Parsed, &'f Block)], name: &str) -> Option<(&'f Parsed, &'f Expression)> {
    overrides.iter().rev().find_map(|(file, block)| attribute(&block.body, name).map(|value| (*file, value)))
}

/// Returns the body whose `count` or `for_each` decides a block's
/// instances: the last override that sets either, else the block itself.
fn expansion<'f>(file: &'f Parsed, block: &'f Block, overrides: &[(&'f Parsed, &'f Block)]) -> (&'f Parsed, &'f Body) {
    overrides
        .iter()
        .rev()
        .find(|(_, over)| attribute(&over.body, "count").is_some() || attribute(&over.body, "for_each").is_some())
        .map(|(over_file, over)| (*over_file, &over.body))
        .unwrap_or((file, &block.body))
}

/// Merges an override block's properties into a resource's, as Terraform
/// does: each attribute replaces the attribute of the same name, and the
/// blocks of one type replace every original block of that type. The
/// replaced paths lose their recorded settings and references.
fn merge_override(
    props: &mut Node,
    configured: &mut BTreeSet<String>,
    references: &mut BTreeMap<String, Vec<String>>,
    over_props: Node,
    over_configured: BTreeSet<String>,
    over_references: BTreeMap<String, Vec<String>>,
) {
    let (NodeKind::Map(entries), NodeKind::Map(over_entries)) = (&mut props.kind, over_props.kind) else { return };
    for (name, value) in over_entries {
        let nested = format!("{name}.");
        configured.retain(|path| *path != name && !path.starts_with(&nested));
        references.retain(|path, _| *path != name && !path.starts_with(&nested));
        entries.retain(|(existing, _)| *existing != name);
        entries.push((name, value));
    }
    configured.extend(over_configured);
    references.extend(over_references);
}

/// Moves a node and everything in it to one position.
fn move_to(node: &mut Node, line: u32, column: u32) {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        node.line = line;
        node.column = column;
        match &mut node.kind {
            NodeKind::Seq(items) => pending.extend(items.iter_mut()),
            NodeKind::Map(entries) => pending.extend(entries.iter_mut().map(|(_, item)| item)),
            _ => {}
        }
    }
}

fn nested_block<'b>(body: &'b Body, name: &str) -> Option<&'b Block> {
    body.iter().find_map(|item| match item {
        Structure::Block(inner) if inner.ident.value().as_str() == name => Some(inner),
        _ => None,
    })
}

fn attribute<'b>(body: &'b Body, name: &str) -> Option<&'b Expression> {
    body.iter().find_map(|item| match item {
        Structure::Attribute(attribute) if attribute.key.value().as_str() == name => Some(&attribute.value),
        _ => None,
    })
}

fn object(line: u32, column: u32, entries: Vec<(&str, Node)>) -> Node {
    Node::new(NodeKind::Map(entries.into_iter().map(|(key, value)| (key.to_owned(), value)).collect()), line, column)
}

/// Reads the configuration files of a module directory, sorted by name.
fn read_module_files(label: &str, dir: &Path, max_size: u64, errors: &mut Vec<FileError>) -> Vec<HclFile> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect(),
        Err(error) => {
            errors.push(FileError { file: label.to_owned(), error: ParseError::general(format!("cannot read the directory: {error}")) });
            return Vec::new();
        }
    };
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else { continue };
        if !is_configuration_file(name) {
            continue;
        }
        let file_label = if label.is_empty() || label == "." { name.to_owned() } else { format!("{label}/{name}") };
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_file() => metadata,
            Ok(_) => continue,
            Err(error) => {
                errors.push(FileError { file: file_label, error: ParseError::general(format!("cannot read the file: {error}")) });
                continue;
            }
        };
        if metadata.len() > max_size {
            errors.push(FileError {
                file: file_label,
                error: ParseError::general(format!(
                    "the file is {} bytes, over the {max_size}-byte limit; raise it with --max-file-size if the file is real configuration",
                    metadata.len()
                )),
            });
            continue;
        }
        match std::fs::read(&path).map_err(|error| ParseError::general(format!("cannot read the file: {error}"))).and_then(crate::text::decode_owned) {
            Ok(text) => files.push(HclFile { label: file_label, text }),
            Err(error) => errors.push(FileError { file: file_label, error }),
        }
    }
    files
}

/// Reads `.terraform/modules/modules.json`, which `terraform init` writes,
/// to find where registry and Git modules are installed.
fn installed_modules(dir: &Path) -> HashMap<String, PathBuf> {
    let mut installed = HashMap::new();
    let Ok(text) = std::fs::read_to_string(dir.join(".terraform/modules/modules.json")) else { return installed };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { return installed };
    for module in json.get("Modules").and_then(|modules| modules.as_array()).into_iter().flatten() {
        if let (Some(key), Some(module_dir)) = (module.get("Key").and_then(|k| k.as_str()), module.get("Dir").and_then(|d| d.as_str())) {
            if !key.is_empty() {
                installed.insert(key.to_owned(), dir.join(module_dir));
            }
        }
    }
    installed
}

/// Removes `.` steps and folds `..` steps into the path before them, so
/// child module files show as `modules/db/main.tf`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|last| last != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/").replacen("//", "/", 1)
    }
}

/// Returns the position where brackets first nest deeper than
/// [`MAX_NESTING`], skipping quoted strings and comments.
fn too_deep(text: &str) -> Option<(u32, u32)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1u32, 0u32);
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(character) = chars.next() {
        column += 1;
        if character == '\n' {
            line += 1;
            column = 0;
            continue;
        }
        if in_string {
            match character {
                '\\' => {
                    chars.next();
                    column += 1;
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match character {
            '"' => in_string = true,
            '#' => {
                while chars.peek().is_some_and(|next| *next != '\n') {
                    chars.next();
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((line, column));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Returns the instances a resource block declares, or `None` when its
/// `count` or `for_each` cannot be evaluated yet.
fn shape_of(evaluator: &mut Evaluator<'_>, body: &Body) -> Option<Shape> {
    if let Some(count) = attribute(body, "count") {
        let value = evaluator.eval(count);
        evaluator.take_references();
        return value.as_i64().filter(|count| *count >= 0).map(|count| Shape::Count(count.min(MAX_INSTANCES as i64) as usize));
    }
    if let Some(for_each) = attribute(body, "for_each") {
        let value = evaluator.eval(for_each);
        evaluator.take_references();
        let keys = for_each_pairs(&value)?.into_iter().map(|(key, _)| key).collect();
        return Some(Shape::ForEach(keys));
    }
    Some(Shape::Single)
}

/// Returns the instance keys and `each.value`s of a `for_each` value, sorted
/// by key without duplicates: a map's entries, or a set of strings whose
/// elements are their own keys. Returns `None` for any other value.
fn for_each_pairs(value: &Node) -> Option<Vec<(String, Node)>> {
    let mut pairs: Vec<(String, Node)> = match &value.kind {
        NodeKind::Map(entries) => entries.iter().map(|(key, item)| (key.clone(), item.clone())).collect(),
        NodeKind::Seq(items) => items.iter().map(|item| scalar_text(item).map(|key| (key, item.clone()))).collect::<Option<_>>()?,
        NodeKind::Null => Vec::new(),
        _ => return None,
    };
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs.dedup_by(|a, b| a.0 == b.0);
    Some(pairs)
}
