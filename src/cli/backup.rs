//! Encrypted backups: `key`, `backup`, `backups`, `restore`; and age files for transport,
//! `encrypt` and `decrypt` ([`crypt`]).
//!
//! Plaintext never touches disk except as the live file itself or an output the user named
//! with `-o`; every file written is 0600 and atomic. Passphrases come from the terminal
//! without echo, or from `ENVWARD_PASSPHRASE`; never from the command line.

mod crypt;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::save::{self, SaveOptions};
use super::{Error, ExitCode, GlobalArgs, workspace};
use crate::dotenv;
use crate::store::{self, Identity};

pub use crypt::{EncryptOptions, decrypt, encrypt};

/// `envward key`: the public key to give to others (creating the identity on first use).
pub fn key(global: &GlobalArgs) -> Result<ExitCode, Error> {
    let (identity, notice) = save::identity(global.identity.as_deref())?;
    if let Some(n) = notice {
        writeln!(std::io::stderr(), "{n}")?;
    }
    warn_identity(&identity)?;
    writeln!(std::io::stdout(), "{}", identity.public_key())?;
    Ok(ExitCode::Clean)
}

/// `envward backup`: encrypt the live file now. The project is only located, not loaded: a
/// backup encrypts the file's bytes (streamed, then verified) and reads nothing else of it.
pub fn backup(global: &GlobalArgs, armor: bool) -> Result<ExitCode, Error> {
    let place = workspace::locate(global)?;
    if !workspace::regular_file_exists(&place.cwd, &place.env_file)? {
        return Err(Error::Usage(format!(
            "{}: no such file; nothing to back up",
            place.display(&place.env_file).display()
        )));
    }
    let (identity, notice) = save::identity(global.identity.as_deref())?;
    if let Some(n) = notice {
        writeln!(std::io::stderr(), "{n}")?;
    }
    warn_identity(&identity)?;
    let recipients = save::recipients_at(&place, &identity)?;
    let mut context = store::SaveContext::new(&recipients, &identity, jiff::Timestamp::now());
    context.armor = armor;
    context.keep = place.config.backup.keep.unwrap_or(store::DEFAULT_KEEP);
    let done = store::backup_current(&place.env_file, &context)?;
    writeln!(
        std::io::stdout(),
        "backup {} ({} recipient{})",
        place.display(&done.backup).display(),
        recipients.len(),
        if recipients.len() == 1 { "" } else { "s" }
    )?;
    save::report_housekeeping(
        &place.cwd,
        save::Housekeeping {
            pruned: &done.pruned,
            swept: &done.swept,
            future_dated: &done.future_dated,
        },
    )?;
    Ok(ExitCode::Clean)
}

/// `envward backups`: list backups with time, size and which equals the live file.
pub fn backups(global: &GlobalArgs) -> Result<ExitCode, Error> {
    let ws = workspace::load(global)?;
    let list = store::backup::list(&ws.project.env_file)?;
    let mut out = std::io::stdout().lock();
    if list.is_empty() {
        writeln!(
            out,
            "no backups of {}",
            ws.display(&ws.project.env_file).display()
        )?;
        return Ok(ExitCode::Clean);
    }
    // Which one equals the live file needs the identity; without it, say so and go on.
    let equal = match (&ws.live, load_identity(global.identity.as_deref()).ok()) {
        (Some(live), Some(identity)) => {
            store::backup::find_equal(&live.path, live.text.as_bytes(), &identity)?.map(|b| b.path)
        }
        _ => None,
    };
    let future = store::backup::future_dated(&list, jiff::Timestamp::now());
    for b in &list {
        let mut mark = String::new();
        if equal.as_ref() == Some(&b.path) {
            mark.push_str("  = live file");
        }
        if future.contains(&b.path) {
            mark.push_str("  (dated in the future)");
        }
        writeln!(
            out,
            "{}  {}  {:>7} bytes{mark}",
            b.time().strftime("%Y-%m-%d %H:%M:%S UTC"),
            ws.display(&b.path).display(),
            b.size
        )?;
    }
    Ok(ExitCode::Clean)
}

/// The names whose values differ between two env texts (never the values).
fn differing(old: &str, new: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let map = |t: &str| -> BTreeMap<String, String> {
        dotenv::parse_recovering(t)
            .0
            .resolve_lenient(&|_: &str| None)
            .into_iter()
            .map(|b| (b.key, b.value))
            .collect()
    };
    let (a, b) = (map(old), map(new));
    let changed = a
        .iter()
        .filter(|(k, v)| b.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k.clone())
        .collect();
    let removed = a.keys().filter(|k| !b.contains_key(*k)).cloned().collect();
    let added = b.keys().filter(|k| !a.contains_key(*k)).cloned().collect();
    (changed, removed, added)
}

/// `envward restore [FILE]`: bring back a backup (the newest by default).
pub fn restore(global: &GlobalArgs, file: Option<&Path>, dry_run: bool) -> Result<ExitCode, Error> {
    let ws = workspace::load_with(global, true)?;
    let backup = match file {
        Some(f) => workspace::cwd(global).map(|cwd| crate::compose::resolve_path(&cwd, f))?,
        None => {
            // The newest by creation order (the number in the name), never by the date.
            let all = store::backup::list(&ws.project.env_file)?;
            let newest = all.first().map(|b| b.path.clone()).ok_or_else(|| {
                Error::Usage(format!(
                    "no backups of {} to restore",
                    ws.display(&ws.project.env_file).display()
                ))
            })?;
            let future = store::backup::future_dated(&all, jiff::Timestamp::now());
            save::report_housekeeping(
                &ws.cwd,
                save::Housekeeping {
                    pruned: &[],
                    swept: &[],
                    future_dated: &future,
                },
            )?;
            newest
        }
    };
    let identity = load_identity(global.identity.as_deref())?;
    let plain = store::backup::read_backup(&backup, &identity)?;
    let text = std::str::from_utf8(&plain).map_err(|_| {
        Error::Usage(format!(
            "{}: decrypts to something that is not UTF-8 text; not an env file backup",
            ws.display(&backup).display()
        ))
    })?;
    let current = ws.live.as_ref().map_or("", |l| l.text.as_str());
    let mut out = std::io::stdout().lock();
    let live = ws.display(&ws.project.env_file);
    if current == text {
        writeln!(
            out,
            "{} already equals {}",
            live.display(),
            ws.display(&backup).display()
        )?;
        return Ok(ExitCode::Clean);
    }
    let (changed, removed, added) = differing(current, text);
    writeln!(
        out,
        "restoring {} from {}",
        live.display(),
        ws.display(&backup).display()
    )?;
    for (label, names) in [
        ("changes", &changed),
        ("brings back", &added),
        ("removes", &removed),
    ] {
        if !names.is_empty() {
            writeln!(out, "  {label}: {}", names.join(", "))?;
        }
    }
    if changed.is_empty() && added.is_empty() && removed.is_empty() {
        writeln!(out, "  (same values; layout or comments differ)")?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing written")?;
        return Ok(ExitCode::Clean);
    }
    drop(out);
    let saved = save::save(
        &ws,
        text,
        &SaveOptions {
            identity: global.identity.clone(),
            follow_symlinks: global.follow_symlinks,
        },
    )?;
    save::report(&ws, &saved)?;
    Ok(ExitCode::Clean)
}

fn load_identity(arg: Option<&Path>) -> Result<Identity, Error> {
    let path = store::identity::resolve_identity_path(arg)?;
    let identity = Identity::load(&path.path)?;
    warn_identity(&identity)?;
    Ok(identity)
}

/// Says so on standard error when an identity file is readable by others.
fn warn_identity(identity: &Identity) -> Result<(), Error> {
    if let Some(w) = save::identity_warning(identity) {
        writeln!(std::io::stderr(), "{w}")?;
    }
    Ok(())
}
