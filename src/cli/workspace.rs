//! The second stage of argument handling: global flags resolved into the loaded project —
//! the compose files, the example file and the live env file — before any command runs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Error, GlobalArgs, source};
use crate::compose::{self, Project, display_path, resolve_path};
use crate::dotenv::{self, Document};

/// Example file names tried in order when `--example` is not given.
pub const EXAMPLE_NAMES: [&str; 9] = [
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    ".env-sample",
    ".env-example",
    "env.example",
    "example.env",
    "sample.env",
];

/// A `.env`-syntax file that was read and parsed.
#[derive(Debug, Clone)]
pub struct EnvFile {
    /// Absolute path.
    pub path: PathBuf,
    /// The path as shown to the user (relative to the working directory when inside it).
    pub display: PathBuf,
    /// The exact text.
    pub text: String,
    /// The parsed document.
    pub document: Document,
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
}

impl Workspace {
    /// A path as the user should see it.
    pub fn display(&self, path: &Path) -> PathBuf {
        display_path(&self.cwd, path)
    }
}

/// The directory to run in: `-C DIR` resolved against the process's directory.
pub fn cwd(global: &GlobalArgs) -> Result<PathBuf, Error> {
    let here = std::env::current_dir()?;
    Ok(match &global.directory {
        Some(dir) => resolve_path(&here, dir),
        None => here,
    })
}

/// Reads and parses a `.env`-syntax file.
pub fn read_env_file(cwd: &Path, path: &Path) -> Result<EnvFile, Error> {
    let display = display_path(cwd, path);
    let text = source::read_text(path).map_err(|error| Error::Read {
        file: display.clone(),
        error,
    })?;
    let document = dotenv::parse(&text).map_err(|error| Error::Env {
        file: display.clone(),
        error,
    })?;
    Ok(EnvFile {
        path: path.to_path_buf(),
        display,
        text,
        document,
    })
}

/// Loads the project the global flags describe.
pub fn load(global: &GlobalArgs) -> Result<Workspace, Error> {
    let cwd = cwd(global)?;
    let os_env: HashMap<String, String> = std::env::vars().collect();
    let options = compose::Options {
        cwd: cwd.clone(),
        files: global.files.clone(),
        env_file: global.env_file.clone(),
        os_env,
    };
    let project = compose::load(&options, &source::FsSource)?;
    let example_path = match &global.example {
        Some(p) => resolve_path(&cwd, p),
        None => EXAMPLE_NAMES
            .iter()
            .map(|n| project.working_dir.join(n))
            .find(|p| p.is_file())
            .unwrap_or_else(|| project.working_dir.join(EXAMPLE_NAMES[0])),
    };
    let example = if global.example.is_some() || example_path.is_file() {
        Some(read_env_file(&cwd, &example_path)?)
    } else {
        None
    };
    let live = if project.env_file_exists {
        Some(read_env_file(&cwd, &project.env_file)?)
    } else {
        None
    };
    Ok(Workspace {
        cwd,
        project,
        example,
        example_path,
        live,
    })
}
