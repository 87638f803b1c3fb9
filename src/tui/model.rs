//! The TUI's state as plain data: the project, the working copy of the live file, its
//! analysis, and where the user is (selection, filter, prompt, overlay).
//!
//! Only [`update`](super::update) changes a `Model`; [`view`](super::view) reads it. Values
//! are held as [`SecretString`]s or inside the working [`Document`] (whose `Debug` is
//! redacted); the model has no `Debug` that could print one.

use std::collections::HashMap;

use secrecy::SecretString;
use zeroize::Zeroizing;

use super::keys::Context;
use crate::analysis::{FileFacts, Inventory, Knowledge, Policy, Status, Variable};
use crate::cli::save::SaveOptions;
use crate::cli::workspace::{EnvFile, Workspace};
use crate::dotenv::Document;
use crate::store::read::Snapshot;

/// Settings fixed for the session.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Colours (off under `NO_COLOR` and `--no-color`; symbols and words stay).
    pub color: bool,
    /// How to save.
    pub save: SaveOptions,
}

/// Which variables the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every variable.
    #[default]
    All,
    /// Every variable that is not `ok`.
    Problems,
    /// One status.
    Only(Status),
}

impl Filter {
    /// The next filter in the `f` cycle: all, problems, each status, all.
    #[must_use]
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Problems,
            Filter::Problems => Filter::Only(Status::ALL[0]),
            Filter::Only(s) => match Status::ALL.iter().position(|x| *x == s) {
                Some(i) if i + 1 < Status::ALL.len() => Filter::Only(Status::ALL[i + 1]),
                _ => Filter::All,
            },
        }
    }

    /// Whether a variable of `status` passes.
    pub fn admits(self, status: Status) -> bool {
        match self {
            Filter::All => true,
            Filter::Problems => status != Status::Ok,
            Filter::Only(s) => s == status,
        }
    }

    /// How the list title names it.
    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Problems => "problems",
            Filter::Only(s) => s.as_str(),
        }
    }
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A section heading of the example.
    Section(String),
    /// A variable: its index in the inventory.
    Var(usize),
}

/// The value being typed. Zeroed when dropped; its `Debug` shows only its length.
pub struct EditState {
    /// The variable.
    pub name: String,
    /// What was typed.
    pub buffer: Zeroizing<String>,
    /// Show it while typing.
    pub reveal: bool,
    /// Whether the variable's value is hidden (config values are typed in clear).
    pub sensitive: bool,
}

impl std::fmt::Debug for EditState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditState")
            .field("name", &self.name)
            .field("chars", &self.buffer.chars().count())
            .field("reveal", &self.reveal)
            .field("sensitive", &self.sensitive)
            .finish_non_exhaustive()
    }
}

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
}

/// What the keyboard is doing: the list, or a prompt or overlay above it.
#[derive(Debug)]
pub enum Mode {
    /// The list.
    List,
    /// Typing a value.
    Edit(EditState),
    /// Typing a search (the text is [`Model::search`]).
    Search,
    /// The help overlay.
    Help,
    /// The change preview, scrolled by this many lines.
    Diff(usize),
    /// Quit with unsaved changes?
    ConfirmQuit,
    /// The file changed on disk: reload or keep?
    Conflict,
    /// A one-time notice the user must read (the identity was created: keep it safe).
    Notice(String),
    /// The plan of a rotation just started with `R` (read like a notice).
    RotationPlan(String),
}

impl Mode {
    /// The key table's context for this mode.
    pub fn context(&self) -> Context {
        match self {
            Mode::List => Context::List,
            Mode::Edit(_) => Context::Edit,
            Mode::Search => Context::Search,
            Mode::Help => Context::Help,
            Mode::Diff(_) => Context::Diff,
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

/// The whole state of the TUI.
// Independent flags of the session (zoom, quitting, analysis due …), not a hidden enum.
#[allow(clippy::struct_excessive_bools)]
pub struct Model {
    /// The project; `ws.live` is the working copy (edited, not yet saved).
    pub ws: Workspace,
    /// The live file as read from disk (the baseline of the preview; its snapshot makes a save
    /// refuse when the file changed since).
    pub disk: Option<EnvFile>,
    /// Built-in knowledge for the analysis.
    pub knowledge: Knowledge,
    /// The strength policy.
    pub policy: Policy,
    /// Mode and git standing of the live file, captured at the edge.
    pub facts: FileFacts,
    /// The time the analysis uses, captured at the edge.
    pub now: jiff::Timestamp,
    /// Session settings.
    pub options: Options,
    /// The analysis of the working copy.
    pub inv: Inventory,
    /// The decoded value of each variable of `inv` (same order), when it has one.
    pub values: Vec<Option<SecretString>>,
    /// The list as shown: sections and variables passing the filter and search.
    pub rows: Vec<Row>,
    /// The selected row (always a variable row), if any.
    pub selected: Option<usize>,
    /// The first list row on screen.
    pub offset: usize,
    /// The status filter.
    pub filter: Filter,
    /// The search text (names containing it, ignoring case).
    pub search: String,
    /// Prompt or overlay.
    pub mode: Mode,
    /// The variable whose value is shown in clear, until the selection moves.
    pub revealed: Option<String>,
    /// Earlier working copies, newest last.
    pub undo: Vec<Undo>,
    /// The working copy's revision; changes get fresh numbers, undo restores old ones.
    pub revision: u64,
    /// The last revision number handed out.
    pub last_revision: u64,
    /// The revision that is on disk.
    pub saved_revision: u64,
    /// Work on the worker thread.
    pub busy: Option<Busy>,
    /// The status line.
    pub status: Option<StatusLine>,
    /// The terminal's size (columns, rows).
    pub size: (u16, u16),
    /// The detail pane is enlarged.
    pub zoom: bool,
    /// Quit once the running save succeeds.
    pub quit_after_save: bool,
    /// Printed after the terminal is restored: a notice that arrived while quitting.
    pub exit_message: Option<String>,
    /// Projects with more variables than this are re-analysed on the worker after a change,
    /// so the next frame comes at once and the statuses follow (a 10,000-variable analysis
    /// takes about 50 ms; smaller ones finish well inside a frame).
    pub analyze_in_background_above: usize,
    /// A re-analysis is needed (set by a change, taken by `update`).
    pub analysis_due: bool,
    /// The revision a background analysis is running for.
    pub analyzing: Option<u64>,
    /// The loop should end.
    pub quit: bool,
}

impl Model {
    /// A model for `ws` as loaded, analysed with `facts` and `now` (captured by the caller, so
    /// the model never reads the clock or the disk).
    pub fn new(
        ws: Workspace,
        knowledge: Knowledge,
        policy: Policy,
        facts: FileFacts,
        now: jiff::Timestamp,
        options: Options,
    ) -> Model {
        let disk = ws.live.clone();
        let inv = ws.analyze_with(&knowledge, policy, facts.clone(), now);
        let mut model = Model {
            ws,
            disk,
            knowledge,
            policy,
            facts,
            now,
            options,
            inv,
            values: Vec::new(),
            rows: Vec::new(),
            selected: None,
            offset: 0,
            filter: Filter::All,
            search: String::new(),
            mode: Mode::List,
            revealed: None,
            undo: Vec::new(),
            revision: 0,
            last_revision: 0,
            saved_revision: 0,
            busy: None,
            status: None,
            size: (80, 24),
            zoom: false,
            quit_after_save: false,
            exit_message: None,
            analyze_in_background_above: 2_000,
            analysis_due: false,
            analyzing: None,
            quit: false,
        };
        model.refresh();
        // Start on the first problem, so its reason shows at once.
        model.selected = model
            .rows
            .iter()
            .position(|r| matches!(r, Row::Var(i) if model.inv.variables[*i].status != Status::Ok))
            .or(model.selected);
        model.scroll_into_view();
        model.status = Some(welcome(&model.inv));
        model
    }

    /// Whether the working copy differs from what is on disk.
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// The working document (`None`: there is no live file and nothing was changed yet).
    pub fn doc(&self) -> Option<&Document> {
        self.ws.live.as_ref().map(|l| &l.document)
    }

    /// Replaces the working document, keeping the file's identity (path, syntax errors).
    pub fn set_doc(&mut self, doc: Option<Document>) {
        self.ws.live = doc.map(|document| match (&self.ws.live, &self.disk) {
            (Some(l), _) | (None, Some(l)) => EnvFile {
                document,
                ..l.clone()
            },
            (None, None) => EnvFile {
                path: self.ws.project.env_file.clone(),
                display: self.ws.display(&self.ws.project.env_file),
                text: String::new(),
                document,
                errors: Vec::new(),
                snapshot: Snapshot::absent(),
            },
        });
    }

    /// The key table's context now.
    pub fn context(&self) -> Context {
        self.mode.context()
    }

    /// The selected variable.
    pub fn selected_var(&self) -> Option<(usize, &Variable)> {
        match self.rows.get(self.selected?)? {
            Row::Var(i) => self.inv.variables.get(*i).map(|v| (*i, v)),
            Row::Section(_) => None,
        }
    }

    /// The decoded value of variable `i` of the inventory.
    pub fn value(&self, i: usize) -> Option<&SecretString> {
        self.values.get(i).and_then(Option::as_ref)
    }

    /// Re-runs the analysis on the working copy (pure: the facts and time captured at the
    /// start), decodes the values and rebuilds the list, keeping the selection on the same
    /// variable where it still shows.
    pub fn refresh(&mut self) {
        self.inv = self
            .ws
            .analyze_with(&self.knowledge, self.policy, self.facts.clone(), self.now);
        self.values = decode_values(self.doc(), &self.ws.os_env, &self.inv);
        self.rebuild_rows();
    }

    /// After a change: re-analyse now on a small project; on a large one, show the new values
    /// at once and let `update` hand the analysis to the worker.
    pub fn refresh_after_change(&mut self) {
        if self.inv.variables.len() > self.analyze_in_background_above {
            self.values = decode_values(self.doc(), &self.ws.os_env, &self.inv);
            self.analysis_due = true;
        } else {
            self.refresh();
        }
    }

    /// The background analysis to start, if one is due and none is running.
    pub fn take_due_analysis(&mut self) -> Option<super::msg::AnalyzeJob> {
        if !self.analysis_due || self.analyzing.is_some() {
            return None;
        }
        self.analysis_due = false;
        self.analyzing = Some(self.revision);
        Some(super::msg::AnalyzeJob {
            ws: self.ws.clone(),
            knowledge: self.knowledge.clone(),
            policy: self.policy,
            facts: self.facts.clone(),
            now: self.now,
            revision: self.revision,
        })
    }

    /// A background analysis finished: adopt it if it is of the current working copy.
    pub fn adopt_analysis(&mut self, revision: u64, inv: Inventory) {
        self.analyzing = None;
        if revision == self.revision && !self.analysis_due {
            self.inv = inv;
            self.values = decode_values(self.doc(), &self.ws.os_env, &self.inv);
            self.rebuild_rows();
        } else {
            // The user changed more meanwhile: analyse the newest copy instead.
            self.analysis_due = true;
        }
    }

    /// Rebuilds the list after the analysis, filter or search changed.
    pub fn rebuild_rows(&mut self) {
        let keep = self.selected_var().map(|(_, v)| v.name.clone());
        let needle = self.search.to_lowercase();
        let mut rows = Vec::with_capacity(self.inv.variables.len() + 16);
        let mut heading: Option<&str> = None;
        for (i, var) in self.inv.variables.iter().enumerate() {
            if !self.filter.admits(var.status)
                || (!needle.is_empty() && !var.name.to_lowercase().contains(&needle))
            {
                continue;
            }
            let this = section_of(var);
            if this.is_some() && this != heading {
                rows.push(Row::Section(this.unwrap_or_default().to_string()));
            }
            heading = this;
            rows.push(Row::Var(i));
        }
        self.rows = rows;
        let by_name = keep.and_then(|name| {
            self.rows
                .iter()
                .position(|r| matches!(r, Row::Var(i) if self.inv.variables[*i].name == name))
        });
        self.selected = by_name.or_else(|| self.rows.iter().position(|r| matches!(r, Row::Var(_))));
        self.scroll_into_view();
    }

    /// Moves `offset` so the selected row (and its section heading, at the top) is on screen.
    pub fn scroll_into_view(&mut self) {
        let height = list_height(self.size, self.zoom).max(1);
        let Some(sel) = self.selected else {
            self.offset = 0;
            return;
        };
        // Show the heading right above the selection when scrolling up onto it.
        let top = if sel > 0 && matches!(self.rows.get(sel - 1), Some(Row::Section(_))) {
            sel - 1
        } else {
            sel
        };
        if top < self.offset {
            self.offset = top;
        } else if sel >= self.offset + height {
            self.offset = sel + 1 - height;
        }
        let max_offset = self.rows.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

/// The first status line: what is wrong and the fastest way to fix it.
fn welcome(inv: &Inventory) -> StatusLine {
    let problems = inv
        .variables
        .iter()
        .filter(|v| v.status != Status::Ok)
        .count();
    let fixable = inv
        .variables
        .iter()
        .filter(|v| crate::plan::is_fillable(v, &super::update::FIXABLE))
        .count();
    let text = match (problems, fixable) {
        (0, _) => "Nothing to fix. ? shows the keys".to_string(),
        (p, 0) => format!("{p} to look at; e types a value · ? keys"),
        (p, f) => format!("{p} to look at; G generates {f} secrets, then s saves · ? keys"),
    };
    StatusLine {
        text,
        tone: if problems == 0 {
            Tone::Good
        } else {
            Tone::Info
        },
    }
}

/// The heading a variable is listed under: its example section, or "Not in the example".
pub fn section_of(var: &Variable) -> Option<&str> {
    match &var.section {
        Some(s) => Some(s.as_str()),
        None if !var.in_example => Some("Not in the example"),
        None => None,
    }
}

/// Decodes every variable's value from the working document, as Compose reads it.
fn decode_values(
    doc: Option<&Document>,
    env: &HashMap<String, String>,
    inv: &Inventory,
) -> Vec<Option<SecretString>> {
    let Some(doc) = doc else {
        return vec![None; inv.variables.len()];
    };
    let mut map: HashMap<String, SecretString> = doc
        .resolve_lenient(&|k: &str| env.get(k).cloned())
        .into_iter()
        .map(|b| (b.key, SecretString::from(b.value)))
        .collect();
    inv.variables.iter().map(|v| map.remove(&v.name)).collect()
}

/// Rows of the screen: header 2, status 1, footer 1; the rest is shared by the list and the
/// detail pane. Shared by `view` (to draw) and `update` (to page and scroll).
pub struct Layout {
    /// Rows of the list block (its title line included).
    pub list: u16,
    /// Rows of the detail block (its title line included).
    pub detail: u16,
}

/// How the body rows are split at `size`.
pub fn layout(size: (u16, u16), zoom: bool) -> Layout {
    let body = size.1.saturating_sub(4);
    let detail = if zoom {
        body.saturating_sub(4)
    } else {
        (body / 2).min(8)
    };
    Layout {
        list: body - detail,
        detail,
    }
}

/// How many variable rows the list shows at `size`.
pub fn list_height(size: (u16, u16), zoom: bool) -> usize {
    usize::from(layout(size, zoom).list.saturating_sub(1))
}
