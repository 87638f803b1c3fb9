//! Test fixtures for the analysis: a project built from strings, analysed in memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{FileFacts, Input, Inventory, Knowledge, Policy, PolicyLevel, RuleId, analyze};
use crate::compose::{self, ReadError, Source};
use crate::config::Config;
use crate::dotenv;

/// Files in memory.
pub(crate) struct MemSource(pub HashMap<PathBuf, String>);

impl Source for MemSource {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        self.0.get(path).cloned().ok_or(ReadError::NotFound)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
}

/// A project described by its file contents.
pub(crate) struct Fixture {
    example: Option<String>,
    live: Option<String>,
    compose: String,
    facts: FileFacts,
    policy: Policy,
    config: Config,
    now: jiff::Timestamp,
    others: Vec<super::OtherEnvFile>,
}

impl Fixture {
    pub(crate) fn new() -> Self {
        Fixture {
            example: None,
            live: None,
            compose: "services: {}\n".to_string(),
            facts: FileFacts {
                mode: Some(0o600),
                git: None,
                leftovers: Vec::new(),
                rotation: crate::rotate::State::default(),
            },
            policy: Policy::default(),
            config: Config::default(),
            now: jiff::Timestamp::UNIX_EPOCH,
            others: Vec::new(),
        }
    }

    /// Another env file a service reads (`env_file:`), with the values Compose decodes.
    pub(crate) fn other_env(mut self, path: &str, text: &str) -> Self {
        let (document, _) = dotenv::parse_recovering(text);
        let values = document
            .resolve_lenient(&|_: &str| None)
            .into_iter()
            .map(|b| (b.key, b.value))
            .collect();
        self.others.push(super::OtherEnvFile {
            path: PathBuf::from(path),
            values,
        });
        self
    }

    pub(crate) fn now(mut self, now: jiff::Timestamp) -> Self {
        self.now = now;
        self
    }

    pub(crate) fn example(mut self, text: &str) -> Self {
        self.example = Some(text.to_string());
        self
    }

    pub(crate) fn live(mut self, text: &str) -> Self {
        self.live = Some(text.to_string());
        self
    }

    pub(crate) fn compose(mut self, text: &str) -> Self {
        self.compose = text.to_string();
        self
    }

    pub(crate) fn facts(mut self, facts: FileFacts) -> Self {
        self.facts = facts;
        self
    }

    pub(crate) fn dev(mut self) -> Self {
        self.policy.level = PolicyLevel::Dev;
        self
    }

    pub(crate) fn config(mut self, text: &str) -> Self {
        self.config = crate::config::parse(text).expect("fixture config parses");
        self
    }

    pub(crate) fn run(self) -> Inventory {
        self.build().inventory
    }

    /// The analysis with what it was made from, for planners that need the documents.
    pub(crate) fn build(self) -> Built {
        let dir = PathBuf::from("/project");
        let mut files = HashMap::new();
        files.insert(dir.join("compose.yaml"), self.compose.clone());
        let options = compose::Options {
            cwd: dir.clone(),
            ..compose::Options::default()
        };
        // The live file is analysed on its own; compose sees it only for interpolation.
        let project = compose::load(&options, &MemSource(files)).expect("fixture compose loads");
        let parse = |t: &Option<String>| t.as_deref().map(dotenv::parse_recovering);
        let example = parse(&self.example);
        let live = parse(&self.live);
        let knowledge = Knowledge::builtin().expect("templates parse");
        let env = HashMap::new();
        let example_path = PathBuf::from(".env.example");
        let live_path = PathBuf::from(".env");
        let input = Input {
            example: example.as_ref().map(|(d, e)| super::EnvInput {
                path: &example_path,
                document: d,
                errors: e,
            }),
            example_path: &example_path,
            live: live.as_ref().map(|(d, e)| super::EnvInput {
                path: &live_path,
                document: d,
                errors: e,
            }),
            live_path: &live_path,
            project: &project,
            env: &env,
            live_facts: self.facts,
            knowledge: &knowledge,
            config: &self.config,
            policy: self.policy,
            now: self.now,
            other_env_files: &self.others,
            live_interpolates: true,
        };
        let inventory = analyze(&input);
        Built {
            inventory,
            live: live.map(|(d, _)| d),
            example: example.map(|(d, _)| d),
            project,
        }
    }
}

/// An analysed fixture and its inputs.
pub(crate) struct Built {
    pub(crate) inventory: Inventory,
    pub(crate) live: Option<dotenv::Document>,
    pub(crate) example: Option<dotenv::Document>,
    pub(crate) project: compose::Project,
}

/// The analysis of a project with this compose file, template and live file.
pub(crate) fn analysed(compose: &str, example: &str, live: &str) -> Inventory {
    Fixture::new()
        .compose(compose)
        .example(example)
        .live(live)
        .run()
}

/// The variables a rule reported, in order.
pub(crate) fn vars_of(inv: &Inventory, rule: RuleId) -> Vec<String> {
    inv.findings
        .iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.variable.clone())
        .collect()
}

/// The first finding of a rule; the test fails when the rule reported none.
pub(crate) fn first_of(inv: &Inventory, rule: RuleId) -> &crate::analysis::Finding {
    inv.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule:?} finding"))
}

/// The lines a rule reported, in order.
pub(crate) fn lines_of(inv: &Inventory, rule: RuleId) -> Vec<usize> {
    inv.findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.position.line)
        .collect()
}

/// How many findings a rule made.
pub(crate) fn count_of(inv: &Inventory, rule: RuleId) -> usize {
    inv.findings.iter().filter(|f| f.rule == rule).count()
}
