//! The HIPAA eligible services catalog: the services on the AWS list, the IAM
//! prefixes each one owns, the supporting and known non-eligible prefixes, and
//! lookups by service name, IAM prefix or resource type.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::resource_types::ResourceTypeTable;
use crate::CatalogError;

/// The catalog data file, embedded so that the binary needs no data at run time.
pub const SERVICES_TOML: &str = include_str!("../data/hipaa-eligible-services.toml");
/// The resource type table, embedded for the same reason.
pub const RESOURCE_TYPES_TSV: &str = include_str!("../data/resource-types.tsv");

/// Age in days after which [`Catalog::age_warning`] returns a warning, because
/// AWS adds services to the list several times a year.
pub const MAX_AGE_DAYS: i32 = 180;

/// The origin and date of the catalog data.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    /// Version of the data file layout.
    pub format: u32,
    /// Version of the catalog content, `YYYY.MM.DD-N` after the list date.
    pub version: String,
    /// Date of the AWS list that the catalog copies, `YYYY-MM-DD`.
    pub list_date: String,
    pub source: String,
    pub source_url: String,
    /// Date on which the IAM prefixes were last checked, `YYYY-MM-DD`.
    pub prefixes_checked: String,
    pub prefixes_source: String,
}

/// One service on the AWS HIPAA eligible services list.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The name exactly as the AWS list writes it, without the bracketed qualifier.
    pub name: String,
    /// The bracketed text that follows the name on the list, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// IAM prefixes confirmed as part of this service.
    pub prefixes: Vec<String>,
    /// IAM prefixes that may belong to this service but are not confirmed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unconfirmed_prefixes: Vec<String>,
    /// Features that AWS excludes from eligibility.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_names: Vec<String>,
    /// Date of the oldest list copy known to contain the service, `YYYY-MM-DD`.
    pub listed_since: String,
    /// The origin of the entry, when it is not the list named in the catalog header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Service {
    /// Returns the entry as the AWS list prints it: the name and its qualifier in brackets.
    pub fn listed_as(&self) -> String {
        match &self.qualifier {
            Some(qualifier) => format!("{} [{}]", self.name, qualifier),
            None => self.name.clone(),
        }
    }
}

/// A service that is not on the list but is needed to run an account.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportingService {
    pub prefix: String,
    pub name: String,
    /// The need the service meets: identity, billing, support and so on.
    pub purpose: String,
}

/// A service known not to be eligible, or a prefix that carries excluded features.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonEligibleService {
    pub prefix: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The layout of the services data file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub catalog: CatalogMeta,
    #[serde(rename = "service")]
    pub services: Vec<Service>,
    #[serde(default)]
    pub supporting: Vec<SupportingService>,
    #[serde(default)]
    pub non_eligible: Vec<NonEligibleService>,
}

/// The status of an IAM prefix or a resource type under the HIPAA list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Eligibility {
    /// Owned by a service on the list.
    Eligible,
    /// Possibly owned by a listed service, but not confirmed.
    Unconfirmed,
    /// Not on the list, needed to operate, and must not hold ePHI.
    Supporting,
    /// Not on the list, or excluded by AWS.
    NotEligible,
    /// Not in the catalog at all.
    Unknown,
}

impl Eligibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::Eligible => "eligible",
            Eligibility::Unconfirmed => "unconfirmed",
            Eligibility::Supporting => "supporting",
            Eligibility::NotEligible => "not eligible",
            Eligibility::Unknown => "unknown",
        }
    }
}

/// The kind of entry a lookup matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    ServiceName,
    Prefix,
    ResourceType,
    Nothing,
}

/// The result of looking up a service name, an IAM prefix or a resource type.
#[derive(Clone, Debug, Serialize)]
pub struct Lookup<'c> {
    pub query: String,
    pub matched: MatchKind,
    pub eligibility: Eligibility,
    /// The IAM prefix behind the query; empty for a service name with several prefixes.
    pub prefixes: Vec<String>,
    /// The listed services that own the prefix or carry the name.
    pub services: Vec<&'c Service>,
    /// The name of the supporting or non-eligible service, when that is what matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_name: Option<String>,
    /// The reason the prefix is not eligible or not confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Lookup<'_> {
    /// Returns the earliest `listed_since` date of the matched services.
    pub fn listed_since(&self) -> Option<&str> {
        self.services.iter().map(|service| service.listed_since.as_str()).min()
    }
}

/// The catalog installed at startup in place of the embedded one.
static ACTIVE: OnceLock<Catalog> = OnceLock::new();

/// The parsed, validated catalog.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub meta: CatalogMeta,
    pub services: Vec<Service>,
    pub supporting: Vec<SupportingService>,
    pub non_eligible: Vec<NonEligibleService>,
    pub resource_types: ResourceTypeTable,
    list_date: Date,
}

impl Catalog {
    /// Returns the catalog embedded at build time.
    ///
    /// The embedded files are checked by this crate's tests, so a parse error
    /// here means the binary was built from data that fails them.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(SERVICES_TOML, RESOURCE_TYPES_TSV)
                .unwrap_or_else(|error| panic!("the embedded catalog data is invalid: {error}"))
        })
    }

    /// Returns the catalog that commands use: the one installed with
    /// [`Catalog::install`], else the embedded one.
    pub fn active() -> &'static Catalog {
        ACTIVE.get().unwrap_or_else(|| Catalog::embedded())
    }

    /// Makes `catalog` the one [`Catalog::active`] returns for the rest of
    /// the process. Returns it back as the error when a catalog was already
    /// installed, because rules that ran before must not see another list.
    pub fn install(catalog: Catalog) -> Result<&'static Catalog, Catalog> {
        ACTIVE.set(catalog)?;
        Ok(Catalog::active())
    }

    /// Reads a services data file, such as one that `phiguard services
    /// import` wrote, and pairs it with the embedded resource type table.
    pub fn from_services_file(path: &std::path::Path) -> Result<Catalog, CatalogError> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| CatalogError::Read { file: path.display().to_string(), message: error.to_string() })?;
        let file: CatalogFile = toml::from_str(&text)
            .map_err(|error| CatalogError::Syntax { file: path.display().to_string(), message: error.to_string() })?;
        Catalog::from_parts(file, ResourceTypeTable::parse(RESOURCE_TYPES_TSV)?)
    }

    /// Parses and validates a services data file and a resource type table.
    pub fn parse(services_toml: &str, resource_types_tsv: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = toml::from_str(services_toml).map_err(|error| CatalogError::Syntax {
            file: "hipaa-eligible-services.toml".into(),
            message: error.to_string(),
        })?;
        let table = ResourceTypeTable::parse(resource_types_tsv)?;
        Catalog::from_parts(file, table)
    }

    /// Validates parsed data and builds the catalog.
    pub fn from_parts(file: CatalogFile, resource_types: ResourceTypeTable) -> Result<Catalog, CatalogError> {
        let list_date = parse_date("catalog.list_date", &file.catalog.list_date)?;
        parse_date("catalog.prefixes_checked", &file.catalog.prefixes_checked)?;

        let mut names = BTreeSet::new();
        for service in &file.services {
            if !names.insert(service.name.as_str()) {
                return Err(CatalogError::Duplicate { what: "service name", value: service.name.clone() });
            }
            parse_date(&format!("listed_since of {}", service.name), &service.listed_since)?;
            let mut own = BTreeSet::new();
            for prefix in service.prefixes.iter().chain(&service.unconfirmed_prefixes) {
                check_prefix_syntax(prefix)?;
                if !own.insert(prefix.as_str()) {
                    return Err(CatalogError::Duplicate {
                        what: "prefix within a service",
                        value: format!("{prefix} in {}", service.name),
                    });
                }
            }
        }

        let eligible: BTreeSet<&str> = file.services.iter().flat_map(|s| s.prefixes.iter().map(String::as_str)).collect();
        let mut others = BTreeSet::new();
        for (prefix, list) in file
            .supporting
            .iter()
            .map(|s| (&s.prefix, "supporting"))
            .chain(file.non_eligible.iter().map(|s| (&s.prefix, "non_eligible")))
        {
            check_prefix_syntax(prefix)?;
            if !others.insert(prefix.as_str()) {
                return Err(CatalogError::Duplicate { what: "supporting or non-eligible prefix", value: prefix.clone() });
            }
            if eligible.contains(prefix.as_str()) {
                return Err(CatalogError::Conflict {
                    prefix: prefix.clone(),
                    message: format!("it is owned by a listed service and also appears in [[{list}]]"),
                });
            }
        }

        let catalog = Catalog {
            meta: file.catalog,
            services: file.services,
            supporting: file.supporting,
            non_eligible: file.non_eligible,
            resource_types,
            list_date,
        };
        catalog.check_resource_types()?;
        Ok(catalog)
    }

    /// Checks that every type maps to a prefix the catalog knows, and that a
    /// named service exists and owns that prefix.
    fn check_resource_types(&self) -> Result<(), CatalogError> {
        for entry in self.resource_types.entries() {
            if self.classify_prefix(&entry.prefix).0 == Eligibility::Unknown {
                return Err(CatalogError::UnknownPrefix {
                    resource_type: entry.resource_type.clone(),
                    prefix: entry.prefix.clone(),
                    line: entry.line,
                });
            }
            if let Some(name) = &entry.service {
                let owner = self.service(name).ok_or_else(|| CatalogError::UnknownService {
                    resource_type: entry.resource_type.clone(),
                    service: name.clone(),
                    line: entry.line,
                })?;
                let owns = owner.prefixes.iter().chain(&owner.unconfirmed_prefixes).any(|p| p == &entry.prefix);
                if !owns {
                    return Err(CatalogError::Conflict {
                        prefix: entry.prefix.clone(),
                        message: format!(
                            "line {} maps {} to the service {name}, which does not own this prefix",
                            entry.line, entry.resource_type
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Returns the date of the AWS list that the catalog copies.
    pub fn list_date(&self) -> Date {
        self.list_date
    }

    /// Returns a warning when the list is older than [`MAX_AGE_DAYS`] on `today`.
    pub fn age_warning(&self, today: Date) -> Option<String> {
        let age = (today - self.list_date).get_days();
        // `Span::get_days` is exact here because civil date subtraction yields days only.
        if age <= MAX_AGE_DAYS {
            return None;
        }
        Some(format!(
            "warning: the HIPAA eligible services catalog copies the AWS list of {}, {age} days ago \
             (more than {MAX_AGE_DAYS}). AWS adds services several times a year, so a newer service may be \
             reported as not eligible. Save the current AWS page ({}), run `phiguard services import FILE --output services.toml`, and pass `--catalog services.toml`.",
            self.meta.list_date, self.meta.source_url
        ))
    }

    /// Returns [`Catalog::age_warning`] for the current date in the system time zone.
    pub fn age_warning_now(&self) -> Option<String> {
        self.age_warning(jiff::Zoned::now().date())
    }

    /// Finds a listed service by its name or a former name, ignoring case.
    pub fn service(&self, name: &str) -> Option<&Service> {
        let expected = normalize_name(name);
        self.services.iter().find(|service| normalize_name(&service.name) == expected).or_else(|| {
            self.services.iter().find(|service| {
                normalize_name(&service.listed_as()) == expected
                    || service.former_names.iter().any(|former| normalize_name(former) == expected)
            })
        })
    }

    /// Classifies an IAM prefix: its eligibility, the listed services that own
    /// it, the name of the supporting or non-eligible service, and the reason.
    fn classify_prefix(&self, prefix: &str) -> (Eligibility, Vec<&Service>, Option<String>, Option<String>) {
        let prefix = prefix.to_ascii_lowercase();
        let owners: Vec<&Service> = self.services.iter().filter(|s| s.prefixes.contains(&prefix)).collect();
        if !owners.is_empty() {
            return (Eligibility::Eligible, owners, None, None);
        }
        if let Some(support) = self.supporting.iter().find(|s| s.prefix == prefix) {
            let reason = format!("supporting service for {}; it must not store or process ePHI", support.purpose);
            return (Eligibility::Supporting, Vec::new(), Some(support.name.clone()), Some(reason));
        }
        if let Some(other) = self.non_eligible.iter().find(|s| s.prefix == prefix) {
            let reason = other.reason.clone().unwrap_or_else(|| "not on the AWS HIPAA eligible services list".into());
            return (Eligibility::NotEligible, Vec::new(), Some(other.name.clone()), Some(reason));
        }
        let maybe: Vec<&Service> = self.services.iter().filter(|s| s.unconfirmed_prefixes.contains(&prefix)).collect();
        if !maybe.is_empty() {
            let names: Vec<&str> = maybe.iter().map(|s| s.name.as_str()).collect();
            let reason = format!("not confirmed as part of {}", names.join(", "));
            return (Eligibility::Unconfirmed, maybe, None, Some(reason));
        }
        (Eligibility::Unknown, Vec::new(), None, None)
    }

    /// Looks up an IAM prefix.
    pub fn lookup_prefix(&self, prefix: &str) -> Lookup<'_> {
        let (eligibility, services, other_name, reason) = self.classify_prefix(prefix);
        let matched = if eligibility == Eligibility::Unknown { MatchKind::Nothing } else { MatchKind::Prefix };
        let reason = reason.or_else(|| {
            (eligibility == Eligibility::Unknown).then(|| format!("the IAM prefix {prefix} is not in the catalog"))
        });
        Lookup {
            query: prefix.to_string(),
            matched,
            eligibility,
            prefixes: vec![prefix.to_ascii_lowercase()],
            services,
            other_name,
            reason,
        }
    }

    /// Looks up a Terraform (`aws_s3_bucket`) or CloudFormation (`AWS::S3::Bucket`) type.
    pub fn lookup_resource_type(&self, resource_type: &str) -> Lookup<'_> {
        let Some(entry) = self.resource_types.get(resource_type) else {
            return Lookup {
                query: resource_type.to_string(),
                matched: MatchKind::Nothing,
                eligibility: Eligibility::Unknown,
                prefixes: Vec::new(),
                services: Vec::new(),
                other_name: None,
                reason: Some(format!("the resource type {resource_type} is not in the resource type table")),
            };
        };
        let mut lookup = self.lookup_prefix(&entry.prefix);
        lookup.query = resource_type.to_string();
        lookup.matched = MatchKind::ResourceType;
        if let Some(name) = &entry.service {
            // The table names the one service that runs this type, out of the prefix's owners.
            lookup.services.retain(|service| &service.name == name);
            if lookup.services.is_empty() {
                lookup.services.extend(self.service(name));
            }
        }
        lookup
    }

    /// Looks up a listed service by name.
    pub fn lookup_service(&self, name: &str) -> Option<Lookup<'_>> {
        let service = self.service(name)?;
        Some(Lookup {
            query: name.to_string(),
            matched: MatchKind::ServiceName,
            eligibility: Eligibility::Eligible,
            prefixes: service.prefixes.clone(),
            services: vec![service],
            other_name: None,
            reason: None,
        })
    }

    /// Looks up a query of any kind: a resource type, a service name, then an IAM prefix.
    pub fn lookup(&self, query: &str) -> Lookup<'_> {
        let query = query.trim();
        if query.starts_with("aws_") || query.to_ascii_lowercase().starts_with("aws::") {
            return self.lookup_resource_type(query);
        }
        if let Some(found) = self.lookup_service(query) {
            return found;
        }
        if let Some(found) = self.supporting.iter().find(|s| s.name.eq_ignore_ascii_case(query)) {
            return self.lookup_prefix(&found.prefix.clone());
        }
        if let Some(found) = self.non_eligible.iter().find(|s| s.name.eq_ignore_ascii_case(query)) {
            return self.lookup_prefix(&found.prefix.clone());
        }
        self.lookup_prefix(query)
    }

    /// Returns every confirmed eligible prefix, sorted and without duplicates.
    pub fn eligible_prefixes(&self) -> BTreeSet<String> {
        self.services.iter().flat_map(|s| s.prefixes.iter().cloned()).collect()
    }

    /// Returns every unconfirmed prefix with the services that may own it.
    pub fn unconfirmed_prefixes(&self) -> BTreeMap<String, Vec<String>> {
        let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for service in &self.services {
            for prefix in &service.unconfirmed_prefixes {
                found.entry(prefix.clone()).or_default().push(service.name.clone());
            }
        }
        found
    }

    /// Returns every supporting prefix, sorted.
    pub fn supporting_prefixes(&self) -> BTreeSet<String> {
        self.supporting.iter().map(|s| s.prefix.clone()).collect()
    }

    /// Returns the data as the services file layout, for writing it back.
    pub fn to_file(&self) -> CatalogFile {
        CatalogFile {
            catalog: self.meta.clone(),
            services: self.services.clone(),
            supporting: self.supporting.clone(),
            non_eligible: self.non_eligible.clone(),
        }
    }
}

/// Lowercases a service name and collapses its whitespace, for comparisons.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn parse_date(field: &str, value: &str) -> Result<Date, CatalogError> {
    value.parse::<Date>().map_err(|error| CatalogError::InvalidDate {
        field: field.to_string(),
        value: value.to_string(),
        message: error.to_string(),
    })
}

/// Checks that a prefix looks like an IAM service prefix: lowercase ASCII
/// letters, digits and hyphens.
pub fn check_prefix_syntax(prefix: &str) -> Result<(), CatalogError> {
    let valid = !prefix.is_empty()
        && prefix.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !prefix.starts_with('-')
        && !prefix.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(CatalogError::InvalidPrefix { prefix: prefix.to_string() })
    }
}
