//! `phiguard scp`: generate service control policies that allow only HIPAA
//! eligible and supporting services, and check existing ones.

use std::path::PathBuf;
use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use phiguard_catalog::catalog::Catalog;
use phiguard_catalog::policy::PolicyDocument;
use phiguard_catalog::scp::{self, Format, ScpOptions, Strategy, DEFAULT_MAX_POLICIES, DEFAULT_MAX_SIZE};

#[derive(Args, Debug)]
pub struct ScpArgs {
    #[command(subcommand)]
    command: ScpCommand,
}

#[derive(Subcommand, Debug)]
enum ScpCommand {
    /// Print SCPs that deny every service outside the HIPAA eligible list and
    /// the supporting services.
    Generate(GenerateArgs),
    /// Report the eligible services an SCP blocks, the non-eligible services it
    /// allows, and its size against the limit.
    Check {
        /// SCP JSON files attached to one target; several files are evaluated together.
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        /// Size limit per policy, in characters of minified JSON.
        #[arg(long, default_value_t = DEFAULT_MAX_SIZE)]
        max_size: usize,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
struct GenerateArgs {
    /// deny-not-action: one Deny statement, used with FullAWSAccess attached; never split.
    /// allow-list: Allow statements that replace FullAWSAccess; may split across policies.
    #[arg(long, value_enum, default_value_t = StrategyArg::DenyNotAction)]
    strategy: StrategyArg,
    /// Also allow this IAM prefix (repeatable).
    #[arg(long = "include", value_name = "PREFIX")]
    include: Vec<String>,
    /// Leave this IAM prefix out (repeatable).
    #[arg(long = "exclude", value_name = "PREFIX")]
    exclude: Vec<String>,
    /// Maximum size of one policy, in characters of minified JSON (5120 is the
    /// long-standing SCP quota; organizations with the newer quota may use 10240).
    #[arg(long, default_value_t = DEFAULT_MAX_SIZE)]
    max_size: usize,
    /// Maximum number of policies for one target (allow-list only).
    #[arg(long, default_value_t = DEFAULT_MAX_POLICIES)]
    max_policies: usize,
    /// Leave out the supporting services (IAM, STS, billing, support).
    #[arg(long)]
    no_supporting: bool,
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    format: FormatArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum StrategyArg {
    DenyNotAction,
    AllowList,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    /// The minified policy, one per line, as AWS counts its size.
    Json,
    /// `aws_organizations_policy` and attachment resources.
    Terraform,
    /// An `AWS::Organizations::Policy` template.
    Cloudformation,
}

pub fn run(args: ScpArgs) -> Result<ExitCode> {
    let catalog = Catalog::active();
    if let Some(warning) = catalog.age_warning_now() {
        eprintln!("{warning}");
    }
    match args.command {
        ScpCommand::Generate(generate) => generate_policies(catalog, generate),
        ScpCommand::Check { policies, max_size, json } => check_policies(catalog, &policies, max_size, json),
    }
}

fn generate_policies(catalog: &Catalog, args: GenerateArgs) -> Result<ExitCode> {
    let options = ScpOptions {
        strategy: match args.strategy {
            StrategyArg::DenyNotAction => Strategy::DenyNotAction,
            StrategyArg::AllowList => Strategy::AllowList,
        },
        include: args.include,
        exclude: args.exclude,
        max_size: args.max_size,
        max_policies: args.max_policies,
        supporting: !args.no_supporting,
    };
    let format = match args.format {
        FormatArg::Json => Format::Json,
        FormatArg::Terraform => Format::Terraform,
        FormatArg::Cloudformation => Format::CloudFormation,
    };
    let generated = scp::generate(catalog, &options)?;
    for warning in &generated.warnings {
        eprintln!("note: {warning}");
    }
    for policy in &generated.policies {
        eprintln!("{}: {} of {} characters", policy.name, policy.size(), options.max_size);
    }
    emit(&scp::render(&generated, format, catalog))?;
    Ok(ExitCode::SUCCESS)
}

fn check_policies(catalog: &Catalog, paths: &[PathBuf], max_size: usize, json: bool) -> Result<ExitCode> {
    let mut documents = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        documents.push(PolicyDocument::parse(&path.display().to_string(), &text)?);
    }
    let report = scp::check(catalog, &documents, max_size);
    let mut out = String::new();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", describe(&report))?;
    }
    emit(&out)?;
    Ok(if report.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn describe(report: &scp::CheckReport) -> String {
    let mut out = String::new();
    for (name, size) in &report.sizes {
        let verdict = if *size > report.max_size { "OVER the limit" } else { "within the limit" };
        out.push_str(&format!("size: {name}: {size} of {} characters, {verdict}\n", report.max_size));
    }
    if report.assumed_full_aws_access {
        out.push_str("note: no policy has an Allow statement, so FullAWSAccess is assumed attached\n");
    } else {
        out.push_str(
            "note: the policies have Allow statements, so FullAWSAccess is assumed detached; if it is still \
             attached, pass its JSON too\n",
        );
    }
    if report.access.conditional_statements > 0 {
        out.push_str(&format!(
            "note: {} statements have conditions, evaluated as if every condition holds\n",
            report.access.conditional_statements
        ));
    }
    if report.access.allows_everything_else {
        out.push_str("FAIL: the policies allow services that are not in the catalog, including any AWS launches later\n");
    }
    let lines = [
        ("FAIL: non-eligible services allowed", &report.access.non_eligible_allowed),
        ("FAIL: unknown services allowed", &report.access.unknown_allowed),
        ("eligible services blocked", &report.access.eligible_blocked),
        ("eligible services allowed only in part", &report.access.eligible_partial),
        ("supporting services blocked", &report.access.supporting_blocked),
    ];
    for (label, prefixes) in lines {
        if !prefixes.is_empty() {
            out.push_str(&format!("{label} ({}): {}\n", prefixes.len(), prefixes.join(", ")));
        }
    }
    if !report.failed() {
        out.push_str("ok: no non-eligible service is allowed and every policy fits\n");
    }
    out
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
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct TestCli {
        #[command(flatten)]
        generate: GenerateArgs,
    }

    fn exit_code(code: ExitCode) -> String {
        format!("{code:?}")
    }

    #[test]
    fn generated_policy_passes_check() {
        let catalog = Catalog::embedded();
        let options = ScpOptions::default();
        let generated = scp::generate(catalog, &options).expect("fits");
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("scp.json");
        std::fs::write(&path, &generated.policies[0].minified).expect("write policy");
        let code = check_policies(catalog, &[path], DEFAULT_MAX_SIZE, false).expect("check runs");
        assert_eq!(exit_code(code), exit_code(ExitCode::SUCCESS));
    }

    #[test]
    fn leaky_policy_fails_check() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("leaky.json");
        std::fs::write(&path, r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["s3:*","lightsail:*"],"Resource":"*"}]}"#)
            .expect("write policy");
        let code = check_policies(Catalog::embedded(), &[path], DEFAULT_MAX_SIZE, true).expect("check runs");
        assert_eq!(exit_code(code), exit_code(ExitCode::from(1)));
    }

    #[test]
    fn check_names_unreadable_file() {
        let error = check_policies(Catalog::embedded(), &[PathBuf::from("/nonexistent/scp.json")], DEFAULT_MAX_SIZE, false)
            .unwrap_err();
        assert!(format!("{error:#}").contains("/nonexistent/scp.json"), "{error:#}");
    }

    #[test]
    fn generate_options_parse() {
        let cli = TestCli::parse_from([
            "scp", "--strategy", "allow-list", "--include", "codestar-connections", "--exclude", "bedrock", "--max-size", "10240",
            "--format", "terraform",
        ]);
        assert!(matches!(cli.generate.strategy, StrategyArg::AllowList));
        assert_eq!(cli.generate.include, vec!["codestar-connections".to_string()]);
        assert_eq!(cli.generate.max_size, 10_240);
        let code = generate_policies(Catalog::embedded(), cli.generate).expect("generates");
        assert_eq!(exit_code(code), exit_code(ExitCode::SUCCESS));
    }

    #[test]
    fn generate_too_small_fails_with_advice() {
        let cli = TestCli::parse_from(["scp", "--max-size", "1000"]);
        let error = generate_policies(Catalog::embedded(), cli.generate).unwrap_err();
        assert!(format!("{error:#}").contains("over the limit of 1000"), "{error:#}");
    }
}
