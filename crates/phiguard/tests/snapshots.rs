//! Snapshots of every output format on the bundled examples, so a change
//! to a reporter or a rule's verdict shows up as a reviewed diff. Update
//! them with `cargo insta review` or `INSTA_UPDATE=always cargo test`.

use std::path::Path;
use std::process::Command;

fn scan(format: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let output = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .current_dir(&root)
        .args(["scan", "--format", format, "--color", "never", "examples"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "the examples have failing findings");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn text_report() {
    insta::assert_snapshot!(scan("text"));
}

#[test]
fn json_report() {
    insta::assert_snapshot!(scan("json"));
}

#[test]
fn sarif_report() {
    insta::assert_snapshot!(scan("sarif"));
}
