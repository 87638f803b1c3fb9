//! Files into the model: the env file, every compose file and its `---` documents in order,
//! `include:` and `extends:` (COMPOSE-SEMANTICS.md §1, §10), each service read and merged.
//!
//! The loader is pure: it reads files only through the caller's [`Source`] and takes the OS
//! environment as a map, so tests run it on in-memory projects and the edges decide how files
//! are read.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

mod document;
mod extends;

use super::discover::{self, display_path, resolve_path};
use super::error::{ComposeError, ComposeErrorKind, ReadError};
use super::model::{ComposeRef, Located, MountKind, Project, Service};
use super::{service, yaml};
use crate::dotenv;
use crate::interpolate;
use crate::position::{LineIndex, Position};

/// Read access to project files, supplied by the caller.
pub trait Source {
    /// Reads a whole text file.
    fn read(&self, path: &Path) -> Result<String, ReadError>;
    /// Whether `path` is an existing regular file.
    fn is_file(&self, path: &Path) -> bool;
    /// Whether anything exists at `path` (a directory too). Compose's file discovery takes
    /// the first name that exists, so a directory called `compose.yaml` is found and then
    /// fails to read, rather than being skipped. Defaults to [`Source::is_file`].
    fn exists(&self, path: &Path) -> bool {
        self.is_file(path)
    }
}

/// Files held in memory (tests, benches, fuzzing): each path reads as its text.
impl<S: std::hash::BuildHasher> Source for HashMap<PathBuf, String, S> {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        self.get(path).cloned().ok_or(ReadError::NotFound)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.contains_key(path)
    }
}

/// What to load, as the user asked for it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The directory envward runs in (`-C`); relative paths start here.
    pub cwd: PathBuf,
    /// `-f FILE`, in order.
    pub files: Vec<PathBuf>,
    /// `--env-file FILE`, which replaces `.env`.
    pub env_file: Option<PathBuf>,
    /// The OS environment of the run: it always wins over env files.
    pub os_env: HashMap<String, String>,
    /// Read what parses of an invalid env file instead of failing (for reports that list
    /// syntax errors as findings).
    pub tolerate_env_errors: bool,
}

/// How deep `include:` and `extends:` may nest. Compose has no limit; real projects nest two
/// or three deep, and each level costs stack (and, for `extends:`, repeats the chain's work
/// for every service on it).
const MAX_INCLUDE_DEPTH: usize = 64;

/// The project directory: that of the first `-f` file, else the working directory.
/// The project directory: the first compose file's directory, else the directory envward runs
/// in. Computed from the options alone, without reading any file.
pub fn working_dir(options: &Options) -> PathBuf {
    options
        .files
        .first()
        .and_then(|f| {
            resolve_path(&options.cwd, f)
                .parent()
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| options.cwd.clone())
}

/// The env file [`load`] reads for interpolation (`--env-file`, else `.env` in the project
/// directory), whether or not it exists.
pub fn env_file_path(options: &Options) -> PathBuf {
    options.env_file.as_ref().map_or_else(
        || working_dir(options).join(".env"),
        |p| resolve_path(&options.cwd, p),
    )
}

/// Loads the project. Every file is read through `source`.
pub fn load(options: &Options, source: &dyn Source) -> Result<Project, ComposeError> {
    let cwd = &options.cwd;
    let working_dir = working_dir(options);
    let env_file = env_file_path(options);
    let err_at = |path: &Path, position: Option<Position>, kind| ComposeError {
        file: display_path(cwd, path),
        position,
        kind,
    };
    let mut environment = options.os_env.clone();
    let env_file_exists = source.is_file(&env_file);
    let mut env_parsed = None;
    if env_file_exists || options.env_file.is_some() {
        let text = source
            .read(&env_file)
            .map_err(|e| err_at(&env_file, None, ComposeErrorKind::Read(e)))?;
        let os = &options.os_env;
        let lookup = |k: &str| os.get(k).cloned();
        let env_error = |e: dotenv::ParseError| {
            err_at(
                &env_file,
                Some(e.position),
                ComposeErrorKind::EnvFile(e.kind),
            )
        };
        let (document, errors) = if options.tolerate_env_errors {
            dotenv::parse_recovering(&text)
        } else {
            (dotenv::parse(&text).map_err(env_error)?, Vec::new())
        };
        let bindings = if options.tolerate_env_errors {
            document.resolve_lenient(&lookup)
        } else {
            document.resolve(&lookup).map_err(env_error)?
        };
        environment.reserve(bindings.len());
        for b in bindings {
            if !os.contains_key(&b.key) {
                environment.insert(b.key, b.value);
            }
        }
        env_parsed = Some((document, errors));
    }

    let files = discover::compose_files(&options.files, cwd, &working_dir, &environment, source)
        .ok_or_else(|| err_at(&working_dir, None, ComposeErrorKind::NoComposeFile))?;

    let mut loader = Loader {
        source,
        cwd: cwd.clone(),
        working_dir: working_dir.clone(),
        environment: &environment,
        files: Vec::new(),
        services: Vec::new(),
        references: Vec::new(),
        volumes: Vec::new(),
        included: HashSet::new(),
        parsed: HashMap::new(),
        service_index: HashMap::new(),
    };
    for file in &files {
        loader.load_file(file, &working_dir, &mut Vec::new())?;
    }
    let Loader {
        files: loaded,
        mut services,
        references,
        volumes,
        ..
    } = loader;
    let declared: HashSet<&str> = volumes.iter().map(|v| v.value.as_str()).collect();
    for mount in services.iter_mut().flat_map(|s| s.volumes.iter_mut()) {
        mount.declared = mount.kind == MountKind::Volume
            && mount
                .source
                .as_deref()
                .is_some_and(|s| declared.contains(s));
    }
    Ok(Project {
        working_dir,
        files: loaded,
        env_file,
        env_file_exists,
        services,
        volumes,
        references,
        environment,
        env_parsed,
    })
}

struct Loader<'a> {
    source: &'a dyn Source,
    cwd: PathBuf,
    working_dir: PathBuf,
    environment: &'a HashMap<String, String>,
    files: Vec<PathBuf>,
    services: Vec<Service>,
    references: Vec<ComposeRef>,
    volumes: Vec<Located>,
    included: HashSet<(PathBuf, PathBuf)>,
    /// Each file read and parsed, kept for `extends:` and repeated includes (shared, not
    /// copied: a large file's tree is most of what loading costs).
    parsed: HashMap<PathBuf, Rc<Parsed>>,
    /// Where each service name is in `services`: files merge into services by name.
    service_index: HashMap<String, usize>,
}

/// A compose file's text, its line index (built once: references are located with it) and
/// its documents.
struct Parsed {
    text: String,
    index: LineIndex,
    docs: Vec<yaml::Node>,
}

impl Loader<'_> {
    fn error(
        &self,
        path: &Path,
        position: Option<Position>,
        kind: ComposeErrorKind,
    ) -> ComposeError {
        ComposeError {
            file: display_path(&self.cwd, path),
            position,
            kind,
        }
    }

    /// Reads and parses a compose file once; later calls reuse it. Every document of the
    /// file (`---` separated) is a layer, merged in order as Compose merges them; each must be
    /// a mapping, and each `services:` a mapping of mappings.
    fn parsed(&mut self, path: &Path) -> Result<Rc<Parsed>, ComposeError> {
        if let Some(p) = self.parsed.get(path) {
            return Ok(Rc::clone(p));
        }
        let text = self
            .source
            .read(path)
            .map_err(|e| self.error(path, None, ComposeErrorKind::Read(e)))?;
        let index = LineIndex::new(&text);
        let docs = yaml::parse_documents_indexed(&text, &index)
            .map_err(|e| self.error(path, Some(e.position), ComposeErrorKind::Yaml(e.message)))?;
        if docs.is_empty() {
            return Err(self.error(
                path,
                Some(Position { line: 1, column: 1 }),
                ComposeErrorKind::NotMapping("empty"),
            ));
        }
        for root in &docs {
            if !matches!(root.kind, yaml::Kind::Map(_)) {
                return Err(self.error(
                    path,
                    Some(root.position),
                    ComposeErrorKind::NotMapping(root.shape()),
                ));
            }
            if let Some(services) = root.get("services") {
                service::check_services(services)
                    .map_err(|(p, msg)| self.error(path, Some(p), ComposeErrorKind::Shape(msg)))?;
            }
        }
        let parsed = Rc::new(Parsed { text, index, docs });
        self.parsed.insert(path.to_path_buf(), Rc::clone(&parsed));
        Ok(parsed)
    }

    /// Refuses a file that `include:` or `extends:` names outside the project directory.
    fn inside_project(
        &self,
        path: &Path,
        node: &yaml::Node,
        what: &'static str,
        target: &Path,
    ) -> Result<(), ComposeError> {
        if target.starts_with(&self.working_dir) {
            return Ok(());
        }
        Err(self.error(
            path,
            Some(node.position),
            ComposeErrorKind::OutsideProject(
                what,
                display_path(&self.cwd, target),
                display_path(&self.cwd, &self.working_dir),
            ),
        ))
    }

    /// Interpolates a string Compose evaluates while loading (paths of includes, extends and
    /// env files), so a missing `:?` variable there fails as it does in Compose.
    fn eval(&self, path: &Path, node: &yaml::Node) -> Result<String, ComposeError> {
        let text = node.as_str().unwrap_or_default();
        let env = self.environment;
        interpolate::substitute(text, &|k: &str| env.get(k).cloned())
            .map_err(|e| self.error(path, Some(node.position), ComposeErrorKind::Template(e)))
    }

    /// Loads one compose file. `project_dir` is where its relative `env_file:` paths resolve:
    /// the working directory for the project's own files, the included project's directory for
    /// an included file (COMPOSE-SEMANTICS.md §6, §10).
    fn load_file(
        &mut self,
        path: &Path,
        project_dir: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(), ComposeError> {
        if stack.iter().any(|p| p == path) {
            return Err(self.error(path, None, ComposeErrorKind::Cycle("include")));
        }
        if stack.len() >= MAX_INCLUDE_DEPTH {
            return Err(self.error(path, None, ComposeErrorKind::TooDeep("include")));
        }
        let parsed = self.parsed(path)?;
        let display = display_path(&self.cwd, path);
        self.files.push(display.clone());
        for root in &parsed.docs {
            self.load_document(
                path,
                &display,
                &parsed.text,
                &parsed.index,
                root,
                project_dir,
                stack,
            )?;
        }
        Ok(())
    }
}
