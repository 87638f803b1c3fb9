//! The edge's error: every failure a command can meet, each naming its file and position.
//! Messages never carry a secret value: core errors are built without them.

use std::path::PathBuf;

use crate::compose::{ComposeError, ReadError};
use crate::dotenv::ParseError;

/// A failure that stops a command (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Loading the compose project failed.
    #[error("{0}")]
    Compose(#[from] ComposeError),
    /// A `.env`-syntax file is invalid.
    #[error("{}:{}", file.display(), error)]
    Env {
        /// The file (as shown to the user).
        file: PathBuf,
        /// What and where.
        error: ParseError,
    },
    /// `envward.toml` is invalid.
    #[error("{}:{}", file.display(), error)]
    Config {
        /// The file (as shown to the user).
        file: PathBuf,
        /// What and where.
        error: crate::config::ConfigError,
    },
    /// The built-in templates are broken (a build defect, never user input).
    #[error("{0}")]
    Templates(#[from] crate::analysis::knowledge::TemplateFileError),
    /// A file could not be read.
    #[error("{}", read_message(file, error))]
    Read {
        /// The file (as shown to the user).
        file: PathBuf,
        /// Why.
        error: ReadError,
    },
    /// Writing, backing up or encrypting failed (the store names the file).
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    /// A value could not be generated under its constraints.
    #[error("{0}")]
    Generate(#[from] crate::generate::GenerateError),
    /// A planned value cannot be written so that it reads back unchanged.
    #[error("{0}")]
    Edit(#[from] crate::dotenv::EditError),
    /// The arguments do not make sense together.
    #[error("{0}")]
    Usage(String),
    /// Writing output failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn read_message(file: &std::path::Path, error: &ReadError) -> String {
    match error {
        ReadError::InvalidUtf8 { position } => {
            format!("{}:{position}: {error}", file.display())
        }
        other => format!("{}: {other}", file.display()),
    }
}
