//! Compose files read as Docker Compose reads them (go-yaml, a libyaml port), through the real
//! binary: YAML that Compose accepts is read with exact positions, and files Compose refuses
//! (or that envward will not follow outside the project) fail with one located error, exit 2.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestProject;
use serde_json::Value;

/// `name service line:col` of every reference `envward refs --format json` lists.
fn refs(project: &TestProject) -> Vec<String> {
    let out = project
        .cmd()
        .args(["refs", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let value: Value = serde_json::from_slice(&out).unwrap();
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {}:{}",
                r["name"].as_str().unwrap(),
                r["service"].as_str().unwrap(),
                r["line"],
                r["column"]
            )
        })
        .collect()
}

/// Runs `envward refs`, expecting exit 2 and one stderr line; returns it.
fn refused(project: &TestProject) -> String {
    let before = project.snapshot();
    let out = project.cmd().arg("refs").output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(project.snapshot(), before);
    stderr
}

#[test]
fn flow_sequence_closed_at_the_parent_key_indentation() {
    // Refused before with "invalid YAML: invalid indentation"; Compose accepts it.
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  db:\n    image: postgres\n    healthcheck:\n      test: [\n        \"CMD\", \"pg_isready\",   # comment inside\n        \"-U\", \"${PGUSER}\"\n      ]\n",
    );
    assert_eq!(refs(&p), ["PGUSER db 7:16"]);
}

#[test]
fn multi_line_flow_mappings_with_comments_and_tabs() {
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    environment: {\n      A: \"${A}\",  # first\n\n      B:\t$B\n    }\n    command: [sh, -c,\t\"echo ${C}\"]\n",
    );
    assert_eq!(refs(&p), ["A app 5:11", "B app 7:10", "C app 9:29"]);
}

#[test]
fn block_scalar_at_the_end_of_a_file_without_a_final_line_break() {
    // libyaml-safer panicked here (exit 101).
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    command: |\n      run --token ${TOKEN}",
    );
    assert_eq!(refs(&p), ["TOKEN app 5:19"]);
}

#[test]
fn every_document_of_a_file_is_a_layer_as_in_compose() {
    // compose-go merges each `---` document into the model in order, like a later `-f` file.
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x:${TAG}\n---\nservices:\n  app:\n    environment:\n      - KEY=${KEY}\n",
    );
    assert_eq!(refs(&p), ["TAG app 3:14", "KEY app 8:13"]);
    let p = TestProject::new().file("compose.yaml", "services: {}\n---\n- not a mapping\n");
    assert_eq!(
        refused(&p),
        "error: compose.yaml:3:1: a compose file must be a mapping of sections (services, volumes …), but this is a list\n"
    );
}

#[test]
fn services_must_be_a_mapping_of_mappings() {
    let p = TestProject::new().file("compose.yaml", "services: hello\n");
    assert_eq!(
        refused(&p),
        "error: compose.yaml:1:11: services must be a mapping, but this is a scalar\n"
    );
    let p = TestProject::new().file("compose.yaml", "services:\n  web: nginx\n");
    assert_eq!(
        refused(&p),
        "error: compose.yaml:2:8: services.web must be a mapping, but this is a scalar\n"
    );
}

#[test]
fn duplicate_keys_are_refused_as_compose_does() {
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: a\n    image: b\n",
    );
    assert_eq!(
        refused(&p),
        "error: compose.yaml:4:5: invalid YAML: mapping key already defined at line 3\n"
    );
}

#[test]
fn include_outside_the_project_is_refused() {
    let p = TestProject::new().file("compose.yaml", "include:\n  - /etc/shadow\n");
    assert_eq!(
        refused(&p),
        "error: compose.yaml:2:5: include: /etc/shadow is outside the project directory .; envward reads only files inside it (give it with -f to read it anyway)\n"
    );
    let p = TestProject::new()
        .file("app/compose.yaml", "include:\n  - path: ../shared.yaml\n")
        .file("shared.yaml", "services: {}\n");
    let out = p
        .cmd()
        .args(["-f", "app/compose.yaml", "refs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: app/compose.yaml:2:11: include: shared.yaml is outside the project directory app; envward reads only files inside it (give it with -f to read it anyway)\n"
    );
    // Inside the project, `..` that stays inside is fine.
    let p = TestProject::new()
        .file("compose.yaml", "include:\n  - sub/../parts/db.yaml\n")
        .file("parts/db.yaml", "services:\n  db:\n    image: pg:${V}\n");
    assert_eq!(refs(&p), ["V db 3:15"]);
}

#[test]
fn extends_file_outside_the_project_is_refused() {
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  web:\n    extends:\n      service: base\n      file: /etc/base.yaml\n",
    );
    let err = refused(&p);
    assert!(
        err.starts_with("error: compose.yaml:5:13: extends: file /etc/base.yaml is outside"),
        "{err}"
    );
}

#[test]
fn a_yaml_parser_defect_is_one_located_error_not_a_panic() {
    // libyaml-safer 0.3 panics on a tag right before `,` in a flow collection (libyaml reads
    // it); the panic is caught and kept off the terminal.
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    command: [!reset, b]\n",
    );
    assert_eq!(
        refused(&p),
        "error: compose.yaml:4:15: invalid YAML: the YAML parser cannot read what follows here\n"
    );
}
