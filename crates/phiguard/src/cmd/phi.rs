//! `phiguard phi`: find PHI identifiers in files, directories and stdin
//! (`scan`), or copy a stream with every identifier masked (`redact`). The
//! detection itself lives in the `phiguard-phi` crate.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use phiguard_phi::output::{self, ReportWriter, SourceFailure, Totals};
use phiguard_phi::{redact_reader, scan_reader, Detector, Finding, PhiConfig, ScanOptions, Source};
use rayon::prelude::*;

use crate::config;

mod live;

#[derive(Args)]
pub struct PhiArgs {
    #[command(subcommand)]
    command: PhiCommand,
}

#[derive(Subcommand)]
enum PhiCommand {
    /// Report PHI identifiers (SSN, MBI, NPI, DEA, MRN, dates of birth, ...)
    /// with their values masked. Exit 1 when any finding reaches
    /// --min-confidence, 2 when an input could not be read.
    Scan(ScanArgs),
    /// Copy input to output with every PHI identifier masked, for use as a
    /// filter in a log pipeline.
    Redact(RedactArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
}

/// Settings shared by scan and redact.
#[derive(Args)]
struct DetectionArgs {
    /// Minimum confidence, from 0.0 to 1.0, of a finding to report or mask.
    #[arg(long, default_value_t = 0.5, value_parser = parse_confidence)]
    min_confidence: f32,
    /// Also report and mask ICD-10 and NDC codes (health information that is
    /// not an identifier on its own).
    #[arg(long)]
    health_codes: bool,
    /// Configuration file with a [phi] section; by default phiguard.toml is
    /// searched for from the first input's directory upwards.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Worker threads; the default is one per CPU.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args)]
struct ScanArgs {
    /// Files or directories to scan (plain, gzip or zstd), or `-` for stdin.
    #[arg(required_unless_present_any = ["s3", "log_groups"])]
    paths: Vec<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    detection: DetectionArgs,
    // Boxed, so the live options do not make Scan far larger than Redact.
    #[command(flatten)]
    live: Box<live::LiveArgs>,
}

#[derive(Args)]
struct RedactArgs {
    /// Files to redact, in order, or `-` for stdin (the default).
    paths: Vec<String>,
    /// Write the redacted stream to this file instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    detection: DetectionArgs,
}

fn parse_confidence(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("invalid confidence {text:?}: expected a number from 0.0 to 1.0")),
    }
}

pub fn run(args: PhiArgs) -> Result<ExitCode> {
    match args.command {
        PhiCommand::Scan(args) => scan(args),
        PhiCommand::Redact(args) => redact(args),
    }
}

/// Loads the `[phi]` section from `--config` or the discovered
/// `phiguard.toml`, and builds the detector and options from it.
fn prepare(detection: &DetectionArgs, first_input: Option<&str>) -> Result<(Detector, ScanOptions)> {
    if let Some(threads) = detection.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("failed to start the worker threads")?;
    }
    let config_path = match &detection.config {
        Some(path) => Some(path.clone()),
        None => {
            let start = match first_input {
                Some(path) if path != "-" => PathBuf::from(path),
                _ => std::env::current_dir().context("failed to read the current directory")?,
            };
            config::discover(&start)
        }
    };
    let phi_config = match config_path {
        Some(path) => {
            let loaded = config::load(&path)?;
            match loaded.phi {
                Some(section) => section
                    .try_into::<PhiConfig>()
                    .map_err(|error| anyhow!("invalid [phi] section in {}: {}", path.display(), error.to_string().trim_end()))?,
                None => PhiConfig::default(),
            }
        }
        None => PhiConfig::default(),
    };
    let detector = Detector::new(&phi_config)?;
    let options = ScanOptions {
        min_confidence: detection.min_confidence,
        include_health_codes: detection.health_codes,
        ..ScanOptions::default()
    };
    Ok((detector, options))
}

fn open_output(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("failed to create the output file {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Files up to this size are scanned several at a time, with their findings
/// buffered. Larger files, compressed files and stdin are scanned one at a
/// time with their findings written as they are found, so memory stays
/// bounded whatever the input size.
const SMALL_FILE_BYTES: u64 = 1 << 20;
/// Maximum small files scanned together.
const SMALL_FILE_BATCH: usize = 64;

fn scan(args: ScanArgs) -> Result<ExitCode> {
    let (detector, options) = prepare(&args.detection, args.paths.first().map(String::as_str))?;
    let custom: Vec<String> = detector.custom_names().map(String::from).collect();
    let format = match args.format {
        Format::Text => output::Format::Text,
        Format::Json => output::Format::Json,
        Format::Sarif => output::Format::Sarif,
    };
    let out = open_output(args.output.as_deref())?;
    let mut report = ReportWriter::start(out, format, &custom).context("failed to write the report")?;
    let mut failures = Vec::new();
    let mut totals = Totals::default();

    let mut inputs: Vec<Input> = Vec::new();
    for path in &args.paths {
        if path == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let (expanded, walk_errors) = phiguard_phi::source::expand_paths(&[PathBuf::from(path)]);
        inputs.extend(expanded.into_iter().map(Input::File));
        for failure in walk_errors {
            let message = if failure.error.kind() == std::io::ErrorKind::NotFound {
                "no such file or directory; check the path".to_owned()
            } else {
                failure.error.to_string()
            };
            failures.push(SourceFailure { source: failure.path.display().to_string(), message });
        }
    }

    let mut index = 0;
    while index < inputs.len() {
        let batch_end = small_file_batch_end(&inputs, index);
        if batch_end > index {
            // Several small files at once: scan in parallel, then write in
            // input order so the report does not depend on scheduling.
            let results: Vec<FileResult> =
                inputs[index..batch_end].par_iter().map(|input| scan_buffered(&detector, &options, input)).collect();
            for result in results {
                totals.sources += 1;
                totals.bytes += result.bytes;
                for finding in &result.findings {
                    totals.findings += 1;
                    report.finding(finding).context("failed to write the report")?;
                }
                failures.extend(result.failure);
            }
            index = batch_end;
            continue;
        }
        let source = match &inputs[index] {
            Input::Stdin => Ok(Source::stdin()),
            Input::File(path) => Source::open(path).map_err(|error| SourceFailure {
                source: path.display().to_string(),
                message: format!("failed to open: {error}"),
            }),
        };
        index += 1;
        let source = match source {
            Ok(source) => source,
            Err(failure) => {
                failures.push(failure);
                continue;
            }
        };
        totals.sources += 1;
        let mut write_error = None;
        let scanned = scan_reader(&detector, source.reader, &source.label, &options, |finding| {
            totals.findings += 1;
            if write_error.is_none() {
                write_error = report.finding(&finding).err();
            }
        });
        if let Some(error) = write_error {
            return Err(error).context("failed to write the report");
        }
        match scanned {
            Ok(summary) => totals.bytes += summary.bytes,
            Err(error) => failures.push(SourceFailure { source: source.label, message: format!("failed to read: {error}") }),
        }
    }
    let mut live_results = phiguard_aws::Report::default();
    live::scan(&args.live, &detector, &options, &mut live_results)?;
    totals.sources += live_results.sources;
    totals.bytes += live_results.bytes;
    for finding in &live_results.findings {
        totals.findings += 1;
        report.finding(finding).context("failed to write the report")?;
    }
    failures.extend(live_results.errors);

    report.finish(&failures, totals).context("failed to write the report")?;
    Ok(if !failures.is_empty() {
        ExitCode::from(2)
    } else if totals.findings > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

enum Input {
    Stdin,
    File(PathBuf),
}

struct FileResult {
    findings: Vec<Finding>,
    bytes: u64,
    failure: Option<SourceFailure>,
}

/// Returns the end of the run of small uncompressed files that starts at
/// `start`, or `start` when the input there must be streamed.
fn small_file_batch_end(inputs: &[Input], start: usize) -> usize {
    let mut end = start;
    while end < inputs.len() && end - start < SMALL_FILE_BATCH {
        let Input::File(path) = &inputs[end] else { break };
        let small = std::fs::metadata(path).is_ok_and(|meta| meta.len() <= SMALL_FILE_BYTES);
        let compressed = path.extension().is_some_and(|ext| ext == "gz" || ext == "zst");
        if !small || compressed {
            break;
        }
        end += 1;
    }
    end
}

fn scan_buffered(detector: &Detector, options: &ScanOptions, input: &Input) -> FileResult {
    let mut result = FileResult { findings: Vec::new(), bytes: 0, failure: None };
    let Input::File(path) = input else {
        return result;
    };
    let label = path.display().to_string();
    let source = match Source::open(path) {
        Ok(source) => source,
        Err(error) => {
            result.failure = Some(SourceFailure { source: label, message: format!("failed to open: {error}") });
            return result;
        }
    };
    let findings = &mut result.findings;
    match scan_reader(detector, source.reader, &label, options, |finding| findings.push(finding)) {
        Ok(summary) => result.bytes = summary.bytes,
        Err(error) => result.failure = Some(SourceFailure { source: label, message: format!("failed to read: {error}") }),
    }
    result
}

fn redact(args: RedactArgs) -> Result<ExitCode> {
    let (detector, options) = prepare(&args.detection, args.paths.first().map(String::as_str))?;
    let mut out = open_output(args.output.as_deref())?;
    let inputs = if args.paths.is_empty() { vec!["-".to_string()] } else { args.paths.clone() };
    for input in &inputs {
        let source = if input == "-" {
            Source::stdin()
        } else {
            Source::open(Path::new(input)).with_context(|| format!("failed to open {input}"))?
        };
        redact_reader(&detector, source.reader, &mut out, &options)
            .with_context(|| format!("failed to redact {}", source.label))?;
    }
    out.flush().context("failed to write the redacted output")?;
    Ok(ExitCode::SUCCESS)
}
