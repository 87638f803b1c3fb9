//! `envward refs` on hand-written projects: exactly the references Compose would resolve,
//! with their service, file, line, column, form and flags, across every way Compose finds and
//! combines files (`-f`, `COMPOSE_FILE`, `--env-file`, override files, `include:`, `extends:`,
//! `env_file:`, anchors and merge keys).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::TestProject;
use envward::cli::source::FsSource;
use envward::compose::{self, EnvFileRef, Options};
use serde_json::{Value, json};

/// Runs `envward refs --format json` with `args` and returns the parsed array.
fn refs(project: &TestProject, args: &[&str], env: &[(&str, &str)]) -> Vec<Value> {
    let mut cmd = project.cmd();
    cmd.args(args).args(["refs", "--format", "json"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    let value: Value = serde_json::from_slice(&out).unwrap();
    value.as_array().unwrap().clone()
}

/// `name service file:line:col` for each reference, for tests that check placement only.
fn brief(refs: &[Value]) -> Vec<String> {
    refs.iter()
        .map(|r| {
            format!(
                "{} {} {}:{}:{}",
                r["name"].as_str().unwrap(),
                r["service"].as_str().unwrap(),
                r["file"].as_str().unwrap(),
                r["line"],
                r["column"]
            )
        })
        .collect()
}

/// Runs `envward refs` expecting failure; returns stderr.
fn refs_error(project: &TestProject, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = project.cmd();
    cmd.args(args).arg("refs");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.assert().code(2).get_output().clone();
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

const MUST_SHOW_COMPOSE: &str = r#"name: shop

x-db-env: &db-env
  POSTGRES_USER: ${POSTGRES_USER:-shop}
  POSTGRES_DB: shop

services:
  db:
    image: postgres:16
    environment:
      <<: *db-env
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
  app:
    image: "example/shop:${APP_TAG-latest}"
    # Not a reference: ${COMMENTED_OUT}
    command: ["sh", "-c", "echo $$HOME $${NOT_A_VAR} > /tmp/out"]
    environment:
      - DATABASE_URL=postgres://${POSTGRES_USER:-shop}:${POSTGRES_PASSWORD}@db:5432/shop
      - REDIS_URL=redis://:${REDIS_PASSWORD-}@cache:6379/0
      - LOG_LEVEL=${LOG_LEVEL:-${DEFAULT_LOG_LEVEL:-info}}
      - SMTP_PASSWORD
      - SENTRY_DSN=${SENTRY_DSN?}
      - PRICE=$$5
"#;

const MUST_SHOW_OVERRIDE: &str = r#"services:
  app:
    environment:
      - DEBUG=${DEBUG:-false}
    labels:
      shop.secret: "$${NOT_EITHER}"
  cache:
    image: redis:7
    command: redis-server --requirepass $REDIS_PASSWORD
"#;

fn must_show_project() -> TestProject {
    TestProject::new()
        .file("compose.yaml", MUST_SHOW_COMPOSE)
        .file("compose.override.yaml", MUST_SHOW_OVERRIDE)
        .file(".env", "POSTGRES_PASSWORD=s3cret\nREDIS_PASSWORD=\n")
}

#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
fn entry(
    name: &str,
    service: &str,
    file: &str,
    line: usize,
    column: usize,
    required: bool,
    default: Option<&str>,
    in_uri: bool,
) -> Value {
    json!({
        "name": name, "service": service, "file": file, "line": line, "column": column,
        "required": required, "default": default, "in_uri": in_uri,
    })
}

#[test]
fn must_show_project_lists_exactly_what_compose_resolves() {
    let project = must_show_project();
    let before = project.snapshot();
    let got = refs(&project, &[], &[]);
    let c = "compose.yaml";
    let o = "compose.override.yaml";
    let want = vec![
        // The anchor's own text is interpolated where it is written (an x- section) …
        entry(
            "POSTGRES_USER",
            "x-db-env",
            c,
            4,
            18,
            false,
            Some("shop"),
            false,
        ),
        entry("POSTGRES_PASSWORD", "db", c, 12, 26, true, None, false),
        // … and again in every service that merges it, pointing at the same text.
        entry("POSTGRES_USER", "db", c, 4, 18, false, Some("shop"), false),
        entry("APP_TAG", "app", c, 14, 26, false, Some("latest"), false),
        entry("POSTGRES_USER", "app", c, 18, 33, false, Some("shop"), true),
        entry("POSTGRES_PASSWORD", "app", c, 18, 56, true, None, true),
        entry("REDIS_PASSWORD", "app", c, 19, 28, false, Some(""), true),
        entry(
            "LOG_LEVEL",
            "app",
            c,
            20,
            19,
            false,
            Some("${DEFAULT_LOG_LEVEL:-info}"),
            false,
        ),
        entry(
            "DEFAULT_LOG_LEVEL",
            "app",
            c,
            20,
            32,
            false,
            Some("info"),
            false,
        ),
        entry("SMTP_PASSWORD", "app", c, 21, 9, true, None, false),
        entry("SENTRY_DSN", "app", c, 22, 20, true, None, false),
        entry("DEBUG", "app", o, 4, 15, false, Some("false"), false),
        entry("REDIS_PASSWORD", "cache", o, 9, 41, true, None, false),
    ];
    assert_eq!(got, want, "{}", serde_json::to_string_pretty(&got).unwrap());
    assert_eq!(project.snapshot(), before, "refs writes nothing");
}

#[test]
fn escaped_dollars_and_comments_yield_nothing() {
    let project = must_show_project();
    let names: Vec<String> = refs(&project, &[], &[])
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    for escaped in ["HOME", "NOT_A_VAR", "NOT_EITHER", "COMMENTED_OUT", "5"] {
        assert!(
            !names.iter().any(|n| n == escaped),
            "{escaped} in {names:?}"
        );
    }
    // Only `$$` text: no references at all.
    let project = TestProject::new().file(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    command: echo $$A $${B} $${C:-d} '$$$$'\n",
    );
    assert!(refs(&project, &[], &[]).is_empty());
    project
        .cmd()
        .arg("refs")
        .assert()
        .success()
        .stdout("no references\n");
}

#[test]
fn selected_variables_and_text_output() {
    let project = must_show_project();
    let got = refs(&project, &[], &[]);
    let only = {
        let mut cmd = project.cmd();
        cmd.args(["refs", "--format", "json", "REDIS_PASSWORD"]);
        let out = cmd.assert().success().get_output().stdout.clone();
        serde_json::from_slice::<Vec<Value>>(&out).unwrap()
    };
    let want: Vec<Value> = got
        .into_iter()
        .filter(|r| r["name"] == "REDIS_PASSWORD")
        .collect();
    assert_eq!(only, want);
    let out = project
        .cmd()
        .args(["refs", "SENTRY_DSN"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        text,
        "SENTRY_DSN  (1 use, required)\n  app  compose.yaml:22:20  ?, required\n"
    );
}

#[test]
fn repeated_f_loads_those_files_only_relative_to_the_cwd() {
    let project = TestProject::new()
        .file(
            "base/compose.yaml",
            "include:\n  - ${INC_DIR:?INC_DIR comes from base/.env}/inc.yaml\nservices:\n  web:\n    image: ${WEB_IMAGE}\n",
        )
        // Not loaded: -f turns discovery (and its override twin) off.
        .file(
            "base/compose.override.yaml",
            "services:\n  web:\n    image: ${OVERRIDE_ONLY}\n",
        )
        // The working directory is the first -f file's directory: its .env is read.
        .file("base/.env", "INC_DIR=parts\n")
        .file(
            "base/parts/inc.yaml",
            "services:\n  inc:\n    image: ${INC_IMAGE:-busybox}\n",
        )
        .file(
            "ops/extra.yaml",
            "services:\n  web:\n    environment:\n      TOKEN: ${OPS_TOKEN}\n",
        );
    let got = refs(
        &project,
        &["-f", "base/compose.yaml", "-f", "ops/extra.yaml"],
        &[],
    );
    assert_eq!(
        brief(&got),
        [
            "INC_DIR include base/compose.yaml:2:5",
            "WEB_IMAGE web base/compose.yaml:5:12",
            "INC_IMAGE inc base/parts/inc.yaml:3:12",
            "OPS_TOKEN web ops/extra.yaml:4:14",
        ]
    );
    assert_eq!(got[0]["required"], true);
    // The OS environment wins over the env file.
    let err = refs_error(
        &project,
        &["-f", "base/compose.yaml"],
        &[("INC_DIR", "elsewhere")],
    );
    assert!(
        err.starts_with("error: base/elsewhere/inc.yaml: no such file"),
        "{err}"
    );
}

#[test]
fn compose_file_variable_with_a_path_separator() {
    let project = TestProject::new()
        .file("one.yaml", "services:\n  a:\n    image: ${ONE}\n")
        .file(
            "sub/two.yaml",
            "services:\n  a:\n    environment:\n      - TWO=${TWO}\n",
        )
        // Discovery would pick these; COMPOSE_FILE replaces discovery.
        .file(
            "compose.yaml",
            "services:\n  z:\n    image: ${DISCOVERED}\n",
        )
        .file(
            "compose.override.yml",
            "services:\n  z:\n    image: ${DISCOVERED_OVERRIDE}\n",
        );
    let env = [
        ("COMPOSE_FILE", "one.yaml;sub/two.yaml"),
        ("COMPOSE_PATH_SEPARATOR", ";"),
    ];
    assert_eq!(
        brief(&refs(&project, &[], &env)),
        ["ONE a one.yaml:3:12", "TWO a sub/two.yaml:4:13"]
    );
    // The default separator is `:`, and COMPOSE_FILE may come from the .env file.
    project.write(".env", "COMPOSE_FILE=sub/two.yaml:one.yaml\n");
    assert_eq!(
        brief(&refs(&project, &[], &[])),
        ["TWO a sub/two.yaml:4:13", "ONE a one.yaml:3:12"]
    );
    // -f wins over COMPOSE_FILE.
    assert_eq!(
        brief(&refs(&project, &["-f", "one.yaml"], &env)),
        ["ONE a one.yaml:3:12"]
    );
    // Without COMPOSE_FILE: discovery, main file then override.
    project.write(".env", "");
    assert_eq!(
        brief(&refs(&project, &[], &[])),
        [
            "DISCOVERED z compose.yaml:3:12",
            "DISCOVERED_OVERRIDE z compose.override.yml:3:12",
        ]
    );
}

#[test]
fn env_file_flag_replaces_dot_env() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "include:\n  - ${PART:?}.yaml\nservices:\n  a:\n    image: x\n",
        )
        .file("prod.yaml", "services:\n  p:\n    image: ${PROD_IMAGE}\n")
        // Invalid: never read when --env-file is given.
        .file(".env", "NOT VALID=1\n")
        .file("config/prod.env", "PART=prod\n");
    assert_eq!(
        brief(&refs(&project, &["--env-file", "config/prod.env"], &[])),
        [
            "PART include compose.yaml:2:5",
            "PROD_IMAGE p prod.yaml:3:12"
        ]
    );
    let err = refs_error(&project, &[], &[]);
    assert_eq!(
        err,
        "error: .env:1:1: variable name cannot contain a space\n"
    );
    // A missing --env-file is an error, as in Compose.
    let err = refs_error(&project, &["--env-file", "config/none.env"], &[]);
    assert_eq!(err, "error: config/none.env: no such file\n");
}

#[test]
fn include_forms_and_included_paths() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "\
include:
  - short/compose.yaml
  - path: long/compose.yaml
  - path:
      - list/a.yaml
      - list/b.yaml
services:
  main:
    image: ${MAIN_IMAGE}
",
        )
        .file(
            "short/compose.yaml",
            "services:\n  s:\n    image: ${SHORT}\n",
        )
        .file(
            "long/compose.yaml",
            "include:\n  - ../nested/deep.yaml\nservices:\n  l:\n    image: ${LONG}\n",
        )
        .file("nested/deep.yaml", "services:\n  d:\n    image: ${DEEP}\n")
        .file("list/a.yaml", "services:\n  la:\n    image: ${LIST_A}\n")
        .file("list/b.yaml", "services:\n  lb:\n    image: ${LIST_B}\n");
    assert_eq!(
        brief(&refs(&project, &[], &[])),
        [
            "MAIN_IMAGE main compose.yaml:9:12",
            "SHORT s short/compose.yaml:3:12",
            "LONG l long/compose.yaml:5:12",
            "DEEP d nested/deep.yaml:3:12",
            "LIST_A la list/a.yaml:3:12",
            "LIST_B lb list/b.yaml:3:12",
        ]
    );
    // A cycle is an error, not a hang.
    project.write("nested/deep.yaml", "include:\n  - ../long/compose.yaml\n");
    let err = refs_error(&project, &[], &[]);
    assert!(err.contains("cycle"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn extends_in_the_same_file_and_another_file() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "\
services:
  base:
    image: app:${BASE_TAG:-1}
    environment:
      SHARED: ${SHARED_SECRET}
  web:
    extends: base
    environment:
      - PORT=${WEB_PORT:-80}
  worker:
    extends:
      service: common
      file: lib/common.yaml
",
        )
        .file(
            "lib/common.yaml",
            "\
services:
  root:
    environment:
      ROOT_KEY: ${ROOT_KEY}
  common:
    extends: root
    image: worker:${WORKER_TAG?}
",
        );
    assert_eq!(
        brief(&refs(&project, &[], &[])),
        [
            "BASE_TAG base compose.yaml:3:16",
            "SHARED_SECRET base compose.yaml:5:15",
            "WEB_PORT web compose.yaml:9:14",
            // The base's references, attributed to the service that extends it.
            "BASE_TAG web compose.yaml:3:16",
            "SHARED_SECRET web compose.yaml:5:15",
            "WORKER_TAG worker lib/common.yaml:7:19",
            "ROOT_KEY worker lib/common.yaml:4:17",
        ]
    );
    // Unknown base service: one located error.
    project.write("compose.yaml", "services:\n  web:\n    extends: nowhere\n");
    let err = refs_error(&project, &[], &[]);
    assert_eq!(
        err,
        "error: compose.yaml:3:14: extends: no service named \"nowhere\"\n"
    );
    // Extending itself is a cycle.
    project.write("compose.yaml", "services:\n  web:\n    extends: web\n");
    let err = refs_error(&project, &[], &[]);
    assert!(err.contains("extends cycle"), "{err}");
}

fn load(dir: &Path, files: &[&str], os_env: &[(&str, &str)]) -> compose::Project {
    let options = Options {
        cwd: dir.to_path_buf(),
        files: files.iter().map(PathBuf::from).collect(),
        env_file: None,
        os_env: os_env
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect::<HashMap<_, _>>(),
        tolerate_env_errors: false,
    };
    compose::load(&options, &FsSource).unwrap()
}

#[test]
fn env_file_forms() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "\
include:
  - inc/compose.yaml
  - path: inc2/compose.yaml
    project_directory: shared
services:
  one:
    image: x
    env_file: one.env
  list:
    image: x
    env_file:
      - a.env
      - ${ENV_DIR:-conf}/b.env
  long:
    image: x
    env_file:
      - path: maybe.env
        required: false
      - path: raw.env
        format: raw
  ext:
    extends:
      service: base
      file: lib/base.yaml
",
        )
        .file(
            "inc/compose.yaml",
            "services:\n  inc:\n    image: x\n    env_file: inc.env\n",
        )
        .file(
            "inc2/compose.yaml",
            "services:\n  inc2:\n    image: x\n    env_file: two.env\n",
        )
        .file(
            "lib/base.yaml",
            "services:\n  base:\n    image: x\n    env_file: base.env\n",
        );
    let dir = project.path();
    let p = load(dir, &[], &[]);
    let files = |name: &str| -> Vec<EnvFileRef> {
        p.services
            .iter()
            .find(|s| s.name == name)
            .unwrap()
            .env_files
            .clone()
    };
    let req = |path: PathBuf| EnvFileRef {
        path,
        required: true,
        raw: false,
    };
    assert_eq!(files("one"), [req(dir.join("one.env"))]);
    assert_eq!(
        files("list"),
        [req(dir.join("a.env")), req(dir.join("conf/b.env"))]
    );
    assert_eq!(
        files("long"),
        [
            EnvFileRef {
                path: dir.join("maybe.env"),
                required: false,
                raw: false
            },
            EnvFileRef {
                path: dir.join("raw.env"),
                required: true,
                raw: true
            },
        ]
    );
    // Inside an included project, relative to that project's directory; in an extended file,
    // relative to that file's directory (COMPOSE-SEMANTICS.md §6).
    assert_eq!(files("inc"), [req(dir.join("inc/inc.env"))]);
    assert_eq!(files("inc2"), [req(dir.join("shared/two.env"))]);
    assert_eq!(files("ext"), [req(dir.join("lib/base.env"))]);
    // The interpolated path is a reference too, and uses the project environment.
    let refs = refs(&project, &[], &[]);
    assert_eq!(brief(&refs), ["ENV_DIR list compose.yaml:13:9"]);
    assert_eq!(refs[0]["default"], "conf");
    let p = load(dir, &[], &[("ENV_DIR", "/etc/app")]);
    let list = &p
        .services
        .iter()
        .find(|s| s.name == "list")
        .unwrap()
        .env_files;
    assert_eq!(list[1].path, Path::new("/etc/app/b.env"));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let project = TestProject::new().file(
        "compose.yaml",
        "\
x-env: &env
  DB_HOST: db
  DB_PASSWORD: ${DB_PASSWORD}
x-more: &more
  CACHE_URL: redis://:${CACHE_PASSWORD}@cache
  DB_PASSWORD: ${NEVER_USED_BY_A}
x-list: &list
  - LIST_VAR=${LIST_VAR:-x}
services:
  a:
    image: x
    environment:
      <<: [*env, *more]
      DB_HOST: ${A_DB_HOST}
  b:
    image: x
    environment: *list
",
    );
    let got = refs(&project, &[], &[]);
    assert_eq!(
        brief(&got),
        [
            "DB_PASSWORD x-env compose.yaml:3:16",
            "CACHE_PASSWORD x-more compose.yaml:5:23",
            "NEVER_USED_BY_A x-more compose.yaml:6:16",
            "LIST_VAR x-list compose.yaml:8:14",
            // Explicit keys win over merged ones; among merged maps the first wins, so a's
            // DB_PASSWORD is *env's, and NEVER_USED_BY_A is not a's.
            "A_DB_HOST a compose.yaml:14:16",
            "DB_PASSWORD a compose.yaml:3:16",
            "CACHE_PASSWORD a compose.yaml:5:23",
            "LIST_VAR b compose.yaml:8:14",
        ]
    );
    let cache = got
        .iter()
        .find(|r| r["name"] == "CACHE_PASSWORD" && r["service"] == "a")
        .unwrap();
    assert_eq!(cache["in_uri"], true);
}

#[test]
fn text_output_names_what_must_follow_each_variable() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  api:\n    image: example/api\n    environment:\n      DB_HOST: db\n      DB_PASSWORD: ${DB_PASSWORD}\n      DATABASE_URL: ${DATABASE_URL}\n",
        )
        .file(
            ".env",
            "POSTGRES_PASSWORD=s3cret-canary-value\nDB_PASSWORD=other-canary-value\nDATABASE_URL=postgres://app:s3cret-canary-value@db:5432/app\n",
        );
    let out = p
        .cmd()
        .args(["refs", "POSTGRES_PASSWORD"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("same value as DB_PASSWORD"), "{text}");
    assert!(text.contains("carried inside DATABASE_URL"), "{text}");
    assert!(!text.contains("canary"), "{text}");
}

/// A top-level secret or config can take its content from a project variable
/// (`secrets: NAME: environment: VAR`, as docker-zulip does for every password): that is a
/// use of VAR, found like a passthrough; a service's own `environment:` key of that name is not.
#[test]
fn secrets_and_configs_from_the_environment_are_uses() {
    let project = TestProject::new().file(
        "compose.yaml",
        "services:\n  zulip:\n    image: zulip/docker-zulip\n    secrets: [zulip__postgres_password]\n\
         secrets:\n  zulip__postgres_password:\n    environment: ZULIP__POSTGRES_PASSWORD\n  \
         from_file:\n    file: ./secret.txt\n\
         configs:\n  app_config:\n    environment: APP_CONFIG\n",
    );
    let found = brief(&refs(&project, &[], &[]));
    assert_eq!(
        found,
        [
            "ZULIP__POSTGRES_PASSWORD secrets compose.yaml:7:18",
            "APP_CONFIG configs compose.yaml:12:18",
        ]
    );
}
