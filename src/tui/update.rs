//! The pure heart of the TUI: `update(&mut Model, Msg) -> Option<Cmd>`.
//!
//! It reads no file, clock, terminal or random source. Keys become actions through the key
//! table; every change to the working copy pushes an undo step and re-runs the analysis at
//! once (with the file facts and time captured at start-up), so statuses are always current.
//! Randomness, saving, reloading and writing decisions are returned as [`Cmd`]s; their
//! results come back as [`Msg`]s. The editor, the decisions and the save/quit flow have
//! their own files below this one.

mod decide;
mod edit;
mod generate;
mod nav;
mod save;

use secrecy::ExposeSecret;

use super::keys::{self, Action, Context};
use super::model::{Filter, Mode, Model, Pending, StatusLine, Tone, UNDO_LIMIT, Undo};
use super::msg::{Cmd, Msg};
use crate::analysis::Status;
use crate::plan::{self, Change};

pub use generate::{generate, initialises_volume};
use generate::{generate_all, generate_selected, on_generated};
use nav::{move_by, next_problem, on_mouse, on_problems};
pub use save::diff;
mod rotate;

/// The statuses `G` fixes, as `envward fill` does.
pub const FIXABLE: [Status; 3] = [Status::Missing, Status::Placeholder, Status::Weak];

/// Applies one message to the model and settles the list; returns the side effect it asks
/// for, if any.
pub fn update(model: &mut Model, msg: Msg) -> Option<Cmd> {
    let cmd = step(model, msg);
    model.settle();
    cmd
}

/// Applies one message without settling the list: the loop applies a whole burst of keys
/// this way, then calls [`Model::settle`] once before drawing.
pub fn step(model: &mut Model, msg: Msg) -> Option<Cmd> {
    let cmd = dispatch(model, msg);
    // A change on a large project leaves its re-analysis due: start it on the worker once
    // nothing else is asked for (a pending command comes first; the next message retries).
    if cmd.is_none()
        && let Some(job) = model.take_due_analysis()
    {
        return Some(Cmd::Analyze(Box::new(job)));
    }
    cmd
}

fn dispatch(model: &mut Model, msg: Msg) -> Option<Cmd> {
    match msg {
        Msg::Key(event) => {
            let action = keys::resolve(model.context(), &event)?;
            on_action(model, action)
        }
        Msg::Paste(text) => {
            edit::paste(model, &text);
            None
        }
        Msg::Mouse(event) => {
            on_mouse(model, event);
            None
        }
        Msg::Resize(w, h) => {
            model.size = (w, h);
            model.scroll_into_view();
            None
        }
        Msg::Generated(result) => {
            on_generated(model, result);
            None
        }
        Msg::Saved(result) => save::on_saved(model, result),
        Msg::Reloaded(result) => {
            save::on_reloaded(model, result);
            None
        }
        Msg::Recorded(result) => {
            decide::on_recorded(model, result);
            None
        }
        Msg::Opened(result) => {
            decide::on_opened(model, result);
            None
        }
        Msg::EnvFiles(files) => {
            decide::on_env_files(model, files);
            None
        }
        Msg::Terminate => {
            model.quit = true;
            None
        }
        Msg::Analyzed(done) => {
            let done = *done;
            model.adopt_analysis(done.revision, done.inv);
            None
        }
    }
}

/// Puts a message on the status line.
pub(crate) fn say(model: &mut Model, tone: Tone, text: impl Into<String>) {
    model.status = Some(StatusLine {
        text: text.into(),
        tone,
    });
}

fn on_action(model: &mut Model, action: Action) -> Option<Cmd> {
    if action == Action::Interrupt {
        return save::interrupt(model);
    }
    match model.context() {
        Context::List => on_list(model, action),
        Context::Edit => edit::on_edit(model, action),
        Context::Search => {
            edit::on_search(model, action);
            None
        }
        Context::Ask => edit::on_ask(model, action),
        Context::Help => {
            match action {
                Action::Up => model.help_scroll = model.help_scroll.saturating_sub(1),
                Action::Down => model.help_scroll += 1,
                Action::Cancel => model.mode = Mode::List,
                _ => {}
            }
            None
        }
        // A notice to read: closing it is all a key can do.
        Context::Notice => {
            if action == Action::Cancel {
                model.mode = Mode::List;
            }
            None
        }
        Context::Problems => {
            on_problems(model, action);
            None
        }
        Context::Mark => decide::on_mark(model, action),
        Context::Files => decide::on_files(model, action),
        Context::Confirm => on_confirm(model, action),
        Context::Diff => save::on_diff(model, action),
        Context::ConfirmQuit => save::on_confirm_quit(model, action),
        Context::Conflict => save::on_conflict(model, action),
    }
}

fn on_list(model: &mut Model, action: Action) -> Option<Cmd> {
    let page = model.list_height().max(1);
    let page = isize::try_from(page).unwrap_or(isize::MAX);
    match action {
        Action::Up => move_by(model, -1),
        Action::Down => move_by(model, 1),
        Action::PageUp => move_by(model, -page),
        Action::PageDown => move_by(model, page),
        Action::Home => move_by(model, isize::MIN),
        Action::End => move_by(model, isize::MAX),
        Action::NextProblem => next_problem(model, true),
        Action::PrevProblem => next_problem(model, false),
        Action::Generate => return generate_selected(model),
        Action::GenerateAll => return generate_all(model),
        Action::Rotate => return rotate::rotate_selected(model),
        Action::Edit => edit::start_edit(model, false),
        Action::EditCurrent => edit::start_edit(model, true),
        Action::Reveal => reveal(model),
        Action::Copy => return copy(model),
        Action::Undo => undo(model),
        Action::Diff => save::open_diff(model),
        Action::Save => return save::save(model),
        Action::Search => model.mode = Mode::Search,
        Action::Filter => {
            model.filter = model.filter.next();
            model.rows_due = true;
            say(
                model,
                Tone::Info,
                format!("Showing {}", model.filter.label()),
            );
        }
        Action::Details => {
            model.zoom = !model.zoom;
            model.scroll_into_view();
        }
        Action::Problems => {
            if model.inv.findings.is_empty() {
                say(model, Tone::Good, "No findings: nothing to fix");
            } else {
                model.mode = Mode::Problems(0);
            }
        }
        Action::Mark => decide::open_mark(model),
        Action::Add => edit::start_ask(model, super::model::Ask::NewName),
        Action::Delete => return decide::delete(model),
        Action::Files => return decide::open_files(model),
        Action::Reload => return save::ask_reload(model),
        Action::Help => {
            model.help_scroll = 0;
            model.mode = Mode::Help;
        }
        Action::Quit => save::quit(model),
        Action::Cancel => {
            if model.search.is_empty() && model.filter == Filter::All {
                model.status = None;
                model.revealed = None;
            } else {
                model.search.clear();
                model.filter = Filter::All;
                model.rows_due = true;
                say(model, Tone::Info, "Showing all");
            }
        }
        _ => {}
    }
    None
}

fn on_confirm(model: &mut Model, action: Action) -> Option<Cmd> {
    match action {
        Action::Accept => {
            let Mode::Confirm(c) = std::mem::replace(&mut model.mode, Mode::List) else {
                return None;
            };
            match c.then {
                Pending::Generate(reqs) => Some(Cmd::Generate(reqs)),
                Pending::Delete(name) => {
                    decide::delete_now(model, &name);
                    None
                }
                Pending::Reload => Some(save::reload(model)),
            }
        }
        Action::Cancel => {
            model.mode = Mode::List;
            say(model, Tone::Info, "Nothing changed");
            None
        }
        _ => None,
    }
}

/// Records an undo step and applies `changes` to the working copy, then re-analyses.
pub(crate) fn change(model: &mut Model, changes: Vec<Change>, what: String) {
    let before = model.doc().cloned();
    let example = model.ws.example.as_ref().map(|e| &e.document);
    // A change carries its consequences: the rest of its group, the URLs that embed it and
    // the tokens signed with it.
    let plan = plan::propagate(
        &plan::PlanInput {
            inventory: &model.inv,
            live: before.as_ref(),
            example,
            project: &model.ws.project,
            now: model.now,
        },
        changes,
    );
    // A change that would not read back unchanged is not applied.
    let Ok(doc) = plan::apply(before.as_ref(), example, &plan) else {
        return;
    };
    commit(model, before, doc, what);
}

/// Makes `doc` the working copy, keeping `before` as an undo step.
pub(crate) fn commit(
    model: &mut Model,
    before: Option<crate::dotenv::Document>,
    doc: crate::dotenv::Document,
    what: String,
) {
    model.undo.push(Undo {
        doc: before,
        revision: model.revision,
        what,
    });
    if model.undo.len() > UNDO_LIMIT {
        model.undo.remove(0);
    }
    model.last_revision += 1;
    model.revision = model.last_revision;
    model.set_doc(Some(doc));
    model.refresh_after_change();
}

fn reveal(model: &mut Model) {
    let Some((_, var)) = model.selected_var() else {
        return;
    };
    let name = var.name.clone();
    if model.revealed.as_deref() == Some(name.as_str()) {
        model.revealed = None;
    } else {
        model.revealed = Some(name);
    }
}

/// `y`: the selected value to the clipboard, only because the user asked.
fn copy(model: &mut Model) -> Option<Cmd> {
    let (i, var) = model.selected_var()?;
    let name = var.name.clone();
    match model.value(i) {
        Some(v) if !v.expose_secret().is_empty() => {
            let value = v.clone();
            say(
                model,
                Tone::Good,
                format!("Copied {name} to the clipboard (OSC 52: the terminal must allow it)"),
            );
            Some(Cmd::Copy(value))
        }
        _ => {
            say(model, Tone::Info, format!("{name} has no value to copy"));
            None
        }
    }
}

fn undo(model: &mut Model) {
    let Some(step) = model.undo.pop() else {
        say(model, Tone::Info, "Nothing to undo");
        return;
    };
    let doc = step
        .doc
        .or_else(|| model.disk.as_ref().map(|d| d.document.clone()));
    model.set_doc(doc);
    model.revision = step.revision;
    model.refresh_after_change();
    say(model, Tone::Info, format!("Undid: {}", step.what));
}

#[cfg(test)]
mod tests;
