//! Source locations: which file, and which line and column inside it, or
//! which live AWS resource.

use std::fmt;
use std::sync::Arc;

/// A position in an input file. Lines and columns start at 1; a location
/// with line 0 means the input has no line structure (a live resource).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl Location {
    pub fn new(file: Arc<str>, line: u32, column: u32) -> Self {
        Self { file, line, column }
    }

    /// Creates the location of a resource read from a live account: `file`
    /// contains its ARN (or another id when the resource has no ARN) and the
    /// line is 0.
    pub fn live(arn: &str) -> Self {
        Self { file: Arc::from(arn), line: 0, column: 0 }
    }

    /// Returns whether the location names a live resource rather than a
    /// position in a file.
    pub fn is_live(&self) -> bool {
        self.line == 0
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}
