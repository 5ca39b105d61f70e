//! IAM-001: no IAM policy allows every action on every resource.

use phiguard_model::services::{Effect, PolicyDocument, Statement};
use phiguard_model::{Attr, Model, Resource, ResourceKind, Severity};

use crate::citations::{ACCESS_AUTHORIZATION, ACCESS_CONTROL};
use crate::{Check, Rule, RuleDocs, RuleMeta};

pub struct IamPolicyNoAdmin;

static META: RuleMeta = RuleMeta {
    id: "IAM-001",
    name: "iam-policy-no-admin",
    severity: Severity::High,
    citations: &[ACCESS_CONTROL, ACCESS_AUTHORIZATION],
    summary: "IAM policy does not allow every action on every resource",
    docs: RuleDocs {
        what: "Checks every IAM policy document in the input (managed policies, inline policies as \
separate resources, and inline policies declared on a role or CloudFormation user) for a statement \
that allows the action `*` on the resource `*`. Such a statement grants full administrator access, \
whatever conditions it carries. A role or user with the AWS managed policy `AdministratorAccess` \
attached, by `managed_policy_arns`, `ManagedPolicyArns` or a Terraform policy attachment resource, \
fails too.",
        why: "Access control requires that people and software get only the access their role needs. \
A principal with full administrator access can read every store of ePHI, turn off CloudTrail, \
delete backups and change the policies that protect the rest, so one leaked credential or \
compromised workload exposes everything.",
        fix: "Replace the statement with the actions and resources the principal needs. Keep \
administrator access to a few break-glass roles with MFA, outside the code that application \
teams change.",
        limitations: "Of the AWS managed policies, only `AdministratorAccess` given by a literal ARN is \
recognized; others that grant wide access, such as `PowerUserAccess`, are not. The rule does not \
see policies that allow `*` through `NotAction`, service-wide wildcards such as `s3:*`, groups and \
their policy attachments, or the `aws_iam_policy_attachment` resource. A document built from a \
data source or known only after apply is reported as unknown.",
        terraform_fail: include_str!("../../fixtures/IAM-001/fail.tf"),
        terraform_pass: include_str!("../../fixtures/IAM-001/pass.tf"),
        cloudformation_fail: include_str!("../../fixtures/IAM-001/fail.yaml"),
        cloudformation_pass: include_str!("../../fixtures/IAM-001/pass.yaml"),
    },
};

impl Rule for IamPolicyNoAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'m>(&self, model: &'m Model) -> Vec<Check<'m>> {
        let mut checks = Vec::new();
        for resource in &model.resources {
            let (documents, managed): (Vec<&Attr<PolicyDocument>>, Option<&Attr<Vec<String>>>) = match &resource.kind {
                ResourceKind::IamPolicy(policy) => (vec![&policy.document], None),
                ResourceKind::IamRole(role) => (role.inline_policies.iter().collect(), Some(&role.managed_policy_arns)),
                ResourceKind::IamUser(user) => (user.inline_policies.iter().collect(), Some(&user.managed_policy_arns)),
                _ => continue,
            };
            let managed_arns = managed.and_then(|arns| arns.known());
            if let Some(arn) = managed_arns.and_then(|arns| arns.iter().find(|arn| is_administrator_access(arn))) {
                checks.push(Check::fail(
                    resource,
                    format!("the AWS managed policy {arn} is attached, which allows every action on every resource"),
                    managed.map_or(&resource.location, |arns| arns.location()),
                ));
                continue;
            }
            let attaches_policies = managed.is_some_and(|arns| arns.known().is_none_or(|arns| !arns.is_empty()));
            if documents.is_empty() && !attaches_policies {
                continue;
            }
            checks.push(check_documents(resource, &documents, managed));
        }
        checks
    }
}

/// Fails on the first document with an administrator statement; otherwise
/// reports the first unknown document or unknown managed policy list, or
/// passes.
fn check_documents<'m>(resource: &'m Resource, documents: &[&Attr<PolicyDocument>], managed: Option<&Attr<Vec<String>>>) -> Check<'m> {
    let mut unknown = None;
    for document in documents {
        match Check::read(resource, document, "what the policy allows") {
            Ok(parsed) => {
                if parsed.statements.iter().any(is_admin) {
                    return Check::fail(
                        resource,
                        "a policy statement allows every action (`*`) on every resource (`*`), which is full administrator access",
                        document.location(),
                    );
                }
            }
            Err(check) => {
                unknown.get_or_insert(check);
            }
        }
    }
    if let Some(arns) = managed {
        if let Err(check) = Check::read(resource, arns, "which managed policies are attached") {
            unknown.get_or_insert(check);
        }
    }
    match unknown {
        Some(check) => check,
        None => Check::pass(
            resource,
            "no policy statement allows every action on every resource, and AdministratorAccess is not attached",
            &resource.location,
        ),
    }
}

/// True for the ARN of the AWS managed policy `AdministratorAccess`, in any
/// partition.
fn is_administrator_access(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.ends_with(":iam::aws:policy/AdministratorAccess")
}

/// True for an Allow statement whose actions and resources both include
/// the full wildcard.
fn is_admin(statement: &Statement) -> bool {
    statement.effect == Effect::Allow
        && statement.actions.iter().any(|action| action == "*" || action == "*:*")
        && statement.resources.iter().any(|resource| resource == "*")
}
