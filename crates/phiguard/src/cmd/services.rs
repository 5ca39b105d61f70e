//! `phiguard services`: list the HIPAA eligible services catalog, look up a
//! service, IAM prefix or resource type, and import a newer AWS list.

use std::path::PathBuf;
use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use phiguard_catalog::catalog::{Catalog, Eligibility, Lookup, MatchKind};
use phiguard_catalog::import::{self, DEFAULT_MIN_SERVICES};

#[derive(Args, Debug)]
pub struct ServicesArgs {
    #[command(subcommand)]
    command: ServicesCommand,
}

#[derive(Subcommand, Debug)]
enum ServicesCommand {
    /// List the eligible services with their IAM prefixes.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show whether a service name, IAM prefix (`s3`) or resource type
    /// (`aws_s3_bucket`, `AWS::S3::Bucket`) is eligible, since when and with which exclusions.
    Show {
        /// A service name, an IAM prefix, or a Terraform or CloudFormation resource type.
        query: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Rebuild the catalog from a saved copy (HTML) of the AWS HIPAA Eligible
    /// Services Reference page, and print what was added, removed and renamed.
    Import {
        /// The saved HTML page.
        file: PathBuf,
        /// Path of the new catalog file. To ship it, copy it to
        /// crates/phiguard-catalog/data/hipaa-eligible-services.toml and rebuild.
        #[arg(long, default_value = "hipaa-eligible-services.toml")]
        output: PathBuf,
        /// Date of the list, `YYYY-MM-DD`, when the page has no "Last Updated" line.
        #[arg(long)]
        list_date: Option<jiff::civil::Date>,
        /// Minimum number of services the page must list.
        #[arg(long, default_value_t = DEFAULT_MIN_SERVICES)]
        min_services: usize,
        /// Print the changes without writing the file.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

pub fn run(args: ServicesArgs) -> Result<ExitCode> {
    let catalog = Catalog::active();
    if let Some(warning) = catalog.age_warning_now() {
        eprintln!("{warning}");
    }
    match args.command {
        ServicesCommand::List { format } => list(catalog, format),
        ServicesCommand::Show { query, format } => show(catalog, &query, format),
        ServicesCommand::Import { file, output, list_date, min_services, dry_run } => {
            import_page(catalog, &file, &output, list_date, min_services, dry_run)
        }
    }
}

fn list(catalog: &Catalog, format: ListFormat) -> Result<ExitCode> {
    let mut out = String::new();
    match format {
        ListFormat::Json => {
            let value = serde_json::json!({
                "catalog": catalog.meta,
                "services": catalog.services,
                "supporting": catalog.supporting,
                "non_eligible": catalog.non_eligible,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        ListFormat::Table => {
            writeln!(out, 
                "HIPAA eligible services as of {} ({} services, catalog {})",
                catalog.meta.list_date,
                catalog.services.len(),
                catalog.meta.version
            )?;
            writeln!(out)?;
            for service in &catalog.services {
                let mut prefixes = service.prefixes.join(", ");
                if !service.unconfirmed_prefixes.is_empty() {
                    let unconfirmed: Vec<String> = service.unconfirmed_prefixes.iter().map(|p| format!("{p}?")).collect();
                    if !prefixes.is_empty() {
                        prefixes.push_str(", ");
                    }
                    prefixes.push_str(&unconfirmed.join(", "));
                }
                if prefixes.is_empty() {
                    prefixes = "(no IAM prefix)".into();
                }
                writeln!(out, "{:<60} {:<10} {}", service.name, service.listed_since, prefixes)?;
            }
            writeln!(out)?;
            writeln!(out, "A prefix marked ? may belong to the service but is not confirmed; `scp generate` leaves it out.")?;
            writeln!(out, "Supporting services (not eligible, allowed in SCPs, must not hold ePHI):")?;
            for support in &catalog.supporting {
                writeln!(out, "  {:<22} {}", support.prefix, support.name)?;
            }
        }
    }
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn show(catalog: &Catalog, query: &str, format: ListFormat) -> Result<ExitCode> {
    let found = catalog.lookup(query);
    let mut out = String::new();
    match format {
        ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?,
        ListFormat::Table => {
            write!(out, "{}", describe(&found))?;
            if found.matched == MatchKind::Nothing {
                let similar = similar_services(catalog, query);
                if !similar.is_empty() {
                    writeln!(out, "  similar names:  {}", similar.join("; "))?;
                    writeln!(out, "  next step:      run `phiguard services show` with one of these names")?;
                }
            }
        }
    }
    emit(&out)?;
    // Exit 1 when the query is not eligible, so scripts can test a type or prefix.
    Ok(match found.eligibility {
        Eligibility::Eligible | Eligibility::Supporting => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// Returns up to five listed service names that contain every word of the
/// query except the vendor words, so `Amazon S3` finds `Amazon Simple
/// Storage Service (S3)`.
fn similar_services(catalog: &Catalog, query: &str) -> Vec<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .filter(|word| word != "amazon" && word != "aws")
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    catalog
        .services
        .iter()
        .filter(|service| {
            let name: Vec<String> =
                service.name.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect();
            words.iter().all(|word| name.iter().any(|part| part == word))
        })
        .map(|service| service.name.clone())
        .take(5)
        .collect()
}

fn describe(found: &Lookup<'_>) -> String {
    let mut out = String::new();
    let kind = match found.matched {
        MatchKind::ServiceName => "service",
        MatchKind::Prefix => "IAM prefix",
        MatchKind::ResourceType => "resource type",
        MatchKind::Nothing => "query",
    };
    out.push_str(&format!("{kind} {}: {}\n", found.query, found.eligibility.as_str()));
    if !found.prefixes.is_empty() {
        out.push_str(&format!("  IAM prefix:     {}\n", found.prefixes.join(", ")));
    }
    if let Some(name) = &found.other_name {
        out.push_str(&format!("  service:        {name}\n"));
    }
    for service in &found.services {
        out.push_str(&format!("  listed as:      {}\n", service.listed_as()));
        out.push_str(&format!("  listed since:   {}\n", service.listed_since));
        if !service.former_names.is_empty() {
            out.push_str(&format!("  former names:   {}\n", service.former_names.join("; ")));
        }
        for exclusion in &service.exclusions {
            out.push_str(&format!("  excludes:       {exclusion}\n"));
        }
        if !service.unconfirmed_prefixes.is_empty() {
            out.push_str(&format!("  unconfirmed:    {}\n", service.unconfirmed_prefixes.join(", ")));
        }
    }
    if let Some(reason) = &found.reason {
        out.push_str(&format!("  note:           {reason}\n"));
    }
    out
}

fn import_page(
    catalog: &Catalog,
    file: &PathBuf,
    output: &PathBuf,
    list_date: Option<jiff::civil::Date>,
    min_services: usize,
    dry_run: bool,
) -> Result<ExitCode> {
    let html = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read {}; pass the saved HTML page of the AWS list", file.display()))?;
    let imported = import::parse_reference_page(&html);
    let date = import::validate(&imported, min_services, list_date).with_context(|| format!("importing {}", file.display()))?;
    let (new_file, diff) = import::rebuild(catalog, &imported, date);
    let mut out = String::new();

    writeln!(out, "{}: {} services, list dated {date}", file.display(), imported.entries.len())?;
    for name in &diff.added {
        writeln!(out, "added:    {name}  (no IAM prefixes yet: map them by hand)")?;
    }
    for name in &diff.removed {
        writeln!(out, "removed:  {name}")?;
    }
    for (old, new) in &diff.renamed {
        writeln!(out, "renamed:  {old} -> {new}")?;
    }
    for (old, new) in &diff.renamed_guessed {
        writeln!(out, "renamed?: {old} -> {new}  (guessed from the names: confirm it)")?;
    }
    for (name, old, new) in &diff.qualifier_changed {
        writeln!(out, "changed:  {name}: [{old}] -> [{new}]")?;
    }
    if diff.is_empty() {
        writeln!(out, "no changes against the catalog of {}", catalog.meta.list_date)?;
    }
    if dry_run {
        emit(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if output.exists() && output.is_dir() {
        bail!("{} is a directory; pass a file path with --output", output.display());
    }
    let text = import::to_toml(&new_file)?;
    std::fs::write(output, text).with_context(|| format!("cannot write {}", output.display()))?;
    writeln!(out, "wrote {}", output.display())?;
    emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes command output to standard output. A closed pipe, as in
/// `phiguard ... | head`, ends the output quietly instead of failing.
fn emit(text: &str) -> Result<()> {
    use std::io::Write;

    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../phiguard-catalog/tests/fixtures/hipaa-eligible-services-reference.html")
    }

    #[test]
    fn show_describes_a_type() {
        let text = describe(&Catalog::embedded().lookup("AWS::S3::Bucket"));
        assert!(text.starts_with("resource type AWS::S3::Bucket: eligible"), "{text}");
        assert!(text.contains("listed since:   2022-04-18"), "{text}");
    }

    #[test]
    fn similar_names_for_short_forms() {
        assert!(similar_services(Catalog::embedded(), "Amazon S3").contains(&"Amazon Simple Storage Service (S3)".to_owned()));
        assert!(similar_services(Catalog::embedded(), "Amazon RDS").iter().any(|name| name.contains("RDS")));
        assert!(similar_services(Catalog::embedded(), "aws").is_empty());
    }

    #[test]
    fn show_exit_code_follows_eligibility() {
        let eligible = show(Catalog::embedded(), "s3", ListFormat::Json).expect("runs");
        assert_eq!(format!("{eligible:?}"), format!("{:?}", ExitCode::SUCCESS));
        let unknown = show(Catalog::embedded(), "aws_not_a_type", ListFormat::Json).expect("runs");
        assert_eq!(format!("{unknown:?}"), format!("{:?}", ExitCode::from(1)));
    }

    #[test]
    fn import_writes_a_loadable_catalog() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let output = dir.path().join("catalog.toml");
        let code = import_page(Catalog::embedded(), &fixture(), &output, None, 10, false).expect("import runs");
        assert_eq!(format!("{code:?}"), format!("{:?}", ExitCode::SUCCESS));
        let text = std::fs::read_to_string(&output).expect("catalog written");
        let catalog = Catalog::parse(&text, "").expect("written catalog loads");
        assert_eq!(catalog.meta.list_date, "2026-07-14");
    }

    #[test]
    fn import_rejects_a_partial_page_by_default() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let output = dir.path().join("catalog.toml");
        let error = import_page(Catalog::embedded(), &fixture(), &output, None, DEFAULT_MIN_SERVICES, false).unwrap_err();
        assert!(format!("{error:#}").contains("--min-services"), "{error:#}");
        assert!(!output.exists());
    }
}
