//! Bad input through the real binary: each case gives exactly one stderr line
//! `error: FILE:LINE:COL: what is wrong` (position where one exists), exit code 2, nothing on
//! stdout, nothing written, and it finishes promptly.

#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write;
use std::time::Duration;

use common::{TestProject, run_bounded};

/// CPU time far above what any case needs (each takes milliseconds); only catches a runaway
/// path. CPU time, not wall time: a loaded CI box stretches the wall clock, not the work.
const PROMPT: Duration = Duration::from_secs(5);
/// Wall time after which a run counts as hung and is killed.
const HUNG: Duration = Duration::from_secs(120);

const COMPOSE: &str = "services:\n  app:\n    image: example/app:${TAG:-1}\n";

/// Runs `envward <args> refs` in `project`; checks exit 2, one stderr line starting with
/// `want` (exactly `want` when it ends with a newline), empty stdout, an unchanged directory
/// and prompt completion. Returns the stderr line.
fn fails(project: &TestProject, args: &[&str], want: &str) -> String {
    let before = project.snapshot();
    let mut cmd = project.cmd();
    cmd.args(args).arg("refs");
    let ran = run_bounded(&cmd, HUNG);
    assert!(!ran.killed, "hung: {args:?}");
    let (out, elapsed) = (ran.output, ran.cpu);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.ends_with('\n'));
    if want.ends_with('\n') {
        assert_eq!(stderr, want);
    } else {
        assert!(stderr.starts_with(want), "want {want:?}, got {stderr:?}");
    }
    assert!(elapsed < PROMPT, "took {elapsed:?} of CPU: {stderr}");
    assert_eq!(project.snapshot(), before, "nothing is written");
    eprintln!("{elapsed:>10.2?}  {}", stderr.trim_end());
    stderr
}

/// The stderr line names `file:line:col:` right after `error: `.
fn assert_positioned(stderr: &str, file: &str) {
    let rest = stderr
        .strip_prefix(&format!("error: {file}:"))
        .unwrap_or_else(|| panic!("{stderr}"));
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().unwrap();
    let col = parts.next().unwrap();
    assert!(
        line.parse::<usize>().is_ok() && col.parse::<usize>().is_ok(),
        "no line:col in {stderr:?}"
    );
    assert!(parts.next().unwrap().starts_with(' '), "{stderr}");
}

#[test]
fn invalid_yaml() {
    let cases = [
        ("services:\n  app:\n    image: [unclosed\n", "4:1"),
        ("services:\n  app:\n    image: x\n  b: : :\n", "4:6"),
        ("services:\n\tapp: x\n", "2:1"),
        ("services:\n  app: {image: x\n", "3:1"),
        ("services:\n  a: &a x\n  b: *missing\n", "3:6"),
    ];
    for (yaml, at) in cases {
        let p = TestProject::new().file("compose.yaml", yaml);
        let err = fails(
            &p,
            &[],
            &format!("error: compose.yaml:{at}: invalid YAML: "),
        );
        assert_positioned(&err, "compose.yaml");
    }
}

#[test]
fn compose_file_that_is_not_a_mapping() {
    for (yaml, shape) in [
        ("- services\n- app\n", "a list"),
        ("just text\n", "a scalar"),
        ("", "empty"),
        ("# only a comment\n", "empty"),
    ] {
        let p = TestProject::new().file("compose.yaml", yaml);
        fails(
            &p,
            &[],
            &format!(
                "error: compose.yaml:1:1: a compose file must be a mapping of sections (services, volumes …), but this is {shape}\n"
            ),
        );
    }
}

#[test]
fn unterminated_quote() {
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "A=1\nB=\"open\nC=3\n");
    fails(
        &p,
        &[],
        "error: .env:2:3: unterminated quoted value (no closing \")\n",
    );
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env.example", "A=1\n\nSECRET='never closed\n");
    fails(
        &p,
        &[],
        "error: .env.example:3:8: unterminated quoted value (no closing ')\n",
    );
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file("prod.env", "export X=\"a\\\"\n");
    fails(
        &p,
        &["--env-file", "prod.env"],
        "error: prod.env:1:10: unterminated quoted value (no closing \")\n",
    );
}

#[test]
fn malformed_interpolation() {
    const MALFORMED: &str = "malformed variable expression: `${` must be followed by a name and `}`, or a name, one of :- - :? ? :+ + and `}`\n";
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: \"x${A.B}\"\n",
    );
    fails(&p, &[], &format!("error: compose.yaml:3:14: {MALFORMED}"));
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    environment:\n      - URL=http://${HOST:=localhost}/\n",
    );
    fails(&p, &[], &format!("error: compose.yaml:5:20: {MALFORMED}"));
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "A=1\nB=${C\n");
    fails(&p, &[], &format!("error: .env:2:3: {MALFORMED}"));
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "A=1\nB=\"ok ${\"\n");
    fails(&p, &[], &format!("error: .env:2:3: {MALFORMED}"));
    // In an included file, the error names that file.
    let p = TestProject::new()
        .file("compose.yaml", "include:\n  - sub/part.yaml\n")
        .file("sub/part.yaml", "services:\n  p:\n    image: ${}\n");
    fails(&p, &[], &format!("error: sub/part.yaml:3:12: {MALFORMED}"));
}

#[test]
fn missing_required_variable_where_compose_evaluates() {
    // `include:` paths are interpolated while loading, so `:?` fails there as in Compose.
    let p = TestProject::new().file(
        "compose.yaml",
        "include:\n  - ${PARTS_DIR:?set PARTS_DIR}/x.yaml\n",
    );
    fails(
        &p,
        &[],
        "error: compose.yaml:2:5: required variable PARTS_DIR is missing a value: set PARTS_DIR\n",
    );
}

#[test]
fn invalid_utf8() {
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", b"A=1\nB=ab\xff\n");
    fails(&p, &[], "error: .env:2:5: invalid UTF-8\n");
    let p = TestProject::new().file("compose.yaml", b"services:\n  app:\n    image: x\xc3\x28\n");
    fails(&p, &[], "error: compose.yaml:3:13: invalid UTF-8\n");
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env.example", b"\xfeA=1\n");
    fails(&p, &[], "error: .env.example:1:1: invalid UTF-8\n");
}

#[test]
fn directory_where_a_file_is_expected() {
    let p = TestProject::new().dir("compose.yaml");
    fails(&p, &[], "error: compose.yaml: is a directory, not a file\n");
    let p = TestProject::new().dir("sub");
    fails(
        &p,
        &["-f", "sub"],
        "error: sub: is a directory, not a file\n",
    );
    let p = TestProject::new().file("compose.yaml", COMPOSE).dir("conf");
    fails(
        &p,
        &["--env-file", "conf"],
        "error: conf: is a directory, not a file\n",
    );
    fails(
        &p,
        &["--example", "conf"],
        "error: conf: is a directory, not a file\n",
    );
    let p = TestProject::new()
        .file("compose.yaml", "include:\n  - parts\n")
        .dir("parts");
    fails(&p, &[], "error: parts: is a directory, not a file\n");
}

#[test]
fn a_dot_env_directory_is_no_longer_taken_for_a_missing_file() {
    // Compose skips a `.env` that is a directory; envward says so instead of reporting every
    // variable as unset (issue #14). More odd files: tests/odd_inputs.rs.
    let p = TestProject::new().file("compose.yaml", COMPOSE).dir(".env");
    fails(&p, &["refs"], "error: .env: is a directory, not a file\n");
}

#[test]
fn missing_files() {
    let p = TestProject::new();
    fails(&p, &["-f", "nope.yaml"], "error: nope.yaml: no such file\n");
    fails(
        &p,
        &[],
        "error: .: no compose file found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml here and in parent directories); use -f FILE\n",
    );
    let p = TestProject::new().file("compose.yaml", COMPOSE);
    fails(
        &p,
        &["-f", "compose.yaml", "-f", "gone.yaml"],
        "error: gone.yaml: no such file\n",
    );
    fails(
        &p,
        &["--env-file", "none.env"],
        "error: none.env: no such file\n",
    );
    fails(
        &p,
        &["--example", "none.example"],
        "error: none.example: no such file\n",
    );
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  web:\n    extends:\n      service: base\n      file: lib/base.yaml\n",
    );
    fails(&p, &[], "error: lib/base.yaml: no such file\n");
}

#[test]
fn yaml_alias_bomb() {
    // Nine levels of nine aliases: 9^9 (387 million) nodes if expanded.
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..9u8 {
        let prev = char::from(b'a' + level - 1);
        let cur = char::from(b'a' + level);
        let refs = vec![format!("*{prev}"); 9].join(",");
        writeln!(yaml, "{cur}: &{cur} [{refs}]").unwrap();
    }
    yaml.push_str("services:\n  app:\n    image: x\n    labels: *i\n");
    let p = TestProject::new().file("compose.yaml", &yaml);
    let err = fails(&p, &[], "error: compose.yaml:");
    assert_positioned(&err, "compose.yaml");
    assert!(err.contains("invalid YAML: alias expansion"), "{err}");
}

/// A sparse file of `len` bytes: large on paper, cheap on disk.
fn sparse(project: &TestProject, name: &str, len: u64) {
    let f = std::fs::File::create(project.join(name)).unwrap();
    f.set_len(len).unwrap();
}

#[test]
fn fifty_megabyte_files_are_refused_at_once() {
    const FIFTY_MB: u64 = 50 * 1024 * 1024;
    const TOO_LARGE: &str =
        "file is too large (50.0 MiB); envward reads files of at most 4.0 MiB\n";
    let p = TestProject::new().file("compose.yaml", COMPOSE);
    sparse(&p, ".env", FIFTY_MB);
    fails(&p, &[], &format!("error: .env: {TOO_LARGE}"));

    let p = TestProject::new().file("compose.yaml", COMPOSE);
    sparse(&p, "big.env", FIFTY_MB);
    fails(
        &p,
        &["--env-file", "big.env"],
        &format!("error: big.env: {TOO_LARGE}"),
    );
    fails(
        &p,
        &["--example", "big.env"],
        &format!("error: big.env: {TOO_LARGE}"),
    );

    let p = TestProject::new();
    sparse(&p, "compose.yaml", FIFTY_MB);
    fails(&p, &[], &format!("error: compose.yaml: {TOO_LARGE}"));

    // One byte over the limit is refused too; the message says exactly how large.
    let p = TestProject::new().file("compose.yaml", COMPOSE);
    sparse(&p, ".env", envward::store::MAX_FILE_SIZE + 1);
    fails(
        &p,
        &[],
        "error: .env: file is too large (4.0 MiB); envward reads files of at most 4.0 MiB\n",
    );
}

#[test]
fn errors_never_repeat_secret_values() {
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "PASSWORD=\"hunter2-secret\nOTHER=${hunter2\n");
    let err = fails(&p, &[], "error: .env:1:10: ");
    assert!(!err.contains("hunter2"), "{err}");
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "PASSWORD=hunter2-${secret\n");
    let err = fails(&p, &[], "error: .env:1:");
    assert!(!err.contains("hunter2"), "{err}");
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    environment:\n      PASSWORD: \"hunter2${oops\"\n",
    );
    let err = fails(&p, &[], "error: compose.yaml:5:");
    assert!(!err.contains("hunter2"), "{err}");
}

/// Regression: each `${X:-…}` used to rescan the rest of its line and recurse once per
/// expression, so a long line of them took minutes and overflowed the stack.
#[test]
fn many_default_expressions_on_one_line_finish_promptly() {
    let line = "${B:-x}".repeat(200_000);
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", format!("A={line}\n"));
    let mut cmd = p.cmd();
    cmd.arg("refs");
    let ran = run_bounded(&cmd, HUNG);
    assert!(!ran.killed, "hung");
    assert!(ran.output.status.success(), "{ran:?}");
    assert!(ran.cpu < PROMPT, "took {:?} of CPU", ran.cpu);
}
