//! The plan in words: numbered steps with the exact commands, for the command line and the
//! TUI. No value appears in them.

use std::fmt::Write as _;

use super::{RotationPlan, ServerStep};

impl RotationPlan {
    /// The names whose value changes or disappears.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .changes
            .changes
            .iter()
            .map(|c| c.name.clone())
            .collect();
        out.extend(self.removed.iter().cloned());
        out
    }

    /// Servers envward changes itself with `--apply`.
    pub fn runnable(&self) -> impl Iterator<Item = &ServerStep> {
        self.servers.iter().filter(|s| s.runnable())
    }

    /// The numbered steps, as lines for people: `compose` is the `docker compose …` prefix
    /// (with the project's `-f` and `--env-file`), `env` the live file as shown.
    pub fn steps(&self, compose: &[String], env: &str) -> Vec<String> {
        let cmd = |rest: &[String]| -> String {
            compose
                .iter()
                .chain(rest)
                .map(|a| shell_word(a))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut out = Vec::new();
        let mut n = 0;
        let mut step = |out: &mut Vec<String>, text: String| {
            n += 1;
            out.push(format!("{n}. {text}"));
        };
        for s in self
            .servers
            .iter()
            .filter(|s| !s.recipe.as_ref().is_some_and(|r| r.restart_first))
        {
            let place = if s.volumes.is_empty() {
                String::new()
            } else {
                format!(" (its data is in volume {})", s.volumes.join(", "))
            };
            step(&mut out, format!("{}{place}: {}", s.service, s.describe()));
            if let Some(r) = &s.recipe {
                match &s.user {
                    Some(user) => {
                        let mut rest =
                            vec!["exec".to_string(), "-T".to_string(), s.service.clone()];
                        rest.extend(r.args(user));
                        out.push(format!(
                            "     {}  < new value on standard input",
                            cmd(&rest)
                        ));
                    }
                    None => out.push(format!(
                        "     the user name is unknown: set {} in the compose file",
                        r.user.as_deref().unwrap_or("the user variable")
                    )),
                }
            }
        }
        step(
            &mut out,
            format!("write {env} (the version it replaces stays in an encrypted backup)"),
        );
        if self.recreate.is_empty() {
            step(
                &mut out,
                "no compose service uses it: nothing to recreate".to_string(),
            );
        } else {
            step(
                &mut out,
                "recreate each service that uses it, one at a time:".to_string(),
            );
            for s in &self.recreate {
                let rest: Vec<String> = ["up", "-d", "--no-deps", "--force-recreate", s]
                    .iter()
                    .map(|a| (*a).to_string())
                    .collect();
                out.push(format!("     {}", cmd(&rest)));
            }
            let mut verify = format!(
                "verify: `{}` shows them running",
                cmd(&[vec!["ps".to_string()], self.recreate.clone()].concat())
            );
            for s in &self.servers {
                if let Some(log) = s.recipe.as_ref().and_then(|r| r.failure_log.as_deref()) {
                    let _ = write!(
                        verify,
                        ", and `{}` has no \"{log}\"",
                        cmd(&[
                            "logs".to_string(),
                            "--since".to_string(),
                            "10m".to_string(),
                            s.service.clone()
                        ])
                    );
                }
            }
            step(&mut out, verify);
        }
        for e in &self.external {
            step(
                &mut out,
                format!(
                    "revoke the old {e} with its provider once the services run with the new one"
                ),
            );
        }
        out
    }
}

/// A word as a POSIX shell would need it to be typed (for the commands the plan prints).
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=./:,@%+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
