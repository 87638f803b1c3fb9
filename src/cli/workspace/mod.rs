//! The second stage of argument handling: global flags resolved into the loaded project —
//! the compose files, the example file and the live env file — before any command runs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

mod fresh;
mod others;
mod several;

pub use fresh::as_created_from_example;
use fresh::env_file_in_use;
use others::{mounted_config_files, other_env_files};
pub use several::{each_live_file, load_each, one_at_a_time, shell_word};

use super::{Error, GlobalArgs, source};
use crate::analysis::{
    self, EnvInput, FileFacts, Input, Inventory, Knowledge, OtherEnvFile, Policy, PolicyLevel,
};
use crate::compose::{self, Project, display_path, resolve_path};
use crate::config::{self, Config};
use crate::dotenv::{self, Document, ParseError};
use crate::store::read::Snapshot;

/// Example file names tried in order when `--example` is not given.
pub const EXAMPLE_NAMES: [&str; 13] = [
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    ".env.defaults",
    ".env-sample",
    ".env-example",
    ".example.env",
    "env.example",
    "env.template",
    "example.env",
    "sample.env",
    "template.env",
];

/// A `.env`-syntax file that was read and parsed. Its `Debug` leaves the text out.
#[derive(Clone)]
pub struct EnvFile {
    /// Absolute path.
    pub path: PathBuf,
    /// The path as shown to the user (relative to the working directory when inside it).
    pub display: PathBuf,
    /// The exact text.
    pub text: String,
    /// The parsed document (what parses, when read tolerantly).
    pub document: Document,
    /// Syntax errors (only when read tolerantly; otherwise they fail the load).
    pub errors: Vec<ParseError>,
    /// What the file looked like when read, so a save can refuse if it changed since.
    pub snapshot: Snapshot,
}

impl std::fmt::Debug for EnvFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvFile")
            .field("path", &self.path)
            .field("document", &self.document)
            .finish_non_exhaustive()
    }
}

/// Everything a command reads.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory envward runs in (absolute).
    pub cwd: PathBuf,
    /// The compose project.
    pub project: Project,
    /// The example file, when there is one.
    pub example: Option<EnvFile>,
    /// Where the example file is or would be.
    pub example_path: PathBuf,
    /// The live env file, when it exists.
    pub live: Option<EnvFile>,
    /// `envward.toml` (defaults when absent).
    pub config: Config,
    /// The OS environment of this run.
    pub os_env: HashMap<String, String>,
    /// `--identity FILE` (to date values from the backups).
    pub identity: Option<PathBuf>,
    /// The other env files the services read (`env_file:`), decoded.
    pub others: Vec<OtherEnvFile>,
    /// Compose fills `${…}` from the live file: it is the default `.env` or the
    /// `--env-file`. False when envward took the env file the services load because the
    /// project has none of those (see `env_file_in_use`).
    pub live_is_interpolated: bool,
}

/// The project configuration file, in the working directory.
pub const CONFIG_NAME: &str = "envward.toml";

impl Workspace {
    /// A path as the user should see it.
    pub fn display(&self, path: &Path) -> PathBuf {
        display_path(&self.cwd, path)
    }
}

/// Where a project's files are, and its configuration, found without reading its env files
/// (nor its compose files, unless the project directory has no `.env` and the services may
/// load one elsewhere): all that `backup` needs, so a backup of a large `.env` costs its
/// encryption.
pub struct Located {
    /// The directory envward runs in (absolute).
    pub cwd: PathBuf,
    /// The project directory (where `envward.toml` is).
    pub working_dir: PathBuf,
    /// The live env file (`.env`, `--env-file`, or the one the services load when the
    /// project directory has no `.env`), which may not exist.
    pub env_file: PathBuf,
    /// `envward.toml` (defaults when absent).
    pub config: Config,
}

impl Located {
    /// A path as the user should see it.
    pub fn display(&self, path: &Path) -> PathBuf {
        display_path(&self.cwd, path)
    }
}

/// Finds the project's files as [`load`] would, reading only `envward.toml`.
pub fn locate(global: &GlobalArgs) -> Result<Located, Error> {
    let cwd = cwd(global)?;
    let options = compose::Options {
        cwd: cwd.clone(),
        files: global.files.clone(),
        env_file: global.env_file.clone(),
        ..compose::Options::default()
    };
    let working_dir = compose::working_dir(&options);
    let config = read_config(&cwd, &working_dir)?;
    let mut env_file = compose::env_file_path(&options);
    if global.env_file.is_none() && !regular_file_exists(&cwd, &env_file).unwrap_or(true) {
        // No `.env` here: the env file the services load may be the live file, as `load`
        // decides (that costs reading the compose files, only on this path).
        if let Ok(ws) = load_with(global, true) {
            env_file = ws.project.env_file;
        }
    }
    Ok(Located {
        cwd,
        working_dir,
        env_file,
        config,
    })
}

/// `envward.toml` in the project directory, or the defaults when there is none.
fn read_config(cwd: &Path, working_dir: &Path) -> Result<Config, Error> {
    let config_path = working_dir.join(CONFIG_NAME);
    if !regular_file_exists(cwd, &config_path)? {
        return Ok(Config::default());
    }
    let text = source::read_text(&config_path).map_err(|error| Error::Read {
        file: display_path(cwd, &config_path),
        error,
    })?;
    config::parse(&text).map_err(|error| Error::Config {
        file: display_path(cwd, &config_path),
        error,
    })
}

/// The directory to run in: `-C DIR` resolved against the process's directory.
pub fn cwd(global: &GlobalArgs) -> Result<PathBuf, Error> {
    let here = std::env::current_dir()?;
    Ok(match &global.directory {
        Some(dir) => resolve_path(&here, dir),
        None => here,
    })
}

/// Reads and parses a `.env`-syntax file. Tolerant reading keeps what parses and lists the
/// syntax errors; strict reading fails on the first.
pub fn read_env_file(cwd: &Path, path: &Path, tolerant: bool) -> Result<EnvFile, Error> {
    let display = display_path(cwd, path);
    let loaded = source::read_loaded(path).map_err(|error| Error::Read {
        file: display.clone(),
        error,
    })?;
    let (text, snapshot) = (loaded.text, loaded.snapshot);
    let (document, errors) = if tolerant {
        dotenv::parse_recovering(&text)
    } else {
        let document = dotenv::parse(&text).map_err(|error| Error::Env {
            file: display.clone(),
            error,
        })?;
        (document, Vec::new())
    };
    Ok(EnvFile {
        path: path.to_path_buf(),
        display,
        text,
        document,
        errors,
        snapshot,
    })
}

/// Loads the project the global flags describe; `.env` syntax errors fail the load.
pub fn load(global: &GlobalArgs) -> Result<Workspace, Error> {
    load_with(global, false)
}

/// Loads the project; with `tolerant`, `.env` syntax errors are kept for the analysis to
/// report instead of failing the load.
pub fn load_with(global: &GlobalArgs, tolerant: bool) -> Result<Workspace, Error> {
    load_from(global, tolerant, &source::FsSource)
}

/// Loads the project for editing (the TUI, `fill`): tolerant of syntax errors, and a
/// `--env-file` that does not exist yet is a new, empty live file (created on save, as
/// `.env` is), not an error.
pub fn load_editing(global: &GlobalArgs) -> Result<Workspace, Error> {
    let cwd = cwd(global)?;
    let new_file = global
        .env_file
        .as_ref()
        .map(|p| resolve_path(&cwd, p))
        .filter(|p| {
            std::fs::symlink_metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        });
    match new_file {
        Some(path) => load_from(global, true, &source::NewEnvFile { path }),
        None => load_with(global, true),
    }
}

/// [`load_once`], then again with the env file the services load as the live file when
/// that is the project's only env file (see [`env_file_in_use`]).
fn load_from(
    global: &GlobalArgs,
    tolerant: bool,
    files: &dyn compose::Source,
) -> Result<Workspace, Error> {
    let ws = load_once(global, tolerant, files)?;
    let Some((live, example)) = env_file_in_use(global, &ws) else {
        return Ok(ws);
    };
    let mut global = global.clone();
    global.example = global.example.or(example);
    global.env_file = Some(live.clone());
    let mut picked = if regular_file_exists(&ws.cwd, &live)? {
        load_once(&global, tolerant, &source::FsSource)?
    } else {
        // Not written yet (a fresh checkout): read as missing, and created on save.
        load_once(&global, tolerant, &source::NewEnvFile { path: live })?
    };
    // Loaded as if it were `--env-file` to read it, but `docker compose up` fills `${…}`
    // from the (absent) `.env`, not from this file.
    picked.live_is_interpolated = false;
    Ok(picked)
}

/// Loads the project the global flags describe, reading files through `files`.
fn load_once(
    global: &GlobalArgs,
    tolerant: bool,
    files: &dyn compose::Source,
) -> Result<Workspace, Error> {
    let cwd = cwd(global)?;
    let options = compose::Options {
        cwd: cwd.clone(),
        files: global.files.clone(),
        env_file: global.env_file.clone(),
        os_env: os_environment(),
        tolerate_env_errors: tolerant,
    };
    // The live env file is read once: its text and snapshot here, its parse by the loader
    // (which needs it for interpolation), both kept for the analysis.
    let env_path = compose::env_file_path(&options);
    let preread = files
        .is_file(&env_path)
        .then(|| source::read_loaded(&env_path).ok())
        .flatten();
    let mut project = match &preread {
        Some(loaded) => compose::load(
            &options,
            &source::Preread {
                path: &env_path,
                text: &loaded.text,
                rest: files,
            },
        )?,
        None => compose::load(&options, files)?,
    };
    if project.env_file_exists {
        same_file_as_live(&mut project);
    } else {
        // Compose skips an env file that is not a regular file; envward must not take a
        // directory, a FIFO or a broken link for "no .env yet".
        regular_file_exists(&cwd, &project.env_file)?;
    }
    let example_path = match &global.example {
        Some(p) => resolve_path(&cwd, p),
        None => {
            // Beside the live file first when that is elsewhere (`--env-file ui/.env` has
            // `ui/.env.example`, not the root's template of another service; `-f
            // docker/compose.yml --env-file .env` has the `.env`'s), then in the project
            // directory.
            let mut dirs = Vec::new();
            if let Some(dir) = project.env_file.parent()
                && dir != project.working_dir
            {
                dirs.push(dir);
            }
            dirs.push(project.working_dir.as_path());
            // A live file named otherwise has its template named after it first (Misskey's
            // `.config/docker.env` beside `.config/docker_example.env`).
            let mut found = None;
            for candidate in examples_named_after(&project.env_file) {
                if regular_file_exists(&cwd, &candidate)? {
                    found = Some(candidate);
                    break;
                }
            }
            'search: for dir in dirs.into_iter().filter(|_| found.is_none()) {
                for candidate in EXAMPLE_NAMES.iter().map(|n| dir.join(n)) {
                    if regular_file_exists(&cwd, &candidate)? {
                        found = Some(candidate);
                        break 'search;
                    }
                }
            }
            found.unwrap_or_else(|| project.working_dir.join(EXAMPLE_NAMES[0]))
        }
    };
    let example = if global.example.is_some() || regular_file_exists(&cwd, &example_path)? {
        Some(read_env_file(&cwd, &example_path, tolerant)?)
    } else {
        None
    };
    let live = if project.env_file_exists {
        Some(match (preread, project.env_parsed.take()) {
            (Some(loaded), Some((document, errors))) if project.env_file == env_path => EnvFile {
                display: display_path(&cwd, &env_path),
                path: env_path,
                text: loaded.text,
                document,
                errors,
                snapshot: loaded.snapshot,
            },
            _ => read_env_file(&cwd, &project.env_file, tolerant)?,
        })
    } else {
        None
    };
    let config = read_config(&cwd, &project.working_dir)?;
    // A broken rotation state file is bad input like a broken env file.
    if live.is_some() {
        super::records::load(&project.env_file).map_err(|e| match e {
            super::Error::State { file, error } => super::Error::State {
                file: display_path(&cwd, &file),
                error,
            },
            other => other,
        })?;
    }
    let mut others = other_env_files(&cwd, &project, &example_path);
    others.extend(mounted_config_files(&cwd, &project, &example_path));
    Ok(Workspace {
        cwd,
        project,
        example,
        example_path,
        live,
        config,
        // Moved back out of the loader's options rather than copied for it.
        os_env: options.os_env,
        identity: global.identity.clone(),
        others,
        live_is_interpolated: true,
    })
}

/// The templates a live file not called `.env` may have, named after it: `docker.env` ->
/// `docker_example.env`, `docker.example.env`, `docker-example.env`, `example.docker.env`
/// (and `sample` alike); any name -> `NAME.example`, `NAME.sample`, `NAME.template`,
/// `NAME.dist`. Beside the live file, in that order.
/// The template of an env file that does not exist yet: one named after it
/// (`docker.env.example`), else one of [`EXAMPLE_NAMES`] beside a file named `.env`. Only
/// regular files count.
pub fn template_of(path: &Path) -> Option<PathBuf> {
    let beside = path
        .file_name()
        .filter(|n| *n == ".env")
        .and(path.parent())
        .map(|dir| {
            EXAMPLE_NAMES
                .iter()
                .map(|n| dir.join(n))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    examples_named_after(path)
        .into_iter()
        .chain(beside)
        .find(|candidate| candidate.is_file())
}

fn examples_named_after(live: &Path) -> Vec<PathBuf> {
    let Some(name) = live.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    if name == ".env" {
        return Vec::new();
    }
    let dir = live.parent().unwrap_or(Path::new(""));
    let mut out: Vec<PathBuf> = ["example", "sample", "template", "dist"]
        .iter()
        .map(|s| dir.join(format!("{name}.{s}")))
        .collect();
    if let Some(stem) = name.strip_suffix(".env").filter(|s| !s.is_empty()) {
        for s in ["example", "sample", "template"] {
            for n in [
                format!("{stem}_{s}.env"),
                format!("{stem}.{s}.env"),
                format!("{stem}-{s}.env"),
                format!("{s}.{stem}.env"),
            ] {
                out.push(dir.join(n));
            }
        }
    }
    out
}

/// Names the live file by its own path wherever a service loads it through a symbolic link
/// (Formbricks' `env_file: apps/web/.env`, a link to the root `.env`): Compose follows the
/// link, so the service reads the live file itself, not a second copy to keep in step.
fn same_file_as_live(project: &mut Project) {
    let live = project.env_file.clone();
    for f in project
        .services
        .iter_mut()
        .flat_map(|s| s.env_files.iter_mut())
        .filter(|f| f.path != live)
    {
        if others::same_file(&f.path, &live) {
            f.path.clone_from(&live);
        }
    }
}

/// The process environment as text. A variable whose name is not UTF-8 cannot be named in a
/// compose file, so it is left out; a value that is not UTF-8 is kept with its bad bytes
/// replaced (U+FFFD), so the variable still counts as set. (`std::env::vars` panics on
/// either, and one such variable anywhere in a shell's environment stopped every command.)
fn os_environment() -> HashMap<String, String> {
    std::env::vars_os()
        .filter_map(|(key, value)| {
            Some((
                key.into_string().ok()?,
                value.to_string_lossy().into_owned(),
            ))
        })
        .collect()
}

/// Whether a regular file is at `path` (following symbolic links). Anything else that is
/// there — a directory, a FIFO, a device, a link to nothing or a loop of links — is an error
/// naming what it is, so it is never mistaken for a missing file. Nothing is opened, so a
/// FIFO cannot hang the run.
pub fn regular_file_exists(cwd: &Path, path: &Path) -> Result<bool, Error> {
    use std::io::ErrorKind;
    let odd = |what: String| Error::Read {
        file: display_path(cwd, path),
        error: crate::compose::ReadError::Io(what),
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(odd(format!("cannot read its metadata: {e}"))),
        Ok(_) => {}
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(true),
        Ok(m) if m.is_dir() => Err(Error::Read {
            file: display_path(cwd, path),
            error: crate::compose::ReadError::IsDirectory,
        }),
        Ok(m) => Err(odd(format!(
            "is {}, not a regular file; envward reads only regular files",
            file_kind(m.file_type())
        ))),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(odd(format!(
            "is a symbolic link to {}, which does not exist",
            std::fs::read_link(path).unwrap_or_default().display()
        ))),
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => Err(odd(
            "is a loop of symbolic links (or a chain too long to follow)".to_string(),
        )),
        Err(e) => Err(odd(format!("cannot read its metadata: {e}"))),
    }
}

/// "a FIFO", "a socket"… for messages.
fn file_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Mode, git standing, leftover temporary files and rotation records of the live file
/// (`None` parts where they cannot be known), with the default identity for dating values.
pub fn file_facts(path: &Path) -> FileFacts {
    file_facts_with(path, None)
}

/// [`file_facts`], dating values from the backups with the identity `--identity` names.
///
/// Git is read, never run (see [`crate::store::git`]); outside a work tree nothing is
/// opened. Leftovers are absolute paths; the analysis shows them as the user sees them.
pub fn file_facts_with(path: &Path, identity: Option<&Path>) -> FileFacts {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777);
    FileFacts {
        mode,
        git: crate::store::git::standing(path),
        leftovers: crate::store::leftover::find(crate::store::atomic::parent_dir(path)),
        rotation: super::records::for_analysis(path, identity),
    }
}

impl Workspace {
    /// The policy: `--policy`, else `envward.toml`'s default, else by the live file's name.
    pub fn policy(&self, level: Option<super::PolicyArg>) -> Policy {
        let name = self
            .project
            .env_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut policy = Policy {
            level: level
                .map(PolicyLevel::from)
                .or(self.config.policy.default)
                .unwrap_or_else(|| PolicyLevel::for_file_name(&name)),
            ..Policy::default()
        };
        if let Some(n) = self.config.policy.min_length {
            policy.min_length = n;
        }
        if let Some(b) = self.config.policy.min_bits {
            policy.min_bits = b;
        }
        policy
    }

    /// Runs the analysis on what was loaded, with fresh file facts and the current time.
    pub fn analyze(&self, knowledge: &Knowledge, policy: Policy) -> Inventory {
        self.analyze_at(knowledge, policy, jiff::Timestamp::now())
    }

    /// [`Workspace::analyze`] as of `now` (`check --as-of`: what will be due then).
    pub fn analyze_at(
        &self,
        knowledge: &Knowledge,
        policy: Policy,
        now: jiff::Timestamp,
    ) -> Inventory {
        let facts = if self.live.is_some() {
            file_facts_with(&self.project.env_file, self.identity.as_deref())
        } else {
            // A crash during the very first save leaves a temporary file and no live file.
            FileFacts {
                leftovers: crate::store::leftover::find(crate::store::atomic::parent_dir(
                    &self.project.env_file,
                )),
                ..FileFacts::default()
            }
        };
        self.analyze_with(knowledge, policy, facts, now)
    }

    /// Runs the analysis with the file facts and time given: pure, for the TUI's update.
    pub fn analyze_with(
        &self,
        knowledge: &Knowledge,
        policy: Policy,
        facts: FileFacts,
        now: jiff::Timestamp,
    ) -> Inventory {
        self.with_input(knowledge, policy, facts, now, analysis::analyze)
    }

    /// The relations between the variables (what `refs` shows), without judging values or
    /// asking the filesystem and git about the live file.
    pub fn relations(&self, knowledge: &Knowledge, policy: Policy) -> analysis::Relations {
        let now = jiff::Timestamp::now();
        self.with_input(knowledge, policy, FileFacts::default(), now, |input| {
            analysis::facts::relations(input)
        })
    }

    /// Calls `f` with the analysis input this workspace makes.
    fn with_input<R>(
        &self,
        knowledge: &Knowledge,
        policy: Policy,
        facts: FileFacts,
        now: jiff::Timestamp,
        f: impl FnOnce(&Input<'_>) -> R,
    ) -> R {
        let mut facts = facts;
        facts.leftovers = facts.leftovers.iter().map(|p| self.display(p)).collect();
        let live_display = self.display(&self.project.env_file);
        let example_display = self.display(&self.example_path);
        let input = Input {
            example: self.example.as_ref().map(|f| EnvInput {
                path: &example_display,
                document: &f.document,
                errors: &f.errors,
            }),
            example_path: &example_display,
            live: self.live.as_ref().map(|f| EnvInput {
                path: &live_display,
                document: &f.document,
                errors: &f.errors,
            }),
            live_path: &live_display,
            project: &self.project,
            env: &self.os_env,
            live_facts: facts,
            knowledge,
            config: &self.config,
            policy,
            now,
            other_env_files: &self.others,
            live_interpolates: self.live_is_interpolated,
        };
        f(&input)
    }
}
