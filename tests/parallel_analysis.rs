//! A large project is judged on every core (src/analysis/parallel.rs); what `check` reports
//! must not depend on how many there are. The same 3,000-variable project (the synthetic
//! project of the benchmarks: strong, weak, placeholder and empty values, URLs carrying
//! passwords) is checked with the process free to use every core and pinned to one with
//! `taskset` (util-linux), which the analysis sees through `available_parallelism`.

#![allow(clippy::unwrap_used)] // Test code.

mod common;

#[allow(dead_code)] // Shared with the benchmarks; this test uses one of its projects.
#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use common::TestProject;

fn project() -> TestProject {
    let p = synthetic::project(300);
    TestProject::new()
        .file("compose.yaml", p.compose)
        .file(".env.example", p.example)
        .file(".env", p.live)
}

/// `envward check` with `args`, pinned to CPU 0 or not: (stdout, exit code).
fn check(project: &TestProject, args: &[&str], one_core: bool) -> (String, i32) {
    let bin = env!("CARGO_BIN_EXE_envward");
    let mut cmd = if one_core {
        let mut c = std::process::Command::new("taskset");
        c.args(["-c", "0", bin]);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd
        .env("NO_COLOR", "1")
        .arg("-C")
        .arg(project.path())
        .arg("check")
        .args(args)
        .output()
        .expect("taskset (util-linux) and envward run");
    assert!(
        out.stderr.is_empty(),
        "no error: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn a_large_project_gets_the_same_report_on_one_core_and_on_all() {
    let project = project();
    for args in [&["--format", "json"][..], &["--no-color"][..]] {
        let (all, all_code) = check(&project, args, false);
        let (one, one_code) = check(&project, args, true);
        assert_eq!(all_code, 1, "the synthetic project has errors");
        assert_eq!(all_code, one_code);
        assert!(
            all.contains("SVC299_PASSWORD"),
            "the last chunk's findings are reported"
        );
        assert!(all == one, "{args:?}: the reports differ");
    }
    let (json, _) = check(&project, &["--format", "json"], false);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    // One entry per variable, in the template's order: a chunk lost, doubled or put back
    // in the wrong place would show.
    let names: Vec<&str> = report["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..300)
        .flat_map(|s| {
            [
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
            ]
            .map(|suffix| format!("SVC{s}_{suffix}"))
        })
        .collect();
    assert_eq!(names, expected);
}
