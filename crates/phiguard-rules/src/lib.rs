//! The rule catalog: one rule per file, grouped by service, in one ordered
//! registry, with the HIPAA citations each rule serves.
//!
//! A rule reads the typed model and returns one [`Check`] per resource it
//! applies to. It never guesses: a value it cannot read becomes an `Unknown`
//! check with the reason.

pub mod citations;
mod check;
mod engine;
mod registry;

mod account;
mod backup;
mod cloudtrail;
mod config;
mod dynamodb;
mod ebs;
mod ec2;
mod efs;
mod eligibility;
mod elasticache;
mod elb;
mod guardduty;
mod iam;
mod kms;
mod logs;
mod network;
mod organizations;
mod rds;
mod s3;
mod sns;
mod sqs;

pub use check::Check;
pub use engine::{evaluate, Evaluation};
pub use registry::{find, registry};

use phiguard_model::{Citation, Model, Severity};

/// The fixed documentation sections of a rule. `phiguard rules ID` prints
/// them, and a test checks that none is empty.
#[derive(Debug)]
pub struct RuleDocs {
    /// The rule's check, in one paragraph.
    pub what: &'static str,
    /// Why it matters for ePHI.
    pub why: &'static str,
    /// How to fix a failure.
    pub fix: &'static str,
    /// The cases the rule cannot see or decide.
    pub limitations: &'static str,
    /// Examples, which the test suite scans and checks against the verdict
    /// their name gives. An empty string means the input cannot express
    /// the setting.
    pub terraform_fail: &'static str,
    pub terraform_pass: &'static str,
    pub cloudformation_fail: &'static str,
    pub cloudformation_pass: &'static str,
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id such as `S3-001`; never reused.
    pub id: &'static str,
    /// Kebab-case name such as `s3-bucket-customer-managed-key`.
    pub name: &'static str,
    pub severity: Severity,
    pub citations: &'static [Citation],
    /// One line for listings and SARIF's short description.
    pub summary: &'static str,
    pub docs: RuleDocs,
}

/// A rule over the model.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;

    /// Returns true for rules that only a live account scan can feed, such
    /// as the SCP rules, which therefore have no plan or template examples.
    fn live_only(&self) -> bool {
        false
    }

    /// Returns one check per resource the rule applies to.
    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>>;
}
