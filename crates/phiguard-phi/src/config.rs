//! The `[phi]` section of `phiguard.toml`: custom detectors, disabled
//! built-ins and the context window. The binary deserializes it and hands it to
//! [`crate::Detector::new`].

use serde::Deserialize;

/// Detector settings. Every field has a default, so an empty `[phi]` section
/// (or none) gives the built-in detectors.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PhiConfig {
    /// Organisation-specific detectors, for example a hospital's MRN format.
    pub custom: Vec<CustomDetector>,
    /// Built-in detector names to turn off, e.g. `["ipv4", "email"]`.
    pub disable: Vec<String>,
}

/// One custom detector.
///
/// ```toml
/// [[phi.custom]]
/// name = "acme_mrn"
/// pattern = '\bACM\d{7}\b'
/// context = ["mrn", "chart"]
/// validator = "luhn"
/// confidence = 0.6
/// ```
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CustomDetector {
    /// Name shown in findings. It must not clash with a built-in name.
    pub name: String,
    /// Regular expression in the syntax of the Rust `regex` crate, matched on
    /// bytes with ASCII classes (`\d` is `[0-9]`, `\b` is an ASCII boundary).
    pub pattern: String,
    /// Words that raise the confidence when they sit near the match.
    #[serde(default)]
    pub context: Vec<String>,
    /// Checksum that the digits of the match must pass.
    #[serde(default)]
    pub validator: Option<Validator>,
    /// Confidence of a match with no context word, from 0.0 to 1.0.
    #[serde(default = "default_custom_confidence")]
    pub confidence: f32,
}

fn default_custom_confidence() -> f32 {
    0.5
}

/// Checksums a custom detector can require of the digits in its match.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Validator {
    /// Luhn (mod 10), as on payment cards and NPIs.
    Luhn,
    /// Weighted mod 11 with weights 2, 3, 4, ... from the right of the body.
    Mod11,
}
