//! PHI identifier detection and redaction over any byte stream.
//!
//! [`Detector`] compiles every detector (SSN, MBI, HICN, NPI, DEA, MRN,
//! member id, date of birth, phone, email, street address, ZIP, IPv4, ICD-10
//! and NDC codes, and custom detectors from [`PhiConfig`]) into one
//! multi-pattern regex. [`scan_reader`] and [`redact_reader`] run it over any
//! `Read` in bounded memory. Findings carry only redacted values.
//!
//! ```
//! use phiguard_phi::{scan_bytes, Detector, ScanOptions};
//!
//! // The Medicare Beneficiary Identifier that CMS prints in its format guide.
//! let detector = Detector::built_in();
//! let findings = scan_bytes(&detector, b"patient mbi=1EG4-TE5-MK73", "-", &ScanOptions::default());
//! assert_eq!(findings[0].detector, "mbi");
//! assert_eq!(findings[0].redacted, "****-***-MK73");
//! ```

pub mod config;
mod context;
mod engine;
mod lines;
pub mod finding;
pub mod generate;
pub mod output;
#[doc(hidden)]
pub mod patterns;
pub mod redact;
pub mod source;
mod stream;
pub mod validate;

pub use config::{CustomDetector, PhiConfig, Validator};
pub use engine::{ConfigError, Detector, HEALTH_CONTEXT_DISTANCE};
pub use finding::{Finding, Kind, Severity};
pub use source::Source;
pub use stream::{redact_reader, scan_bytes, scan_reader, ScanOptions, StreamSummary, DEFAULT_CHUNK_SIZE, LOOKBACK, OVERLAP};
