//! The service control policies (SCPs) of AWS Organizations that apply to one
//! scanned account, level by level from the organization root down to the
//! account. Only a live scan fills this: plans and templates cannot express
//! where an account sits in the organization.

use crate::attr::Attr;

/// The SCPs in effect on one account.
#[derive(Clone, Debug)]
pub struct ServiceControlPolicies {
    /// The scanned account's 12-digit id.
    pub account_id: String,
    /// The organization's SCP levels, or the reason they cannot be read:
    /// the account is in no organization, or Organizations denied the calls
    /// (a member account that is not a delegated administrator).
    pub hierarchy: Attr<ScpHierarchy>,
}

/// The account's place in its organization and the SCPs attached on the way
/// from the root down to it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScpHierarchy {
    /// The organization id, such as `o-a1b2c3d4e5`. Empty when the account
    /// is not in an organization, so no SCP applies to it.
    pub organization_id: String,
    /// The id of the organization's management account. SCPs never
    /// restrict the management account itself.
    pub management_account_id: String,
    /// False when the SCP policy type is not enabled on the root (an
    /// organization with consolidated billing only, or one that never
    /// enabled SCPs). No SCP then restricts any account.
    pub scps_enabled: bool,
    /// The levels from the root (first) through each organizational unit
    /// down to the account (last). An action is allowed only when every
    /// level allows it and no level denies it.
    pub levels: Vec<ScpLevel>,
}

impl ScpHierarchy {
    /// Returns whether `account_id` is the management account, which SCPs do
    /// not restrict.
    pub fn is_management_account(&self, account_id: &str) -> bool {
        self.management_account_id == account_id
    }
}

/// The kind of target an SCP is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScpTarget {
    Root,
    OrganizationalUnit,
    Account,
}

impl ScpTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            ScpTarget::Root => "root",
            ScpTarget::OrganizationalUnit => "OU",
            ScpTarget::Account => "account",
        }
    }
}

/// One level of the hierarchy: a root, an OU or the account, with the SCPs
/// attached to it directly.
#[derive(Clone, Debug, PartialEq)]
pub struct ScpLevel {
    pub target: ScpTarget,
    /// The target id: `r-...`, `ou-...` or the 12-digit account id.
    pub id: String,
    pub policies: Vec<AttachedScp>,
}

/// An SCP attached to a level, with its policy document as JSON text.
#[derive(Clone, Debug, PartialEq)]
pub struct AttachedScp {
    /// The policy id, such as `p-FullAWSAccess` or `p-a1b2c3d4`.
    pub id: String,
    pub name: String,
    /// True for policies that AWS manages, such as `FullAWSAccess`.
    pub aws_managed: bool,
    /// The policy document as DescribePolicy returns it.
    pub content: String,
}

impl AttachedScp {
    /// Returns whether this is the AWS managed `FullAWSAccess` policy that
    /// AWS attaches to every root, OU and account by default.
    pub fn is_full_aws_access(&self) -> bool {
        self.id == "p-FullAWSAccess" || (self.aws_managed && self.name == "FullAWSAccess")
    }
}
