//! The typed model of AWS resources that every rule reads, and the finding
//! types that every reporter renders.
//!
//! Adapters (Terraform plan, CloudFormation, and later HCL and live AWS) fill
//! a [`Model`]; rules read it and never see the input format. Every attribute
//! is an [`Attr`] that records where its value came from and where it sits in
//! the input, so a finding can point at the exact line.

pub mod attr;
pub mod finding;
pub mod location;
pub mod resource;
pub mod services;

pub use attr::{Attr, Provenance};
pub use finding::{Citation, Finding, FindingResult, ResourceRef, Severity, Specification};
pub use location::Location;
pub use resource::{Model, Resource, ResourceKind};
