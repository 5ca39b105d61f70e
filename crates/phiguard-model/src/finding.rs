//! Findings: the result of one rule on one resource, with its HIPAA citations.

use std::fmt;

use serde::Serialize;

use crate::location::Location;

/// The severity of a failing finding. The order is from least to most severe, so
/// `--fail-on` can compare with `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name as written in the JSON output and on the
    /// command line.
    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|severity| severity.as_str() == text)
    }

    /// Returns the score that GitHub code scanning reads from `security-severity`
    /// (critical above 9.0, high 7.0 to 8.9, medium 4.0 to 6.9, low below 4.0).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "0.0",
        }
    }

    /// Raises the severity by one step, for resources tagged as holding ePHI.
    pub fn raised(self) -> Severity {
        match self {
            Severity::Info => Severity::Low,
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a HIPAA implementation specification is Required or Addressable
/// (45 CFR 164.306(d)). A standard without implementation specifications is
/// Required.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Specification {
    Required,
    Addressable,
}

/// One HIPAA Security Rule section that a rule serves, such as
/// `164.312(a)(2)(iv)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub section: &'static str,
    pub title: &'static str,
    pub specification: Specification,
}

/// The outcome of a rule on one resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingResult {
    Fail,
    Unknown,
    Pass,
    NotApplicable,
    Suppressed,
}

impl FindingResult {
    pub const ALL: [FindingResult; 5] = [
        FindingResult::Fail,
        FindingResult::Unknown,
        FindingResult::Pass,
        FindingResult::NotApplicable,
        FindingResult::Suppressed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingResult::Pass => "pass",
            FindingResult::Fail => "fail",
            FindingResult::Unknown => "unknown",
            FindingResult::NotApplicable => "not_applicable",
            FindingResult::Suppressed => "suppressed",
        }
    }
}

impl fmt::Display for FindingResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceRef {
    /// The Terraform address (`module.a.aws_s3_bucket.b["x"]`) or the
    /// CloudFormation logical id.
    pub address: String,
    /// The type as the input spells it (`aws_s3_bucket`, `AWS::S3::Bucket`).
    pub resource_type: String,
    /// The location where the resource is declared.
    pub location: Location,
}

/// The result of one rule on one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule_id: &'static str,
    pub rule_name: &'static str,
    pub severity: Severity,
    pub result: FindingResult,
    pub resource: ResourceRef,
    pub citations: &'static [Citation],
    pub message: String,
    /// The reason the result is unknown, not applicable or suppressed.
    pub reason: Option<String>,
    /// The line that decided the result: the attribute's location when the
    /// input sets it, otherwise the resource's.
    pub location: Location,
    /// The exception's expiry date, for suppressed findings.
    pub expires: Option<String>,
}
