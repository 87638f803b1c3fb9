//! Carrying a rotation out, step by step, with the state file as its journal.
//!
//! 1. The new version of the live file goes into an encrypted backup (with the current
//!    version, unless the newest backup holds it), and the state file records the rotation
//!    as pending, naming both backups. Nothing else has changed yet.
//! 2. With `--apply`, each server learns the new value (the recipe, value on standard input);
//!    the journal drops each server once it is done.
//! 3. The live file is written (no backup again: step 1 made it), dating the changed values.
//! 4. With `--restart`, each service is recreated, one at a time; the journal drops each.
//!
//! A failure stops at once and says what is done and how to go on (`--resume`) or back
//! (`--undo`, until step 3). A crash anywhere leaves the same journal for the next run.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use jiff::Timestamp;

use super::Mode;
use super::process::{Compose, Failed};
use crate::cli::save::{self, SaveOptions};
use crate::cli::workspace::Workspace;
use crate::cli::{Error, ExitCode, GlobalArgs, records};
use crate::rotate::plan::{RotationPlan, ServerStep};
use crate::rotate::schedule::day;
use crate::rotate::{Overlap, Pending};
use crate::store::failpoint;

/// Crash-test points between the steps (see [`crate::store::failpoint`]).
pub const AFTER_STAGE: &str = "rotate-after-stage";
/// After each server's in-database change.
pub const AFTER_DATABASE: &str = "rotate-after-database";
/// After the live file is written.
pub const AFTER_ENV: &str = "rotate-after-env";
/// After each service is recreated.
pub const AFTER_RECREATE: &str = "rotate-after-recreate";

/// A planned rotation and how far to take it.
pub struct Job<'a> {
    /// The project, as read.
    pub ws: &'a Workspace,
    /// Global flags (identity, symbolic links).
    pub global: &'a GlobalArgs,
    /// The plan.
    pub plan: &'a RotationPlan,
    /// Replace, overlap or promote.
    pub mode: &'a Mode,
    /// How to call `docker compose`.
    pub compose: &'a Compose,
    /// Run the in-database changes.
    pub apply: bool,
    /// Recreate the services.
    pub restart: bool,
}

/// Save options from the global flags.
pub fn save_options(global: &GlobalArgs) -> SaveOptions {
    SaveOptions {
        identity: global.identity.clone(),
        follow_symlinks: global.follow_symlinks,
    }
}

/// A file's name, for the journal (backups sit beside the live file).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Carries the plan out (see the module docs).
pub fn execute(job: &Job<'_>) -> Result<ExitCode, Error> {
    let ws = job.ws;
    let live_path = &ws.project.env_file;
    let live = ws.live.as_ref().map(|l| &l.document);
    let example = ws.example.as_ref().map(|e| &e.document);
    let text = crate::rotate::plan::apply(live, example, job.plan)?.render();
    let options = save_options(job.global);
    let (staged, notice) = save::stage(ws, &text, &options)?;
    if let Some(n) = notice {
        writeln!(std::io::stderr(), "{n}")?;
    }
    for b in &staged.written {
        writeln!(std::io::stdout(), "backup {}", ws.display(b).display())?;
    }
    let database: Vec<String> = job
        .plan
        .servers
        .iter()
        .filter(|s| !s.recipe.as_ref().is_some_and(|r| r.restart_first))
        .map(|s| s.service.clone())
        .collect();
    let pending = Pending {
        vars: job.plan.rotated.clone(),
        started: Timestamp::now(),
        before: file_name(&staged.before),
        after: file_name(&staged.after),
        database,
        applying: None,
        env_written: false,
        recreate: if job.restart {
            job.plan.recreate.clone()
        } else {
            Vec::new()
        },
    };
    records::update(live_path, |s| s.pending = Some(pending.clone()))?;
    failpoint::hit(AFTER_STAGE);

    let before_values = values(live);
    let after_values = crate::rotate::state::values_of(&crate::dotenv::parse_recovering(&text).0);
    if job.apply {
        let steps: Vec<&ServerStep> = job.plan.runnable().collect();
        let done = run_servers(
            live_path,
            job.compose,
            &steps,
            (&before_values, &after_values),
            Direction::Forward,
        )?;
        if !done {
            say_database_failed(ws, &pending, &staged.after)?;
            return Ok(ExitCode::Failure);
        }
    }

    let saved = save::save_staged(ws, &text, &options, Some(&staged.after))?;
    save::report(ws, &saved)?;
    let now = Timestamp::now();
    records::update(live_path, |s| {
        if let Some(p) = &mut s.pending {
            p.env_written = true;
        }
        match job.mode {
            Mode::Overlap { secondary, every } => {
                if let Some(name) = job.plan.rotated.first() {
                    s.overlaps.insert(
                        name.clone(),
                        Overlap {
                            secondary: secondary.clone(),
                            started: now,
                            promote_after: every.after(now).unwrap_or(now),
                        },
                    );
                }
            }
            Mode::Promote => {
                for name in &job.plan.rotated {
                    s.overlaps.remove(name);
                }
            }
            Mode::Replace => {}
        }
        clear_if_done(s);
    })?;
    failpoint::hit(AFTER_ENV);

    if job.restart {
        return recreate(ws, job.compose, &job.plan.recreate);
    }
    next_steps(ws)?;
    Ok(ExitCode::Clean)
}

/// Drops the journal once nothing is left to do.
pub fn clear_if_done(s: &mut crate::rotate::State) {
    if s.pending
        .as_ref()
        .is_some_and(|p| p.env_written && p.database.is_empty() && p.recreate.is_empty())
    {
        s.pending = None;
    }
}

/// Recreates `services` one at a time, dropping each from the journal.
pub fn recreate(ws: &Workspace, compose: &Compose, services: &[String]) -> Result<ExitCode, Error> {
    let live_path = &ws.project.env_file;
    records::update(live_path, |s| {
        if let Some(p) = &mut s.pending {
            p.recreate = services.to_vec();
        }
    })?;
    for svc in services {
        writeln!(std::io::stdout(), "recreating {svc}")?;
        if let Err(f) = compose.recreate(svc) {
            report_failed(&format!("recreating {svc}"), &f)?;
            let left = records::load(live_path)?
                .pending
                .map(|p| p.recreate.join(", "))
                .unwrap_or_default();
            writeln!(
                std::io::stderr(),
                "the env file and the database have the new value; still to recreate: {left}\n  retry: envward rotate --resume --restart"
            )?;
            return Ok(ExitCode::Failure);
        }
        records::update(live_path, |s| {
            if let Some(p) = &mut s.pending {
                p.recreate.retain(|r| r != svc);
            }
            clear_if_done(s);
        })?;
        failpoint::hit(AFTER_RECREATE);
    }
    next_steps(ws)?;
    Ok(ExitCode::Clean)
}

/// What is left, from the journal.
fn next_steps(ws: &Workspace) -> Result<(), Error> {
    let state = records::load(&ws.project.env_file)?;
    let mut out = std::io::stdout().lock();
    match state.pending {
        None => writeln!(out, "rotation done")?,
        Some(p) if !p.database.is_empty() => writeln!(
            out,
            "not done yet: {} still has the old value; before recreating anything, run `envward rotate --resume --apply` (or change it yourself, then `envward rotate --forget`)",
            p.database.join(", ")
        )?,
        Some(p) => writeln!(
            out,
            "not done yet: recreate {} (`envward rotate --resume --restart`)",
            p.recreate.join(", ")
        )?,
    }
    Ok(())
}

/// The values of a document as Compose decodes them.
pub fn values(doc: Option<&crate::dotenv::Document>) -> HashMap<String, String> {
    doc.map(crate::rotate::state::values_of).unwrap_or_default()
}

/// Runs one server's recipe: `new` and `old` are taken from the two versions' values of the
/// variable it rotates.
pub fn run_server<R: rand::TryCryptoRng + ?Sized>(
    compose: &Compose,
    step: &ServerStep,
    old_values: &HashMap<String, String>,
    new_values: &HashMap<String, String>,
    rng: &mut R,
) -> Result<(), Failed> {
    let fail = |why: String| Failed {
        command: format!("the recipe for {} in {}", step.container_var, step.service),
        why,
        output: Vec::new(),
    };
    let (Some(recipe), Some(user)) = (&step.recipe, &step.user) else {
        return Err(fail("envward has no recipe for it".to_string()));
    };
    let new = new_values.get(&step.var).map_or("", String::as_str);
    let old = old_values.get(&step.var).map_or("", String::as_str);
    let rendered = recipe
        .render(&step.var, user, new, old, rng)
        .map_err(|e| fail(e.to_string()))?;
    // Lines of standard input that carry a value differ from a rendering without values.
    let blank = recipe
        .render(&step.var, user, "", "", rng)
        .map_err(|e| fail(e.to_string()))?;
    let blank_lines: Vec<&str> = blank.stdin.lines().collect();
    let carrying: Vec<&str> = rendered
        .stdin
        .lines()
        .filter(|l| !blank_lines.contains(l))
        .collect();
    let mut secrets: Vec<&str> = vec![new, old];
    secrets.extend(carrying);
    compose.exec(
        &step.service,
        &rendered.args,
        &rendered.stdin,
        &secrets,
        recipe.ok_output.as_deref(),
    )
}

/// Which way the servers' values go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the old value to the new one.
    Forward,
    /// Back to the old value (`--undo`).
    Back,
}

/// Runs each server's recipe in turn (`values` are the old and the new version's values),
/// keeping the journal's list of servers still holding the old value up to date. A failure
/// is printed and stops the run: `Ok(false)`.
pub fn run_servers(
    live_path: &Path,
    compose: &Compose,
    steps: &[&ServerStep],
    (old, new): (&HashMap<String, String>, &HashMap<String, String>),
    direction: Direction,
) -> Result<bool, Error> {
    let mut rng = crate::generate::os_rng();
    for step in steps {
        let (from, to, doing, done) = match direction {
            Direction::Forward => (old, new, "changing", "changed"),
            Direction::Back => (new, old, "putting back the old", "put back the old"),
        };
        if direction == Direction::Forward {
            // Whether a change that is running when envward stops took effect is unknown:
            // `--undo` puts the old value back here too (every recipe can be run again).
            records::update(live_path, |s| {
                if let Some(p) = &mut s.pending {
                    p.applying = Some(step.service.clone());
                }
            })?;
        }
        if let Err(f) = run_server(compose, step, from, to, &mut rng) {
            report_failed(
                &format!("{doing} {} in service {}", step.container_var, step.service),
                &f,
            )?;
            return Ok(false);
        }
        writeln!(
            std::io::stdout(),
            "{done} {} in service {}",
            step.container_var,
            step.service
        )?;
        records::update(live_path, |s| {
            if let Some(p) = &mut s.pending {
                p.database.retain(|d| *d != step.service);
                p.applying = None;
                if direction == Direction::Back {
                    p.database.push(step.service.clone());
                }
            }
        })?;
        failpoint::hit(AFTER_DATABASE);
    }
    Ok(true)
}

/// Prints a failed command: what it was, why, and what it printed (safe lines only).
pub fn report_failed(what: &str, f: &Failed) -> Result<(), Error> {
    let mut err = std::io::stderr().lock();
    writeln!(err, "error: {what} failed: `{}`: {}", f.command, f.why)?;
    for line in &f.output {
        writeln!(err, "  | {line}")?;
    }
    Ok(())
}

fn say_database_failed(ws: &Workspace, p: &Pending, after: &Path) -> Result<(), Error> {
    writeln!(
        std::io::stderr(),
        "{} still has the old value (the new version is kept in {}, since {}).\n  retry:   envward rotate --resume --apply\n  go back: envward rotate --undo",
        ws.display(&ws.project.env_file).display(),
        ws.display(after).display(),
        day(p.started)
    )?;
    Ok(())
}
