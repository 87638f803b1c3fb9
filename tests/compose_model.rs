//! What the loader records of each service beyond its environment, for the analysis and for
//! `rotate`/`audit`: mounts (and whether a named volume is declared), the literal strings of
//! `command`/`entrypoint`/`healthcheck.test`, `depends_on`, the build context and profiles,
//! each with its file and position, merged across files and `extends:` as Compose merges them.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::TestProject;
use envward::cli::source::FsSource;
use envward::compose::{self, CommandKey, MountKind, Options, Project, Service};
use envward::position::Position;

fn load(project: &TestProject, files: &[&str], env: &[(&str, &str)]) -> Project {
    let options = Options {
        cwd: project.path().to_path_buf(),
        files: files.iter().map(PathBuf::from).collect(),
        env_file: None,
        os_env: env
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        tolerate_env_errors: false,
    };
    compose::load(&options, &FsSource).unwrap()
}

fn service<'a>(project: &'a Project, name: &str) -> &'a Service {
    project.services.iter().find(|s| s.name == name).unwrap()
}

const APP: &str = r#"services:
  db:
    image: postgres:16
    command: ["postgres", "-c", "password_encryption=${ENC:-scram-sha-256}"]
    healthcheck:
      test: pg_isready -U postgres -p${PGPORT}
    volumes:
      - db-data:/var/lib/postgresql/data
      - ./init:/docker-entrypoint-initdb.d:ro
      - /var/lib/postgresql/run
      - type: tmpfs
        target: /tmp
    profiles: [prod, "db"]
  redis:
    image: redis
    entrypoint: redis-server --requirepass difyai123456
    volumes:
      - cache:/data
      - type: bind
        source: ${CONF_DIR:-./conf}
        target: /usr/local/etc/redis
  app:
    build:
      context: ./app
    depends_on:
      db:
        condition: service_healthy
      redis:
        condition: service_started
volumes:
  db-data:
"#;

#[test]
fn mounts_know_named_volumes_binds_and_declarations() {
    let p = TestProject::new().file("compose.yaml", APP);
    let project = load(&p, &[], &[]);
    assert_eq!(project.volumes.len(), 1);
    assert_eq!(project.volumes[0].value, "db-data");
    let db = service(&project, "db");
    let got: Vec<_> = db
        .volumes
        .iter()
        .map(|m| {
            (
                m.kind.clone(),
                m.source.as_deref(),
                m.target.as_str(),
                m.declared,
                m.position.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                MountKind::Volume,
                Some("db-data"),
                "/var/lib/postgresql/data",
                true,
                8
            ),
            (
                MountKind::Bind,
                Some("./init"),
                "/docker-entrypoint-initdb.d",
                false,
                9
            ),
            (
                MountKind::Volume,
                None,
                "/var/lib/postgresql/run",
                false,
                10
            ),
            (MountKind::Tmpfs, None, "/tmp", false, 11),
        ]
    );
    let redis = service(&project, "redis");
    // `cache` is a named volume nobody declared; the bind source is interpolated.
    assert_eq!(redis.volumes[0].kind, MountKind::Volume);
    assert!(!redis.volumes[0].declared);
    assert_eq!(redis.volumes[1].kind, MountKind::Bind);
    assert_eq!(redis.volumes[1].source.as_deref(), Some("./conf"));
    let project = load(&p, &[], &[("CONF_DIR", "/etc/redis")]);
    assert_eq!(
        service(&project, "redis").volumes[1].source.as_deref(),
        Some("/etc/redis")
    );
}

#[test]
fn commands_keep_their_literal_text_and_place() {
    let p = TestProject::new().file("compose.yaml", APP);
    let project = load(&p, &[], &[]);
    let db = service(&project, "db");
    let got: Vec<_> = db
        .commands
        .iter()
        .map(|c| (c.key, c.text.as_str(), c.key_path.as_str(), c.position))
        .collect();
    assert_eq!(
        got,
        [
            (
                CommandKey::Command,
                "postgres",
                "services.db.command[0]",
                Position {
                    line: 4,
                    column: 15
                }
            ),
            (
                CommandKey::Command,
                "-c",
                "services.db.command[1]",
                Position {
                    line: 4,
                    column: 27
                }
            ),
            (
                CommandKey::Command,
                "password_encryption=${ENC:-scram-sha-256}",
                "services.db.command[2]",
                Position {
                    line: 4,
                    column: 33
                }
            ),
            (
                CommandKey::HealthcheckTest,
                "pg_isready -U postgres -p${PGPORT}",
                "services.db.healthcheck.test",
                Position {
                    line: 6,
                    column: 13
                }
            ),
        ]
    );
    let redis = service(&project, "redis");
    assert_eq!(redis.commands[0].key, CommandKey::Entrypoint);
    assert_eq!(
        redis.commands[0].text,
        "redis-server --requirepass difyai123456"
    );
    assert_eq!(redis.commands[0].file, Path::new("compose.yaml"));
}

#[test]
fn depends_on_build_and_profiles() {
    let p = TestProject::new().file("compose.yaml", APP);
    let project = load(&p, &[], &[]);
    let app = service(&project, "app");
    let deps: Vec<_> = app
        .depends_on
        .iter()
        .map(|d| (d.value.as_str(), d.position.line))
        .collect();
    assert_eq!(deps, [("db", 26), ("redis", 28)]);
    let build = app.build.as_ref().unwrap();
    assert_eq!(build.context, "./app");
    assert_eq!(build.path.as_deref(), Some(p.join("app").as_path()));
    assert_eq!(build.position.line, 24);
    let profiles: Vec<_> = service(&project, "db")
        .profiles
        .iter()
        .map(|p| p.value.as_str())
        .collect();
    assert_eq!(profiles, ["prod", "db"]);
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  a:\n    build: https://github.com/x/y.git#main\n    depends_on: [b]\n  b:\n    build: {}\n",
    );
    let project = load(&p, &[], &[]);
    assert_eq!(service(&project, "a").build.as_ref().unwrap().path, None);
    assert_eq!(service(&project, "a").depends_on[0].value, "b");
    let b = service(&project, "b").build.as_ref().unwrap();
    assert_eq!(b.context, ".");
    assert_eq!(b.path.as_deref(), Some(p.path()));
}

#[test]
fn later_files_and_extends_merge_as_compose_does() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  db:\n    image: pg\n    command: [a, b]\n    healthcheck:\n      test: [CMD, x]\n    volumes: [data:/d, ./x:/x]\n    depends_on: [cache]\n",
        )
        .file(
            "compose.override.yaml",
            "services:\n  db:\n    command: c\n    volumes: [other:/d]\n    depends_on: [queue]\n",
        )
        .file(
            "more.yaml",
            "services:\n  worker:\n    extends: {service: db, file: compose.yaml}\n    entrypoint: [run]\n",
        );
    let project = load(&p, &[], &[]);
    let db = service(&project, "db");
    let commands: Vec<_> = db.commands.iter().map(|c| c.text.as_str()).collect();
    // `command` replaced whole by the override; `healthcheck.test` kept.
    assert_eq!(commands, ["CMD", "x", "c"]);
    let mounts: Vec<_> = db
        .volumes
        .iter()
        .map(|m| (m.source.as_deref().unwrap(), m.target.as_str()))
        .collect();
    assert_eq!(mounts, [("other", "/d"), ("./x", "/x")]);
    assert_eq!(db.volumes[0].file, Path::new("compose.override.yaml"));
    let deps: Vec<_> = db.depends_on.iter().map(|d| d.value.as_str()).collect();
    assert_eq!(deps, ["cache", "queue"]);
    let project = load(&p, &["more.yaml"], &[]);
    let worker = service(&project, "worker");
    let commands: Vec<_> = worker
        .commands
        .iter()
        .map(|c| {
            (
                c.key,
                c.text.as_str(),
                c.file.to_string_lossy().into_owned(),
            )
        })
        .collect();
    assert_eq!(
        commands,
        [
            (CommandKey::Command, "a", "compose.yaml".to_string()),
            (CommandKey::Command, "b", "compose.yaml".to_string()),
            (
                CommandKey::HealthcheckTest,
                "CMD",
                "compose.yaml".to_string()
            ),
            (CommandKey::HealthcheckTest, "x", "compose.yaml".to_string()),
            (CommandKey::Entrypoint, "run", "more.yaml".to_string()),
        ]
    );
    assert_eq!(worker.volumes.len(), 2);
}

/// The project folder itself (`.:/var/www/html`, Laravel Sail) and its parent are bind
/// mounts like `./x`; a drive letter (`C:\data`) stays part of a Windows source.
#[test]
fn the_project_folder_and_drive_letters_are_bind_sources() {
    let compose = "services:\n  app:\n    image: x\n    volumes:\n      - .:/var/www/html\n      - ..:/srv:ro\n      - 'C:\\data:/data'\n      - data:/var/lib\n";
    let p = TestProject::new().file("compose.yaml", compose);
    let project = load(&p, &[], &[]);
    let got: Vec<_> = service(&project, "app")
        .volumes
        .iter()
        .map(|m| (m.kind.clone(), m.source.as_deref(), m.target.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (MountKind::Bind, Some("."), "/var/www/html"),
            (MountKind::Bind, Some(".."), "/srv"),
            (MountKind::Bind, Some("C:\\data"), "/data"),
            (MountKind::Volume, Some("data"), "/var/lib"),
        ]
    );
}
