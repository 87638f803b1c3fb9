//! envward: keeps a Docker Compose project's `.env` complete, strong and safe.
//!
//! The crate is a pure core (reading `.env` and compose files, analysing, planning changes)
//! with thin edges (the command line, the terminal UI, the filesystem).
//!
//! Core (no filesystem, terminal or processes): [`dotenv`], [`interpolate`], [`compose`],
//! [`analysis`], [`automata`], [`generate`], [`plan`], [`config`], [`position`], [`audit`],
//! [`export`], [`rotate`].
//! Edges: [`cli`], [`report`], [`store`], [`tui`].

pub mod analysis;
pub mod audit;
pub mod automata;
pub mod compose;
pub mod config;
pub mod dotenv;
pub mod export;
pub mod generate;
pub mod interpolate;
pub mod plan;
pub mod position;
pub mod rotate;

pub mod cli;
pub mod report;
pub mod store;
pub mod tui;
