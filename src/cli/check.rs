//! `envward check` (also `envward --check`): the analysis for scripts and CI.
//!
//! Exit 0 without errors, 1 with errors (or warnings under `--strict`), 2 when envward could
//! not do its job. Output never contains a secret value.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{CheckFormat, Error, ExitCode, GlobalArgs, workspace};
use crate::analysis::{Inventory, Knowledge, RuleId, Severity};
use crate::report;

/// What `check` was asked for.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Output format.
    pub format: CheckFormat,
    /// Warnings fail too.
    pub strict: bool,
    /// Rules left out.
    pub skip: Vec<RuleId>,
    /// Judge schedules as of this time instead of now.
    pub as_of: Option<jiff::Timestamp>,
}

/// Whether to colour text output (see [`super::color_enabled`]).
pub fn use_color(global: &GlobalArgs) -> bool {
    super::color_enabled(global, std::io::stdout().is_terminal())
}

/// The width to wrap text to: the terminal's, when standard output is one.
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
        .filter(|w| *w >= 40)
}

/// Runs the check: on the live file, or on each env file the services load when the project
/// has no `.env` (see [`workspace::each_live_file`]), with one exit code for all.
pub fn run(global: &GlobalArgs, options: &CheckOptions) -> Result<ExitCode, Error> {
    let each = workspace::load_each(global, true)?;
    let knowledge = Knowledge::builtin()?;
    let invs: Vec<Inventory> = each
        .iter()
        .map(|ws| judge(ws, &knowledge, global, options))
        .collect();
    let mut stdout = std::io::stdout().lock();
    if let [inv] = invs.as_slice() {
        match options.format {
            CheckFormat::Text => stdout.write_all(
                report::check::text_with(
                    inv,
                    report::check::TextOptions {
                        color: use_color(global),
                        width: terminal_width(),
                    },
                )
                .as_bytes(),
            )?,
            // Written as it is walked: no document is built in memory first.
            CheckFormat::Json => report::check_json::write(inv, &mut stdout)?,
            CheckFormat::Sarif => stdout.write_all(report::check::sarif(inv).as_bytes())?,
            CheckFormat::Github => stdout.write_all(report::check::github(inv).as_bytes())?,
        }
    } else {
        write_several(global, options.format, &each, &invs, &mut stdout)?;
    }
    if options.format == CheckFormat::Text {
        let judged: Vec<&Path> = each
            .iter()
            .map(|ws| ws.project.env_file.as_path())
            .collect();
        unjudged_note(&each[0], &judged, &mut stdout)?;
        absent_env_file_note(&each[0], &mut stdout)?;
    }
    drop(stdout);
    let failing = invs.iter().flat_map(|inv| &inv.findings).any(|f| {
        f.severity == Severity::Error || (options.strict && f.severity == Severity::Warning)
    });
    super::release_at_exit((invs, knowledge, each));
    Ok(if failing {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}

/// The analysis of one live file, without the rules `--skip` leaves out.
fn judge(
    ws: &workspace::Workspace,
    knowledge: &Knowledge,
    global: &GlobalArgs,
    options: &CheckOptions,
) -> Inventory {
    let mut inv = match options.as_of {
        None => ws.analyze(knowledge, ws.policy(global.policy)),
        Some(when) => ws.analyze_at(knowledge, ws.policy(global.policy), when),
    };
    if !options.skip.is_empty() {
        inv.findings.retain(|f| !options.skip.contains(&f.rule));
        // Findings moved: re-point each variable at its own.
        for var in &mut inv.variables {
            var.findings = inv
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.variable.as_deref() == Some(var.name.as_str()))
                .map(|(i, _)| i)
                .collect();
        }
    }
    inv
}

/// The output of a run that judged several files (see [`report::check_many`]).
fn write_several(
    global: &GlobalArgs,
    format: CheckFormat,
    each: &[workspace::Workspace],
    invs: &[Inventory],
    out: &mut impl Write,
) -> Result<(), Error> {
    let words: Vec<String> = each
        .iter()
        .map(|ws| workspace::shell_word(&ws.display(&ws.project.env_file).to_string_lossy()))
        .collect();
    let parts: Vec<report::check_many::Part<'_>> = invs
        .iter()
        .zip(&words)
        .map(|(inv, word)| report::check_many::Part { inv, word })
        .collect();
    match format {
        CheckFormat::Text => {
            let absent = each[0].display(&each[0].project.working_dir.join(".env"));
            let options = report::check::TextOptions {
                color: use_color(global),
                width: terminal_width(),
            };
            out.write_all(report::check_many::text(&absent, &parts, options).as_bytes())?;
        }
        CheckFormat::Json => report::check_many::write_json(&parts, out)?,
        CheckFormat::Sarif => out.write_all(report::check_many::sarif(&parts).as_bytes())?,
        CheckFormat::Github => out.write_all(report::check_many::github(&parts).as_bytes())?,
    }
    Ok(())
}

/// Says which env files a service that always starts loads although they do not exist:
/// Compose refuses to start the project (`env file … not found`) until they do, whatever the
/// live file holds. A note, not a finding: nothing in the judged file is wrong, so the exit
/// code stays its own. Files marked `required: false`, and services behind a profile (Compose
/// reads env files only for the services it starts), are left out.
fn absent_env_file_note(ws: &workspace::Workspace, out: &mut impl Write) -> Result<(), Error> {
    for file in ws.project.other_env_files() {
        if !file.required || file.path.exists() {
            continue;
        }
        let services: Vec<&str> = ws
            .project
            .services
            .iter()
            .filter(|s| s.profiles.is_empty() && s.env_files.iter().any(|f| f.path == file.path))
            .map(|s| s.name.as_str())
            .collect();
        if services.is_empty() {
            continue;
        }
        let shown = ws.display(&file.path);
        let fix = workspace::template_of(&file.path).map_or_else(String::new, |t| {
            format!("; its template is {}", ws.display(&t).display())
        });
        writeln!(
            out,
            "\nnote: {} does not exist, and {} {} {} it: Compose will not start until it does{fix}",
            shown.display(),
            if services.len() == 1 {
                "service"
            } else {
                "services"
            },
            services.join(", "),
            if services.len() == 1 { "loads" } else { "load" },
        )?;
    }
    Ok(())
}

/// Says which env files the services also load that this run did not judge (their secrets
/// are not in the counts above). A note, not a finding: the exit code stays that of the file
/// judged. It names no command: `--env-file` makes a file the one Compose interpolates from,
/// so judging a service's env file that way would ask it for the interpolation file's
/// variables and `fill` would add them there, where no service reads them.
fn unjudged_note(
    ws: &workspace::Workspace,
    judged: &[&Path],
    out: &mut impl Write,
) -> Result<(), Error> {
    let others: Vec<String> = ws
        .project
        .other_env_files()
        .into_iter()
        .filter(|f| f.path.is_file() && !judged.contains(&f.path.as_path()))
        .map(|f| ws.display(&f.path).display().to_string())
        .collect();
    if others.is_empty() {
        return Ok(());
    }
    let live = ws.display(&ws.project.env_file);
    let lead = if ws.live.is_none() {
        format!("{} does not exist; the services load", live.display())
    } else {
        "the services also load".to_string()
    };
    let judged: Vec<String> = judged
        .iter()
        .map(|p| ws.display(p).display().to_string())
        .collect();
    writeln!(
        out,
        "\nnote: {lead} {}, not judged in this run (envward judges {} only)",
        others.join(", "),
        judged.join(", ")
    )?;
    Ok(())
}
