//! Reading speed: `.env` parsing and compose reference extraction.
//!
//! - `dotenv/parse/10000` and `dotenv/parse_resolve/10000`: a synthetic `.env` of 10,000
//!   variables (target: parsed in under 10 ms);
//! - `dotenv_scaling/{parse,parse_resolve}/{1000,10000}`: the same generator at two sizes
//!   (target: 10× the input costs at most 12× the time);
//! - `compose/load/1000_services`: a synthetic project of 1,000 services using 10,000
//!   variables, with its `.env`, loaded through an in-memory source (parse, interpolation
//!   references with positions);
//! - `corpus/<project>`: the largest project of `tests/fixtures/corpus/`.
//!
//! Run: `cargo bench --bench reading -- --warm-up-time 1 --measurement-time 3`.

use std::collections::HashMap;
use std::fmt::Write;
use std::hint::black_box;
use std::path::{Path, PathBuf};

// Only its in-memory file source is used here; the rest serves the analysis bench.
#[allow(dead_code)]
#[path = "support/in_memory.rs"]
mod in_memory;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use envward::compose::{self, Options};
use envward::dotenv;

/// A `.env` of `n` variables in the shapes real files have: sections with comments, plain
/// values, quoted values with spaces, `export`, URIs interpolating earlier keys, and
/// inline comments.
fn env_text(n: usize) -> String {
    let mut out = String::with_capacity(n * 48);
    for i in 0..n {
        if i % 10 == 0 {
            let _ = writeln!(out, "\n# --- section {} ---", i / 10);
        }
        let _ = match i % 6 {
            0 => writeln!(out, "SERVICE_{i:05}_HOST=host-{i}.internal"),
            1 => writeln!(
                out,
                "SERVICE_{i:05}_PASSWORD='p@ss word {i} #not-a-comment'"
            ),
            2 => writeln!(
                out,
                "export SERVICE_{i:05}_TOKEN=\"tok\\n{i}\\t$${{literal}}\""
            ),
            3 => writeln!(
                out,
                "SERVICE_{i:05}_URL=postgres://user:${{SERVICE_{:05}_PASSWORD}}@db:5432/app",
                i - 2
            ),
            4 => writeln!(out, "SERVICE_{i:05}_PORT=80{} # default port", i % 10),
            _ => writeln!(out, "SERVICE_{i:05}_DEBUG=${{DEBUG:-false}}"),
        };
    }
    out
}

/// A compose file of `services` services, each using ten variables in the usual forms.
fn compose_text(services: usize) -> String {
    let mut out = String::with_capacity(services * 600);
    out.push_str("x-logging: &logging\n  driver: ${LOG_DRIVER:-local}\n\nservices:\n");
    for s in 0..services {
        let v = s * 10;
        let _ = write!(
            out,
            "  svc{s:04}:
    image: \"registry.example.com/app:${{SERVICE_{v:05}_TAG:-latest}}\"
    logging: *logging
    command: [\"sh\", \"-c\", \"exec app --port $${{PORT}} --id {s}\"]
    environment:
      HOST: ${{SERVICE_{:05}_HOST}}
      PASSWORD: ${{SERVICE_{:05}_PASSWORD:?set it}}
      DATABASE_URL: postgres://app:${{SERVICE_{:05}_PASSWORD}}@db:5432/svc{s}
      TOKEN: ${{SERVICE_{:05}_TOKEN}}
      PORT: ${{SERVICE_{:05}_PORT:-8080}}
      DEBUG: ${{SERVICE_{:05}_DEBUG-false}}
      LEVEL: ${{SERVICE_{:05}_LEVEL:-${{DEFAULT_LEVEL:-info}}}}
",
            v,
            v + 1,
            v + 1,
            v + 2,
            v + 4,
            v + 5,
            v + 6,
        );
        let _ = write!(
            out,
            "    env_file:\n      - path: ./svc{s}.env\n        required: false\n    labels:\n      - \"svc.ref=${{SERVICE_{:05}_LABEL}}\"\n\n",
            v + 9
        );
    }
    out
}

fn options(dir: &Path, files: Vec<PathBuf>, env_file: Option<PathBuf>) -> Options {
    Options {
        cwd: dir.to_path_buf(),
        files,
        env_file,
        os_env: HashMap::new(),
        tolerate_env_errors: false,
    }
}

fn dotenv_benches(c: &mut Criterion) {
    let text = env_text(10_000);
    let mut group = c.benchmark_group("dotenv");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse/10000", |b| {
        b.iter(|| dotenv::parse(black_box(&text)).map(|d| d.entries().count()));
    });
    group.bench_function("parse_resolve/10000", |b| {
        b.iter(|| {
            let doc = dotenv::parse(black_box(&text)).ok()?;
            doc.to_map(&|_: &str| None).ok().map(|m| m.len())
        });
    });
    group.finish();

    let mut group = c.benchmark_group("dotenv_scaling");
    for n in [1_000, 10_000] {
        let text = env_text(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("parse", n), &text, |b, text| {
            b.iter(|| dotenv::parse(black_box(text)).map(|d| d.entries().count()));
        });
        group.bench_with_input(BenchmarkId::new("parse_resolve", n), &text, |b, text| {
            b.iter(|| {
                let doc = dotenv::parse(black_box(text)).ok()?;
                doc.to_map(&|_: &str| None).ok().map(|m| m.len())
            });
        });
    }
    group.finish();
}

fn compose_benches(c: &mut Criterion) {
    let dir = PathBuf::from("/project");
    let source = in_memory::Files(HashMap::from([
        (dir.join("compose.yaml"), compose_text(1_000)),
        (dir.join(".env"), env_text(10_000)),
    ]));
    let opts = options(&dir, Vec::new(), None);
    let project = compose::load(&opts, &source).expect("the synthetic project loads");
    assert!(project.services.len() == 1_000 && project.references.len() > 10_000);
    let mut group = c.benchmark_group("compose");
    group.throughput(Throughput::Elements(project.references.len() as u64));
    group.bench_function("load/1000_services", |b| {
        b.iter(|| {
            compose::load(black_box(&opts), &source)
                .map(|p| p.references.len())
                .ok()
        });
    });
    group.finish();
}

/// The corpus project with the most compose text, with its env file (a committed `.env`, else
/// `.env.example`) given as `--env-file`.
fn corpus_benches(c: &mut Criterion) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let yaml = |p: &Path| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
    };
    let mut largest: Option<(u64, PathBuf)> = None;
    for dir in std::fs::read_dir(&corpus).expect("corpus").flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        let size: u64 = std::fs::read_dir(dir.path())
            .expect("project")
            .flatten()
            .filter(|f| yaml(&f.path()))
            .filter_map(|f| f.metadata().ok())
            .map(|m| m.len())
            .sum();
        if largest.as_ref().is_none_or(|(s, _)| size > *s) {
            largest = Some((size, dir.path()));
        }
    }
    let (_, dir) = largest.expect("a corpus project");
    let mut files = HashMap::new();
    let mut compose_files = Vec::new();
    for f in std::fs::read_dir(&dir).expect("project").flatten() {
        let path = f.path();
        if let Ok(text) = std::fs::read_to_string(&path) {
            if yaml(&path) {
                compose_files.push(path.clone());
            }
            files.insert(path, text);
        }
    }
    compose_files.sort();
    let env_file = [".env", ".env.example"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| files.contains_key(p));
    let source = in_memory::Files(files);
    let opts = options(&dir, compose_files, env_file);
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    compose::load(&opts, &source).expect("the corpus project loads");
    c.bench_function(&format!("corpus/{name}"), |b| {
        b.iter(|| {
            compose::load(black_box(&opts), &source)
                .map(|p| p.references.len())
                .ok()
        });
    });
}

criterion_group!(benches, dotenv_benches, compose_benches, corpus_benches);
criterion_main!(benches);
