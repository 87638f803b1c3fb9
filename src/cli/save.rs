//! Saving the live file: the one path every command and the TUI use to write it.
//!
//! The user's age identity is loaded (or created on first use, with a one-time notice), the
//! project's recipients are read from `envward.toml`, and the store writes the file
//! atomically with mode 0600 after encrypted backups of the old and new content, under the
//! save lock (see [`crate::store::save`]), then dates the values the write changed in the
//! rotation state file ([`super::records`]). [`report`] prints what a save did, the same way
//! for every command.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Error;
use super::workspace::{CONFIG_NAME, Located, Workspace};
use crate::compose::display_path;
use crate::config::Config;
use crate::store::{
    self, CreatedNotice, Identity, Recipient, SaveContext, SaveReport, WriteOptions,
};

/// How to save.
#[derive(Debug, Clone, Default)]
pub struct SaveOptions {
    /// `--identity FILE`.
    pub identity: Option<PathBuf>,
    /// Write through a symlinked live file.
    pub follow_symlinks: bool,
}

/// What a save did.
#[derive(Debug)]
pub struct Saved {
    /// The store's report (files written, backups, previous wide mode).
    pub report: SaveReport,
    /// Set when the identity was created by this save.
    pub notice: Option<CreatedNotice>,
    /// Warnings to show (an identity file others can read), one sentence each.
    pub warnings: Vec<String>,
}

/// The user's identity, created on first use.
pub fn identity(arg: Option<&Path>) -> Result<(Identity, Option<CreatedNotice>), Error> {
    let path = store::identity::resolve_identity_path(arg)?;
    Ok(store::identity::load_or_create(
        &path,
        jiff::Timestamp::now(),
    )?)
}

/// A warning when the identity file lets the group or others in: anyone who can read it
/// can decrypt every backup.
pub fn identity_warning(identity: &Identity) -> Option<String> {
    let mode = identity.wide_mode()?;
    let path = identity.path()?.display();
    Some(format!(
        "warning: {path}: your age identity has mode {mode:04o}, so others on this machine can read the key that decrypts your backups; run `chmod 600 {path}`"
    ))
}

/// The recipients of backups: the user's own key plus `envward.toml`'s.
pub fn recipients(ws: &Workspace, identity: &Identity) -> Result<Vec<Recipient>, Error> {
    recipients_in(&ws.cwd, &ws.project.working_dir, &ws.config, identity)
}

/// [`recipients`] of a project only located, not loaded (`backup`, `encrypt`).
pub fn recipients_at(place: &Located, identity: &Identity) -> Result<Vec<Recipient>, Error> {
    recipients_in(&place.cwd, &place.working_dir, &place.config, identity)
}

fn recipients_in(
    cwd: &Path,
    working_dir: &Path,
    config: &Config,
    identity: &Identity,
) -> Result<Vec<Recipient>, Error> {
    let mut out = identity.recipients();
    let backup = &config.backup;
    if !backup.recipients.is_empty() {
        let config_path = working_dir.join(CONFIG_NAME);
        let text = std::fs::read_to_string(&config_path).unwrap_or_default();
        let entries: Vec<(usize, &str)> = backup
            .recipients
            .iter()
            .map(|r| {
                let line = text
                    .lines()
                    .position(|l| l.contains(r.as_str()))
                    .map_or(0, |i| i + 1);
                (line, r.as_str())
            })
            .collect();
        out.extend(store::recipients::from_config(
            &display_path(cwd, &config_path),
            entries,
        )?);
    }
    if let Some(file) = &backup.recipients_file {
        let path = working_dir.join(file);
        out.extend(store::recipients::read_recipients_file(&path)?);
    }
    Ok(out)
}

/// Writes `text` as the live file with backups. Refuses when the file changed on disk since
/// the workspace read it, or when another envward holds the save lock for too long.
pub fn save(ws: &Workspace, text: &str, options: &SaveOptions) -> Result<Saved, Error> {
    save_staged(ws, text, options, None)
}

/// [`save`] of content a rotation already put in the backup `staged` (see
/// [`crate::store::stage`]): the live file is written without backing it up again.
pub fn save_staged(
    ws: &Workspace,
    text: &str,
    options: &SaveOptions,
    staged: Option<&Path>,
) -> Result<Saved, Error> {
    let (identity, notice) = identity(options.identity.as_deref())?;
    let recipients = recipients(ws, &identity)?;
    let mut ctx = SaveContext::new(&recipients, &identity, jiff::Timestamp::now());
    ctx.keep = ws.config.backup.keep.unwrap_or(store::DEFAULT_KEEP);
    ctx.staged = staged.map(Path::to_path_buf);
    ctx.write = WriteOptions {
        expected: Some(
            ws.live
                .as_ref()
                .map_or_else(store::read::Snapshot::absent, |l| l.snapshot.clone()),
        ),
        follow_symlinks: options.follow_symlinks,
        create_new: false,
    };
    let report = store::save_with_backup(&ws.project.env_file, text.as_bytes(), &ctx)?;
    let mut warnings: Vec<String> = identity_warning(&identity).into_iter().collect();
    // Every write dates the values it changes, for the rotation schedule. The save itself
    // has happened: a state file that cannot be written is a warning, and the dates can
    // still be recovered from the backups.
    if let Err(e) = super::records::record_write(
        &ws.project.env_file,
        ws.live.as_ref().map(|l| &l.document),
        text,
        ctx.now,
    ) {
        warnings.push(format!(
            "warning: the dates of the values changed were not recorded: {e}"
        ));
    }
    Ok(Saved {
        report,
        notice,
        warnings,
    })
}

/// Puts `text` in a backup of the live file (and the current content too, unless the newest
/// backup holds it) without writing the live file: a rotation's new value is safe before
/// anything else changes. Refuses when the file changed on disk since the workspace read it.
pub fn stage(
    ws: &Workspace,
    text: &str,
    options: &SaveOptions,
) -> Result<(store::Staged, Option<CreatedNotice>), Error> {
    let (identity, notice) = identity(options.identity.as_deref())?;
    let recipients = recipients(ws, &identity)?;
    let mut ctx = SaveContext::new(&recipients, &identity, jiff::Timestamp::now());
    ctx.write = WriteOptions {
        expected: ws.live.as_ref().map(|l| l.snapshot.clone()),
        follow_symlinks: options.follow_symlinks,
        create_new: false,
    };
    Ok((
        store::stage(&ws.project.env_file, text.as_bytes(), &ctx)?,
        notice,
    ))
}

/// Housekeeping a command that wrote next to the live file reports: old backups pruned,
/// leftover temporary files swept, backups dated in the future.
#[derive(Debug, Clone, Copy)]
pub struct Housekeeping<'a> {
    /// Backups removed by retention.
    pub pruned: &'a [PathBuf],
    /// Leftover temporary files removed.
    pub swept: &'a [PathBuf],
    /// Backups dated in the future.
    pub future_dated: &'a [PathBuf],
}

/// Prints pruned and swept files (standard output) and future-dated backups (a warning
/// each on standard error). Paths are shown relative to `cwd`.
pub fn report_housekeeping(cwd: &Path, done: Housekeeping<'_>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    for p in done.pruned {
        writeln!(out, "pruned {}", display_path(cwd, p).display())?;
    }
    for p in done.swept {
        writeln!(
            out,
            "removed {}, a temporary file left by an interrupted save",
            display_path(cwd, p).display()
        )?;
    }
    drop(out);
    let mut err = std::io::stderr().lock();
    for p in done.future_dated {
        writeln!(
            err,
            "warning: {} is dated in the future (a wrong clock, or copied from another host); backups are ordered by their number, not their date",
            display_path(cwd, p).display()
        )?;
    }
    Ok(())
}

/// Prints what a save did: the live file, its mode change, the backups written and pruned,
/// swept leftovers, future-dated backups, warnings and a new identity.
pub fn report(ws: &Workspace, saved: &Saved) -> Result<(), Error> {
    if let Some(notice) = &saved.notice {
        writeln!(std::io::stderr(), "{notice}")?;
    }
    for w in &saved.warnings {
        writeln!(std::io::stderr(), "{w}")?;
    }
    let r = &saved.report;
    let mut out = std::io::stdout().lock();
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
    drop(out);
    report_housekeeping(
        &ws.cwd,
        Housekeeping {
            pruned: &r.pruned,
            swept: &r.swept,
            future_dated: &r.future_dated,
        },
    )?;
    if let Some(e) = &r.prune_error {
        writeln!(std::io::stderr(), "warning: old backups not pruned: {e}")?;
    }
    Ok(())
}
