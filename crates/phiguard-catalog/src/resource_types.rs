//! The table that maps Terraform and CloudFormation resource types to the IAM
//! prefix of the service that runs them.

use std::collections::BTreeMap;

use crate::CatalogError;

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceTypeEntry {
    /// `aws_s3_bucket` or `AWS::S3::Bucket`.
    pub resource_type: String,
    pub prefix: String,
    /// The listed service that runs the type, where several services share the prefix.
    pub service: Option<String>,
    /// Line number in the table, for error messages.
    pub line: usize,
}

/// The parsed table, keyed by resource type.
#[derive(Clone, Debug, Default)]
pub struct ResourceTypeTable {
    entries: BTreeMap<String, ResourceTypeEntry>,
}

impl ResourceTypeTable {
    /// Parses the tab-separated table, rejecting duplicates and malformed rows.
    pub fn parse(text: &str) -> Result<ResourceTypeTable, CatalogError> {
        let mut entries = BTreeMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = raw.split('\t').map(str::trim).collect();
            let malformed = |message: &str| CatalogError::Table { line, message: format!("{message}: {raw:?}") };
            if !(2..=3).contains(&fields.len()) {
                return Err(malformed("expected `type<TAB>prefix` with an optional `<TAB>service name`"));
            }
            let resource_type = fields[0];
            if !is_resource_type(resource_type) {
                return Err(malformed("the type must start with `aws_` or `AWS::`"));
            }
            crate::catalog::check_prefix_syntax(fields[1])?;
            let service = fields.get(2).filter(|name| !name.is_empty()).map(|name| name.to_string());
            let entry = ResourceTypeEntry {
                resource_type: resource_type.to_string(),
                prefix: fields[1].to_string(),
                service,
                line,
            };
            if let Some(first) = entries.insert(resource_type.to_string(), entry) {
                return Err(CatalogError::Duplicate {
                    what: "resource type",
                    value: format!("{resource_type} on lines {} and {line}", first.line),
                });
            }
        }
        Ok(ResourceTypeTable { entries })
    }

    /// Finds a type. Terraform types match exactly; CloudFormation types ignore case,
    /// as CloudFormation does.
    pub fn get(&self, resource_type: &str) -> Option<&ResourceTypeEntry> {
        if let Some(entry) = self.entries.get(resource_type) {
            return Some(entry);
        }
        if resource_type.to_ascii_lowercase().starts_with("aws::") {
            let expected = resource_type.to_ascii_lowercase();
            return self.entries.values().find(|entry| entry.resource_type.to_ascii_lowercase() == expected);
        }
        None
    }

    pub fn entries(&self) -> impl Iterator<Item = &ResourceTypeEntry> {
        self.entries.values()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Returns whether a string is a Terraform AWS or CloudFormation AWS resource type.
pub fn is_resource_type(value: &str) -> bool {
    let terraform = value.starts_with("aws_")
        && value.len() > 4
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let cloudformation = value.starts_with("AWS::")
        && value.split("::").count() == 3
        && value.split("::").all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
    terraform || cloudformation
}
