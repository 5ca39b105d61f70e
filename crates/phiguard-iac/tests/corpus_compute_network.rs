//! Scans the real plans and templates of the test corpus (or the directory
//! that `PHIGUARD_CORPUS` names) and checks that the compute, storage and
//! network adapters type such resources without a panic.

use std::path::Path;

use phiguard_iac::{load, Outcome};
use phiguard_model::ResourceKind;

fn scan_dir(dir: &Path, typed: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan_dir(&path, typed);
            continue;
        }
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        let label = path.display().to_string();
        let Ok(Outcome::Loaded(loaded)) = load(&label, &bytes, u64::MAX) else { continue };
        for model in &loaded.models {
            for resource in &model.resources {
                let kind = &resource.kind;
                if matches!(
                    kind,
                    ResourceKind::EbsVolume(_)
                        | ResourceKind::Ec2Instance(_)
                        | ResourceKind::LaunchTemplate(_)
                        | ResourceKind::EfsFileSystem(_)
                        | ResourceKind::LoadBalancer(_)
                        | ResourceKind::LbListener(_)
                        | ResourceKind::SecurityGroup(_)
                        | ResourceKind::Vpc(_)
                ) {
                    *typed += 1;
                    if std::env::var_os("PHIGUARD_CORPUS_VERBOSE").is_some() {
                        println!("{label} {}: {kind:?}", resource.address);
                    }
                }
            }
        }
    }
}

#[test]
fn corpus_compute_and_network_resources_adapt() {
    let dir = std::env::var_os("PHIGUARD_CORPUS")
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../phiguard/tests/corpus").into_os_string());
    let mut typed = 0;
    scan_dir(Path::new(&dir), &mut typed);
    assert!(typed > 0, "no compute, storage or network resource found under {}", Path::new(&dir).display());
}
