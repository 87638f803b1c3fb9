//! Reading project files from disk for the pure loaders.
//!
//! Files are refused before they are read when they are too large, so a 50 MB `.env` or a
//! multi-gigabyte mistake costs nothing; text must be UTF-8, and the first bad byte is named
//! by line and column.

use std::io::Read;
use std::path::Path;

use crate::compose::{ReadError, Source};
use crate::position::LineIndex;

/// Largest file envward reads: far beyond any real `.env` or compose file.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The real filesystem.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsSource;

/// Reads a text file with the size limit and UTF-8 check.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| map_io(&e))?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| map_io(&e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Read one byte past the limit so a file that grew after the metadata check is refused too.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| map_io(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // The prefix up to the bad byte is valid UTF-8 by definition.
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let position = LineIndex::new(&prefix).position(&prefix, prefix.len());
        ReadError::InvalidUtf8 { position }
    })
}

fn map_io(e: &std::io::Error) -> ReadError {
    match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        std::io::ErrorKind::IsADirectory => ReadError::IsDirectory,
        _ => ReadError::Io(e.to_string()),
    }
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
