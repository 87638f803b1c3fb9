//! `audit`'s planner: facts gathered at the edge (modes, git, backups, build contexts) turned
//! into the secrets strategy's monthly checklist, one pass / fail / unknown [`Item`] each,
//! with evidence that names files, commits and variables and never a value.
//!
//! Pure: no file, process or clock. [`history`] finds values in the `git log` output the edge
//! streams in, [`literals`] finds literal secrets in tracked config files, [`build`] judges
//! Docker build contexts, [`rotation`] compares last-set dates with the schedule, and
//! [`checks`] makes the remaining items from the [`Facts`].

pub mod build;
mod checks;
pub mod history;
pub mod literals;
pub mod rotation;

use std::path::PathBuf;

use jiff::Timestamp;

use crate::analysis::{GitFacts, Inventory};
use crate::compose::Project;
use crate::position::Position;

/// One checklist line's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Checked, and fine.
    Pass,
    /// Checked, and something must be done.
    Fail,
    /// Could not be checked; the summary says why.
    Unknown,
}

impl Status {
    /// `pass`, `fail` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

macro_rules! items {
    ($($variant:ident => $id:literal, $title:literal;)*) => {
        /// Which checklist line an item answers.
        #[allow(clippy::doc_markdown)] // The titles are report text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum ItemId { $(#[doc = $title] $variant,)* }

        impl ItemId {
            /// Every item, in report order.
            pub const ALL: &'static [ItemId] = &[$(ItemId::$variant,)*];

            /// The stable id used in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $(ItemId::$variant => $id,)* }
            }

            /// The checklist line, for people.
            pub fn title(self) -> &'static str {
                match self { $(ItemId::$variant => $title,)* }
            }
        }
    };
}

items! {
    Permissions => "permissions", "The live file, every backup and the identity are 0600 and yours";
    GitIgnored => "git-ignored", "The live file is ignored by git and not tracked";
    GitHistory => "git-history", "No current or backed-up secret value is in git history";
    GitLiterals => "git-literals", "No tracked config file hardcodes a secret";
    Rotation => "rotation", "Every secret is within its rotation schedule";
    Recovery => "recovery", "Recovery drill: the newest backup decrypts, equals the live file and restores";
    ExampleDrift => "example-drift", "The example lists every variable compose requires and nothing unused";
    BuildContext => "build-context", "No Docker build context sends the live file to the builder";
    LeastPrivilege => "least-privilege", "No service gets secrets through env_file that it never references";
}

/// One piece of evidence. It names places and variables; it never holds a value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The sentence shown to people.
    pub text: String,
    /// The file concerned.
    pub file: Option<PathBuf>,
    /// Where in it.
    pub position: Option<Position>,
    /// The commit (12 hex digits).
    pub commit: Option<String>,
    /// The commit's or backup's date.
    pub date: Option<jiff::civil::Date>,
    /// The variable concerned.
    pub variable: Option<String>,
    /// The compose service concerned.
    pub service: Option<String>,
}

/// One checklist line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Which line.
    pub id: ItemId,
    /// The verdict.
    pub status: Status,
    /// One sentence: what was checked and what was found (or why it could not be).
    pub summary: String,
    /// The details behind a fail (and the files checked, for some passes).
    pub evidence: Vec<Evidence>,
}

impl Item {
    /// An item without evidence.
    pub fn new(id: ItemId, status: Status, summary: impl Into<String>) -> Self {
        Item {
            id,
            status,
            summary: summary.into(),
            evidence: Vec::new(),
        }
    }
}

/// A file's mode and owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFact {
    /// As shown to the user.
    pub path: PathBuf,
    /// Permission bits.
    pub mode: u32,
    /// Owner's user id.
    pub owner: u32,
}

/// The tracked config files read for literal secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiteralScan {
    /// How many files were read.
    pub files: usize,
    /// What they hardcode.
    pub found: Vec<literals::Literal>,
}

/// How the recovery drill went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drill {
    /// There is no backup to restore.
    NoBackups,
    /// The newest backup was tried.
    Newest {
        /// The backup, as shown to the user.
        path: PathBuf,
        /// When it was made.
        time: Timestamp,
        /// What happened.
        outcome: DrillOutcome,
    },
}

/// The result of restoring the newest backup in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrillOutcome {
    /// It did not decrypt with the identity (the reason names no value).
    CannotDecrypt(String),
    /// It decrypted to something that is not a valid env file.
    NotRestorable(String),
    /// It restores, but differs from the live file: the latest change is not backed up.
    Differs,
    /// It decrypts, equals the live file and a restore dry run succeeds.
    Restores,
}

/// Everything the audit reads, gathered at the edge. `Err` parts are unknown, with the
/// reason.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The analysis of the project.
    pub inventory: &'a Inventory,
    /// The compose project.
    pub project: &'a Project,
    /// The user running the audit.
    pub uid: u32,
    /// The live file (`None`: it does not exist).
    pub live: Option<FileFact>,
    /// Every backup.
    pub backups: Vec<FileFact>,
    /// The identity file.
    pub identity: Result<FileFact, String>,
    /// The live file's standing in git.
    pub git: Result<GitFacts, String>,
    /// The history scan.
    pub history: Result<history::Scan, String>,
    /// Literal secrets in tracked config files.
    pub literals: Result<LiteralScan, String>,
    /// Last-set dates.
    pub rotation: &'a rotation::Records,
    /// The recovery drill.
    pub drill: Result<Drill, String>,
    /// Docker build contexts.
    pub builds: Vec<build::BuildContext>,
    /// The date the audit is as of.
    pub as_of: Timestamp,
    /// The history bound, if any.
    pub since: Option<Timestamp>,
}

/// The audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The date it is as of.
    pub as_of: Timestamp,
    /// The history bound.
    pub since: Option<Timestamp>,
    /// The live file, as shown to the user.
    pub env_file: PathBuf,
    /// Every item, in [`ItemId::ALL`] order.
    pub items: Vec<Item>,
    /// Checklist lines envward cannot check, for the reader to do by hand.
    pub not_checked: Vec<&'static str>,
}

impl Report {
    /// Whether any item failed.
    pub fn failed(&self) -> bool {
        self.items.iter().any(|i| i.status == Status::Fail)
    }

    /// How many items have `status`.
    pub fn count(&self, status: Status) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }
}

/// A timestamp's UTC date.
pub fn date(t: Timestamp) -> jiff::civil::Date {
    t.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Runs the checklist over the facts.
pub fn audit(facts: &Facts<'_>) -> Report {
    let items = vec![
        checks::permissions(facts),
        checks::git_ignored(facts),
        checks::git_history(facts),
        checks::git_literals(facts),
        rotation::check(facts.inventory, facts.rotation, facts.as_of),
        checks::recovery(facts),
        checks::example_drift(facts),
        checks::build_context(facts),
        checks::least_privilege(facts),
    ];
    Report {
        as_of: facts.as_of,
        since: facts.since,
        env_file: facts.inventory.env_file.clone(),
        items,
        not_checked: vec![
            "Review access logs for anomalies: envward cannot see who read the server's files",
        ],
    }
}
