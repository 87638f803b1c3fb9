//! Output formats: turning loaded projects and analyses into text for people and programs.
//!
//! Renderers are pure functions from data to `String`; the commands decide where it goes.

pub mod audit;
pub mod check;
pub mod check_json;
pub mod check_many;
pub mod check_text;
pub mod refs;
