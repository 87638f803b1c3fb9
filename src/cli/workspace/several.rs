//! A project with no `.env` and no example whose services load several env files of their
//! own (`LibreBooking`: `db.env` for mariadb, `lb.env` for the app): those files are what the
//! containers get, so `check` judges each of them as the live file in turn, as
//! `check --env-file FILE` would, instead of an absent `.env` that holds nothing.

use std::path::{Path, PathBuf};

use super::{EXAMPLE_NAMES, Workspace, load_with, regular_file_exists, template_of};
use crate::cli::{Error, GlobalArgs};
use crate::compose::Usage;

/// The env files to judge one after another as the live file: when the user named neither
/// the live file nor the example, the project folder has neither `.env` nor an example, and
/// the services load two or more different env files (`env_file:`, not `format: raw`), the
/// ones of those that exist, in the order first named. Empty otherwise, and then the one
/// workspace already loaded is the run (one file the services load is taken by
/// `env_file_in_use` instead).
///
/// Also empty when a service loads the default `.env` itself (that makes it the live file,
/// present or not) and when the compose files interpolate a variable the shell does not set,
/// even one with a default: Compose reads those from `.env`, and a run with `--env-file
/// FILE` (which the next steps suggest) makes FILE the interpolation file, so it would ask a
/// service's env file for them and `fill` would write them there, where nothing reads them
/// (docker-mautic's `.mautic_env` got the database's root password that way).
pub fn each_live_file(global: &GlobalArgs, ws: &Workspace) -> Vec<PathBuf> {
    if global.env_file.is_some()
        || global.example.is_some()
        || ws.project.env_file_exists
        || ws.example.is_some()
    {
        return Vec::new();
    }
    let mut loaded: Vec<&Path> = Vec::new();
    for f in ws.project.services.iter().flat_map(|s| s.env_files.iter()) {
        if !f.raw && !loaded.contains(&f.path.as_path()) {
            loaded.push(&f.path);
        }
    }
    if loaded.len() < 2 || loaded.contains(&ws.project.env_file.as_path()) {
        return Vec::new();
    }
    let reads_dot_env = ws.project.references.iter().any(|r| {
        matches!(r.usage, Usage::Interpolation(_)) && !ws.project.environment.contains_key(&r.name)
    });
    if reads_dot_env {
        return Vec::new();
    }
    loaded
        .into_iter()
        .filter(|p| regular_file_exists(&ws.cwd, p).unwrap_or(false))
        .map(Path::to_path_buf)
        .collect()
}

/// The workspaces `check` judges: the one the global flags describe, or, where
/// [`each_live_file`] names files, one per file, loaded as `--env-file FILE` loads it, except
/// that Compose does not interpolate from it (the absent `.env` is what it reads) and that
/// its example is only a template named after it (`db.env.example`, `db_example.env` …): a
/// `.env.example` beside several env files is the template of none of them in particular.
pub fn load_each(global: &GlobalArgs, tolerant: bool) -> Result<Vec<Workspace>, Error> {
    let ws = load_with(global, tolerant)?;
    let files = each_live_file(global, &ws);
    if files.is_empty() {
        return Ok(vec![ws]);
    }
    files
        .into_iter()
        .map(|file| {
            let mut global = global.clone();
            global.example = template_of(&file);
            global.env_file = Some(file);
            let mut one = load_with(&global, tolerant)?;
            one.live_is_interpolated = false;
            if global.example.is_none() && one.example.is_some() {
                one.example = None;
                one.example_path = one.project.working_dir.join(EXAMPLE_NAMES[0]);
            }
            Ok(one)
        })
        .collect()
}

/// What `fill` and the terminal UI, which write one file, say in such a project: that the
/// env files the services load are not the file they edit, and the command for each
/// (`envward --env-file FILE` followed by `then`: ` fill`, or nothing for the UI).
/// `None` where [`each_live_file`] names none.
pub fn one_at_a_time(global: &GlobalArgs, ws: &Workspace, then: &str) -> Option<String> {
    let files = each_live_file(global, ws);
    if files.is_empty() {
        return None;
    }
    let shown: Vec<String> = files
        .iter()
        .map(|f| ws.display(f).display().to_string())
        .collect();
    let commands: Vec<String> = shown
        .iter()
        .map(|f| format!("`envward --env-file {}{then}`", shell_word(f)))
        .collect();
    Some(format!(
        "{} does not exist; the services load {}, which this run does not change: pass --env-file for each ({})",
        ws.display(&ws.project.env_file).display(),
        shown.join(", "),
        commands.join(", ")
    ))
}

/// A path as one shell word: as it is when it needs no quoting, else in single quotes.
pub fn shell_word(path: &str) -> String {
    if !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-+,:@%".contains(c))
    {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A project folder with `files` in it, loaded as plain `envward` (no flags) loads it.
    fn loaded(files: &[(&str, &str)]) -> (tempfile::TempDir, GlobalArgs, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let global = GlobalArgs {
            directory: Some(dir.path().to_path_buf()),
            ..GlobalArgs::default()
        };
        let ws = load_with(&global, true).unwrap();
        (dir, global, ws)
    }

    fn names(files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    const TWO: &str = "services:\n  db:\n    image: linuxserver/mariadb\n    env_file: [db.env]\n  app:\n    image: librebooking/librebooking\n    env_file: [lb.env]\n  cron:\n    image: librebooking/librebooking\n    env_file: [lb.env]\n";

    #[test]
    fn each_env_file_the_services_load_is_a_live_file_when_there_is_no_dot_env() {
        let (_dir, global, ws) = loaded(&[
            ("compose.yml", TWO),
            ("db.env", "MYSQL_PASSWORD=db_user_pwd\n"),
            ("lb.env", "LB_DATABASE_PASSWORD=db_user_pwd\n"),
        ]);
        assert_eq!(names(&each_live_file(&global, &ws)), ["db.env", "lb.env"]);
        let each = load_each(&global, true).unwrap();
        let live: Vec<PathBuf> = each.iter().map(|w| w.project.env_file.clone()).collect();
        assert_eq!(names(&live), ["db.env", "lb.env"]);
        assert!(
            each.iter()
                .all(|w| w.live.is_some() && !w.live_is_interpolated)
        );
        let message = one_at_a_time(&global, &ws, " fill").unwrap();
        assert!(
            message
                .contains("(`envward --env-file db.env fill`, `envward --env-file lb.env fill`)"),
            "{message}"
        );
    }

    #[test]
    fn each_file_has_only_the_template_named_after_it() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            (
                "docker/compose.yml",
                TWO.replace("[db.env]", "[../db.env]")
                    .replace("[lb.env]", "[../lb.env]"),
            ),
            ("db.env", "MYSQL_PASSWORD=x\n".to_string()),
            ("db.env.example", "MYSQL_PASSWORD=\n".to_string()),
            ("lb.env", "B=1\n".to_string()),
            (".env.example", "OTHER=\n".to_string()),
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let global = GlobalArgs {
            directory: Some(dir.path().to_path_buf()),
            files: vec!["docker/compose.yml".into()],
            ..GlobalArgs::default()
        };
        let each = load_each(&global, true).unwrap();
        let examples: Vec<Option<String>> = each
            .iter()
            .map(|w| w.example.as_ref().map(|e| e.display.display().to_string()))
            .collect();
        assert_eq!(examples, [Some("db.env.example".to_string()), None]);
    }

    #[test]
    fn only_the_files_that_exist_are_judged() {
        let (_dir, global, ws) = loaded(&[("compose.yml", TWO), ("lb.env", "A=1\n")]);
        assert_eq!(names(&each_live_file(&global, &ws)), ["lb.env"]);
    }

    #[test]
    fn the_usual_cases_keep_one_live_file() {
        let env = [("db.env", "A=1\n"), ("lb.env", "B=1\n")];
        // A `.env`, an example, a flag naming either, or one file only: not this rule.
        for extra in [(".env", "X=1\n"), (".env.example", "X=\n")] {
            let mut files = vec![("compose.yml", TWO), extra];
            files.extend(env);
            let (_dir, global, ws) = loaded(&files);
            assert!(each_live_file(&global, &ws).is_empty(), "{extra:?}");
            assert_eq!(load_each(&global, true).unwrap().len(), 1);
        }
        let mut files = vec![("compose.yml", TWO)];
        files.extend(env);
        let (_dir, global, ws) = loaded(&files);
        for flags in [
            GlobalArgs {
                env_file: Some("db.env".into()),
                ..global.clone()
            },
            GlobalArgs {
                example: Some("db.env".into()),
                ..global.clone()
            },
        ] {
            assert!(each_live_file(&flags, &ws).is_empty());
        }
        let one = "services:\n  a:\n    image: x\n    env_file: [db.env]\n  b:\n    image: y\n    env_file: [db.env]\n";
        let (_dir, global, ws) = loaded(&[("compose.yml", one), env[0]]);
        assert!(each_live_file(&global, &ws).is_empty());
        // A service loading the default `.env` makes it the live file.
        let dot = "services:\n  a:\n    image: x\n    env_file: [db.env, {path: .env, required: false}]\n  b:\n    image: y\n    env_file: [lb.env]\n";
        let mut files = vec![("compose.yml", dot)];
        files.extend(env);
        let (_dir, global, ws) = loaded(&files);
        assert!(each_live_file(&global, &ws).is_empty());
    }

    #[test]
    fn a_compose_file_that_reads_a_dot_env_keeps_it_the_live_file() {
        let needs = "services:\n  db:\n    image: postgres\n    env_file: [db.env]\n    environment:\n      POSTGRES_DB: ${DB_NAME:?set it}\n  app:\n    image: x\n    env_file: [app.env]\n";
        let (_dir, global, ws) = loaded(&[
            ("compose.yml", needs),
            ("db.env", "A=1\n"),
            ("app.env", "B=1\n"),
        ]);
        assert!(each_live_file(&global, &ws).is_empty());
        // With a default too: `--env-file db.env fill` would write a weak default's secret
        // into db.env.
        let defaulted = needs.replace("${DB_NAME:?set it}", "${DB_PASSWORD:-changeme}");
        let (_dir, global, ws) = loaded(&[
            ("compose.yml", &defaulted),
            ("db.env", "A=1\n"),
            ("app.env", "B=1\n"),
        ]);
        assert!(each_live_file(&global, &ws).is_empty());
        // A passthrough (`- AKAUNTING_SETUP`) is optional and read from the shell: no `.env`.
        let passthrough = needs.replace("POSTGRES_DB: ${DB_NAME:?set it}", "- AKAUNTING_SETUP");
        let (_dir, global, ws) = loaded(&[
            ("compose.yml", &passthrough),
            ("db.env", "A=1\n"),
            ("app.env", "B=1\n"),
        ]);
        assert_eq!(names(&each_live_file(&global, &ws)), ["db.env", "app.env"]);
    }

    #[test]
    fn commands_quote_paths_that_need_it() {
        assert_eq!(shell_word("env/db.env"), "env/db.env");
        assert_eq!(shell_word("my env/db.env"), "'my env/db.env'");
    }
}
