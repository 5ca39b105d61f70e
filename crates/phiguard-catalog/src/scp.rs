//! Service control policies that keep an organization unit to HIPAA eligible
//! services: the generator, its output formats and the checker for existing
//! policies.
//!
//! Two strategies exist. `deny-not-action` keeps `FullAWSAccess` attached and
//! adds one Deny statement whose `NotAction` lists the allowed services. It
//! must stay one statement in one policy: two such statements each deny what
//! the other allows, so together they deny everything. `allow-list` replaces
//! `FullAWSAccess` with Allow statements; allows add up, so the list may be
//! split across several policies.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::catalog::{check_prefix_syntax, Catalog, Eligibility};
use crate::policy::{service_access_levels, PolicyDocument, ServiceAccess};

/// The long-standing SCP size quota in characters. AWS Organizations raised
/// the SCP quota to 10,240 in May 2026; 5,120 still fits every organization.
pub const DEFAULT_MAX_SIZE: usize = 5_120;
/// The long-standing quota of SCPs attached directly to one root, OU or
/// account. AWS raised it to 10 in May 2026.
pub const DEFAULT_MAX_POLICIES: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strategy {
    #[default]
    DenyNotAction,
    AllowList,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::DenyNotAction => "deny-not-action",
            Strategy::AllowList => "allow-list",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Terraform,
    CloudFormation,
}

/// The generator settings.
#[derive(Clone, Debug)]
pub struct ScpOptions {
    pub strategy: Strategy,
    /// Prefixes to allow on top of the eligible and supporting ones.
    pub include: Vec<String>,
    /// Prefixes to leave out.
    pub exclude: Vec<String>,
    /// Maximum characters per policy, counted on the minified JSON.
    pub max_size: usize,
    /// Maximum number of policies the generator may emit for one target.
    pub max_policies: usize,
    /// Allow the supporting services (identity, billing, support).
    pub supporting: bool,
}

impl Default for ScpOptions {
    fn default() -> Self {
        ScpOptions {
            strategy: Strategy::DenyNotAction,
            include: Vec::new(),
            exclude: Vec::new(),
            max_size: DEFAULT_MAX_SIZE,
            max_policies: DEFAULT_MAX_POLICIES,
            supporting: true,
        }
    }
}

/// One generated policy.
#[derive(Clone, Debug)]
pub struct GeneratedPolicy {
    /// A name usable in AWS, Terraform and CloudFormation (letters, digits, hyphens).
    pub name: String,
    pub document: Value,
    /// The minified JSON, exactly as its size was counted.
    pub minified: String,
}

impl GeneratedPolicy {
    pub fn size(&self) -> usize {
        self.minified.chars().count()
    }
}

/// The generator's output.
#[derive(Clone, Debug)]
pub struct GeneratedScp {
    pub strategy: Strategy,
    pub policies: Vec<GeneratedPolicy>,
    /// The allowed prefixes, sorted.
    pub prefixes: Vec<String>,
    /// Facts the user must act on: unconfirmed prefixes left out, exclusions
    /// that a prefix-level policy cannot enforce, includes of non-eligible services.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScpError {
    #[error("invalid prefix {prefix:?} in --{option}: IAM prefixes are lowercase letters, digits and hyphens, such as s3 or execute-api")]
    InvalidPrefix { option: &'static str, prefix: String },
    #[error(
        "the deny-not-action policy needs {size} characters, over the limit of {max_size} by {over}. \
         It must stay one statement in one policy. {advice}"
    )]
    DoesNotFit { size: usize, max_size: usize, over: usize, advice: String },
    #[error(
        "the allow-list needs {needed} policies of at most {max_size} characters, over the limit of {max_policies} \
         policies per target. {advice}"
    )]
    TooManyPolicies { needed: usize, max_policies: usize, max_size: usize, advice: String },
    #[error("--max-size {max_size} is too small to hold even an empty policy of {minimum} characters")]
    MaxSizeTooSmall { max_size: usize, minimum: usize },
    #[error("--max-policies must be at least 1")]
    NoPolicies,
    #[error("no prefix is left to allow after --exclude; remove some exclusions")]
    Empty,
}

/// Computes the allowed prefixes and the warnings that go with them.
pub fn allowed_prefixes(catalog: &Catalog, options: &ScpOptions) -> Result<(Vec<String>, Vec<String>), ScpError> {
    let mut warnings = Vec::new();
    let mut allowed: BTreeSet<String> = catalog.eligible_prefixes();
    if options.supporting {
        allowed.extend(catalog.supporting_prefixes());
    }

    for prefix in &options.include {
        check_prefix_syntax(prefix).map_err(|_| ScpError::InvalidPrefix { option: "include", prefix: prefix.clone() })?;
        let found = catalog.lookup_prefix(prefix);
        let other_name = found.other_name;
        let reason = found.reason;
        match found.eligibility {
            Eligibility::NotEligible => warnings.push(format!(
                "--include {prefix} allows {}, which is not HIPAA eligible ({}); keep ePHI out of it",
                other_name.unwrap_or_default(),
                reason.unwrap_or_default()
            )),
            Eligibility::Unknown => warnings.push(format!(
                "--include {prefix}: the prefix is not in the catalog, so phiguard cannot tell whether it is eligible"
            )),
            _ => {}
        }
        allowed.insert(prefix.clone());
    }
    for prefix in &options.exclude {
        check_prefix_syntax(prefix).map_err(|_| ScpError::InvalidPrefix { option: "exclude", prefix: prefix.clone() })?;
        if !allowed.remove(prefix) {
            warnings.push(format!("--exclude {prefix}: the prefix was not in the allowed set, so nothing changed"));
        }
    }

    let left_out: Vec<String> =
        catalog.unconfirmed_prefixes().into_keys().filter(|prefix| !allowed.contains(prefix)).collect();
    if !left_out.is_empty() {
        warnings.push(format!(
            "left out {} prefixes whose HIPAA coverage is unconfirmed: {}; add one with --include PREFIX if your \
             workloads need it",
            left_out.len(),
            left_out.join(", ")
        ));
    }
    let unenforceable: Vec<&str> = catalog
        .services
        .iter()
        .filter(|service| !service.exclusions.is_empty() && service.prefixes.iter().any(|prefix| allowed.contains(prefix)))
        .map(|service| service.name.as_str())
        .collect();
    if !unenforceable.is_empty() {
        warnings.push(format!(
            "AWS excludes some features of {} allowed services from eligibility, and a prefix-level SCP cannot block \
             them: {}. Run `phiguard services show NAME` for the exclusions and keep ePHI out of those features",
            unenforceable.len(),
            unenforceable.join("; ")
        ));
    }
    if allowed.is_empty() {
        return Err(ScpError::Empty);
    }
    Ok((allowed.into_iter().collect(), warnings))
}

/// Generates the policies for `options`.
pub fn generate(catalog: &Catalog, options: &ScpOptions) -> Result<GeneratedScp, ScpError> {
    if options.max_policies == 0 {
        return Err(ScpError::NoPolicies);
    }
    let (prefixes, mut warnings) = allowed_prefixes(catalog, options)?;
    let sid_date = catalog.meta.list_date.replace('-', "");
    let policies = match options.strategy {
        Strategy::DenyNotAction => vec![deny_not_action(catalog, &prefixes, &sid_date, options)?],
        Strategy::AllowList => {
            warnings.push(
                "allow-list policies only restrict a target once FullAWSAccess is detached from it, and every \
                 level from the root to the account needs an allow for the same services"
                    .into(),
            );
            allow_list(catalog, &prefixes, &sid_date, options)?
        }
    };
    Ok(GeneratedScp { strategy: options.strategy, policies, prefixes, warnings })
}

/// A policy statement with its keys in the order AWS documents them; a
/// `serde_json::Value` would sort them alphabetically.
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct StatementText {
    sid: String,
    effect: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_action: Option<Vec<String>>,
    resource: &'static str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct PolicyText {
    version: &'static str,
    statement: [StatementText; 1],
}

fn action_entries(prefixes: &[String]) -> Vec<String> {
    prefixes.iter().map(|prefix| format!("{prefix}:*")).collect()
}

/// Builds a one-statement policy and returns it as a value and as minified JSON.
fn policy_document(statement: StatementText) -> (Value, String) {
    let policy = PolicyText { version: "2012-10-17", statement: [statement] };
    let minified = serde_json::to_string(&policy).unwrap_or_default();
    let value = serde_json::to_value(&policy).unwrap_or(Value::Null);
    (value, minified)
}

fn deny_not_action(
    catalog: &Catalog,
    prefixes: &[String],
    sid_date: &str,
    options: &ScpOptions,
) -> Result<GeneratedPolicy, ScpError> {
    let (document, minified) = policy_document(StatementText {
        sid: format!("DenyOutsideHipaaEligible{sid_date}"),
        effect: "Deny",
        action: None,
        not_action: Some(action_entries(prefixes)),
        resource: "*",
    });
    let size = minified.chars().count();
    if size > options.max_size {
        let over = size - options.max_size;
        return Err(ScpError::DoesNotFit { size, max_size: options.max_size, over, advice: advice(catalog, prefixes, over, options) });
    }
    Ok(GeneratedPolicy { name: "phiguard-hipaa-eligible".into(), document, minified })
}

fn allow_list(
    catalog: &Catalog,
    prefixes: &[String],
    sid_date: &str,
    options: &ScpOptions,
) -> Result<Vec<GeneratedPolicy>, ScpError> {
    let build = |index: usize, chunk: &[String]| {
        policy_document(StatementText {
            sid: format!("AllowHipaaEligible{sid_date}Part{index}"),
            effect: "Allow",
            action: Some(action_entries(chunk)),
            not_action: None,
            resource: "*",
        })
    };
    let size_of = |index: usize, chunk: &[String]| build(index, chunk).1.chars().count();
    let minimum = size_of(99, &[]);
    let widest = prefixes.iter().map(|prefix| prefix.len() + 5).max().unwrap_or(0);
    if options.max_size < minimum + widest {
        return Err(ScpError::MaxSizeTooSmall { max_size: options.max_size, minimum: minimum + widest });
    }

    // Greedy packing in sorted order: add prefixes to the current policy until
    // the next one would push it over the limit, then start a new policy.
    let mut chunks: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for prefix in prefixes {
        current.push(prefix.clone());
        if size_of(chunks.len() + 1, &current) > options.max_size {
            let moved = current.pop();
            chunks.push(std::mem::take(&mut current));
            current.extend(moved);
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    if chunks.len() > options.max_policies {
        let per_policy = options.max_size.saturating_sub(minimum);
        let capacity = per_policy * options.max_policies;
        let total: usize = prefixes.iter().map(|prefix| prefix.len() + 5).sum();
        let over = total.saturating_sub(capacity);
        return Err(ScpError::TooManyPolicies {
            needed: chunks.len(),
            max_policies: options.max_policies,
            max_size: options.max_size,
            advice: advice(catalog, prefixes, over.max(1), options),
        });
    }
    let count = chunks.len();
    Ok(chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| {
            let name = if count == 1 { "phiguard-hipaa-allow".to_string() } else { format!("phiguard-hipaa-allow-{}", index + 1) };
            let (document, minified) = build(index + 1, chunk);
            GeneratedPolicy { name, document, minified }
        })
        .collect())
}

/// Prefixes never suggested for exclusion, because without them nobody can
/// manage identities or the organization inside the target.
const NEVER_SUGGESTED: [&str; 4] = ["iam", "sts", "organizations", "cloudformation"];
/// Above this many suggested exclusions, the advice names the count instead of the list.
const MAX_LISTED_EXCLUSIONS: usize = 12;

/// Builds the "what to exclude" part of a size error: the billing, support
/// and governance prefixes first (the least needed for workloads), then the
/// longest entries, until `over` characters are saved.
fn advice(catalog: &Catalog, prefixes: &[String], over: usize, options: &ScpOptions) -> String {
    let optional_support: BTreeSet<String> =
        catalog.supporting.iter().filter(|s| s.purpose != "identity").map(|s| s.prefix.clone()).collect();
    let mut candidates: Vec<&String> =
        prefixes.iter().filter(|prefix| !NEVER_SUGGESTED.contains(&prefix.as_str())).collect();
    candidates.sort_by_key(|prefix| (!optional_support.contains(*prefix), std::cmp::Reverse(prefix.len())));
    let mut saved = 0;
    let mut picked = Vec::new();
    for prefix in candidates {
        if saved >= over {
            break;
        }
        // Each entry costs `"prefix:*"` plus a comma.
        saved += prefix.len() + 5;
        picked.push(format!("--exclude {prefix}"));
    }
    let mut text = if saved < over {
        "No set of exclusions saves enough characters.".to_string()
    } else if picked.len() <= MAX_LISTED_EXCLUSIONS {
        format!("Excluding these {} prefixes saves {saved} characters: {}.", picked.len(), picked.join(" "))
    } else {
        format!("Fitting needs at least {} exclusions, which would block services that workloads use.", picked.len())
    };
    if options.max_size < 10_240 {
        text.push_str(" Raise --max-size to 10240 if your organization has the larger SCP quota.");
    }
    if options.strategy == Strategy::DenyNotAction {
        text.push_str(" Or use --strategy allow-list, which may split across policies.");
    }
    text
}

/// Renders generated policies in the requested format.
pub fn render(scp: &GeneratedScp, format: Format, catalog: &Catalog) -> String {
    match format {
        Format::Json => {
            let mut out = String::new();
            for policy in &scp.policies {
                out.push_str(&policy.minified);
                out.push('\n');
            }
            out
        }
        Format::Terraform => render_terraform(scp, catalog),
        Format::CloudFormation => render_cloudformation(scp, catalog),
    }
}

fn description(scp: &GeneratedScp, catalog: &Catalog) -> String {
    format!(
        "phiguard {}: HIPAA eligible services as of {}, plus supporting services",
        scp.strategy.as_str(),
        catalog.meta.list_date
    )
}

/// Escapes a string for an HCL quoted template: backslashes, quotes and the
/// `${` and `%{` template sequences.
fn hcl_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    out.push('"');
    let chars: Vec<char> = value.chars().collect();
    for (index, c) in chars.iter().enumerate() {
        let next = chars.get(index + 1).copied();
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '$' | '%' if next == Some('{') => {
                out.push(*c);
                out.push(*c);
            }
            other => out.push(*other),
        }
    }
    out.push('"');
    out
}

fn terraform_label(name: &str) -> String {
    name.replace('-', "_")
}

fn render_terraform(scp: &GeneratedScp, catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Generated by phiguard scp generate --strategy {}.", scp.strategy.as_str());
    let _ = writeln!(out, "# HIPAA eligible services list of {}; {} prefixes allowed.", catalog.meta.list_date, scp.prefixes.len());
    if scp.strategy == Strategy::AllowList {
        out.push_str("# Detach FullAWSAccess from the target after these policies are attached, or they restrict nothing.\n");
    }
    out.push('\n');

    out.push_str("variable \"hipaa_target_id\" {\n");
    out.push_str("  description = \"Id of the root, OU (ou-...) or account that contains ePHI workloads.\"\n");
    out.push_str("  type        = string\n");
    out.push_str("}\n");

    let description = hcl_string(&description(scp, catalog));
    for policy in &scp.policies {
        let label = terraform_label(&policy.name);
        let _ = write!(
            out,
            "\nresource \"aws_organizations_policy\" \"{label}\" {{\n  \
             name        = {}\n  \
             description = {description}\n  \
             type        = \"SERVICE_CONTROL_POLICY\"\n  \
             content     = {}\n}}\n",
            hcl_string(&policy.name),
            hcl_string(&policy.minified),
        );
        let _ = write!(
            out,
            "\nresource \"aws_organizations_policy_attachment\" \"{label}\" {{\n  \
             policy_id = aws_organizations_policy.{label}.id\n  \
             target_id = var.hipaa_target_id\n}}\n",
        );
    }
    out
}

fn cloudformation_logical_id(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn render_cloudformation(scp: &GeneratedScp, catalog: &Catalog) -> String {
    let mut resources = serde_json::Map::new();
    for policy in &scp.policies {
        resources.insert(
            cloudformation_logical_id(&policy.name),
            json!({
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Name": policy.name,
                    "Description": description(scp, catalog),
                    "Type": "SERVICE_CONTROL_POLICY",
                    "Content": policy.document,
                    "TargetIds": [{ "Ref": "HipaaTargetId" }],
                },
            }),
        );
    }
    let mut template_description = description(scp, catalog);
    if scp.strategy == Strategy::AllowList {
        template_description.push_str(". Detach FullAWSAccess from the target after deploying, or these policies restrict nothing.");
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": template_description,
        "Parameters": {
            "HipaaTargetId": {
                "Type": "String",
                "Description": "Id of the root, OU (ou-...) or account that contains ePHI workloads.",
            },
        },
        "Resources": resources,
    });
    let mut text = serde_json::to_string_pretty(&template).unwrap_or_default();
    text.push('\n');
    text
}

/// The findings of `scp check` on the policies attached to one target.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct CheckReport {
    /// Whether `FullAWSAccess` was assumed attached because no policy has an Allow.
    pub assumed_full_aws_access: bool,
    #[serde(flatten)]
    pub access: EffectiveAccess,
    /// `(policy name, minified size)` pairs.
    pub sizes: Vec<(String, usize)>,
    pub max_size: usize,
}

impl CheckReport {
    /// Returns whether the policies break the HIPAA boundary or the size limit.
    pub fn failed(&self) -> bool {
        !self.access.non_eligible_allowed.is_empty()
            || !self.access.unknown_allowed.is_empty()
            || self.access.allows_everything_else
            || self.sizes.iter().any(|(_, size)| *size > self.max_size)
    }
}

/// Checks the SCPs attached to one target against the catalog.
pub fn check(catalog: &Catalog, policies: &[PolicyDocument], max_size: usize) -> CheckReport {
    let mut report = CheckReport { max_size, ..CheckReport::default() };
    report.sizes = policies.iter().map(|policy| (policy.name.clone(), policy.minified_size)).collect();

    let has_allow = policies.iter().flat_map(|p| p.statements.iter()).any(|s| s.effect == crate::policy::Effect::Allow);
    let mut effective: Vec<PolicyDocument> = policies.to_vec();
    if !has_allow {
        // Deny-only SCPs work on top of the FullAWSAccess policy that AWS attaches by default.
        report.assumed_full_aws_access = true;
        effective.push(PolicyDocument::full_aws_access());
    }

    report.access = effective_access(catalog, &[effective]);
    report
}

/// The services that SCPs let through, on one target or on the path from the
/// root down to one account. Prefix lists follow the catalog's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EffectiveAccess {
    /// Eligible prefixes that the policies block entirely.
    pub eligible_blocked: Vec<String>,
    /// Eligible prefixes of which only some actions are allowed.
    pub eligible_partial: Vec<String>,
    /// Supporting prefixes that the policies block.
    pub supporting_blocked: Vec<String>,
    /// Known non-eligible prefixes that the policies allow, fully or in part.
    pub non_eligible_allowed: Vec<String>,
    /// Prefixes that the catalog does not know, named in a statement that
    /// lets them through and allowed by the policies.
    pub unknown_allowed: Vec<String>,
    /// True when the policies allow services that no statement names, such
    /// as every service AWS adds after the catalog's list date.
    pub allows_everything_else: bool,
    /// Statements with conditions, which the evaluation treats as if they hold.
    pub conditional_statements: usize,
}

/// Evaluates the SCP levels from the root down to an account (each level
/// being the policies attached to one root, OU or account) against the
/// catalog. A single level is the check of one target.
pub fn effective_access<L: AsRef<[PolicyDocument]>>(catalog: &Catalog, levels: &[L]) -> EffectiveAccess {
    let statements = || levels.iter().flat_map(|level| level.as_ref().iter()).flat_map(|policy| policy.statements.iter());
    let mut access = EffectiveAccess {
        conditional_statements: statements().filter(|statement| statement.has_condition).count(),
        ..EffectiveAccess::default()
    };

    for prefix in catalog.eligible_prefixes() {
        match service_access_levels(levels, &prefix) {
            ServiceAccess::Full => {}
            ServiceAccess::Partial => access.eligible_partial.push(prefix),
            ServiceAccess::None => access.eligible_blocked.push(prefix),
        }
    }
    for prefix in catalog.supporting_prefixes() {
        if service_access_levels(levels, &prefix) == ServiceAccess::None {
            access.supporting_blocked.push(prefix);
        }
    }
    for other in &catalog.non_eligible {
        if service_access_levels(levels, &other.prefix) != ServiceAccess::None {
            access.non_eligible_allowed.push(other.prefix.clone());
        }
    }

    // A prefix the catalog does not know stands for every service AWS adds
    // later; if it is allowed, the policy allows services nobody reviewed.
    access.allows_everything_else = service_access_levels(levels, "phiguard-unlisted-service") != ServiceAccess::None;
    let mut unknown = BTreeSet::new();
    for statement in statements() {
        // Services named in an Allow `Action` or a Deny `NotAction` are the ones a policy lets through.
        let patterns = match (&statement.effect, &statement.actions) {
            (crate::policy::Effect::Allow, crate::policy::ActionList::Action(patterns)) => Some(patterns),
            (crate::policy::Effect::Deny, crate::policy::ActionList::NotAction(patterns)) => Some(patterns),
            _ => None,
        };
        if let Some(patterns) = patterns {
            for pattern in patterns {
                let Some((service, _)) = pattern.split_once(':') else { continue };
                if service.contains('*') || service.contains('?') {
                    continue;
                }
                let service = service.to_ascii_lowercase();
                if catalog.lookup_prefix(&service).eligibility == Eligibility::Unknown
                    && service_access_levels(levels, &service) != ServiceAccess::None
                {
                    unknown.insert(service);
                }
            }
        }
    }
    access.unknown_allowed = unknown.into_iter().collect();
    access
}
