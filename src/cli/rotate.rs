//! `envward rotate VAR… [--due] [--dry-run] [--yes] [--apply] [--restart]`: a new value for
//! each variable, and the plan that puts it in service without downtime.
//!
//! The plan comes from the pure core ([`crate::rotate::plan`]): the new value (generated for
//! a secret; typed, masked, or read with `--value-stdin` for a provider's credential), its
//! group, URLs and signed tokens following it, the in-database change for servers that read
//! the value only when their volume was created, the services to recreate one at a time, and
//! what to verify. Nothing printed contains a value.
//!
//! Carrying it out ([`steps`]) keeps the secrets strategy's order: the new version of the
//! live file goes into an encrypted backup first, then the database (`--apply`), then the
//! live file, then each service (`--restart`). The state file beside the live file records
//! every step, so a failure or a crash at any point leaves a rotation that
//! `rotate --resume` finishes or `rotate --undo` takes back ([`resume`]).
//!
//! `--overlap[=7d]` writes the new value beside the old one (`VAR_SECONDARY`, or the
//! project's `[vars.VAR] overlap` name) and records when to promote it; `--promote` makes it
//! the value and removes the secondary.

mod process;
mod resume;
mod steps;

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Read, Write};

use clap::Args;
use jiff::Timestamp;
use secrecy::SecretString;

use super::{Error, ExitCode, GlobalArgs, records, workspace};
use crate::analysis::{Class, Inventory, Knowledge};
use crate::rotate::plan::{self as rplan, RotateInput, RotationPlan};
use crate::rotate::schedule::{self, Interval};

/// The arguments of `envward rotate`. Doc comments are `--help` text.
// Each flag is an independent switch of the command line.
#[allow(clippy::doc_markdown, clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Args, Default)]
pub struct RotateArgs {
    /// The variables to rotate.
    #[arg(value_name = "VAR")]
    pub vars: Vec<String>,
    /// Rotate every secret whose rotation is due (see `envward check`'s rotation-due).
    #[arg(long)]
    pub due: bool,
    /// With --due: what is due at DATE (YYYY-MM-DD or an RFC 3339 time).
    #[arg(long, value_name = "DATE", value_parser = super::audit::parse_as_of, requires = "due")]
    pub as_of: Option<Timestamp>,
    /// Show the plan; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Go ahead without asking.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Change the password in the database first (docker compose exec -T, the new value on
    /// standard input only).
    #[arg(long)]
    pub apply: bool,
    /// Recreate each service that uses the value, one at a time.
    #[arg(long)]
    pub restart: bool,
    /// Read the new value of a provider's credential from standard input (one line).
    #[arg(long)]
    pub value_stdin: bool,
    /// Write the new value beside the old one (VAR_SECONDARY) for DURATION (default 7d).
    #[arg(long, value_name = "DURATION", num_args = 0..=1, require_equals = true,
          default_missing_value = "", conflicts_with = "promote")]
    pub overlap: Option<String>,
    /// Make the overlapping new value the value, and remove the secondary.
    #[arg(long)]
    pub promote: bool,
    /// Finish an unfinished rotation (with --apply and --restart as needed).
    #[arg(long, conflicts_with_all = ["undo", "forget", "due", "overlap", "promote", "vars"])]
    pub resume: bool,
    /// Take back an unfinished rotation that has not written the env file yet.
    #[arg(long, conflicts_with_all = ["forget", "due", "overlap", "promote", "vars", "apply", "restart"])]
    pub undo: bool,
    /// Forget an unfinished rotation you finished by hand.
    #[arg(long, conflicts_with_all = ["due", "overlap", "promote", "vars", "apply", "restart"])]
    pub forget: bool,
}

/// What kind of rotation was asked for.
#[derive(Debug, Clone)]
pub enum Mode {
    /// New values in place.
    Replace,
    /// The new value beside the old one, promoted after this long.
    Overlap {
        /// The variable holding the new value.
        secondary: String,
        /// How long.
        every: Interval,
    },
    /// The secondary becomes the value.
    Promote,
}

/// Runs `rotate`.
pub fn run(global: &GlobalArgs, args: &RotateArgs) -> Result<ExitCode, Error> {
    if args.resume || args.undo || args.forget {
        return resume::run(global, args);
    }
    if args.vars.is_empty() && !args.due {
        return Err(Error::Usage(
            "name the variables to rotate, or pass --due for every one whose rotation is due"
                .to_string(),
        ));
    }
    if (args.overlap.is_some() || args.promote) && (args.vars.len() != 1 || args.due) {
        return Err(Error::Usage(
            "--overlap and --promote take exactly one variable".to_string(),
        ));
    }
    let ws = workspace::load(global)?;
    let Some(live) = &ws.live else {
        return Err(Error::Usage(format!(
            "{} does not exist: there is nothing to rotate (`envward fill` creates it)",
            ws.display(&ws.project.env_file).display()
        )));
    };
    let live_shown = live.display.display().to_string();
    let state = records::load(&ws.project.env_file)?;
    if let Some(p) = &state.pending
        && (!p.env_written || !p.database.is_empty())
    {
        return Err(Error::Usage(format!(
            "the rotation of {} started {} is unfinished: finish it with `envward rotate --resume` (add --apply to change the database), or take it back with `envward rotate --undo`",
            p.vars.join(", "),
            schedule::day(p.started)
        )));
    }
    let knowledge = Knowledge::builtin()?;
    let inv = ws.analyze(&knowledge, ws.policy(global.policy));
    let mut out = std::io::stdout().lock();
    let names = if args.due {
        let when = args.as_of.unwrap_or_else(Timestamp::now);
        let due = rplan::due(&inv, when);
        if due.is_empty() {
            writeln!(
                out,
                "nothing is due in {live_shown} on {}",
                schedule::day(when)
            )?;
            return Ok(ExitCode::Clean);
        }
        due
    } else {
        args.vars.clone()
    };
    let mode = if let Some(d) = &args.overlap {
        let name = &names[0];
        let every = if d.is_empty() {
            schedule::overlap_for(&ws.config, name)
        } else {
            schedule::parse_interval(d).map_err(|why| Error::Usage(format!("--overlap: {why}")))?
        };
        Mode::Overlap {
            secondary: schedule::secondary_name(&ws.config, name),
            every,
        }
    } else if args.promote {
        Mode::Promote
    } else {
        Mode::Replace
    };
    // Every variable is checked before a value is asked for.
    for n in &names {
        rplan::target(&inv, n)?;
    }
    let (names, skipped) = askable(&inv, names, args);
    for s in &skipped {
        writeln!(
            out,
            "{s} is due, but it is issued by a provider: rotate it with `envward rotate {s}` on a terminal, or `--value-stdin`"
        )?;
    }
    if names.is_empty() {
        return Ok(ExitCode::Findings);
    }
    let typed = if matches!(mode, Mode::Promote) {
        HashMap::new()
    } else {
        typed_values(&inv, &names, args)?
    };
    let input = RotateInput {
        plan: crate::plan::PlanInput {
            inventory: &inv,
            live: Some(&live.document),
            example: ws.example.as_ref().map(|e| &e.document),
            project: &ws.project,
            now: Timestamp::now(),
        },
        knowledge: &knowledge,
        config: &ws.config,
        live_path: &ws.project.env_file,
    };
    let mut rng = crate::generate::os_rng();
    let plan = match &mode {
        Mode::Replace => rplan::plan_rotation(&input, &names, &typed, &mut rng)?,
        Mode::Overlap { .. } => {
            rplan::plan_overlap(&input, &names[0], typed.get(&names[0]), &mut rng)?
        }
        Mode::Promote => rplan::plan_promote(&input, &names[0])?,
    };
    let compose = process::compose_for(
        &global.files,
        global.env_file.as_deref(),
        &ws.project.working_dir,
    );
    print_plan(&mut out, &plan, &mode, &compose.shown(), &live_shown)?;
    if args.apply
        && let Some(manual) = plan
            .servers
            .iter()
            .find(|s| !s.runnable() && !s.recipe.as_ref().is_some_and(|r| r.restart_first))
    {
        return Err(Error::Usage(format!(
            "--apply cannot change {} in service {}: {}; do it by hand, then run without --apply",
            manual.container_var,
            manual.service,
            manual.describe()
        )));
    }
    if args.restart && !args.apply && plan.runnable().next().is_some() {
        return Err(Error::Usage(
            "--restart recreates services, which would then log in with the new value while the database still has the old one: add --apply"
                .to_string(),
        ));
    }
    if args.dry_run {
        writeln!(out, "dry run: nothing changed")?;
        return Ok(ExitCode::Clean);
    }
    if !confirm(&mut out, args.yes, &live_shown)? {
        return Ok(ExitCode::Findings);
    }
    drop(out);
    steps::execute(&steps::Job {
        ws: &ws,
        global,
        plan: &plan,
        mode: &mode,
        compose: &compose,
        apply: args.apply,
        restart: args.restart,
    })
}

/// The variables that can be rotated now: a provider's credential needs a value typed on a
/// terminal or given with `--value-stdin`; under `--due` those that cannot get one are
/// skipped (and named) rather than failing the others.
fn askable(inv: &Inventory, names: Vec<String>, args: &RotateArgs) -> (Vec<String>, Vec<String>) {
    if !args.due || args.value_stdin || std::io::stdin().is_terminal() {
        return (names, Vec::new());
    }
    names
        .into_iter()
        .partition(|n| inv.get(n).is_none_or(|v| v.class != Class::External))
}

/// New values the user gives: for each provider's credential, from standard input
/// (`--value-stdin`, one variable) or a masked prompt on the terminal.
fn typed_values(
    inv: &Inventory,
    names: &[String],
    args: &RotateArgs,
) -> Result<HashMap<String, SecretString>, Error> {
    let external: Vec<&String> = names
        .iter()
        .filter(|n| inv.get(n).is_some_and(|v| v.class == Class::External))
        .collect();
    let mut out = HashMap::new();
    if args.value_stdin {
        // One variable: a provider's credential, or a secret given a value the user made.
        let [name] = names else {
            return Err(Error::Usage(
                "--value-stdin gives the value of exactly one variable".to_string(),
            ));
        };
        out.insert(name.clone(), read_stdin_value()?);
        return Ok(out);
    }
    for name in external {
        if !std::io::stdin().is_terminal() {
            return Err(crate::rotate::RotateError::NeedsValue(name.clone()).into());
        }
        let value = rpassword::prompt_password(format!("new value of {name} (hidden): "))?;
        out.insert(name.clone(), SecretString::from(value));
    }
    Ok(out)
}

/// One value from standard input: everything read, without one trailing line break.
fn read_stdin_value() -> Result<SecretString, Error> {
    let mut text = zeroize::Zeroizing::new(String::new());
    std::io::stdin().lock().read_to_string(&mut text)?;
    let value = text
        .strip_suffix('\n')
        .map_or(text.as_str(), |t| t.strip_suffix('\r').unwrap_or(t));
    Ok(SecretString::from(value.to_string()))
}

/// Prints what will change (names, kinds and reasons) and the steps.
fn print_plan(
    out: &mut impl Write,
    plan: &RotationPlan,
    mode: &Mode,
    compose: &[String],
    live: &str,
) -> Result<(), Error> {
    let what = match mode {
        Mode::Replace => "rotating",
        Mode::Overlap { .. } => "starting an overlap of",
        Mode::Promote => "promoting the new value of",
    };
    writeln!(out, "{what} {} in {live}:", plan.rotated.join(", "))?;
    let name_w = plan
        .changes
        .changes
        .iter()
        .map(|c| c.name.len())
        .chain(plan.removed.iter().map(String::len))
        .max()
        .unwrap_or(0);
    for c in &plan.changes.changes {
        let (kind, how) = match &c.origin {
            crate::plan::Origin::Generated => (c.kind.to_string(), "new value".to_string()),
            crate::plan::Origin::Typed => (String::new(), "the value you gave".to_string()),
            other => (String::new(), other.describe()),
        };
        let how = match mode {
            Mode::Overlap { every, .. } => {
                format!("{how}, beside the old one for {every}, then `--promote`")
            }
            _ => how,
        };
        writeln!(out, "  {:name_w$}  {kind:10}  {how}", c.name)?;
    }
    for r in &plan.removed {
        writeln!(out, "  {r:name_w$}  {:10}  removed", "")?;
    }
    writeln!(out, "steps:")?;
    for line in plan.steps(compose, live) {
        writeln!(out, "  {line}")?;
    }
    for n in &plan.notes {
        writeln!(out, "note: {n}")?;
    }
    Ok(())
}

/// `--yes`, or a `y` typed on a terminal.
fn confirm(out: &mut impl Write, yes: bool, live: &str) -> Result<bool, Error> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        writeln!(
            out,
            "nothing changed: pass --yes to rotate without a terminal"
        )?;
        return Ok(false);
    }
    write!(out, "rotate, writing {live}? [y/N] ")?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let go = matches!(answer.trim(), "y" | "Y" | "yes");
    if !go {
        writeln!(out, "nothing changed")?;
    }
    Ok(go)
}
