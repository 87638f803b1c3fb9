//! The pure heart of the TUI: `update(&mut Model, Msg) -> Option<Cmd>`.
//!
//! It reads no file, clock, terminal or random source. Keys become actions through the key
//! table; every change to the working copy pushes an undo step and re-runs the analysis at
//! once (with the file facts and time captured at start-up), so statuses are always current.
//! Randomness, saving and reloading are returned as [`Cmd`]s; their results come back as
//! [`Msg`]s.

use std::collections::HashMap;
use std::fmt::Write as _;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::keys::{self, Action, Context};
use super::model::{
    Busy, DiffKind, DiffLine, EditState, Mode, Model, Row, StatusLine, Tone, UNDO_LIMIT, Undo,
    list_height,
};
use super::msg::{Cmd, Msg, ReloadJob, Reloaded, Request, SaveDone, SaveFailure, SaveJob};
use crate::analysis::{Class, Inventory, Status, Variable};
use crate::dotenv::Document;
use crate::plan::{self, Change};

mod rotate;

/// The statuses `G` fixes, as `envward fill` does.
pub const FIXABLE: [Status; 3] = [Status::Missing, Status::Placeholder, Status::Weak];

/// Applies one message to the model; returns the side effect it asks for, if any.
pub fn update(model: &mut Model, msg: Msg) -> Option<Cmd> {
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
            for c in text.chars().filter(|c| !c.is_control()) {
                on_action(model, Action::Input(c));
            }
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
        Msg::Saved(result) => on_saved(model, result),
        Msg::Reloaded(result) => {
            on_reloaded(model, result);
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

pub(super) fn say(model: &mut Model, tone: Tone, text: impl Into<String>) {
    model.status = Some(StatusLine {
        text: text.into(),
        tone,
    });
}

fn on_action(model: &mut Model, action: Action) -> Option<Cmd> {
    if action == Action::Interrupt {
        model.quit = true;
        return None;
    }
    match model.context() {
        Context::List => on_list(model, action),
        Context::Edit => {
            on_edit(model, action);
            None
        }
        Context::Search => {
            on_search(model, action);
            None
        }
        // Read-only overlays: closing them is all a key can do.
        Context::Help | Context::Notice => {
            if action == Action::Cancel {
                model.mode = Mode::List;
            }
            None
        }
        Context::Diff => on_diff(model, action),
        Context::ConfirmQuit => on_confirm_quit(model, action),
        Context::Conflict => on_conflict(model, action),
    }
}

fn on_list(model: &mut Model, action: Action) -> Option<Cmd> {
    let page = list_height(model.size, model.zoom).max(1);
    match action {
        Action::Up => move_by(model, -1),
        Action::Down => move_by(model, 1),
        Action::PageUp => move_by(model, -isize::try_from(page).unwrap_or(isize::MAX)),
        Action::PageDown => move_by(model, isize::try_from(page).unwrap_or(isize::MAX)),
        Action::Home => move_by(model, isize::MIN),
        Action::End => move_by(model, isize::MAX),
        Action::Generate => return generate_selected(model),
        Action::GenerateAll => return generate_all(model),
        Action::Rotate => return rotate::rotate_selected(model),
        Action::Edit => start_edit(model),
        Action::Reveal => reveal(model),
        Action::Undo => undo(model),
        Action::Diff => open_diff(model),
        Action::Save => return save(model),
        Action::Search => model.mode = Mode::Search,
        Action::Filter => {
            model.filter = model.filter.next();
            model.rebuild_rows();
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
        Action::Help => model.mode = Mode::Help,
        Action::Quit => quit(model),
        Action::Cancel => {
            if model.search.is_empty() && model.filter == super::model::Filter::All {
                model.status = None;
                model.revealed = None;
            } else {
                model.search.clear();
                model.filter = super::model::Filter::All;
                model.rebuild_rows();
                say(model, Tone::Info, "Showing all");
            }
        }
        _ => {}
    }
    None
}

/// Moves the selection by `delta` variable rows (section headings are skipped), clamped.
fn move_by(model: &mut Model, delta: isize) {
    let Some(current) = model.selected else {
        return;
    };
    let is_var = |r: &Row| matches!(r, Row::Var(_));
    let target = match delta {
        isize::MIN => model.rows.iter().position(is_var),
        isize::MAX => model.rows.iter().rposition(is_var),
        d => {
            let mut at = current;
            let mut left = d.unsigned_abs();
            let mut last_var = current;
            while left > 0 {
                let next = if d < 0 {
                    at.checked_sub(1)
                } else {
                    Some(at + 1).filter(|n| *n < model.rows.len())
                };
                let Some(n) = next else { break };
                at = n;
                if is_var(&model.rows[n]) {
                    last_var = n;
                    left -= 1;
                }
            }
            Some(last_var)
        }
    };
    if let Some(t) = target
        && t != current
    {
        model.selected = Some(t);
        model.revealed = None;
        model.scroll_into_view();
    }
}

pub(super) fn request(inv: &Inventory, var: &Variable, kind: crate::generate::Kind) -> Request {
    Request {
        name: var.name.clone(),
        kind,
        constraints: var.constraints.clone(),
        status: var.status,
        reason: inv
            .findings_of(var)
            .map(|f| f.message.clone())
            .next()
            .unwrap_or_else(|| var.status.as_str().to_string()),
    }
}

fn generate_selected(model: &mut Model) -> Option<Cmd> {
    let Some((_, var)) = model.selected_var() else {
        say(model, Tone::Warn, "Nothing selected");
        return None;
    };
    let name = var.name.clone();
    match (var.class, var.kind) {
        (Class::Secret, Some(kind)) => {
            let req = request(&model.inv, var, kind);
            Some(Cmd::Generate(vec![req]))
        }
        (Class::External, _) => {
            say(
                model,
                Tone::Warn,
                format!(
                    "{name} is issued by a provider: envward never generates it; press e to type it"
                ),
            );
            None
        }
        _ => {
            say(
                model,
                Tone::Warn,
                format!("{name} is configuration, not a secret: press e to set it"),
            );
            None
        }
    }
}

fn generate_all(model: &mut Model) -> Option<Cmd> {
    let reqs: Vec<Request> = model
        .inv
        .variables
        .iter()
        .filter(|v| plan::is_fillable(v, &FIXABLE))
        .filter_map(|v| v.kind.map(|k| request(&model.inv, v, k)))
        .collect();
    if reqs.is_empty() {
        say(
            model,
            Tone::Info,
            "Nothing to generate: every secret envward can generate is fine",
        );
        return None;
    }
    Some(Cmd::Generate(reqs))
}

/// Performs [`Cmd::Generate`] with `rng`: the loop passes the OS generator, tests a seeded
/// one. Kept here, beside the code that reads the answer, so both agree on its shape.
pub fn generate<R: rand::TryCryptoRng + ?Sized>(requests: &[Request], rng: &mut R) -> Msg {
    let changes = requests
        .iter()
        .map(|r| {
            crate::generate::generate(r.kind, &r.constraints, rng).map(|value| Change {
                name: r.name.clone(),
                kind: r.kind,
                status: r.status,
                reason: r.reason.clone(),
                value,
                origin: plan::Origin::Generated,
            })
        })
        .collect();
    Msg::Generated(changes)
}

/// Records an undo step and applies `changes` to the working copy, then re-analyses.
fn change(model: &mut Model, changes: Vec<Change>, what: String) {
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
    let doc = plan::apply(before.as_ref(), example, &plan);
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

fn on_generated(model: &mut Model, result: Result<Vec<Change>, crate::generate::GenerateError>) {
    match result {
        Ok(changes) if changes.is_empty() => {}
        Ok(changes) => {
            let n = changes.len();
            let what = if n == 1 {
                format!("generated {}", changes[0].name)
            } else {
                format!("generated {n} values")
            };
            let text = if n == 1 {
                let len = changes[0].value.expose_secret().chars().count();
                format!(
                    "Generated {} ({len} chars, hidden) · d preview · s save · u undo",
                    changes[0].name
                )
            } else {
                format!("Generated {n} values (hidden) · d preview · s save · u undo")
            };
            change(model, changes, what);
            say(model, Tone::Good, text);
        }
        Err(e) => say(model, Tone::Error, format!("Could not generate: {e}")),
    }
}

fn start_edit(model: &mut Model) {
    let Some((i, var)) = model.selected_var() else {
        return;
    };
    let current = model
        .value(i)
        .map(|v| Zeroizing::new(v.expose_secret().to_string()))
        .unwrap_or_default();
    model.mode = Mode::Edit(EditState {
        name: var.name.clone(),
        buffer: current,
        reveal: false,
        sensitive: var.class.is_sensitive(),
    });
}

fn on_edit(model: &mut Model, action: Action) {
    let Mode::Edit(edit) = &mut model.mode else {
        return;
    };
    match action {
        Action::Input(c) => edit.buffer.push(c),
        Action::Backspace => {
            edit.buffer.pop();
        }
        Action::ToggleReveal => edit.reveal = !edit.reveal,
        Action::Cancel => {
            model.mode = Mode::List;
            say(model, Tone::Info, "Edit cancelled; nothing changed");
        }
        Action::Accept => {
            let Mode::Edit(edit) = std::mem::replace(&mut model.mode, Mode::List) else {
                return;
            };
            let Some(var) = model.inv.get(&edit.name) else {
                return;
            };
            let unchanged = model
                .inv
                .variables
                .iter()
                .position(|v| v.name == edit.name)
                .and_then(|i| model.value(i))
                .is_some_and(|v| v.expose_secret() == edit.buffer.as_str());
            if unchanged && var.in_env {
                say(model, Tone::Info, format!("{} unchanged", edit.name));
                return;
            }
            let c = Change {
                name: edit.name.clone(),
                kind: var.kind.unwrap_or_default(),
                status: var.status,
                reason: "edited".to_string(),
                value: SecretString::from(edit.buffer.as_str()),
                origin: plan::Origin::Typed,
            };
            let name = edit.name.clone();
            change(model, vec![c], format!("edited {name}"));
            say(model, Tone::Good, format!("Set {name} · s save · u undo"));
        }
        _ => {}
    }
}

fn on_search(model: &mut Model, action: Action) {
    match action {
        Action::Input(c) => {
            model.search.push(c);
            model.rebuild_rows();
        }
        Action::Backspace => {
            model.search.pop();
            model.rebuild_rows();
        }
        Action::Accept => model.mode = Mode::List,
        Action::Cancel => {
            model.search.clear();
            model.mode = Mode::List;
            model.rebuild_rows();
        }
        _ => {}
    }
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

/// The unsaved changes, by name, with old and new values (hidden by the view unless config).
pub fn diff(model: &Model) -> Vec<DiffLine> {
    let env = &model.ws.os_env;
    let decode = |doc: Option<&Document>| -> HashMap<String, SecretString> {
        doc.map(|d| {
            d.resolve_lenient(&|k: &str| env.get(k).cloned())
                .into_iter()
                .map(|b| (b.key, SecretString::from(b.value)))
                .collect()
        })
        .unwrap_or_default()
    };
    let old_doc = model.disk.as_ref().map(|d| &d.document);
    let new_doc = model.doc();
    let old = decode(old_doc);
    let new = decode(new_doc);
    let mut names: Vec<&str> = new_doc.map(Document::keys).unwrap_or_default();
    for k in old_doc.map(Document::keys).unwrap_or_default() {
        if !names.contains(&k) {
            names.push(k);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for name in names {
        if !seen.insert(name) {
            continue;
        }
        let (o, n) = (old.get(name), new.get(name));
        let kind = match (o, n) {
            (None, Some(_)) => DiffKind::Added,
            (Some(_), None) => DiffKind::Removed,
            (Some(a), Some(b)) if a.expose_secret() != b.expose_secret() => DiffKind::Changed,
            _ => continue,
        };
        let sensitive = model.inv.get(name).is_none_or(|v| v.class.is_sensitive());
        out.push(DiffLine {
            name: name.to_string(),
            kind,
            old: o.cloned(),
            new: n.cloned(),
            sensitive,
        });
    }
    out
}

fn open_diff(model: &mut Model) {
    if !model.is_dirty() {
        say(model, Tone::Info, "No unsaved changes");
        return;
    }
    model.mode = Mode::Diff(0);
}

fn on_diff(model: &mut Model, action: Action) -> Option<Cmd> {
    let Mode::Diff(scroll) = &mut model.mode else {
        return None;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll += 1,
        Action::Cancel => model.mode = Mode::List,
        Action::Save => {
            model.mode = Mode::List;
            return save(model);
        }
        _ => {}
    }
    None
}

fn save(model: &mut Model) -> Option<Cmd> {
    if model.busy.is_some() {
        say(model, Tone::Warn, "Still saving; one moment");
        return None;
    }
    let Some(doc) = model.doc() else {
        say(
            model,
            Tone::Info,
            "Nothing to save yet: generate (G) or edit (e) first",
        );
        return None;
    };
    if !model.is_dirty() {
        say(model, Tone::Info, "No unsaved changes");
        return None;
    }
    let text = doc.render();
    let mut ws = model.ws.clone();
    ws.live.clone_from(&model.disk);
    model.busy = Some(Busy::Saving);
    say(model, Tone::Info, "Saving…");
    Some(Cmd::Save(Box::new(SaveJob {
        ws,
        text,
        options: model.options.save.clone(),
        revision: model.revision,
    })))
}

fn on_saved(model: &mut Model, result: Result<Box<SaveDone>, SaveFailure>) -> Option<Cmd> {
    model.busy = None;
    match result {
        Ok(done) => {
            let done = *done;
            model.disk = Some(done.disk);
            model.facts = done.facts;
            model.saved_revision = done.revision;
            model.refresh();
            let backups: Vec<String> = done
                .backups
                .iter()
                .map(|b| b.display().to_string())
                .collect();
            let mut text = format!("Saved {} (0600)", done.live.display());
            if !backups.is_empty() {
                let _ = write!(text, " · backup {}", backups.join(", "));
            }
            say(model, Tone::Good, text);
            // The identity notice matters (losing the key loses the backups): shown whole
            // until acknowledged, or printed after the terminal is restored when quitting.
            if let Some(n) = done.notice {
                if model.quit_after_save {
                    model.exit_message = Some(n);
                } else {
                    model.mode = Mode::Notice(n);
                }
            }
            if model.quit_after_save {
                model.quit = true;
            }
        }
        Err(SaveFailure::ChangedOnDisk(m)) => {
            model.quit_after_save = false;
            model.mode = Mode::Conflict;
            say(model, Tone::Error, m);
        }
        Err(SaveFailure::Other(m)) => {
            model.quit_after_save = false;
            say(model, Tone::Error, format!("Not saved: {m}"));
        }
    }
    None
}

fn quit(model: &mut Model) {
    if model.is_dirty() {
        model.mode = Mode::ConfirmQuit;
    } else if model.busy == Some(Busy::Saving) {
        model.quit_after_save = true;
        say(model, Tone::Info, "Quitting once the save is done…");
    } else {
        model.quit = true;
    }
}

fn on_confirm_quit(model: &mut Model, action: Action) -> Option<Cmd> {
    match action {
        Action::Discard => model.quit = true,
        Action::Save => {
            model.mode = Mode::List;
            model.quit_after_save = true;
            let cmd = save(model);
            if cmd.is_none() && model.busy.is_none() {
                model.quit_after_save = false;
            }
            return cmd;
        }
        Action::Cancel => model.mode = Mode::List,
        _ => {}
    }
    None
}

fn on_conflict(model: &mut Model, action: Action) -> Option<Cmd> {
    match action {
        Action::Reload => {
            model.mode = Mode::List;
            model.busy = Some(Busy::Reloading);
            say(model, Tone::Info, "Reloading…");
            Some(Cmd::Reload(Box::new(ReloadJob {
                cwd: model.ws.cwd.clone(),
                path: model.ws.project.env_file.clone(),
            })))
        }
        Action::Cancel => {
            model.mode = Mode::List;
            say(model, Tone::Warn, "Kept your changes; they are not saved");
            None
        }
        _ => None,
    }
}

fn on_reloaded(model: &mut Model, result: Result<Box<Reloaded>, String>) {
    model.busy = None;
    match result {
        Ok(r) => {
            let r = *r;
            model.disk = r.disk;
            model.facts = r.facts;
            model.ws.live.clone_from(&model.disk);
            model.undo.clear();
            model.last_revision += 1;
            model.revision = model.last_revision;
            model.saved_revision = model.revision;
            model.refresh();
            say(
                model,
                Tone::Info,
                "Reloaded from disk; your unsaved changes were dropped",
            );
        }
        Err(m) => say(model, Tone::Error, format!("Could not reload: {m}")),
    }
}

#[cfg(test)]
mod tests;
