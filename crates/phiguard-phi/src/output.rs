//! Report rendering for scan results: plain text for people, JSON for
//! scripts, SARIF 2.1.0 for code-scanning dashboards. Findings are written as
//! they arrive, so a report over gigabytes of logs needs no memory for the
//! findings already written. Renderers only see [`Finding`]s, which contain
//! redacted values, so no format can leak a match.

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

/// Totals written at the end of a report.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    pub findings: u64,
    pub sources: u64,
    pub bytes: u64,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// Writes one report incrementally: [`ReportWriter::finding`] for each
/// finding in order, then [`ReportWriter::finish`] with the failures and
/// totals.
pub struct ReportWriter<W: Write> {
    out: W,
    format: Format,
    written: u64,
}

impl<W: Write> ReportWriter<W> {
    /// Starts a report. `custom_names` become SARIF rules beside the
    /// built-in detectors.
    pub fn start(mut out: W, format: Format, custom_names: &[String]) -> io::Result<Self> {
        match format {
            Format::Text => {}
            Format::Json => out.write_all(b"{\n  \"findings\": [")?,
            Format::Sarif => {
                let mut rules: Vec<serde_json::Value> = Kind::BUILT_IN
                    .iter()
                    .map(|kind| json!({ "id": kind.name(), "shortDescription": { "text": kind.description() } }))
                    .collect();
                for name in custom_names {
                    rules.push(json!({ "id": name, "shortDescription": { "text": Kind::Custom(0).description() } }));
                }
                let driver = json!({ "name": "phiguard", "rules": rules });
                write!(
                    out,
                    "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{{\n    \"tool\": {{ \"driver\": {} }},\n    \"results\": [",
                    serde_json::to_string(&driver)?
                )?;
            }
        }
        Ok(ReportWriter { out, format, written: 0 })
    }

    /// Writes one finding.
    pub fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        let separator = if self.written == 0 { "\n" } else { ",\n" };
        self.written += 1;
        match self.format {
            Format::Text => writeln!(
                self.out,
                "{}:{}: {} {} (confidence {:.2}, severity {}, byte {})",
                finding.source,
                finding.line,
                finding.detector,
                finding.redacted,
                finding.confidence,
                severity_name(finding.severity),
                finding.offset,
            ),
            Format::Json => write!(self.out, "{separator}    {}", serde_json::to_string(&finding_json(finding)?)?),
            Format::Sarif => write!(self.out, "{separator}      {}", serde_json::to_string(&sarif_result(finding))?),
        }
    }

    /// Writes the failures and totals, closes the document and flushes.
    pub fn finish(mut self, failures: &[SourceFailure], totals: Totals) -> io::Result<W> {
        match self.format {
            Format::Text => {
                for failure in failures {
                    writeln!(self.out, "error: {}: {}", failure.source, failure.message)?;
                }
                writeln!(
                    self.out,
                    "{} finding(s) in {} source(s), {} bytes scanned, {} error(s)",
                    totals.findings,
                    totals.sources,
                    totals.bytes,
                    failures.len()
                )?;
            }
            Format::Json => {
                let close = if self.written == 0 { "]" } else { "\n  ]" };
                write!(
                    self.out,
                    "{close},\n  \"errors\": {},\n  \"sources\": {},\n  \"bytes\": {}\n}}\n",
                    serde_json::to_string(failures)?,
                    totals.sources,
                    totals.bytes
                )?;
            }
            Format::Sarif => {
                let notifications: Vec<serde_json::Value> = failures
                    .iter()
                    .map(|f| json!({ "level": "error", "message": { "text": format!("{}: {}", f.source, f.message) } }))
                    .collect();
                let invocation = json!({ "executionSuccessful": failures.is_empty(), "toolExecutionNotifications": notifications });
                let close = if self.written == 0 { "]" } else { "\n    ]" };
                write!(self.out, "{close},\n    \"invocations\": [{}]\n  }}]\n}}\n", serde_json::to_string(&invocation)?)?;
            }
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn sarif_result(finding: &Finding) -> serde_json::Value {
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
        "properties": { "confidence": (f64::from(finding.confidence) * 100.0).round() / 100.0, "severity": severity_name(finding.severity) },
    })
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}

/// Serializes a finding for the JSON format, adding the parts of a live
/// source's label as fields: `s3_object` (bucket and key) for an
/// `s3://bucket/key` source, and `log_event` (group, stream and timestamp)
/// for a `cloudwatch-logs:GROUP:STREAM@TIMESTAMP` source.
fn finding_json(finding: &Finding) -> io::Result<serde_json::Value> {
    let mut value = serde_json::to_value(finding)?;
    if let Some(rest) = finding.source.strip_prefix("s3://") {
        if let Some((bucket, key)) = rest.split_once('/') {
            value["s3_object"] = json!({ "bucket": bucket, "key": key });
        }
    } else if let Some(rest) = finding.source.strip_prefix("cloudwatch-logs:") {
        // Group and stream names cannot contain `:`, and the timestamp
        // follows the last `@`.
        if let Some((group, event)) = rest.split_once(':') {
            if let Some((stream, timestamp)) = event.rsplit_once('@') {
                value["log_event"] = json!({ "log_group": group, "log_stream": stream, "timestamp": timestamp });
            }
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding_from(source: &str) -> Finding {
        Finding {
            detector: "ssn".to_owned(),
            kind: Kind::Ssn,
            confidence: 0.9,
            severity: Severity::Medium,
            source: source.to_owned(),
            line: 1,
            offset: 4,
            length: 11,
            redacted: "***-**-6789".to_owned(),
        }
    }

    #[test]
    fn log_event_source_gets_fields() {
        let value = finding_json(&finding_from("cloudwatch-logs:/app/api:web-1@host@2026-12-04T10:00:00.000Z")).unwrap();
        assert_eq!(value["log_event"]["log_group"], "/app/api");
        assert_eq!(value["log_event"]["log_stream"], "web-1@host");
        assert_eq!(value["log_event"]["timestamp"], "2026-12-04T10:00:00.000Z");
    }

    #[test]
    fn s3_source_gets_fields() {
        let value = finding_json(&finding_from("s3://records/2026/12/app.log.gz")).unwrap();
        assert_eq!(value["s3_object"]["bucket"], "records");
        assert_eq!(value["s3_object"]["key"], "2026/12/app.log.gz");
    }

    #[test]
    fn file_source_gets_no_live_fields() {
        let value = finding_json(&finding_from("logs/app.log")).unwrap();
        assert!(value.get("s3_object").is_none());
        assert!(value.get("log_event").is_none());
        assert_eq!(value["redacted"], "***-**-6789");
    }
}
