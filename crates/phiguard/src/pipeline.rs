//! The scan pipeline: read each file, build its models, run the selected
//! rules, and apply the configuration (ePHI tags, scope, exceptions).

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::Glob;
use rayon::prelude::*;

use phiguard_iac::{load_owned, load_terraform_directory, Loaded, Outcome};
use phiguard_model::{Finding, FindingResult, Model, ResourceKind};
use phiguard_report::{InputError, Note, Report};
use phiguard_rules::{evaluate, Rule};

use crate::config::{Config, Scope};
use crate::discover::Input;

/// The stack size of scan threads, in bytes.
const WORKER_STACK_SIZE: usize = 16 << 20;

/// The settings of one scan, apart from the files.
pub struct ScanContext<'a> {
    pub config: &'a Config,
    pub rules: Vec<&'static dyn Rule>,
    pub max_file_size: u64,
    pub today: jiff::civil::Date,
}

/// The result of scanning one input.
struct FileResult {
    findings: Vec<Finding>,
    errors: Vec<InputError>,
    notes: Vec<Note>,
    scanned: bool,
    skipped: bool,
}

/// Scans the inputs into a report. The caller applies the exceptions with
/// [`apply_exceptions`] once every input is in the report.
pub fn scan(inputs: &[Input], context: &ScanContext<'_>, progress: &(dyn Fn() + Sync)) -> Report {
    let scan_all = || -> Vec<FileResult> {
        inputs
            .par_iter()
            .map(|input| {
                // A bug triggered by one input must not lose the report of
                // every other input, so a panic becomes that input's error.
                let (path, scan_one): (&PathBuf, fn(&Path, &ScanContext<'_>) -> FileResult) = match input {
                    Input::File(path) => (path, scan_file),
                    Input::TerraformModule(path) => (path, scan_module),
                };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| scan_one(path, context)))
                    .unwrap_or_else(|_| FileResult {
                        findings: Vec::new(),
                        errors: vec![InputError {
                            file: display(path),
                            line: None,
                            column: None,
                            message: "internal error while scanning this input; please report it with the file".to_owned(),
                        }],
                        notes: Vec::new(),
                        scanned: false,
                        skipped: false,
                    });
                progress();
                result
            })
            .collect()
    };
    // Deeply nested templates recurse in the parsers and resolvers, whose
    // depth limits are sized for this stack rather than rayon's 2 MiB one.
    let results = match rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK_SIZE).build() {
        Ok(pool) => pool.install(scan_all),
        Err(_) => scan_all(),
    };
    let mut report = Report::default();
    for result in results {
        report.files_scanned += usize::from(result.scanned);
        report.files_skipped += usize::from(result.skipped);
        report.findings.extend(result.findings);
        report.errors.extend(result.errors);
        report.notes.extend(result.notes);
    }
    report.sort();
    report
}

/// Returns the path shown in findings: `.` and `..` steps removed, and
/// relative to the working directory when the file is under it, so SARIF
/// viewers can match it to a repository file.
pub(crate) fn display(path: &Path) -> String {
    use std::path::Component;
    let mut cleaned = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(cleaned.components().next_back(), Some(Component::Normal(_))) => {
                cleaned.pop();
            }
            other => cleaned.push(other.as_os_str()),
        }
    }
    if cleaned.is_absolute() {
        if let Ok(relative) = std::env::current_dir().map(|cwd| cleaned.strip_prefix(cwd).map(Path::to_path_buf)) {
            if let Ok(relative) = relative {
                cleaned = relative;
            }
        }
    }
    // The working directory itself cleans to an empty path; "." names it.
    if cleaned.as_os_str().is_empty() {
        return ".".to_owned();
    }
    cleaned.to_string_lossy().into_owned()
}

fn scan_file(path: &Path, context: &ScanContext<'_>) -> FileResult {
    let label = display(path);
    let mut result = FileResult { findings: Vec::new(), errors: Vec::new(), notes: Vec::new(), scanned: false, skipped: false };
    let bytes = match read_limited(path, context.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => {
            result.errors.push(InputError { file: label, line: None, column: None, message });
            return result;
        }
    };
    match load_owned(&label, bytes, context.max_file_size) {
        Ok(Outcome::Skipped(why)) => {
            result.skipped = true;
            result.notes.push(Note { file: label, message: format!("skipped: {why}") });
        }
        Ok(Outcome::Loaded(loaded)) => check_loaded(&label, loaded, context, &mut result),
        Err(error) => {
            result.errors.push(InputError { file: label, line: error.line, column: error.column, message: error.message });
        }
    }
    result
}

/// Scans the Terraform module in `dir`. A file that cannot be parsed is an
/// error of its own, and the module's other files are still scanned.
fn scan_module(dir: &Path, context: &ScanContext<'_>) -> FileResult {
    let label = display(dir);
    let mut result = FileResult { findings: Vec::new(), errors: Vec::new(), notes: Vec::new(), scanned: false, skipped: false };
    let (loaded, errors) = load_terraform_directory(&label, dir, context.max_file_size);
    let has_resources = loaded.models.iter().any(|model| !model.resources.is_empty());
    for error in errors {
        result.errors.push(InputError { file: error.file, line: error.error.line, column: error.error.column, message: error.error.message });
    }
    if has_resources || result.errors.is_empty() {
        check_loaded(&label, loaded, context, &mut result);
    }
    result
}

fn check_loaded(label: &str, mut loaded: Loaded, context: &ScanContext<'_>, result: &mut FileResult) {
    result.scanned = true;
    for note in loaded.notes {
        result.notes.push(Note { file: label.to_owned(), message: note });
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

/// Reads a file, refusing one larger than `limit` before reading it, so a
/// huge file gives an error instead of exhausting memory.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    // Opening a FIFO or a device blocks or never ends, so only regular
    // files (or links to them) are read.
    let metadata = std::fs::metadata(path).map_err(|error| format!("cannot read the file: {error}"))?;
    if !metadata.is_file() {
        return Err("not a regular file (a FIFO, socket or device); pass the plan or template file itself".to_owned());
    }
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

pub(crate) fn mark_ephi(model: &mut Model, config: &Config) {
    for resource in &mut model.resources {
        resource.holds_phi = config.ephi.matches(&resource.tags);
    }
    // Some resources contain their parent's data but carry no tags of their
    // own in some inputs. A listener serves its load balancer's traffic, an
    // Aurora instance stores its cluster's data, and a read replica copies
    // its source. Each takes its parent's marking. Parents
    // can chain (a replica of a cluster member), so marking repeats until
    // nothing changes, which takes at most one pass per link.
    loop {
        let tagged: std::collections::HashSet<String> =
            model.resources.iter().filter(|resource| resource.holds_phi).map(|resource| resource.address.clone()).collect();
        let mut changed = false;
        for resource in &mut model.resources {
            if resource.holds_phi {
                continue;
            }
            if parents(&resource.kind).iter().any(|parent| tagged.contains(*parent)) {
                resource.holds_phi = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Returns the addresses of the resources whose data `kind` stores or serves.
fn parents(kind: &ResourceKind) -> Vec<&str> {
    match kind {
        ResourceKind::LbListener(listener) => listener.load_balancer.as_deref().into_iter().collect(),
        ResourceKind::RdsInstance(instance) => {
            instance.cluster.iter().chain(instance.replica_source.iter()).map(String::as_str).collect()
        }
        _ => Vec::new(),
    }
}

pub(crate) fn limit_to_tagged(findings: &mut [Finding], models: &[Model]) {
    for finding in findings.iter_mut() {
        let tagged = models.iter().any(|model| model.find(&finding.resource.address).is_some_and(|resource| resource.holds_phi));
        if !tagged {
            finding.result = FindingResult::NotApplicable;
            finding.reason = Some("scope = \"tagged\" and the resource is not tagged as holding ePHI".to_owned());
        }
    }
}

pub(crate) fn apply_exceptions(report: &mut Report, context: &ScanContext<'_>) {
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
    let mut used = vec![false; matchers.len()];
    for finding in &mut report.findings {
        if !matches!(finding.result, FindingResult::Fail | FindingResult::Unknown) {
            continue;
        }
        for (index, (exception, matcher, expires)) in matchers.iter().enumerate() {
            let rule_matches =
                exception.rule.eq_ignore_ascii_case(finding.rule_id) || exception.rule.eq_ignore_ascii_case(finding.rule_name);
            // An address such as `aws_s3_bucket.b["x"]` is matched as
            // written first, because `[` starts a character class in a glob.
            let address = &finding.resource.address;
            if !rule_matches || !(exception.resource == *address || matcher.is_match(address)) {
                continue;
            }
            used[index] = true;
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
    for ((exception, _, _), used) in matchers.iter().zip(used) {
        if !used {
            report.notes.push(Note {
                file: "phiguard.toml".to_owned(),
                message: if exception.resource.contains('[') && !exception.resource.contains("\\[") {
                    // In a glob, `[` opens a character class, so `module.db[*]`
                    // matches no instance address.
                    format!(
                        "the exception for {} on `{}` matched no failing or unknown finding; `[` starts a character \
                         class in a pattern, so write `\\[` and `\\]` to match the brackets of an instance address",
                        exception.rule, exception.resource
                    )
                } else {
                    format!(
                        "the exception for {} on `{}` matched no failing or unknown finding; check the pattern \
                         against the finding's address, or remove the exception if the risk is gone",
                        exception.rule, exception.resource
                    )
                },
            });
        }
    }
}
