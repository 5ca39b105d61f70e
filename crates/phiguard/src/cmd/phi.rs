//! `phiguard phi`: find PHI identifiers in files, directories and stdin
//! (`scan`), or copy a stream with every identifier masked (`redact`). The
//! detection itself lives in the `phiguard-phi` crate.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::{anyhow, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use phiguard_phi::output::{self, Report, SourceFailure};
use phiguard_phi::{redact_reader, scan_reader, Detector, PhiConfig, ScanOptions, Source};
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

fn scan(args: ScanArgs) -> Result<ExitCode> {
    let (detector, options) = prepare(&args.detection, args.paths.first().map(String::as_str))?;
    let mut report = Report::default();

    let mut files = Vec::new();
    let mut read_stdin = false;
    let mut path_inputs = Vec::new();
    for path in &args.paths {
        if path == "-" {
            read_stdin = true;
        } else {
            path_inputs.push(PathBuf::from(path));
        }
    }
    let (expanded, walk_errors) = phiguard_phi::source::expand_paths(&path_inputs);
    files.extend(expanded);
    for failure in walk_errors {
        report.errors.push(SourceFailure { source: failure.path.display().to_string(), message: failure.error.to_string() });
    }

    if read_stdin {
        scan_source(&detector, &options, Source::stdin(), &mut report);
    }
    // Files are scanned in parallel, and each result is added in input
    // order so the report does not depend on scheduling.
    let results: Vec<Mutex<Report>> = files.iter().map(|_| Mutex::new(Report::default())).collect();
    files.par_iter().zip(&results).for_each(|(path, slot)| {
        let mut partial = Report::default();
        match Source::open(path) {
            Ok(source) => scan_source(&detector, &options, source, &mut partial),
            Err(error) => partial.errors.push(SourceFailure {
                source: path.display().to_string(),
                message: format!("failed to open: {error}"),
            }),
        }
        if let Ok(mut slot) = slot.lock() {
            *slot = partial;
        }
    });
    for slot in results {
        let partial = slot.into_inner().unwrap_or_default();
        report.findings.extend(partial.findings);
        report.errors.extend(partial.errors);
        report.sources += partial.sources;
        report.bytes += partial.bytes;
    }
    live::scan(&args.live, &detector, &options, &mut report)?;

    let mut out = open_output(args.output.as_deref())?;
    let custom: Vec<String> = detector.custom_names().map(String::from).collect();
    match args.format {
        Format::Text => output::write_text(&report, &mut out),
        Format::Json => output::write_json(&report, &mut out),
        Format::Sarif => output::write_sarif(&report, &custom, &mut out),
    }
    .and_then(|()| out.flush())
    .context("failed to write the report")?;

    Ok(if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if !report.findings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn scan_source(detector: &Detector, options: &ScanOptions, source: Source, report: &mut Report) {
    let label = source.label.clone();
    let findings = &mut report.findings;
    match scan_reader(detector, source.reader, &label, options, |finding| findings.push(finding)) {
        Ok(summary) => {
            report.sources += 1;
            report.bytes += summary.bytes;
        }
        Err(error) => {
            report.sources += 1;
            report.errors.push(SourceFailure { source: label, message: format!("failed to read: {error}") });
        }
    }
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
