//! The TUI's modes (the list, or a prompt or overlay above it) and the small types its
//! model is made of: the status line, work in progress, undo steps, preview lines.

use std::path::PathBuf;

use secrecy::SecretString;

use super::editor::EditState;
use super::keys::Context;
use crate::dotenv::Document;

/// How a line of the change preview changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// New in the live file.
    Added,
    /// A different value.
    Changed,
    /// No longer in the live file.
    Removed,
}

/// One line of the change preview: masked unless `sensitive` is false.
pub struct DiffLine {
    /// The variable.
    pub name: String,
    /// How it changes.
    pub kind: DiffKind,
    /// The value on disk.
    pub old: Option<SecretString>,
    /// The value to be saved.
    pub new: Option<SecretString>,
    /// Whether the values are hidden.
    pub sensitive: bool,
    /// Why it changes with another line (its group, the password its URL carries, the
    /// secret its token is signed with), when it does.
    pub why: Option<String>,
}

/// What a short typed answer is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The name of a new variable.
    NewName,
    /// The variable that `name` holds the same value as.
    SameAs(String),
    /// Why the finding `rule` about `name` is ignored.
    IgnoreReason {
        /// The variable.
        name: String,
        /// The rule of the finding.
        rule: crate::analysis::RuleId,
    },
}

/// A short answer being typed (names and reasons: never values).
#[derive(Debug, Clone)]
pub struct AskState {
    /// What it is for.
    pub ask: Ask,
    /// What was typed.
    pub text: String,
}

/// What a yes/no question leads to.
#[derive(Debug)]
pub enum Pending {
    /// Generate these values (some replace a value already set).
    Generate(Vec<crate::plan::Step>),
    /// Delete this variable from the live file.
    Delete(String),
    /// Read the live file again, dropping unsaved changes.
    Reload,
}

/// A yes/no question.
#[derive(Debug)]
pub struct Confirm {
    /// The overlay's title.
    pub title: String,
    /// What will happen, and why it may hurt.
    pub text: String,
    /// What `y` does.
    pub then: Pending,
}

/// The env files of the project, to switch between.
#[derive(Debug, Clone)]
pub struct FilesState {
    /// Absolute paths.
    pub files: Vec<PathBuf>,
    /// The highlighted one.
    pub selected: usize,
}

/// What the keyboard is doing: the list, or a prompt or overlay above it.
#[derive(Debug)]
pub enum Mode {
    /// The list.
    List,
    /// Typing a value.
    Edit(Box<EditState>),
    /// Typing a search (the text is [`Model::search`]).
    Search,
    /// Typing a short answer.
    Ask(AskState),
    /// The help overlay.
    Help,
    /// The change preview, scrolled by this many lines.
    Diff(usize),
    /// Every finding; the highlighted one.
    Problems(usize),
    /// The decisions menu for the selected variable.
    Mark,
    /// Choosing another env file.
    Files(FilesState),
    /// A yes/no question.
    Confirm(Box<Confirm>),
    /// Quit with unsaved changes?
    ConfirmQuit,
    /// The file changed on disk: reload or keep?
    Conflict,
    /// A one-time notice the user must read (the identity was created: keep it safe).
    Notice(String),
    /// The plan of a rotation just started with `t` (read like a notice).
    RotationPlan(String),
}

impl Mode {
    /// The key table's context for this mode.
    pub fn context(&self) -> Context {
        match self {
            Mode::List => Context::List,
            Mode::Edit(_) => Context::Edit,
            Mode::Search => Context::Search,
            Mode::Ask(_) => Context::Ask,
            Mode::Help => Context::Help,
            Mode::Diff(_) => Context::Diff,
            Mode::Problems(_) => Context::Problems,
            Mode::Mark => Context::Mark,
            Mode::Files(_) => Context::Files,
            Mode::Confirm(_) => Context::Confirm,
            Mode::ConfirmQuit => Context::ConfirmQuit,
            Mode::Conflict => Context::Conflict,
            Mode::Notice(_) | Mode::RotationPlan(_) => Context::Notice,
        }
    }
}

/// How a status message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Neutral.
    Info,
    /// Something worked.
    Good,
    /// Something needs attention.
    Warn,
    /// Something failed.
    Error,
}

/// The message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// What to say (never a value).
    pub text: String,
    /// How.
    pub tone: Tone,
}

/// Work running on the worker thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// Saving (and encrypting the backups).
    Saving,
    /// Reading the live file again.
    Reloading,
    /// Writing `envward.toml` or the example file.
    Recording,
    /// Opening another env file.
    Opening,
}

/// One step back: the working document before a change.
pub struct Undo {
    /// The document (`None`: no live file yet).
    pub doc: Option<Document>,
    /// Its revision.
    pub revision: u64,
    /// What the change did, for the status line.
    pub what: String,
}

/// The most changes `u` can take back.
pub const UNDO_LIMIT: usize = 200;
