//! Rebuilds the catalog from a saved copy of the AWS HIPAA Eligible Services
//! Reference page, and reports which services were added, removed and renamed.
//!
//! The parser reads only lists and tables whose items are mostly AWS service
//! names, and skips navigation, header and footer elements. Reading every
//! `<li>` of the page instead lets site menus ("AWS Marketplace", "AWS
//! Careers") into the list as if they were eligible services.

use std::collections::BTreeSet;

use jiff::civil::Date;
use scraper::{ElementRef, Html, Node, Selector};

use crate::catalog::{normalize_name, Catalog, CatalogFile, Service, SERVICES_TOML};

/// The default minimum number of services a page must list, so that a page
/// whose layout changed fails loudly instead of shrinking the catalog. The
/// 2025 list has 166 entries.
pub const DEFAULT_MIN_SERVICES: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "found {found} service names in the page, fewer than the minimum of {minimum}; the page layout may have \
         changed, or the file is not the HIPAA Eligible Services Reference page. Check the file, or lower the \
         minimum with --min-services"
    )]
    TooFew { found: usize, minimum: usize },
    #[error("the page has no \"Last Updated\" date; pass the date of the list with --list-date YYYY-MM-DD")]
    NoDate,
    #[error("could not write the catalog as TOML: {0}")]
    Serialize(String),
}

/// One entry of the imported list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEntry {
    pub name: String,
    /// The bracketed text after the name, verbatim.
    pub qualifier: Option<String>,
}

/// The service list read from the page.
#[derive(Clone, Debug)]
pub struct ImportedList {
    pub entries: Vec<ImportedEntry>,
    /// The "Last Updated" date printed on the page.
    pub last_updated: Option<Date>,
    /// The page address from its canonical link, when present.
    pub canonical_url: Option<String>,
}

/// The changes between the catalog and the imported list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// `(old name, new name)` pairs, from a "formerly" note or a recorded former name.
    pub renamed: Vec<(String, String)>,
    /// `(old name, new name)` pairs guessed because the new name extends the
    /// old one; a person should confirm each.
    pub renamed_guessed: Vec<(String, String)>,
    /// `(name, old qualifier, new qualifier)` for services whose bracketed text changed.
    pub qualifier_changed: Vec<(String, String, String)>,
}

impl ImportDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.renamed_guessed.is_empty()
            && self.qualifier_changed.is_empty()
    }
}

/// Words that start every entry of the AWS list.
const SERVICE_NAME_STARTS: [&str; 5] = ["Amazon ", "AWS ", "Elastic ", "Alexa ", "VM Import"];
/// Share of items that must look like service names for a list to count.
const MIN_SERVICE_SHARE: f64 = 0.8;
/// Ancestors whose lists are site chrome, never the service list.
const CHROME_ELEMENTS: [&str; 4] = ["nav", "header", "footer", "aside"];

fn looks_like_service(text: &str) -> bool {
    SERVICE_NAME_STARTS.iter().any(|start| text.starts_with(start))
}

fn selector(css: &str) -> Selector {
    // The selectors are constants in this file, so a parse failure is a bug here.
    Selector::parse(css).unwrap_or_else(|error| panic!("invalid built-in selector {css:?}: {error}"))
}

/// Returns the text of an element, without the text of nested lists, with
/// whitespace (non-breaking spaces included) collapsed.
fn own_text(element: ElementRef<'_>) -> String {
    let mut text = String::new();
    collect_text(element, &mut text);
    text.replace('\u{a0}', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect_text(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(inner) if matches!(inner.name(), "ul" | "ol" | "script" | "style") => {}
            Node::Element(_) => {
                if let Some(inner) = ElementRef::wrap(child) {
                    collect_text(inner, out);
                }
            }
            _ => {}
        }
    }
    out.push(' ');
}

fn inside_chrome(element: ElementRef<'_>) -> bool {
    element.ancestors().filter_map(ElementRef::wrap).any(|ancestor| {
        let value = ancestor.value();
        let class_or_id = format!("{} {}", value.attr("class").unwrap_or_default(), value.attr("id").unwrap_or_default())
            .to_ascii_lowercase();
        CHROME_ELEMENTS.contains(&value.name())
            || value.attr("role") == Some("navigation")
            || class_or_id.contains("nav")
            || class_or_id.contains("footer")
            || class_or_id.contains("menu")
    })
}

/// Splits `Name [qualifier]` into its parts and drops any text after the closing bracket.
pub fn split_entry(text: &str) -> ImportedEntry {
    let text = text.trim().trim_end_matches('*').trim();
    if let (Some(open), Some(close)) = (text.find('['), text.rfind(']')) {
        if open < close {
            let name = text[..open].trim().to_string();
            let qualifier = text[open + 1..close].trim().to_string();
            return ImportedEntry { name, qualifier: (!qualifier.is_empty()).then_some(qualifier) };
        }
    }
    ImportedEntry { name: text.to_string(), qualifier: None }
}

/// Reads the service list, the "Last Updated" date and the canonical address from the page.
pub fn parse_reference_page(html: &str) -> ImportedList {
    let document = Html::parse_document(html);
    let mut seen = BTreeSet::new();
    let mut entries = Vec::new();
    let mut push = |text: String| {
        if text.is_empty() || !looks_like_service(&text) {
            return;
        }
        let entry = split_entry(&text);
        if seen.insert(normalize_name(&entry.name)) {
            entries.push(entry);
        }
    };

    for list in document.select(&selector("ul, ol")) {
        if inside_chrome(list) {
            continue;
        }
        let items: Vec<String> = list
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|child| child.value().name() == "li")
            .map(own_text)
            .collect();
        if is_service_list(&items) {
            items.into_iter().for_each(&mut push);
        }
    }
    // Some copies of the list (the HIPAA tab of the services-in-scope page) are a table.
    let cell_selector = selector("td, th");
    for table in document.select(&selector("table")) {
        if inside_chrome(table) {
            continue;
        }
        let firsts: Vec<String> = table
            .select(&selector("tr"))
            .filter_map(|row| row.select(&cell_selector).next().map(own_text))
            .collect();
        if is_service_list(&firsts) {
            firsts.into_iter().for_each(&mut push);
        }
    }

    let page_text = own_text(document.root_element());
    let last_updated = find_last_updated(&page_text);
    let canonical_url = document
        .select(&selector("link[rel=canonical]"))
        .next()
        .and_then(|link| link.value().attr("href"))
        .map(str::to_string);
    ImportedList { entries, last_updated, canonical_url }
}

fn is_service_list(items: &[String]) -> bool {
    let services = items.iter().filter(|text| looks_like_service(text)).count();
    items.len() >= 3 && services as f64 >= MIN_SERVICE_SHARE * items.len() as f64
}

/// Finds "Last Updated: July 14, 2026" (with or without the colon) in the page text.
fn find_last_updated(text: &str) -> Option<Date> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("last updated")? + "last updated".len();
    let rest = text[start..].trim_start_matches([':', ' ']);
    let words: Vec<&str> = rest.split_whitespace().take(3).collect();
    if words.len() < 3 {
        return None;
    }
    let candidate = words.join(" ").trim_end_matches(['.', ',']).to_string();
    jiff::fmt::strtime::parse("%B %d, %Y", &candidate).ok()?.to_date().ok()
}

/// Extracts `X` from "formerly X" in a name or qualifier.
fn former_name(entry: &ImportedEntry) -> Option<String> {
    let sources = [Some(entry.name.as_str()), entry.qualifier.as_deref()];
    for source in sources.into_iter().flatten() {
        let lower = source.to_ascii_lowercase();
        if let Some(at) = lower.find("formerly ") {
            let rest = &source[at + "formerly ".len()..];
            let end = rest.find([',', ')', ']', ';']).unwrap_or(rest.len());
            let name = rest[..end].trim();
            if !name.is_empty() {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// Builds the new catalog file from the current catalog and an imported list.
///
/// Services that stay keep their prefixes and dates. A renamed service keeps
/// them too and records its old name. An added service gets no prefixes,
/// which the caller must report so that someone maps them.
pub fn rebuild(current: &Catalog, imported: &ImportedList, list_date: Date) -> (CatalogFile, ImportDiff) {
    let mut diff = ImportDiff::default();
    let mut matched = vec![false; current.services.len()];
    let mut services = Vec::with_capacity(imported.entries.len());
    let mut unmatched_new = Vec::new();

    let find = |name: &str, matched: &[bool]| {
        let expected = normalize_name(name);
        current.services.iter().enumerate().position(|(index, service)| {
            !matched[index]
                && (normalize_name(&service.name) == expected
                    || service.former_names.iter().any(|former| normalize_name(former) == expected))
        })
    };

    for entry in &imported.entries {
        if let Some(index) = find(&entry.name, &matched) {
            matched[index] = true;
            let mut service = current.services[index].clone();
            if normalize_name(&service.name) != normalize_name(&entry.name) {
                diff.renamed.push((service.name.clone(), entry.name.clone()));
                service.former_names.push(std::mem::replace(&mut service.name, entry.name.clone()));
            }
            update_qualifier(&mut service, entry, &mut diff);
            services.push(service);
        } else if let Some(index) = former_name(entry).and_then(|former| find(&former, &matched)) {
            matched[index] = true;
            let mut service = current.services[index].clone();
            diff.renamed.push((service.name.clone(), entry.name.clone()));
            let old = std::mem::replace(&mut service.name, entry.name.clone());
            service.former_names.push(old);
            update_qualifier(&mut service, entry, &mut diff);
            services.push(service);
        } else {
            unmatched_new.push(entry.clone());
        }
    }

    // A new name that extends an unmatched old one ("AWS Security Hub" to
    // "AWS Security Hub CSPM") is a rename when exactly one old name fits.
    for entry in unmatched_new {
        let new_name = normalize_name(&entry.name);
        let candidates: Vec<usize> = current
            .services
            .iter()
            .enumerate()
            .filter(|(index, service)| {
                let old = normalize_name(&service.name);
                !matched[*index] && (new_name.starts_with(&format!("{old} ")) || old.starts_with(&format!("{new_name} ")))
            })
            .map(|(index, _)| index)
            .collect();
        // NOTE: this is a guess: "Amazon Aurora DSQL" extends "Amazon Aurora" but
        // is a new service, so the CLI prints these pairs for a person to confirm.
        if let [index] = candidates[..] {
            matched[index] = true;
            let mut service = current.services[index].clone();
            diff.renamed_guessed.push((service.name.clone(), entry.name.clone()));
            let old = std::mem::replace(&mut service.name, entry.name.clone());
            service.former_names.push(old);
            update_qualifier(&mut service, &entry, &mut diff);
            services.push(service);
            continue;
        }
        diff.added.push(entry.name.clone());
        services.push(Service {
            name: entry.name.clone(),
            qualifier: entry.qualifier.clone(),
            prefixes: Vec::new(),
            unconfirmed_prefixes: Vec::new(),
            exclusions: exclusions_from(entry.qualifier.as_deref()),
            former_names: Vec::new(),
            listed_since: list_date.to_string(),
            source: None,
        });
    }
    for (index, service) in current.services.iter().enumerate() {
        if !matched[index] {
            diff.removed.push(service.name.clone());
        }
    }

    let mut meta = current.meta.clone();
    meta.list_date = list_date.to_string();
    meta.version = format!("{}-1", list_date.strftime("%Y.%m.%d"));
    meta.source = format!(
        "AWS HIPAA Eligible Services Reference, saved copy imported with `phiguard services import`{}",
        imported.canonical_url.as_deref().map(|url| format!(" from {url}")).unwrap_or_default()
    );
    if let Some(url) = &imported.canonical_url {
        meta.source_url = url.clone();
    }
    let file = CatalogFile {
        catalog: meta,
        services,
        supporting: current.supporting.clone(),
        non_eligible: current.non_eligible.clone(),
    };
    (file, diff)
}

fn update_qualifier(service: &mut Service, entry: &ImportedEntry, diff: &mut ImportDiff) {
    let normalized = |qualifier: &Option<String>| qualifier.as_deref().map(normalize_name);
    if normalized(&service.qualifier) == normalized(&entry.qualifier) {
        // A change of case or spacing only ("Sagemaker" to "SageMaker") keeps AWS's new text
        // without reporting it, so the exclusions split by hand stay.
        service.qualifier = entry.qualifier.clone();
        return;
    }
    diff.qualifier_changed.push((
        entry.name.clone(),
        service.qualifier.clone().unwrap_or_default(),
        entry.qualifier.clone().unwrap_or_default(),
    ));
    service.qualifier = entry.qualifier.clone();
    service.exclusions = exclusions_from(entry.qualifier.as_deref());
}

/// Keeps a qualifier that speaks of exclusions as one exclusion, verbatim.
// NOTE: the hand-written catalog splits exclusions into features; an import
// keeps AWS's sentence whole until someone splits it.
fn exclusions_from(qualifier: Option<&str>) -> Vec<String> {
    match qualifier {
        Some(text) if text.to_ascii_lowercase().contains("exclud") || text.to_ascii_lowercase().contains(" only") => {
            vec![text.to_string()]
        }
        _ => Vec::new(),
    }
}

/// Writes a catalog file as TOML, under the same field documentation as the
/// shipped data file.
pub fn to_toml(file: &CatalogFile) -> Result<String, ImportError> {
    let body = toml::to_string(file).map_err(|error| ImportError::Serialize(error.to_string()))?;
    // The shipped file opens with comment lines that document every field.
    let header: String = SERVICES_TOML
        .lines()
        .take_while(|line| line.starts_with('#') || line.trim().is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    Ok(format!(
        "{header}# Services added by an import have no prefixes yet: map them by hand.\n\n{body}"
    ))
}

/// Checks the imported list against a minimum size and picks its date.
pub fn validate(imported: &ImportedList, min_services: usize, list_date: Option<Date>) -> Result<Date, ImportError> {
    if imported.entries.len() < min_services {
        return Err(ImportError::TooFew { found: imported.entries.len(), minimum: min_services });
    }
    list_date.or(imported.last_updated).ok_or(ImportError::NoDate)
}
