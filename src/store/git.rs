//! Git facts about a file, read without running git.
//!
//! Whether a file is ignored and whether it is tracked are answered by reading the
//! repository's files with `gix`: the index for "tracked"; `.gitignore` files from the
//! work tree's root down to the file's directory, `.git/info/exclude` and `core.excludesFile`
//! for "ignored". No program is started, so nothing a repository's configuration names
//! (`core.fsmonitor`, hooks, filters, pagers) can run because envward looked at a clone.
//!
//! [`WorkTree`] opens a repository once and answers for any number of paths; `audit` can
//! reach the repository through [`WorkTree::repository`] to read history the same way.
//! The facts themselves are the core's [`GitFacts`], so the analysis stays pure.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;

use crate::analysis::GitFacts;

/// A git work tree, opened for reading.
pub struct WorkTree {
    repo: gix::Repository,
    root: PathBuf,
}

impl std::fmt::Debug for WorkTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkTree")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl WorkTree {
    /// The work tree containing `dir`, or `None` outside one (or when its repository cannot
    /// be read). Without a `.git` in `dir` or above, nothing is opened at all.
    pub fn discover(dir: &Path) -> Option<WorkTree> {
        let dir = std::fs::canonicalize(dir).ok()?;
        if !dir.ancestors().any(|d| d.join(".git").exists()) {
            return None;
        }
        let repo = gix::discover(&dir).ok()?;
        let root = std::fs::canonicalize(repo.workdir()?).ok()?;
        Some(WorkTree { repo, root })
    }

    /// The work tree's top directory (absolute, symbolic links resolved).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The repository, for readers that need more than [`WorkTree::standing`] (history).
    pub fn repository(&self) -> &gix::Repository {
        &self.repo
    }

    /// Whether `path` (a file inside the work tree) is ignored and whether it is tracked;
    /// `None` when it is outside the work tree or the repository's files cannot be read.
    pub fn standing(&self, path: &Path) -> Option<GitFacts> {
        let rel = self.relative(path)?;
        let rel_bytes = rel.as_os_str().as_bytes().as_bstr();
        let index = self.repo.index_or_empty().ok()?;
        let tracked = index.entry_by_path(rel_bytes).is_some();
        let mut excludes = self
            .repo
            .excludes(
                &index,
                None,
                gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
            )
            .ok()?;
        let ignored = excludes
            .at_path(&rel, Some(gix::index::entry::Mode::FILE))
            .ok()?
            .is_excluded();
        Some(GitFacts { ignored, tracked })
    }

    /// `path` relative to the work tree's root, its directory's symbolic links resolved
    /// (the file itself may be a link, and is named as such).
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let dir =
            std::fs::canonicalize(path.parent().filter(|p| !p.as_os_str().is_empty())?).ok()?;
        let rel_dir = dir.strip_prefix(&self.root).ok()?;
        Some(rel_dir.join(path.file_name()?))
    }
}

/// The git standing of the file at `path`, or `None` outside a work tree.
pub fn standing(path: &Path) -> Option<GitFacts> {
    let absolute = std::path::absolute(path).ok()?;
    WorkTree::discover(absolute.parent()?)?.standing(&absolute)
}
