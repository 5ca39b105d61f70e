//! Infrastructure-as-code inputs: parsers for JSON and YAML with positions,
//! the Terraform plan and CloudFormation front ends, and the service
//! adapters that build the typed model.
//!
//! [`load`] is the entry point: it detects a file's kind from its content,
//! parses it, and returns one model per resolution (CloudFormation templates
//! with undecidable conditions have several).

pub mod adapt;
pub mod cloudformation;
pub mod error;
pub mod hcl;
pub mod json;
pub mod node;
pub mod raw;
pub mod terraform;
pub mod text;
pub mod yaml;

use std::path::Path;
use std::sync::Arc;

use phiguard_model::Model;

pub use error::ParseError;
pub use node::{Node, NodeKind};

/// The kinds of input that `phiguard scan` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    TerraformPlan,
    TerraformHcl,
    CloudFormation,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::TerraformPlan => "terraform-plan",
            InputKind::TerraformHcl => "terraform-hcl",
            InputKind::CloudFormation => "cloudformation",
        }
    }
}

/// A parsed input: its kind, its models and notes about parts not scanned.
pub struct Loaded {
    pub kind: InputKind,
    pub models: Vec<Model>,
    pub notes: Vec<String>,
}

/// The outcome of [`load`] for one file.
pub enum Outcome {
    Loaded(Loaded),
    /// The file is not an input phiguard scans; the string describes it.
    Skipped(String),
}

/// Parses one file. `label` is the path shown in findings; `bytes` its
/// content. Fails only when the file looks like a scannable input but cannot
/// be parsed.
pub fn load(label: &str, bytes: &[u8], max_size: u64) -> Result<Outcome, ParseError> {
    load_owned(label, bytes.to_vec(), max_size)
}

/// Like [`load`], taking ownership of the bytes so that UTF-8 input is not
/// copied.
pub fn load_owned(label: &str, bytes: Vec<u8>, max_size: u64) -> Result<Outcome, ParseError> {
    if bytes.len() as u64 > max_size {
        return Err(ParseError::general(format!(
            "the file is {} bytes, over the {max_size}-byte limit; raise it with --max-file-size if the file is a real plan",
            bytes.len()
        )));
    }
    let lower = label.to_ascii_lowercase();
    if lower.ends_with(".tf") || lower.ends_with(".tfvars") {
        return Ok(Outcome::Skipped(
            "Terraform HCL is read per module directory; scan the directory that holds the file".to_owned(),
        ));
    }
    if lower.ends_with(".hcl") {
        return Ok(Outcome::Skipped("an HCL file that is not Terraform configuration".to_owned()));
    }
    if bytes.contains(&0) && !(bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])) {
        return Ok(Outcome::Skipped("binary file".to_owned()));
    }
    let text = text::decode_owned(bytes)?;
    let file: Arc<str> = Arc::from(label);
    let trimmed = text.trim_start();
    let is_json_name = lower.ends_with(".json");
    let is_yaml_name = [".yaml", ".yml", ".template"].iter().any(|suffix| lower.ends_with(suffix));

    let root = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // Terraform writes `format_version` first; only then are the keys
        // that no adapter reads skipped.
        let is_terraform = trimmed[1..].trim_start().starts_with("\"format_version\"");
        let skipped = if is_terraform { json::TERRAFORM_UNUSED_KEYS } else { &[] };
        match json::parse_skipping(&text, skipped) {
            Ok(root) => root,
            // YAML flow style also starts with `{`; try it before failing.
            Err(error) if !is_json_name => match yaml::parse(&text) {
                Ok(root) => root,
                Err(_) => return Err(error),
            },
            Err(error) => return Err(error),
        }
    } else if is_json_name {
        return match json::parse(&text) {
            Ok(_) => Ok(Outcome::Skipped("JSON that is not a Terraform plan or CloudFormation template".to_owned())),
            Err(_) if trimmed.is_empty() => Err(ParseError::general("the file is empty; expected a JSON document")),
            Err(error) => Err(error),
        };
    } else {
        match yaml::parse(&text) {
            Ok(root) => root,
            Err(error) if is_yaml_name && looks_like_template(&text) => return Err(error),
            Err(_) => return Ok(Outcome::Skipped("not JSON or YAML".to_owned())),
        }
    };

    // The tree holds everything the front ends read, so the text can go.
    drop(text);

    if terraform::detect(&root) {
        let set = terraform::raw_resources(root, file.clone())?;
        let model = Model { source: label.to_owned(), resources: adapt::adapt(&set), assumptions: Vec::new() };
        return Ok(Outcome::Loaded(Loaded { kind: InputKind::TerraformPlan, models: vec![model], notes: Vec::new() }));
    }
    if cloudformation::detect(&root) {
        let resolved = cloudformation::resolve(&root, file)?;
        drop(root);
        let models = resolved
            .resolutions
            .into_iter()
            .map(|resolution| Model {
                source: label.to_owned(),
                resources: adapt::adapt(&resolution.resources),
                assumptions: resolution.assumptions,
            })
            .collect();
        return Ok(Outcome::Loaded(Loaded { kind: InputKind::CloudFormation, models, notes: resolved.notes }));
    }
    if root.get("format_version").is_some() || root.get("terraform_version").is_some() {
        return Err(ParseError::at(
            "this looks like Terraform JSON but has no `planned_values`, `resource_changes` or `values`; produce it with `terraform show -json`",
            root.line,
            root.column,
        ));
    }
    Ok(Outcome::Skipped("not a Terraform plan or CloudFormation template".to_owned()))
}

/// Loads the Terraform root module in `dir` (its `.tf` files and
/// auto-loaded `.tfvars`), following local module calls. Files that cannot
/// be parsed are returned as errors and the rest of the module is scanned.
pub fn load_terraform_directory(label: &str, dir: &Path, max_size: u64) -> (Loaded, Vec<hcl::FileError>) {
    let load = hcl::load_directory(label, dir, max_size);
    (loaded_from_hcl(label, load.set, load.notes), load.errors)
}

/// Like [`load_terraform_directory`], for files already in memory; local
/// module calls are not followed.
pub fn load_terraform_files(label: &str, files: Vec<hcl::HclFile>, max_size: u64) -> (Loaded, Vec<hcl::FileError>) {
    let load = hcl::load_files(label, files, None, max_size);
    (loaded_from_hcl(label, load.set, load.notes), load.errors)
}

fn loaded_from_hcl(label: &str, set: raw::RawSet, notes: Vec<String>) -> Loaded {
    let model = Model { source: label.to_owned(), resources: adapt::adapt(&set), assumptions: Vec::new() };
    Loaded { kind: InputKind::TerraformHcl, models: vec![model], notes }
}

fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.lines().any(|line| line.starts_with("Resources:"))
}
