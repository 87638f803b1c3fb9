//! Running `docker compose` for a rotation: the in-database change with the new value on
//! standard input only, and the recreation of one service.
//!
//! Values never go into an argument or an environment variable: other users on the host can
//! read both (`ps`, `/proc/PID/environ` of a container's processes is visible to root on the
//! host too), while standard input is a private pipe. `docker` inherits envward's own
//! environment, which holds no value. What the tool prints is shown only line by line, and
//! only lines sharing no six characters with a value or with a line of standard input that
//! carries one (a failed SQL statement can be quoted back in an error).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

/// How `docker compose` is invoked for this project.
#[derive(Debug, Clone)]
pub struct Compose {
    /// The arguments after `docker`: `compose`, then the project's `-f` and `--env-file`.
    pub prefix: Vec<String>,
    /// Where to run it (the project directory).
    pub dir: PathBuf,
}

/// Why a command failed; the text holds no value.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The command as typed (no value in it).
    pub command: String,
    /// What went wrong.
    pub why: String,
    /// What the tool printed, with every line that could quote a value left out.
    pub output: Vec<String>,
}

impl Compose {
    /// `docker` and the prefix, as the plan prints it.
    pub fn shown(&self) -> Vec<String> {
        let mut v = vec!["docker".to_string()];
        v.extend(self.prefix.iter().cloned());
        v
    }

    fn command_line(&self, rest: &[String]) -> String {
        self.shown()
            .iter()
            .chain(rest)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `docker compose exec -T SERVICE ARGS…` with `stdin` as standard input. `secrets` are
    /// the strings output must not quote; `ok_output`, when set, is what the last printed
    /// line must be (for tools that exit 0 after an error).
    pub fn exec(
        &self,
        service: &str,
        args: &[String],
        stdin: &Zeroizing<String>,
        secrets: &[&str],
        ok_output: Option<&str>,
    ) -> Result<(), Failed> {
        let mut rest = vec!["exec".to_string(), "-T".to_string(), service.to_string()];
        rest.extend(args.iter().cloned());
        let command = self.command_line(&rest);
        let fail = |why: String, output: Vec<String>| Failed {
            command: command.clone(),
            why,
            output,
        };
        let mut child = Command::new("docker")
            .args(&self.prefix)
            .args(&rest)
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| fail(format!("could not start docker: {e}"), Vec::new()))?;
        if let Some(mut input) = child.stdin.take() {
            // A tool that exits early closes its end: what it said explains why.
            let _ = input.write_all(stdin.as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(|e| fail(format!("could not wait for docker: {e}"), Vec::new()))?;
        let stdout = Zeroizing::new(String::from_utf8_lossy(&out.stdout).into_owned());
        let stderr = Zeroizing::new(String::from_utf8_lossy(&out.stderr).into_owned());
        let guard = Guard::new(secrets);
        let shown = || -> Vec<String> {
            stdout
                .lines()
                .chain(stderr.lines())
                .filter(|l| !l.trim().is_empty())
                .map(|l| guard.show(l))
                .collect()
        };
        if !out.status.success() {
            return Err(fail(
                match out.status.code() {
                    Some(c) => format!("it exited with status {c}"),
                    None => "it was killed by a signal".to_string(),
                },
                shown(),
            ));
        }
        if let Some(ok) = ok_output
            && stdout
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::trim)
                != Some(ok)
        {
            return Err(fail(
                format!("it answered something other than {ok}"),
                shown(),
            ));
        }
        Ok(())
    }

    /// `docker compose up -d --no-deps --force-recreate SERVICE`, its output shown as it
    /// comes (it holds no value: compose prints names and states).
    pub fn recreate(&self, service: &str) -> Result<(), Failed> {
        let rest: Vec<String> = ["up", "-d", "--no-deps", "--force-recreate", service]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let command = self.command_line(&rest);
        let status = Command::new("docker")
            .args(&self.prefix)
            .args(&rest)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .status()
            .map_err(|e| Failed {
                command: command.clone(),
                why: format!("could not start docker: {e}"),
                output: Vec::new(),
            })?;
        if status.success() {
            Ok(())
        } else {
            Err(Failed {
                command,
                why: match status.code() {
                    Some(c) => format!("it exited with status {c}"),
                    None => "it was killed by a signal".to_string(),
                },
                output: Vec::new(),
            })
        }
    }
}

/// The `docker compose` prefix for this project: `-f` for each compose file the user named
/// and `--env-file` when the live file is not the default one, so compose sees the project
/// envward saw.
pub fn compose_for(files: &[PathBuf], env_file: Option<&Path>, dir: &Path) -> Compose {
    let mut prefix = vec!["compose".to_string()];
    for f in files {
        prefix.push("-f".to_string());
        prefix.push(f.display().to_string());
    }
    if let Some(e) = env_file {
        prefix.push("--env-file".to_string());
        prefix.push(e.display().to_string());
    }
    Compose {
        prefix,
        dir: dir.to_path_buf(),
    }
}

/// Window length: a line sharing this many consecutive characters with a secret is held back.
const WINDOW: usize = 6;

/// Decides which output lines may be shown.
struct Guard {
    /// Every six-character window of the longer secrets.
    windows: HashSet<String>,
    /// Secrets shorter than a window, matched whole.
    short: Vec<String>,
}

impl Guard {
    fn new(secrets: &[&str]) -> Self {
        let mut windows = HashSet::new();
        let mut short = Vec::new();
        for s in secrets.iter().filter(|s| !s.trim().is_empty()) {
            let chars: Vec<char> = s.chars().collect();
            if chars.len() < WINDOW {
                short.push((*s).to_string());
            } else {
                windows.extend(chars.windows(WINDOW).map(|w| w.iter().collect::<String>()));
            }
        }
        Guard { windows, short }
    }

    fn show(&self, line: &str) -> String {
        let chars: Vec<char> = line.chars().collect();
        let long_hit = chars
            .windows(WINDOW)
            .any(|w| self.windows.contains(&w.iter().collect::<String>()));
        let short_hit = self.short.iter().any(|s| line.contains(s.as_str()));
        if long_hit || short_hit {
            "(a line that could quote the value is not shown)".to_string()
        } else {
            line.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_sharing_six_characters_with_a_secret_are_held_back() {
        let g = Guard::new(&["Zr4qW9xLp2mN", "ab"]);
        assert_eq!(
            g.show("FATAL: role \"app\" does not exist"),
            "FATAL: role \"app\" does not exist"
        );
        assert!(g.show("near 'xLp2mN7' at line 1").contains("not shown"));
        assert!(
            g.show("got ab here").contains("not shown"),
            "short secrets match whole"
        );
    }
}
