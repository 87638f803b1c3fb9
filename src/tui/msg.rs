//! What flows into [`update`](super::update) ([`Msg`]) and what it asks the loop to do
//! ([`Cmd`]).
//!
//! Everything that touches the world is a `Cmd`: drawing random bytes, saving (which also
//! encrypts the backups) and reloading. The loop performs it and answers with a `Msg`, so
//! `update` stays a plain function of the model and the message.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use crate::analysis::FileFacts;
use crate::cli::save::SaveOptions;
use crate::cli::workspace::{EnvFile, Workspace};
use crate::generate::GenerateError;
use crate::plan::Change;

/// An input to `update`.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed (resolved through the key table by `update`).
    Key(KeyEvent),
    /// Text was pasted (bracketed paste).
    Paste(String),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The values asked for by [`Cmd::Generate`].
    Generated(Result<Vec<Change>, GenerateError>),
    /// The outcome of [`Cmd::Save`].
    Saved(Result<Box<SaveDone>, SaveFailure>),
    /// The outcome of [`Cmd::Reload`].
    Reloaded(Result<Box<Reloaded>, String>),
    /// The outcome of [`Cmd::Analyze`].
    Analyzed(Box<Analyzed>),
    /// The outcome of [`Cmd::Record`].
    Recorded(Result<Box<Recorded>, String>),
    /// The outcome of [`Cmd::Open`].
    Opened(Result<Box<Opened>, String>),
    /// The project's env files, answering [`Cmd::ListFiles`].
    EnvFiles(Vec<PathBuf>),
    /// A mouse click or wheel turn.
    Mouse(crossterm::event::MouseEvent),
    /// SIGTERM, SIGHUP or SIGINT: leave now.
    Terminate,
}

/// A side effect for the loop to perform.
#[derive(Debug)]
pub enum Cmd {
    /// Draw values from the OS generator for these variables (fast: done on the UI thread).
    Generate(Vec<crate::plan::Step>),
    /// Save the live file on the worker thread.
    Save(Box<SaveJob>),
    /// Read the live file again on the worker thread.
    Reload(Box<ReloadJob>),
    /// Re-analyse a large project on the worker thread, so the next frame does not wait.
    Analyze(Box<AnalyzeJob>),
    /// Write a decision to `envward.toml` or the example file (not secret: no backup).
    Record(Box<RecordJob>),
    /// Load the project again with another live env file.
    Open(Box<crate::cli::GlobalArgs>),
    /// List the project's env files (in this directory).
    ListFiles(PathBuf),
    /// Put this value on the clipboard (OSC 52), because the user asked for it.
    Copy(secrecy::SecretString),
}

/// Which file a decision goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `envward.toml`.
    Config,
    /// The example file.
    Example,
}

/// A decision to write: the whole new text of a small, non-secret file.
#[derive(Debug, Clone)]
pub struct RecordJob {
    /// Which file.
    pub target: Target,
    /// Where it is.
    pub path: PathBuf,
    /// The text it had when read (`None`: it did not exist); the write is refused if the
    /// file changed since.
    pub expected: Option<String>,
    /// The new text.
    pub text: String,
    /// What the decision was, for the status line.
    pub what: String,
}

/// A decision written.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The job, as done.
    pub job: RecordJob,
}

/// The project loaded with another live file.
#[derive(Debug)]
pub struct Opened {
    /// The workspace.
    pub ws: Workspace,
    /// The live file's mode and git standing.
    pub facts: FileFacts,
    /// The policy for it (chosen by its name unless `--policy` was given).
    pub policy: crate::analysis::Policy,
}

/// A re-analysis of the working copy: everything `analyze_with` reads.
#[derive(Debug)]
pub struct AnalyzeJob {
    /// The workspace with the working copy as its live file.
    pub ws: crate::cli::workspace::Workspace,
    /// Built-in knowledge (shares its strength memo with the model's).
    pub knowledge: crate::analysis::Knowledge,
    /// The policy.
    pub policy: crate::analysis::Policy,
    /// File facts captured at start-up.
    pub facts: crate::analysis::FileFacts,
    /// The time captured at start-up.
    pub now: jiff::Timestamp,
    /// The working copy's revision this analysis is of.
    pub revision: u64,
}

/// The result of an [`AnalyzeJob`].
#[derive(Debug)]
pub struct Analyzed {
    /// The revision it is of; stale results (the user changed more since) are dropped.
    pub revision: u64,
    /// The analysis.
    pub inv: crate::analysis::Inventory,
}

/// A save for the worker: the workspace as read from disk (its snapshot lets the store refuse
/// when the file changed since) and the text to write.
#[derive(Debug)]
pub struct SaveJob {
    /// The workspace, with `live` as it was read from disk.
    pub ws: Workspace,
    /// The new content.
    pub text: String,
    /// Identity and symlink handling.
    pub options: SaveOptions,
    /// The model's revision this text is, so `update` knows what is saved.
    pub revision: u64,
}

impl std::fmt::Debug for SaveDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SaveDone")
            .field("live", &self.live)
            .field("backups", &self.backups)
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

/// A successful save, with the file read back so the next save compares against it.
pub struct SaveDone {
    /// The live file, as shown to the user.
    pub live: PathBuf,
    /// The backups written, as shown to the user.
    pub backups: Vec<PathBuf>,
    /// A one-time notice (the identity was created), without values.
    pub notice: Option<String>,
    /// What the save also did beside the live file (old backups pruned, leftover temporary
    /// files removed, future-dated backups seen), in words, for the status line.
    pub housekeeping: Vec<String>,
    /// The file as now on disk.
    pub disk: EnvFile,
    /// Its mode and git standing now.
    pub facts: FileFacts,
    /// The revision saved.
    pub revision: u64,
}

/// Why a save failed. Messages name files, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveFailure {
    /// Someone else changed the file since it was read.
    ChangedOnDisk(String),
    /// Anything else.
    Other(String),
}

/// Where to read the live file from.
#[derive(Debug, Clone)]
pub struct ReloadJob {
    /// The working directory (for display paths).
    pub cwd: PathBuf,
    /// The live file.
    pub path: PathBuf,
}

/// The live file read again.
#[derive(Debug)]
pub struct Reloaded {
    /// The file, or `None` when it no longer exists.
    pub disk: Option<EnvFile>,
    /// Its mode and git standing.
    pub facts: FileFacts,
}
