//! The HIPAA eligible services catalog and the SCP generator.
//!
//! The catalog is the AWS HIPAA Eligible Services list as a dated data file,
//! embedded at build time, with the IAM prefixes each service owns and a table
//! that maps Terraform and CloudFormation resource types to those prefixes.
//! The SCP module generates and checks service control policies that allow
//! only eligible and supporting services, within the SCP size limits.

pub mod catalog;
pub mod import;
pub mod policy;
pub mod resource_types;
pub mod scp;

pub use catalog::{Catalog, Eligibility, Lookup, MatchKind, Service};

/// An error in the catalog data files.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{file} is not valid TOML for the catalog layout: {message}")]
    Syntax { file: String, message: String },
    #[error("cannot read {file}: {message}")]
    Read { file: String, message: String },
    #[error("invalid date {value:?} in {field}: {message}; write dates as YYYY-MM-DD")]
    InvalidDate { field: String, value: String, message: String },
    #[error("duplicate {what}: {value}; keep one entry")]
    Duplicate { what: &'static str, value: String },
    #[error("invalid IAM prefix {prefix:?}: use lowercase letters, digits and hyphens")]
    InvalidPrefix { prefix: String },
    #[error("IAM prefix {prefix}: {message}")]
    Conflict { prefix: String, message: String },
    #[error(
        "resource-types.tsv line {line}: {resource_type} maps to the IAM prefix {prefix}, which is in neither \
         the eligible services nor the supporting or non-eligible lists; add it to one of them"
    )]
    UnknownPrefix { resource_type: String, prefix: String, line: usize },
    #[error("resource-types.tsv line {line}: {resource_type} names the service {service:?}, which is not in the catalog")]
    UnknownService { resource_type: String, service: String, line: usize },
    #[error("resource-types.tsv line {line}: {message}")]
    Table { line: usize, message: String },
}
