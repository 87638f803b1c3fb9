//! `envward fill`: generate a strong value for every secret that is missing, a placeholder
//! or weak, and save (atomically, mode 0600, with encrypted backups).
//!
//! The plan names variables, kinds and reasons, never values. It is written with `--yes`, or
//! after a confirmation on a terminal; without a terminal and without `--yes` nothing is
//! written and the exit code is 1. It ends by saying what is still left (provider tokens,
//! values only a person can choose) and exits 1 while the file is not clean, so a script
//! knows `fill` alone did not finish the job. A `--env-file` that does not exist yet is
//! created, like `.env`.

use std::io::{BufRead, IsTerminal, Write};

use super::save::{self, SaveOptions};
use super::{Error, ExitCode, GlobalArgs, workspace};
use crate::analysis::{Class, Knowledge, Status};
use crate::generate;
use crate::plan;

/// What `fill` was asked for.
#[derive(Debug, Clone)]
pub struct FillOptions {
    /// Show the plan only.
    pub dry_run: bool,
    /// The statuses to fix.
    pub only: Vec<Status>,
    /// Write without asking.
    pub yes: bool,
}

/// Runs `fill`.
pub fn run(global: &GlobalArgs, options: &FillOptions) -> Result<ExitCode, Error> {
    let new_file = global.env_file.as_ref().is_some_and(|p| {
        let path = crate::compose::resolve_path(&workspace::cwd(global).unwrap_or_default(), p);
        std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    });
    let ws = if new_file {
        workspace::load_editing(global)?
    } else {
        workspace::load(global)?
    };
    // It writes one file: where the services load several and none is `.env`, say how to
    // fill each (`check` judges them all).
    if let Some(note) = workspace::one_at_a_time(global, &ws, " fill") {
        println!("note: {note}");
    }
    let knowledge = Knowledge::builtin()?;
    // On a fresh checkout the live file will be the example's copy: judged as that copy.
    let created = workspace::as_created_from_example(global, &ws);
    let judged = created.as_ref().unwrap_or(&ws);
    let inv = judged.analyze(&knowledge, ws.policy(global.policy));
    let mut rng = generate::os_rng();
    let plan = plan::plan_fill(
        &plan::PlanInput {
            inventory: &inv,
            live: judged.live.as_ref().map(|l| &l.document),
            example: ws.example.as_ref().map(|e| &e.document),
            project: &judged.project,
            now: jiff::Timestamp::now(),
        },
        &options.only,
        &mut rng,
    )?;
    let live = ws.display(&ws.project.env_file);
    let creating = ws.live.is_none();
    let mut out = std::io::stdout().lock();
    if plan.is_empty() && !(creating && ws.example.is_some()) {
        writeln!(
            out,
            "nothing to fill: no secret in {} that is {} can be generated",
            live.display(),
            statuses(&options.only)
        )?;
        drop(out);
        return left_to_do(&inv);
    }
    if creating {
        match &ws.example {
            Some(_) => {
                writeln!(
                    out,
                    "{} does not exist: it will be created from {}",
                    live.display(),
                    ws.display(&ws.example_path).display()
                )?;
                let copied = chosen_from_example(&ws, &inv, &knowledge, global);
                if !copied.is_empty() {
                    writeln!(
                        out,
                        "  copied as the example has it, yours to choose: {}",
                        copied.join(", ")
                    )?;
                }
            }
            None => writeln!(out, "{} does not exist: it will be created", live.display())?,
        }
    }
    let name_w = plan.changes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let kind_w = plan
        .changes
        .iter()
        .map(|c| c.kind.to_string().len())
        .max()
        .unwrap_or(0);
    for c in &plan.changes {
        match &c.origin {
            plan::Origin::Generated | plan::Origin::Typed => writeln!(
                out,
                "  {:name_w$}  {:kind_w$}  {:11}  {}",
                c.name,
                c.kind.to_string(),
                c.status.as_str(),
                c.reason
            )?,
            other => writeln!(
                out,
                "  {:name_w$}  {:kind_w$}  {:11}  {}",
                c.name,
                "",
                "follows",
                other.describe()
            )?,
        }
    }
    writeln!(
        out,
        "{} value{} to generate in {}",
        plan.changes.len(),
        if plan.changes.len() == 1 { "" } else { "s" },
        live.display()
    )?;
    if options.dry_run {
        writeln!(out, "dry run: nothing written")?;
        return Ok(ExitCode::Clean);
    }
    if !options.yes {
        if !std::io::stdin().is_terminal() {
            writeln!(out, "not written: pass --yes to write without a terminal")?;
            return Ok(ExitCode::Findings);
        }
        write!(out, "write {}? [y/N] ", live.display())?;
        out.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            writeln!(out, "not written")?;
            return Ok(ExitCode::Findings);
        }
    }
    let doc = plan::apply(
        judged.live.as_ref().map(|l| &l.document),
        ws.example.as_ref().map(|e| &e.document),
        &plan,
    )?;
    let saved = save::save(
        &ws,
        &doc.render(),
        &SaveOptions {
            identity: global.identity.clone(),
            follow_symlinks: global.follow_symlinks,
        },
    )?;
    drop(out);
    report_save(&ws, &saved)?;
    let after = workspace::load_with(global, true)?;
    left_to_do(&after.analyze(&knowledge, after.policy(global.policy)))
}

/// The settings `check` asks the user to choose on a fresh checkout (required, and absent
/// while there is no live file) that the example's copy gives a value: `fill` keeps the
/// example's sample (rybbit's `DOMAIN_NAME=demo.rybbit.io`), and says so rather than
/// settling them silently.
fn chosen_from_example(
    ws: &workspace::Workspace,
    created: &crate::analysis::Inventory,
    knowledge: &Knowledge,
    global: &GlobalArgs,
) -> Vec<String> {
    let before = ws.analyze(knowledge, ws.policy(global.policy));
    before
        .variables
        .iter()
        .filter(|v| v.class == Class::Config && v.status == Status::Missing)
        .filter(|v| {
            created
                .get(&v.name)
                .is_some_and(|c| c.status != Status::Missing)
        })
        .map(|v| v.name.clone())
        .collect()
}

/// Says what `fill` could not do and returns the exit code: 1 while errors remain.
fn left_to_do(inv: &crate::analysis::Inventory) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout().lock();
    let errors = inv.errors();
    if errors == 0 {
        // A warning fill cannot settle (a setting holding a comment Compose passes on, kan's
        // `NEXT_PUBLIC_BASE_URL= # e.g. …`) is named, not hidden behind "clean".
        let steps = crate::report::check::next_steps(inv);
        if steps.is_empty() {
            writeln!(
                out,
                "{} is clean: nothing left to do",
                inv.env_file.display()
            )?;
        } else {
            writeln!(
                out,
                "no errors left in {}; warnings to look at (`envward check` lists them)",
                inv.env_file.display()
            )?;
            for step in steps {
                writeln!(out, "  → {step}")?;
            }
        }
        return Ok(ExitCode::Clean);
    }
    writeln!(
        out,
        "still to do in {}: {errors} error{} (`envward check` lists them)",
        inv.env_file.display(),
        if errors == 1 { "" } else { "s" }
    )?;
    for step in crate::report::check::next_steps(inv) {
        writeln!(out, "  → {step}")?;
    }
    Ok(ExitCode::Findings)
}

/// `missing, placeholder or weak`.
fn statuses(only: &[Status]) -> String {
    let names: Vec<&str> = only.iter().map(|s| s.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Prints what a save did: the live file, its mode change, the backups, and a new identity.
pub fn report_save(ws: &workspace::Workspace, saved: &save::Saved) -> Result<(), Error> {
    save::report(ws, saved)
}
