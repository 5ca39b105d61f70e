//! The finding types that every detector returns: which identifier was found,
//! where, how sure the detector is, and the redacted value. No type here contains
//! the matched bytes themselves.

use serde::Serialize;

/// The built-in identifier kinds, plus the custom detectors loaded from config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Ssn,
    Mbi,
    Hicn,
    Npi,
    Dea,
    Mrn,
    MemberId,
    Dob,
    Phone,
    Email,
    Address,
    Zip,
    Ipv4,
    Icd10,
    Ndc,
    /// A detector from the `[phi]` config section. The index is its position in
    /// `PhiConfig::custom`.
    Custom(u16),
}

impl Kind {
    /// Every built-in kind, in report order.
    pub const BUILT_IN: [Kind; 15] = [
        Kind::Ssn,
        Kind::Mbi,
        Kind::Hicn,
        Kind::Npi,
        Kind::Dea,
        Kind::Mrn,
        Kind::MemberId,
        Kind::Dob,
        Kind::Phone,
        Kind::Email,
        Kind::Address,
        Kind::Zip,
        Kind::Ipv4,
        Kind::Icd10,
        Kind::Ndc,
    ];

    /// Returns the stable detector name used in output, config and labels.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Ssn => "ssn",
            Kind::Mbi => "mbi",
            Kind::Hicn => "hicn",
            Kind::Npi => "npi",
            Kind::Dea => "dea",
            Kind::Mrn => "mrn",
            Kind::MemberId => "member_id",
            Kind::Dob => "dob",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Address => "address",
            Kind::Zip => "zip",
            Kind::Ipv4 => "ipv4",
            Kind::Icd10 => "icd10",
            Kind::Ndc => "ndc",
            Kind::Custom(_) => "custom",
        }
    }

    /// Returns a one-line description for help text and SARIF rule metadata.
    pub fn description(self) -> &'static str {
        match self {
            Kind::Ssn => "US Social Security number",
            Kind::Mbi => "Medicare Beneficiary Identifier",
            Kind::Hicn => "Health Insurance Claim Number (legacy Medicare id)",
            Kind::Npi => "National Provider Identifier",
            Kind::Dea => "DEA registration number",
            Kind::Mrn => "medical record number",
            Kind::MemberId => "health plan member id",
            Kind::Dob => "date of birth",
            Kind::Phone => "US telephone or fax number",
            Kind::Email => "email address",
            Kind::Address => "street address",
            Kind::Zip => "ZIP code",
            Kind::Ipv4 => "IPv4 address",
            Kind::Icd10 => "ICD-10-CM diagnosis code (health information)",
            Kind::Ndc => "National Drug Code (health information)",
            Kind::Custom(_) => "custom detector from the [phi] config section",
        }
    }

    /// Returns true for codes that are health information rather than
    /// identifiers. They raise the severity of identifiers near them.
    pub fn is_health_info(self) -> bool {
        matches!(self, Kind::Icd10 | Kind::Ndc)
    }

    /// Looks a built-in kind up by its [`Kind::name`].
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::BUILT_IN.into_iter().find(|kind| kind.name() == name)
    }
}

/// The urgency of a finding. An identifier next to health information (an
/// ICD-10 or NDC code) is `High`, because together they are PHI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

/// One detected identifier. `redacted` is the only trace of the value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Detector name: a built-in [`Kind::name`] or the custom detector's name.
    pub detector: String,
    #[serde(skip)]
    pub kind: Kind,
    /// Confidence from 0.0 to 1.0 that the match is the named identifier.
    #[serde(serialize_with = "serialize_confidence")]
    pub confidence: f32,
    pub severity: Severity,
    /// Source label: a file path, `-` for stdin, or an object URL.
    pub source: String,
    /// 1-based line number of the first byte of the match.
    pub line: u64,
    /// Byte offset of the match from the start of the (decompressed) stream.
    pub offset: u64,
    /// Match length in bytes.
    pub length: u32,
    /// The value with its identifying characters masked, e.g. `***-**-6789`.
    pub redacted: String,
}

/// Writes a confidence with two decimals, as the detectors define it; the
/// `f32` value would otherwise print as 0.9900000095367432.
fn serialize_confidence<S: serde::Serializer>(confidence: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((f64::from(*confidence) * 100.0).round() / 100.0)
}
