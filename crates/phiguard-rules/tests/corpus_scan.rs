//! Scans every file of the test corpus (or under the directory that
//! `PHIGUARD_CORPUS` names) with every rule, to show that real-world plans
//! and templates load and evaluate without a panic. With `PHIGUARD_CORPUS_PRINT` set to a rule id prefix such as
//! `CT-`, it prints those rules' findings, one per line, for review.

use std::path::{Path, PathBuf};

use phiguard_iac::{load, Outcome};
use phiguard_rules::{evaluate, registry};

fn files_under(directory: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn corpus_scans_without_panic() {
    let root = std::env::var_os("PHIGUARD_CORPUS")
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../phiguard/tests/corpus").into_os_string());
    let print_prefix = std::env::var("PHIGUARD_CORPUS_PRINT").ok();
    let mut files = Vec::new();
    files_under(Path::new(&root), &mut files);
    files.sort();
    assert!(!files.is_empty(), "PHIGUARD_CORPUS names a directory with no files");

    let rules = registry();
    for path in files {
        let label = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
        let Ok(Outcome::Loaded(loaded)) = load(&label, &bytes, u64::MAX) else { continue };
        let findings = evaluate(&loaded.models, &rules).findings;
        let Some(prefix) = &print_prefix else { continue };
        for finding in findings.iter().filter(|finding| finding.rule_id.starts_with(prefix.as_str())) {
            println!(
                "{label}\t{}\t{}\t{}\t{}\t{}",
                finding.rule_id,
                finding.result,
                finding.resource.address,
                finding.message,
                finding.reason.as_deref().unwrap_or("")
            );
        }
    }
}
