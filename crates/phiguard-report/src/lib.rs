//! Reporters: render a scan's findings as text, JSON or SARIF. They read
//! only findings and input errors, never the input formats.

mod json;
mod sarif;
mod text;

use phiguard_model::{Finding, FindingResult};

pub use json::{render_json, JSON_FORMAT_VERSION};
pub use sarif::render_sarif;
pub use text::render_text;

/// An input that could not be read or parsed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputError {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// Something about an input that the user should know but that is not an
/// error: a skipped file, a part of a template that was not expanded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    pub file: String,
    pub message: String,
}

/// Everything a reporter renders.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    pub notes: Vec<Note>,
    /// Files read and recognised as a plan or template.
    pub files_scanned: usize,
    /// Files read and skipped because they are not a scannable input.
    pub files_skipped: usize,
    /// Live AWS accounts scanned with `--aws`.
    pub aws_accounts_scanned: usize,
}

impl Report {
    /// Sorts findings, errors and notes so that the same input always gives
    /// byte-identical output.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.location.file, a.location.line, a.location.column, a.rule_id, &a.resource.address).cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
                b.rule_id,
                &b.resource.address,
            ))
        });
        self.errors.sort();
        self.notes.sort();
    }

    /// Counts findings per result, in the order of `FindingResult::ALL`.
    pub fn counts(&self) -> Vec<(FindingResult, usize)> {
        FindingResult::ALL
            .iter()
            .map(|result| (*result, self.findings.iter().filter(|finding| finding.result == *result).count()))
            .collect()
    }
}
