//! A project held in memory, loaded and parsed as `envward check` would load it from disk, and
//! the analysis input over it. Shared by `benches/analysis.rs` (which times `analyze()` alone),
//! `tests/work_counts.rs` and `tests/dictionary_work.rs` (which count the work of loading and
//! analysing), so they measure the same thing; `benches/reading.rs` uses its file source.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use envward::analysis::{EnvInput, FileFacts, Input, Knowledge, Policy};
use envward::compose::{self, Project, ReadError, Source};
use envward::config::Config;
use envward::dotenv::{self, Document, ParseError};

/// Files held in memory, by path: a compose [`Source`] that touches no disk.
pub struct Files(pub HashMap<PathBuf, String>);

impl Source for Files {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        self.0.get(path).cloned().ok_or(ReadError::NotFound)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
}

/// A loaded project: the compose model and both env files parsed.
pub struct Loaded {
    project: Project,
    example: (Document, Vec<ParseError>),
    live: (Document, Vec<ParseError>),
    config: Config,
    env: HashMap<String, String>,
    example_path: PathBuf,
    live_path: PathBuf,
}

impl Loaded {
    /// Loads `compose.yaml` and parses the two env files.
    ///
    /// # Panics
    /// When the compose file does not load (benchmark and test input is known to).
    pub fn new(compose_text: &str, example: &str, live: &str) -> Loaded {
        let dir = PathBuf::from("/in-memory");
        let mut files = HashMap::new();
        files.insert(dir.join("compose.yaml"), compose_text.to_string());
        // The live file where Compose finds it, for the projects whose services load it.
        files.insert(dir.join(".env"), live.to_string());
        let options = compose::Options {
            cwd: dir,
            ..compose::Options::default()
        };
        Loaded {
            project: compose::load(&options, &Files(files)).expect("the project loads"),
            example: dotenv::parse_recovering(example),
            live: dotenv::parse_recovering(live),
            config: Config::default(),
            env: HashMap::new(),
            example_path: PathBuf::from(".env.example"),
            live_path: PathBuf::from(".env"),
        }
    }

    /// The compose model.
    #[allow(dead_code)] // Only tests/work_counts.rs lists the references.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The analysis input: the live file private (0600), outside git, judged at the epoch.
    pub fn input<'a>(&'a self, knowledge: &'a Knowledge) -> Input<'a> {
        Input {
            example: Some(EnvInput {
                path: &self.example_path,
                document: &self.example.0,
                errors: &self.example.1,
            }),
            example_path: &self.example_path,
            live: Some(EnvInput {
                path: &self.live_path,
                document: &self.live.0,
                errors: &self.live.1,
            }),
            live_path: &self.live_path,
            project: &self.project,
            env: &self.env,
            live_facts: FileFacts {
                mode: Some(0o600),
                git: None,
                leftovers: Vec::new(),
                rotation: envward::rotate::State::default(),
            },
            knowledge,
            config: &self.config,
            policy: Policy::default(),
            now: jiff::Timestamp::UNIX_EPOCH,
            other_env_files: &[],
            live_interpolates: true,
        }
    }
}
