//! Saving the live file: the one path every command and the TUI use to write it.
//!
//! The user's age identity is loaded (or created on first use, with a one-time notice), the
//! project's recipients are read from `envward.toml`, and the store writes the file
//! atomically with mode 0600 after encrypted backups of the old and new content.

use std::path::{Path, PathBuf};

use super::Error;
use super::workspace::{CONFIG_NAME, Workspace};
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
}

/// The user's identity, created on first use.
pub fn identity(arg: Option<&Path>) -> Result<(Identity, Option<CreatedNotice>), Error> {
    let path = store::identity::resolve_identity_path(arg)?;
    Ok(store::identity::load_or_create(
        &path,
        jiff::Timestamp::now(),
    )?)
}

/// The recipients of backups: the user's own key plus `envward.toml`'s.
pub fn recipients(ws: &Workspace, identity: &Identity) -> Result<Vec<Recipient>, Error> {
    let mut out = identity.recipients();
    let backup = &ws.config.backup;
    if !backup.recipients.is_empty() {
        let config_path = ws.project.working_dir.join(CONFIG_NAME);
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
            &ws.display(&config_path),
            entries,
        )?);
    }
    if let Some(file) = &backup.recipients_file {
        let path = ws.project.working_dir.join(file);
        out.extend(store::recipients::read_recipients_file(&path)?);
    }
    Ok(out)
}

/// Writes `text` as the live file with backups. Refuses when the file changed on disk since
/// the workspace read it.
pub fn save(ws: &Workspace, text: &str, options: &SaveOptions) -> Result<Saved, Error> {
    let (identity, notice) = identity(options.identity.as_deref())?;
    let recipients = recipients(ws, &identity)?;
    let mut ctx = SaveContext::new(&recipients, &identity, jiff::Timestamp::now());
    ctx.keep = ws.config.backup.keep.unwrap_or(store::DEFAULT_KEEP);
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
    Ok(Saved { report, notice })
}
