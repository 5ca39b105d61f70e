//! The `phiguard` command line: argument parsing, config discovery and the
//! exit code. Each subcommand lives in its own module under `cmd`.

mod cmd;
mod config;
mod discover;
mod pipeline;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Parsing builds many small values; mimalloc allocates and frees them
/// faster than the system allocator, which matters for plans with
/// thousands of resources.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keep ePHI inside the HIPAA boundary on AWS: scan infrastructure code
/// against rules mapped to the HIPAA Security Rule.
#[derive(Parser)]
#[command(name = "phiguard", version, about, long_about = None)]
struct Cli {
    /// Use this HIPAA eligible services file (written by `phiguard services
    /// import`) instead of the list built into phiguard.
    #[arg(long, global = true, value_name = "FILE", env = "PHIGUARD_CATALOG")]
    catalog: Option<std::path::PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan Terraform configuration and plans, CloudFormation templates, or a live AWS account.
    Scan(cmd::scan::ScanArgs),
    /// List the rules, or print one rule's documentation.
    Rules(cmd::rules::RulesArgs),
    /// The HIPAA eligible services catalog: list, look up, import a newer AWS list.
    Services(cmd::services::ServicesArgs),
    /// Generate or check SCPs that allow only HIPAA eligible services.
    Scp(cmd::scp::ScpArgs),
    /// Find or mask PHI identifiers in logs, files and stdin.
    Phi(cmd::phi::PhiArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(path) = &cli.catalog {
        match phiguard_catalog::Catalog::from_services_file(path) {
            Ok(catalog) => {
                // Only this startup code installs a catalog, and it runs
                // before any command reads one, so the install succeeds.
                let _ = phiguard_catalog::Catalog::install(catalog);
            }
            Err(error) => {
                eprintln!("error: invalid catalog {}: {error}; pass a file that `phiguard services import` wrote", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let outcome = match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Rules(args) => cmd::rules::run(args),
        Command::Services(args) => cmd::services::run(args),
        Command::Scp(args) => cmd::scp::run(args),
        Command::Phi(args) => cmd::phi::run(args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
