//! Rules for IAM policies, roles and users.

mod iam_policy_no_admin;
mod iam_role_session_duration;
mod iam_user_no_long_lived_credentials;

use crate::Rule;

pub(crate) const RULES: &[&dyn Rule] = &[
    &iam_policy_no_admin::IamPolicyNoAdmin,
    &iam_role_session_duration::IamRoleSessionDuration,
    &iam_user_no_long_lived_credentials::IamUserNoLongLivedCredentials,
];
