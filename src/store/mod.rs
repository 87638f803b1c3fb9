//! The filesystem edge: the only part of envward that reads or writes files.
//!
//! Everything here serves one promise from the design, "nothing lost, nothing exposed":
//!
//! - [`read`] loads a text file with a size limit and takes a [`read::Snapshot`] so a later
//!   save can tell whether someone else changed the file in the meantime.
//! - [`atomic`] replaces a file whole: a private temporary file in the same directory,
//!   written, synced and renamed over the target. A crash leaves the old or the new file.
//! - [`identity`], [`recipients`] and [`crypto`] wrap the `age` crate: who can decrypt,
//!   whom we encrypt to, and in-memory encryption (plaintext never touches the disk).
//! - [`backup`] keeps encrypted, verified backups next to the live file, and [`save`]
//!   combines the writer and the backups into one safe save, under the save [`lock`].
//! - [`leftover`] names temporary files and sweeps those a crash left behind; [`git`] reads
//!   a file's git standing without running git; [`state`] keeps the rotation state file.
//!
//! This module must not print, prompt or decide policy; it returns typed errors
//! ([`StoreError`], [`CryptoError`]) that always name the file and never contain a secret
//! value, and the command line or the TUI renders them.

pub mod atomic;
pub mod backup;
pub mod crypto;
mod error;
pub mod failpoint;
pub mod git;
pub mod identity;
pub mod leftover;
pub mod lock;
pub mod read;
pub mod recipients;
pub mod save;
pub mod state;

pub use atomic::{WriteOptions, WriteReport, set_private_umask, write_atomic};
pub use backup::{BackupInfo, DEFAULT_KEEP};
pub use crypto::CryptoError;
pub use error::StoreError;
pub use identity::{CreatedNotice, Identity, IdentityOrigin, IdentityPath};
pub use read::{Loaded, MAX_FILE_SIZE, Snapshot, read_optional, read_text};
pub use recipients::Recipient;
pub use save::{
    BackupReport, SaveContext, SaveReport, Staged, backup_current, save_with_backup, stage,
};
