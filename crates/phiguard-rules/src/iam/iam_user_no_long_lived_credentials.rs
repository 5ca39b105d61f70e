//! IAM-003: IAM users have no console password or access key.

use phiguard_model::{Model, ResourceKind, Severity};

use crate::citations::{PERSON_AUTHENTICATION, UNIQUE_USER};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct IamUserNoLongLivedCredentials;

static META: RuleMeta = RuleMeta {
    id: "IAM-003",
    name: "iam-user-no-long-lived-credentials",
    severity: Severity::High,
    citations: &[UNIQUE_USER, PERSON_AUTHENTICATION],
    summary: "IAM user has no console password (login profile) or access key",
    docs: RuleDocs {
        what: "Checks that no login profile (`aws_iam_user_login_profile`, or `LoginProfile` on an \
`AWS::IAM::User`) and no access key (`aws_iam_access_key`, `AWS::IAM::AccessKey`) in the input \
belongs to the user. Either one gives the user a long-lived credential.",
        why: "People should sign in through a central identity provider (IAM Identity Center or \
federation), which ties each session to one identified person, enforces MFA and ends access when \
someone leaves. Passwords and access keys of IAM users live outside that process: keys do not \
expire, and are copied into scripts and repositories, where they leak.",
        fix: "Give people access through IAM Identity Center or a federated role, and workloads \
through IAM roles (instance profiles, task roles, IRSA or OIDC for CI). Remove the login profile \
and access keys, and keep any remaining IAM user for break-glass only.",
        limitations: "The rule sees credentials declared in the input. Passwords and keys created in \
the console or by other tools are visible only to a scan of the live account. A key is reported \
even when declared inactive.",
        terraform_fail: include_str!("../../fixtures/IAM-003/fail.tf"),
        terraform_pass: include_str!("../../fixtures/IAM-003/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/IAM-003/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/IAM-003/pass.yaml"),
    },
};

impl Rule for IamUserNoLongLivedCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        model
            .each(|kind| match kind {
                ResourceKind::IamUser(user) => Some(user),
                _ => None,
            })
            .map(|(resource, user)| {
                let mut credentials = Vec::new();
                if !user.login_profiles.is_empty() {
                    credentials.push(format!("a console password ({})", user.login_profiles.join(", ")));
                }
                if !user.access_keys.is_empty() {
                    credentials.push(format!("access keys ({})", user.access_keys.join(", ")));
                }
                if credentials.is_empty() {
                    Check::pass(resource, "the input declares no console password or access key for the user", &resource.location)
                } else {
                    Check::fail(
                        resource,
                        format!("the user has long-lived credentials: {}", credentials.join(" and ")),
                        &resource.location,
                    )
                }
            })
            .collect()
    }
}
