//! Checksums, range rules and grammars that decide whether a candidate match
//! is a valid identifier. Every function takes raw ASCII bytes from a regex
//! match and never allocates, so validation stays cheap on dense input.

// `u32::is_multiple_of` needs Rust 1.87, above the workspace minimum of 1.85.
#![allow(clippy::manual_is_multiple_of)]

/// Collects the ASCII digits of `bytes` into `out` and returns how many there
/// were, or `None` when there are more than `out` can hold.
fn digits_of(bytes: &[u8], out: &mut [u8]) -> Option<usize> {
    let mut count = 0;
    for &byte in bytes {
        if byte.is_ascii_digit() {
            *out.get_mut(count)? = byte - b'0';
            count += 1;
        }
    }
    Some(count)
}

fn all_same(digits: &[u8]) -> bool {
    digits.windows(2).all(|pair| pair[0] == pair[1])
}

/// Returns the separators between the digit groups of `bytes`, in order.
fn separators(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    bytes.iter().copied().filter(|byte| !byte.is_ascii_alphanumeric())
}

/// Checks a Social Security number: area not 000, 666 or 900-999, group not
/// 00, serial not 0000, one separator style, and none of the numbers that SSA
/// or famous misuse made public (078-05-1120, 123-45-6789, 987-65-432x).
pub fn ssn(bytes: &[u8]) -> bool {
    let mut digits = [0u8; 9];
    if digits_of(bytes, &mut digits) != Some(9) {
        return false;
    }
    let mut seps = separators(bytes);
    if let (Some(first), Some(second)) = (seps.next(), seps.next()) {
        if first != second {
            return false;
        }
    }
    ssn_digits(&digits)
}

/// The SSN range rules over exactly nine digits.
pub fn ssn_digits(digits: &[u8; 9]) -> bool {
    let area = u32::from(digits[0]) * 100 + u32::from(digits[1]) * 10 + u32::from(digits[2]);
    let group = digits[3] * 10 + digits[4];
    let serial = digits[5..].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d));
    if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
        return false;
    }
    const PUBLIC: [[u8; 9]; 2] = [[0, 7, 8, 0, 5, 1, 1, 2, 0], [1, 2, 3, 4, 5, 6, 7, 8, 9]];
    if PUBLIC.contains(digits) || all_same(digits) {
        return false;
    }
    // 987-65-4320 to 4329 is reserved for advertising, and 9xx areas are already
    // rejected above, so no further rule is needed for it.
    true
}

/// Computes the Luhn sum over `digits`, doubling every second digit from the
/// right, and returns true when it is a multiple of 10.
pub fn luhn(digits: &[u8]) -> bool {
    luhn_sum(digits, 0) % 10 == 0
}

fn luhn_sum(digits: &[u8], initial: u32) -> u32 {
    let mut sum = initial;
    for (position, &digit) in digits.iter().rev().enumerate() {
        let mut value = u32::from(digit);
        if position % 2 == 1 {
            value *= 2;
            if value > 9 {
                value -= 9;
            }
        }
        sum += value;
    }
    sum
}

/// Checks a National Provider Identifier: ten digits starting with 1 or 2
/// whose Luhn sum over the `80840` prefix plus the digits is a multiple of 10.
/// Bodies of one repeated digit are rejected as placeholders.
pub fn npi(bytes: &[u8]) -> bool {
    let mut digits = [0u8; 10];
    if digits_of(bytes, &mut digits) != Some(10) {
        return false;
    }
    if !(digits[0] == 1 || digits[0] == 2) || all_same(&digits[1..9]) {
        return false;
    }
    // The prefix 80840 sits at odd positions from the right of a 15-digit
    // number, so its Luhn contribution is the constant 24 that CMS documents.
    luhn_sum(&digits, 24) % 10 == 0
}

/// Checks a weighted mod-11 check digit: the last digit of `digits` equals
/// (11 - sum mod 11) mod 11 where the other digits carry weights 2, 3, 4, ...
/// from the right. A computed check value of 10 never validates.
pub fn mod11(digits: &[u8]) -> bool {
    let Some((&check, body)) = digits.split_last() else {
        return false;
    };
    if body.is_empty() {
        return false;
    }
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(index, &digit)| u32::from(digit) * (index as u32 + 2))
        .sum();
    let expected = (11 - sum % 11) % 11;
    expected < 10 && expected == u32::from(check)
}

/// Registrant-type letters that DEA issues as the first character.
const DEA_TYPES: &[u8] = b"ABCDEFGHJKLMPRSTUX";

/// Checks a DEA registration number: a registrant-type letter, a letter or 9,
/// seven digits, where (d1+d3+d5) + 2*(d2+d4+d6) ends in d7. An optional
/// `-suffix` after the nine characters is ignored.
pub fn dea(bytes: &[u8]) -> bool {
    let core = match bytes.iter().position(|&b| b == b'-') {
        Some(dash) => &bytes[..dash],
        None => bytes,
    };
    if core.len() != 9 {
        return false;
    }
    let first = core[0].to_ascii_uppercase();
    let second = core[1].to_ascii_uppercase();
    if !DEA_TYPES.contains(&first) || !(second.is_ascii_uppercase() || second == b'9') {
        return false;
    }
    let mut d = [0u32; 7];
    for (slot, &byte) in d.iter_mut().zip(&core[2..]) {
        if !byte.is_ascii_digit() {
            return false;
        }
        *slot = u32::from(byte - b'0');
    }
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    sum % 10 == d[6]
}

/// Letters CMS uses in an MBI: A-Z without S, L, O, I, B and Z.
pub fn is_mbi_letter(byte: u8) -> bool {
    byte.is_ascii_uppercase() && !matches!(byte, b'S' | b'L' | b'O' | b'I' | b'B' | b'Z')
}

/// Checks the Medicare Beneficiary Identifier grammar on the upper-cased
/// value, with optional dashes after positions 4 and 7. CMS assigns MBIs at
/// random with no check digit, so the grammar is all there is to check.
pub fn mbi(bytes: &[u8]) -> bool {
    let mut chars = [0u8; 11];
    let mut count = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'-' {
            // Dashes may only follow the 4th and the 7th character.
            if !(count == 4 || count == 7) || index + 1 == bytes.len() {
                return false;
            }
            continue;
        }
        if count == 11 {
            return false;
        }
        chars[count] = byte.to_ascii_uppercase();
        count += 1;
    }
    if count != 11 {
        return false;
    }
    let letter = |byte: u8| is_mbi_letter(byte);
    let letter_or_digit = |byte: u8| is_mbi_letter(byte) || byte.is_ascii_digit();
    matches!(chars[0], b'1'..=b'9')
        && letter(chars[1])
        && letter_or_digit(chars[2])
        && chars[3].is_ascii_digit()
        && letter(chars[4])
        && letter_or_digit(chars[5])
        && chars[6].is_ascii_digit()
        && letter(chars[7])
        && letter(chars[8])
        && chars[9].is_ascii_digit()
        && chars[10].is_ascii_digit()
}

/// Beneficiary Identification Codes that follow the nine digits of an SSA
/// form HICN. Single letters and the letter-digit pairs in common use.
fn is_hicn_bic(bic: &[u8]) -> bool {
    match bic {
        [letter] => matches!(letter, b'A' | b'B' | b'C' | b'D' | b'E' | b'F' | b'G' | b'H' | b'J' | b'K' | b'M' | b'T' | b'W'),
        [letter, digit] => matches!(letter, b'B' | b'C' | b'D' | b'E' | b'F' | b'G' | b'H' | b'J' | b'K' | b'M' | b'T' | b'W') && (b'1'..=b'9').contains(digit),
        _ => false,
    }
}

/// Railroad Retirement Board prefixes of the RRB form HICN.
// NOTE: this prefix list is from general knowledge of RRB claim numbers and
// was not checked against an RRB publication.
const RRB_PREFIXES: &[&[u8]] = &[
    b"A", b"CA", b"H", b"JA", b"MA", b"MH", b"PA", b"PD", b"PH", b"WA", b"WCA", b"WCD", b"WCH", b"WD", b"WH",
];

/// Checks a Health Insurance Claim Number in either form: nine SSN-valid
/// digits plus a Beneficiary Identification Code, or an RRB prefix plus six or
/// nine digits.
pub fn hicn(bytes: &[u8]) -> bool {
    let upper = |byte: &u8| byte.to_ascii_uppercase();
    let split = bytes.iter().position(|b| !b.is_ascii_digit()).unwrap_or(bytes.len());
    if split == 9 {
        let mut digits = [0u8; 9];
        for (slot, byte) in digits.iter_mut().zip(bytes) {
            *slot = byte - b'0';
        }
        let mut bic = [0u8; 2];
        let tail = &bytes[9..];
        if tail.is_empty() || tail.len() > 2 {
            return false;
        }
        for (slot, byte) in bic.iter_mut().zip(tail) {
            *slot = upper(byte);
        }
        return ssn_digits(&digits) && is_hicn_bic(&bic[..tail.len()]);
    }
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = bytes.len() - letters;
    if letters == 0 || !(digits == 6 || digits == 9) || !bytes[letters..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut prefix = [0u8; 3];
    if letters > prefix.len() {
        return false;
    }
    for (slot, byte) in prefix.iter_mut().zip(bytes) {
        *slot = upper(byte);
    }
    RRB_PREFIXES.contains(&&prefix[..letters])
}

/// Checks a North American Numbering Plan number written with ten digits (or
/// eleven with a leading 1): area code `[2-9][0-8]x`, exchange `[2-9]xx` and
/// not N11. The 555-01xx fictional block is rejected.
pub fn phone(bytes: &[u8]) -> bool {
    let mut digits = [0u8; 11];
    let count = match digits_of(bytes, &mut digits) {
        Some(count) => count,
        None => return false,
    };
    let national = match count {
        10 => &digits[..10],
        11 if digits[0] == 1 => &digits[1..11],
        _ => return false,
    };
    let (area, exchange, line) = (&national[0..3], &national[3..6], &national[6..10]);
    if area[0] < 2 || area[1] == 9 || exchange[0] < 2 {
        return false;
    }
    if (area[1] == 1 && area[2] == 1) || (exchange[1] == 1 && exchange[2] == 1) {
        return false;
    }
    if exchange == [5, 5, 5] && line[0] == 0 && line[1] == 1 {
        return false;
    }
    !all_same(national)
}

/// Checks a dotted quad whose four parts are 0-255 without leading zeros.
/// Unspecified, loopback and broadcast addresses are rejected because they
/// identify no one.
pub fn ipv4(bytes: &[u8]) -> bool {
    let mut octets = [0u32; 4];
    let mut count = 0;
    for part in bytes.split(|&b| b == b'.') {
        if count == 4 || part.is_empty() || part.len() > 3 || (part.len() > 1 && part[0] == b'0') {
            return false;
        }
        let mut value = 0u32;
        for &byte in part {
            if !byte.is_ascii_digit() {
                return false;
            }
            value = value * 10 + u32::from(byte - b'0');
        }
        if value > 255 {
            return false;
        }
        octets[count] = value;
        count += 1;
    }
    count == 4 && octets[0] != 0 && octets[0] != 127 && octets != [255, 255, 255, 255]
}

/// Checks a calendar date in one of the layouts the date pattern matches:
/// `YYYY-MM-DD`, `MM/DD/YYYY`, `MM-DD-YYYY`, `M/D/YY` or `Mon D, YYYY`.
/// Years must fall in 1900-2099 for four-digit years.
pub fn date(bytes: &[u8]) -> bool {
    let mut numbers = [0u32; 3];
    let mut lengths = [0usize; 3];
    let mut count = 0;
    let mut month_from_name = None;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte.is_ascii_digit() {
            if count == 3 {
                return false;
            }
            let start = index;
            while index < bytes.len() && bytes[index].is_ascii_digit() {
                numbers[count] = numbers[count] * 10 + u32::from(bytes[index] - b'0');
                index += 1;
            }
            lengths[count] = index - start;
            count += 1;
            continue;
        }
        if byte.is_ascii_alphabetic() {
            let start = index;
            while index < bytes.len() && bytes[index].is_ascii_alphabetic() {
                index += 1;
            }
            month_from_name = month_number(&bytes[start..index]);
            if month_from_name.is_none() {
                return false;
            }
            continue;
        }
        index += 1;
    }
    let (year, month, day) = match (month_from_name, count) {
        (Some(month), 2) => (numbers[1], month, numbers[0]),
        (None, 3) if lengths[0] == 4 => (numbers[0], numbers[1], numbers[2]),
        (None, 3) if lengths[2] == 4 => (numbers[2], numbers[0], numbers[1]),
        (None, 3) if lengths[2] == 2 => (1900 + numbers[2], numbers[0], numbers[1]),
        _ => return false,
    };
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

fn month_number(word: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
    ];
    if word.len() < 3 {
        return None;
    }
    let prefix = [word[0].to_ascii_lowercase(), word[1].to_ascii_lowercase(), word[2].to_ascii_lowercase()];
    MONTHS.iter().position(|month| *month == prefix).map(|index| index as u32 + 1)
}

/// Checks the segment lengths of a dashed National Drug Code: 4-4-2, 5-3-2 or
/// 5-4-1 on labels, 5-4-2 in billing, and 6-4-2 from March 2033.
pub fn ndc(bytes: &[u8]) -> bool {
    let mut lengths = [0usize; 3];
    let mut count = 0;
    for part in bytes.split(|&b| b == b'-') {
        if count == 3 || !part.iter().all(u8::is_ascii_digit) {
            return false;
        }
        lengths[count] = part.len();
        count += 1;
    }
    count == 3 && matches!(lengths, [4, 4, 2] | [5, 3, 2] | [5, 4, 1] | [5, 4, 2] | [6, 4, 2])
}

/// Checks that a keyword-anchored record or member id has at least two digits,
/// so words such as `unknown` or `pending` after the keyword are not reported.
pub fn record_id(bytes: &[u8]) -> bool {
    bytes.iter().filter(|b| b.is_ascii_digit()).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_known_vector() {
        assert!(luhn(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert!(!luhn(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
    }

    #[test]
    fn mod11_accepts_valid_digit() {
        // 0 3 6 5 3 2: weights 2..6 from the right over 3,5,6,3,0 give
        // 6+15+24+15+0 = 60, 60 mod 11 = 5, check = 6.
        assert!(mod11(&[0, 3, 6, 5, 3, 6]));
        assert!(!mod11(&[0, 3, 6, 5, 3, 7]));
    }

    #[test]
    fn date_rejects_impossible_days() {
        assert!(date(b"1980-02-29"));
        assert!(!date(b"1981-02-29"));
        assert!(!date(b"1980-13-01"));
        assert!(date(b"Mar 7, 1961"));
        assert!(date(b"03/07/1961"));
    }

    #[test]
    fn ipv4_rejects_leading_zero() {
        assert!(ipv4(b"10.20.30.40"));
        assert!(!ipv4(b"10.020.30.40"));
        assert!(!ipv4(b"10.20.30.256"));
        assert!(!ipv4(b"127.0.0.1"));
    }
}
