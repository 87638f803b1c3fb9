//! The worker thread: saves (with their encrypted backups) and reloads run here, one at a
//! time, and report back as [`Msg`]s over a channel, so the UI keeps drawing meanwhile.
//!
//! This is the only TUI file that touches the filesystem.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use super::msg::{
    AnalyzeJob, Analyzed, Msg, Opened, RecordJob, Recorded, ReloadJob, Reloaded, SaveDone,
    SaveFailure, SaveJob,
};
use crate::analysis::FileFacts;
use crate::cli::workspace::{self, EnvFile};
use crate::cli::{Error, save};
use crate::store::StoreError;

/// A job for the worker.
#[derive(Debug)]
pub enum Job {
    /// Save the live file.
    Save(Box<SaveJob>),
    /// Read the live file again.
    Reload(Box<ReloadJob>),
    /// Re-analyse the working copy.
    Analyze(Box<AnalyzeJob>),
    /// Write a decision to `envward.toml` or the example.
    Record(Box<RecordJob>),
    /// Load the project with another live file.
    Open(Box<crate::cli::GlobalArgs>),
    /// List the env files of a directory.
    ListFiles(std::path::PathBuf),
}

/// Starts the worker; jobs go in through the returned sender, results come out on `out`.
/// The thread ends when the sender is dropped.
pub fn spawn(out: Sender<Msg>) -> std::io::Result<(Sender<Job>, JoinHandle<()>)> {
    let (tx, rx): (Sender<Job>, Receiver<Job>) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("envward-worker".into())
        .spawn(move || {
            for job in rx {
                let msg = perform(job);
                if out.send(msg).is_err() {
                    break;
                }
            }
        })?;
    Ok((tx, handle))
}

/// Runs one job to its message.
pub fn perform(job: Job) -> Msg {
    match job {
        Job::Save(job) => Msg::Saved(save_job(&job).map(Box::new)),
        Job::Reload(job) => Msg::Reloaded(reload(&job).map(Box::new)),
        Job::Analyze(job) => Msg::Analyzed(Box::new(Analyzed {
            revision: job.revision,
            inv: job
                .ws
                .analyze_with(&job.knowledge, job.policy, job.facts, job.now),
        })),
        Job::Record(job) => Msg::Recorded(record(*job).map(Box::new)),
        Job::Open(global) => Msg::Opened(open(&global).map(Box::new)),
        Job::ListFiles(dir) => Msg::EnvFiles(env_files(&dir)),
    }
}

/// Writes a small, non-secret file (the example, `envward.toml`) whole: a temporary file
/// beside it with the old file's mode (0644 when new), renamed over it. Refused when the
/// file changed since it was read.
fn record(job: RecordJob) -> Result<Recorded, String> {
    use std::io::Write as _;
    use std::os::unix::fs::PermissionsExt;
    let shown = job.path.display().to_string();
    let now = match std::fs::read_to_string(&job.path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    if now != job.expected {
        return Err(format!(
            "{shown} changed on disk since envward read it; nothing was written"
        ));
    }
    let mode = std::fs::metadata(&job.path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
    let dir = job.path.parent().unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".envward-")
        .suffix(".tmp")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(|e| format!("{shown}: {e}"))?;
    tmp.write_all(job.text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("{shown}: {e}"))?;
    tmp.persist(&job.path)
        .map_err(|e| format!("{shown}: {}", e.error))?;
    Ok(Recorded { job })
}

fn open(global: &crate::cli::GlobalArgs) -> Result<Opened, String> {
    let ws = workspace::load_editing(global).map_err(|e| e.to_string())?;
    let facts = if ws.live.is_some() {
        workspace::file_facts(&ws.project.env_file)
    } else {
        FileFacts::default()
    };
    let policy = ws.policy(global.policy);
    Ok(Opened { ws, facts, policy })
}

/// The env files of a project directory: `.env` and `.env.*`, without examples, backups
/// and envward's temporary files.
pub fn env_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name == ".env" || name.starts_with(".env."))
                && !workspace::EXAMPLE_NAMES.contains(&name.as_str())
                && !p.extension().is_some_and(|e| {
                    ["age", "envward-tmp", "tmp"]
                        .iter()
                        .any(|x| e.eq_ignore_ascii_case(x))
                })
        })
        .collect();
    out.sort();
    out
}

fn facts_of(path: &std::path::Path) -> FileFacts {
    if path.exists() {
        workspace::file_facts(path)
    } else {
        FileFacts::default()
    }
}

fn read_back(cwd: &std::path::Path, path: &std::path::Path) -> Result<EnvFile, Error> {
    workspace::read_env_file(cwd, path, true)
}

/// What `envward fill` prints line by line about the files beside the live one, counted.
fn housekeeping(report: &crate::store::SaveReport) -> Vec<String> {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut out = Vec::new();
    if !report.pruned.is_empty() {
        out.push(format!(
            "pruned {}",
            plural(report.pruned.len(), "old backup", "old backups")
        ));
    }
    if !report.swept.is_empty() {
        out.push(format!(
            "removed {} an interrupted save left",
            plural(report.swept.len(), "temporary file", "temporary files")
        ));
    }
    if !report.future_dated.is_empty() {
        out.push(format!(
            "{} dated in the future (wrong clock?)",
            plural(report.future_dated.len(), "backup is", "backups are")
        ));
    }
    if report.prune_error.is_some() {
        out.push("pruning old backups failed (the save stands)".to_string());
    }
    out
}

fn save_job(job: &SaveJob) -> Result<SaveDone, SaveFailure> {
    let saved = save::save(&job.ws, &job.text, &job.options).map_err(|e| match e {
        Error::Store(StoreError::ChangedOnDisk { .. }) => SaveFailure::ChangedOnDisk(format!(
            "Not saved: {} changed on disk since it was read. r reloads it (dropping your changes), Esc keeps them",
            job.ws.display(&job.ws.project.env_file).display()
        )),
        other => SaveFailure::Other(other.to_string()),
    })?;
    let path = &job.ws.project.env_file;
    let disk = read_back(&job.ws.cwd, path)
        .map_err(|e| SaveFailure::Other(format!("saved, but reading it back failed: {e}")))?;
    Ok(SaveDone {
        live: job.ws.display(&saved.report.live),
        backups: saved
            .report
            .backups
            .iter()
            .map(|b| {
                // Backups sit next to the live file: name them as the user sees that file.
                let shown = job.ws.display(b);
                if shown.is_absolute() {
                    b.file_name()
                        .map_or_else(|| shown.clone(), std::path::PathBuf::from)
                } else {
                    shown
                }
            })
            .collect(),
        notice: saved.notice.map(|n| n.to_string()),
        housekeeping: housekeeping(&saved.report),
        disk,
        facts: facts_of(path),
        revision: job.revision,
    })
}

fn reload(job: &ReloadJob) -> Result<Reloaded, String> {
    let disk = if job.path.exists() {
        Some(read_back(&job.cwd, &job.path).map_err(|e| e.to_string())?)
    } else {
        None
    };
    Ok(Reloaded {
        disk,
        facts: facts_of(&job.path),
    })
}
