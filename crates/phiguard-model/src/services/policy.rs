//! IAM policy documents, in the shape rules need: statements with effect,
//! actions, resources, principals and conditions.

/// An IAM policy document.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Copy)]
pub enum Effect {
    Allow,
    Deny,
}

/// One condition test, such as `Bool aws:SecureTransport false`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub effect: Effect,
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub resources: Vec<String>,
    /// Principals as written: `*`, account ids, ARNs or service names.
    pub principals: Vec<String>,
    pub conditions: Vec<Condition>,
}
