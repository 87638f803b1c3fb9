//! `audit`'s planner: facts gathered at the edge (modes, git, backups, build contexts) turned
//! into the secrets strategy's monthly checklist, one pass / fail / unknown item each, with
//! evidence that names files, commits and variables and never a value.
//!
//! Pure: no file, process or clock. [`history`] finds values in `git log` output the edge
//! streams in.

pub mod history;
