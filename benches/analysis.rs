//! `analyze()` on a synthetic project of 10,000 variables and 1,000 services (target: under
//! 50 ms), and on the example project.
//!
//! Run: `cargo bench --bench analysis -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used)] // Benchmark code.

#[path = "support/synthetic.rs"]
mod synthetic;

#[path = "support/in_memory.rs"]
mod in_memory;

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use envward::analysis::{Knowledge, analyze};

fn bench_project(c: &mut Criterion, label: &str, compose_text: &str, example: &str, live: &str) {
    let loaded = in_memory::Loaded::new(compose_text, example, live);
    // A fresh Knowledge per iteration (built outside the timing): its strength memo must
    // start cold, as it does in `envward check`.
    c.bench_function(label, |b| {
        b.iter_batched(
            || Knowledge::builtin().unwrap(),
            |knowledge| black_box(analyze(black_box(&loaded.input(&knowledge)))),
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
    let shared = synthetic::project_loading_env_file(1_000);
    bench_project(
        c,
        "analyze 10k variables / 1k services loading the whole .env",
        &shared.compose,
        &shared.example,
        &shared.live,
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
