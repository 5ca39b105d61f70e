//! Masking of matched values. Every output path (findings, reports, the
//! redacting filter) goes through [`mask`], so an unmasked value has no route
//! out of the library.

use crate::finding::Kind;

/// The byte that replaces each masked letter or digit.
pub const MASK: u8 = b'*';

/// Number of trailing letters and digits that stay visible, by kind. Long
/// numeric identifiers keep their last four so that an operator can tell two
/// findings apart, as receipts and statements do. Values that are identifying
/// in full (dates, addresses, IP addresses) or short keep nothing.
fn visible_tail(kind: Kind, alphanumeric_count: usize) -> usize {
    match kind {
        Kind::Ssn | Kind::Mbi | Kind::Hicn | Kind::Npi | Kind::Dea | Kind::Phone | Kind::Mrn | Kind::MemberId
        | Kind::Custom(_)
            if alphanumeric_count >= 9 =>
        {
            4
        }
        _ => 0,
    }
}

/// Masks `value` in place for a finding of `kind`. The length stays the same,
/// so a redacted stream keeps its byte offsets and line layout. Separators
/// (`-`, `.`, `@`, spaces) stay visible and so does the top-level domain of an
/// email address.
pub fn mask_in_place(kind: Kind, value: &mut [u8]) {
    let keep_from = match kind {
        // Keep `.com`-style suffixes: they say what the value was without
        // identifying anyone.
        Kind::Email => value.iter().rposition(|&b| b == b'.').unwrap_or(value.len()),
        _ => {
            let alphanumeric = value.iter().filter(|b| b.is_ascii_alphanumeric()).count();
            let tail = visible_tail(kind, alphanumeric);
            let mut seen = 0;
            let mut index = value.len();
            while seen < tail && index > 0 {
                index -= 1;
                if value[index].is_ascii_alphanumeric() {
                    seen += 1;
                }
            }
            index
        }
    };
    for byte in &mut value[..keep_from] {
        if byte.is_ascii_alphanumeric() || !byte.is_ascii() {
            *byte = MASK;
        }
    }
}

/// Returns a masked copy of `value` as text. Bytes that are not ASCII are
/// masked too, so the result is always valid UTF-8.
pub fn mask(kind: Kind, value: &[u8]) -> String {
    let mut copy = value.to_vec();
    mask_in_place(kind, &mut copy);
    copy.into_iter()
        .map(|byte| if byte.is_ascii() && !byte.is_ascii_control() { byte as char } else { MASK as char })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssn_keeps_last_four() {
        assert_eq!(mask(Kind::Ssn, b"123-45-6789"), "***-**-6789");
    }

    #[test]
    fn email_keeps_domain_suffix() {
        assert_eq!(mask(Kind::Email, b"jane.roe@example.org"), "****.***@*******.org");
    }

    #[test]
    fn date_masks_every_digit() {
        assert_eq!(mask(Kind::Dob, b"1980-02-29"), "****-**-**");
    }

    #[test]
    fn short_custom_value_fully_masked() {
        assert_eq!(mask(Kind::Custom(0), b"AB-123"), "**-***");
    }
}
