//! A project before its first `cp .env.example .env`, or one whose compose file sits in a
//! folder of its own: which file is the live one, and what it will hold once created.

use std::path::PathBuf;

use super::{EXAMPLE_NAMES, EnvFile, Workspace, regular_file_exists};
use crate::cli::{GlobalArgs, source};
use crate::compose;
use crate::store::read::Snapshot;

/// The workspace as it will be once the live file is created from the example (`cp
/// .env.example .env`): what `fill` judges and plans on a fresh checkout, so one run also
/// replaces the stand-ins the example carries rather than copying them in. The live file's
/// snapshot stays "absent", so a save still refuses if the file appears meanwhile.
/// `None` when the live file exists or there is no example to copy.
pub fn as_created_from_example(global: &GlobalArgs, ws: &Workspace) -> Option<Workspace> {
    let (None, Some(example)) = (&ws.live, &ws.example) else {
        return None;
    };
    let live = ws.project.env_file.clone();
    let options = compose::Options {
        cwd: ws.cwd.clone(),
        files: global.files.clone(),
        env_file: Some(live.clone()),
        os_env: ws.os_env.clone(),
        tolerate_env_errors: true,
    };
    // Loading can only fail here where the example's values make the compose files
    // unreadable; then fill plans on the project as it is, as before.
    let Ok(mut project) = compose::load(
        &options,
        &source::Preread {
            path: &live,
            text: &example.text,
            rest: &source::FsSource,
        },
    ) else {
        return None;
    };
    let (document, errors) = project
        .env_parsed
        .take()
        .unwrap_or_else(|| (example.document.clone(), example.errors.clone()));
    Some(Workspace {
        project,
        live: Some(EnvFile {
            display: ws.display(&live),
            path: live,
            text: example.text.clone(),
            document,
            errors,
            snapshot: Snapshot::absent(),
        }),
        ..ws.clone()
    })
}

/// The env file to take as the live file when the user named none and the project
/// directory has neither `.env` nor an example: the one file every service that loads an
/// env file loads (`env_file: ../.env` beside a compose file kept in `docker/`, say),
/// when it exists or an example sits beside it. With it comes that example. Without this
/// the run would judge an empty `docker/.env` and call the project clean while the
/// secrets the containers get sit unread one directory up.
pub(super) fn env_file_in_use(
    global: &GlobalArgs,
    ws: &Workspace,
) -> Option<(PathBuf, Option<PathBuf>)> {
    if global.env_file.is_some()
        || ws.project.env_file_exists
        || (ws.example.is_some() && global.example.is_none())
    {
        return None;
    }
    let loaded: Vec<&std::path::Path> = ws
        .project
        .services
        .iter()
        .flat_map(|s| s.env_files.iter())
        .filter(|f| !f.raw)
        .map(|f| f.path.as_path())
        .collect();
    // A service that loads the default `.env` itself makes it the live file, present or not.
    if loaded.contains(&ws.project.env_file.as_path()) {
        return None;
    }
    let mut loaded = loaded.into_iter();
    let first = loaded.next()?;
    if loaded.any(|p| p != first) {
        return None;
    }
    let dir = first.parent()?;
    let example = EXAMPLE_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| regular_file_exists(&ws.cwd, p).unwrap_or(false));
    let exists = regular_file_exists(&ws.cwd, first).unwrap_or(false);
    (exists || example.is_some()).then(|| (first.to_path_buf(), example))
}
