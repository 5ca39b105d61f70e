//! The JSON output format, version 1. Its fields are documented in
//! `docs/output-format.md`; a change that removes or renames a field raises
//! the version.

use serde_json::{json, Map, Value};

use phiguard_model::Finding;

use crate::Report;

pub const JSON_FORMAT_VERSION: u32 = 1;

pub fn render_json(report: &Report) -> String {
    let findings: Vec<Value> = report.findings.iter().map(finding_json).collect();
    let mut summary = Map::new();
    for (result, count) in report.counts() {
        summary.insert(result.as_str().to_owned(), json!(count));
    }
    summary.insert("files_scanned".to_owned(), json!(report.files_scanned));
    summary.insert("files_skipped".to_owned(), json!(report.files_skipped));
    summary.insert("aws_accounts_scanned".to_owned(), json!(report.aws_accounts_scanned));
    let errors: Vec<Value> = report
        .errors
        .iter()
        .map(|error| json!({"file": error.file, "line": error.line, "column": error.column, "message": error.message}))
        .collect();
    let notes: Vec<Value> = report.notes.iter().map(|note| json!({"file": note.file, "message": note.message})).collect();
    let document = json!({
        "format_version": JSON_FORMAT_VERSION,
        "tool": {"name": "phiguard", "version": env!("CARGO_PKG_VERSION")},
        "summary": summary,
        "findings": findings,
        "errors": errors,
        "notes": notes,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn finding_json(finding: &Finding) -> Value {
    let citations: Vec<&str> = finding.citations.iter().map(|citation| citation.section).collect();
    let mut object = json!({
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity.as_str(),
        "result": finding.result.as_str(),
        "resource": {
            "address": finding.resource.address,
            "type": finding.resource.resource_type,
            "file": finding.resource.location.file.as_ref(),
            "line": finding.resource.location.line,
        },
        "location": {
            "file": finding.location.file.as_ref(),
            "line": finding.location.line,
            "column": finding.location.column,
        },
        "citations": citations,
        "message": finding.message,
    });
    let fields = object.as_object_mut().expect("built as an object");
    if let Some(reason) = &finding.reason {
        fields.insert("reason".to_owned(), json!(reason));
    }
    if let Some(expires) = &finding.expires {
        fields.insert("expires".to_owned(), json!(expires));
    }
    object
}
