//! IAM policies, roles and users, and account-wide settings.

use crate::attr::Attr;
use crate::services::PolicyDocument;

/// A managed or inline IAM policy.
#[derive(Clone, Debug)]
pub struct IamPolicy {
    pub document: Attr<PolicyDocument>,
}

#[derive(Clone, Debug)]
pub struct IamRole {
    /// The maximum session duration in seconds; AWS's default is 3,600.
    pub max_session_duration: Attr<u32>,
    pub inline_policies: Vec<Attr<PolicyDocument>>,
    /// ARNs of managed policies attached to the role, from the role itself
    /// or from attachment resources. Policies declared in the same input
    /// appear by address and are checked as policies of their own.
    pub managed_policy_arns: Attr<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct IamUser {
    /// Addresses of login profiles (console passwords) for this user.
    pub login_profiles: Vec<String>,
    /// Addresses of access keys for this user.
    pub access_keys: Vec<String>,
    /// Inline policies declared on the user itself (CloudFormation's
    /// `Policies`); Terraform declares them as separate policy resources.
    pub inline_policies: Vec<Attr<PolicyDocument>>,
    /// ARNs of managed policies attached to the user, as for roles.
    pub managed_policy_arns: Attr<Vec<String>>,
}

/// An account-wide setting that one resource declares.
#[derive(Clone, Debug)]
pub enum AccountSetting {
    /// Whether new EBS volumes in the region are encrypted by default.
    EbsEncryptionByDefault { enabled: Attr<bool> },
    /// The account's S3 Block Public Access settings.
    S3PublicAccessBlock {
        block: crate::services::PublicAccessBlock,
        /// Whether the setting has a location in the input: true for plans,
        /// false for a setting read from a live account.
        location_known: bool,
        /// The reason a flag of `block` is unknown, whose value then reads as
        /// false. `None` when every flag is known.
        unknown_reason: Option<String>,
    },
    /// The region's instance metadata defaults for new instances:
    /// `http_tokens` is `required`, `optional` or `no-preference`.
    InstanceMetadataDefaults { http_tokens: Attr<Option<String>> },
}
