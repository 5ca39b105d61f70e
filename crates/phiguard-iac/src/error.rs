//! Errors for inputs that cannot be read or parsed.

use std::fmt;

/// Why one input file could not be parsed, with the position when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// 1-based line and column, when the error has a position.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl ParseError {
    pub fn at(message: impl Into<String>, line: u32, column: u32) -> Self {
        Self { message: message.into(), line: Some(line), column: Some(column) }
    }

    pub fn encoding(message: String) -> Self {
        Self { message, line: None, column: None }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Self { message: message.into(), line: None, column: None }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}
