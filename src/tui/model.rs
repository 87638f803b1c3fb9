//! The TUI's state as plain data: the project, the working copy of the live file, its
//! analysis, and where the user is (selection, filter, prompt, overlay).
//!
//! Only [`update`](super::update) changes a `Model`; [`view`](super::view) reads it. Values
//! are held as [`SecretString`]s or inside the working [`Document`] (whose `Debug` is
//! redacted); the model has no `Debug` that could print one.

use std::collections::HashMap;
use std::path::PathBuf;

use secrecy::SecretString;

use super::keys::Context;
pub use super::rows::{Comments, Filter, Row};
use crate::analysis::{FileFacts, Inventory, Knowledge, Policy, Status, Variable};
use crate::cli::GlobalArgs;
use crate::cli::save::SaveOptions;
use crate::cli::workspace::{EnvFile, Workspace};
use crate::dotenv::Document;
use crate::store::read::Snapshot;

pub use super::editor::EditState;
pub use super::mode::{
    Ask, AskState, Busy, Confirm, DiffKind, DiffLine, FilesState, Mode, Pending, StatusLine, Tone,
    UNDO_LIMIT, Undo,
};

/// Settings fixed for the session.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Colours (off under `NO_COLOR`, `--no-color` and `--color never`; symbols and words
    /// stay).
    pub color: bool,
    /// How to save.
    pub save: SaveOptions,
    /// The command line, to load another env file of the project the same way.
    pub global: GlobalArgs,
}

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
    /// The list must be rebuilt before the next frame (search typed, filter changed): a burst
    /// of keys rebuilds it once, not once per key.
    pub rows_due: bool,
    /// What the example's comments say (section headings, descriptions).
    pub comments: Comments,
    /// The env files of the project, for `o` (filled by the loop).
    pub env_files: Vec<PathBuf>,
    /// How far the help overlay is scrolled.
    pub help_scroll: usize,
    /// Indices into `inv.findings` of the findings no list row shows (about a file as a
    /// whole, or a compose variable outside the inventory), found once per analysis: the
    /// layout asks on every key.
    pub file_findings: Vec<usize>,
    /// `envward.toml` as read (`None`: there is none), the base of decisions recorded there.
    pub config_text: Option<String>,
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
        // A working copy not yet on disk (the example's copy on a fresh checkout) has no
        // disk state: saving creates the file.
        let disk = ws.live.clone().filter(|l| !l.snapshot.is_absent());
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
            rows_due: false,
            comments: Comments::default(),
            env_files: Vec::new(),
            config_text: None,
            help_scroll: 0,
            file_findings: Vec::new(),
            quit: false,
        };
        model.read_comments();
        model.refresh();
        // Start on the first problem, so its reason shows at once.
        model.selected = model
            .rows
            .iter()
            .position(
                |r| matches!(r, Row::Var(i) if super::rows::has_problem(&model.inv.variables[*i])),
            )
            .or(model.selected);
        model.scroll_into_view();
        model.status = Some(welcome(&model));
        model
    }

    /// Reads the example's comments again (after the example changed).
    pub fn read_comments(&mut self) {
        self.comments = self
            .ws
            .example
            .as_ref()
            .map(|e| super::rows::comments(&e.document))
            .unwrap_or_default();
    }

    /// Rebuilds the list if a change asked for it.
    pub fn settle(&mut self) {
        if self.rows_due {
            self.rows_due = false;
            self.rebuild_rows();
        }
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
        self.index_findings();
        self.rebuild_rows();
    }

    /// Finds the file-level findings of a new analysis (linear: a name set, not a lookup
    /// per finding).
    fn index_findings(&mut self) {
        let names: std::collections::HashSet<&str> =
            self.inv.variables.iter().map(|v| v.name.as_str()).collect();
        self.file_findings = self
            .inv
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.variable.as_deref().is_none_or(|v| !names.contains(v)))
            .map(|(i, _)| i)
            .collect();
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
            self.index_findings();
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
            if !self.filter.admits(var)
                || (!needle.is_empty() && !var.name.to_lowercase().contains(&needle))
            {
                continue;
            }
            let this = section_of(&self.comments, var);
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

    /// Selects the variable called `name`, if listed.
    pub fn select_name(&mut self, name: &str) -> bool {
        let at = self
            .rows
            .iter()
            .position(|r| matches!(r, Row::Var(i) if self.inv.variables[*i].name == name));
        if at.is_some() {
            self.selected = at;
            self.revealed = None;
            self.scroll_into_view();
        }
        at.is_some()
    }

    /// Moves `offset` so the selected row (and its section heading, at the top) is on screen.
    pub fn scroll_into_view(&mut self) {
        let height = self.list_height().max(1);
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

/// What `G` would do now, for the hint line and the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateAllPlan {
    /// Secrets it generates.
    pub generate: usize,
    /// There is no live file on disk yet: the working copy is (or `G` makes it) the
    /// example's copy, its other values (configuration, provider placeholders to replace)
    /// kept as they are.
    pub from_example: bool,
    /// Variables it cannot fix: provider tokens and configuration that need a typed value.
    pub need_you: usize,
}

impl Model {
    /// What `G` would do now.
    pub fn generate_all_plan(&self) -> GenerateAllPlan {
        let fixable = |v: &Variable| crate::plan::is_fillable(v, &super::update::FIXABLE);
        GenerateAllPlan {
            generate: self.inv.variables.iter().filter(|v| fixable(v)).count(),
            from_example: self.disk.is_none() && self.ws.example.is_some(),
            need_you: self
                .inv
                .variables
                .iter()
                .filter(|v| v.status != Status::Ok && v.status != Status::Unused && !fixable(v))
                .count(),
        }
    }
}

/// The first status line: what is wrong and the fastest way to fix it, saying what `G`
/// will actually do.
fn welcome(model: &Model) -> StatusLine {
    let problems = model
        .inv
        .variables
        .iter()
        .filter(|v| super::rows::has_problem(v))
        .count()
        + super::layout::file_findings(model).count();
    let plan = model.generate_all_plan();
    let need = if plan.need_you > 0 {
        format!(" · {} need your value (e)", plan.need_you)
    } else {
        String::new()
    };
    let text = match (problems, plan.generate) {
        (0, _) => "Nothing to fix. ? shows the keys".to_string(),
        (p, 0) => format!("{p} to look at{need} · n next · ? keys"),
        (_, g) if plan.from_example => format!(
            "G makes {} from {} and generates {g} secrets{need}",
            model.inv.env_file.display(),
            model.inv.example_file.display()
        ),
        (_, g) => format!("G generates {g} secrets, then s saves{need} · ? keys"),
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
pub fn section_of<'a>(comments: &'a Comments, var: &Variable) -> Option<&'a str> {
    match comments.sections.get(&var.name) {
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

impl Model {
    /// Where each pane is at the current size.
    pub fn areas(&self) -> super::layout::Areas {
        super::layout::areas(self.size, self.zoom, super::layout::banner_lines(self))
    }

    /// How many variable rows the list shows.
    pub fn list_height(&self) -> usize {
        usize::from(self.areas().list.height.saturating_sub(1))
    }
}
