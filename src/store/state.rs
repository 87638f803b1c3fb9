//! The rotation state file beside the live file: where it is, reading it, and replacing it
//! whole under the save lock.
//!
//! It is `.env.envward-state.env` beside a live file named `.env`, and
//! `.env.envward-state.<name>.env` beside any other live file `<name>`: like the lock and the
//! temporary files, its name starts with `.env` and ends with `.env`, so the ignore rules
//! people write for env files cover it. It holds names and dates only (its format is
//! [`crate::rotate::state`]), is written atomically with mode 0600, and only under the save
//! lock, so two envward processes never lose each other's records.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::atomic::{WriteOptions, parent_dir, write_atomic};
use super::read::read_optional;
use super::{StoreError, lock};

/// The state file's name for a live file called `live_name`.
pub fn state_name(live_name: &OsStr) -> OsString {
    lock::beside_name(live_name, "state")
}

/// The state file beside `live_path`.
pub fn state_path(live_path: &Path) -> PathBuf {
    let name = live_path.file_name().unwrap_or(live_path.as_os_str());
    parent_dir(live_path).join(state_name(name))
}

/// The state file's text, or `None` when there is none.
pub fn read(live_path: &Path) -> Result<Option<String>, StoreError> {
    Ok(read_optional(&state_path(live_path))?.map(|l| l.text))
}

/// Replaces the state file with what `change` makes of its current text (`None`: no file),
/// under the save lock. `change` returning `Ok(None)` leaves the file as it is.
pub fn update<E: From<StoreError>>(
    live_path: &Path,
    wait: Duration,
    change: impl FnOnce(Option<&str>) -> Result<Option<String>, E>,
) -> Result<(), E> {
    let _lock = lock::acquire(live_path, wait)?;
    let current = read(live_path)?;
    if let Some(text) = change(current.as_deref())? {
        write_atomic(
            &state_path(live_path),
            text.as_bytes(),
            &WriteOptions::default(),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_env_file_pattern() {
        assert_eq!(state_name(OsStr::new(".env")), ".env.envward-state.env");
        assert_eq!(
            state_name(OsStr::new("prod.env")),
            ".env.envward-state.prod.env.env"
        );
    }

    #[test]
    fn updates_are_private_and_whole() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        update::<StoreError>(&live, lock::WAIT, |old| {
            assert!(old.is_none());
            Ok(Some("version = 1\n".to_string()))
        })
        .unwrap();
        let path = state_path(&live);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "version = 1\n");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        update::<StoreError>(&live, lock::WAIT, |old| {
            assert_eq!(old, Some("version = 1\n"));
            Ok(None)
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "version = 1\n");
    }
}
