//! Saving, the change preview, reloading and quitting.

use std::collections::HashMap;
use std::fmt::Write as _;

use secrecy::{ExposeSecret, SecretString};

use super::{Cmd, Model, Tone, say};
use crate::dotenv::Document;
use crate::tui::keys::Action;
use crate::tui::model::{Busy, Confirm, DiffKind, DiffLine, Mode, Pending};
use crate::tui::msg::{ReloadJob, Reloaded, SaveDone, SaveFailure, SaveJob};

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
    names.extend(old_doc.map(Document::keys).unwrap_or_default());
    let classes: HashMap<&str, bool> = model
        .inv
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.class.is_sensitive()))
        .collect();
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
        out.push(DiffLine {
            name: name.to_string(),
            kind,
            old: o.cloned(),
            new: n.cloned(),
            sensitive: classes.get(name).copied().unwrap_or(true),
            why: None,
        });
    }
    // Say what moves with what, as `fill`'s plan does.
    let changed: std::collections::HashSet<String> = out
        .iter()
        .filter(|l| l.kind != DiffKind::Removed)
        .map(|l| l.name.clone())
        .collect();
    for line in &mut out {
        if line.kind != DiffKind::Removed {
            line.why = model
                .inv
                .relations
                .follows(&line.name, |n| changed.contains(n));
        }
    }
    out
}

pub(super) fn open_diff(model: &mut Model) {
    // A working copy not yet on disk has something to show even unchanged: all of it.
    if !model.is_dirty() && (model.disk.is_some() || model.doc().is_none()) {
        say(model, Tone::Info, "No unsaved changes");
        return;
    }
    model.mode = Mode::Diff(0);
}

pub(super) fn on_diff(model: &mut Model, action: Action) -> Option<Cmd> {
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

pub(super) fn save(model: &mut Model) -> Option<Cmd> {
    if model.busy.is_some() {
        say(model, Tone::Warn, "Still working; one moment");
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
    // A working copy not yet on disk is saved even unchanged: that creates the file.
    if !model.is_dirty() && model.disk.is_some() {
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

pub(super) fn on_saved(
    model: &mut Model,
    result: Result<Box<SaveDone>, SaveFailure>,
) -> Option<Cmd> {
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
            for h in &done.housekeeping {
                let _ = write!(text, " · {h}");
            }
            let tone = if done
                .housekeeping
                .iter()
                .any(|h| h.contains("future") || h.contains("failed"))
            {
                Tone::Warn
            } else {
                Tone::Good
            };
            say(model, tone, text);
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

pub(super) fn quit(model: &mut Model) {
    if model.is_dirty() {
        model.mode = Mode::ConfirmQuit;
    } else if model.busy == Some(Busy::Saving) {
        model.quit_after_save = true;
        say(model, Tone::Info, "Quitting once the save is done…");
    } else {
        model.quit = true;
    }
}

/// Ctrl-C: like `q` (asks when there are unsaved changes); pressed again in that question,
/// it leaves without saving.
pub(super) fn interrupt(model: &mut Model) -> Option<Cmd> {
    if matches!(model.mode, Mode::ConfirmQuit) || !model.is_dirty() {
        model.quit = true;
        return None;
    }
    model.mode = Mode::ConfirmQuit;
    say(
        model,
        Tone::Warn,
        "Unsaved changes: s saves and quits, y quits without saving, ^C again leaves now",
    );
    None
}

pub(super) fn on_confirm_quit(model: &mut Model, action: Action) -> Option<Cmd> {
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

pub(super) fn on_conflict(model: &mut Model, action: Action) -> Option<Cmd> {
    match action {
        Action::Reload => Some(reload(model)),
        Action::Cancel => {
            model.mode = Mode::List;
            say(model, Tone::Warn, "Kept your changes; they are not saved");
            None
        }
        _ => None,
    }
}

/// `R` in the list: reload at once when clean, ask first when there are unsaved changes.
pub(super) fn ask_reload(model: &mut Model) -> Option<Cmd> {
    if model.busy.is_some() {
        say(model, Tone::Warn, "Still working; one moment");
        return None;
    }
    if model.is_dirty() {
        model.mode = Mode::Confirm(Box::new(Confirm {
            title: " Reload from disk? ".to_string(),
            text: format!(
                "Reading {} again drops your unsaved changes.",
                model.inv.env_file.display()
            ),
            then: Pending::Reload,
        }));
        return None;
    }
    Some(reload(model))
}

/// Reads the live file again on the worker.
pub(super) fn reload(model: &mut Model) -> Cmd {
    model.mode = Mode::List;
    model.busy = Some(Busy::Reloading);
    say(model, Tone::Info, "Reloading…");
    Cmd::Reload(Box::new(ReloadJob {
        cwd: model.ws.cwd.clone(),
        path: model.ws.project.env_file.clone(),
    }))
}

pub(super) fn on_reloaded(model: &mut Model, result: Result<Box<Reloaded>, String>) {
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
            say(model, Tone::Info, "Reloaded from disk");
        }
        Err(m) => say(model, Tone::Error, format!("Could not reload: {m}")),
    }
}
