//! Every project of the corpus (30 real self-hosted projects, `tests/fixtures/corpus/`) loads
//! without error or panic, each reference points at real `$` text outside YAML comments, and
//! each project's reference list is pinned by a snapshot
//! (`tests/snapshots/corpus__<project>.snap`).
//!
//! The corpus keeps each project's compose file under its upstream name (`docker-compose.prod.yml`
//! …), which discovery would not find, so it is given as `-f`. The project's env file (a
//! committed `.env`, else its template) is given as `--env-file` when it parses and resolves as
//! Compose would read it; otherwise the project loads without one. The OS environment is empty,
//! so the snapshots do not depend on the machine.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::fmt::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use envward::cli::source::FsSource;
use envward::compose::{self, Options, Project, Usage};
use envward::dotenv;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// The project folders, sorted.
fn projects() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn is_yaml(name: &Path) -> bool {
    name.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

/// The compose files of a project: its YAML files, sorted.
fn compose_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| PathBuf::from(e.unwrap().file_name()))
        .filter(|p| is_yaml(p))
        .collect();
    files.sort();
    files
}

/// The env file to read: a committed `.env`, else the first template by the names envward
/// looks for, else any other file with `env` in its name that is not an `env_file:` target.
fn env_candidates(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = vec![".env".to_string()];
    names.extend(
        envward::cli::workspace::EXAMPLE_NAMES
            .iter()
            .map(ToString::to_string),
    );
    let mut others: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("env") && !is_yaml(Path::new(n)))
        .filter(|n| !names.contains(n))
        .collect();
    others.sort();
    names.extend(others);
    names
        .into_iter()
        .filter(|n| dir.join(n).is_file())
        .collect()
}

/// Why an env file is not used, or `None` when Compose would read it.
fn env_file_problem(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).unwrap();
    match dotenv::parse(&text) {
        Err(e) => Some(e.to_string()),
        Ok(doc) => doc.resolve(&|_: &str| None).err().map(|e| e.to_string()),
    }
}

struct Loaded {
    header: String,
    project: Project,
}

fn load(dir: &Path) -> Result<Loaded, String> {
    let files = compose_files(dir);
    if files.is_empty() {
        return Err("no compose file".to_string());
    }
    let mut header = String::new();
    for f in &files {
        let _ = writeln!(header, "compose: {}", f.display());
    }
    let mut env_file = None;
    for name in env_candidates(dir) {
        match env_file_problem(&dir.join(&name)) {
            None if env_file.is_none() => {
                let _ = writeln!(header, "env: {name}");
                env_file = Some(PathBuf::from(name));
            }
            None => {}
            Some(problem) => {
                let _ = writeln!(header, "env: {name} not used: {problem}");
            }
        }
    }
    if env_file.is_none() {
        header.push_str("env: none\n");
    }
    let options = Options {
        cwd: dir.to_path_buf(),
        files,
        env_file,
        os_env: HashMap::new(),
        tolerate_env_errors: false,
    };
    let project = compose::load(&options, &FsSource).map_err(|e| e.to_string())?;
    Ok(Loaded { header, project })
}

/// Checks that a reference points at its own text: `$NAME`/`${NAME` for an interpolation, the
/// name for a passthrough, never on a comment line.
fn check_position(dir: &Path, r: &compose::ComposeRef) -> Result<(), String> {
    let text = std::fs::read_to_string(dir.join(&r.file)).unwrap();
    let line = text
        .lines()
        .nth(r.position.line - 1)
        .ok_or_else(|| format!("{}: line {} out of range", r.name, r.position.line))?;
    if line.trim_start().starts_with('#') {
        return Err(format!("{} at {}: a comment line", r.name, r.position));
    }
    let at: String = line.chars().skip(r.position.column - 1).collect();
    let ok = match r.usage {
        Usage::Interpolation(_) => {
            at.starts_with(&format!("${}", r.name)) || at.starts_with(&format!("${{{}", r.name))
        }
        Usage::Passthrough => at.trim_start_matches(['"', '\'']).starts_with(&r.name),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} at {}: the text there is {at:?}",
            r.name, r.position
        ))
    }
}

/// The pinned text: one line per reference.
fn render(loaded: &Loaded) -> String {
    let mut out = loaded.header.clone();
    let _ = writeln!(out, "references: {}", loaded.project.references.len());
    for r in &loaded.project.references {
        let scope = match &r.scope {
            compose::Scope::Service(s) => format!("service:{s}"),
            compose::Scope::Section(s) => format!("section:{s}"),
        };
        let _ = writeln!(
            out,
            "{} {} {}:{} {} {}{}",
            r.name,
            scope,
            r.file.display(),
            r.position,
            r.usage.label(),
            if r.required { "required" } else { "optional" },
            if r.in_uri { " in-uri" } else { "" },
        );
    }
    out
}

#[test]
fn every_corpus_project_loads_and_its_references_are_pinned() {
    let projects = projects();
    assert_eq!(projects.len(), 30, "the corpus has 30 projects");
    let mut failures = Vec::new();
    let mut loaded = Vec::new();
    for dir in &projects {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match catch_unwind(AssertUnwindSafe(|| load(dir))) {
            Ok(Ok(l)) => {
                for r in &l.project.references {
                    if let Err(e) = check_position(dir, r) {
                        failures.push(format!("{name}: {e}"));
                    }
                }
                loaded.push((name, l));
            }
            Ok(Err(e)) => failures.push(format!("{name}: {e}")),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (name, l) in &loaded {
        insta::assert_snapshot!(name.as_str(), render(l));
    }
}

#[test]
fn escapes_and_comments_never_give_references() {
    // Supabase runs `$$(cat …)` in shell commands and has `${…}` in comments; twenty keeps 42
    // references in YAML comments; immich and windmill one or more each.
    for (project, absent) in [
        ("supabase__supabase", &["cat"][..]),
        ("twentyhq__twenty", &[][..]),
        ("immich-app__immich", &[][..]),
        ("windmill-labs__windmill", &[][..]),
    ] {
        let dir = corpus_dir().join(project);
        let l = load(&dir).unwrap();
        for r in &l.project.references {
            assert!(!absent.contains(&r.name.as_str()), "{project}: {}", r.name);
            check_position(&dir, r).unwrap();
        }
    }
    let dir = corpus_dir().join("supabase__supabase");
    let text = std::fs::read_to_string(dir.join("docker-compose.yml")).unwrap();
    let escaped_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("$$"))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!escaped_lines.is_empty(), "supabase still has $$ escapes");
    let l = load(&dir).unwrap();
    for r in &l.project.references {
        if escaped_lines.contains(&r.position.line) {
            let line = text.lines().nth(r.position.line - 1).unwrap();
            let col = line
                .char_indices()
                .nth(r.position.column - 1)
                .map(|(i, _)| i)
                .unwrap();
            let dollars = line[..col].chars().rev().take_while(|&c| c == '$').count();
            assert!(
                dollars % 2 == 0,
                "{} at {} is escaped by `$`",
                r.name,
                r.position
            );
        }
    }
}
