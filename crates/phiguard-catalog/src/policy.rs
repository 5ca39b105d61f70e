//! IAM policy documents as service control policies use them: parsing, the
//! minified size that AWS counts, and a small evaluator that decides whether a
//! set of SCPs allows an action, on one target or through every level of an
//! organization from the root down to an account.
//!
//! The evaluator matches actions only. It ignores `Resource`, `NotResource` and
//! `Condition`, because the policies phiguard generates and checks apply to
//! every resource. A statement with a condition is evaluated as if the
//! condition holds, and callers report that.

use serde_json::Value;

/// An error in a policy document.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{source_name} is not valid JSON: {message}")]
    Json { source_name: String, message: String },
    #[error("{source_name}: {message}")]
    Shape { source_name: String, message: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// The action element of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionList {
    Action(Vec<String>),
    NotAction(Vec<String>),
}

impl ActionList {
    /// Returns whether the statement applies to `action`.
    pub fn covers(&self, action: &str) -> bool {
        match self {
            ActionList::Action(patterns) => patterns.iter().any(|pattern| action_matches(pattern, action)),
            ActionList::NotAction(patterns) => !patterns.iter().any(|pattern| action_matches(pattern, action)),
        }
    }

    pub fn patterns(&self) -> &[String] {
        match self {
            ActionList::Action(patterns) | ActionList::NotAction(patterns) => patterns,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: ActionList,
    pub has_condition: bool,
}

/// A parsed policy with its minified size.
#[derive(Clone, Debug)]
pub struct PolicyDocument {
    pub name: String,
    pub statements: Vec<Statement>,
    /// Characters in the minified JSON, which is what AWS counts against the
    /// SCP size quota when whitespace is removed.
    pub minified_size: usize,
}

impl PolicyDocument {
    /// Parses a policy document from JSON text; `name` names it in errors.
    pub fn parse(name: &str, text: &str) -> Result<PolicyDocument, PolicyError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|error| PolicyError::Json { source_name: name.to_string(), message: error.to_string() })?;
        PolicyDocument::from_value(name, &value)
    }

    /// Reads a policy document from a parsed JSON value.
    pub fn from_value(name: &str, value: &Value) -> Result<PolicyDocument, PolicyError> {
        let shape = |message: String| PolicyError::Shape { source_name: name.to_string(), message };
        let object = value.as_object().ok_or_else(|| shape("a policy must be a JSON object".into()))?;
        let statements = match object.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
            Some(item @ Value::Object(_)) => vec![item],
            Some(_) => return Err(shape("`Statement` must be an object or an array of objects".into())),
            None => return Err(shape("the policy has no `Statement`".into())),
        };
        let mut parsed = Vec::with_capacity(statements.len());
        for (index, statement) in statements.into_iter().enumerate() {
            parsed.push(parse_statement(statement).map_err(|message| shape(format!("statement {}: {message}", index + 1)))?);
        }
        Ok(PolicyDocument { name: name.to_string(), statements: parsed, minified_size: minified_size(value) })
    }

    /// Returns the AWS managed `FullAWSAccess` SCP, which AWS attaches to every target by default.
    pub fn full_aws_access() -> PolicyDocument {
        PolicyDocument {
            name: "FullAWSAccess".into(),
            statements: vec![Statement {
                sid: None,
                effect: Effect::Allow,
                actions: ActionList::Action(vec!["*".into()]),
                has_condition: false,
            }],
            minified_size: 0,
        }
    }
}

fn parse_statement(value: &Value) -> Result<Statement, String> {
    let object = value.as_object().ok_or("a statement must be a JSON object")?;
    let effect = match object.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        Some(other) => return Err(format!("`Effect` must be \"Allow\" or \"Deny\", not {other:?}")),
        None => return Err("missing `Effect`".into()),
    };
    let actions = match (object.get("Action"), object.get("NotAction")) {
        (Some(list), None) => ActionList::Action(string_list(list, "Action")?),
        (None, Some(list)) => ActionList::NotAction(string_list(list, "NotAction")?),
        (Some(_), Some(_)) => return Err("a statement cannot have both `Action` and `NotAction`".into()),
        (None, None) => return Err("missing `Action` or `NotAction`".into()),
    };
    Ok(Statement {
        sid: object.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect,
        actions,
        has_condition: object.contains_key("Condition"),
    })
}

fn string_list(value: &Value, field: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(single) => Ok(vec![single.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string).ok_or_else(|| format!("`{field}` must hold only strings")))
            .collect(),
        _ => Err(format!("`{field}` must be a string or an array of strings")),
    }
}

/// Returns the number of characters in the minified JSON of `value`.
pub fn minified_size(value: &Value) -> usize {
    // serde_json writes no whitespace outside strings, which matches how the
    // Organizations console stores a policy and how phiguard emits one.
    serde_json::to_string(value).map(|text| text.chars().count()).unwrap_or(0)
}

/// Returns whether an IAM action pattern (with `*` and `?` wildcards) matches
/// an action. Matching ignores case, as IAM does for action names.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let pattern: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let action: Vec<char> = action.to_ascii_lowercase().chars().collect();
    wildcard_match(&pattern, &action)
}

/// Iterative glob match with backtracking over the last `*`, linear in practice.
fn wildcard_match(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// The outcome of evaluating an action against a set of SCPs on one target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// A Deny statement matches.
    ExplicitDeny,
    /// No Allow statement matches.
    ImplicitDeny,
}

/// Evaluates an action against the SCPs attached to one target: an explicit
/// Deny in any policy wins, otherwise some policy must allow the action.
pub fn evaluate(policies: &[PolicyDocument], action: &str) -> Decision {
    let statements = || policies.iter().flat_map(|policy| policy.statements.iter());
    if statements().any(|s| s.effect == Effect::Deny && s.actions.covers(action)) {
        return Decision::ExplicitDeny;
    }
    if statements().any(|s| s.effect == Effect::Allow && s.actions.covers(action)) {
        return Decision::Allowed;
    }
    Decision::ImplicitDeny
}

/// The outcome of evaluating an action through the SCP levels from the root
/// down to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelDecision {
    pub decision: Decision,
    /// The index of the level that decided a denial: the first level with a
    /// matching Deny when there is one, else the first level where no policy
    /// allows the action. `None` when the action is allowed.
    pub level: Option<usize>,
}

/// Evaluates an action through SCP levels, each level being the policies
/// attached directly to one root, OU or account. As AWS Organizations does,
/// it allows the action only when every level allows it and no policy at any
/// level denies it. An empty list of levels allows nothing.
pub fn evaluate_levels<L: AsRef<[PolicyDocument]>>(levels: &[L], action: &str) -> LevelDecision {
    if levels.is_empty() {
        return LevelDecision { decision: Decision::ImplicitDeny, level: None };
    }
    let decisions: Vec<Decision> = levels.iter().map(|level| evaluate(level.as_ref(), action)).collect();
    if let Some(index) = decisions.iter().position(|decision| *decision == Decision::ExplicitDeny) {
        return LevelDecision { decision: Decision::ExplicitDeny, level: Some(index) };
    }
    if let Some(index) = decisions.iter().position(|decision| *decision == Decision::ImplicitDeny) {
        return LevelDecision { decision: Decision::ImplicitDeny, level: Some(index) };
    }
    LevelDecision { decision: Decision::Allowed, level: None }
}

/// How much of one service's actions a set of SCPs allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceAccess {
    /// Every action of the service.
    Full,
    /// Some actions only.
    Partial,
    None,
}

/// Estimates how much of the service with `prefix` the policies attached to
/// one target allow. It is [`service_access_levels`] with a single level.
pub fn service_access(policies: &[PolicyDocument], prefix: &str) -> ServiceAccess {
    service_access_levels(&[policies], prefix)
}

/// Action name used to stand for the actions of a service that no policy
/// pattern singles out. No AWS service has an action of this name.
const PROBE_NAME: &str = "PhiguardProbeAnyAction";

/// Estimates how much of the service with `prefix` the SCP levels allow.
///
/// A probe action that no real service has stands for "any action": if every
/// level allows it and none denies it, the levels allow the whole service.
/// Otherwise each pattern that names this prefix in any statement (such as
/// `s3:Get*` or `s3:PutObject`) becomes a probe of its own (`s3:GetPhiguardProbe`,
/// `s3:PutObject`), and the service is partly allowed when one of those
/// probes passes every level.
// NOTE: Partial is an estimate: a probe stands for the actions its pattern
// matches, and a policy that treats two of those actions differently through
// another pattern can make the real decision differ for some of them.
pub fn service_access_levels<L: AsRef<[PolicyDocument]>>(levels: &[L], prefix: &str) -> ServiceAccess {
    let any_action = format!("{prefix}:{PROBE_NAME}");
    if evaluate_levels(levels, &any_action).decision == Decision::Allowed {
        return ServiceAccess::Full;
    }
    let partly_allowed = levels
        .iter()
        .flat_map(|level| level.as_ref().iter())
        .flat_map(|policy| policy.statements.iter())
        .flat_map(|statement| statement.actions.patterns().iter())
        .filter_map(|pattern| probe_for(pattern, prefix))
        .any(|probe| evaluate_levels(levels, &probe).decision == Decision::Allowed);
    if partly_allowed {
        ServiceAccess::Partial
    } else {
        ServiceAccess::None
    }
}

/// Returns an action of the service `prefix` that `pattern` matches, or
/// `None` when the pattern names another service. Wildcards in the action
/// part become a made-up name, so the probe stands for the actions that the
/// pattern matches and no other pattern names.
fn probe_for(pattern: &str, prefix: &str) -> Option<String> {
    let (service, action) = pattern.split_once(':')?;
    if !action_matches(service, prefix) {
        return None;
    }
    let action = action.replace('*', "PhiguardProbe").replace('?', "X");
    Some(format!("{prefix}:{action}"))
}
