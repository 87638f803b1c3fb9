//! envward: keeps a Docker Compose project's `.env` complete, strong and safe.
//!
//! The crate is a pure core (reading `.env` and compose files, analysing, planning changes)
//! with thin edges (the command line, the terminal UI, the filesystem).

pub mod store;
