//! Context scoring: the keywords near a candidate and the structure it sits in
//! (a JSON key, a `key=value` pair, a CSV column). Context only moves the
//! confidence of a candidate that already passed validation.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::finding::Kind;

/// Bytes before a candidate that are searched for keywords. Amazon Macie
/// looks about 30 characters away, and a little more covers nesting such as
/// `"patient":{"ssn":`.
pub const WINDOW_BEFORE: usize = 48;
/// Bytes after a candidate that are searched for keywords, for text such as
/// `123-45-6789 (SSN)`.
pub const WINDOW_AFTER: usize = 16;

/// Bit set of kinds: bits 0-14 are the built-in kinds in [`Kind::BUILT_IN`]
/// order, bit 15 is the patient words, and bits 16-63 are custom detectors.
pub type KindMask = u64;

const PATIENT_BIT: KindMask = 1 << 15;

/// Returns the mask bit of `kind`. Custom detectors past the 48th share the
/// last bit, so their context words also count for each other.
pub fn bit(kind: Kind) -> KindMask {
    match kind {
        Kind::Custom(index) => 1 << (16 + u32::from(index.min(47))),
        built_in => 1 << Kind::BUILT_IN.iter().position(|k| *k == built_in).unwrap_or(0),
    }
}

/// Keywords per kind, lower case. Matching is ASCII case-insensitive and needs
/// a word boundary on each side (an underscore, a digit, punctuation or a
/// camelCase step counts as one), so `tel` does not fire inside `hotel`.
const KEYWORDS: &[(Kind, &[&str])] = &[
    (Kind::Ssn, &["ssn", "ssns", "ss#", "ssn#", "social security", "social_security", "socsec", "soc sec"]),
    (Kind::Mbi, &["mbi", "medicare", "beneficiary", "medicare id", "medicare_id"]),
    (Kind::Hicn, &["hicn", "hic", "hic#", "hicno", "health insurance claim", "medicare", "rrb", "claim number"]),
    (Kind::Npi, &["npi", "national provider", "provider", "prescriber", "rendering", "billing_npi"]),
    (Kind::Dea, &["dea", "dea#", "dea number", "dea registration", "prescriber", "controlled substance"]),
    (Kind::Mrn, &["mrn", "medical record", "chart"]),
    (Kind::MemberId, &["member", "subscriber", "policy"]),
    (
        Kind::Dob,
        &["dob", "d.o.b", "date of birth", "date_of_birth", "dateofbirth", "birth", "birthdate", "birth_date", "birthday", "bday", "born"],
    ),
    (Kind::Phone, &["phone", "tel", "telephone", "mobile", "cell", "fax", "contact", "call", "sms"]),
    (Kind::Email, &["email", "e-mail", "mail", "contact"]),
    (Kind::Address, &["address", "addr", "street", "home", "residence", "mailing", "lives at", "resides"]),
    (Kind::Zip, &["zip", "postal"]),
    (Kind::Ipv4, &["ip", "client", "remote_addr", "remote", "src", "x-forwarded-for", "client_ip", "addr"]),
    (Kind::Icd10, &["icd", "icd10", "icd-10", "diagnosis", "dx", "diag"]),
    (Kind::Ndc, &["ndc", "national drug code", "drug", "rx", "medication"]),
];

/// Words that mark a record as being about a person receiving care. They
/// raise contact details (phone, email, address, ZIP, IP) and custom
/// detectors.
const PATIENT_WORDS: &[&str] = &["patient", "patients", "pt", "member", "beneficiary", "subscriber", "enrollee", "claimant", "guarantor"];

/// Key names (lower case, `_`, `-` and spaces removed) that bind a value to a
/// kind when the key ends with one of them: `patient_ssn`, `dateOfBirth`.
const KEY_STEMS: &[(Kind, &[&str])] = &[
    (Kind::Ssn, &["ssn", "socialsecuritynumber", "socialsecurity", "ssnumber"]),
    (Kind::Mbi, &["mbi", "medicareid", "medicarenumber", "beneficiaryid"]),
    (Kind::Hicn, &["hicn", "hicnumber", "claimnumber"]),
    (Kind::Npi, &["npi", "npinumber"]),
    (Kind::Dea, &["dea", "deanumber"]),
    (Kind::Mrn, &["mrn", "medicalrecordnumber", "patientid", "chartnumber", "recordnumber"]),
    (Kind::MemberId, &["memberid", "subscriberid", "policynumber", "insuranceid", "membernumber"]),
    (Kind::Dob, &["dob", "dateofbirth", "birthdate", "birthday", "bday"]),
    (Kind::Phone, &["phone", "phonenumber", "tel", "telephone", "mobile", "cell", "fax", "cellphone", "mobilenumber"]),
    (Kind::Email, &["email", "emailaddress", "mail"]),
    (Kind::Address, &["address", "streetaddress", "addressline1", "street", "line1"]),
    (Kind::Zip, &["zip", "zipcode", "postalcode", "postcode"]),
    (Kind::Ipv4, &["ip", "ipaddress", "clientip", "remoteaddr", "sourceip", "srcip", "remoteip", "ipaddr"]),
    (Kind::Icd10, &["icd10", "icd", "diagnosiscode", "dxcode", "dx", "icd10code"]),
    (Kind::Ndc, &["ndc", "ndccode", "drugcode"]),
];

/// Key names that bind a value to something that is not PHI: an order, a
/// trace, a time, a size. A candidate under such a key loses confidence.
const UNRELATED_KEY_STEMS: &[&str] = &[
    "order", "orderid", "ordernumber", "requestid", "traceid", "spanid", "txn", "txnid", "transactionid", "timestamp",
    "ts", "time", "epoch", "version", "port", "bytes", "size", "duration", "latency", "ms", "count", "amount", "price",
    "total", "sku", "build", "pid", "tid", "thread", "seq", "sequence", "offset", "invoice", "confirmation",
    "tracking", "id", "uuid", "hash", "checksum", "code", "status", "elapsed", "millis", "nanos",
];

/// The relation between a candidate and the key or column it sits under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// No key, or a key that names nothing known.
    None,
    /// The key names the candidate's kind.
    Same,
    /// The key names another identifier kind or something that is not PHI.
    Unrelated,
}

/// Keyword search compiled once per detector.
pub struct Keywords {
    automaton: AhoCorasick,
    /// Kind bits per automaton pattern.
    masks: Vec<KindMask>,
}

impl Keywords {
    /// Builds the keyword automaton from the built-in lists plus the context
    /// words of each custom detector.
    pub fn new(custom: &[(u16, Vec<String>)]) -> Keywords {
        let mut words: Vec<String> = Vec::new();
        let mut masks: Vec<KindMask> = Vec::new();
        let mut add = |word: &str, mask: KindMask| {
            let word = word.to_ascii_lowercase();
            if word.is_empty() {
                // An empty keyword would match everywhere and mean nothing.
                return;
            }
            match words.iter().position(|known| *known == word) {
                Some(index) => masks[index] |= mask,
                None => {
                    words.push(word);
                    masks.push(mask);
                }
            }
        };
        for (kind, list) in KEYWORDS {
            for word in *list {
                add(word, bit(*kind));
            }
        }
        for word in PATIENT_WORDS {
            add(word, PATIENT_BIT);
        }
        for (index, list) in custom {
            for word in list {
                add(word, bit(Kind::Custom(*index)));
            }
        }
        let build = |kind| AhoCorasickBuilder::new().ascii_case_insensitive(true).match_kind(MatchKind::Standard).kind(kind).build(&words);
        // A full DFA is fastest on the short windows searched here, but
        // thousands of custom context words can exceed its size limit. The
        // automatic choice then picks a smaller automaton.
        let automaton = build(Some(AhoCorasickKind::DFA))
            .or_else(|_| build(None))
            .expect("keyword lists are plain literals, which always build without a DFA");
        Keywords { automaton, masks }
    }

    /// Returns the kind bits of every keyword that appears, with word
    /// boundaries, in `haystack[start..end]`.
    pub fn scan(&self, haystack: &[u8], start: usize, end: usize) -> KindMask {
        let window = &haystack[start..end];
        let mut found = 0;
        for hit in self.automaton.find_overlapping_iter(window) {
            if is_word_boundary(window, hit.start(), hit.end()) {
                found |= self.masks[hit.pattern().as_usize()];
            }
        }
        found
    }
}

pub fn has_patient_word(mask: KindMask) -> bool {
    mask & PATIENT_BIT != 0
}

fn is_word_boundary(window: &[u8], start: usize, end: usize) -> bool {
    let first = window[start];
    let last = window[end - 1];
    let starts_clean = match start.checked_sub(1).map(|i| window[i]) {
        None => true,
        Some(prev) => !prev.is_ascii_alphabetic() || (prev.is_ascii_lowercase() && first.is_ascii_uppercase()),
    };
    let ends_clean = match window.get(end) {
        None => true,
        Some(&next) => !next.is_ascii_alphabetic() || (next.is_ascii_uppercase() && last.is_ascii_lowercase()),
    };
    starts_clean && ends_clean
}

/// Reads the key that `haystack[..start]` binds to the value at `start`:
/// `"key": "value"`, `key=value`, `key: value`. Returns the key normalised
/// (ASCII lower case, with `_`, `-` and spaces removed, last dotted segment
/// only) into `out`, or `None` when no key precedes the value.
pub fn bound_key<'a>(haystack: &[u8], start: usize, out: &'a mut [u8; 48]) -> Option<&'a [u8]> {
    let mut index = start;
    let skip = |index: &mut usize, allowed: &[u8], max: usize| {
        let mut steps = 0;
        while *index > 0 && steps < max && allowed.contains(&haystack[*index - 1]) {
            *index -= 1;
            steps += 1;
        }
    };
    skip(&mut index, b"\"' \t", 3);
    if index == 0 || !matches!(haystack[index - 1], b':' | b'=') {
        return None;
    }
    index -= 1;
    skip(&mut index, b"\"' \t", 3);
    let key_end = index;
    while index > 0 && key_end - index < 64 {
        let byte = haystack[index - 1];
        if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
            index -= 1;
        } else {
            break;
        }
    }
    normalise_key(&haystack[index..key_end], out)
}

/// Normalises a key or CSV column name for comparison with the stem lists.
pub fn normalise_key<'a>(key: &[u8], out: &'a mut [u8; 48]) -> Option<&'a [u8]> {
    let mut length = 0;
    for &byte in key {
        if matches!(byte, b'_' | b'-' | b' ' | b'"' | b'\'') {
            continue;
        }
        if length == out.len() {
            return None;
        }
        out[length] = byte.to_ascii_lowercase();
        length += 1;
    }
    (length > 0).then_some(&out[..length])
}

/// Classifies a normalised key against a kind.
pub fn classify_key(kind: Kind, key: &[u8], custom_stems: &[String]) -> Binding {
    let same = match kind {
        Kind::Custom(_) => custom_stems.iter().any(|stem| key.ends_with(stem.as_bytes())),
        _ => KEY_STEMS
            .iter()
            .find(|(k, _)| *k == kind)
            .is_some_and(|(_, stems)| stems.iter().any(|stem| key.ends_with(stem.as_bytes()))),
    };
    // A key that names another identifier (`npi=` before a ten-digit value
    // read as a phone number) counts against this reading too.
    let names_other_kind = KEY_STEMS
        .iter()
        .filter(|(k, _)| *k != kind)
        .any(|(_, stems)| stems.iter().any(|stem| key.ends_with(stem.as_bytes())));
    if same {
        Binding::Same
    } else if names_other_kind || UNRELATED_KEY_STEMS.iter().any(|stem| key.ends_with(stem.as_bytes())) {
        Binding::Unrelated
    } else {
        Binding::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_needs_word_boundary() {
        let keywords = Keywords::new(&[]);
        let text = b"hotel room";
        assert_eq!(keywords.scan(text, 0, text.len()) & bit(Kind::Phone), 0);
        let text = b"patientSsn";
        assert_ne!(keywords.scan(text, 0, text.len()) & bit(Kind::Ssn), 0);
    }

    #[test]
    fn bound_key_reads_json_key() {
        let text = br#"{"patient_ssn": "123"#;
        let mut buffer = [0u8; 48];
        let key = bound_key(text, text.len() - 3, &mut buffer);
        assert_eq!(key, Some(&b"patientssn"[..]));
    }

    #[test]
    fn unrelated_key_is_detected() {
        assert_eq!(classify_key(Kind::Ssn, b"orderid", &[]), Binding::Unrelated);
        assert_eq!(classify_key(Kind::Ssn, b"patientssn", &[]), Binding::Same);
        assert_eq!(classify_key(Kind::Phone, b"npi", &[]), Binding::Unrelated);
    }
}
