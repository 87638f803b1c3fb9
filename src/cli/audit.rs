//! `envward audit`: the secrets strategy's monthly checklist, run.
//!
//! This edge gathers the facts — modes and owners, the live file's git standing, one
//! streaming `git log -p` over the whole history, `git ls-files` for tracked config files,
//! the backups the identity opens, Docker build contexts — and hands them to
//! [`crate::audit::audit`], which decides. Output never holds a value. Exit 0 without a fail,
//! 1 with one, 2 when the audit could not run.
//!
//! Git never runs a program the repository configures: every call clears `GIT_*` from the
//! environment, skips the system config, turns off `core.fsmonitor`, signature display,
//! pagers and transports, and `log` gets `--no-ext-diff --no-textconv` (see
//! [`git::safe_git`]).

use std::collections::HashSet;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

mod git;

use clap::{Args, ValueEnum};
use jiff::Timestamp;

use super::{Error, ExitCode, GlobalArgs, workspace};
use crate::analysis::{Class, GitFacts, Inventory, Knowledge};
use crate::audit::build::BuildContext;
use crate::audit::history::{Needles, Origin, Sought};
use crate::audit::rotation::Records;
use crate::audit::{self, Drill, DrillOutcome, Facts, FileFact};
use crate::store::{self, Identity};

/// `--format` of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AuditFormat {
    /// Aligned lines, coloured on a terminal.
    #[default]
    Text,
    /// envward's audit JSON, schema version 1.
    Json,
    /// The monthly report, as Markdown.
    Markdown,
}

/// The arguments of `envward audit`. Doc comments are `--help` text.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: AuditFormat,
    /// Scan history from DATE on (YYYY-MM-DD, or an RFC 3339 time).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Timestamp>,
    /// Audit as of DATE: backup ages and rotation are judged then, and history stops there.
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<Timestamp>,
}

fn parse_date(s: &str, end_of_day: bool) -> Result<Timestamp, String> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    let day: jiff::civil::Date = s
        .parse()
        .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"))?;
    let start = day
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| e.to_string())?
        .timestamp();
    Ok(if end_of_day {
        start + jiff::SignedDuration::from_secs(86_399)
    } else {
        start
    })
}

fn parse_since(s: &str) -> Result<Timestamp, String> {
    parse_date(s, false)
}

/// A date (the end of that day, UTC) or an RFC 3339 time, for `--as-of`.
pub(crate) fn parse_as_of(s: &str) -> Result<Timestamp, String> {
    parse_date(s, true)
}

fn file_fact(ws: &workspace::Workspace, path: &Path) -> Option<FileFact> {
    let meta = std::fs::metadata(path).ok()?;
    Some(FileFact {
        path: ws.display(path),
        mode: meta.mode() & 0o7777,
        owner: meta.uid(),
    })
}

/// Whether `name` holds a secret: its class in the analysis, else by name.
fn is_sensitive(inv: &Inventory, knowledge: &Knowledge, name: &str) -> bool {
    match inv.get(name) {
        Some(v) => v.class.is_sensitive(),
        None => knowledge
            .by_name(name)
            .is_some_and(|(c, _)| c != Class::Config),
    }
}

/// The values in every backup the identity opens: (variable, value, backup time).
fn backup_values(
    ws: &workspace::Workspace,
    backups: &[store::BackupInfo],
    identity: Option<&Identity>,
) -> Vec<(String, String, Timestamp)> {
    let Some(identity) = identity else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for b in backups {
        let Ok(plain) = store::backup::read_backup(&b.path, identity) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(&plain) else {
            continue;
        };
        let doc = crate::dotenv::parse_recovering(text).0;
        for binding in doc.resolve_lenient(&|k: &str| ws.os_env.get(k).cloned()) {
            out.push((binding.key, binding.value, b.time()));
        }
    }
    out
}

fn drill(
    ws: &workspace::Workspace,
    backups: &[store::BackupInfo],
    identity: Result<&Identity, &String>,
) -> Result<Drill, String> {
    let Some(newest) = backups.first() else {
        return Ok(Drill::NoBackups);
    };
    let identity = identity.map_err(|reason| format!("{reason}: backups cannot be opened"))?;
    let outcome = match store::backup::read_backup(&newest.path, identity) {
        Err(e) => DrillOutcome::CannotDecrypt(e.to_string()),
        Ok(plain) => match std::str::from_utf8(&plain) {
            Err(_) => DrillOutcome::NotRestorable("it is not UTF-8 text".to_string()),
            Ok(text) => match crate::dotenv::parse(text) {
                Err(e) => DrillOutcome::NotRestorable(format!("line {}", e.position.line)),
                Ok(_) if ws.live.as_ref().is_none_or(|l| l.text != text) => DrillOutcome::Differs,
                Ok(_) => {
                    let dir = crate::store::atomic::parent_dir(&ws.project.env_file);
                    if rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_err() {
                        DrillOutcome::NotRestorable(format!(
                            "{} is not writable",
                            ws.display(dir).display()
                        ))
                    } else {
                        DrillOutcome::Restores
                    }
                }
            },
        },
    };
    Ok(Drill::Newest {
        path: ws.display(&newest.path),
        time: newest.time(),
        outcome,
    })
}

/// Build contexts: each compose service's `build:` (a Git URL context is not on disk) and a
/// `Dockerfile` in the project directory.
fn build_contexts(ws: &workspace::Workspace) -> Vec<BuildContext> {
    let mut found: Vec<(Option<String>, PathBuf, PathBuf)> = ws
        .project
        .services
        .iter()
        .filter_map(|s| {
            let build = s.build.as_ref()?;
            let ctx = build.path.clone()?;
            let df = crate::compose::resolve_path(&ctx, Path::new(&build.dockerfile));
            Some((Some(s.name.clone()), ctx, df))
        })
        .collect();
    let root = &ws.project.working_dir;
    let own = root.join("Dockerfile");
    if own.is_file() && !found.iter().any(|(_, c, _)| c == root) {
        found.push((None, root.clone(), own));
    }
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter(|(_, ctx, df)| seen.insert((ctx.clone(), df.clone())))
        .map(|(service, ctx, df)| {
            let live_inside = ws.project.env_file.strip_prefix(&ctx).ok().map(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            });
            let mut own_ignore = df.clone().into_os_string();
            own_ignore.push(".dockerignore");
            let ignore_file = [PathBuf::from(own_ignore), ctx.join(".dockerignore")]
                .into_iter()
                .find(|p| p.is_file())
                .and_then(|p| {
                    let text = crate::cli::source::read_text(&p).ok()?;
                    Some((ws.display(&p), text))
                });
            BuildContext {
                service,
                dockerfile: ws.display(&df),
                context: ws.display(&ctx),
                live_inside,
                ignore_file,
            }
        })
        .collect()
}

/// Whether any last-set date is known: recorded by envward's writes in the state file, or
/// recovered from the backups.
fn rotation_records(facts: &crate::analysis::FileFacts) -> Records {
    if facts.rotation.set.is_empty() {
        Records::NotRecorded {
            reason: "no rotation records yet: every envward write (fill, the TUI, rotate, restore) records when each value changes, and backups your identity opens date the others".to_string(),
        }
    } else {
        Records::Recorded
    }
}

/// Runs `audit`.
pub fn run(global: &GlobalArgs, args: &AuditArgs) -> Result<ExitCode, Error> {
    let ws = workspace::load_with(global, true)?;
    let knowledge = Knowledge::builtin()?;
    let live_path = ws.project.env_file.clone();
    let facts = crate::analysis::FileFacts {
        mode: file_fact(&ws, &live_path).map(|f| f.mode),
        git: git::git_standing(&live_path),
        leftovers: Vec::new(),
        rotation: super::records::for_analysis(&live_path, global.identity.as_deref()),
    };
    let as_of = args.as_of.unwrap_or_else(Timestamp::now);
    let inv = ws.analyze_with(&knowledge, ws.policy(global.policy), facts.clone(), as_of);

    let backups = store::backup::list(&live_path)?;
    let identity_path = store::identity::resolve_identity_path(global.identity.as_deref())?;
    let identity_fact = file_fact(&ws, &identity_path.path).ok_or_else(|| {
        format!(
            "no identity at {}",
            ws.display(&identity_path.path).display()
        )
    });
    let identity = match &identity_fact {
        Ok(_) => Identity::load(&identity_path.path).map_err(|e| e.to_string()),
        Err(reason) => Err(reason.clone()),
    };

    let live_values = super::export::decoded_values(&ws);
    let from_backups = backup_values(&ws, &backups, identity.as_ref().ok());
    let mut sought: Vec<Sought<'_>> = Vec::new();
    for (name, value) in &live_values {
        if is_sensitive(&inv, &knowledge, name) {
            sought.push(Sought {
                variable: name,
                value,
                origin: Origin::Live,
            });
        }
    }
    for (name, value, time) in &from_backups {
        if is_sensitive(&inv, &knowledge, name) && live_values.get(name) != Some(value) {
            sought.push(Sought {
                variable: name,
                value,
                origin: Origin::Backup(*time),
            });
        }
    }
    sought.sort_by(|a, b| (a.variable, a.origin).cmp(&(b.variable, b.origin)));
    let needles = Needles::build(&sought, &knowledge);
    let history = git::scan_history(&ws.project.working_dir, &needles, args.since, args.as_of);

    let rotation = rotation_records(&facts);
    let git: Result<GitFacts, String> = facts
        .git
        .ok_or_else(|| "not inside a git work tree (or git is not installed)".to_string());
    let report = audit::audit(&Facts {
        inventory: &inv,
        project: &ws.project,
        uid: rustix::process::getuid().as_raw(),
        live: ws.live.as_ref().and_then(|_| file_fact(&ws, &live_path)),
        backups: backups
            .iter()
            .filter_map(|b| file_fact(&ws, &b.path))
            .collect(),
        identity: identity_fact,
        git,
        history,
        literals: git::scan_literals(&ws, &knowledge),
        rotation: &rotation,
        drill: drill(&ws, &backups, identity.as_ref()),
        builds: build_contexts(&ws),
        as_of,
        since: args.since,
    });
    let out = match args.format {
        AuditFormat::Text => crate::report::audit::text(&report, super::check::use_color(global)),
        AuditFormat::Json => crate::report::audit::json(&report),
        AuditFormat::Markdown => crate::report::audit::markdown(&report),
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if report.failed() {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_or_times() {
        let since = parse_since("2025-01-31").unwrap();
        assert_eq!(since.to_string(), "2025-01-31T00:00:00Z");
        let as_of = parse_as_of("2025-01-31").unwrap();
        assert_eq!(as_of.to_string(), "2025-01-31T23:59:59Z");
        assert!(parse_since("2025-02-03T04:05:06Z").is_ok());
        assert!(parse_since("last tuesday").is_err());
    }

    #[test]
    fn sensitive_names_without_an_analysis_entry_fall_back_to_name_rules() {
        let k = Knowledge::builtin().unwrap();
        let inv = crate::analysis::Inventory {
            env_file: PathBuf::from(".env"),
            example_file: PathBuf::from(".env.example"),
            example_exists: false,
            env_exists: false,
            compose_files: Vec::new(),
            policy: crate::analysis::Policy::default(),
            variables: Vec::new(),
            findings: Vec::new(),
            relations: crate::analysis::Relations::default(),
            ignored: Vec::new(),
        };
        assert!(is_sensitive(&inv, &k, "OLD_DB_PASSWORD"));
        assert!(!is_sensitive(&inv, &k, "LOG_LEVEL"));
    }
}
