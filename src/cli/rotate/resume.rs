//! An unfinished rotation: `--resume` finishes it, `--undo` takes it back (only while the
//! live file still has the old version), `--forget` drops the journal after the user
//! finished by hand.
//!
//! The journal names the two backups holding the versions before and after the rotation;
//! both are decrypted with the user's identity, so the values come from there, never from
//! the journal. The servers to change are found again from the compose project and the
//! variables that differ between the two versions.

use std::io::Write;
use std::path::Path;

use super::steps::{self, clear_if_done, values};
use super::{RotateArgs, process};
use crate::cli::{Error, ExitCode, GlobalArgs, records, save, workspace};
use crate::dotenv::{self, Document};
use crate::rotate::Pending;
use crate::rotate::plan::{self as rplan, RotateInput};
use crate::rotate::schedule::day;
use crate::rotate::state::changed_names;
use crate::store;

/// Runs `--resume`, `--undo` or `--forget`.
pub fn run(global: &GlobalArgs, args: &RotateArgs) -> Result<ExitCode, Error> {
    let ws = workspace::load(global)?;
    let live_path = ws.project.env_file.clone();
    let state = records::load(&live_path)?;
    let mut out = std::io::stdout().lock();
    let Some(pending) = state.pending else {
        writeln!(out, "no unfinished rotation")?;
        return Ok(ExitCode::Clean);
    };
    if args.forget {
        records::update(&live_path, |s| s.pending = None)?;
        writeln!(
            out,
            "forgot the unfinished rotation of {} (started {})",
            pending.vars.join(", "),
            day(pending.started)
        )?;
        return Ok(ExitCode::Clean);
    }
    drop(out);
    let (identity, _) = save::identity(global.identity.as_deref())?;
    let dir = store::atomic::parent_dir(&live_path);
    let open = |name: &str| -> Result<Document, Error> {
        let plain = store::backup::read_backup(&dir.join(name), &identity)?;
        let text = String::from_utf8_lossy(&plain).into_owned();
        Ok(dotenv::parse_recovering(&text).0)
    };
    let before = open(&pending.before)?;
    let after = open(&pending.after)?;
    let live_now = ws.live.as_ref().map(|l| &l.document);
    let live_values = live_now.map(crate::rotate::state::values_of);
    let mut pending = pending;
    if !pending.env_written && live_values.as_ref() == Some(&values(Some(&after))) {
        // Stopped between writing the live file and noting it in the journal.
        pending.env_written = true;
        records::update(&live_path, |s| {
            if let Some(p) = &mut s.pending {
                p.env_written = true;
            }
        })?;
    }
    let expected = if pending.env_written { &after } else { &before };
    if live_values != Some(values(Some(expected))) {
        return Err(Error::Usage(format!(
            "{} changed since the rotation of {} was {}; envward will not guess which values to use: restore it (`envward restore`) or forget the rotation (`envward rotate --forget`)",
            ws.display(&live_path).display(),
            pending.vars.join(", "),
            if pending.env_written {
                "written"
            } else {
                "started"
            }
        )));
    }
    let knowledge = crate::analysis::Knowledge::builtin()?;
    let inv = ws.analyze(&knowledge, ws.policy(global.policy));
    let input = RotateInput {
        plan: crate::plan::PlanInput {
            inventory: &inv,
            live: live_now,
            example: ws.example.as_ref().map(|e| &e.document),
            project: &ws.project,
            now: jiff::Timestamp::now(),
        },
        knowledge: &knowledge,
        config: &ws.config,
        live_path: &live_path,
    };
    let changed = changed_names(Some(&before), &after);
    let mut names = changed.changed.clone();
    names.extend(changed.removed.iter().cloned());
    let servers = rplan::servers(&input, &names);
    let compose = process::compose_for(
        &global.files,
        global.env_file.as_deref(),
        &ws.project.working_dir,
    );
    let (old_values, new_values) = (values(Some(&before)), values(Some(&after)));
    if args.undo {
        return undo(
            &ws,
            &pending,
            &servers,
            &compose,
            (&old_values, &new_values),
            dir,
        );
    }

    if args.apply {
        let steps: Vec<&crate::rotate::ServerStep> = servers
            .iter()
            .filter(|s| pending.database.contains(&s.service) && s.runnable())
            .collect();
        let done = steps::run_servers(
            &live_path,
            &compose,
            &steps,
            (&old_values, &new_values),
            steps::Direction::Forward,
        )?;
        if !done {
            writeln!(
                std::io::stderr(),
                "  retry:   envward rotate --resume --apply{}",
                if pending.env_written {
                    ""
                } else {
                    "\n  go back: envward rotate --undo"
                }
            )?;
            return Ok(ExitCode::Failure);
        }
    }
    if !pending.env_written {
        let text = after.render();
        let newest = store::backup::list(&live_path)?.into_iter().next();
        let staged = newest
            .filter(|b| steps::file_name(&b.path) == pending.after)
            .map(|b| b.path);
        let saved = save::save_staged(&ws, &text, &steps::save_options(global), staged.as_deref())?;
        save::report(&ws, &saved)?;
        records::update(&live_path, |s| {
            if let Some(p) = &mut s.pending {
                p.env_written = true;
            }
            clear_if_done(s);
        })?;
    }
    records::update(&live_path, clear_if_done)?;
    let state = records::load(&live_path)?;
    let Some(left) = state.pending else {
        writeln!(std::io::stdout(), "rotation done")?;
        return Ok(ExitCode::Clean);
    };
    if args.restart {
        if !left.database.is_empty() {
            return Err(Error::Usage(format!(
                "{} still has the old value: recreating services now would lock them out; add --apply",
                left.database.join(", ")
            )));
        }
        let services = if left.recreate.is_empty() {
            rplan::services_using(&input, &names)
        } else {
            left.recreate.clone()
        };
        return steps::recreate(&ws, &compose, &services);
    }
    let mut out = std::io::stdout().lock();
    if !left.database.is_empty() {
        writeln!(
            out,
            "still to do: change the value in {} (`envward rotate --resume --apply`)",
            left.database.join(", ")
        )?;
    } else if !left.recreate.is_empty() {
        writeln!(
            out,
            "still to do: recreate {} (`envward rotate --resume --restart`)",
            left.recreate.join(", ")
        )?;
    }
    Ok(ExitCode::Clean)
}

/// Takes back a rotation whose live file still has the old version: every server already
/// changed gets its old value back (the recipe with old and new swapped), the backup of the
/// new version is removed, and the journal is cleared.
fn undo(
    ws: &workspace::Workspace,
    pending: &Pending,
    servers: &[crate::rotate::ServerStep],
    compose: &process::Compose,
    (old_values, new_values): (
        &std::collections::HashMap<String, String>,
        &std::collections::HashMap<String, String>,
    ),
    dir: &Path,
) -> Result<ExitCode, Error> {
    let live_path = &ws.project.env_file;
    if pending.env_written {
        return Err(Error::Usage(format!(
            "{} already has the new value of {}: finish with `envward rotate --resume`, or rotate again",
            ws.display(live_path).display(),
            pending.vars.join(", ")
        )));
    }
    let steps: Vec<&crate::rotate::ServerStep> = servers
        .iter()
        .filter(|s| {
            s.runnable()
                && (!pending.database.contains(&s.service)
                    || pending.applying.as_ref() == Some(&s.service))
        })
        .collect();
    let done = steps::run_servers(
        live_path,
        compose,
        &steps,
        (old_values, new_values),
        steps::Direction::Back,
    )?;
    if !done {
        writeln!(std::io::stderr(), "  retry: envward rotate --undo")?;
        return Ok(ExitCode::Failure);
    }
    let after = dir.join(&pending.after);
    // The new version was never live: its backup goes, so the newest backup is the live file.
    let _ = std::fs::remove_file(&after);
    records::update(live_path, |s| s.pending = None)?;
    writeln!(
        std::io::stdout(),
        "took back the rotation of {}: {} keeps its old value",
        pending.vars.join(", "),
        ws.display(live_path).display()
    )?;
    Ok(ExitCode::Clean)
}
