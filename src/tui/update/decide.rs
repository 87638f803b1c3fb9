//! Decisions (mark optional, external, config, secret, same as another, ignore a finding,
//! document in the example), deleting an unused variable, and switching env files.
//!
//! Decisions go to `envward.toml` or the example file through the worker, so `check` in CI
//! agrees with what the TUI shows; the model adopts the new file once it is written.

use std::path::PathBuf;

use super::{Cmd, Model, Tone, commit, say};
use crate::analysis::{RuleId, Status};
use crate::cli::workspace::CONFIG_NAME;
use crate::tui::decide::{ConfigEdit, document_in_example, edit_config};
use crate::tui::keys::{Action, Decision};
use crate::tui::model::{Ask, Busy, Confirm, FilesState, Mode, Pending};
use crate::tui::msg::{Opened, RecordJob, Recorded, Target};

pub(super) fn open_mark(model: &mut Model) {
    if model.selected_var().is_none() {
        say(model, Tone::Warn, "Nothing selected");
        return;
    }
    model.mode = Mode::Mark;
}

fn config_path(model: &Model) -> PathBuf {
    model.ws.project.working_dir.join(CONFIG_NAME)
}

/// The config text as last read (empty when there is none).
fn config_text(model: &Model) -> Option<String> {
    model.config_text.clone()
}

fn record_config(model: &mut Model, edit: &ConfigEdit) -> Option<Cmd> {
    if model.busy.is_some() {
        say(model, Tone::Warn, "Still working; one moment");
        return None;
    }
    let before = config_text(model);
    let text = match edit_config(before.as_deref().unwrap_or_default(), edit) {
        Ok(t) => t,
        Err(e) => {
            say(model, Tone::Error, format!("Not recorded: {e}"));
            return None;
        }
    };
    if let Err(e) = crate::config::parse(&text) {
        say(
            model,
            Tone::Error,
            format!("Not recorded: envward.toml:{e}"),
        );
        return None;
    }
    model.busy = Some(Busy::Recording);
    Some(Cmd::Record(Box::new(RecordJob {
        target: Target::Config,
        path: config_path(model),
        expected: before,
        text,
        what: edit.describe(),
    })))
}

pub(super) fn on_mark(model: &mut Model, action: Action) -> Option<Cmd> {
    let Action::Decide(decision) = action else {
        if action == Action::Cancel {
            model.mode = Mode::List;
        }
        return None;
    };
    model.mode = Mode::List;
    let (_, var) = model.selected_var()?;
    let name = var.name.clone();
    if let Some(edit) = ConfigEdit::simple(decision, &name) {
        return record_config(model, &edit);
    }
    match decision {
        Decision::SameAs => super::edit::start_ask(model, Ask::SameAs(name)),
        Decision::Ignore => {
            let Some(rule) = model.inv.findings_of(var).map(|f| f.rule).next() else {
                say(
                    model,
                    Tone::Info,
                    format!("{name} has no finding to ignore"),
                );
                return None;
            };
            super::edit::start_ask(model, Ask::IgnoreReason { name, rule });
        }
        Decision::Document => return document(model, &name),
        _ => {}
    }
    None
}

pub(super) fn same_as(model: &mut Model, name: &str, other: &str) -> Option<Cmd> {
    if model.inv.get(other).is_none() || other == name {
        say(
            model,
            Tone::Error,
            format!("Not recorded: {other:?} is not another variable of this project"),
        );
        return None;
    }
    record_config(
        model,
        &ConfigEdit::SameAs(name.to_string(), other.to_string()),
    )
}

pub(super) fn ignore(model: &mut Model, name: &str, rule: RuleId, reason: &str) -> Option<Cmd> {
    if reason.is_empty() {
        say(
            model,
            Tone::Error,
            "Not recorded: an ignored finding needs a reason, for whoever reads envward.toml next",
        );
        return None;
    }
    record_config(
        model,
        &ConfigEdit::Ignore {
            rule,
            variable: name.to_string(),
            reason: reason.to_string(),
        },
    )
}

fn document(model: &mut Model, name: &str) -> Option<Cmd> {
    if model.inv.get(name).is_some_and(|v| v.in_example) {
        say(
            model,
            Tone::Info,
            format!("{name} is already in {}", model.inv.example_file.display()),
        );
        return None;
    }
    if model.busy.is_some() {
        say(model, Tone::Warn, "Still working; one moment");
        return None;
    }
    let example = model.ws.example.as_ref();
    let expected = example.map(|e| e.text.clone());
    let text = match document_in_example(example.map(|e| &e.document), name) {
        Ok(text) => text,
        Err(e) => {
            say(
                model,
                Tone::Error,
                format!("{name} not added to the example: {e}"),
            );
            return None;
        }
    };
    model.busy = Some(Busy::Recording);
    Some(Cmd::Record(Box::new(RecordJob {
        target: Target::Example,
        path: model.ws.example_path.clone(),
        expected,
        text,
        what: format!(
            "{name} is listed in {} (with an empty value)",
            model.inv.example_file.display()
        ),
    })))
}

pub(super) fn on_recorded(model: &mut Model, result: Result<Box<Recorded>, String>) {
    model.busy = None;
    let job = match result {
        Ok(r) => r.job,
        Err(e) => {
            say(model, Tone::Error, format!("Not recorded: {e}"));
            return;
        }
    };
    match job.target {
        Target::Config => match crate::config::parse(&job.text) {
            Ok(config) => {
                model.ws.config = config;
                model.config_text = Some(job.text);
            }
            Err(e) => {
                say(model, Tone::Error, format!("envward.toml:{e}"));
                return;
            }
        },
        Target::Example => {
            let (document, errors) = crate::dotenv::parse_recovering(&job.text);
            let display = model.ws.display(&job.path);
            let snapshot = model
                .ws
                .example
                .as_ref()
                .map_or_else(crate::store::read::Snapshot::absent, |e| e.snapshot.clone());
            model.ws.example = Some(crate::cli::workspace::EnvFile {
                path: job.path.clone(),
                display,
                text: job.text,
                document,
                errors,
                snapshot,
            });
            model.read_comments();
        }
    }
    model.refresh();
    let file = model.ws.display(&job.path);
    say(
        model,
        Tone::Good,
        format!("Recorded in {}: {}", file.display(), job.what),
    );
}

/// `x`: deletes an unused variable from the working copy (after a question).
pub(super) fn delete(model: &mut Model) -> Option<Cmd> {
    let (_, var) = model.selected_var()?;
    let name = var.name.clone();
    if !var.in_env {
        say(model, Tone::Info, format!("{name} is not in the env file"));
        return None;
    }
    if var.status != Status::Unused {
        say(
            model,
            Tone::Warn,
            format!(
                "{name} is used (compose or the example lists it): only unused ones are deleted"
            ),
        );
        return None;
    }
    model.mode = Mode::Confirm(Box::new(Confirm {
        title: format!(" Delete {name}? "),
        text: format!(
            "Nothing in the project uses {name}. Delete it from {}? (u undoes it until you save; \
             the saved file's backup keeps it.)",
            model.inv.env_file.display()
        ),
        then: Pending::Delete(name),
    }));
    None
}

pub(super) fn delete_now(model: &mut Model, name: &str) {
    let Some(before) = model.doc().cloned() else {
        return;
    };
    let mut doc = before.clone();
    if doc.remove(name) {
        commit(model, Some(before), doc, format!("deleted {name}"));
        say(
            model,
            Tone::Good,
            format!("Deleted {name} · s save · u undo"),
        );
    }
}

/// `o`: asks the worker for the project's env files.
pub(super) fn open_files(model: &mut Model) -> Option<Cmd> {
    if model.is_dirty() {
        say(
            model,
            Tone::Warn,
            "Save (s) or undo (u) your changes before opening another file",
        );
        return None;
    }
    Some(Cmd::ListFiles(model.ws.project.working_dir.clone()))
}

pub(super) fn on_env_files(model: &mut Model, mut files: Vec<PathBuf>) {
    let current = model.ws.project.env_file.clone();
    if !files.contains(&current) {
        files.push(current.clone());
        files.sort();
    }
    model.env_files.clone_from(&files);
    let selected = files.iter().position(|f| *f == current).unwrap_or(0);
    model.mode = Mode::Files(FilesState { files, selected });
}

pub(super) fn on_files(model: &mut Model, action: Action) -> Option<Cmd> {
    let Mode::Files(state) = &mut model.mode else {
        return None;
    };
    match action {
        Action::Up => state.selected = state.selected.saturating_sub(1),
        Action::Down => {
            state.selected = (state.selected + 1).min(state.files.len().saturating_sub(1));
        }
        Action::Cancel => model.mode = Mode::List,
        Action::Accept => {
            let path = state.files.get(state.selected).cloned()?;
            model.mode = Mode::List;
            if path == model.ws.project.env_file {
                return None;
            }
            let mut global = model.options.global.clone();
            global.env_file = Some(path);
            model.busy = Some(Busy::Opening);
            say(model, Tone::Info, "Opening…");
            return Some(Cmd::Open(Box::new(global)));
        }
        _ => {}
    }
    None
}

pub(super) fn on_opened(model: &mut Model, result: Result<Box<Opened>, String>) {
    model.busy = None;
    match result {
        Ok(o) => {
            let o = *o;
            model.disk = o.ws.live.clone();
            model.ws = o.ws;
            model.facts = o.facts;
            model.policy = o.policy;
            model.options.global.env_file = Some(model.ws.project.env_file.clone());
            model.undo.clear();
            model.last_revision += 1;
            model.revision = model.last_revision;
            model.saved_revision = model.revision;
            model.revealed = None;
            model.read_comments();
            model.refresh();
            let shown = model.ws.display(&model.ws.project.env_file);
            let new = if model.disk.is_none() { " (new)" } else { "" };
            say(
                model,
                Tone::Info,
                format!(
                    "Opened {}{new} · policy {}",
                    shown.display(),
                    model.inv.policy.level.as_str()
                ),
            );
        }
        Err(e) => say(model, Tone::Error, format!("Could not open: {e}")),
    }
}
