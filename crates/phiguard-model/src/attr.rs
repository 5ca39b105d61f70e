//! `Attr<T>`: a model value with its provenance and location.

use crate::location::Location;

/// The origin of an attribute's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// The input sets the value.
    Explicit,
    /// The input leaves the value out and the service's documented default
    /// applies.
    Default,
    /// The value cannot be determined from the input: it is known only after
    /// apply, comes from an unresolved reference or parameter, or an API call
    /// was denied. The string gives the reason.
    Unknown(String),
}

/// A model value together with its provenance and its location in the input.
///
/// The value is `None` exactly when the provenance is [`Provenance::Unknown`],
/// which the constructors enforce.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr<T> {
    value: Option<T>,
    provenance: Provenance,
    location: Location,
}

impl<T> Attr<T> {
    pub fn explicit(value: T, location: Location) -> Self {
        Self { value: Some(value), provenance: Provenance::Explicit, location }
    }

    pub fn default_value(value: T, location: Location) -> Self {
        Self { value: Some(value), provenance: Provenance::Default, location }
    }

    pub fn unknown(reason: impl Into<String>, location: Location) -> Self {
        Self { value: None, provenance: Provenance::Unknown(reason.into()), location }
    }

    /// Returns the value, or the reason it is unknown.
    pub fn get(&self) -> Result<&T, &str> {
        match (&self.value, &self.provenance) {
            (Some(value), _) => Ok(value),
            (None, Provenance::Unknown(reason)) => Err(reason),
            (None, _) => Err("value missing"),
        }
    }

    pub fn known(&self) -> Option<&T> {
        self.value.as_ref()
    }

    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    pub fn is_explicit(&self) -> bool {
        self.provenance == Provenance::Explicit
    }

    pub fn is_default(&self) -> bool {
        self.provenance == Provenance::Default
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Converts the value, keeping provenance and location.
    pub fn map<U>(self, convert: impl FnOnce(T) -> U) -> Attr<U> {
        Attr { value: self.value.map(convert), provenance: self.provenance, location: self.location }
    }
}

impl<T: Default> Attr<T> {
    /// Creates an attribute that the input leaves out, with the type's default as the
    /// service default (for example `false` for an unset boolean flag).
    pub fn absent(location: Location) -> Self {
        Self::default_value(T::default(), location)
    }
}
