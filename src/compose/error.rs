//! Why a compose project could not be loaded: typed, located errors, rendered once at the edge
//! as `FILE:LINE:COL: message`. Messages never quote a value from the files.

use std::path::PathBuf;

use crate::dotenv;
use crate::interpolate::TemplateError;
use crate::position::Position;

/// Why a file could not be read. The edge maps its I/O errors onto these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist.
    #[error("no such file")]
    NotFound,
    /// The path is a directory.
    #[error("is a directory, not a file")]
    IsDirectory,
    /// The file exceeds the size envward reads.
    #[error(
        "file is too large ({}); envward reads files of at most {}",
        byte_size(*size),
        byte_size(*limit)
    )]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("invalid UTF-8")]
    InvalidUtf8 {
        /// Where the first invalid byte is.
        position: Position,
    },
    /// Any other I/O failure, described.
    #[error("{0}")]
    Io(String),
}

/// A size for messages: bytes below 1 MiB, else MiB with one decimal.
fn byte_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes < MIB {
        format!("{bytes} bytes")
    } else {
        let tenths = bytes.saturating_mul(10) / MIB;
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

/// What went wrong while loading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeErrorKind {
    /// The file could not be read.
    #[error("{0}")]
    Read(ReadError),
    /// YAML syntax.
    #[error("invalid YAML: {0}")]
    Yaml(String),
    /// The top level is not a mapping.
    #[error("a compose file must be a mapping of sections (services, volumes …), but this is {0}")]
    NotMapping(&'static str),
    /// A malformed `${` or a `:?` variable that is missing where Compose evaluates it.
    #[error("{0}")]
    Template(TemplateError),
    /// The env file has a syntax or interpolation error.
    #[error("{0}")]
    EnvFile(dotenv::ParseErrorKind),
    /// No compose file found by discovery.
    #[error(
        "no compose file found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml here and in parent directories); use -f FILE"
    )]
    NoComposeFile,
    /// `include:` or `extends:` loops.
    #[error("{0} cycle: this file includes or extends itself")]
    Cycle(&'static str),
    /// `include:` (or `extends:`) nests deeper than envward follows.
    #[error("{0} nested more than 64 files deep")]
    TooDeep(&'static str),
    /// `extends:` names a service that does not exist.
    #[error("extends: no service named {0:?}")]
    UnknownService(String),
    /// A value of the wrong shape in a place Compose checks.
    #[error("{0}")]
    Shape(String),
    /// `include:` or `extends:` names a file outside the project directory. Compose reads it;
    /// envward does not read files a cloned repository points at outside itself.
    #[error(
        "{0} {1} is outside the project directory {2}; envward reads only files inside it (give it with -f to read it anyway)"
    )]
    OutsideProject(&'static str, PathBuf, PathBuf),
}

/// A loading error, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ComposeError {
    /// The file at fault (relative to the working directory when inside it).
    pub file: PathBuf,
    /// The position, where there is one.
    pub position: Option<Position>,
    /// What is wrong.
    pub kind: ComposeErrorKind,
}

impl std::fmt::Display for ComposeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.position, &self.kind) {
            (_, ComposeErrorKind::Read(ReadError::InvalidUtf8 { position })) => {
                write!(f, "{}:{position}: {}", self.file.display(), self.kind)
            }
            (Some(p), _) => write!(f, "{}:{p}: {}", self.file.display(), self.kind),
            (None, _) => write!(f, "{}: {}", self.file.display(), self.kind),
        }
    }
}
