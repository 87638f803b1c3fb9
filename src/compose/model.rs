//! The Compose project as data: services, what they mount and run, and every variable
//! reference, each with the file and position it comes from.
//!
//! These types hold what the loader read; they do no reading or interpolation themselves.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::interpolate::Form;
use crate::position::Position;

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
    /// The variable whose default this reference sits in (`${URL:-http://x:$PORT}` gives
    /// `PORT` the default of `URL`), with that reference's form: Compose reads this one only
    /// when that variable is unset (or empty, for `:-`).
    pub default_of: Option<(String, crate::interpolate::Form)>,
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

/// A short text taken from a compose file (a service name, a profile), with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The text.
    pub value: String,
    /// The compose file.
    pub file: PathBuf,
    /// Where it is written.
    pub position: Position,
}

/// What a mount's source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountKind {
    /// A named volume (`data:/var/lib/x`), or an anonymous one when there is no source.
    Volume,
    /// A host path (`./data:/x`, `/srv/x:/x`, `~/x:/x`).
    Bind,
    /// `type: tmpfs`.
    Tmpfs,
    /// Another long-syntax `type:` (`npipe`, `cluster`, `image`), as written.
    Other(String),
}

/// One `volumes:` entry of a service, short (`SOURCE:TARGET[:MODE]`) or long syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Named volume, host path, tmpfs …
    pub kind: MountKind,
    /// The volume name or host path, interpolated with the project environment (as written
    /// when interpolation fails); `None` for an anonymous volume or a tmpfs.
    pub source: Option<String>,
    /// The path inside the container, interpolated likewise.
    pub target: String,
    /// The source is a named volume declared in a top-level `volumes:` section.
    pub declared: bool,
    /// The compose file.
    pub file: PathBuf,
    /// Where the entry is.
    pub position: Position,
}

/// Which key a [`CommandText`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKey {
    /// `command:`
    Command,
    /// `entrypoint:`
    Entrypoint,
    /// `healthcheck: test:`
    HealthcheckTest,
}

/// One string of a service's `command`, `entrypoint` or `healthcheck.test`: the whole string
/// form, or one item of the list form. The text is as written, before interpolation, so that
/// a literal password (`--requirepass s3cret`) and a reference (`-p${PW}`) can be told apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandText {
    /// The key it belongs to.
    pub key: CommandKey,
    /// The string as written.
    pub text: String,
    /// The dotted path of the value (`services.db.healthcheck.test[2]`).
    pub key_path: String,
    /// The compose file.
    pub file: PathBuf,
    /// Where the string starts.
    pub position: Position,
}

/// A service's `build:` context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// The context as written and interpolated (`.` when `build:` gives none).
    pub context: String,
    /// The context directory resolved against the project directory; `None` when the context
    /// is a URL (a Git repository) rather than a local directory.
    pub path: Option<PathBuf>,
    /// `dockerfile:` as written and interpolated, relative to the context (`Dockerfile` when
    /// absent).
    pub dockerfile: String,
    /// The compose file.
    pub file: PathBuf,
    /// Where `build:` is.
    pub position: Position,
}

/// A service after merging every file that defines it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Service {
    /// Its name.
    pub name: String,
    /// `image:` as Compose pulls it: interpolated from the environment and the env file
    /// (as written when that fails, e.g. a `${X:?}` left unset).
    pub image: Option<String>,
    /// `environment:` entries, merged by key (the later file wins).
    pub environment: Vec<EnvVar>,
    /// `env_file:` entries in order.
    pub env_files: Vec<EnvFileRef>,
    /// `volumes:` mounts, merged by target (the later file wins).
    pub volumes: Vec<Mount>,
    /// The strings of `command`, `entrypoint` and `healthcheck.test`; a later file replaces
    /// each key whole, as Compose does.
    pub commands: Vec<CommandText>,
    /// `depends_on:` service names (list or mapping form), merged by name.
    pub depends_on: Vec<Located>,
    /// `build:`, when the service is built.
    pub build: Option<Build>,
    /// `pull_policy:` as written.
    pub pull_policy: Option<String>,
    /// `profiles:`, merged by name.
    pub profiles: Vec<Located>,
}

impl Service {
    /// Whether `docker compose up` builds its image from `build:`. Beside an `image:` from a
    /// registry (`ghcr.io/…`), Compose pulls that image first and builds only when the pull
    /// fails, unless `pull_policy: build` says otherwise: the build context then reaches no
    /// container of a plain `up`.
    pub fn builds_on_up(&self) -> bool {
        let from_registry = self.image.as_deref().is_some_and(|i| {
            i.split_once('/')
                .is_some_and(|(host, _)| host.contains(['.', ':']))
        });
        self.build.is_some() && (!from_registry || self.pull_policy.as_deref() == Some("build"))
    }

    /// The named volumes it mounts, in file order, each once.
    pub fn named_volumes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in &self.volumes {
            if let (MountKind::Volume, Some(source)) = (&m.kind, &m.source)
                && !out.contains(source)
            {
                out.push(source.clone());
            }
        }
        out
    }
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
    /// The named volumes declared in top-level `volumes:` sections.
    pub volumes: Vec<Located>,
    /// Every reference, in file order.
    pub references: Vec<ComposeRef>,
    /// The env file as the loader parsed it for interpolation (what parses, and the syntax
    /// errors when read tolerantly), so a caller that reports on the file too need not
    /// parse it again. `None` when there is no env file.
    pub env_parsed: Option<(crate::dotenv::Document, Vec<crate::dotenv::ParseError>)>,
}

impl Project {
    /// The env files services load with `env_file:` other than the interpolation env file,
    /// each path once, in the order first named: files a run on that one does not judge.
    pub fn other_env_files(&self) -> Vec<&EnvFileRef> {
        let mut out: Vec<&EnvFileRef> = Vec::new();
        for f in self.services.iter().flat_map(|s| s.env_files.iter()) {
            if f.path != self.env_file && !out.iter().any(|o| o.path == f.path) {
                out.push(f);
            }
        }
        out
    }
}
