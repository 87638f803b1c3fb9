//! `envward refs [VAR…]`: where each variable is used in the compose files.

use std::io::Write;

use super::{Error, ExitCode, GlobalArgs, RefsFormat, workspace};
use crate::report;

/// Prints the references of `vars` (all when empty).
pub fn run(global: &GlobalArgs, vars: &[String], format: RefsFormat) -> Result<ExitCode, Error> {
    let ws = workspace::load(global)?;
    let refs = report::refs::select(&ws.project.references, vars);
    let out = match format {
        RefsFormat::Text => report::refs::text(&refs),
        RefsFormat::Json => report::refs::json(&refs),
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::Clean)
}
