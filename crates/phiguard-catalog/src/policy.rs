//! IAM policy documents as service control policies use them: parsing, the
//! minified size that AWS counts, and a small evaluator that decides whether a
//! set of SCPs allows an action.
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

/// How much of one service's actions a set of SCPs allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceAccess {
    /// Every action of the service.
    Full,
    /// Some actions only.
    Partial,
    None,
}

/// Estimates how much of the service with `prefix` the policies allow.
///
/// An action name that no real service uses stands for "any action": if it is
/// allowed, the policies allow the whole service. Otherwise any pattern that
/// names this prefix in an Allow statement or in a Deny `NotAction` list means
/// some actions may be allowed.
// NOTE: Partial is an estimate from the patterns; it does not prove that a
// given real action is allowed.
pub fn service_access(policies: &[PolicyDocument], prefix: &str) -> ServiceAccess {
    let probe = format!("{prefix}:PhiguardProbeAnyAction");
    if evaluate(policies, &probe) == Decision::Allowed {
        return ServiceAccess::Full;
    }
    let names_prefix = |pattern: &String| {
        let service = pattern.split(':').next().unwrap_or_default();
        pattern.contains(':') && action_matches(service, prefix)
    };
    let statements = || policies.iter().flat_map(|policy| policy.statements.iter());

    // Some pattern must single out this service: an Allow that lists some of
    // its actions, or a Deny NotAction that exempts some of them.
    let mentioned = statements().any(|statement| match (&statement.effect, &statement.actions) {
        (Effect::Allow, ActionList::Action(patterns)) => patterns.iter().any(names_prefix),
        (Effect::Deny, ActionList::NotAction(patterns)) => patterns.iter().any(names_prefix),
        _ => false,
    });
    // And some Allow must reach the service at all, or the exemptions allow nothing.
    let allowed_somewhere = statements().any(|statement| {
        statement.effect == Effect::Allow
            && (statement.actions.covers(&probe)
                || matches!(&statement.actions, ActionList::Action(patterns) if patterns.iter().any(names_prefix)))
    });
    if mentioned && allowed_somewhere {
        ServiceAccess::Partial
    } else {
        ServiceAccess::None
    }
}
