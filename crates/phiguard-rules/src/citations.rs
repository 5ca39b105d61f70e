//! The HIPAA Security Rule sections (45 CFR Part 164, Subpart C) that rules
//! cite, each marked Required or Addressable as the regulation's table of
//! implementation specifications gives it.

use phiguard_model::{Citation, Specification};

const fn cite(section: &'static str, title: &'static str, specification: Specification) -> Citation {
    Citation { section, title, specification }
}

use Specification::{Addressable, Required};

pub const ACCESS_CONTROL: Citation = cite("164.312(a)(1)", "Access control", Required);
pub const UNIQUE_USER: Citation = cite("164.312(a)(2)(i)", "Unique user identification", Required);
pub const EMERGENCY_ACCESS: Citation = cite("164.312(a)(2)(ii)", "Emergency access procedure", Required);
pub const AUTOMATIC_LOGOFF: Citation = cite("164.312(a)(2)(iii)", "Automatic logoff", Addressable);
pub const ENCRYPTION_AT_REST: Citation = cite("164.312(a)(2)(iv)", "Encryption and decryption", Addressable);
pub const AUDIT_CONTROLS: Citation = cite("164.312(b)", "Audit controls", Required);
pub const INTEGRITY: Citation = cite("164.312(c)(1)", "Integrity", Required);
pub const AUTHENTICATE_EPHI: Citation = cite("164.312(c)(2)", "Mechanism to authenticate ePHI", Addressable);
pub const PERSON_AUTHENTICATION: Citation = cite("164.312(d)", "Person or entity authentication", Required);
pub const TRANSMISSION_SECURITY: Citation = cite("164.312(e)(1)", "Transmission security", Required);
pub const TRANSMISSION_INTEGRITY: Citation = cite("164.312(e)(2)(i)", "Integrity controls", Addressable);
pub const TRANSMISSION_ENCRYPTION: Citation = cite("164.312(e)(2)(ii)", "Encryption", Addressable);

pub const RISK_ANALYSIS: Citation = cite("164.308(a)(1)(ii)(A)", "Risk analysis", Required);
pub const RISK_MANAGEMENT: Citation = cite("164.308(a)(1)(ii)(B)", "Risk management", Required);
pub const ACTIVITY_REVIEW: Citation = cite("164.308(a)(1)(ii)(D)", "Information system activity review", Required);
pub const WORKFORCE_SECURITY: Citation = cite("164.308(a)(3)(i)", "Workforce security", Required);
pub const ACCESS_AUTHORIZATION: Citation = cite("164.308(a)(4)(ii)(B)", "Access authorization", Addressable);
pub const LOGIN_MONITORING: Citation = cite("164.308(a)(5)(ii)(C)", "Log-in monitoring", Addressable);
pub const PASSWORD_MANAGEMENT: Citation = cite("164.308(a)(5)(ii)(D)", "Password management", Addressable);
pub const INCIDENT_PROCEDURES: Citation = cite("164.308(a)(6)(ii)", "Response and reporting", Required);
pub const DATA_BACKUP: Citation = cite("164.308(a)(7)(ii)(A)", "Data backup plan", Required);
pub const DISASTER_RECOVERY: Citation = cite("164.308(a)(7)(ii)(B)", "Disaster recovery plan", Required);
pub const EVALUATION: Citation = cite("164.308(a)(8)", "Evaluation", Required);
pub const DOCUMENTATION_RETENTION: Citation = cite("164.316(b)(2)(i)", "Time limit (six-year retention)", Required);

/// Every citation, for the citation-catalog test and the report.
pub const ALL: &[Citation] = &[
    ACCESS_CONTROL,
    UNIQUE_USER,
    EMERGENCY_ACCESS,
    AUTOMATIC_LOGOFF,
    ENCRYPTION_AT_REST,
    AUDIT_CONTROLS,
    INTEGRITY,
    AUTHENTICATE_EPHI,
    PERSON_AUTHENTICATION,
    TRANSMISSION_SECURITY,
    TRANSMISSION_INTEGRITY,
    TRANSMISSION_ENCRYPTION,
    RISK_ANALYSIS,
    RISK_MANAGEMENT,
    ACTIVITY_REVIEW,
    WORKFORCE_SECURITY,
    ACCESS_AUTHORIZATION,
    LOGIN_MONITORING,
    PASSWORD_MANAGEMENT,
    INCIDENT_PROCEDURES,
    DATA_BACKUP,
    DISASTER_RECOVERY,
    EVALUATION,
    DOCUMENTATION_RETENTION,
];

/// The safeguard heading a citation belongs to, for grouping text output.
pub fn safeguard(citation: &Citation) -> &'static str {
    let section = citation.section;
    if section.starts_with("164.312(a)") {
        "Access control (164.312(a))"
    } else if section.starts_with("164.312(b)") {
        "Audit controls (164.312(b))"
    } else if section.starts_with("164.312(c)") {
        "Integrity (164.312(c))"
    } else if section.starts_with("164.312(d)") {
        "Person or entity authentication (164.312(d))"
    } else if section.starts_with("164.312(e)") {
        "Transmission security (164.312(e))"
    } else if section.starts_with("164.308(a)(7)") {
        "Contingency plan (164.308(a)(7))"
    } else if section.starts_with("164.308") {
        "Administrative safeguards (164.308)"
    } else {
        "Documentation (164.316)"
    }
}
