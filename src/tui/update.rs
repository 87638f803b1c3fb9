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
mod save;

use std::fmt::Write as _;

use secrecy::ExposeSecret;

use super::keys::{self, Action, Context};
use super::model::{
    Confirm, Filter, Mode, Model, Pending, Row, StatusLine, Tone, UNDO_LIMIT, Undo,
};
use super::msg::{Cmd, Msg, Request};
use super::rows::has_problem;
use crate::analysis::{Class, Inventory, Status, Variable};
use crate::plan::{self, Change, Plan};

pub use save::diff;

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

/// Moves the selection by `delta` variable rows (section headings are skipped), clamped.
fn move_by(model: &mut Model, delta: isize) {
    model.settle();
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

/// Selects the next (or previous) variable with a problem, wrapping around.
fn next_problem(model: &mut Model, forward: bool) {
    model.settle();
    let n = model.rows.len();
    if n == 0 {
        return;
    }
    let start = model.selected.unwrap_or(0);
    let found = (1..=n)
        .map(|k| {
            if forward {
                (start + k) % n
            } else {
                (start + n * 2 - k) % n
            }
        })
        .find(|&at| matches!(model.rows[at], Row::Var(i) if has_problem(&model.inv.variables[i])));
    match found {
        Some(at) => {
            model.selected = Some(at);
            model.revealed = None;
            model.scroll_into_view();
        }
        None => say(model, Tone::Good, "No variable in the list has a problem"),
    }
}

fn on_mouse(model: &mut Model, event: crossterm::event::MouseEvent) {
    use crossterm::event::{MouseButton, MouseEventKind};
    if !matches!(model.mode, Mode::List) {
        return;
    }
    let areas = model.areas();
    let inside = |r: ratatui::layout::Rect| {
        event.column >= r.x
            && event.column < r.x + r.width
            && event.row >= r.y
            && event.row < r.y + r.height
    };
    match event.kind {
        MouseEventKind::ScrollDown if inside(areas.list) => move_by(model, 3),
        MouseEventKind::ScrollUp if inside(areas.list) => move_by(model, -3),
        MouseEventKind::Down(MouseButton::Left) if inside(areas.list) => {
            model.settle();
            // The list's first row is its title.
            let Some(line) = event.row.checked_sub(areas.list.y + 1) else {
                return;
            };
            let at = model.offset + usize::from(line);
            if matches!(model.rows.get(at), Some(Row::Var(_))) {
                model.selected = Some(at);
                model.revealed = None;
                model.scroll_into_view();
            }
        }
        MouseEventKind::Down(MouseButton::Left) if inside(areas.banner) => {
            model.mode = Mode::Problems(0);
        }
        _ => {}
    }
}

fn on_problems(model: &mut Model, action: Action) {
    let Mode::Problems(at) = &mut model.mode else {
        return;
    };
    let n = model.inv.findings.len();
    match action {
        Action::Up => *at = at.saturating_sub(1),
        Action::Down => *at = (*at + 1).min(n.saturating_sub(1)),
        Action::Accept => {
            let name = model.inv.findings.get(*at).and_then(|f| f.variable.clone());
            model.mode = Mode::List;
            if let Some(name) = name
                && !model.select_name(&name)
            {
                {
                    // Hidden by the search or filter: show everything, then select it.
                    model.search.clear();
                    model.filter = Filter::All;
                    model.rebuild_rows();
                    if !model.select_name(&name) {
                        say(
                            model,
                            Tone::Info,
                            format!("{name} is a compose setting, not a variable of the env file"),
                        );
                    }
                }
            }
        }
        Action::Cancel => model.mode = Mode::List,
        _ => {}
    }
}

fn request(inv: &Inventory, var: &Variable, kind: crate::generate::Kind) -> Request {
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

/// Container variables a database image reads only when it initialises its data volume:
/// changing the value afterwards does not change the database, so the app is locked out.
const INIT_ONLY: &[(&[&str], &[&str])] = &[
    (
        &[
            "postgres",
            "postgresql",
            "postgis",
            "pgvector",
            "timescaledb",
            "timescaledb-ha",
        ],
        &["POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"],
    ),
    (
        &["mysql", "mariadb", "percona"],
        &[
            "MYSQL_ROOT_PASSWORD",
            "MYSQL_PASSWORD",
            "MYSQL_USER",
            "MYSQL_DATABASE",
            "MARIADB_ROOT_PASSWORD",
            "MARIADB_PASSWORD",
            "MARIADB_USER",
            "MARIADB_DATABASE",
        ],
    ),
    (
        &["mongo", "mongodb-community-server"],
        &["MONGO_INITDB_ROOT_PASSWORD", "MONGO_INITDB_ROOT_USERNAME"],
    ),
    (
        &["rabbitmq"],
        &["RABBITMQ_DEFAULT_PASS", "RABBITMQ_DEFAULT_USER"],
    ),
    (
        &["influxdb"],
        &[
            "DOCKER_INFLUXDB_INIT_PASSWORD",
            "DOCKER_INFLUXDB_INIT_ADMIN_TOKEN",
        ],
    ),
    (&["elasticsearch", "opensearch"], &["ELASTIC_PASSWORD"]),
];

/// The service whose database volume `name` initialises, with its image, if any.
pub fn initialises_volume(model: &Model, name: &str) -> Option<(String, String)> {
    model.ws.project.services.iter().find_map(|s| {
        let image = s.image.as_deref()?;
        let short = crate::analysis::knowledge::image_name(image);
        let (_, vars) = INIT_ONLY
            .iter()
            .find(|(images, _)| images.contains(&short))?;
        s.environment
            .iter()
            .filter(|e| vars.contains(&e.key.as_str()))
            .any(|e| match &e.value {
                None => e.key == name,
                Some(v) => crate::interpolate::references(v)
                    .unwrap_or_default()
                    .iter()
                    .any(|r| r.name == name),
            })
            .then(|| (s.name.clone(), short.to_string()))
    })
}

/// Whether `name` still has the non-empty value it has on disk: a saved value may already
/// be in use (a database initialised with it); an unsaved replacement is only a draft.
fn saved(model: &Model, name: &str) -> bool {
    let on_disk = |d: &crate::dotenv::Document| {
        d.get(name)
            .map(|e| e.raw_value().to_string())
            .filter(|v| !v.is_empty())
    };
    let disk = model.disk.as_ref().and_then(|d| on_disk(&d.document));
    disk.is_some() && disk == model.doc().and_then(on_disk)
}

fn volume_warning(model: &Model, names: &[&str]) -> String {
    let hits: Vec<String> = names
        .iter()
        .filter_map(|n| initialises_volume(model, n).map(|(s, i)| format!("{n} ({s}, image {i})")))
        .collect();
    if hits.is_empty() {
        String::new()
    } else {
        format!(
            " It initialises a database volume: {}. The database keeps the value it started \
             with, so a new one here locks the app out; change it with `envward rotate`, \
             which also changes it in the database.",
            hits.join(", ")
        )
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
            let set = saved(model, &name);
            let ok = var.status == Status::Ok;
            let warning = if set {
                volume_warning(model, &[name.as_str()])
            } else {
                String::new()
            };
            if set && (ok || !warning.is_empty()) {
                let what = if ok {
                    format!("{name} already has a value that passes every check.")
                } else {
                    format!("{name} already has a value.")
                };
                model.mode = Mode::Confirm(Box::new(Confirm {
                    title: format!(" Replace {name}? "),
                    text: format!(
                        "{what} Generating replaces it (u undoes it until you save).{warning}"
                    ),
                    then: Pending::Generate(vec![req]),
                }));
                return None;
            }
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
    // Replacing a value a database volume was initialised with locks the app out: ask.
    let replaced: Vec<&str> = reqs
        .iter()
        .filter(|r| saved(model, &r.name))
        .map(|r| r.name.as_str())
        .collect();
    let warning = volume_warning(model, &replaced);
    if !warning.is_empty() {
        let n = reqs.len();
        model.mode = Mode::Confirm(Box::new(Confirm {
            title: " Generate all? ".to_string(),
            text: format!(
                "G generates {n} values; {} of them replace a value already set.{warning}",
                replaced.len()
            ),
            then: Pending::Generate(reqs),
        }));
        return None;
    }
    Some(Cmd::Generate(reqs))
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
            })
        })
        .collect();
    Msg::Generated(changes)
}

/// Records an undo step and applies `changes` to the working copy, then re-analyses.
pub(crate) fn change(model: &mut Model, changes: Vec<Change>, what: String) {
    let before = model.doc().cloned();
    let example = model.ws.example.as_ref().map(|e| &e.document);
    let doc = plan::apply(before.as_ref(), example, &Plan { changes });
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

fn on_generated(model: &mut Model, result: Result<Vec<Change>, crate::generate::GenerateError>) {
    match result {
        Ok(changes) if changes.is_empty() => {}
        Ok(changes) => {
            let n = changes.len();
            let created = model.doc().is_none();
            let what = if n == 1 {
                format!("generated {}", changes[0].name)
            } else {
                format!("generated {n} values")
            };
            let mut text = if n == 1 {
                let len = changes[0].value.expose_secret().chars().count();
                format!("Generated {} ({len} chars, hidden)", changes[0].name)
            } else {
                format!("Generated {n} values (hidden)")
            };
            if created && model.ws.example.is_some() {
                let _ = write!(text, " in a new {}", model.inv.env_file.display());
            }
            text.push_str(" · s save · u undo");
            change(model, changes, what);
            say(model, Tone::Good, text);
        }
        Err(e) => say(model, Tone::Error, format!("Could not generate: {e}")),
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
