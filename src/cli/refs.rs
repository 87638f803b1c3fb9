//! `envward refs [VAR…]`: where each variable is used in the compose files.

use std::io::Write;

use super::{Error, ExitCode, GlobalArgs, RefsFormat, workspace};
use crate::analysis::{Knowledge, knowledge};
use crate::report;

/// Prints the references of `vars` (all when empty).
pub fn run(global: &GlobalArgs, vars: &[String], format: RefsFormat) -> Result<ExitCode, Error> {
    let ws = workspace::load(global)?;
    let knowledge = Knowledge::builtin()?;
    let refs = report::refs::select(&ws.project.references, vars);
    let out = match format {
        RefsFormat::Text => {
            // The ties between variables, without judging a single value.
            let relations = ws.relations(&knowledge, ws.policy(global.policy));
            let text = report::refs::text(&refs, &relations);
            super::release_at_exit(relations);
            text
        }
        RefsFormat::Json => {
            report::refs::json(&refs, &knowledge::sensitivity_in(&knowledge, &ws.project))
        }
    };
    std::io::stdout().lock().write_all(out.as_bytes())?;
    super::release_at_exit(refs);
    super::release_at_exit((knowledge, ws));
    Ok(ExitCode::Clean)
}
