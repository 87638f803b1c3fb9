//! The project's other files that may hold a value of the live file: the env files its
//! services read besides it, and the configuration files they mount.

use std::path::{Path, PathBuf};

use super::regular_file_exists;
use crate::analysis::OtherEnvFile;
use crate::analysis::config_pairs::config_pairs;
use crate::cli::source;
use crate::compose::{MountKind, Project, display_path, resolve_path};
use crate::dotenv;

/// The env files the services read (`env_file:`) other than the live file and the example,
/// inside the project, decoded as Compose decodes them; and the project folder's `.env`
/// when another file is the live one: a plain `docker compose up` interpolates from it, so
/// a password it shares with the live file (solidtime's `DB_PASSWORD` in `.env` for postgres
/// and in `laravel.env` for the app) must change in both. Best effort: one that is missing,
/// odd or unreadable is left out (Compose reports it when it starts the service), since it
/// only ever ties a value to another.
pub(super) fn other_env_files(cwd: &Path, project: &Project, example: &Path) -> Vec<OtherEnvFile> {
    let default_env = project.working_dir.join(".env");
    let mut paths: Vec<&Path> = project
        .other_env_files()
        .into_iter()
        .filter(|f| !f.raw)
        .map(|f| f.path.as_path())
        .chain(std::iter::once(default_env.as_path()))
        .filter(|p| *p != project.env_file && *p != example)
        // A link to the live file (huly's committed `.env -> huly_v7.conf`) is the live file.
        .filter(|p| !same_file(p, &project.env_file))
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

/// Whether two paths name one file, following symbolic links as Compose does: the same
/// device and inode. False when either does not exist.
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Configuration files a service mounts from inside the project (`./config.yml:/app/…`, or
/// a folder of them, one level deep), read for their `key: value` pairs: a password the env
/// file gives the database and a mounted YAML gives the app (Misskey's `default.yml`) must
/// change in both places, and `fill` changing one would lock the app out. Best effort and
/// bounded: only files named as configuration, at most [`MAX_MOUNTED`] of them and
/// [`MAX_MOUNTED_SIZE`] bytes each; no symbolic link is followed, so nothing outside the
/// project is read.
pub(super) fn mounted_config_files(
    cwd: &Path,
    project: &Project,
    example: &Path,
) -> Vec<OtherEnvFile> {
    let root = &project.working_dir;
    // Where the project really is, so a folder reached through a linked parent is seen to
    // be outside it.
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    let mut sources: Vec<PathBuf> = project
        .services
        .iter()
        .flat_map(|s| s.volumes.iter())
        .filter(|m| m.kind == MountKind::Bind)
        .filter_map(|m| m.source.as_deref())
        .filter(|s| !s.starts_with('~'))
        .map(|s| resolve_path(root, Path::new(s)))
        .filter(|p| p.starts_with(root) && p != root)
        .collect();
    // Many services mounting one folder read it once.
    sources.sort();
    sources.dedup();
    let mut paths: Vec<PathBuf> = Vec::new();
    for path in sources {
        if !std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&real_root)) {
            continue;
        }
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => paths.push(path),
            Ok(m) if m.is_dir() => {
                let Ok(entries) = std::fs::read_dir(&path) else {
                    continue;
                };
                let mut inside: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.path())
                    .filter(|p| is_config_name(p))
                    .collect();
                inside.sort();
                inside.truncate(MAX_MOUNTED);
                paths.extend(inside);
            }
            _ => {}
        }
    }
    paths.retain(|p| is_config_name(p) && *p != project.env_file && p != example);
    paths.sort();
    paths.dedup();
    paths.truncate(MAX_MOUNTED);
    paths
        .into_iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_MOUNTED_SIZE))
        .filter_map(|p| {
            let text = source::read_text(&p).ok()?;
            let values = config_pairs(&text);
            (!values.is_empty()).then(|| OtherEnvFile {
                path: display_path(cwd, &p),
                values,
            })
        })
        .collect()
}

/// How many mounted configuration files are read at most.
const MAX_MOUNTED: usize = 64;

/// The largest mounted configuration file read, in bytes.
const MAX_MOUNTED_SIZE: u64 = 256 * 1024;

/// A configuration file by its extension (`.yml`, `.json`, `.toml`, `.conf` …).
fn is_config_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "yml" | "yaml" | "json" | "toml" | "conf" | "cfg" | "ini" | "properties"
        )
    })
}
