//! The worker thread: saves (with their encrypted backups) and reloads run here, one at a
//! time, and report back as [`Msg`]s over a channel, so the UI keeps drawing meanwhile.
//!
//! This is the only TUI file that touches the filesystem.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use super::msg::{AnalyzeJob, Analyzed, Msg, ReloadJob, Reloaded, SaveDone, SaveFailure, SaveJob};
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
    Analyze(Box<AnalyzeJob>),
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
    }
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
