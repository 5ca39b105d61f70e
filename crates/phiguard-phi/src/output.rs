//! Report rendering for scan results: plain text for people, JSON for
//! scripts, SARIF 2.1.0 for code-scanning dashboards. Renderers only see
//! [`Finding`]s, which hold redacted values, so no format can leak a match.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use crate::finding::{Finding, Kind, Severity};

/// A source that failed to open or read, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct SourceFailure {
    pub source: String,
    pub message: String,
}

/// Everything one scan produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<SourceFailure>,
    pub sources: u64,
    pub bytes: u64,
}

/// Writes one line per finding, then one line per error, then a summary.
pub fn write_text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for finding in &report.findings {
        writeln!(
            out,
            "{}:{}: {} {} (confidence {:.2}, severity {}, byte {})",
            finding.source,
            finding.line,
            finding.detector,
            finding.redacted,
            finding.confidence,
            severity_name(finding.severity),
            finding.offset,
        )?;
    }
    for failure in &report.errors {
        writeln!(out, "error: {}: {}", failure.source, failure.message)?;
    }
    writeln!(
        out,
        "{} finding(s) in {} source(s), {} bytes scanned, {} error(s)",
        report.findings.len(),
        report.sources,
        report.bytes,
        report.errors.len()
    )
}

/// Writes the report as one JSON document.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// Writes the report as a SARIF 2.1.0 log with one rule per detector.
pub fn write_sarif(report: &Report, custom_names: &[String], out: &mut dyn Write) -> io::Result<()> {
    let mut rules: Vec<serde_json::Value> = Kind::BUILT_IN
        .iter()
        .map(|kind| {
            json!({
                "id": kind.name(),
                "shortDescription": { "text": kind.description() },
            })
        })
        .collect();
    for name in custom_names {
        rules.push(json!({
            "id": name,
            "shortDescription": { "text": Kind::Custom(0).description() },
        }));
    }
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|finding| {
            json!({
                "ruleId": finding.detector,
                "level": match finding.severity {
                    Severity::High => "error",
                    Severity::Medium => "warning",
                    Severity::Low => "note",
                },
                "message": {
                    "text": format!("{} found: {} (confidence {:.2})", finding.detector, finding.redacted, finding.confidence),
                },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": finding.source },
                        "region": {
                            "startLine": finding.line,
                            "byteOffset": finding.offset,
                            "byteLength": finding.length,
                        },
                    },
                }],
                "properties": { "confidence": finding.confidence },
            })
        })
        .collect();
    let notifications: Vec<serde_json::Value> = report
        .errors
        .iter()
        .map(|failure| json!({ "level": "error", "message": { "text": format!("{}: {}", failure.source, failure.message) } }))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "phiguard", "informationUri": "https://github.com/phiguard/phiguard", "rules": rules } },
            "results": results,
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}
