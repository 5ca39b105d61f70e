//! The compiled detector: one multi-pattern regex pass over a buffer, then
//! validation and context scoring of each candidate. This module works on one
//! in-memory segment; `stream` feeds it segments of any stream.

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};

use crate::config::{CustomDetector, PhiConfig, Validator};
use crate::context::{self, Binding, KindMask, Keywords};
use crate::finding::{Kind, Severity};
use crate::lines::LineFilter;
use crate::patterns::{self, Shape};
use crate::validate;

/// Errors in the `[phi]` config that stop the detector from being built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("custom PHI detector {name:?}: invalid pattern {pattern:?}: {message}; fix the regex in the [[phi.custom]] entry")]
    InvalidPattern { name: String, pattern: String, message: String },
    #[error("the custom PHI detector with pattern {pattern:?} has an empty name; give it a name to show in findings")]
    EmptyName { pattern: String },
    #[error("custom PHI detector {name:?} has the name of a built-in or an earlier custom detector; choose another name")]
    DuplicateName { name: String },
    #[error("custom PHI detector {name:?}: confidence {confidence} is outside 0.0-1.0")]
    InvalidConfidence { name: String, confidence: f32 },
    #[error("[phi] disable lists {name:?}, which is not a built-in detector; valid names are {valid}")]
    UnknownDisabled { name: String, valid: String },
    #[error("too many custom PHI detectors ({count}); at most {max} are supported")]
    TooManyCustom { count: usize, max: usize },
    #[error("failed to compile the PHI patterns: {0}")]
    Build(String),
}

/// Distance in bytes within which an ICD-10 or NDC code raises the severity
/// of an identifier.
pub const HEALTH_CONTEXT_DISTANCE: usize = 256;

/// Candidates scored below this are dropped before any output, whatever the
/// requested minimum confidence.
pub const CONFIDENCE_FLOOR: f32 = 0.05;

/// A scored match inside one segment. Offsets are relative to the segment's
/// data. It carries no copy of the matched bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawMatch {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
    pub severity: Severity,
}

/// The first line of a CSV or TSV stream, when it looks like a header row.
#[derive(Debug, Clone)]
pub struct CsvHeader {
    delimiter: u8,
    /// Normalised column names (see [`context::normalise_key`]).
    columns: Vec<Vec<u8>>,
}

impl CsvHeader {
    /// Reads a header row: at least two fields separated by commas or tabs,
    /// each a name that starts with a letter. Quoted fields that contain the
    /// delimiter are not supported, so such a row is not taken as a header.
    pub fn detect(first_line: &[u8]) -> Option<CsvHeader> {
        let line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
        let delimiter = if line.contains(&b'\t') { b'\t' } else { b',' };
        let mut columns = Vec::new();
        for field in line.split(|&b| b == delimiter) {
            let field = field.trim_ascii();
            let field = field.strip_prefix(b"\"").unwrap_or(field);
            let field = field.strip_suffix(b"\"").unwrap_or(field);
            let is_name = field.first().is_some_and(u8::is_ascii_alphabetic)
                && field.len() <= 48
                && field.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b' ' | b'-' | b'.'));
            if !is_name {
                return None;
            }
            let mut buffer = [0u8; 48];
            columns.push(context::normalise_key(field, &mut buffer)?.to_vec());
        }
        (columns.len() >= 2).then_some(CsvHeader { delimiter, columns })
    }

    fn column_at(&self, line: &[u8]) -> Option<&[u8]> {
        let index = memchr::memchr_iter(self.delimiter, line).count();
        self.columns.get(index).map(Vec::as_slice)
    }
}

struct Custom {
    name: String,
    validator: Option<Validator>,
    confidence: f32,
    /// Context words, normalised, also used as key stems.
    stems: Vec<String>,
}

/// The compiled set of detectors. Build it once and share it across threads.
pub struct Detector {
    regex: meta::Regex,
    shapes: Vec<Shape>,
    /// Per pattern: a single-pattern regex to resolve capture group 1.
    capture_regexes: Vec<Option<meta::Regex>>,
    keywords: Keywords,
    custom: Vec<Custom>,
    disabled: KindMask,
    /// Picks the lines the regex can match on. Present only without custom
    /// detectors, because a custom pattern may match across lines.
    line_filter: Option<LineFilter>,
}

const MAX_CUSTOM: usize = 1000;

fn syntax_config() -> syntax::Config {
    // Unicode off keeps `\d`, `\w` and `\b` ASCII-only, which keeps the lazy
    // DFA usable on any bytes, and utf8(false) lets patterns match inside
    // invalid UTF-8.
    syntax::Config::new().unicode(false).utf8(false)
}

fn meta_config() -> meta::Config {
    // A larger lazy DFA cache than the default avoids cache thrashing with
    // twenty-odd patterns on digit-dense log text.
    meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .hybrid_cache_capacity(16 << 20)
}

impl Detector {
    /// Builds the built-in detectors with no custom ones.
    pub fn built_in() -> Detector {
        Detector::new(&PhiConfig::default()).expect("the built-in patterns are valid")
    }

    /// Builds the detectors from config: the built-ins minus `disable`, plus
    /// every custom detector.
    pub fn new(config: &PhiConfig) -> Result<Detector, ConfigError> {
        if config.custom.len() > MAX_CUSTOM {
            return Err(ConfigError::TooManyCustom { count: config.custom.len(), max: MAX_CUSTOM });
        }
        let mut disabled = 0;
        for name in &config.disable {
            let kind = Kind::from_name(name).ok_or_else(|| ConfigError::UnknownDisabled {
                name: name.clone(),
                valid: Kind::BUILT_IN.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
            })?;
            disabled |= context::bit(kind);
        }

        // Custom patterns go first: where a custom and a built-in pattern
        // match at the same start, the organisation's own format wins.
        let mut patterns = Vec::new();
        let mut custom = Vec::new();
        let mut custom_words = Vec::new();
        for (index, detector) in config.custom.iter().enumerate() {
            let index = index as u16;
            check_custom(detector, &config.custom[..usize::from(index)])?;
            // Compile each custom pattern alone first so that an error names
            // the detector that caused it.
            meta::Builder::new()
                .syntax(syntax_config())
                .build(&detector.pattern)
                .map_err(|error| ConfigError::InvalidPattern {
                    name: detector.name.clone(),
                    pattern: detector.pattern.clone(),
                    message: error.to_string(),
                })?;
            patterns.push((detector.pattern.clone(), Shape::Custom(index)));
            let words: Vec<String> = detector.context.iter().map(|w| w.to_ascii_lowercase()).collect();
            custom_words.push((index, words.clone()));
            let stems = words
                .iter()
                .filter_map(|w| {
                    let mut buffer = [0u8; 48];
                    context::normalise_key(w.as_bytes(), &mut buffer).map(|k| String::from_utf8_lossy(k).into_owned())
                })
                .collect();
            custom.push(Custom {
                name: detector.name.clone(),
                validator: detector.validator,
                confidence: detector.confidence,
                stems,
            });
        }

        patterns.extend(patterns::built_in());
        let sources: Vec<&str> = patterns.iter().map(|(p, _)| p.as_str()).collect();
        let regex = meta::Builder::new()
            .configure(meta_config())
            .syntax(syntax_config())
            .build_many(&sources)
            .map_err(|error| ConfigError::Build(error.to_string()))?;
        let mut capture_regexes = Vec::with_capacity(patterns.len());
        for (pattern, shape) in &patterns {
            let compiled = if shape.uses_capture() {
                Some(
                    meta::Builder::new()
                        .syntax(syntax_config())
                        .build(pattern)
                        .map_err(|error| ConfigError::Build(error.to_string()))?,
                )
            } else {
                None
            };
            capture_regexes.push(compiled);
        }
        let line_filter = if config.custom.is_empty() {
            Some(LineFilter::new(&sources, syntax_config()).map_err(ConfigError::Build)?)
        } else {
            None
        };
        Ok(Detector {
            regex,
            shapes: patterns.into_iter().map(|(_, shape)| shape).collect(),
            capture_regexes,
            keywords: Keywords::new(&custom_words),
            custom,
            disabled,
            line_filter,
        })
    }

    /// Returns the output name of `kind`: the built-in name or the custom
    /// detector's configured name.
    pub fn name_of(&self, kind: Kind) -> &str {
        match kind {
            Kind::Custom(index) => self.custom.get(usize::from(index)).map_or("custom", |c| c.name.as_str()),
            built_in => built_in.name(),
        }
    }

    /// Names of the custom detectors, in config order.
    pub fn custom_names(&self) -> impl Iterator<Item = &str> {
        self.custom.iter().map(|c| c.name.as_str())
    }

    /// Scans `data[search_from..]` and returns every candidate that passed
    /// validation and scored at least [`CONFIDENCE_FLOOR`], in order of start.
    /// Candidates that cannot reach `min_confidence` may be dropped early,
    /// health codes excepted. `data_starts_stream` is true when `data[0]` is
    /// the first byte of the stream, so a line with no newline before it
    /// starts at 0.
    pub fn scan_segment(
        &self,
        data: &[u8],
        search_from: usize,
        data_starts_stream: bool,
        header: Option<&CsvHeader>,
        min_confidence: f32,
    ) -> Vec<RawMatch> {
        let mut matches = Vec::new();
        // No built-in match spans a newline, so searching only the lines the
        // filter picks finds the same matches as searching everything.
        let spans = self
            .line_filter
            .as_ref()
            .and_then(|filter| filter.candidate_lines(data, search_from))
            .unwrap_or_else(|| vec![(search_from, data.len())]);
        for (span_start, span_end) in spans {
            let input = Input::new(data).span(span_start..span_end);
            for found in self.regex.find_iter(input) {
                let shape = self.shapes[found.pattern().as_usize()];
                let (mut start, mut end) = (found.start(), found.end());
                // A custom pattern that can match the empty string identifies
                // nothing where it does.
                if start == end {
                    continue;
                }
                if shape.uses_capture() {
                    match self.capture_span(found.pattern().as_usize(), data, start, end) {
                        Some((value_start, value_end)) => (start, end) = (value_start, value_end),
                        None => continue,
                    }
                }
                let readings = self.classify(shape, &data[start..end]);
                if readings.iter().flatten().all(|(kind, _)| self.disabled & context::bit(*kind) != 0) {
                    continue;
                }
                let mut scan = Candidate::new(data, start, end, data_starts_stream, header, min_confidence);
                let mut best: Option<RawMatch> = None;
                for (kind, base) in readings.into_iter().flatten() {
                    if self.disabled & context::bit(kind) != 0 {
                        continue;
                    }
                    let confidence = self.score(kind, base, &mut scan);
                    if confidence >= CONFIDENCE_FLOOR && best.is_none_or(|b| confidence > b.confidence) {
                        best = Some(RawMatch { kind, start, end, confidence, severity: Severity::Medium });
                    }
                }
                matches.extend(best);
            }
        }
        raise_near_health_info(&mut matches);
        matches
    }

    fn capture_span(&self, pattern: usize, data: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
        let regex = self.capture_regexes[pattern].as_ref()?;
        let mut captures = regex.create_captures();
        let input = Input::new(data).span(start..end).anchored(Anchored::Yes);
        regex.search_captures(&input, &mut captures);
        captures.get_group(1).map(|span| (span.start, span.end))
    }

    /// Validates a candidate and returns up to two readings of it with their
    /// base confidence, before context.
    fn classify(&self, shape: Shape, value: &[u8]) -> [Option<(Kind, f32)>; 2] {
        let single = |reading: Option<(Kind, f32)>| [reading, None];
        match shape {
            Shape::SeparatedSsn => {
                let base = if value[3] == b'-' { 0.6 } else { 0.35 };
                single(validate::ssn(value).then_some((Kind::Ssn, base)))
            }
            Shape::DigitRun => match value.len() {
                9 => single(validate::ssn(value).then_some((Kind::Ssn, 0.15))),
                10 => [
                    validate::npi(value).then_some((Kind::Npi, 0.3)),
                    validate::phone(value).then_some((Kind::Phone, 0.15)),
                ],
                _ => single(validate::phone(value).then_some((Kind::Phone, 0.15))),
            },
            Shape::HicnSsa => single(validate::hicn(value).then_some((Kind::Hicn, 0.5))),
            Shape::LettersDigits => {
                if validate::dea(value) {
                    single(Some((Kind::Dea, 0.5)))
                } else {
                    single(validate::hicn(value).then_some((Kind::Hicn, 0.25)))
                }
            }
            Shape::Mbi => {
                if !validate::mbi(value) {
                    return [None, None];
                }
                let upper = value.iter().all(|b| !b.is_ascii_lowercase());
                let dashed = value.contains(&b'-');
                let base = match (upper, dashed) {
                    (true, true) => 0.8,
                    (true, false) => 0.75,
                    (false, _) => 0.45,
                };
                single(Some((Kind::Mbi, base)))
            }
            Shape::Phone => single(validate::phone(value).then_some((Kind::Phone, 0.5))),
            Shape::Ndc => single(validate::ndc(value).then_some((Kind::Ndc, 0.35))),
            // An address alone may be a server's; client context lifts it.
            Shape::Ipv4 => single(validate::ipv4(value).then_some((Kind::Ipv4, 0.4))),
            Shape::Email => single((value.len() <= 320).then_some((Kind::Email, 0.7))),
            Shape::Icd10 => single(Some((Kind::Icd10, 0.4))),
            Shape::Date => single(validate::date(value).then_some((Kind::Dob, 0.0))),
            Shape::Address => {
                let with_zip = value.last().is_some_and(u8::is_ascii_digit);
                single(Some((Kind::Address, if with_zip { 0.6 } else { 0.45 })))
            }
            Shape::ZipKeyword => single(Some((Kind::Zip, 0.5))),
            Shape::MrnKeyword | Shape::MemberKeyword => {
                // A value after an MRN or member keyword may itself be an MBI
                // or an SSN; report the stronger identifier.
                if validate::mbi(value) {
                    single(Some((Kind::Mbi, 0.85)))
                } else if (value.len() == 11 && validate::ssn(value)) || (value.len() == 9 && validate::ssn(value)) {
                    single(Some((Kind::Ssn, 0.7)))
                } else if validate::record_id(value) {
                    let kind = if shape == Shape::MrnKeyword { Kind::Mrn } else { Kind::MemberId };
                    single(Some((kind, 0.8)))
                } else {
                    [None, None]
                }
            }
            Shape::Custom(index) => {
                let Some(custom) = self.custom.get(usize::from(index)) else {
                    return [None, None];
                };
                let valid = match custom.validator {
                    None => true,
                    Some(validator) => {
                        let digits: Vec<u8> = value.iter().filter(|b| b.is_ascii_digit()).map(|b| b - b'0').collect();
                        match validator {
                            Validator::Luhn => digits.len() >= 2 && validate::luhn(&digits),
                            Validator::Mod11 => validate::mod11(&digits),
                        }
                    }
                };
                single(valid.then_some((Kind::Custom(index), custom.confidence)))
            }
        }
    }

    /// Adds keyword and structure evidence to a base confidence.
    fn score(&self, kind: Kind, base: f32, candidate: &mut Candidate) -> f32 {
        let (data, start) = (candidate.data, candidate.start);
        let (keyword_boost, key_boost) = match kind {
            // A date alone is not PHI; only a birth keyword or key makes it one.
            Kind::Dob => (0.8, 0.9),
            _ => (0.35, 0.45),
        };
        let custom_stems: &[String] = match kind {
            Kind::Custom(index) => self.custom.get(usize::from(index)).map_or(&[], |c| c.stems.as_slice()),
            _ => &[],
        };
        let line_start = candidate.line_start();
        let mut key_buffer = [0u8; 48];
        let binding = match context::bound_key(data, start, &mut key_buffer) {
            Some(key) => context::classify_key(kind, key, custom_stems),
            None => self.header_binding(kind, candidate, line_start, custom_stems),
        };
        // When no keyword could lift the candidate to the requested minimum
        // (under a key such as `order_id`, say), skip the keyword search.
        // Health codes are kept whatever their score because they raise the
        // severity of identifiers near them.
        let contact_like = matches!(kind, Kind::Phone | Kind::Email | Kind::Address | Kind::Zip | Kind::Ipv4 | Kind::Custom(_));
        let mut best_case = base + keyword_boost + if contact_like { 0.15 } else { 0.0 } + if kind == Kind::Ipv4 { 0.2 } else { 0.0 };
        best_case += match binding {
            Binding::Same => key_boost,
            Binding::Unrelated => -0.3,
            Binding::None => 0.0,
        };
        if best_case < candidate.min_confidence.max(CONFIDENCE_FLOOR) && !kind.is_health_info() {
            return 0.0;
        }
        let found = self.keywords_near(candidate);

        let mut confidence = base;
        if found & context::bit(kind) != 0 {
            confidence += keyword_boost;
        }
        if context::has_patient_word(found) && contact_like {
            confidence += 0.15;
        }
        if kind == Kind::Ipv4 {
            if looks_like_version(data, start) {
                return 0.0;
            }
            // The first field of an access log line is the client address.
            if line_start == Some(start) || (start == 0 && candidate.data_starts_stream) {
                confidence += 0.2;
            }
        }
        match binding {
            Binding::Same => confidence += key_boost,
            Binding::Unrelated => confidence -= 0.3,
            Binding::None => {}
        }
        confidence.clamp(0.0, 0.99)
    }

    fn header_binding(&self, kind: Kind, candidate: &Candidate, line_start: Option<usize>, custom_stems: &[String]) -> Binding {
        let Some(header) = candidate.header else {
            return Binding::None;
        };
        // Without the start of the line in this segment the column is unknown.
        let line_start = match line_start {
            Some(offset) => offset,
            None if candidate.data_starts_stream => 0,
            None => return Binding::None,
        };
        match header.column_at(&candidate.data[line_start..candidate.start]) {
            Some(column) => context::classify_key(kind, column, custom_stems),
            None => Binding::None,
        }
    }
}

/// The candidate being scored and what the scorer may read around it. The
/// line start and the keywords nearby are computed at most once, however
/// many readings of the candidate are scored.
struct Candidate<'a> {
    data: &'a [u8],
    start: usize,
    end: usize,
    data_starts_stream: bool,
    header: Option<&'a CsvHeader>,
    min_confidence: f32,
    line_start: Option<Option<usize>>,
    keywords: Option<KindMask>,
}

impl<'a> Candidate<'a> {
    fn new(
        data: &'a [u8],
        start: usize,
        end: usize,
        data_starts_stream: bool,
        header: Option<&'a CsvHeader>,
        min_confidence: f32,
    ) -> Self {
        Candidate { data, start, end, data_starts_stream, header, min_confidence, line_start: None, keywords: None }
    }

    /// Offset of the first byte of the candidate's line, when the segment
    /// contains a newline before the candidate.
    fn line_start(&mut self) -> Option<usize> {
        let (data, start) = (self.data, self.start);
        *self.line_start.get_or_insert_with(|| {
            let from = start.saturating_sub(4096);
            memchr::memrchr(b'\n', &data[from..start]).map(|i| from + i + 1)
        })
    }
}

impl Detector {
    /// Returns the kinds whose keywords appear on the candidate's line within
    /// the context window before or after it.
    fn keywords_near(&self, candidate: &mut Candidate) -> KindMask {
        if let Some(found) = candidate.keywords {
            return found;
        }
        let (data, start, end) = (candidate.data, candidate.start, candidate.end);
        let line_start = candidate.line_start().unwrap_or(0);
        let window_start = start.saturating_sub(context::WINDOW_BEFORE).max(line_start);
        let window_end = (end + context::WINDOW_AFTER).min(data.len());
        let window_end = memchr::memchr(b'\n', &data[end..window_end]).map_or(window_end, |i| end + i);
        let found = self.keywords.scan(data, window_start, start) | self.keywords.scan(data, end, window_end);
        candidate.keywords = Some(found);
        found
    }
}

fn check_custom(detector: &CustomDetector, earlier: &[CustomDetector]) -> Result<(), ConfigError> {
    if detector.name.trim().is_empty() {
        return Err(ConfigError::EmptyName { pattern: detector.pattern.clone() });
    }
    if Kind::from_name(&detector.name).is_some() || earlier.iter().any(|e| e.name == detector.name) {
        return Err(ConfigError::DuplicateName { name: detector.name.clone() });
    }
    if !(0.0..=1.0).contains(&detector.confidence) {
        return Err(ConfigError::InvalidConfidence { name: detector.name.clone(), confidence: detector.confidence });
    }
    Ok(())
}

/// Returns true when the dotted quad at `start` follows `v` or the word
/// `version`, as in `v1.2.3.4` or `version 10.0.1.2`.
fn looks_like_version(data: &[u8], start: usize) -> bool {
    let before = &data[start.saturating_sub(12)..start];
    if before.last().is_some_and(|b| matches!(b, b'v' | b'V')) {
        return true;
    }
    before.windows(7).any(|w| w.eq_ignore_ascii_case(b"version"))
}

/// Marks identifiers within [`HEALTH_CONTEXT_DISTANCE`] bytes of an ICD-10 or
/// NDC code as high severity, and the codes themselves as low. `matches` is
/// sorted by start, so one sliding pass suffices.
fn raise_near_health_info(matches: &mut [RawMatch]) {
    let health: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| m.kind.is_health_info() && m.confidence >= 0.35)
        .map(|m| (m.start, m.end))
        .collect();
    let mut next = 0;
    for found in matches.iter_mut() {
        if found.kind.is_health_info() {
            found.severity = Severity::Low;
            continue;
        }
        while next < health.len() && health[next].1 + HEALTH_CONTEXT_DISTANCE < found.start {
            next += 1;
        }
        if let Some(&(code_start, _)) = health.get(next) {
            if code_start <= found.end + HEALTH_CONTEXT_DISTANCE {
                found.severity = Severity::High;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::generate;

    /// Scans `data` with and without the line filter and asserts both give
    /// the same matches.
    fn assert_filter_changes_nothing(filtered: &Detector, unfiltered: &Detector, data: &[u8], search_from: usize) {
        assert!(filtered.line_filter.is_some());
        assert!(unfiltered.line_filter.is_none());
        let with_filter = filtered.scan_segment(data, search_from, false, None, 0.0);
        let without_filter = unfiltered.scan_segment(data, search_from, false, None, 0.0);
        assert_eq!(with_filter, without_filter);
    }

    fn detectors() -> (Detector, Detector) {
        let mut unfiltered = Detector::built_in();
        unfiltered.line_filter = None;
        (Detector::built_in(), unfiltered)
    }

    #[test]
    fn line_filter_matches_full_search_on_corpora() {
        let (filtered, unfiltered) = detectors();
        let dense = generate::corpus(7, 1 << 20).text;
        let log_text = generate::log_text(8, 1 << 20, 2).text;
        for text in [&dense, &log_text] {
            assert_filter_changes_nothing(&filtered, &unfiltered, text, 0);
            assert_filter_changes_nothing(&filtered, &unfiltered, text, 1000);
            // Cuts inside lines: the data neither starts nor ends at a line
            // boundary, so a match may end at the last byte.
            for (start, end) in [(17, 300_003), (4_099, 65_537), (123_456, text.len() - 5)] {
                assert_filter_changes_nothing(&filtered, &unfiltered, &text[start..end], 0);
            }
        }
    }

    #[test]
    fn line_filter_reports_match_at_end_of_data() {
        let (filtered, unfiltered) = detectors();
        let mut text = b"GET /health 200\n".repeat(2_000);
        text.extend_from_slice(b"patient ssn 234-56-7891");
        let found = filtered.scan_segment(&text, 0, true, None, 0.5);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].end, text.len());
        assert_filter_changes_nothing(&filtered, &unfiltered, &text, 0);
    }

    fn fragment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "234-56-7891", "1EG4-TE5-MK73", "1234567893", "(212) 555-0187", "10.1.2.3", "a.b@mail.example.org",
            "ssn=", "mrn: ", "dob 1985-04-12", "zip 02139", "E11.9", "0002-3227-30", "F91234563", "12 Main St",
            "\n", "\n", " ", " ", "-", ".", "x", "ID", "2026-01-02T03:04:05Z", "42", "999999999", "@",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn line_filter_matches_full_search_on_fragments(
            fragments in prop::collection::vec(fragment(), 1..200),
            search_from in 0usize..64,
        ) {
            let (filtered, unfiltered) = detectors();
            let mut text = Vec::new();
            // The filter only runs on data of at least 16 KiB.
            while text.len() < 20 * 1024 {
                for fragment in &fragments {
                    text.extend_from_slice(fragment.as_bytes());
                }
            }
            assert_filter_changes_nothing(&filtered, &unfiltered, &text, search_from);
        }
    }
}
