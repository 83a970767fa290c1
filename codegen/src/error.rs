//! The one error type of the generator: what went wrong, and where in the spec.

use std::fmt;

/// A spec the generator cannot turn into code, located by a JSON pointer
/// (`#/paths/~1organizations/get`) so the author can find the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pointer: String,
    message: String,
}

impl Error {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// JSON pointer of the node the error is about, always starting with `#`.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something the generator handled with a documented fallback (usually
/// `serde_json::Value`) rather than a precise type; `cargo xtask gen` prints these.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}
