//! Typing: the value editor, the search, and short answers (a new name, a reason).

use secrecy::{ExposeSecret, SecretString};

use super::{Cmd, Model, Tone, change, decide, say};
use crate::dotenv::{self, Document};
use crate::plan::Change;
use crate::tui::editor::EditState;
use crate::tui::keys::Action;
use crate::tui::model::{Ask, AskState, Mode};

/// `e` (empty for a secret, the value for configuration) or `E` (always the value).
pub(super) fn start_edit(model: &mut Model, prefill: bool) {
    let Some((i, var)) = model.selected_var() else {
        return;
    };
    let sensitive = var.class.is_sensitive();
    let name = var.name.clone();
    let initial = if prefill || !sensitive {
        model
            .value(i)
            .map(|v| zeroize::Zeroizing::new(v.expose_secret().to_string()))
            .unwrap_or_default()
    } else {
        zeroize::Zeroizing::default()
    };
    model.mode = Mode::Edit(Box::new(EditState::new(name, &initial, sensitive)));
}

/// Text pasted (bracketed paste): into the editor whole, line breaks kept; into a search or
/// short answer without them.
pub(crate) fn paste(model: &mut Model, text: &str) {
    match &mut model.mode {
        Mode::Edit(edit) => edit.insert(text),
        Mode::Search => {
            model
                .search
                .extend(text.chars().filter(|c| !c.is_control()));
            model.rows_due = true;
        }
        Mode::Ask(ask) => ask.text.extend(text.chars().filter(|c| !c.is_control())),
        _ => say(
            model,
            Tone::Info,
            "To paste a value, press e on its variable first",
        ),
    }
}

pub(super) fn on_edit(model: &mut Model, action: Action) -> Option<Cmd> {
    let Mode::Edit(edit) = &mut model.mode else {
        return None;
    };
    if edit.apply(action) {
        return None;
    }
    match action {
        Action::ToggleReveal => edit.toggle_reveal(),
        Action::Prefill => {
            let name = edit.name.clone();
            let current = current_value(model, &name)
                .map(|v| zeroize::Zeroizing::new(v.expose_secret().to_string()));
            if let (Some(v), Mode::Edit(edit)) = (current, &mut model.mode) {
                edit.replace(&v);
            }
        }
        Action::Cancel => {
            model.mode = Mode::List;
            say(model, Tone::Info, "Edit cancelled; nothing changed");
        }
        Action::Accept => accept(model),
        _ => {}
    }
    None
}

fn accept(model: &mut Model) {
    let Mode::Edit(edit) = std::mem::replace(&mut model.mode, Mode::List) else {
        return;
    };
    let typed = edit.text();
    let name = edit.name.clone();
    drop(edit);
    let Some(var) = model.inv.get(&name) else {
        // A new variable (added with `a`).
        let c = Change {
            name: name.clone(),
            kind: crate::generate::Kind::default(),
            status: crate::analysis::Status::Missing,
            reason: "added".to_string(),
            value: SecretString::from(typed.as_str()),
            origin: crate::plan::Origin::Typed,
        };
        change(model, vec![c], format!("added {name}"));
        model.select_name(&name);
        say(model, Tone::Good, format!("Added {name} · s save · u undo"));
        return;
    };
    let unchanged =
        current_value(model, &name).is_some_and(|v| v.expose_secret() == typed.as_str());
    if unchanged && var.in_env {
        say(model, Tone::Info, format!("{name} unchanged"));
        return;
    }
    if !dotenv::is_portable(&typed) {
        say(
            model,
            Tone::Error,
            format!("{name} not set: control characters cannot be written to an env file"),
        );
        return;
    }
    let lines = typed.matches('\n').count() + 1;
    let c = Change {
        name: name.clone(),
        kind: var.kind.unwrap_or_default(),
        status: var.status,
        reason: "edited".to_string(),
        value: SecretString::from(typed.as_str()),
        origin: crate::plan::Origin::Typed,
    };
    change(model, vec![c], format!("edited {name}"));
    let shape = if lines > 1 {
        format!(" ({lines} lines)")
    } else {
        String::new()
    };
    say(
        model,
        Tone::Good,
        format!("Set {name}{shape} · s save · u undo"),
    );
}

/// The working value of the variable called `name`.
fn current_value<'a>(model: &'a Model, name: &str) -> Option<&'a SecretString> {
    let i = model.inv.variables.iter().position(|v| v.name == name)?;
    model.value(i)
}

pub(super) fn on_search(model: &mut Model, action: Action) {
    match action {
        Action::Input(c) => {
            model.search.push(c);
            model.rows_due = true;
        }
        Action::Backspace => {
            model.search.pop();
            model.rows_due = true;
        }
        Action::Accept => model.mode = Mode::List,
        Action::Cancel => {
            model.search.clear();
            model.mode = Mode::List;
            model.rows_due = true;
        }
        _ => {}
    }
}

/// Opens a short prompt.
pub(super) fn start_ask(model: &mut Model, ask: Ask) {
    model.mode = Mode::Ask(AskState {
        ask,
        text: String::new(),
    });
}

pub(super) fn on_ask(model: &mut Model, action: Action) -> Option<Cmd> {
    let Mode::Ask(state) = &mut model.mode else {
        return None;
    };
    match action {
        Action::Input(c) => state.text.push(c),
        Action::Backspace => {
            state.text.pop();
        }
        Action::Cancel => {
            model.mode = Mode::List;
            say(model, Tone::Info, "Nothing changed");
        }
        Action::Accept => {
            let Mode::Ask(state) = std::mem::replace(&mut model.mode, Mode::List) else {
                return None;
            };
            let text = state.text.trim().to_string();
            return match state.ask {
                Ask::NewName => {
                    new_name(model, &text);
                    None
                }
                Ask::SameAs(name) => decide::same_as(model, &name, &text),
                Ask::IgnoreReason { name, rule } => decide::ignore(model, &name, rule, &text),
            };
        }
        _ => {}
    }
    None
}

/// `a`: a name Compose accepts and the file does not have yet opens the value editor.
fn new_name(model: &mut Model, name: &str) {
    let valid = !name.is_empty()
        && dotenv::parse(&format!("{name}=x\n"))
            .ok()
            .and_then(|d: Document| d.entries().next().map(|e| e.key() == name))
            .unwrap_or(false);
    if !valid {
        say(
            model,
            Tone::Error,
            "Not added: that is not a name Compose accepts in an env file (no spaces, = or #)",
        );
        return;
    }
    if model.doc().is_some_and(|d| d.get(name).is_some()) {
        say(
            model,
            Tone::Warn,
            format!("{name} is already set; e edits it"),
        );
        model.select_name(name);
        return;
    }
    let sensitive = model.inv.get(name).is_none_or(|v| v.class.is_sensitive());
    model.mode = Mode::Edit(Box::new(EditState::new(name.to_string(), "", sensitive)));
}
