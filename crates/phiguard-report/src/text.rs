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

/// The indent of a finding's detail lines, under its rule id.
const INDENT: &str = "             ";

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => Style::new().fg_color(Some(AnsiColor::Magenta.into())).bold(),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low | Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
    }
}

/// Escapes control characters, so a resource name or file name from the
/// input cannot forge report lines or hide text with terminal sequences.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        std::borrow::Cow::Owned(text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
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
                FindingResult::Fail => finding.severity.as_str().to_uppercase(),
                FindingResult::NotApplicable => "N/A".to_owned(),
                other => other.as_str().to_uppercase(),
            };
            let style = match finding.result {
                FindingResult::Fail => severity_style(finding.severity),
                _ => DIM,
            };
            // A live resource's location is its ARN, which is also its
            // address, so it is printed once.
            let location = if finding.location.is_live() && *finding.location.file == finding.resource.address {
                String::new()
            } else {
                format!(" {DIM}{}{DIM:#}", clean(&finding.location.to_string()))
            };
            let _ = writeln!(
                out,
                "  {style}{label:<10}{style:#} {} {}{location}",
                finding.rule_id,
                clean(&finding.resource.address),
            );
            let _ = writeln!(out, "{INDENT}{}", clean(&finding.message));
            match (&finding.reason, finding.result) {
                (Some(reason), FindingResult::Suppressed) => {
                    let until = finding.expires.as_ref().map(|date| format!(" until {date}")).unwrap_or_default();
                    let _ = writeln!(out, "{INDENT}{DIM}accepted{until}: {}{DIM:#}", clean(reason));
                }
                (Some(reason), _) if *reason != finding.message => {
                    let _ = writeln!(out, "{INDENT}{DIM}reason: {}{DIM:#}", clean(reason));
                }
                _ => {}
            }
            let citations: Vec<&str> = finding.citations.iter().map(|citation| citation.section).collect();
            let _ = writeln!(
                out,
                "{INDENT}{DIM}HIPAA {}; how to fix: phiguard rules {}{DIM:#}",
                citations.join(", "),
                finding.rule_id
            );
        }
        out.push('\n');
    }
    for error in &report.errors {
        let position = match (error.line, error.column) {
            (Some(line), Some(column)) => format!(":{line}:{column}"),
            (Some(line), None) => format!(":{line}"),
            _ => String::new(),
        };
        let style = severity_style(Severity::High);
        let _ = writeln!(out, "{style}error{style:#}: {}{position}: {}", clean(&error.file), clean(&error.message));
    }
    // Notes about skipped files are many and expected. Other notes, such as
    // an expired exception or a template part that was not scanned, change
    // what a pass means, so they are always shown.
    for note in &report.notes {
        if verbose || !note.message.starts_with("skipped:") {
            let _ = writeln!(out, "{DIM}note: {}: {}{DIM:#}", clean(&note.file), clean(&note.message));
        }
    }
    let counts: Vec<String> = report.counts().iter().map(|(result, count)| format!("{count} {}", result.as_str().replace('_', " "))).collect();
    let skipped = match report.files_skipped {
        0 => String::new(),
        count if verbose => format!(", {count} skipped"),
        count => format!(", {count} skipped (--verbose lists them)"),
    };
    let files = if report.files_scanned == 1 { "file" } else { "files" };
    let accounts = match report.aws_accounts_scanned {
        0 => String::new(),
        1 => " and 1 AWS account".to_owned(),
        count => format!(" and {count} AWS accounts"),
    };
    let _ = writeln!(
        out,
        "{BOLD}{} {files}{accounts} scanned{skipped}: {}{BOLD:#}",
        report.files_scanned,
        counts.join(", ")
    );
    out
}
