//! `phiguard rules`: list the rules, or print one rule's documentation.

use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;

use phiguard_rules::{find, registry, RuleMeta};

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A rule id (`S3-001`) or name; without it, all rules are listed.
    id: Option<String>,

    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: RulesArgs) -> Result<ExitCode> {
    match args.id {
        Some(id) => {
            let Some(rule) = find(&id) else {
                bail!("no rule `{id}`; run `phiguard rules` to list the rule ids");
            };
            print!("{}", document(rule.meta()));
        }
        None if args.json => {
            let list: Vec<serde_json::Value> = registry()
                .iter()
                .map(|rule| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "id": meta.id,
                        "name": meta.name,
                        "severity": meta.severity.as_str(),
                        "summary": meta.summary,
                        "citations": meta.citations.iter().map(|c| c.section).collect::<Vec<_>>(),
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        None => {
            for rule in registry() {
                let meta = rule.meta();
                let citations: Vec<&str> = meta.citations.iter().map(|citation| citation.section).collect();
                println!("{:<8} {:<9} {:<40} {}", meta.id, meta.severity.as_str(), meta.name, citations.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders a rule's documentation as Markdown, the form `docs/rules.md` uses.
pub fn document(meta: &RuleMeta) -> String {
    let mut out = format!("# {} {}\n\n{}\n\nSeverity: {}\n\nHIPAA Security Rule:\n", meta.id, meta.name, meta.summary, meta.severity);
    for citation in meta.citations {
        out.push_str(&format!("- {} {} ({:?})\n", citation.section, citation.title, citation.specification));
    }
    let sections = [
        ("What it checks", meta.docs.what),
        ("Why it matters for ePHI", meta.docs.why),
        ("How to fix", meta.docs.fix),
        ("Known limitations", meta.docs.limitations),
    ];
    for (heading, text) in sections {
        out.push_str(&format!("\n## {heading}\n\n{text}\n"));
    }
    let examples = [
        ("Non-compliant Terraform", "hcl", meta.docs.terraform_fail),
        ("Compliant Terraform", "hcl", meta.docs.terraform_pass),
        ("Non-compliant CloudFormation", "yaml", meta.docs.cloudformation_fail),
        ("Compliant CloudFormation", "yaml", meta.docs.cloudformation_pass),
    ];
    for (heading, language, text) in examples {
        if !text.is_empty() {
            out.push_str(&format!("\n## {heading}\n\n```{language}\n{}```\n", text));
        }
    }
    out
}
