//! The Compose project as Docker Compose loads it, and every variable reference in it.
//!
//! [`load`] follows COMPOSE-SEMANTICS.md §1 and §8–§10: the env file (`.env`, or `--env-file`
//! which replaces it), the compose files (`-f`, else `COMPOSE_FILE` split on
//! `COMPOSE_PATH_SEPARATOR`, else discovery of `compose.yaml` … in the working directory and its
//! parents, plus the override file), `include:` and `extends:`. It returns the services (their
//! `environment:` and `env_file:`) and every interpolation reference with its file, line,
//! column, form, default, whether it is required and whether it sits in a URI.
//!
//! The loader is pure: it reads files only through the caller's [`Source`] and takes the OS
//! environment as a map, so tests run it on in-memory projects and the edges decide how files
//! are read.

mod refs;
pub mod yaml;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::dotenv;
use crate::interpolate::{self, Form, TemplateError};
use crate::position::{LineIndex, Position};

pub use refs::in_uri;

/// Why a file could not be read. The edge maps its I/O errors onto these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist.
    #[error("no such file")]
    NotFound,
    /// The path is a directory.
    #[error("is a directory, not a file")]
    IsDirectory,
    /// The file exceeds the size envward reads.
    #[error(
        "file is too large ({}); envward reads files of at most {}",
        byte_size(*size),
        byte_size(*limit)
    )]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("invalid UTF-8")]
    InvalidUtf8 {
        /// Where the first invalid byte is.
        position: Position,
    },
    /// Any other I/O failure, described.
    #[error("{0}")]
    Io(String),
}

/// A size for messages: bytes below 1 MiB, else MiB with one decimal.
fn byte_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes < MIB {
        format!("{bytes} bytes")
    } else {
        let tenths = bytes.saturating_mul(10) / MIB;
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

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

/// How a variable is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Usage {
    /// Through `$X` or `${X…}` in a string.
    Interpolation(Form),
    /// By bare name in `environment:` (`- KEY` or `KEY:`), taken from the project environment.
    Passthrough,
}

impl Usage {
    /// A short label: `$X`, `${X}`, `:-` … or `passthrough`.
    pub fn label(self) -> &'static str {
        match self {
            Usage::Interpolation(f) => f.label(),
            Usage::Passthrough => "passthrough",
        }
    }
}

/// Where in the project a reference sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Inside `services.NAME`.
    Service(String),
    /// Inside another top-level section (`x-common`, `volumes`, `include`, `name` …).
    Section(String),
}

impl Scope {
    /// The service or section name.
    pub fn name(&self) -> &str {
        match self {
            Scope::Service(s) | Scope::Section(s) => s,
        }
    }
}

/// One use of a variable in a compose file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeRef {
    /// The variable.
    pub name: String,
    /// The service or section it sits in.
    pub scope: Scope,
    /// The compose file, relative to the working directory when inside it.
    pub file: PathBuf,
    /// Where the reference starts.
    pub position: Position,
    /// How it is written.
    pub usage: Usage,
    /// The raw default text of `:-` and `-` forms.
    pub default: Option<String>,
    /// No default, not a `+` form, and not nested in another reference's word.
    pub required: bool,
    /// The reference sits inside a `scheme://…` URI.
    pub in_uri: bool,
    /// The dotted path of the YAML value (`services.db.environment.PASSWORD`).
    pub key_path: String,
}

/// One `environment:` entry of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The variable the container sees.
    pub key: String,
    /// The value as written (before interpolation); `None` for a passthrough.
    pub value: Option<String>,
    /// The compose file.
    pub file: PathBuf,
    /// Where the entry is.
    pub position: Position,
}

/// One `env_file:` entry of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFileRef {
    /// The file, resolved against the working directory.
    pub path: PathBuf,
    /// `required: false` lets it be missing.
    pub required: bool,
    /// `format: raw`.
    pub raw: bool,
}

/// A service after merging every file that defines it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Service {
    /// Its name.
    pub name: String,
    /// `image:` as written.
    pub image: Option<String>,
    /// `environment:` entries, merged by key (the later file wins).
    pub environment: Vec<EnvVar>,
    /// `env_file:` entries in order.
    pub env_files: Vec<EnvFileRef>,
}

/// The project as Compose loads it.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Relative paths in the project resolve here.
    pub working_dir: PathBuf,
    /// The compose files in load order (included and extended files too).
    pub files: Vec<PathBuf>,
    /// The env file Compose reads for interpolation (whether or not it exists).
    pub env_file: PathBuf,
    /// Whether that env file exists.
    pub env_file_exists: bool,
    /// The project environment: OS variables, then the env file's values.
    pub environment: HashMap<String, String>,
    /// Every service, in order of first definition.
    pub services: Vec<Service>,
    /// Every reference, in file order.
    pub references: Vec<ComposeRef>,
}

/// What went wrong while loading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeErrorKind {
    /// The file could not be read.
    #[error("{0}")]
    Read(ReadError),
    /// YAML syntax.
    #[error("invalid YAML: {0}")]
    Yaml(String),
    /// The top level is not a mapping.
    #[error("a compose file must be a mapping of sections (services, volumes …), but this is {0}")]
    NotMapping(&'static str),
    /// A malformed `${` or a `:?` variable that is missing where Compose evaluates it.
    #[error("{0}")]
    Template(TemplateError),
    /// The env file has a syntax or interpolation error.
    #[error("{0}")]
    EnvFile(dotenv::ParseErrorKind),
    /// No compose file found by discovery.
    #[error(
        "no compose file found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml here and in parent directories); use -f FILE"
    )]
    NoComposeFile,
    /// `include:` or `extends:` loops.
    #[error("{0} cycle: this file includes or extends itself")]
    Cycle(&'static str),
    /// `extends:` names a service that does not exist.
    #[error("extends: no service named {0:?}")]
    UnknownService(String),
    /// A value of the wrong shape in a place Compose checks.
    #[error("{0}")]
    Shape(String),
    /// `include:` or `extends:` names a file outside the project directory. Compose reads it;
    /// envward does not read files a cloned repository points at outside itself.
    #[error(
        "{0} {1} is outside the project directory {2}; envward reads only files inside it (give it with -f to read it anyway)"
    )]
    OutsideProject(&'static str, PathBuf, PathBuf),
}

/// A loading error, located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ComposeError {
    /// The file at fault (relative to the working directory when inside it).
    pub file: PathBuf,
    /// The position, where there is one.
    pub position: Option<Position>,
    /// What is wrong.
    pub kind: ComposeErrorKind,
}

impl std::fmt::Display for ComposeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.position, &self.kind) {
            (_, ComposeErrorKind::Read(ReadError::InvalidUtf8 { position })) => {
                write!(f, "{}:{position}: {}", self.file.display(), self.kind)
            }
            (Some(p), _) => write!(f, "{}:{p}: {}", self.file.display(), self.kind),
            (None, _) => write!(f, "{}: {}", self.file.display(), self.kind),
        }
    }
}

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

/// Loads the project. Every file is read through `source`.
pub fn load(options: &Options, source: &dyn Source) -> Result<Project, ComposeError> {
    let cwd = &options.cwd;
    let working_dir = options
        .files
        .first()
        .and_then(|f| resolve_path(cwd, f).parent().map(Path::to_path_buf))
        .unwrap_or_else(|| cwd.clone());
    let env_file = options
        .env_file
        .as_ref()
        .map_or_else(|| working_dir.join(".env"), |p| resolve_path(cwd, p));
    let err_at = |path: &Path, position: Option<Position>, kind| ComposeError {
        file: display_path(cwd, path),
        position,
        kind,
    };
    let mut environment = options.os_env.clone();
    let env_file_exists = source.is_file(&env_file);
    if env_file_exists || options.env_file.is_some() {
        let text = source
            .read(&env_file)
            .map_err(|e| err_at(&env_file, None, ComposeErrorKind::Read(e)))?;
        let os = &options.os_env;
        let lookup = |k: &str| os.get(k).cloned();
        let bindings = if options.tolerate_env_errors {
            dotenv::parse_recovering(&text).0.resolve_lenient(&lookup)
        } else {
            dotenv::parse(&text)
                .and_then(|doc| doc.resolve(&lookup))
                .map_err(|e| {
                    err_at(
                        &env_file,
                        Some(e.position),
                        ComposeErrorKind::EnvFile(e.kind),
                    )
                })?
        };
        for b in bindings {
            if !os.contains_key(&b.key) {
                environment.insert(b.key, b.value);
            }
        }
    }

    let files = if options.files.is_empty() {
        if let Some(list) = environment.get("COMPOSE_FILE").filter(|s| !s.is_empty()) {
            let sep = environment
                .get("COMPOSE_PATH_SEPARATOR")
                .filter(|s| !s.is_empty())
                .map_or(":", String::as_str);
            list.split(sep)
                .filter(|s| !s.is_empty())
                .map(|f| resolve_path(cwd, Path::new(f)))
                .collect()
        } else {
            discover(&working_dir, source)
                .ok_or_else(|| err_at(&working_dir, None, ComposeErrorKind::NoComposeFile))?
        }
    } else {
        options.files.iter().map(|f| resolve_path(cwd, f)).collect()
    };

    let mut loader = Loader {
        source,
        cwd: cwd.clone(),
        working_dir: working_dir.clone(),
        environment: &environment,
        files: Vec::new(),
        services: Vec::new(),
        references: Vec::new(),
        parsed: HashMap::new(),
    };
    for file in &files {
        loader.load_file(file, &working_dir, &mut Vec::new())?;
    }
    let Loader {
        files: loaded,
        services,
        references,
        ..
    } = loader;
    Ok(Project {
        working_dir,
        files: loaded,
        env_file,
        env_file_exists,
        services,
        references,
        environment,
    })
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

struct Loader<'a> {
    source: &'a dyn Source,
    cwd: PathBuf,
    working_dir: PathBuf,
    environment: &'a HashMap<String, String>,
    files: Vec<PathBuf>,
    services: Vec<Service>,
    references: Vec<ComposeRef>,
    parsed: HashMap<PathBuf, (String, Vec<yaml::Node>)>,
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
    fn parsed(&mut self, path: &Path) -> Result<(String, Vec<yaml::Node>), ComposeError> {
        if let Some(p) = self.parsed.get(path) {
            return Ok(p.clone());
        }
        let text = self
            .source
            .read(path)
            .map_err(|e| self.error(path, None, ComposeErrorKind::Read(e)))?;
        let docs = yaml::parse_documents(&text)
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
                check_services(services)
                    .map_err(|(p, msg)| self.error(path, Some(p), ComposeErrorKind::Shape(msg)))?;
            }
        }
        self.parsed
            .insert(path.to_path_buf(), (text.clone(), docs.clone()));
        Ok((text, docs))
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
        let (text, docs) = self.parsed(path)?;
        let display = display_path(&self.cwd, path);
        self.files.push(display.clone());
        let index = LineIndex::new(&text);
        for root in &docs {
            self.load_document(path, &display, &text, &index, root, project_dir, stack)?;
        }
        Ok(())
    }

    /// Loads one document (layer) of a compose file.
    #[allow(clippy::too_many_arguments)]
    fn load_document(
        &mut self,
        path: &Path,
        display: &Path,
        text: &str,
        index: &LineIndex,
        root: &yaml::Node,
        project_dir: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(), ComposeError> {
        let base_dir = path.parent().unwrap_or(&self.working_dir).to_path_buf();

        for (section, _, node) in root.entries() {
            if section == "services" {
                for (name, _, service) in node.entries() {
                    let scope = Scope::Service(name.clone());
                    let key_path = format!("services.{name}");
                    refs::collect(
                        text,
                        index,
                        service,
                        &scope,
                        display,
                        &key_path,
                        &mut self.references,
                    )
                    .map_err(|(p, e)| self.error(path, Some(p), ComposeErrorKind::Template(e)))?;
                }
            } else {
                let scope = Scope::Section(section.clone());
                refs::collect(
                    text,
                    index,
                    node,
                    &scope,
                    display,
                    section,
                    &mut self.references,
                )
                .map_err(|(p, e)| self.error(path, Some(p), ComposeErrorKind::Template(e)))?;
            }
        }

        if let Some(include) = root.get("include") {
            stack.push(path.to_path_buf());
            for (items, dir_node) in include_paths(include) {
                let mut targets = Vec::new();
                for item in items {
                    let value = self.eval(path, item)?;
                    let target = resolve_path(&base_dir, Path::new(&value));
                    self.inside_project(path, item, "include:", &target)?;
                    targets.push(target);
                }
                // The included project's directory: `project_directory`, else the directory of
                // its first file.
                let dir = match dir_node {
                    Some(node) => resolve_path(&base_dir, Path::new(&self.eval(path, node)?)),
                    None => targets
                        .first()
                        .and_then(|t| t.parent())
                        .map_or_else(|| base_dir.clone(), Path::to_path_buf),
                };
                for target in &targets {
                    self.load_file(target, &dir, stack)?;
                }
            }
            stack.pop();
        }

        if let Some(services) = root.get("services") {
            for (name, _, node) in services.entries() {
                let mut service = self.service(path, display, name, node, project_dir)?;
                if let Some(ext) = node.get("extends") {
                    let mut seen = vec![(path.to_path_buf(), name.clone())];
                    let base = self.extends(path, project_dir, name, ext, &mut seen)?;
                    service = merge_service(base, service);
                }
                match self.services.iter_mut().find(|s| s.name == *name) {
                    Some(existing) => {
                        let merged = merge_service(std::mem::take(existing), service);
                        *existing = merged;
                    }
                    None => self.services.push(service),
                }
            }
        }
        Ok(())
    }

    /// Resolves `extends:` of service `name` in `path`: the base service merged recursively,
    /// with the base's references attributed to the extending service. A base in another file
    /// resolves its relative paths against that file's directory; one in the same file, against
    /// `project_dir` like the extending service.
    fn extends(
        &mut self,
        path: &Path,
        project_dir: &Path,
        name: &str,
        ext: &yaml::Node,
        seen: &mut Vec<(PathBuf, String)>,
    ) -> Result<Service, ComposeError> {
        let (base_name, file) = match &ext.kind {
            yaml::Kind::Map(_) => (
                ext.get("service")
                    .and_then(yaml::Node::as_str)
                    .unwrap_or_default()
                    .to_string(),
                ext.get("file"),
            ),
            _ => (ext.as_str().unwrap_or_default().to_string(), None),
        };
        let (base_path, base_dir) = match file {
            Some(f) => {
                let value = self.eval(path, f)?;
                let base_path = resolve_path(
                    path.parent().unwrap_or(&self.working_dir),
                    Path::new(&value),
                );
                self.inside_project(path, f, "extends: file", &base_path)?;
                let base_dir = base_path
                    .parent()
                    .map_or_else(|| project_dir.to_path_buf(), Path::to_path_buf);
                (base_path, base_dir)
            }
            None => (path.to_path_buf(), project_dir.to_path_buf()),
        };
        if seen.iter().any(|(p, n)| *p == base_path && *n == base_name) {
            return Err(self.error(path, Some(ext.position), ComposeErrorKind::Cycle("extends")));
        }
        seen.push((base_path.clone(), base_name.clone()));
        let (text, docs) = self.parsed(&base_path)?;
        let Some(base_node) = docs
            .iter()
            .find_map(|root| root.get("services").and_then(|s| s.get(&base_name)))
        else {
            return Err(self.error(
                path,
                Some(ext.position),
                ComposeErrorKind::UnknownService(base_name),
            ));
        };
        let display = display_path(&self.cwd, &base_path);
        if base_path != path && !self.files.contains(&display) {
            self.files.push(display.clone());
        }
        let scope = Scope::Service(name.to_string());
        let key_path = format!("services.{base_name}");
        let index = LineIndex::new(&text);
        let mut found = Vec::new();
        refs::collect(
            &text, &index, base_node, &scope, &display, &key_path, &mut found,
        )
        .map_err(|(p, e)| self.error(&base_path, Some(p), ComposeErrorKind::Template(e)))?;
        self.references.extend(found);
        let mut base = self.service(&base_path, &display, name, base_node, &base_dir)?;
        if let Some(next) = base_node.get("extends") {
            let deeper = self.extends(&base_path, &base_dir, name, next, seen)?;
            base = merge_service(deeper, base);
        }
        Ok(base)
    }

    fn service(
        &self,
        path: &Path,
        display: &Path,
        name: &str,
        node: &yaml::Node,
        project_dir: &Path,
    ) -> Result<Service, ComposeError> {
        let mut service = Service {
            name: name.to_string(),
            image: node
                .get("image")
                .and_then(yaml::Node::as_str)
                .map(str::to_string),
            ..Service::default()
        };
        if let Some(env) = node.get("environment") {
            service.environment = environment_entries(env, display)
                .map_err(|(p, msg)| self.error(path, Some(p), ComposeErrorKind::Shape(msg)))?;
        }
        if let Some(files) = node.get("env_file") {
            let items: Vec<&yaml::Node> = match &files.kind {
                yaml::Kind::Seq(items) => items.iter().collect(),
                _ => vec![files],
            };
            for item in items {
                let (path_node, required, raw) = match &item.kind {
                    yaml::Kind::Map(_) => (
                        item.get("path"),
                        item.get("required").and_then(yaml::Node::as_str) != Some("false"),
                        item.get("format").and_then(yaml::Node::as_str) == Some("raw"),
                    ),
                    _ => (Some(item), true, false),
                };
                if let Some(p) = path_node {
                    let value = self.eval(path, p)?;
                    service.env_files.push(EnvFileRef {
                        path: resolve_path(project_dir, Path::new(&value)),
                        required,
                        raw,
                    });
                }
            }
        }
        Ok(service)
    }
}

/// Compose's shape rules for `services:`: a mapping whose entries are mappings (or empty).
fn check_services(services: &yaml::Node) -> Result<(), (Position, String)> {
    match &services.kind {
        yaml::Kind::Map(entries) => {
            for (name, _, node) in entries {
                if !matches!(node.kind, yaml::Kind::Map(_) | yaml::Kind::Null) {
                    return Err((
                        node.position,
                        format!(
                            "services.{name} must be a mapping, but this is {}",
                            node.shape()
                        ),
                    ));
                }
            }
            Ok(())
        }
        _ => Err((
            services.position,
            format!(
                "services must be a mapping, but this is {}",
                services.shape()
            ),
        )),
    }
}

/// The items of an `include:` block: each one's path nodes (a string, or `path:` as a string
/// or a list) and its `project_directory:` node.
fn include_paths(include: &yaml::Node) -> Vec<(Vec<&yaml::Node>, Option<&yaml::Node>)> {
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

/// `environment:` as a mapping or a list, passthrough entries included.
fn environment_entries(env: &yaml::Node, file: &Path) -> Result<Vec<EnvVar>, (Position, String)> {
    let mut out: Vec<EnvVar> = Vec::new();
    let mut push = |var: EnvVar| match out.iter_mut().find(|e| e.key == var.key) {
        Some(existing) => *existing = var,
        None => out.push(var),
    };
    match &env.kind {
        yaml::Kind::Map(entries) => {
            for (key, key_pos, value) in entries {
                push(EnvVar {
                    key: key.clone(),
                    value: match &value.kind {
                        yaml::Kind::Null => None,
                        yaml::Kind::Str(s) | yaml::Kind::Other(s) => Some(s.clone()),
                        _ => {
                            return Err((
                                value.position,
                                format!("environment.{key} must be a string, number or boolean"),
                            ));
                        }
                    },
                    file: file.to_path_buf(),
                    position: if matches!(value.kind, yaml::Kind::Null) {
                        *key_pos
                    } else {
                        value.position
                    },
                });
            }
        }
        yaml::Kind::Seq(items) => {
            for item in items {
                let Some(text) = item.as_str() else { continue };
                let (key, value) = match text.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (text, None),
                };
                if key.ends_with(char::is_whitespace) {
                    return Err((
                        item.position,
                        format!("environment variable {key:?} is declared with a trailing space"),
                    ));
                }
                push(EnvVar {
                    key: key.to_string(),
                    value,
                    file: file.to_path_buf(),
                    position: item.position,
                });
            }
        }
        yaml::Kind::Null => {}
        _ => {
            return Err((
                env.position,
                "environment must be a mapping or a list".to_string(),
            ));
        }
    }
    Ok(out)
}

/// `over` merged onto `base` with Compose's rules for the parts envward reads.
fn merge_service(base: Service, over: Service) -> Service {
    let mut environment = base.environment;
    for var in over.environment {
        match environment.iter_mut().find(|e| e.key == var.key) {
            Some(existing) => *existing = var,
            None => environment.push(var),
        }
    }
    let mut env_files = base.env_files;
    env_files.extend(over.env_files);
    Service {
        name: over.name,
        image: over.image.or(base.image),
        environment,
        env_files,
    }
}
