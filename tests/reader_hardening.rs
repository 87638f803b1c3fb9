//! The readers against hostile input, through the real binary (issue 14, items 1, 3, 5, 8):
//! no panic (exit 0, 1 or 2, never 101), no value in any output, prompt completion on tiny
//! inputs built to blow up, and `fill` never writing a file that does not read back.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use common::{TestProject, run_bounded};

/// Far above the release-build times (each under 0.3 s); catches exponential or quadratic
/// paths, which took 6 to 30 seconds.
/// CPU time, not wall time: a loaded CI box stretches the wall clock, not the work.
const PROMPT: Duration = Duration::from_secs(5);
/// Wall time after which a run counts as hung and is killed.
const HUNG: Duration = Duration::from_secs(120);

/// Runs envward with `args`; asserts it ended by itself with 0, 1 or 2, without a panic, and
/// that no output holds `secret`. Returns stdout.
fn runs_clean(p: &TestProject, args: &[&str], secret: &str) -> String {
    let mut cmd = p.cmd();
    cmd.args(args);
    let ran = run_bounded(&cmd, HUNG);
    assert!(!ran.killed, "{args:?} hung");
    let (out, elapsed) = (ran.output, ran.cpu);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{args:?}: {:?}\n{stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(
        !stdout.contains(secret) && !stderr.contains(secret),
        "{args:?} printed {secret}:\n{stdout}\n{stderr}"
    );
    assert!(elapsed < PROMPT, "{args:?} took {elapsed:?} of CPU");
    stdout
}

const EVERY_READER: &[&[&str]] = &[
    &["check"],
    &["check", "--format", "json"],
    &["check", "--format", "sarif"],
    &["check", "--format", "github"],
    &["refs"],
    &["refs", "--format", "json"],
    &["fill", "--dry-run"],
];

#[test]
fn multi_byte_whitespace_before_a_reference_does_not_panic() {
    // Slicing at byte offset + 1 after U+00A0 (and other multi-byte spaces) panicked with the
    // text around it, the secret, in the message (exit 101).
    for ws in ['\u{a0}', '\u{85}', '\u{2028}', '\u{3000}'] {
        let p = TestProject::new()
            .file(
                "compose.yaml",
                format!(
                    "services:\n  app:\n    image: x\n    command: \"--pass canaryCompose{ws}${{DB_HOST}}\"\n    environment:\n      URL: \"postgres://u:canaryUri{ws}${{DB_PASSWORD}}@db/x\"\n"
                ),
            )
            .file(
                ".env",
                format!("DB_HOST=db\nDB_PASSWORD=x\nURL=s://u:canaryEnv{ws}${{DB_PASSWORD}}@h\n"),
            );
        for args in EVERY_READER {
            runs_clean(&p, args, "canary");
        }
    }
}

#[test]
fn non_ascii_key_after_a_reference_does_not_panic() {
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    environment:\n      A: ${X}\n      ÜBERGRÖSSE: \"ñ ${Y}\"\n      日本: '${Z}'\n",
    );
    let refs = runs_clean(&p, &["refs", "--format", "json"], "canary");
    let value: serde_json::Value = serde_json::from_str(&refs).unwrap();
    let at: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}:{}", r["name"], r["line"], r["column"]))
        .collect();
    assert_eq!(at, ["\"X\" 5:10", "\"Y\" 6:22", "\"Z\" 7:12"]);
}

#[test]
fn tiny_inputs_built_to_blow_up_finish_promptly() {
    // 442 bytes of `.env` whose values double each line: 21 s and 361 MB before.
    let p = TestProject::new()
        .file("compose.yaml", "services:\n  app:\n    image: x\n")
        .file(".env", "A=${A:-x}${A:-y}\n".repeat(26));
    runs_clean(&p, &["check"], "canary");
    // A 20-file include diamond, each file including the next twice: 29 s and 1.5 GB.
    let mut p = TestProject::new();
    for i in 0..20 {
        let name = if i == 0 {
            "compose.yaml".to_string()
        } else {
            format!("f{i}.yaml")
        };
        let mut text = String::new();
        if i < 19 {
            let next = format!("f{}.yaml", i + 1);
            write!(text, "include:\n  - {next}\n  - path: {next}\n").unwrap();
        }
        write!(text, "services:\n  s{i}:\n    image: img{i}\n").unwrap();
        p = p.file(name, text);
    }
    let refs = runs_clean(&p, &["refs", "--format", "json"], "canary");
    assert_eq!(refs.trim(), "[]");
    // One 192 KB `.env` line of `$A${B}`: 16 s. One 128 KB compose line of `${A}`: 5.7 s.
    let p = TestProject::new()
        .file(
            "compose.yaml",
            format!(
                "services:\n  app:\n    image: x\n    command: \"{}\"\n",
                "${A}".repeat(32_768)
            ),
        )
        .file(".env", format!("X={}\n", "$A${B}".repeat(32_768)));
    runs_clean(&p, &["check", "--format", "json"], "canary");
    runs_clean(&p, &["refs"], "canary");
}

/// The `.env` envward wrote, read by envward's parser (strictly) and by `dotenvy`: both must
/// accept it and agree on every value.
fn reads_back(p: &TestProject) -> HashMap<String, String> {
    let text = p.read(".env");
    let ours = envward::dotenv::parse(&text)
        .unwrap_or_else(|e| panic!("envward refuses what it wrote: {e}\n{text}"))
        .to_map(&|_: &str| None)
        .unwrap();
    let theirs: HashMap<String, String> = dotenvy::from_read_iter(text.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("dotenvy refuses what envward wrote: {e}\n{text}"));
    assert_eq!(ours, theirs);
    ours
}

#[test]
fn fill_never_writes_a_file_that_does_not_read_back() {
    // Passthrough entries that are not variable names became variables `fill` wrote
    // (`DB_PASSWORD}=…`, `API SECRET=…`), which envward and Compose then refused.
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      - DB_PASSWORD}\n      - API SECRET\n      - GOOD_SECRET\n      - DB_PASSWORD=${DB_PASSWORD}\n",
        )
        .file(".env.example", "GOOD_SECRET=\nDB_PASSWORD=\n");
    runs_clean(&p, &["fill", "--yes"], "canary");
    let values = reads_back(&p);
    let mut keys: Vec<_> = values.keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["DB_PASSWORD", "GOOD_SECRET"]);
    let check = runs_clean(&p, &["check", "--format", "json"], "canary");
    assert!(
        !check.contains("API SECRET") && !check.contains("DB_PASSWORD}"),
        "{check}"
    );

    // A live file whose quoted value has text after it: `fill` keeps the line as it is (it
    // is the user's), and what it adds reads back.
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      - TOKEN_SECRET=${TOKEN_SECRET:?set it}\n",
        )
        .file(".env", "A=1\n");
    runs_clean(&p, &["fill", "--yes"], "canary");
    assert_eq!(reads_back(&p).len(), 2);
}

#[test]
fn fragments_of_values_never_become_keys_in_any_output() {
    // Text after a closing quote, or a `token:secret` there, was read as another variable
    // and its name (the secret) printed by every format.
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      - PW=${PW}\n      - TOKEN=${TOKEN}\n",
        )
        .file(
            ".env",
            "PW=\"canaryHead\" canarySecretTail\nTOKEN='x' token:canarySecretTwo\nOTHER=\"a\"canaryGlued\np@ss:canaryStray\nmy canary secret\n",
        );
    for args in EVERY_READER {
        let out = runs_clean(&p, args, "canary");
        if args[0] == "check" && args.len() == 1 {
            assert!(out.contains(".env:1:17"), "the error is located: {out}");
        }
    }
}
