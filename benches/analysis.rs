//! `analyze()` on a synthetic project of 10,000 variables and 1,000 services (target: under
//! 50 ms), and on the example project.
//!
//! Run: `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used)] // Benchmark code.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use envward::analysis::{EnvInput, FileFacts, Input, Knowledge, Policy, analyze};
use envward::compose::{self, ReadError, Source};
use envward::config::Config;
use envward::dotenv;

struct Mem(HashMap<PathBuf, String>);

impl Source for Mem {
    fn read(&self, path: &Path) -> Result<String, ReadError> {
        self.0.get(path).cloned().ok_or(ReadError::NotFound)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
}

fn bench_project(c: &mut Criterion, label: &str, compose_text: &str, example: &str, live: &str) {
    let dir = PathBuf::from("/bench");
    let mut files = HashMap::new();
    files.insert(dir.join("compose.yaml"), compose_text.to_string());
    let options = compose::Options {
        cwd: dir,
        ..compose::Options::default()
    };
    let project = compose::load(&options, &Mem(files)).unwrap();
    let (example_doc, example_errors) = dotenv::parse_recovering(example);
    let (live_doc, live_errors) = dotenv::parse_recovering(live);
    let config = Config::default();
    let env = HashMap::new();
    let (example_path, live_path) = (PathBuf::from(".env.example"), PathBuf::from(".env"));
    // A fresh Knowledge per iteration (built outside the timing): its strength memo must
    // start cold, as it does in `envward check`.
    c.bench_function(label, |b| {
        b.iter_batched(
            || Knowledge::builtin().unwrap(),
            |knowledge| {
                let input = Input {
                    example: Some(EnvInput {
                        path: &example_path,
                        document: &example_doc,
                        errors: &example_errors,
                    }),
                    example_path: &example_path,
                    live: Some(EnvInput {
                        path: &live_path,
                        document: &live_doc,
                        errors: &live_errors,
                    }),
                    live_path: &live_path,
                    project: &project,
                    env: &env,
                    live_facts: FileFacts {
                        mode: Some(0o600),
                        git: None,
                        leftovers: Vec::new(),
                        rotation: envward::rotate::State::default(),
                    },
                    knowledge: &knowledge,
                    config: &config,
                    policy: Policy::default(),
                    now: jiff::Timestamp::UNIX_EPOCH,
                    other_env_files: &[],
                };
                black_box(analyze(black_box(&input)))
            },
            BatchSize::LargeInput,
        );
    });
}

fn analysis(c: &mut Criterion) {
    let project = synthetic::project(1_000);
    bench_project(
        c,
        "analyze 10k variables / 1k services",
        &project.compose,
        &project.example,
        &project.live,
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chat4all");
    let compose_text = std::fs::read_to_string(root.join("compose.yaml")).unwrap();
    let example = std::fs::read_to_string(root.join(".env.example")).unwrap();
    bench_project(
        c,
        "analyze chat4all example",
        &compose_text,
        &example,
        &example,
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = analysis
}
criterion_main!(benches);
