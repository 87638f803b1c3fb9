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
    /// The rotation state file beside the live file is invalid.
    #[error("{}:{}", file.display(), error)]
    State {
        /// The file.
        file: PathBuf,
        /// What and where.
        error: crate::rotate::state::StateError,
    },
    /// A rotation cannot be planned or carried out.
    #[error("{0}")]
    Rotate(#[from] crate::rotate::RotateError),
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

/// The one line a panic prints, whatever it was about. A panic's own message can quote the
/// text it choked on, which may be a secret, so it is never printed.
pub const PANIC_LINE: &str = "error: internal error (a bug in envward); no details are printed because they could contain secrets";

/// Prints [`PANIC_LINE`] and ends the process with exit code 2 (envward could not do its
/// job), from whichever thread panicked. No destructor runs: a temporary file being written
/// stays behind (private, and swept by the next run), and the live file is old or new whole.
pub fn exit_after_panic() -> ! {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{PANIC_LINE}");
    std::process::exit(2)
}

/// Makes every panic print [`PANIC_LINE`] and exit 2, with no payload and no backtrace.
/// Call it first thing in `main`; the TUI replaces it with a hook that restores the terminal
/// and then calls [`exit_after_panic`].
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|_| exit_after_panic()));
}
