//! `envward fill`: generate a strong value for every secret that is missing, a placeholder
//! or weak, and save (atomically, mode 0600, with encrypted backups).
//!
//! The plan names variables, kinds and reasons, never values. It is written with `--yes`, or
//! after a confirmation on a terminal; without a terminal and without `--yes` nothing is
//! written and the exit code is 1.

use std::io::{BufRead, IsTerminal, Write};

use super::save::{self, SaveOptions};
use super::{Error, ExitCode, GlobalArgs, workspace};
use crate::analysis::{Knowledge, Status};
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
    let ws = workspace::load(global)?;
    let knowledge = Knowledge::builtin()?;
    let inv = ws.analyze(&knowledge, ws.policy(global.policy));
    let mut rng = generate::os_rng();
    let plan = plan::plan_fill(&inv, &options.only, &mut rng)?;
    let live = ws.display(&ws.project.env_file);
    let creating = ws.live.is_none();
    let mut out = std::io::stdout().lock();
    if plan.is_empty() && !(creating && ws.example.is_some()) {
        writeln!(
            out,
            "nothing to fill: no generatable secret in {} is {}",
            live.display(),
            statuses(&options.only)
        )?;
        return Ok(ExitCode::Clean);
    }
    if creating {
        writeln!(
            out,
            "{} does not exist: it will be created from {}",
            live.display(),
            ws.display(&ws.example_path).display()
        )?;
    }
    let name_w = plan.changes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let kind_w = plan
        .changes
        .iter()
        .map(|c| c.kind.to_string().len())
        .max()
        .unwrap_or(0);
    for c in &plan.changes {
        writeln!(
            out,
            "  {:name_w$}  {:kind_w$}  {:11}  {}",
            c.name,
            c.kind.to_string(),
            c.status.as_str(),
            c.reason
        )?;
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
        ws.live.as_ref().map(|l| &l.document),
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
    Ok(ExitCode::Clean)
}

fn statuses(only: &[Status]) -> String {
    only.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints what a save did: the live file, its mode change, the backups, and a new identity.
pub fn report_save(ws: &workspace::Workspace, saved: &save::Saved) -> Result<(), Error> {
    if let Some(notice) = &saved.notice {
        writeln!(std::io::stderr(), "{notice}")?;
    }
    let mut out = std::io::stdout().lock();
    let r = &saved.report;
    let live = ws.display(&r.live);
    match r.previous_mode {
        Some(mode) => writeln!(
            out,
            "wrote {} (mode 0600; it was {:04o}, readable by others)",
            live.display(),
            mode & 0o7777
        )?,
        None => writeln!(out, "wrote {} (mode 0600)", live.display())?,
    }
    for b in &r.backups {
        writeln!(out, "backup {}", ws.display(b).display())?;
    }
    if let Some(e) = &r.prune_error {
        writeln!(std::io::stderr(), "warning: old backups not pruned: {e}")?;
    }
    Ok(())
}
