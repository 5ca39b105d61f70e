//! A YAML loader that builds [`Node`] trees with positions and turns
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt`, `!Sub`, ...) into
//! their long form (`{"Ref": ...}`, `{"Fn::GetAtt": [...]}`).
//!
//! It reads yaml-rust2's event stream itself instead of using its loader for
//! three reasons: the loader drops tags, it has no positions on values, and it
//! expands aliases without a limit, so a "billion laughs" document would
//! exhaust memory.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::TScalarStyle;

use crate::error::ParseError;
use crate::json::MAX_DEPTH;
use crate::node::{Node, NodeKind};

/// The memory a document may build, as a multiple of its length in bytes.
/// A document without aliases builds a few times its size; an alias bomb
/// builds orders of magnitude more, which this stops.
const EXPANSION_FACTOR: usize = 24;

/// The budget even a tiny document gets, in bytes.
const MIN_BUDGET: usize = 16 << 20;

/// Maps with more keys than this index them to find duplicates.
const LINEAR_KEY_SEARCH: usize = 16;

/// The estimated memory of one node beyond its string bytes.
const NODE_COST: usize = 48;

/// Parses one YAML document. A stream of several documents is rejected,
/// because a CloudFormation template is a single document.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let mut error = match parse_strict(text) {
        Ok(node) => return Ok(node),
        Err(error) => error,
    };
    // NOTE: libyaml (and so PyYAML) accepts a quoted scalar whose
    // continuation lines sit at the indentation of its key, and AWS's own
    // published templates rely on that. The YAML 1.2 grammar, which
    // yaml-rust2 follows, wants them deeper. Such a scalar is therefore
    // re-read with its continuation lines indented by one more space, which
    // keeps every line number and the scalar's folded value.
    let mut text = text.to_owned();
    for _ in 0..MAX_INDENTATION_REPAIRS {
        if !error.message.contains(QUOTED_INDENTATION_ERROR) {
            break;
        }
        let (Some(line), Some(column)) = (error.line, error.column) else { break };
        match indent_quoted_continuation(&text, line as usize, column as usize) {
            Some(repaired) => text = repaired,
            None => break,
        }
        error = match parse_strict(&text) {
            Ok(node) => return Ok(node),
            Err(error) => error,
        };
    }
    Err(error)
}

const QUOTED_INDENTATION_ERROR: &str = "invalid indentation in quoted scalar";

/// Bounds the repairs, so a hostile file cannot make parsing quadratic.
const MAX_INDENTATION_REPAIRS: usize = 16;

/// Indents the continuation lines of the quoted scalar that starts at
/// `line`:`column` (1-based) by one space. Returns `None` when no quoted
/// scalar starts there.
fn indent_quoted_continuation(text: &str, line: usize, column: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.get(line.checked_sub(1)?)?;
    let start = first.char_indices().nth(column.checked_sub(1)?).map(|(index, _)| index)?;
    let quote = first[start..].chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut closed = closes(&first[start + 1..], quote);
    let mut out: Vec<String> = lines[..line].iter().map(|l| (*l).to_owned()).collect();
    let mut index = line;
    while !closed && index < lines.len() {
        closed = closes(lines[index], quote);
        out.push(format!(" {}", lines[index]));
        index += 1;
    }
    out.extend(lines[index..].iter().map(|l| (*l).to_owned()));
    Some(out.join("\n"))
}

/// True when `rest` of a line contains the closing `quote`.
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
            } else {
                return true;
            }
        }
    }
    false
}

fn parse_strict(text: &str) -> Result<Node, ParseError> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        node_budget: text.len().saturating_mul(EXPANSION_FACTOR).max(MIN_BUDGET),
        documents: 0,
    };
    loop {
        let (event, mark) = parser.next_token().map_err(|error| {
            let marker = error.marker();
            let message = format!("invalid YAML: {}; fix the syntax at this position", error.info());
            ParseError::at(message, marker.line() as u32, marker.col() as u32 + 1)
        })?;
        let (line, column) = (mark.line() as u32, mark.col() as u32 + 1);
        if event == Event::StreamEnd {
            break;
        }
        builder.event(event, line, column)?;
    }
    builder.root.ok_or_else(|| ParseError::general("the YAML document is empty"))
}

/// A collection being built, with the estimated memory of its contents so
/// far, so finishing it does not walk its children again.
enum Open {
    Seq { items: Vec<Node>, anchor: usize, tag: Option<Tag>, line: u32, column: u32, size: usize },
    Map {
        entries: Vec<(String, Node)>,
        key: Option<(String, u32)>,
        /// Lines of the keys seen so far, built once the map grows past
        /// [`LINEAR_KEY_SEARCH`] entries.
        key_lines: Option<HashMap<String, u32>>,
        anchor: usize,
        tag: Option<Tag>,
        line: u32,
        column: u32,
        size: usize,
    },
}

struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    node_budget: usize,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event, line: u32, column: u32) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ParseError::at(
                        "the file contains more than one YAML document; split it into one template per file",
                        line,
                        column,
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let size = NODE_COST + value.len();
                self.spend(size, line, column)?;
                let node = scalar(value, style, tag.as_ref(), line, column);
                self.finish(node, anchor, size, line, column)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.push(Open::Seq { items: Vec::new(), anchor, tag, line, column, size: NODE_COST }, line, column)?;
            }
            Event::MappingStart(anchor, tag) => {
                let open =
                    Open::Map { entries: Vec::new(), key: None, key_lines: None, anchor, tag, line, column, size: NODE_COST };
                self.push(open, line, column)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Err(ParseError::at("unbalanced end of a collection", line, column));
                };
                let (node, anchor, size) = match open {
                    Open::Seq { items, anchor, tag, line, column, size } => {
                        (tagged(NodeKind::Seq(items), tag.as_ref(), line, column), anchor, size)
                    }
                    Open::Map { entries, anchor, tag, line, column, size, .. } => {
                        (tagged(NodeKind::Map(entries), tag.as_ref(), line, column), anchor, size)
                    }
                };
                self.finish(node, anchor, size, line, column)?;
            }
            Event::Alias(anchor) => {
                let Some((node, size)) = self.anchors.get(&anchor).cloned() else {
                    return Err(ParseError::at("alias to an undefined anchor", line, column));
                };
                self.spend(size, line, column)?;
                let mut node = node;
                node.line = line;
                node.column = column;
                self.finish(node, 0, size, line, column)?;
            }
            Event::StreamStart | Event::DocumentEnd | Event::Nothing | Event::StreamEnd => {}
        }
        Ok(())
    }

    fn push(&mut self, open: Open, line: u32, column: u32) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseError::at(format!("nesting is deeper than {MAX_DEPTH} levels"), line, column));
        }
        self.spend(NODE_COST, line, column)?;
        self.stack.push(open);
        Ok(())
    }

    fn spend(&mut self, nodes: usize, line: u32, column: u32) -> Result<(), ParseError> {
        if nodes > self.node_budget {
            return Err(ParseError::at(
                "aliases expand the document far beyond its size (a YAML alias bomb); remove the nested aliases",
                line,
                column,
            ));
        }
        self.node_budget -= nodes;
        Ok(())
    }

    /// Attaches a finished node to its parent, or makes it the root.
    fn finish(&mut self, node: Node, anchor: usize, size: usize, line: u32, column: u32) -> Result<(), ParseError> {
        if anchor > 0 {
            // The stored copy costs memory as well.
            self.spend(size, line, column)?;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq { items, size: total, .. }) => {
                *total += size;
                items.push(node);
            }
            Some(Open::Map { entries, key, key_lines, size: total, .. }) => match key.take() {
                None => {
                    let name = match node.kind {
                        NodeKind::String(text) => text,
                        NodeKind::Number(number) => number.to_string(),
                        NodeKind::Bool(value) => value.to_string(),
                        NodeKind::Null => "null".to_owned(),
                        _ => return Err(ParseError::at("a mapping key must be a scalar", line, column)),
                    };
                    if name == "<<" {
                        return Err(ParseError::at(
                            "YAML merge keys (`<<`) are not supported in CloudFormation templates",
                            line,
                            column,
                        ));
                    }
                    // CloudFormation rejects a template with a repeated key;
                    // keeping either value silently could hide a setting.
                    let first = match key_lines {
                        Some(lines) => lines.get(&name).copied(),
                        None => entries.iter().find(|(existing, _)| *existing == name).map(|(_, value)| value.line),
                    };
                    if let Some(first) = first {
                        return Err(ParseError::at(
                            format!("duplicate key `{name}` (first at line {first}); remove one of them"),
                            line,
                            column,
                        ));
                    }
                    *key = Some((name, line));
                }
                Some((name, key_line)) => {
                    *total += size;
                    if key_lines.is_none() && entries.len() >= LINEAR_KEY_SEARCH {
                        *key_lines = Some(entries.iter().map(|(existing, value)| (existing.clone(), value.line)).collect());
                    }
                    if let Some(lines) = key_lines {
                        lines.insert(name.clone(), key_line);
                    }
                    entries.push((name, node));
                }
            },
        }
        Ok(())
    }
}

/// Resolves a scalar by the YAML 1.2 core schema, which is what
/// CloudFormation applies to unquoted values.
fn scalar(value: String, style: TScalarStyle, tag: Option<&Tag>, line: u32, column: u32) -> Node {
    let kind = if style != TScalarStyle::Plain || tag.is_some() {
        NodeKind::String(value)
    } else {
        match value.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
            "true" | "True" | "TRUE" => NodeKind::Bool(true),
            "false" | "False" | "FALSE" => NodeKind::Bool(false),
            _ => match parse_number(&value) {
                Some(number) => NodeKind::Number(number),
                None => NodeKind::String(value),
            },
        }
    };
    tagged(kind, tag, line, column)
}

fn parse_number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let looks_numeric = digits.chars().next().is_some_and(|first| first.is_ascii_digit() || first == '.')
        && digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    // Leading zeros (account ids, octal-looking strings) stay strings, as
    // CloudFormation treats them.
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !looks_numeric || leading_zero {
        return None;
    }
    text.parse().ok()
}

/// Wraps a value carrying a CloudFormation short-form tag in the long form.
fn tagged(kind: NodeKind, tag: Option<&Tag>, line: u32, column: u32) -> Node {
    let inner = Node::new(kind, line, column);
    let Some(tag) = tag else { return inner };
    if tag.handle != "!" {
        return inner;
    }
    let function = match tag.suffix.as_str() {
        "Ref" => "Ref".to_owned(),
        "Condition" => "Condition".to_owned(),
        "GetAtt" => {
            let value = match &inner.kind {
                NodeKind::String(text) => match text.split_once('.') {
                    Some((resource, attribute)) => NodeKind::Seq(vec![
                        Node::new(NodeKind::String(resource.to_owned()), line, column),
                        Node::new(NodeKind::String(attribute.to_owned()), line, column),
                    ]),
                    None => inner.kind.clone(),
                },
                _ => inner.kind.clone(),
            };
            return wrap("Fn::GetAtt", Node::new(value, line, column), line, column);
        }
        other => format!("Fn::{other}"),
    };
    wrap(&function, inner, line, column)
}

fn wrap(function: &str, value: Node, line: u32, column: u32) -> Node {
    Node::new(NodeKind::Map(vec![(function.to_owned(), value)]), line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_form_tags_become_long_form() {
        let node = parse("A: !Ref Bucket\nB: !GetAtt Key.Arn\nC: !If [IsProd, 1, 2]\n").unwrap();
        assert_eq!(node.get("A").unwrap().get("Ref").unwrap().as_str(), Some("Bucket"));
        let get_att = node.get("B").unwrap().get("Fn::GetAtt").unwrap().as_seq().unwrap();
        assert_eq!(get_att[1].as_str(), Some("Arn"));
        assert_eq!(node.get("C").unwrap().get("Fn::If").unwrap().as_seq().unwrap().len(), 3);
    }

    #[test]
    fn positions_are_one_based() {
        let node = parse("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n").unwrap();
        let type_node = node.get("Resources").unwrap().get("Bucket").unwrap().get("Type").unwrap();
        assert_eq!((type_node.line, type_node.column), (3, 11));
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut previous = "a";
        for name in names {
            text.push_str(&format!("{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"));
            previous = name;
        }
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("alias bomb"), "{}", error.message);
    }

    #[test]
    fn quoted_numbers_stay_strings() {
        let node = parse("a: '5'\nb: 5\nc: 0123\n").unwrap();
        assert_eq!(node.get("a").unwrap().as_str(), Some("5"));
        assert_eq!(node.get("b").unwrap().as_i64(), Some(5));
        assert_eq!(node.get("c").unwrap().as_str(), Some("0123"));
    }

    #[test]
    fn quoted_scalar_at_key_indentation_is_accepted() {
        let node = parse("A:\n  Description: 'one\n  two'\n  Type: String\n").unwrap();
        let a = node.get("A").unwrap();
        assert_eq!(a.get("Description").unwrap().as_str(), Some("one two"));
        assert_eq!(a.get("Type").unwrap().line, 4);
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let error = parse("A: 1\nB: 2\nA: 3\n").unwrap_err();
        assert!(error.message.contains("duplicate key `A` (first at line 1)"), "{}", error.message);
        let many: String = (0..100).map(|index| format!("K{index}: x\n")).collect::<String>() + "K7: y\n";
        let error = parse(&many).unwrap_err();
        assert!(error.message.contains("duplicate key `K7` (first at line 8)"), "{}", error.message);
    }

    #[test]
    fn aliased_long_strings_count_against_the_budget() {
        let long = "x".repeat(1 << 16);
        let mut text = format!("a: &a \"{long}\"\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n");
        let mut previous = 'b';
        for name in 'c'..='k' {
            text.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}]\n"));
            previous = name;
        }
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("alias bomb"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let text = "[".repeat(5_000);
        assert!(parse(&text).is_err());
    }
}
