//! `Check`: what a rule concluded about one resource, before the scan
//! turns it into a finding.

use phiguard_model::{Attr, FindingResult, Location, Resource};

#[derive(Clone, Debug)]
pub struct Check<'m> {
    pub resource: &'m Resource,
    pub result: FindingResult,
    pub message: String,
    /// The reason the result is unknown or not applicable.
    pub reason: Option<String>,
    /// The location that decided the result.
    pub location: Location,
}

impl<'m> Check<'m> {
    pub fn pass(resource: &'m Resource, message: impl Into<String>, location: &Location) -> Self {
        Self::new(resource, FindingResult::Pass, message.into(), None, location)
    }

    pub fn fail(resource: &'m Resource, message: impl Into<String>, location: &Location) -> Self {
        Self::new(resource, FindingResult::Fail, message.into(), None, location)
    }

    /// A check that cannot be decided; `message` names what was being
    /// checked and `reason` why it cannot be decided.
    pub fn unknown(resource: &'m Resource, message: impl Into<String>, reason: impl Into<String>, location: &Location) -> Self {
        Self::new(resource, FindingResult::Unknown, message.into(), Some(reason.into()), location)
    }

    pub fn not_applicable(resource: &'m Resource, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self::new(resource, FindingResult::NotApplicable, reason.clone(), Some(reason), &resource.location)
    }

    /// Reads an attribute, or returns the `Unknown` check for it. Rules use
    /// it as `let value = match Check::read(...) { Ok(v) => v, Err(c) => return c };`.
    pub fn read<'a, T>(resource: &'m Resource, attr: &'a Attr<T>, what: &str) -> Result<&'a T, Check<'m>> {
        attr.get().map_err(|reason| Check::unknown(resource, format!("cannot tell {what}"), reason, attr.location()))
    }

    fn new(resource: &'m Resource, result: FindingResult, message: String, reason: Option<String>, location: &Location) -> Self {
        Self { resource, result, message, reason, location: location.clone() }
    }
}
