//! The built-in candidate patterns. All of them compile into one multi-pattern
//! regex, so the haystack is read once however many detectors are on. Each
//! pattern's [`Shape`] sets how its candidates are validated and classified.
//!
//! The patterns are byte regexes with Unicode off: `\d` is `[0-9]` and `\b` is
//! an ASCII word boundary, which keeps the search on the fast lazy DFA even
//! when the input is not valid UTF-8.

/// The way the engine interprets a candidate from one pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Three, two and four digits with separators: an SSN candidate.
    SeparatedSsn,
    /// Nine to eleven bare digits: an SSN, an NPI or a phone number.
    DigitRun,
    /// Nine digits and a Beneficiary Identification Code: an SSA-form HICN.
    HicnSsa,
    /// One to three capital letters and six to nine digits: a DEA number or an
    /// RRB-form HICN.
    LettersDigits,
    Mbi,
    Phone,
    Ndc,
    Ipv4,
    Email,
    Icd10,
    /// A calendar date. It becomes a date of birth only through context.
    Date,
    /// A street address, optionally with city, state and ZIP.
    Address,
    /// A value after a ZIP keyword; capture group 1 is the value.
    ZipKeyword,
    /// A value after a medical record keyword; capture group 1 is the value.
    MrnKeyword,
    /// A value after a health plan member keyword; capture group 1 is the value.
    MemberKeyword,
    /// A detector from config, by index into `PhiConfig::custom`.
    Custom(u16),
}

impl Shape {
    /// Returns true for patterns whose reported span is capture group 1.
    pub fn uses_capture(self) -> bool {
        matches!(self, Shape::ZipKeyword | Shape::MrnKeyword | Shape::MemberKeyword)
    }
}

/// Street suffixes accepted at the end of a street address.
const STREET_SUFFIX: &str = "(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Ter|Terrace|Pkwy|Parkway|Cir|Circle|Hwy|Highway|Sq|Square|Trl|Trail)";

/// Separator between a keyword and its value: optional quotes, then `:`, `=`
/// or `#`, or only spaces.
const KEY_VALUE_SEPARATOR: &str = r#"["']?[ \t]{0,3}[:=#]?[ \t]{0,3}["']?"#;

/// Returns the built-in patterns in priority order: where two patterns match
/// at the same start, the earlier one wins.
pub fn built_in() -> Vec<(String, Shape)> {
    let mbi_letter = "[AC-HJKMNP-RT-Yac-hjkmnp-rt-y]";
    let mbi_alnum = "[AC-HJKMNP-RT-Yac-hjkmnp-rt-y0-9]";
    vec![
        (
            format!(
                r"(?i:\b(?:mrn|medical[ _-]?record(?:[ _-]?(?:number|num|no))?|med[ _-]?rec[ _-]?(?:no|num)|chart[ _-]?(?:number|num|no)|patient[ _-]?id|patientid))\b{KEY_VALUE_SEPARATOR}([A-Za-z0-9][A-Za-z0-9-]{{3,19}})\b"
            ),
            Shape::MrnKeyword,
        ),
        (
            format!(
                r"(?i:\b(?:member[ _-]?(?:id|number|no|num)|memberid|subscriber[ _-]?(?:id|number|no)|policy[ _-]?(?:number|no|id)|insurance[ _-]?id|health[ _-]?plan[ _-]?id))\b{KEY_VALUE_SEPARATOR}([A-Za-z0-9][A-Za-z0-9-]{{4,19}})\b"
            ),
            Shape::MemberKeyword,
        ),
        (
            format!(r"(?i:\b(?:zip|zipcode|zip[ _-]code|postal[ _-]?code|postcode))\b{KEY_VALUE_SEPARATOR}([0-9]{{5}}(?:-[0-9]{{4}})?)\b"),
            Shape::ZipKeyword,
        ),
        (r"\b[0-9]{3}[- .][0-9]{2}[- .][0-9]{4}\b".to_string(), Shape::SeparatedSsn),
        (r"\b[0-9]{9,11}\b".to_string(), Shape::DigitRun),
        (r"\b[0-9]{9}[A-Z][1-9]?\b".to_string(), Shape::HicnSsa),
        (
            format!(r"\b[1-9]{mbi_letter}{mbi_alnum}[0-9]-?{mbi_letter}{mbi_alnum}[0-9]-?{mbi_letter}{{2}}[0-9]{{2}}\b"),
            Shape::Mbi,
        ),
        (r"\b[A-Z]{1,3}[0-9]{6,9}(?:-[A-Z0-9]{1,8})?\b".to_string(), Shape::LettersDigits),
        (
            r"(?:\+1[-. ]?|\b1[-. ])?(?:\([0-9]{3}\) ?|\b[0-9]{3}[-. ])[0-9]{3}[-. ][0-9]{4}\b".to_string(),
            Shape::Phone,
        ),
        (r"\b[0-9]{4,6}-[0-9]{3,4}-[0-9]{1,2}\b".to_string(), Shape::Ndc),
        (r"\b[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\b".to_string(), Shape::Ipv4),
        (
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b".to_string(),
            Shape::Email,
        ),
        (r"\b[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\b".to_string(), Shape::Icd10),
        (
            r"\b(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})|[0-9]{2}-[0-9]{2}-[0-9]{4}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? [0-9]{1,2},? [0-9]{4})\b"
                .to_string(),
            Shape::Date,
        ),
        (
            format!(
                r"\b[0-9]{{1,6}} (?:[A-Z][a-z]+\.? ){{1,4}}{STREET_SUFFIX}\b\.?(?:,? (?:Apt|Suite|Unit|#) ?[A-Za-z0-9-]{{1,6}})?(?:,? (?:[A-Z][a-z]+ ){{0,2}}[A-Z][a-z]+,? [A-Z]{{2}} [0-9]{{5}}(?:-[0-9]{{4}})?\b)?"
            ),
            Shape::Address,
        ),
    ]
}
