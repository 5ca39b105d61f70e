//! `phiguard scan`: scan Terraform plans and CloudFormation templates, and
//! with `--aws` a live account (see the `live` module).

mod live;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use phiguard_model::{FindingResult, Severity};
use phiguard_report::{render_json, render_sarif, render_text, InputError};
use phiguard_rules::{registry, Rule, RuleMeta};

use crate::config::{self, Config};
use crate::discover;
use crate::pipeline::{apply_exceptions, scan, ScanContext};

#[derive(Args, Debug)]
#[command(after_help = "Exit codes: 0 no failing finding at or above --fail-on; 1 failing findings; \
2 the scan could not do its job (bad arguments or config, an input that cannot be read or parsed, \
no Terraform configuration, plan or template among the paths, or an AWS region or API that could not \
be read).")]
pub struct ScanArgs {
    /// Files and directories to scan: Terraform configuration (each directory
    /// with .tf files is one module), Terraform plan or state JSON (`terraform
    /// show -json`) and CloudFormation templates (YAML or JSON). Directories
    /// are walked, skipping .terraform, .git and node_modules. Optional
    /// with --aws.
    #[arg(required_unless_present = "aws", value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,

    /// Exit with 1 when a failing finding has at least this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    fail_on: Severity,

    /// Also exit with 1 when an unknown finding has at least the --fail-on
    /// severity, for pipelines that must prove every control.
    #[arg(long)]
    fail_on_unknown: bool,

    /// Configuration file; by default phiguard.toml is searched for from the
    /// first PATH upwards.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Run only these rules (ids, names, or id prefixes ending in `*`);
    /// repeat the flag for several.
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,

    /// Skip input files larger than this many bytes, with an error.
    #[arg(long, value_name = "BYTES", default_value_t = phiguard_iac::text::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,

    /// List passing and not-applicable findings and notes in the text format.
    #[arg(long, short = 'v')]
    verbose: bool,

    /// When to colour the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    #[command(flatten)]
    live: live::LiveArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(&text.to_ascii_lowercase())
        .ok_or_else(|| format!("invalid severity `{text}`; use critical, high, medium, low or info"))
}

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let config_path = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::discover(args.paths.first().map_or(Path::new("."), PathBuf::as_path)),
    };
    let config = match &config_path {
        Some(path) => config::load(path)?,
        None => Config::default(),
    };
    // Errors in the configuration name its file, so the user knows where to look.
    let in_config = config_path.as_ref().map(|path| format!(" in {}", path.display())).unwrap_or_default();
    let rules = select_rules(&config, &args.rules).with_context(|| {
        if args.rules.is_empty() {
            format!("invalid rule selection{in_config}")
        } else {
            "invalid --rule".to_owned()
        }
    })?;
    if rules.is_empty() {
        bail!("the rule selection leaves no rule to run; check `select` and `ignore`{in_config} and --rule");
    }
    for exception in &config.exceptions {
        if !registry().iter().any(|rule| matches(&exception.rule, rule.meta())) {
            bail!(
                "the exception{in_config} names the rule `{}`, which does not exist; run `phiguard rules` to list the rule ids",
                exception.rule
            );
        }
    }
    // SVC-001 reads the eligible-services catalog, which AWS changes several
    // times a year, so a stale copy is worth a warning.
    if rules.iter().any(|rule| rule.meta().id == "SVC-001") {
        if let Some(warning) = phiguard_catalog::Catalog::active().age_warning_now() {
            eprintln!("{warning}");
        }
    }

    let discovered = discover::inputs(&args.paths);
    let (files, missing) = (discovered.inputs, discovered.missing);
    let bar = progress_bar(files.len());
    let context = ScanContext {
        config: &config,
        rules,
        max_file_size: args.max_file_size,
        today: jiff::Zoned::now().date(),
    };
    let mut report = scan(&files, &context, &|| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for (module, caller) in discovered.called_modules {
        report.notes.push(phiguard_report::Note {
            file: crate::pipeline::display(&module),
            message: format!(
                "scanned as a module of {} with that module's arguments, not on its own; name the directory to scan it alone too",
                crate::pipeline::display(&caller)
            ),
        });
    }
    for path in missing {
        report.errors.push(InputError {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: "no such file or directory; check the path".to_owned(),
        });
    }
    if !args.paths.is_empty() && report.files_scanned == 0 && report.errors.is_empty() {
        let paths: Vec<String> = args.paths.iter().map(|path| path.display().to_string()).collect();
        report.errors.push(InputError {
            file: paths.join(", "),
            line: None,
            column: None,
            message: format!(
                "no Terraform configuration, plan or CloudFormation template found ({} files skipped, --verbose lists \
them); pass a directory with .tf files, the JSON from `terraform show -json plan.out`, or a template",
                report.files_skipped
            ),
        });
    }
    live::scan(&args.live, &context, &mut report)?;
    apply_exceptions(&mut report, &context);
    if let Some(path) = &config_path {
        report.notes.push(phiguard_report::Note {
            file: path.display().to_string(),
            message: "configuration read from this file".to_owned(),
        });
    }
    report.sort();

    // A report written to a file or in a machine format does not reach the
    // CI log, so input errors are repeated on standard error.
    if args.format != Format::Text || args.output.is_some() {
        for error in &report.errors {
            let position = match (error.line, error.column) {
                (Some(line), Some(column)) => format!(":{line}:{column}"),
                _ => String::new(),
            };
            eprintln!("error: {}{position}: {}", error.file, error.message);
        }
    }

    let rendered = match args.format {
        Format::Text => render_text(&report, args.verbose),
        Format::Json => render_json(&report),
        Format::Sarif => {
            let metas: Vec<&'static RuleMeta> = registry().iter().map(|rule| rule.meta()).collect();
            render_sarif(&report, &metas)
        }
    };
    write_output(&rendered, args.output.as_ref(), args.format == Format::Text, args.color)?;

    if !report.errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let failing = report.findings.iter().any(|finding| {
        let counted = finding.result == FindingResult::Fail
            || (args.fail_on_unknown && finding.result == FindingResult::Unknown);
        counted && finding.severity >= args.fail_on
    });
    Ok(if failing { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Applies `--rule` flags, or else the config's `select` and `ignore`.
fn select_rules(config: &Config, flags: &[String]) -> Result<Vec<&'static dyn Rule>> {
    let all = registry();
    let select: &[String] = if flags.is_empty() { &config.rules.select } else { flags };
    for pattern in select.iter().chain(&config.rules.ignore) {
        if !all.iter().any(|rule| matches(pattern, rule.meta())) {
            bail!("no rule matches `{pattern}`; run `phiguard rules` to list the rule ids");
        }
    }
    Ok(all
        .into_iter()
        .filter(|rule| select.is_empty() || select.iter().any(|pattern| matches(pattern, rule.meta())))
        .filter(|rule| !config.rules.ignore.iter().any(|pattern| matches(pattern, rule.meta())))
        .collect())
}

fn matches(pattern: &str, meta: &RuleMeta) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => meta.id.to_ascii_uppercase().starts_with(&prefix.to_ascii_uppercase()),
        None => pattern.eq_ignore_ascii_case(meta.id) || pattern.eq_ignore_ascii_case(meta.name),
    }
}

/// Creates a progress bar on standard error for long scans on a terminal only, so
/// CI logs stay clean.
fn progress_bar(files: usize) -> Option<indicatif::ProgressBar> {
    if files < 50 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} scanning {pos}/{len} files {wide_bar}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn write_output(text: &str, output: Option<&PathBuf>, styled: bool, color: ColorChoice) -> Result<()> {
    match output {
        Some(path) => {
            let plain = anstream::adapter::strip_str(text).to_string();
            std::fs::write(path, plain).with_context(|| format!("cannot write the report to {}", path.display()))
        }
        None => {
            let choice = match (styled, color) {
                (false, _) | (_, ColorChoice::Never) => anstream::ColorChoice::Never,
                (true, ColorChoice::Always) => anstream::ColorChoice::Always,
                (true, ColorChoice::Auto) => anstream::ColorChoice::Auto,
            };
            let mut stream = anstream::AutoStream::new(std::io::stdout().lock(), choice);
            match stream.write_all(text.as_bytes()).and_then(|()| stream.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`phiguard scan . | head`) is not an error.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(error) => Err(error).context("cannot write the report to standard output"),
            }
        }
    }
}
