//! Per-detector behaviour: valid values found, near misses rejected, and
//! confidence raised by keywords and structure.

use phiguard_phi::generate::{vectors, Identifiers};
use phiguard_phi::{scan_bytes, Detector, Finding, PhiConfig, ScanOptions, Severity};

fn scan_all(text: &str) -> Vec<Finding> {
    let options = ScanOptions { min_confidence: 0.0, include_health_codes: true, ..ScanOptions::default() };
    scan_bytes(&Detector::built_in(), text.as_bytes(), "test", &options)
}

fn reported(text: &str) -> Vec<Finding> {
    scan_bytes(&Detector::built_in(), text.as_bytes(), "test", &ScanOptions::default())
}

fn detectors(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.detector.as_str()).collect()
}

fn confidence_of(text: &str, detector: &str) -> f32 {
    scan_all(text).iter().find(|f| f.detector == detector).map_or(0.0, |f| f.confidence)
}

#[test]
fn ssn_valid_dashed_is_reported() {
    let ssn = Identifiers::new(1).ssn();
    let findings = reported(&format!("record {ssn} updated"));
    assert_eq!(detectors(&findings), ["ssn"]);
    assert_eq!(findings[0].redacted, format!("***-**-{}", &ssn[7..]));
}

#[test]
fn ssn_invalid_ranges_rejected() {
    for value in ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000", "078-05-1120", "123-45-6789"] {
        let findings = scan_all(&format!("ssn: {value}"));
        assert!(!detectors(&findings).contains(&"ssn"), "{value} was reported as an SSN");
    }
}

#[test]
fn ssn_mixed_separators_rejected() {
    let ssn = Identifiers::new(2).ssn();
    let mixed = format!("{}.{}", &ssn[..6], &ssn[7..]);
    assert!(scan_all(&format!("ssn {mixed}")).is_empty(), "{mixed}");
}

#[test]
fn ssn_bare_needs_context() {
    let digits = Identifiers::new(3).ssn().replace('-', "");
    assert!(reported(&format!("value {digits} seen")).is_empty());
    assert_eq!(detectors(&reported(&format!("patient SSN {digits}"))), ["ssn"]);
}

#[test]
fn ssn_under_unrelated_key_dropped() {
    let digits = Identifiers::new(4).ssn().replace('-', "");
    assert!(reported(&format!("order_id={digits}")).is_empty());
}

#[test]
fn ssn_json_key_raises_confidence() {
    let digits = Identifiers::new(5).ssn().replace('-', "");
    let bare = confidence_of(&format!("value {digits}"), "ssn");
    let keyed = confidence_of(&format!(r#"{{"patient_ssn":"{digits}"}}"#), "ssn");
    assert!(keyed > bare + 0.4, "bare {bare}, keyed {keyed}");
}

#[test]
fn npi_cms_example_found_with_context() {
    let findings = reported(&format!("rendering provider npi {}", vectors::CMS_EXAMPLE_NPI));
    assert_eq!(detectors(&findings), ["npi"]);
    assert_eq!(findings[0].redacted, "******7893");
}

#[test]
fn npi_bad_check_digit_rejected() {
    let findings = scan_all(&format!("npi {}", vectors::CMS_EXAMPLE_NPI_BAD_CHECK));
    assert!(!detectors(&findings).contains(&"npi"));
}

#[test]
fn npi_bare_below_default_threshold() {
    assert!(reported(&format!("value {}", vectors::CMS_EXAMPLE_NPI)).is_empty());
}

#[test]
fn dea_example_found() {
    let findings = reported(&format!("prescriber DEA {}", vectors::EXAMPLE_DEA));
    assert_eq!(detectors(&findings), ["dea"]);
}

#[test]
fn dea_bad_check_digit_rejected() {
    assert!(scan_all("dea F91234564").is_empty());
}

#[test]
fn mbi_cms_example_found_without_context() {
    let findings = reported(&format!("id {}", vectors::CMS_EXAMPLE_MBI));
    assert_eq!(detectors(&findings), ["mbi"]);
    assert_eq!(findings[0].redacted, "****-***-MK73");
    let undashed = vectors::CMS_EXAMPLE_MBI.replace('-', "");
    assert_eq!(detectors(&reported(&format!("id {undashed}"))), ["mbi"]);
}

#[test]
fn mbi_excluded_letters_rejected() {
    for value in ["1SG4TE5MK73", "1EG4TL5MK73", "1EG4TE5OK73", "0EG4TE5MK73", "1EG4TE5MB73"] {
        assert!(scan_all(&format!("mbi {value}")).is_empty(), "{value}");
    }
}

#[test]
fn hicn_ssa_form_found() {
    let hicn = Identifiers::new(6).hicn();
    assert_eq!(detectors(&reported(&format!("hicn={hicn}"))), ["hicn"]);
}

#[test]
fn hicn_invalid_embedded_ssn_rejected() {
    assert!(scan_all("hicn=666123456A").is_empty());
}

#[test]
fn mrn_keyword_anchored() {
    let findings = reported("chart MRN: 00482913 opened");
    assert_eq!(detectors(&findings), ["mrn"]);
    assert_eq!(findings[0].redacted, "********");
    assert!(reported("MRN: pending").is_empty());
}

#[test]
fn member_id_keyword_anchored() {
    assert_eq!(detectors(&reported("member_id=W123456789")), ["member_id"]);
}

#[test]
fn dob_needs_birth_context() {
    assert!(reported("deployed on 1985-04-12 by ci").is_empty());
    let findings = reported("DOB 1985-04-12");
    assert_eq!(detectors(&findings), ["dob"]);
    assert_eq!(findings[0].redacted, "****-**-**");
    assert_eq!(detectors(&reported(r#"{"date_of_birth":"Apr 12, 1985"}"#)), ["dob"]);
}

#[test]
fn dob_impossible_date_rejected() {
    assert!(reported("dob 1985-02-30").is_empty());
}

/// Returns the ten digits of a valid synthetic phone number, made at run
/// time so that no real number is committed.
fn phone_digits(seed: u64) -> String {
    Identifiers::new(seed).phone().chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn phone_formats_found() {
    let digits = phone_digits(10);
    let digits = &digits[digits.len() - 10..];
    let (area, exchange, line) = (&digits[..3], &digits[3..6], &digits[6..]);
    for phone in [format!("({area}) {exchange}-{line}"), format!("{area}-{exchange}-{line}"), format!("+1 {area}.{exchange}.{line}")] {
        assert_eq!(detectors(&reported(&format!("call {phone}"))), ["phone"], "{phone}");
    }
}

#[test]
fn phone_invalid_plans_rejected() {
    let digits = phone_digits(11);
    let line = &digits[digits.len() - 4..];
    // Fictional 555-01xx, an N11 exchange, and area codes starting with 1 or
    // with 9 in the middle.
    for phone in ["415-555-0123".to_string(), format!("415-911-{line}"), format!("195-867-{line}"), format!("491-867-{line}")] {
        assert!(scan_all(&format!("phone {phone}")).is_empty(), "{phone}");
    }
}

#[test]
fn email_found_and_masked() {
    let findings = reported("notify sam.chen3@example.org now");
    assert_eq!(detectors(&findings), ["email"]);
    assert_eq!(findings[0].redacted, "***.*****@*******.org");
}

#[test]
fn ipv4_client_context_needed() {
    assert!(reported("upstream 10.1.2.3:8080").is_empty());
    assert_eq!(detectors(&reported("client_ip=203.0.113.9")), ["ipv4"]);
    assert_eq!(detectors(&reported("198.51.100.7 - - [05/Mar/2026] \"GET /\"")), ["ipv4"]);
    assert!(scan_all("build v10.2.3.4").is_empty());
}

#[test]
fn address_with_patient_context() {
    let address = Identifiers::new(12).address();
    let findings = reported(&format!("patient address {address}"));
    assert_eq!(detectors(&findings), ["address"], "{address}");
    assert!(reported("took 30 Seconds Total Way").len() <= 1);
}

#[test]
fn zip_keyword_anchored() {
    assert_eq!(detectors(&reported("zip=62704")), ["zip"]);
    assert!(reported("count 62704").is_empty());
}

#[test]
fn health_codes_raise_severity() {
    let with_code = reported(&format!("dx E11.9 patient mbi {}", vectors::CMS_EXAMPLE_MBI));
    assert_eq!(with_code[0].severity, Severity::High);
    let without = reported(&format!("patient mbi {}", vectors::CMS_EXAMPLE_MBI));
    assert_eq!(without[0].severity, Severity::Medium);
}

#[test]
fn health_codes_hidden_by_default() {
    assert!(reported("dx E11.9 ndc 12345-6789-01").is_empty());
    let all = scan_all("dx E11.9 ndc 12345-6789-01");
    assert_eq!(detectors(&all), ["icd10", "ndc"]);
}

#[test]
fn csv_header_binds_columns() {
    let digits = Identifiers::new(8).ssn().replace('-', "");
    let csv = format!("name,ssn,visit\nA,{digits},x\n");
    assert_eq!(detectors(&reported(&csv)), ["ssn"]);
    let csv = format!("name,order,visit\nA,{digits},x\n");
    assert!(reported(&csv).is_empty());
}

#[test]
fn line_and_offset_reported() {
    let findings = reported(&format!("first line\nsecond {}\n", vectors::CMS_EXAMPLE_MBI));
    assert_eq!(findings[0].line, 2);
    assert_eq!(findings[0].offset, 18);
    assert_eq!(findings[0].length, 13);
}

fn config(text: &str) -> PhiConfig {
    let table: toml::Table = toml::from_str(text).expect("test config is valid TOML");
    table["phi"].clone().try_into().expect("test config matches PhiConfig")
}

#[test]
fn custom_detector_with_luhn() {
    let config = config(
        r#"
        [phi]
        [[phi.custom]]
        name = "acme_mrn"
        pattern = '\bACM[0-9]{7}\b'
        context = ["chart"]
        validator = "luhn"
        confidence = 0.6
        "#,
    );
    let detector = Detector::new(&config).expect("config builds");
    // 0000000 has a Luhn sum of 0 and passes; 0000001 does not.
    let options = ScanOptions::default();
    let found = scan_bytes(&detector, b"chart ACM0000000", "t", &options);
    assert_eq!(detectors(&found), ["acme_mrn"]);
    assert!(scan_bytes(&detector, b"chart ACM0000001", "t", &options).is_empty());
}

#[test]
fn custom_detector_invalid_regex_named() {
    let config = config(
        r#"
        [phi]
        [[phi.custom]]
        name = "broken"
        pattern = '(unclosed'
        "#,
    );
    let error = Detector::new(&config).err().expect("invalid pattern is rejected").to_string();
    assert!(error.contains("broken"), "{error}");
    assert!(error.contains("(unclosed"), "{error}");
}

#[test]
fn custom_detector_name_clash_rejected() {
    let config = config(
        r#"
        [phi]
        [[phi.custom]]
        name = "ssn"
        pattern = 'x'
        "#,
    );
    assert!(Detector::new(&config).is_err());
}

#[test]
fn disabled_detector_not_reported() {
    let detector = Detector::new(&config("[phi]\ndisable = [\"email\"]\n")).expect("config builds");
    assert!(scan_bytes(&detector, b"sam@example.org", "t", &ScanOptions::default()).is_empty());
    assert!(Detector::new(&config("[phi]\ndisable = [\"nope\"]\n")).is_err());
}

#[test]
fn bad_npi_not_read_as_phone() {
    // 2502673989 fails the NPI check but is a valid NANP number; under an
    // `npi` key, with `PH` letters nearby, it is still not a phone number.
    assert!(reported("npi=2502673989 dea=PH4480502").is_empty());
}

#[test]
fn many_custom_context_words_build() {
    let words: Vec<String> = (0..20_000).map(|i| format!("\"word{i}\"")).collect();
    let text = format!("[phi]\n[[phi.custom]]\nname = \"many\"\npattern = 'ZZ[0-9]{{6}}'\ncontext = [{}]\n", words.join(", "));
    let detector = Detector::new(&config(&text)).expect("config with many context words builds");
    let found = scan_bytes(&detector, b"word19999 ZZ123456", "t", &ScanOptions::default());
    assert_eq!(detectors(&found), ["many"]);
}

#[test]
fn empty_custom_values_ignored() {
    let detector = Detector::new(&config(
        "[phi]\n[[phi.custom]]\nname = \"empty\"\npattern = 'Q*'\ncontext = [\"\"]\n",
    ))
    .expect("config builds");
    let found = scan_bytes(&detector, b"abc QQQ def", "t", &ScanOptions::default());
    assert_eq!(detectors(&found), ["empty"]);
    assert_eq!(found[0].length, 3);
}
