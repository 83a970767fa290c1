//! Why a body did not decode, and where: the JSON path is built while the error
//! travels out of the nested values, so a successful decode never pays for it.

use std::fmt;

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A decoding failure: what was wrong, and the JSON path (`data[3].created_at`) of the
/// value it was wrong about.
#[derive(Debug, Clone)]
pub struct JsonError {
    message: String,
    /// Innermost step first: each enclosing object or array adds its step on the way out.
    steps: Vec<Step>,
}

impl JsonError {
    #[cold]
    pub fn new(message: String) -> Self {
        JsonError {
            message,
            steps: Vec::new(),
        }
    }

    pub(super) fn push_key(&mut self, key: &str) {
        self.steps.push(Step::Key(key.to_owned()));
    }

    pub(super) fn push_index(&mut self, index: usize) {
        self.steps.push(Step::Index(index));
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JSON path of the value the error is about (`.` for the whole body): for a
    /// missing field, the object that lacks it.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for step in self.steps.iter().rev() {
            match step {
                Step::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Step::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        path
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at `{}`", self.message, self.path())
    }
}

impl std::error::Error for JsonError {}

/// The error for the first required field that is absent, given each required field's
/// wire name and whether it was read. Generated decoders call it once, after the whole
/// object is read, so no required field adds an early return of its own.
#[cold]
pub fn missing(fields: &[(bool, &'static str)]) -> JsonError {
    let absent = fields.iter().find(|(present, _)| !present);
    JsonError::new(format!(
        "missing field `{}`",
        absent.map_or("", |(_, name)| name)
    ))
}
