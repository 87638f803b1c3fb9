//! Reading project files from disk for the pure loaders, through the store's reader (size
//! limit before reading, UTF-8 check with the position of the first bad byte).

use std::path::Path;

use crate::compose::{ReadError, Source};
use crate::position::Position;
use crate::store::{self, StoreError};

/// The real filesystem.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsSource;

/// Reads a text file with the size limit and UTF-8 check, keeping the snapshot that later
/// lets a save notice the file changed on disk.
pub fn read_loaded(path: &Path) -> Result<store::read::Loaded, ReadError> {
    let loaded = store::read::read_text(path).map_err(|e| read_error(path, e))?;
    super::heap::input_read(loaded.text.len());
    Ok(loaded)
}

/// The loader's [`ReadError`] for a store error reading `path`.
fn read_error(path: &Path, e: StoreError) -> ReadError {
    match e {
        StoreError::NotFound { .. } => ReadError::NotFound,
        StoreError::IsDirectory { .. } => ReadError::IsDirectory,
        StoreError::TooLarge { size, limit, .. } => ReadError::TooLarge { size, limit },
        StoreError::InvalidUtf8 { line, column, .. } => ReadError::InvalidUtf8 {
            position: Position { line, column },
        },
        other => {
            // The store names the path itself; the caller adds it again, so drop it here.
            let message = other.to_string();
            let prefix = format!("{}: ", path.display());
            ReadError::Io(
                message
                    .strip_prefix(&prefix)
                    .unwrap_or(&message)
                    .to_string(),
            )
        }
    }
}

/// Reads a text file's content (no snapshot: for files envward does not write).
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let text = store::read::read_text_only(path).map_err(|e| read_error(path, e))?;
    super::heap::input_read(text.len());
    Ok(text)
}

impl Source for FsSource {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        read_text(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
}

/// The real filesystem, except that one env file which does not exist yet reads as empty
/// (and is not a file): `--env-file NEW` in the TUI and `fill`, created on save like `.env`.
#[derive(Debug, Clone)]
pub struct NewEnvFile {
    /// The live file to be created.
    pub path: std::path::PathBuf,
}

impl Source for NewEnvFile {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        if path == self.path {
            Ok(String::new())
        } else {
            read_text(path)
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        path != self.path && path.is_file()
    }

    fn exists(&self, path: &Path) -> bool {
        path != self.path && path.exists()
    }
}

/// A source where one file has already been read (the live env file, read with its snapshot
/// before the loader needs it): that path reads as the text given, without a second read.
pub struct Preread<'a> {
    /// The file already read.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Every other file.
    pub rest: &'a dyn Source,
}

impl Source for Preread<'_> {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        if path == self.path {
            Ok(self.text.to_string())
        } else {
            self.rest.read(path)
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        path == self.path || self.rest.is_file(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path == self.path || self.rest.exists(path)
    }
}
