//! Finding input files: explicit paths are always read; directories are
//! walked for files whose extension an input can have.

use std::path::{Path, PathBuf};

/// Directories that hold tool state or dependencies, never inputs.
const SKIPPED_DIRECTORIES: &[&str] = &[".terraform", ".git", "node_modules", "target", ".venv"];

/// Extensions read when walking a directory. Terraform HCL (`.tf`) files
/// are listed too, so that the scan reports them as skipped instead of
/// passing over them in silence.
const INPUT_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template", "tf"];

/// Returns the files to scan, sorted within each directory, and the paths
/// that do not exist. A file named twice, directly or through a directory,
/// is scanned once.
pub fn files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found);
        } else if path.exists() {
            found.push(path.clone());
        } else {
            missing.push(path.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|path| seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    (found, missing)
}

fn walk(directory: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        // Symbolic links to directories are not followed, so a link cycle
        // cannot make the walk endless.
        let is_link = path.symlink_metadata().map(|meta| meta.file_type().is_symlink()).unwrap_or(false);
        if path.is_dir() {
            if !is_link && !SKIPPED_DIRECTORIES.contains(&name) {
                walk(&path, found);
            }
        } else if has_input_extension(&path) {
            found.push(path);
        }
    }
}

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| INPUT_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(extension)))
}
