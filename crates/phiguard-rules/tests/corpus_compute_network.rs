//! Runs the EBS, EC2, EFS, load balancer and network rules over a directory
//! of real plans and templates, named by the `PHIGUARD_CORPUS` environment
//! variable, and checks that none panics. With `PHIGUARD_CORPUS_VERBOSE`
//! set it prints every finding. The test does nothing when
//! `PHIGUARD_CORPUS` is unset.

use std::path::Path;

use phiguard_iac::{load, Outcome};
use phiguard_rules::{evaluate, registry};

const PREFIXES: &[&str] = &["EBS-", "EC2-", "EFS-", "ELB-", "SG-", "VPC-"];

fn scan_dir(dir: &Path, findings: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let rules: Vec<_> = registry().into_iter().filter(|rule| PREFIXES.iter().any(|p| rule.meta().id.starts_with(p))).collect();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan_dir(&path, findings);
            continue;
        }
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let label = path.display().to_string();
        let Ok(Outcome::Loaded(loaded)) = load(&label, &bytes, u64::MAX) else { continue };
        for finding in evaluate(&loaded.models, &rules).findings {
            *findings += 1;
            if std::env::var_os("PHIGUARD_CORPUS_VERBOSE").is_some() {
                let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
                let reason = finding.reason.as_deref().unwrap_or("");
                println!("{name} {} {} {}: {} {reason}", finding.rule_id, finding.result, finding.resource.address, finding.message);
            }
        }
    }
}

#[test]
fn corpus_rules_run_without_panic() {
    let Some(dir) = std::env::var_os("PHIGUARD_CORPUS") else { return };
    let mut findings = 0;
    scan_dir(Path::new(&dir), &mut findings);
    assert!(findings > 0, "no finding under {}", Path::new(&dir).display());
}
