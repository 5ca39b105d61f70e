//! IAM policies, roles and users: policy documents, role session length,
//! and the console passwords and access keys linked to each user.

use phiguard_model::services::{IamPolicy, IamRole, IamUser, PolicyDocument};
use phiguard_model::{Attr, ResourceKind};

use crate::adapt::policy::read_policy;
use crate::adapt::extra_reads::{literal_strings, string_list};
use crate::adapt::Reader;
use crate::node::{Node, NodeKind};
use crate::raw::{Dialect, RawResource, RawSet};

const TF_USER: &[&str] = &["aws_iam_user"];
const CFN_USER: &[&str] = &["AWS::IAM::User"];
/// The default maximum session duration of a role in both inputs, in
/// seconds (IAM API Reference, CreateRole).
const DEFAULT_MAX_SESSION_SECONDS: u32 = 3_600;

pub fn adapt(set: &RawSet, raw: &RawResource) -> Option<ResourceKind> {
    let reader = Reader::new(set, raw);
    let kind = match raw.resource_type.as_str() {
        "aws_iam_policy" | "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
            ResourceKind::IamPolicy(IamPolicy { document: document(&reader, "policy") })
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            ResourceKind::IamPolicy(IamPolicy { document: document(&reader, "PolicyDocument") })
        }
        "aws_iam_role" => ResourceKind::IamRole(IamRole {
            max_session_duration: reader.u32("max_session_duration", DEFAULT_MAX_SESSION_SECONDS),
            inline_policies: terraform_inline_policies(&reader),
            managed_policy_arns: managed_policy_arns(&reader, Some("managed_policy_arns"), attachments(set, raw, "aws_iam_role_policy_attachment", "role", "aws_iam_role")),
        }),
        "AWS::IAM::Role" => ResourceKind::IamRole(IamRole {
            max_session_duration: reader.u32("MaxSessionDuration", DEFAULT_MAX_SESSION_SECONDS),
            inline_policies: cloudformation_inline_policies(&reader),
            managed_policy_arns: managed_policy_arns(&reader, Some("ManagedPolicyArns"), Vec::new()),
        }),
        "aws_iam_user" => ResourceKind::IamUser(IamUser {
            login_profiles: addresses(set.children(raw, "aws_iam_user_login_profile", "user", TF_USER, &["name"])),
            access_keys: addresses(set.children(raw, "aws_iam_access_key", "user", TF_USER, &["name"])),
            inline_policies: Vec::new(),
            managed_policy_arns: managed_policy_arns(&reader, None, attachments(set, raw, "aws_iam_user_policy_attachment", "user", "aws_iam_user")),
        }),
        "AWS::IAM::User" => ResourceKind::IamUser(IamUser {
            // CloudFormation declares a console password inside the user.
            login_profiles: reader.node("LoginProfile").map(|_| vec![format!("{}.LoginProfile", raw.address)]).unwrap_or_default(),
            access_keys: addresses(set.children(raw, "AWS::IAM::AccessKey", "UserName", CFN_USER, &["UserName"])),
            inline_policies: cloudformation_inline_policies(&reader),
            managed_policy_arns: managed_policy_arns(&reader, Some("ManagedPolicyArns"), Vec::new()),
        }),
        _ => return None,
    };
    Some(kind)
}

/// Returns the literal `policy_arn` of each Terraform attachment resource
/// of `child_type` whose `parent_key` names this role or user.
fn attachments(set: &RawSet, raw: &RawResource, child_type: &str, parent_key: &str, parent_type: &str) -> Vec<String> {
    set.children(raw, child_type, parent_key, &[parent_type], &["name"])
        .into_iter()
        .filter_map(|attachment| attachment.props.get("policy_arn").and_then(Node::as_str).map(str::to_owned))
        .collect()
}

/// Reads the managed policy list at `path`, when the resource type has
/// one, and adds `attached`. Terraform plans a `managed_policy_arns` that
/// the configuration leaves out as known only after apply. It does the
/// same for elements that refer to policies in the same plan. Both are
/// left out, because attachment resources and policies in the plan are
/// read on their own. A Terraform list that the configuration sets from
/// variables or data sources alone stays unknown, and so does a
/// CloudFormation list with an element known only at deploy time.
fn managed_policy_arns(reader: &Reader<'_>, path: Option<&str>, attached: Vec<String>) -> Attr<Vec<String>> {
    let Some(path) = path else {
        return Attr::default_value(attached, reader.resource_location());
    };
    let list = string_list(reader, path);
    let mut arns = match list.get() {
        Ok(arns) => arns.clone(),
        Err(reason) => {
            let links = reader.set.links(reader.raw, path);
            let computed = reader.computed_by_provider(path);
            if reader.dialect() != Dialect::Terraform || (links.is_empty() && !computed) {
                return Attr::unknown(format!("the attached managed policies are unknown: {reason}"), list.location().clone());
            }
            let mut known = literal_strings(reader, path);
            known.extend(links);
            known
        }
    };
    arns.extend(attached);
    Attr::explicit(arns, list.location().clone())
}

fn addresses(resources: Vec<&RawResource>) -> Vec<String> {
    resources.into_iter().map(|resource| resource.address.clone()).collect()
}

/// Reads a policy document; an absent or empty one is an empty document,
/// which grants nothing.
fn document(reader: &Reader<'_>, path: &str) -> Attr<PolicyDocument> {
    match reader.node(path) {
        Some(node) if node.as_str() == Some("") => Attr::explicit(PolicyDocument::default(), reader.location(node)),
        Some(node) => read_policy(node, reader.location(node)),
        None => Attr::default_value(PolicyDocument::default(), reader.resource_location()),
    }
}

/// Reads the `inline_policy` blocks of a Terraform role. The provider
/// plans an `inline_policy` that the configuration leaves out as known only
/// after apply. Such a value reflects `aws_iam_role_policy` resources,
/// which are read on their own, so it adds nothing here.
fn terraform_inline_policies(reader: &Reader<'_>) -> Vec<Attr<PolicyDocument>> {
    let Some(node) = reader.raw.props.present("inline_policy") else { return Vec::new() };
    if matches!(node.kind, NodeKind::Unknown(_)) {
        return Vec::new();
    }
    reader
        .raw
        .props
        .blocks("inline_policy")
        .into_iter()
        .filter_map(|block| {
            let policy = block.present("policy")?;
            // An empty block (no name, empty policy) is how plans show that
            // the role has no inline policies.
            if policy.as_str() == Some("") {
                return None;
            }
            Some(read_policy(policy, reader.location(policy)))
        })
        .collect()
}

/// Reads the `Policies` list of a CloudFormation role or user.
fn cloudformation_inline_policies(reader: &Reader<'_>) -> Vec<Attr<PolicyDocument>> {
    if let Some(node) = reader.node("Policies") {
        if let NodeKind::Unknown(reason) = &node.kind {
            return vec![Attr::unknown(format!("`Policies` is {reason}"), reader.location(node))];
        }
    }
    reader
        .raw
        .props
        .blocks("Policies")
        .into_iter()
        .map(|policy| match policy.present("PolicyDocument") {
            Some(document) => read_policy(document, reader.location(document)),
            None => Attr::unknown("an inline policy has no `PolicyDocument`", reader.location(policy)),
        })
        .collect()
}

