//! Fuzzing on stable Rust: the properties of `tests/fuzz_props` run on inputs from a seeded
//! generator, a fixed number of iterations per target in every `cargo test` (a few seconds),
//! and as a long campaign on demand:
//!
//! ```sh
//! ENVWARD_FUZZ_SECONDS=900 ENVWARD_FUZZ_TARGET=compose ENVWARD_FUZZ_SEED=7 \
//!   nice -n 10 cargo test --release --test fuzz -- --ignored --nocapture campaign
//! ```
//!
//! The generator mixes grammar-aware fragments (the tokens each reader cares about: quotes,
//! `${`, `:-`, `#`, `export`, YAML indicators, multi-byte spaces …) with random bytes and
//! mutations of real files (the corpus and the example project). The cargo-fuzz targets in
//! `fuzz/` run the same properties under libFuzzer for coverage-guided runs on nightly.

#![allow(clippy::unwrap_used)]

mod fuzz_props;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// `SplitMix64`: small, fast and good enough to drive a generator reproducibly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
}

const DOTENV: &[&str] = &[
    "A", "B", "KEY", "export ", "=", ":", " ", "\t", "\n", "\r\n", "#", " #", "'", "\"", "\\",
    "\\n", "\\\"", "$", "$$", "${", "}", "${A}", "${A:-", "${A-", "${A:?", "${A+", ":-", "{", "x",
    "\u{a0}", "\u{85}", "\u{2028}", "\u{3000}", "é", "\u{feff}", "\\0123", "[1]", ".", "-",
];

const TEMPLATE: &[&str] = &[
    "$",
    "$$",
    "${",
    "}",
    "{",
    "A",
    "B",
    "C",
    "_x",
    "1",
    ":",
    "-",
    "?",
    "+",
    ":-",
    ":?",
    ":+",
    "${A}",
    "${B:-${C}}",
    "://",
    "u:p@h",
    " ",
    "\n",
    "é",
    "\u{3000}",
    "ſ",
    "\u{212a}",
    "=",
];

const YAML: &[&str] = &[
    "services:",
    "\n",
    "  ",
    "    ",
    "\t",
    "app:",
    " image: ",
    "environment:",
    "- ",
    "KEY",
    "=",
    ": ",
    "${X}",
    "${X:-d}",
    "$$",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "<<: *a",
    "!reset ",
    "!!str",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "? ",
    "include:",
    "extends:",
    "volumes:",
    "command: ",
    "healthcheck:",
    "test: ",
    "env_file:",
    "x",
    "é",
    "\u{a0}",
    "%YAML 1.2\n",
    "path: part.yaml",
    "/etc/shadow",
    "../x",
    "depends_on:",
    "build:",
    "0x1F",
    "~",
    "null",
];

const FILL: &[&str] = &[
    "A", "B", "K", "#", "\u{1}", "\u{2}", "=", "'", "\"", "$", "${A}", "\\", "\n", "\r", " ", "#c",
    "x", "é", "\t", "export ", ":", "\u{7}", "[1]", "-",
];

/// Real files to mutate: the corpus and the example project (`.env*` and YAML files).
fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("tests/fixtures/corpus"), root.join("examples")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.len() < 64 * 1024
            {
                out.push(bytes);
            }
        }
    }
    out.sort();
    out
}

/// One input: built from the target's fragments, random bytes, or a mutated seed file.
fn input(rng: &mut Rng, fragments: &[&str], seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = match rng.below(4) {
        0 if !seeds.is_empty() => seeds[rng.below(seeds.len())].clone(),
        _ => Vec::new(),
    };
    let steps = 1 + rng.below(40);
    for _ in 0..steps {
        let at = rng.below(out.len() + 1);
        match rng.below(10) {
            0..=5 => {
                let f = fragments[rng.below(fragments.len())].as_bytes();
                out.splice(at..at, f.iter().copied());
            }
            6 => out.insert(at, u8::try_from(rng.below(256)).unwrap()),
            7 if !out.is_empty() => {
                let end = (at + rng.below(16)).min(out.len());
                out.drain(at.min(end)..end);
            }
            8 if !out.is_empty() => {
                // Repeat a slice: long lines and deep nesting.
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(8)).min(out.len());
                let piece = out[start..end].to_vec();
                for _ in 0..rng.below(64) {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            _ => {
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] = u8::try_from(rng.below(128)).unwrap();
                }
            }
        }
    }
    out
}

/// A target: its name, its fragments and its property.
type Target = (&'static str, &'static [&'static str], fn(&[u8]));

const TARGETS: &[Target] = &[
    ("dotenv", DOTENV, fuzz_props::dotenv),
    ("interpolation", TEMPLATE, fuzz_props::interpolation),
    ("compose", YAML, fuzz_props::compose),
    ("fill", FILL, fuzz_props::fill),
];

/// What a run found.
struct Outcome {
    executions: u64,
    failures: Vec<String>,
}

/// Runs `target` from `seed` until `iterations` inputs or `deadline`, whichever comes first.
fn run(target: &Target, seed: u64, iterations: u64, deadline: Option<Instant>) -> Outcome {
    let seeds = seeds();
    let mut rng = Rng(seed);
    let mut outcome = Outcome {
        executions: 0,
        failures: Vec::new(),
    };
    // Panics are caught and reported with their input; keep the default hook quiet.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    while outcome.executions < iterations && deadline.is_none_or(|d| Instant::now() < d) {
        let data = input(&mut rng, target.1, &seeds);
        outcome.executions += 1;
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| (target.2)(&data))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
                .unwrap_or_default();
            outcome.failures.push(format!(
                "{}: {message}\n  input: {:?}",
                target.0,
                String::from_utf8_lossy(&data)
            ));
            if outcome.failures.len() >= 5 {
                break;
            }
        }
    }
    std::panic::set_hook(hook);
    outcome
}

#[test]
fn short_fuzz_run_of_every_target() {
    let iterations = std::env::var("ENVWARD_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    let mut failures = Vec::new();
    for (i, target) in TARGETS.iter().enumerate() {
        let outcome = run(target, 0x5EED + i as u64, iterations, None);
        eprintln!("{}: {} executions", target.0, outcome.executions);
        failures.extend(outcome.failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "a long campaign: set ENVWARD_FUZZ_SECONDS (and ENVWARD_FUZZ_TARGET, ENVWARD_FUZZ_SEED)"]
fn campaign() {
    let seconds: u64 = std::env::var("ENVWARD_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("ENVWARD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let only = std::env::var("ENVWARD_FUZZ_TARGET").ok();
    let targets: Vec<&Target> = TARGETS
        .iter()
        .filter(|t| only.as_deref().is_none_or(|o| o == t.0))
        .collect();
    let per = Duration::from_secs(seconds) / u32::try_from(targets.len().max(1)).unwrap();
    let mut failures = Vec::new();
    for target in targets {
        let started = Instant::now();
        let outcome = run(target, seed, u64::MAX, Some(started + per));
        println!(
            "{}: {} executions in {:.0?}, {} failures (seed {seed})",
            target.0,
            outcome.executions,
            started.elapsed(),
            outcome.failures.len()
        );
        failures.extend(outcome.failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
