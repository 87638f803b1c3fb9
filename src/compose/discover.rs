//! Which compose files a project has: the `-f` list, else `COMPOSE_FILE`, else discovery of
//! `compose.yaml` … in the working directory or its parents plus the override file
//! (COMPOSE-SEMANTICS.md §8, §9); and the lexical path helpers the loader resolves them with.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::load::Source;
use super::yaml;

/// Joins `path` onto `base` and removes `.` and `..` lexically (no filesystem access).
pub fn resolve_path(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base` when it is inside it (`.` for `base` itself), for display.
pub fn display_path(base: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

const MAIN_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];
const OVERRIDE_FILES: [&str; 4] = [
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// The compose files to load, in order: `-f` files, else `COMPOSE_FILE` from the project
/// environment (split on `COMPOSE_PATH_SEPARATOR`, default `:`), else discovery from
/// `working_dir`. `None` when discovery finds nothing.
pub(super) fn compose_files(
    files: &[PathBuf],
    cwd: &Path,
    working_dir: &Path,
    environment: &HashMap<String, String>,
    source: &dyn Source,
) -> Option<Vec<PathBuf>> {
    if !files.is_empty() {
        return Some(files.iter().map(|f| resolve_path(cwd, f)).collect());
    }
    if let Some(list) = environment.get("COMPOSE_FILE").filter(|s| !s.is_empty()) {
        let sep = environment
            .get("COMPOSE_PATH_SEPARATOR")
            .filter(|s| !s.is_empty())
            .map_or(":", String::as_str);
        return Some(
            list.split(sep)
                .filter(|s| !s.is_empty())
                .map(|f| resolve_path(cwd, Path::new(f)))
                .collect(),
        );
    }
    discover(working_dir, source)
}

/// Default discovery: the first main file in the working directory or its nearest parent that
/// has one, plus the first override file beside it. A name counts when anything exists there,
/// as in Compose, so a directory in its place is reported rather than silently skipped.
fn discover(dir: &Path, source: &dyn Source) -> Option<Vec<PathBuf>> {
    let mut current = Some(dir);
    while let Some(d) = current {
        if let Some(main) = MAIN_FILES
            .iter()
            .map(|n| d.join(n))
            .find(|p| source.exists(p))
        {
            let mut files = vec![main];
            if let Some(o) = OVERRIDE_FILES
                .iter()
                .map(|n| d.join(n))
                .find(|p| source.exists(p))
            {
                files.push(o);
            }
            return Some(files);
        }
        current = d.parent();
    }
    None
}

/// The items of an `include:` block: each one's path nodes (a string, or `path:` as a string
/// or a list) and its `project_directory:` node.
pub(super) fn include_paths(include: &yaml::Node) -> Vec<(Vec<&yaml::Node>, Option<&yaml::Node>)> {
    let items: Vec<&yaml::Node> = match &include.kind {
        yaml::Kind::Seq(items) => items.iter().collect(),
        _ => vec![include],
    };
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            yaml::Kind::Map(_) => {
                let paths = match item.get("path") {
                    Some(yaml::Node {
                        kind: yaml::Kind::Seq(paths),
                        ..
                    }) => paths.iter().collect(),
                    Some(p) => vec![p],
                    None => continue,
                };
                out.push((paths, item.get("project_directory")));
            }
            yaml::Kind::Str(_) => out.push((vec![item], None)),
            _ => {}
        }
    }
    out
}
