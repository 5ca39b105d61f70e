//! SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers.
//!
//! Failing, unknown and suppressed findings become results; passing and
//! not-applicable ones are left out, because code scanning shows every
//! unsuppressed result as an alert. Each rule carries its citations as tags
//! and a `security-severity` score, which GitHub uses to rank alerts.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use phiguard_model::{Finding, FindingResult, Severity};
use phiguard_rules::RuleMeta;

use crate::Report;

pub fn render_sarif(report: &Report, rules: &[&'static RuleMeta]) -> String {
    let used: BTreeSet<&str> = report.findings.iter().map(|finding| finding.rule_id).collect();
    let listed: Vec<&&RuleMeta> = rules.iter().filter(|meta| used.contains(meta.id)).collect();
    let rule_index = |id: &str| listed.iter().position(|meta| meta.id == id);

    let descriptors: Vec<Value> = listed.iter().map(|meta| rule_descriptor(meta)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .filter(|finding| matches!(finding.result, FindingResult::Fail | FindingResult::Unknown | FindingResult::Suppressed))
        .map(|finding| result(finding, rule_index(finding.rule_id)))
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|error| {
            let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": uri(&error.file)}}});
            if let Some(line) = error.line {
                location["physicalLocation"]["region"] = json!({"startLine": line.max(1), "startColumn": error.column.unwrap_or(1).max(1)});
            }
            json!({"level": "error", "message": {"text": error.message}, "locations": [location]})
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "phiguard",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/phiguard/phiguard",
                "rules": descriptors,
            }},
            "invocations": [{"executionSuccessful": report.errors.is_empty(), "toolExecutionNotifications": notifications}],
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn rule_descriptor(meta: &RuleMeta) -> Value {
    let mut tags: Vec<String> = vec!["security".to_owned(), "HIPAA".to_owned()];
    tags.extend(meta.citations.iter().map(|citation| format!("HIPAA-{}", citation.section)));
    let citations: Vec<String> = meta
        .citations
        .iter()
        .map(|citation| format!("{} {} ({:?})", citation.section, citation.title, citation.specification))
        .collect();
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.docs.what},
        "help": {
            "text": format!("{}\n\nWhy: {}\n\nFix: {}\n\nHIPAA: {}", meta.docs.what, meta.docs.why, meta.docs.fix, citations.join("; ")),
            "markdown": format!("{}\n\n**Why it matters for ePHI.** {}\n\n**Fix.** {}\n\n**HIPAA.** {}", meta.docs.what, meta.docs.why, meta.docs.fix, citations.join("; ")),
        },
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": {
            "tags": tags,
            "security-severity": meta.severity.security_severity(),
            "precision": "high",
        },
    })
}

fn result(finding: &Finding, rule_index: Option<usize>) -> Value {
    let mut message = finding.message.clone();
    if let Some(reason) = &finding.reason {
        message.push_str(&format!(" ({reason})"));
    }
    let level = match finding.result {
        FindingResult::Unknown => "note",
        _ => level(finding.severity),
    };
    let mut value = json!({
        "ruleId": finding.rule_id,
        "level": level,
        "message": {"text": format!("{}: {}", finding.resource.address, message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&finding.location.file)},
                "region": {"startLine": finding.location.line.max(1), "startColumn": finding.location.column.max(1)},
            },
            "logicalLocations": [{"name": finding.resource.address, "kind": "resource", "fullyQualifiedName": format!("{}:{}", finding.resource.resource_type, finding.resource.address)}],
        }],
        // The instances of a `count` or `for_each` resource share rule, file
        // and line, so code scanning would merge them without a fingerprint
        // that names the resource.
        "partialFingerprints": {"phiguardResource/v1": format!("{}|{}", finding.rule_id, finding.resource.address)},
        "properties": {"result": finding.result.as_str(), "severity": finding.severity.as_str()},
    });
    if let Some(index) = rule_index {
        value["ruleIndex"] = json!(index);
    }
    // A suppressed finding stays in the log with its justification, so the
    // accepted risks are part of the record; viewers show it as dismissed.
    if finding.result == FindingResult::Suppressed {
        value["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": finding.reason.clone().unwrap_or_default(),
        }]);
    }
    value
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// SARIF wants forward slashes and relative paths, which is also what code
/// scanning matches against the repository.
fn uri(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}
