//! What can go wrong in a task, as one type: the tasks' library functions return it, and
//! [`crate::cli`] turns it into a message and an exit status.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// The command line is wrong (exit status 2, with the command's usage).
    Usage(lexopt::Error),
    /// Run outside a checkout of this project.
    NoCheckout,
    /// A file or directory could not be read, written or created.
    Io { path: PathBuf, source: io::Error },
    /// A program could not be started.
    Spawn { program: String, source: io::Error },
    /// A program ran and did not succeed: what it was for, and what it said.
    Failed { what: String, detail: String },
    /// A spec does not generate: the generator's message, which names the node.
    Generate { spec: PathBuf, message: String },
    /// A file lacks a line the task needs (the markers around a generated block).
    MissingLine { file: String, line: String },
    /// The checkout or a tool's output is not what the task needs, said in a sentence
    /// (the crate differs from its spec, a tool printed no summary, ...).
    Unexpected(String),
}

impl Error {
    /// A closure for `map_err` that names the file an I/O error happened on.
    pub fn io(path: impl AsRef<Path>) -> impl FnOnce(io::Error) -> Error {
        let path = path.as_ref().to_path_buf();
        move |source| Error::Io { path, source }
    }

    /// A closure for `map_err` that names the program that could not be started.
    pub fn spawn(program: impl fmt::Display) -> impl FnOnce(io::Error) -> Error {
        let program = program.to_string();
        move |source| Error::Spawn { program, source }
    }

    pub fn failed(what: impl Into<String>, detail: impl Into<String>) -> Error {
        Error::Failed {
            what: what.into(),
            detail: detail.into(),
        }
    }

    /// The process exit status this error ends a task with.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::NoCheckout => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(e) => write!(f, "{e}"),
            Error::NoCheckout => f.write_str(
                "not inside a clerk-api checkout: no directory above holds both Cargo.toml \
                 and xtask/Cargo.toml (run `cargo xtask` from the checkout)",
            ),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Spawn { program, source } => write!(f, "cannot run {program}: {source}"),
            Error::Failed { what, detail } if detail.is_empty() => write!(f, "{what} failed"),
            Error::Failed { what, detail } => write!(f, "{what} failed:\n{detail}"),
            Error::Generate { spec, message } => write!(f, "{}: {message}", spec.display()),
            Error::MissingLine { file, line } => write!(f, "{file} has no line `{line}`"),
            Error::Unexpected(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Usage(e) => Some(e),
            Error::Io { source, .. } | Error::Spawn { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<lexopt::Error> for Error {
    fn from(e: lexopt::Error) -> Error {
        Error::Usage(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
