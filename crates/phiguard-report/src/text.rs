//! The text report: failing and unknown findings grouped by HIPAA safeguard,
//! then a summary line. Styles are ANSI sequences; the binary strips them
//! when the output is not a terminal.

use std::collections::BTreeMap;
use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use phiguard_model::{FindingResult, Severity};
use phiguard_rules::citations::safeguard;

use crate::Report;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => Style::new().fg_color(Some(AnsiColor::Magenta.into())).bold(),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low | Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
    }
}

/// Renders the report. With `verbose`, passing findings are listed too.
pub fn render_text(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    let mut groups: BTreeMap<&str, Vec<&phiguard_model::Finding>> = BTreeMap::new();
    for finding in &report.findings {
        let shown = match finding.result {
            FindingResult::Fail | FindingResult::Unknown => true,
            _ => verbose,
        };
        if shown {
            let heading = finding.citations.first().map(safeguard).unwrap_or("Other");
            groups.entry(heading).or_default().push(finding);
        }
    }
    for (heading, findings) in &groups {
        let _ = writeln!(out, "{BOLD}{heading}{BOLD:#}");
        for finding in findings {
            let label = match finding.result {
                FindingResult::Fail => format!("{}", finding.severity).to_uppercase(),
                other => other.as_str().to_uppercase(),
            };
            let style = match finding.result {
                FindingResult::Fail => severity_style(finding.severity),
                _ => DIM,
            };
            let _ = writeln!(
                out,
                "  {style}{label:<8}{style:#} {} {} {DIM}{}{DIM:#}",
                finding.rule_id, finding.resource.address, finding.location
            );
            let _ = writeln!(out, "           {}", finding.message);
            if let Some(reason) = &finding.reason {
                let _ = writeln!(out, "           {DIM}reason: {reason}{DIM:#}");
            }
        }
        out.push('\n');
    }
    for error in &report.errors {
        let position = match (error.line, error.column) {
            (Some(line), Some(column)) => format!(":{line}:{column}"),
            (Some(line), None) => format!(":{line}"),
            _ => String::new(),
        };
        let _ = writeln!(out, "{}error{:#}: {}{position}: {}", severity_style(Severity::High), severity_style(Severity::High), error.file, error.message);
    }
    if verbose {
        for note in &report.notes {
            let _ = writeln!(out, "{DIM}note: {}: {}{DIM:#}", note.file, note.message);
        }
    }
    let counts: Vec<String> = report.counts().iter().map(|(result, count)| format!("{count} {}", result.as_str().replace('_', " "))).collect();
    let _ = writeln!(out, "{BOLD}{} files scanned: {}{BOLD:#}", report.files_scanned, counts.join(", "));
    out
}
