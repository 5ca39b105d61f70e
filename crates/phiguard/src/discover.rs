//! Finding inputs: explicit paths are always read; directories are walked
//! for files whose extension an input can have. Terraform `.tf` files are
//! grouped by directory, because a module's files are read together.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Directories that hold tool state or dependencies, never inputs.
const SKIPPED_DIRECTORIES: &[&str] = &[".terraform", ".git", "node_modules", "target", ".venv"];

/// Extensions of single-file inputs read when walking a directory.
const INPUT_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];

/// One unit of scanning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A plan, state or template file.
    File(PathBuf),
    /// A directory with `.tf` files: one Terraform module.
    TerraformModule(PathBuf),
}

/// The inputs to scan and what the search found on the way.
pub struct Discovered {
    pub inputs: Vec<Input>,
    /// Paths that do not exist.
    pub missing: Vec<PathBuf>,
    /// Module directories found by walking that another scanned module
    /// calls with a local `source`, each with that caller. They are scanned
    /// as part of the caller, with its arguments, and not on their own.
    pub called_modules: Vec<(PathBuf, PathBuf)>,
}

/// Returns the inputs to scan, sorted within each directory. A file or
/// module named twice, directly or through a directory, is scanned once. A
/// `.tf` file named on the command line stands for its whole directory.
pub fn inputs(paths: &[PathBuf]) -> Discovered {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found);
        } else if path.exists() {
            if is_terraform_file(path) {
                let parent = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
                found.push(Input::TerraformModule(parent.to_path_buf()));
            } else {
                found.push(Input::File(path.clone()));
            }
        } else {
            missing.push(path.clone());
        }
    }
    let mut seen = HashSet::new();
    found.retain(|input| {
        let (kind, path) = match input {
            Input::File(path) => (0, path),
            Input::TerraformModule(path) => (1, path),
        };
        seen.insert((kind, std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())))
    });
    let called_modules = drop_called_modules(&mut found, paths);
    Discovered { inputs: found, missing, called_modules }
}

/// Removes the module directories that another found module calls through
/// a local `source`, unless the directory was named on the command line.
/// Scanning such a directory alone would judge it with its own variable
/// defaults, which the caller's arguments usually replace.
fn drop_called_modules(found: &mut Vec<Input>, named: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let named: HashSet<PathBuf> = named.iter().map(|path| canonical(path)).collect();
    let mut callers: HashMap<PathBuf, PathBuf> = HashMap::new();
    for input in found.iter() {
        let Input::TerraformModule(dir) = input else { continue };
        for source in local_module_sources(dir) {
            let called = canonical(&dir.join(&source));
            if called != canonical(dir) {
                callers.entry(called).or_insert_with(|| dir.clone());
            }
        }
    }
    let mut dropped = Vec::new();
    found.retain(|input| {
        let Input::TerraformModule(dir) = input else { return true };
        let key = canonical(dir);
        match callers.get(&key) {
            Some(caller) if !named.contains(&key) => {
                dropped.push((dir.clone(), caller.clone()));
                false
            }
            _ => true,
        }
    });
    dropped
}

/// Returns the local `source` paths (`./x`, `../x`) of a module directory's
/// module calls. A line-based reading is enough here, because it only
/// decides which directories to scan on their own; the HCL front end reads
/// the calls properly.
fn local_module_sources(dir: &Path) -> Vec<String> {
    let mut sources = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return sources };
    for entry in entries.flatten() {
        let path = entry.path();
        if !is_terraform_file(&path) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("source") else { continue };
            let Some(value) = rest.trim_start().strip_prefix('=') else { continue };
            let value = value.trim();
            let Some(quoted) = value.strip_prefix('"') else { continue };
            let Some(end) = quoted.find('"') else { continue };
            let source = &quoted[..end];
            if source.starts_with("./") || source.starts_with("../") {
                sources.push(source.to_owned());
            }
        }
    }
    sources
}

fn walk(directory: &Path, found: &mut Vec<Input>) {
    let Ok(entries) = std::fs::read_dir(directory) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
    entries.sort();
    let mut has_terraform = false;
    let mut subdirectories = Vec::new();
    for path in entries {
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        // Symbolic links to directories are not followed, so a link cycle
        // cannot make the walk endless.
        let is_link = path.symlink_metadata().map(|meta| meta.file_type().is_symlink()).unwrap_or(false);
        if path.is_dir() {
            if !is_link && !SKIPPED_DIRECTORIES.contains(&name) {
                subdirectories.push(path);
            }
        } else if is_terraform_file(&path) {
            has_terraform = true;
        } else if has_input_extension(&path) {
            found.push(Input::File(path));
        }
    }
    if has_terraform {
        found.push(Input::TerraformModule(directory.to_path_buf()));
    }
    for subdirectory in subdirectories {
        walk(&subdirectory, found);
    }
}

fn is_terraform_file(path: &Path) -> bool {
    path.extension().and_then(|extension| extension.to_str()).is_some_and(|extension| extension.eq_ignore_ascii_case("tf"))
}

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| INPUT_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(extension)))
}
