//! `hardcoded`: a secret written as a literal in a compose file, which the env file can never
//! fix or rotate: a secret-looking `environment:` entry with a literal value, or the secret
//! part of a longer literal (the `user:pass@` of a URL, `password=…` in a connection string,
//! `"password": "…"` in a JSON blob).

use foldhash::HashMap;
use std::path::PathBuf;

use super::{Rule, RuleId};
use crate::analysis::facts::Context;
use crate::analysis::knowledge::name_words;
use crate::analysis::shape::{self, url_password_span};
use crate::analysis::{Finding, Severity};
use crate::position::Position;

/// A literal in compose, found once however many services read it through an anchor.
struct Literal<'p> {
    key: &'p str,
    file: &'p PathBuf,
    position: Position,
    /// What the whole value is (`written as a literal`), or `None` for a password inside a
    /// longer value.
    whole: Option<&'static str>,
    services: Vec<&'p str>,
    /// Every one of those services loads the live file whole (`env_file:`).
    all_load_live: bool,
}

/// Whether `service` loads the live file whole through `env_file:`.
fn loads_live(cx: &Context<'_>, service: &crate::compose::Service) -> bool {
    let live = &cx.input.project.env_file;
    service.env_files.iter().any(|f| &f.path == live)
}

/// Where each literal (key, file, place) sits in the list of literals.
type Seen<'p> = HashMap<(&'p str, &'p PathBuf, Position), usize>;

/// Adds `var`'s literal in `service` to `literals`: one literal shared through an anchor is
/// one finding naming every service.
fn push<'p>(
    literals: &mut Vec<Literal<'p>>,
    seen: &mut Seen<'p>,
    var: &'p crate::compose::EnvVar,
    service: &'p crate::compose::Service,
    whole: Option<&'static str>,
    loads: bool,
) {
    let at = (var.key.as_str(), &var.file, var.position);
    match seen.get(&at) {
        Some(&i) => {
            literals[i].services.push(service.name.as_str());
            literals[i].all_load_live &= loads;
        }
        None => {
            seen.insert(at, literals.len());
            literals.push(Literal {
                key: at.0,
                file: at.1,
                position: at.2,
                whole,
                services: vec![service.name.as_str()],
                all_load_live: loads,
            });
        }
    }
}

/// See the module docs.
pub struct Hardcoded;

/// Words that name a secret in `word=value` and `"word": "value"` pairs (lower case).
const SECRET_KEYS: [&str; 14] = [
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "secretkey",
    "secret_key",
    "apikey",
    "api_key",
    "token",
    "accesskey",
    "secretaccesskey",
    "requirepass",
    "auth_token",
];

/// Whether `value` holds a literal secret inside a longer text: a URL password, or a
/// `password=…` / `"password": "…"` pair whose value is not interpolated.
pub fn embedded_secret(value: &str) -> bool {
    // A URL password needs `:`, a pair `=` or `:` after its key or a flag `-` before it; the
    // literal text below only drops characters, so a value without any of the three (plain
    // words, a lone `${…}` reference) holds neither, and is not parsed for references.
    if !value.contains(['=', ':', '-']) {
        return false;
    }
    // What `${…}` expressions say is interpolated, not written: their defaults are judged as
    // defaults (`weak-default`), their names are not literals.
    let literal_text;
    let value = if value.contains('$') {
        literal_text = without_references(value);
        literal_text.as_str()
    } else {
        value
    };
    if let Some(span) = url_password_span(value)
        && !span.is_empty()
        && !value[span].contains('$')
    {
        return true;
    }
    // The same test on the literal text: `${A:-x}` had a `:` only inside its reference.
    if !value.contains(['=', ':', '-']) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    for key in SECRET_KEYS {
        for (at, _) in lower.match_indices(key) {
            let before = lower[..at].chars().next_back();
            let after = lower[at + key.len()..].chars().next();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            // `-mysql-no-pass`, `--skip-password`: a switch that turns passwords off.
            let head = lower[..at].trim_end_matches(['-', '_']);
            if ["no", "skip", "without", "disable", "empty", "insecure"]
                .iter()
                .any(|w| head.ends_with(w))
            {
                continue;
            }
            let rest = &value[at + key.len()..];
            // `--requirepass VALUE`, `--password VALUE`: a command-line flag.
            let flag = before == Some('-') && rest.starts_with([' ', '\t']);
            let rest = rest.trim_start_matches(['"', '\'']);
            let rest = rest.trim_start();
            let rest = match rest.strip_prefix(['=', ':']) {
                Some(r) => r,
                None if flag => rest,
                None => continue,
            };
            let rest = rest.trim_start().trim_start_matches(['"', '\'']);
            let literal: String = rest
                .chars()
                .take_while(|c| {
                    !c.is_whitespace() && !matches!(c, '"' | '\'' | ';' | '&' | ',' | '}' | ')')
                })
                .collect();
            // After a flag, a word that opens with `-` is the next option, not its value.
            let next_option = flag && literal.starts_with('-');
            if !literal.is_empty()
                && !literal.starts_with('$')
                && !next_option
                && !shape::of(&literal).is_config()
            {
                return true;
            }
        }
    }
    false
}

/// The identifier half of a credential pair: `AWS_ACCESS_KEY_ID`, or `AWS_ACCESS_KEY` beside
/// an `AWS_SECRET_KEY` in the same service. It names the account, like a user name, so a
/// literal there is no hard-coded secret (the secret half beside it is).
fn identifier_half(key: &str, service: &crate::compose::Service) -> bool {
    let words: Vec<String> = name_words(key).map(std::borrow::Cow::into_owned).collect();
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "SECRET" | "PASSWORD" | "PASS" | "PWD" | "TOKEN"))
    {
        return false;
    }
    let ends = |tail: [&str; 2]| {
        words.len() >= 2 && words[words.len() - 2] == tail[0] && words[words.len() - 1] == tail[1]
    };
    ends(["KEY", "ID"])
        || (ends(["ACCESS", "KEY"])
            && service
                .environment
                .iter()
                .any(|e| name_words(&e.key).any(|w| w == "SECRET")))
}

/// `value` with every `$…` reference replaced by `$` (a marker no literal starts with).
fn without_references(value: &str) -> String {
    let Ok(refs) = crate::interpolate::references(value) else {
        return value.to_string();
    };
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    for r in refs.iter().filter(|r| !r.nested) {
        if r.span.start >= at {
            out.push_str(value.get(at..r.span.start).unwrap_or_default());
            out.push('$');
            at = r.span.end;
        }
    }
    out.push_str(value.get(at..).unwrap_or_default());
    out
}

/// Literal passwords on a service's command lines (`redis-server --requirepass s3cret`, a
/// healthcheck's `--password password`): the list form is read as one command line, one
/// finding per command, at the item that holds the literal.
fn commands(rule: RuleId, service: &crate::compose::Service, out: &mut Vec<Finding>) {
    let mut i = 0;
    let items = &service.commands;
    while i < items.len() {
        let key = items[i].key;
        let end = items[i..]
            .iter()
            .position(|c| c.key != key)
            .map_or(items.len(), |n| i + n);
        let line: Vec<&str> = items[i..end].iter().map(|c| c.text.as_str()).collect();
        if embedded_secret(&line.join(" ")) {
            // Point at the first item from which the rest of the line still holds it.
            let at = (i..end)
                .rev()
                .find(|&j| {
                    let from: Vec<&str> = items[j..end].iter().map(|c| c.text.as_str()).collect();
                    embedded_secret(&from.join(" "))
                })
                .unwrap_or(i);
            let holder = (at..end)
                .find(|&j| {
                    let upto: Vec<&str> = items[at..=j].iter().map(|c| c.text.as_str()).collect();
                    embedded_secret(&upto.join(" "))
                })
                .unwrap_or(at);
            let c = &items[holder];
            out.push(Finding {
                rule,
                severity: Severity::Error,
                variable: None,
                file: c.file.clone(),
                position: c.position,
                message: format!(
                    "a password is written on the {} of service {} in {}; pass it from the env file (`${{…}}`, or `$$VAR` from the container's environment)",
                    match key {
                        crate::compose::CommandKey::Command => "command line",
                        crate::compose::CommandKey::Entrypoint => "entrypoint",
                        crate::compose::CommandKey::HealthcheckTest => "healthcheck",
                    },
                    service.name,
                    c.file.display()
                ),
            });
        }
        i = end;
    }
}

impl Rule for Hardcoded {
    fn id(&self) -> RuleId {
        RuleId::Hardcoded
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let k = cx.input.knowledge;
        // Each literal (key, file, place) in first-seen order, with what it is and who reads it.
        let mut literals: Vec<Literal<'_>> = Vec::new();
        let mut seen: Seen<'_> = HashMap::default();
        for service in &cx.input.project.services {
            for var in &service.environment {
                let Some(value) = &var.value else { continue };
                let image_rules = service
                    .image
                    .as_deref()
                    .and_then(|i| k.image_var(i, &var.key));
                // A form holding the password (neo4j's `NEO4J_AUTH=neo4j/pleaseletmein`)
                // hard-codes it when its password part is literal text; `none` (no password
                // part) or a reference there leaves it to the env file.
                if let Some(form) = image_rules.and_then(|r| r.form) {
                    let literal = form.password_start(value).is_some_and(|at| {
                        let part = &value[at..];
                        !part.is_empty() && !part.contains('$')
                    });
                    if literal {
                        push(
                            &mut literals,
                            &mut seen,
                            var,
                            service,
                            None,
                            loads_live(cx, service),
                        );
                    }
                    continue;
                }
                if value.contains('$') && !embedded_secret(value) {
                    continue;
                }
                let image_class = image_rules.and_then(|r| r.class);
                // An image that runs without it (ClickHouse's CLICKHOUSE_PASSWORD: "" is its
                // password-less default user) is told to by the empty literal.
                let image_requires = image_rules.is_some_and(|r| r.required);
                let class = image_class.unwrap_or_else(|| k.name(&var.key).class);
                // An empty literal is a finding where a known image needs a password there
                // (postgres refuses to start); elsewhere empty often means "generate one at
                // start" (open-webui's WEBUI_SECRET_KEY).
                let whole = class.is_sensitive()
                    && !identifier_half(&var.key, service)
                    && !value.contains('$')
                    && !shape::of(value).is_config()
                    && !k.is_sentinel(value)
                    && (!value.is_empty() || image_requires);
                // `Some(what)` for a whole literal, `None` for a password inside a longer one.
                let whole = if whole {
                    Some(if value.is_empty() {
                        "set to an empty literal"
                    } else {
                        "written as a literal"
                    })
                } else if embedded_secret(value) {
                    None
                } else {
                    continue;
                };
                push(
                    &mut literals,
                    &mut seen,
                    var,
                    service,
                    whole,
                    loads_live(cx, service),
                );
            }
            commands(self.id(), service, out);
        }
        for Literal {
            key,
            file,
            position,
            whole,
            services,
            all_load_live,
        } in literals
        {
            let they = if services.len() == 1 {
                "it loads"
            } else {
                "they load"
            };
            let services = match services.as_slice() {
                [one] => format!("service {one}"),
                many => format!("services {}", many.join(", ")),
            };
            let live = cx.input.live_path.display();
            let message = match whole {
                // `${KEY}` is filled from `.env` or the shell, never from an env_file: when
                // the live file reaches the service through `env_file:` (weblate's
                // `environment`), the literal must go so the file's line can take effect.
                Some(what) if all_load_live => format!(
                    "{key} of {services} is {what} in {}; delete that line and set {key} in {live}, which {they} with env_file: (an environment: entry outranks it)",
                    file.display()
                ),
                Some(what) => format!(
                    "{key} of {services} is {what} in {}; use ${{{key}}} and set it in {live}",
                    file.display()
                ),
                None => format!(
                    "{key} of {services} has a password written into it in {}; interpolate it from the env file",
                    file.display()
                ),
            };
            out.push(Finding {
                rule: self.id(),
                severity: Severity::Error,
                variable: Some(key.to_string()),
                file: file.clone(),
                position,
                message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::embedded_secret;
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    #[test]
    fn one_literal_shared_through_an_anchor_is_one_finding_naming_every_service() {
        let compose = "x-key: &key change-this-insecure-key\nservices:\n  backend:\n    image: x\n    environment:\n      APP_SECRET_KEY: *key\n  exporter:\n    image: y\n    environment:\n      APP_SECRET_KEY: *key\n";
        let inv = Fixture::new().compose(compose).run();
        let found: Vec<_> = inv
            .findings
            .iter()
            .filter(|f| f.rule == RuleId::Hardcoded)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.starts_with(
                "APP_SECRET_KEY of services backend, exporter is written as a literal"
            ),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn the_advice_follows_how_the_service_gets_the_live_file() {
        // weblate: the service loads the live file with env_file:, where `${KEY}` would
        // never be filled from; the literal has to go for the file's line to count.
        let loads = "services:\n  web:\n    image: x\n    env_file: .env\n    environment:\n      SMTP_PASSWORD: hunter2hunter2\n";
        let plain = "services:\n  web:\n    image: x\n    environment:\n      SMTP_PASSWORD: hunter2hunter2\n";
        let message = |compose: &str| {
            let inv = Fixture::new().compose(compose).live("A=1\n").run();
            inv.findings
                .iter()
                .find(|f| f.rule == RuleId::Hardcoded)
                .map(|f| f.message.clone())
                .unwrap()
        };
        let m = message(loads);
        assert!(
            m.ends_with("delete that line and set SMTP_PASSWORD in .env, which it loads with env_file: (an environment: entry outranks it)"),
            "{m}"
        );
        assert!(!m.contains("${"), "{m}");
        let m = message(plain);
        assert!(
            m.ends_with("use ${SMTP_PASSWORD} and set it in .env"),
            "{m}"
        );
    }

    #[test]
    fn truth_table() {
        let cases: [(&str, &[&str]); 10] = [
            ("POSTGRES_PASSWORD: testpass", &["POSTGRES_PASSWORD"]),
            ("POSTGRES_PASSWORD: ${DB_PASSWORD}", &[]),
            ("POSTGRES_PASSWORD: ''", &["POSTGRES_PASSWORD"]),
            (
                "DATABASE_URL: postgres://app:hunter2@db/app",
                &["DATABASE_URL"],
            ),
            ("DATABASE_URL: postgres://app:${PW}@db/app", &[]),
            ("LOG_LEVEL: debug", &[]),
            ("MYSQL_ALLOW_EMPTY_PASSWORD: 'yes'", &[]),
            ("POSTGRES_PASSWORD_FILE: /run/secrets/db", &[]),
            ("CONN: Host=db;Username=app;Password=hunter2", &["CONN"]),
            ("CONN: Host=db;Username=app;Password=${PW}", &[]),
        ];
        for (env, want) in cases {
            let compose =
                format!("services:\n  db:\n    image: postgres\n    environment:\n      {env}\n");
            let inv = Fixture::new().compose(&compose).run();
            assert_eq!(vars_of(&inv, RuleId::Hardcoded), want, "{env}");
        }
    }

    #[test]
    fn the_identifier_half_of_a_literal_key_pair_is_not_a_secret() {
        let compose = "services:\n  s3:\n    image: chrislusf/seaweedfs\n    environment:\n      AWS_ACCESS_KEY_ID: sentry\n      AWS_SECRET_ACCESS_KEY: sentry\n  profiles:\n    image: x\n    environment:\n      AWS_ACCESS_KEY: \"sentry\"\n      AWS_SECRET_KEY: \"sentry\"\n  alone:\n    image: y\n    environment:\n      SERVICE_ACCESS_KEY: hunter2hunter2\n";
        let inv = Fixture::new().compose(compose).run();
        assert_eq!(
            vars_of(&inv, RuleId::Hardcoded),
            [
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SECRET_KEY",
                "SERVICE_ACCESS_KEY"
            ]
        );
    }

    #[test]
    fn a_switch_that_turns_passwords_off_is_no_password() {
        // Dub's PlanetScale simulator: `"-mysql-no-pass", "-listen-port=3900"`.
        for command in [
            "[\"-mysql-no-pass\", \"-listen-port=3900\", \"-mysql-addr=db\"]",
            "server --skip-password --port 80",
            "server --no-password --listen=0.0.0.0",
            "server --password --verbose",
        ] {
            let compose =
                format!("services:\n  sim:\n    image: example/sim\n    command: {command}\n");
            let inv = Fixture::new().compose(&compose).run();
            assert!(vars_of(&inv, RuleId::Hardcoded).is_empty(), "{command}");
        }
        let compose = "services:\n  sim:\n    image: example/sim\n    command: server --password s3cr3t-value --port 80\n";
        let inv = Fixture::new().compose(compose).run();
        assert!(
            inv.findings.iter().any(|f| f.rule == RuleId::Hardcoded),
            "{:?}",
            inv.findings
        );
    }

    #[test]
    fn passwords_on_command_lines_and_healthchecks() {
        let compose = "services:\n  cache:\n    image: redis\n    command: redis-server --requirepass hunter2hunter2\n  ch:\n    image: clickhouse\n    healthcheck:\n      test: [\"CMD\", \"clickhouse-client\",\n        \"--password\", \"password\"]\n  ok:\n    image: redis\n    command: [\"redis-server\", \"--requirepass\", \"${REDIS_PASSWORD}\"]\n";
        let inv = Fixture::new().compose(compose).run();
        let lines: Vec<usize> = inv
            .findings
            .iter()
            .filter(|f| f.rule == RuleId::Hardcoded)
            .map(|f| f.position.line)
            .collect();
        assert_eq!(lines, [4, 9]);
        for f in &inv.findings {
            assert!(!f.message.contains("hunter2"), "{}", f.message);
        }
    }

    #[test]
    fn secrets_inside_longer_literals() {
        for yes in [
            r#"{"password": "hunter2"}"#,
            "redis://:hunter2@redis:6379",
            "--requirepass hunter2x",
            "secretKey=abc123def",
        ] {
            assert!(embedded_secret(yes), "{yes}");
        }
        for no in [
            r#"{"password": "${PW}"}"#,
            "postgres://app@db/x",
            "password_file=/run/secrets/x",
            "passwordless login",
            "bypass=true",
        ] {
            assert!(!embedded_secret(no), "{no}");
        }
    }
}
