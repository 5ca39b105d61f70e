//! `phiguard.toml`: which tags mark ePHI, which rules run, and exceptions.
//!
//! The file is found by walking up from the first scanned path, or given
//! with `--config`. Unknown keys are errors, so a misspelt key never silently
//! turns a control off.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

pub const FILE_NAME: &str = "phiguard.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub ephi: EphiTags,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub rules: RuleSelection,
    #[serde(default, rename = "exception")]
    pub exceptions: Vec<Exception>,
    /// Settings of the PHI detector, read by `phiguard phi`.
    #[serde(default)]
    pub phi: Option<toml::Value>,
}

/// The tags that mark a resource as holding ePHI: a tag whose key is one of
/// `keys` and whose value is one of `values`, both compared without case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EphiTags {
    #[serde(default = "default_tag_keys")]
    pub keys: Vec<String>,
    #[serde(default = "default_tag_values")]
    pub values: Vec<String>,
}

impl Default for EphiTags {
    fn default() -> Self {
        Self { keys: default_tag_keys(), values: default_tag_values() }
    }
}

fn default_tag_keys() -> Vec<String> {
    ["ephi", "phi", "hipaa", "DataClassification", "data-classification"].map(String::from).to_vec()
}

fn default_tag_values() -> Vec<String> {
    ["true", "yes", "phi", "ephi"].map(String::from).to_vec()
}

impl EphiTags {
    pub fn matches(&self, tags: &std::collections::BTreeMap<String, String>) -> bool {
        tags.iter().any(|(key, value)| {
            self.keys.iter().any(|k| k.eq_ignore_ascii_case(key)) && self.values.iter().any(|v| v.eq_ignore_ascii_case(value))
        })
    }
}

/// The resources that resource rules apply to.
#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every resource: the scanned code is treated as a HIPAA account.
    #[default]
    All,
    /// Only resources tagged as holding ePHI.
    Tagged,
}

/// Rule selection by id, id prefix with `*`, or name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSelection {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// A documented exception: findings of `rule` on resources matching
/// `resource` become suppressed with the justification until `expires`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub rule: String,
    /// A glob over resource addresses, such as `module.logs.aws_s3_bucket.*`.
    pub resource: String,
    pub justification: String,
    /// The last day the exception applies, as `YYYY-MM-DD`.
    pub expires: Option<String>,
}

/// Finds `phiguard.toml` in the directory of `start` or a parent, up to
/// the root of the Git repository that contains `start`, so a file in a
/// shared parent directory such as /tmp cannot change every scan below it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(start).ok()?;
    let mut directory = if absolute.is_dir() { Some(absolute.as_path()) } else { absolute.parent() };
    while let Some(current) = directory {
        let candidate = current.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if current.join(".git").exists() {
            return None;
        }
        directory = current.parent();
    }
    None
}

pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the config file {}", path.display()))?;
    parse(&text).with_context(|| format!("invalid config file {}", path.display()))
}

pub fn parse(text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|error| {
        let mut message = error.to_string().trim_end().to_owned();
        // TOML reads an unquoted 2027-01-31 as a date, not a string.
        if message.contains("expected a string") && text.contains("expires") {
            message.push_str("\nwrite the expiry as a quoted string: expires = \"YYYY-MM-DD\"");
        }
        anyhow::anyhow!("{message}")
    })?;
    for exception in &config.exceptions {
        if exception.justification.trim().is_empty() {
            bail!("the exception for rule {} on `{}` has an empty justification; say why the risk is accepted", exception.rule, exception.resource);
        }
        globset::Glob::new(&exception.resource)
            .with_context(|| format!("the exception resource pattern `{}` is not a valid glob", exception.resource))?;
        if let Some(expires) = &exception.expires {
            expires
                .parse::<jiff::civil::Date>()
                .with_context(|| format!("the exception expiry `{expires}` is not a date; write it as YYYY-MM-DD"))?;
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named() {
        let error = parse("[rules]\nselct = [\"S3-001\"]\n").unwrap_err();
        assert!(format!("{error:#}").contains("selct"), "{error:#}");
    }

    #[test]
    fn exception_needs_justification() {
        let error = parse("[[exception]]\nrule = \"S3-001\"\nresource = \"*\"\njustification = \" \"\n").unwrap_err();
        assert!(format!("{error:#}").contains("empty justification"));
    }

    #[test]
    fn bad_expiry_is_named() {
        let error = parse("[[exception]]\nrule = \"S3-001\"\nresource = \"*\"\njustification = \"x\"\nexpires = \"next year\"\n").unwrap_err();
        assert!(format!("{error:#}").contains("next year"));
    }

    #[test]
    fn unquoted_expiry_gets_a_hint() {
        let error = parse("[[exception]]\nrule = \"S3-001\"\nresource = \"*\"\njustification = \"x\"\nexpires = 2027-01-31\n").unwrap_err();
        assert!(format!("{error:#}").contains("expires = \"YYYY-MM-DD\""), "{error:#}");
    }

    #[test]
    fn ephi_tags_match_without_case() {
        let config = parse("").unwrap();
        let tags = [("DataClassification".to_owned(), "PHI".to_owned())].into_iter().collect();
        assert!(config.ephi.matches(&tags));
    }
}
