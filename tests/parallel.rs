//! A large project is read and analysed on several threads (`src/parallel.rs`): what envward
//! reports must not depend on how many. The synthetic project of the benchmarks
//! (benches/support/synthetic.rs, 2,000 variables: past the point where work is shared) is
//! checked and listed on one thread and on three, and the outputs compared byte for byte.

#![allow(clippy::unwrap_used)] // Test code.

mod common;

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use common::TestProject;

/// stdout and exit code of `envward ARGS` in `project` with rayon's pool of `threads`.
fn run(project: &TestProject, threads: &str, args: &[&str]) -> (String, Option<i32>) {
    let out = project
        .cmd()
        .env("RAYON_NUM_THREADS", threads)
        .args(args)
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

fn same_on_one_thread_and_on_three(files: &synthetic::Project) {
    let project = TestProject::new()
        .file("compose.yaml", &files.compose)
        .file(".env.example", &files.example)
        .file(".env", &files.live);
    for args in [
        &["check", "--no-color"][..],
        &["check", "--format", "json"],
        &["refs"],
        &["refs", "--format", "json"],
    ] {
        let one = run(&project, "1", args);
        let three = run(&project, "3", args);
        assert!(
            one.0.len() > 10_000,
            "{args:?}: the project was reported on ({} bytes)",
            one.0.len()
        );
        assert_eq!(one.1, three.1, "{args:?}: exit codes differ");
        assert!(
            one.0 == three.0,
            "{args:?}: output differs between 1 and 3 threads"
        );
    }
    // The check found what the project holds: weak, placeholder and missing values.
    let (text, code) = run(&project, "3", &["check", "--format", "json"]);
    assert_eq!(code, Some(1), "errors fail the check");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let statuses: std::collections::BTreeSet<&str> = json["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["status"].as_str())
        .collect();
    for status in ["weak", "placeholder", "missing", "ok"] {
        assert!(
            statuses.contains(status),
            "no {status} variable: {statuses:?}"
        );
    }
}

#[test]
fn a_large_project_reports_the_same_on_any_number_of_threads() {
    same_on_one_thread_and_on_three(&synthetic::project(200));
}

#[test]
fn a_large_project_loading_its_env_file_whole_reports_the_same_on_any_number_of_threads() {
    same_on_one_thread_and_on_three(&synthetic::project_loading_env_file(200));
}
