//! A JSON parser that records the line and column of every value.
//!
//! serde_json does not expose positions, and SARIF output needs a line for
//! every finding, so this parser builds [`Node`] trees directly in one pass.
//! It accepts exactly RFC 8259 JSON and limits nesting depth, so hostile input
//! cannot overflow the stack.

use crate::error::ParseError;
use crate::node::{Node, NodeKind};

/// The maximum nesting of arrays and objects. Terraform plans of deeply
/// nested modules stay under 100 levels, and CloudFormation templates
/// under 50. The parsers and resolvers recurse once per level, so the limit
/// also keeps them within a 2 MiB thread stack in debug builds.
pub const MAX_DEPTH: usize = 256;

/// Parses one JSON document.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    parse_skipping(text, &[])
}

/// Keys of Terraform plan JSON that no adapter reads. They hold the prior
/// state, sensitivity masks and outputs, which are often most of a large
/// plan, so skipping them roughly halves the memory a plan needs.
pub const TERRAFORM_UNUSED_KEYS: &[&str] = &[
    "prior_state",
    "before",
    "before_sensitive",
    "after_sensitive",
    "sensitive_values",
    "relevant_attributes",
    "output_changes",
    "checks",
];

/// Parses one JSON document, replacing the value of every object key in
/// `skipped` with null. Skipped values are still checked for syntax, so a
/// malformed document is rejected all the same.
pub fn parse_skipping(text: &str, skipped: &[&str]) -> Result<Node, ParseError> {
    let mut parser = Parser { bytes: text.as_bytes(), text, pos: 0, line: 1, line_start: 0, skipped };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("expected the end of the document after the top-level value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    line_start: usize,
    skipped: &'a [&'a str],
}

impl<'a> Parser<'a> {
    fn column(&self) -> u32 {
        (self.pos - self.line_start + 1) as u32
    }

    fn error(&self, message: &str) -> ParseError {
        let found = match self.bytes.get(self.pos) {
            None => "the end of the file".to_owned(),
            Some(_) => {
                let rest = &self.text[self.pos..];
                let shown: String = rest.chars().take(12).collect();
                format!("`{}`", shown.escape_debug())
            }
        };
        ParseError::at(format!("{message}, found {found}"), self.line, self.column())
    }

    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, ParseError> {
        let (line, column) = (self.line, self.column());
        let kind = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => NodeKind::String(self.string()?),
            Some(b't') => self.keyword("true", NodeKind::Bool(true))?,
            Some(b'f') => self.keyword("false", NodeKind::Bool(false))?,
            Some(b'n') => self.keyword("null", NodeKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.error("expected a JSON value")),
        };
        Ok(Node::new(kind, line, column))
    }

    fn keyword(&mut self, word: &str, kind: NodeKind) -> Result<NodeKind, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.error(&format!("expected `{word}`")))
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(&format!("nesting is deeper than {MAX_DEPTH} levels")));
        }
        Ok(depth + 1)
    }

    fn object(&mut self, depth: usize) -> Result<NodeKind, ParseError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut entries: Vec<(String, Node)> = Vec::new();
        // Lines of the keys seen, built only for large objects; small ones
        // are searched directly.
        let mut key_lines: Option<std::collections::HashMap<String, u32>> = None;
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(NodeKind::Map(entries));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a string key in an object"));
            }
            let (key_line, key_column) = (self.line, self.column());
            let key = self.string()?;
            check_unique_key(&key, key_line, key_column, &entries, &mut key_lines)?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error("expected `:` after an object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            if self.skipped.contains(&key.as_str()) {
                let (line, column) = (self.line, self.column());
                self.value(depth)?;
                entries.push((key, Node::new(NodeKind::Null, line, column)));
            } else {
                let value = self.value(depth)?;
                entries.push((key, value));
            }
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(NodeKind::Map(entries));
                }
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<NodeKind, ParseError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(NodeKind::Seq(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(NodeKind::Seq(items));
                }
                _ => return Err(self.error("expected `,` or `]` in an array")),
            }
        }
    }

    fn number(&mut self) -> Result<NodeKind, ParseError> {
        let start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit in the exponent"));
            }
            self.digits();
        }
        let literal = &self.text[start..self.pos];
        literal
            .parse::<f64>()
            .map(NodeKind::Number)
            .map_err(|_| ParseError::at(format!("invalid number `{literal}`"), self.line, self.column()))
    }

    fn digits(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: most strings have no escapes, so copy them in one slice.
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b'"' => {
                    let text = self.text[start..self.pos].to_owned();
                    self.pos += 1;
                    return Ok(text);
                }
                b'\\' => break,
                0x00..=0x1F => return Err(self.error("unescaped control character in a string")),
                _ => self.pos += 1,
            }
        }
        let mut text = self.text[start..self.pos].to_owned();
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut text)?;
                }
                Some(0x00..=0x1F) => return Err(self.error("unescaped control character in a string")),
                Some(_) => {
                    let rest = &self.text[self.pos..];
                    let next = rest.find(['"', '\\']).unwrap_or(rest.len());
                    let chunk = &rest[..next];
                    if let Some(bad) = chunk.bytes().position(|byte| byte < 0x20) {
                        self.pos += bad;
                        return Err(self.error("unescaped control character in a string"));
                    }
                    text.push_str(chunk);
                    self.pos += next;
                }
            }
        }
    }

    fn escape(&mut self, text: &mut String) -> Result<(), ParseError> {
        let Some(&byte) = self.bytes.get(self.pos) else {
            return Err(self.error("unterminated escape sequence"));
        };
        self.pos += 1;
        let decoded = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xD800..0xDC00).contains(&first) && self.bytes[self.pos..].starts_with(b"\\u") {
                    self.pos += 2;
                    let second = self.hex4()?;
                    let combined = 0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00) & 0x3FF);
                    char::from_u32(combined).unwrap_or('\u{FFFD}')
                } else {
                    // A lone surrogate cannot be represented in a Rust string;
                    // the replacement character keeps the rest of the value.
                    char::from_u32(first).unwrap_or('\u{FFFD}')
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error("invalid escape sequence"));
            }
        };
        text.push(decoded);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error("expected four hex digits"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("expected four hex digits"))?;
        let value = u32::from_str_radix(text, 16).map_err(|_| self.error("expected four hex digits"))?;
        self.pos += 4;
        Ok(value)
    }
}

/// Rejects a key the object already has. Parsers disagree on which of two
/// equal keys wins, so keeping either could hide a setting. Kept out of
/// `object` so the recursive parser's stack frames stay small.
#[inline(never)]
fn check_unique_key(
    key: &str,
    line: u32,
    column: u32,
    entries: &[(String, Node)],
    key_lines: &mut Option<std::collections::HashMap<String, u32>>,
) -> Result<(), ParseError> {
    let first = match key_lines {
        Some(lines) => lines.get(key).copied(),
        None => entries.iter().find(|(existing, _)| existing == key).map(|(_, value)| value.line),
    };
    if let Some(first) = first {
        return Err(ParseError::at(format!("duplicate key \"{key}\" (first at line {first}); remove one of them"), line, column));
    }
    if key_lines.is_none() && entries.len() >= 16 {
        *key_lines = Some(entries.iter().map(|(existing, value)| (existing.clone(), value.line)).collect());
    }
    if let Some(lines) = key_lines {
        lines.insert(key.to_owned(), line);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_nested_values() {
        let node = parse("{\n  \"a\": [1, {\"b\": true}]\n}").unwrap();
        let list = node.get("a").unwrap();
        assert_eq!((list.line, list.column), (2, 8));
        let inner = &list.as_seq().unwrap()[1];
        assert_eq!(inner.get("b").unwrap().as_bool(), Some(true));
        assert_eq!(inner.get("b").unwrap().column, 18);
    }

    #[test]
    fn escapes_and_surrogates() {
        let node = parse(r#"["a\"b\\n\u00e9\ud83d\ude00"]"#).unwrap();
        assert_eq!(node.as_seq().unwrap()[0].as_str(), Some("a\"b\\né😀"));
    }

    #[test]
    fn truncated_input_names_position() {
        let error = parse("{\"a\": [1, 2").unwrap_err();
        assert_eq!(error.line, Some(1));
        assert!(error.message.contains("the end of the file"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let text = "[".repeat(100_000);
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("deeper than 256"), "{}", error.message);
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let error = parse("{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert!(error.message.contains("duplicate key \"a\" (first at line 1)"), "{}", error.message);
        assert_eq!(error.line, Some(2));
        let many: Vec<String> = (0..40).map(|index| format!("\"k{index}\": {index}")).collect();
        let text = format!("{{{}, \"k3\": 0}}", many.join(", "));
        assert!(parse(&text).unwrap_err().message.contains("duplicate key \"k3\""));
    }

    #[test]
    fn trailing_garbage_is_rejected() {
        assert!(parse("{} x").is_err());
        assert!(parse("[1,]").is_err());
        assert!(parse("01").is_err());
    }
}
