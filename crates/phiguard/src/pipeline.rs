//! The scan pipeline: read each file, build its models, run the selected
//! rules, and apply the configuration (ePHI tags, scope, exceptions).

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::Glob;
use rayon::prelude::*;

use phiguard_iac::{load_owned, Outcome};
use phiguard_model::{Finding, FindingResult, Model};
use phiguard_report::{InputError, Note, Report};
use phiguard_rules::{evaluate, Rule};

use crate::config::{Config, Scope};

/// The settings of one scan, apart from the files.
pub struct ScanContext<'a> {
    pub config: &'a Config,
    pub rules: Vec<&'static dyn Rule>,
    pub max_file_size: u64,
    pub today: jiff::civil::Date,
}

/// The result of scanning one file.
struct FileResult {
    findings: Vec<Finding>,
    error: Option<InputError>,
    notes: Vec<Note>,
}

pub fn scan(files: &[PathBuf], context: &ScanContext<'_>, progress: &(dyn Fn() + Sync)) -> Report {
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|path| {
            let result = scan_file(path, context);
            progress();
            result
        })
        .collect();
    let mut report = Report { files_scanned: files.len(), ..Report::default() };
    for result in results {
        report.findings.extend(result.findings);
        report.errors.extend(result.error);
        report.notes.extend(result.notes);
    }
    apply_exceptions(&mut report, context);
    report.sort();
    report
}

fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_owned()
}

fn scan_file(path: &Path, context: &ScanContext<'_>) -> FileResult {
    let label = display(path);
    let mut result = FileResult { findings: Vec::new(), error: None, notes: Vec::new() };
    let bytes = match read_limited(path, context.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => {
            result.error = Some(InputError { file: label, line: None, column: None, message });
            return result;
        }
    };
    match load_owned(&label, bytes, context.max_file_size) {
        Ok(Outcome::Skipped(why)) => result.notes.push(Note { file: label, message: format!("skipped: {why}") }),
        Ok(Outcome::Loaded(mut loaded)) => {
            for note in loaded.notes {
                result.notes.push(Note { file: label.clone(), message: note });
            }
            for model in &mut loaded.models {
                mark_ephi(model, context.config);
            }
            let evaluation = evaluate(&loaded.models, &context.rules);
            result.findings = evaluation.findings;
            if context.config.scope == Scope::Tagged {
                limit_to_tagged(&mut result.findings, &loaded.models);
            }
        }
        Err(error) => {
            result.error = Some(InputError { file: label, line: error.line, column: error.column, message: error.message });
        }
    }
    result
}

/// Reads a file, refusing one larger than `limit` before reading it, so a
/// huge file gives an error instead of exhausting memory.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|error| format!("cannot open the file: {error}"))?;
    let size = file.metadata().map(|meta| meta.len()).unwrap_or(0);
    if size > limit {
        return Err(format!(
            "the file is {size} bytes, over the {limit}-byte limit; raise it with --max-file-size if the file is a real input"
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|error| format!("cannot read the file: {error}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("the file grew over the {limit}-byte limit while it was read"));
    }
    Ok(bytes)
}

fn mark_ephi(model: &mut Model, config: &Config) {
    for resource in &mut model.resources {
        resource.holds_phi = config.ephi.matches(&resource.tags);
    }
}

fn limit_to_tagged(findings: &mut [Finding], models: &[Model]) {
    for finding in findings.iter_mut() {
        let tagged = models.iter().any(|model| model.find(&finding.resource.address).is_some_and(|resource| resource.holds_phi));
        if !tagged {
            finding.result = FindingResult::NotApplicable;
            finding.reason = Some("scope = \"tagged\" and the resource is not tagged as holding ePHI".to_owned());
        }
    }
}

fn apply_exceptions(report: &mut Report, context: &ScanContext<'_>) {
    let mut expired_notes = Vec::new();
    let matchers: Vec<_> = context
        .config
        .exceptions
        .iter()
        .filter_map(|exception| {
            let matcher = Glob::new(&exception.resource).ok()?.compile_matcher();
            let expires = exception.expires.as_ref().and_then(|date| date.parse::<jiff::civil::Date>().ok());
            Some((exception, matcher, expires))
        })
        .collect();
    for finding in &mut report.findings {
        if !matches!(finding.result, FindingResult::Fail | FindingResult::Unknown) {
            continue;
        }
        for (exception, matcher, expires) in &matchers {
            let rule_matches =
                exception.rule.eq_ignore_ascii_case(finding.rule_id) || exception.rule.eq_ignore_ascii_case(finding.rule_name);
            if !rule_matches || !matcher.is_match(&finding.resource.address) {
                continue;
            }
            if let Some(expires) = expires {
                if *expires < context.today {
                    expired_notes.push(Note {
                        file: finding.resource.location.file.to_string(),
                        message: format!(
                            "the exception for {} on `{}` expired on {expires}; {} is reported again",
                            exception.rule, exception.resource, finding.resource.address
                        ),
                    });
                    continue;
                }
            }
            finding.result = FindingResult::Suppressed;
            finding.reason = Some(exception.justification.clone());
            finding.expires = exception.expires.clone();
            break;
        }
    }
    report.notes.extend(expired_notes);
}
