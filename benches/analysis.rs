//! `analyze()` on a synthetic project of 10,000 variables and 1,000 services (target: under
//! 50 ms), and on the example project.
//!
//! Run: `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, clippy::format_push_string)] // Benchmark code.

use std::collections::HashMap;
use std::fmt::Write;
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

/// 1,000 services, each reading ten variables of different kinds: 10,000 variables.
fn synthetic(services: usize) -> (String, String, String) {
    let suffixes = [
        "PASSWORD",
        "USER",
        "HOST",
        "PORT",
        "API_TOKEN",
        "SIGNING_KEY",
        "DB",
        "VERIFY_TOKEN",
        "URL_BASE",
        "LOG_LEVEL",
    ];
    let mut compose = String::from("services:\n");
    let mut example = String::new();
    let mut live = String::new();
    for s in 0..services {
        let _ = writeln!(
            compose,
            "  svc{s}:\n    image: example/svc{s}:1\n    environment:"
        );
        let _ = writeln!(example, "\n# Service {s}");
        for (j, suffix) in suffixes.iter().enumerate() {
            let name = format!("SVC{s}_{suffix}");
            if j == 8 {
                let _ = writeln!(
                    compose,
                    "      DSN_{j}: postgres://u:${{SVC{s}_PASSWORD}}@db/${{{name}:-app}}"
                );
            } else {
                let _ = writeln!(compose, "      V{j}: ${{{name}}}");
            }
            let _ = writeln!(example, "{name}=change_me");
            // A mix of strong, weak, placeholder and empty values.
            let value = match (s + j) % 4 {
                0 => format!("k{s}Xq9{j}vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wR"),
                1 => "changeme".to_string(),
                2 => format!("short{j}"),
                _ => String::new(),
            };
            let _ = writeln!(live, "{name}={value}");
        }
    }
    (compose, example, live)
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
    let (compose_text, example, live) = synthetic(1_000);
    bench_project(
        c,
        "analyze 10k variables / 1k services",
        &compose_text,
        &example,
        &live,
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
