//! Finding inputs: explicit paths are always read; directories are walked
//! for files whose extension an input can have. Terraform `.tf` files are
//! grouped by directory, because a module's files are read together.

use std::collections::HashSet;
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

/// Returns the inputs to scan, sorted within each directory, and the paths
/// that do not exist. A file or module named twice, directly or through a
/// directory, is scanned once. A `.tf` file named on the command line
/// stands for its whole directory.
pub fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<PathBuf>) {
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
    (found, missing)
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
