//! The project's other files that may hold a value of the live file: the env files its
//! services read besides it.

use std::path::Path;

use super::regular_file_exists;
use crate::analysis::OtherEnvFile;
use crate::cli::source;
use crate::compose::{Project, display_path};
use crate::dotenv;

/// The env files the services read (`env_file:`) other than the live file and the example,
/// inside the project, decoded as Compose decodes them. Best effort: one that is missing,
/// odd or unreadable is left out (Compose reports it when it starts the service), since it
/// only ever ties a value to another.
pub(super) fn other_env_files(cwd: &Path, project: &Project, example: &Path) -> Vec<OtherEnvFile> {
    let mut paths: Vec<&Path> = project
        .services
        .iter()
        .flat_map(|s| s.env_files.iter())
        .filter(|f| !f.raw)
        .map(|f| f.path.as_path())
        .filter(|p| *p != project.env_file && *p != example)
        .filter(|p| p.starts_with(&project.working_dir))
        .collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| regular_file_exists(cwd, p).unwrap_or(false))
        .filter_map(|p| {
            let text = source::read_loaded(p).ok()?.text;
            let (document, _) = dotenv::parse_recovering(&text);
            let values = document
                .resolve_lenient(&|_: &str| None)
                .into_iter()
                .map(|b| (b.key, b.value))
                .collect();
            Some(OtherEnvFile {
                path: display_path(cwd, p),
                values,
            })
        })
        .collect()
}
