//! Rotation, as pure functions: the schedule, the state file's format, the per-image recipes
//! that change a running server's password, and the plan `envward rotate` carries out.
//!
//! - [`schedule`]: how often each secret is rotated (the secrets strategy's table, then
//!   `envward.toml`), and when it is next due.
//! - [`state`]: when each value last changed, overlaps waiting to be promoted and an
//!   unfinished rotation — names and dates only.
//! - [`recipe`]: how a database image is told the new password, with the value on standard
//!   input only.
//! - [`plan`]: what a rotation changes (through [`crate::plan::propagate`]: the group, the
//!   URLs and the signed tokens follow), which servers change first, which services are
//!   recreated and what to verify.
//!
//! Nothing here reads a file, a clock or a process: the edge (`src/cli/rotate.rs`) does.

pub mod plan;
pub mod recipe;
pub mod schedule;
pub mod state;

pub use plan::{RotateError, RotateInput, RotationPlan, ServerStep};
pub use recipe::Recipe;
pub use schedule::{Interval, RotationFacts};
pub use state::{Changed, Overlap, Pending, State};
