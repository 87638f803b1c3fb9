//! Every read path is linear (or bounded) in its input: for each family of hostile inputs,
//! ten times the input costs at most twenty-five times the work.
//!
//! Work is the CPU time of the test's own thread (so other processes on the machine do not
//! count), the best of several runs, at sizes where a quadratic path would cost a hundred
//! times more. On a shared 2-core VM the same input's CPU time varied by 40% between runs,
//! and a bound of 15 failed a linear path about one run in five (15.2x); 25 leaves noise
//! room on both sides of a ratio of 10 and a quadratic path (100x) none.
//! The families are the reproductions of issue 14 (item 3) and their neighbours.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::time::Duration;

use envward::compose::{self, Options};
use envward::dotenv;

/// The most ten times the input may cost (see the module documentation).
const RATIO_BOUND: f64 = 25.0;

fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap(),
        u32::try_from(t.tv_nsec).unwrap(),
    )
}

/// The least CPU time of seven runs of `f`.
fn cost(f: &dyn Fn()) -> Duration {
    (0..7)
        .map(|_| {
            let start = thread_cpu();
            f();
            thread_cpu().saturating_sub(start)
        })
        .min()
        .unwrap()
}

/// Asserts that `make(10 n)` costs at most 15 times `make(n)` through `run`, raising `n` until
/// the small run is long enough to measure.
fn linear(name: &str, make: &dyn Fn(usize) -> String, run: &dyn Fn(&str)) {
    // One measurement at a time: the tests of this file run on parallel threads, and a
    // neighbour thrashing the shared caches inflated a linear path's ratio from 10x to 17x.
    static MEASURING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _alone = MEASURING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut n = 8;
    let small = loop {
        let input = make(n);
        let c = cost(&|| run(&input));
        if c >= Duration::from_millis(4) || n >= 1 << 20 {
            break c;
        }
        n *= 2;
    };
    let input = make(10 * n);
    let large = cost(&|| run(&input));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    eprintln!("{name}: n={n} {small:?} -> 10n {large:?} (x{ratio:.1})");
    assert!(
        ratio <= RATIO_BOUND,
        "{name}: 10x the input cost {ratio:.1}x ({small:?} -> {large:?})"
    );
}

fn env_resolve(text: &str) {
    let (doc, _) = dotenv::parse_recovering(text);
    let (bindings, _) = doc.resolve_collecting(&|_: &str| None);
    for e in doc.entries() {
        std::hint::black_box(e.references());
    }
    std::hint::black_box(bindings);
}

fn compose_load(files: &HashMap<PathBuf, String>) {
    let options = Options {
        cwd: PathBuf::from("/p"),
        files: vec![PathBuf::from("compose.yaml")],
        ..Options::default()
    };
    let _ = std::hint::black_box(compose::load(&options, files));
}

fn compose_text(text: &str) {
    let files = HashMap::from([(PathBuf::from("/p/compose.yaml"), text.to_string())]);
    compose_load(&files);
}

#[test]
fn env_long_line_of_references() {
    // One 192 KB line of `$A${B}` took 16 s.
    linear(
        "env line of $A${B}",
        &|n| format!("X={}\n", "$A${B}".repeat(n)),
        &env_resolve,
    );
    linear(
        "env URL line",
        &|n| format!("X=s://u:p@h/{}\n", "${P}?".repeat(n)),
        &env_resolve,
    );
}

#[test]
fn env_values_that_double_stay_bounded() {
    // 26 lines of `A=${A:-x}${A:-y}` took 21 s and 361 MB.
    linear(
        "env doubling lines",
        &|n| "A=${A:-x}${A:-y}\n".repeat(n),
        &env_resolve,
    );
}

#[test]
fn env_many_lines_and_junk() {
    linear(
        "env many lines",
        &|n| {
            let mut s = String::new();
            for i in 0..n {
                let _ = writeln!(s, "K{i}=\"v{i} ${{K{}}}\" # c\nbad line {i}", i / 2);
            }
            s
        },
        &env_resolve,
    );
    linear(
        "env unclosed braces",
        &|n| format!("X={}\n", "${A:-{".repeat(n)),
        &env_resolve,
    );
}

#[test]
fn compose_long_line_of_references() {
    // One 128 KB compose line of `${A}` took 5.7 s.
    linear(
        "compose line of ${A}",
        &|n| format!("services:\n  a:\n    command: \"{}\"\n", "${A}".repeat(n)),
        &compose_text,
    );
    linear(
        "compose line with multi-byte characters",
        &|n| {
            format!(
                "services:\n  a:\n    command: \"{}\"\n",
                "é\u{3000}${A}".repeat(n)
            )
        },
        &compose_text,
    );
}

#[test]
fn compose_many_services_and_entries() {
    linear(
        "compose services",
        &|n| {
            let mut s = String::from("x-c: &c\n  A: ${A}\nservices:\n");
            for i in 0..n {
                let _ = writeln!(
                    s,
                    "  s{i}:\n    image: i\n    environment:\n      <<: *c\n      K{i}: ${{V{i}}}\n    volumes: [d{i}:/d]"
                );
            }
            s
        },
        &compose_text,
    );
    linear(
        "compose environment entries",
        &|n| {
            let mut s = String::from("services:\n  a:\n    environment:\n");
            for i in 0..n {
                let _ = writeln!(s, "      - K{i}=${{V{i}}}");
            }
            s
        },
        &compose_text,
    );
    linear(
        "compose flow sequence",
        &|n| format!("x: [{}]\n", "a, ".repeat(n)),
        &compose_text,
    );
}

#[test]
fn include_diamond_loads_each_file_once() {
    // 20 files, each including the next twice, took 29 s and 1.5 GB.
    let diamond = |n: usize| {
        let mut files = HashMap::new();
        for i in 0..n {
            let name = if i == 0 {
                "compose.yaml".to_string()
            } else {
                format!("f{i}.yaml")
            };
            let mut text = String::new();
            if i + 1 < n {
                let next = format!("f{}.yaml", i + 1);
                let _ = write!(text, "include:\n  - {next}\n  - path: {next}\n");
            }
            let _ = write!(text, "services:\n  s{i}:\n    image: ${{I{i}}}\n");
            files.insert(PathBuf::from(format!("/p/{name}")), text);
        }
        files
    };
    // The 20-file chain itself is a test in `tests/reader_hardening.rs`; here the diamond is
    // wide: the top file includes n files that each include one shared file twice.
    let wide = |n: usize| {
        let mut files = HashMap::new();
        let mut top = String::from("include:\n");
        for i in 0..n {
            let _ = writeln!(top, "  - f{i}.yaml");
            files.insert(
                PathBuf::from(format!("/p/f{i}.yaml")),
                format!(
                    "include:\n  - shared.yaml\n  - path: shared.yaml\nservices:\n  s{i}:\n    image: ${{I{i}}}\n"
                ),
            );
        }
        files.insert(PathBuf::from("/p/compose.yaml"), top);
        files.insert(
            PathBuf::from("/p/shared.yaml"),
            "services:\n  shared:\n    image: ${S}\n".to_string(),
        );
        files
    };
    let files_small = wide(6);
    let files_large = wide(60);
    let small = cost(&|| (0..20).for_each(|_| compose_load(&files_small)));
    let large = cost(&|| (0..20).for_each(|_| compose_load(&files_large)));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    eprintln!("include diamond: 6 files {small:?} -> 60 files {large:?} (x{ratio:.1})");
    assert!(ratio <= RATIO_BOUND, "x{ratio:.1}");
    assert!(large < Duration::from_secs(2), "{large:?}");
    // A deeper chain is refused, not followed until the stack overflows.
    let options = Options {
        cwd: PathBuf::from("/p"),
        files: vec![PathBuf::from("compose.yaml")],
        ..Options::default()
    };
    let err = compose::load(&options, &diamond(100)).unwrap_err();
    assert!(err.to_string().contains("nested more than"), "{err}");
}
