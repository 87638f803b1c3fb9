//! What the servers the project starts need: which run with a password and which open, the
//! passwords they cannot start without (through `environment:`, the live file or their
//! command line), and the ones the apps log in to them with.

use std::path::Path;

use super::compose::{is_active, known_image};
use super::{Map, Set};
use crate::analysis::{Input, knowledge};
use crate::interpolate;

/// Server families the project runs only without a password (every service of that family
/// sets none of its password variables, on its command line for Redis), and every family
/// it runs.
pub(super) fn server_families<'i>(
    input: &'i Input<'_>,
    env_keys: &Set<String>,
    env_opens: bool,
) -> (Set<&'i str>, Set<&'i str>) {
    let k = input.knowledge;
    let mut with: Set<&str> = Set::default();
    let mut without: Set<&str> = Set::default();
    let mut run: Set<&str> = Set::default();
    for s in &input.project.services {
        let Some(image) = s.image.as_deref().and_then(|i| k.image(i)) else {
            continue;
        };
        let Some(family) = image.family.as_deref() else {
            continue;
        };
        run.insert(family);
        // Redis takes its password on the command line (`--requirepass ${PW}`).
        let live_abs = input.project.env_file.clone();
        let on_command_line = family == "redis" && !command_line_passwords(s, &live_abs).is_empty();
        let pw: Vec<&str> = image.server_var(knowledge::ServerRole::Password).collect();
        let loads_live = s.env_files.iter().any(|f| f.path == live_abs);
        // A setting that lets the server run open (`POSTGRES_HOST_AUTH_METHOD: trust`) wins
        // over a password handed to it too: the server then accepts any password, or none.
        let open = runs_open(s, input) || (loads_live && env_opens);
        // An image that refuses to start without its password (postgres) and loads the live
        // file: a password the template leaves out (or comments out) is a line to add, not a
        // server run open.
        let cannot_run_open = loads_live
            && pw
                .iter()
                .any(|p| image.vars.get(*p).is_some_and(|r| r.required));
        let has = !open
            && (on_command_line
                || cannot_run_open
                || s.environment.iter().any(|e| pw.contains(&e.key.as_str()))
                || (loads_live && pw.iter().any(|p| env_keys.contains(*p))));
        if has {
            with.insert(family);
        } else {
            without.insert(family);
        }
    }
    without.retain(|f| !with.contains(f));
    (without, run)
}

/// The passwords servers the project starts take on their command line (`redis-server
/// --requirepass ${REDIS_PASSWORD}`): the compose file asks the server to require one, and an
/// empty value leaves it open (or stops it), whatever the template says of the variable.
pub(super) fn command_line_server_passwords(input: &Input<'_>) -> Set<String> {
    input
        .project
        .services
        .iter()
        .filter(|s| is_active(s, input))
        .filter(|s| known_image(s, input).is_some_and(|i| i.family.as_deref() == Some("redis")))
        .flat_map(|s| command_line_passwords(s, &input.project.env_file))
        .collect()
}

/// Passwords compose hands a server the project starts, as the one password of its user
/// (`MYSQL_PASSWORD: ${DB_PASSWORD}` on mariadb, no default), that another service reads too
/// (`DB_PASSWORD: ${DB_PASSWORD}` on the app): the app logs in with it, and with it empty the
/// server creates no user (the mariadb entrypoint skips it) or does not start.
pub(super) fn server_passwords_apps_use(input: &Input<'_>) -> Set<String> {
    let active: Vec<&crate::compose::Service> = input
        .project
        .services
        .iter()
        .filter(|s| is_active(s, input))
        .collect();
    let mut owners: Map<String, &str> = Map::default();
    for s in &active {
        let Some(image) = known_image(s, input).filter(|i| i.family.is_some()) else {
            continue;
        };
        // A server run open accepts the app with any password, or none.
        if runs_open(s, input) {
            continue;
        }
        let pw: Vec<&str> = image.server_var(knowledge::ServerRole::Password).collect();
        for e in s
            .environment
            .iter()
            .filter(|e| pw.contains(&e.key.as_str()))
        {
            let refs = e
                .value
                .as_deref()
                .map(|v| interpolate::references(v).unwrap_or_default())
                .unwrap_or_default();
            if let [r] = refs.as_slice()
                && r.is_required()
            {
                owners.insert(r.name.clone(), s.name.as_str());
            }
        }
    }
    let mut out = Set::default();
    if owners.is_empty() {
        return out;
    }
    for s in &active {
        for value in s.environment.iter().filter_map(|e| e.value.as_deref()) {
            for r in interpolate::references(value).unwrap_or_default() {
                if owners.get(&r.name).is_some_and(|owner| *owner != s.name) {
                    out.insert(r.name);
                }
            }
        }
    }
    out
}

/// The variables a Redis command line takes as a password: those written as the value of
/// `--requirepass` or `--masterauth` (`redis-server /etc/redis.conf --requirepass
/// ${REDIS_PASSWORD}`, or the same as list items). Any other reference on the line (a config
/// file, a port, a log level) is not the password, and judging it as one would replace a
/// path with a random string.
///
/// A shell in the container may read the password from the container's own environment
/// (`sh -c 'redis-server --requirepass "$${REDIS_PASSWORD}"'`): the variable feeding that
/// `environment:` entry is the password, or the container variable itself when the service
/// loads `live` (the live env file) whole.
pub fn command_line_passwords(service: &crate::compose::Service, live: &Path) -> Vec<String> {
    let line: Vec<&str> = service
        .commands
        .iter()
        .filter(|c| c.key == crate::compose::CommandKey::Command)
        .map(|c| c.text.as_str())
        .collect();
    let line = line.join(" ");
    let Ok(refs) = interpolate::references(&line) else {
        return Vec::new();
    };
    let flag_before = |at: usize| {
        let before = line.get(..at).unwrap_or_default();
        let flag = before
            .trim_end_matches(['"', '\'', ' ', '\t', '='])
            .rsplit([' ', '\t', '"', '\''])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        matches!(flag.as_str(), "--requirepass" | "--masterauth")
    };
    let mut out: Vec<String> = refs
        .into_iter()
        .filter(|r| !r.nested)
        .filter(|r| flag_before(r.span.start))
        .map(|r| r.name)
        .collect();
    for (at, _) in line.match_indices("$$") {
        if !flag_before(at) {
            continue;
        }
        let rest = &line[at + 2..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if name.is_empty() {
            continue;
        }
        match service.environment.iter().find(|e| e.key == name) {
            Some(e) => match e.value.as_deref() {
                None => out.push(name.to_string()),
                Some(v) => out.extend(
                    interpolate::references(v)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|r| !r.nested)
                        .map(|r| r.name),
                ),
            },
            None if service.env_files.iter().any(|f| f.path == live) => out.push(name.to_string()),
            None => {}
        }
    }
    out
}

/// The env-file variables that feed a container variable a known image cannot start without
/// (`POSTGRES_PASSWORD` of `postgres`), in services Compose starts by default.
/// What the known images that read the live file whole (`env_file:`) cannot start without
/// (postgres and `POSTGRES_PASSWORD` in Chatwoot's `.env`), where the service does not set the
/// key itself.
pub(super) fn required_through_env_file(input: &Input<'_>, live_abs: &Path) -> Set<String> {
    let mut out = Set::default();
    // The live file's keys, and the service's own settings, say whether a variable another
    // depends on is set at all.
    let in_live = |key: &str| input.live.is_some_and(|l| l.document.get(key).is_some());
    for (service, image) in closed_servers_loading(input, live_abs) {
        let sets = |key: &str| in_live(key) || service.environment.iter().any(|e| e.key == key);
        for (name, rules) in &image.vars {
            let needed = rules.required || rules.required_with.as_deref().is_some_and(sets);
            if needed && !service.environment.iter().any(|e| &e.key == name) {
                out.insert(name.clone());
            }
        }
    }
    out
}

/// The password of a server that cannot start without one (postgres), where its service
/// loads the live file and sets neither the password nor a setting that lets it run open
/// (in its environment or among `env_keys`, the env files' keys): the password belongs in the
/// live file even when no line of the project names it. An image that takes one of several
/// passwords (mysql: the root one, or a random or empty one) is left out, since no single
/// name is the one it needs.
pub(super) fn unset_server_passwords(
    input: &Input<'_>,
    live_abs: &Path,
    env_opens: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if env_opens {
        return out;
    }
    for (service, image) in closed_servers_loading(input, live_abs) {
        for name in image.server_var(knowledge::ServerRole::Password) {
            if image.vars.get(name).is_some_and(|r| r.required)
                && !service.environment.iter().any(|e| e.key == name)
            {
                out.push(name.to_string());
            }
        }
    }
    out
}

pub(super) fn required_by_running_images(input: &Input<'_>) -> Set<String> {
    let mut out = Set::default();
    for service in input
        .project
        .services
        .iter()
        .filter(|s| is_active(s, input))
    {
        let Some(image) = known_image(service, input) else {
            continue;
        };
        if runs_open(service, input) {
            continue;
        }
        for e in &service.environment {
            let needed = image.vars.get(&e.key).is_some_and(|r| {
                r.required
                    || r.required_with
                        .as_deref()
                        .is_some_and(|other| service.environment.iter().any(|x| x.key == other))
            });
            if !needed {
                continue;
            }
            match &e.value {
                None => {
                    out.insert(e.key.clone());
                }
                Some(v) => {
                    for r in interpolate::references(v).unwrap_or_default() {
                        out.insert(r.name);
                    }
                }
            }
        }
    }
    out
}

/// Whether `key=value` lets a server start and accept clients without a password:
/// `POSTGRES_HOST_AUTH_METHOD=trust` (the postgres image writes `host all all all trust`),
/// `MYSQL_ALLOW_EMPTY_PASSWORD=yes`, Bitnami's `ALLOW_EMPTY_PASSWORD=yes`. Only the value
/// that opens counts: `scram-sha-256` or `md5` asks for passwords all the more.
pub(super) fn opens_server(key: &str, value: &str) -> bool {
    let value = value.trim();
    if key.ends_with("AUTH_METHOD") {
        value.eq_ignore_ascii_case("trust")
    } else if key.contains("ALLOW_EMPTY") {
        // The mysql and mariadb entrypoints test for any non-empty value; a "no" is meant
        // as one, whatever the script makes of it.
        !value.is_empty()
            && !["no", "false", "0", "off", "n"]
                .iter()
                .any(|n| value.eq_ignore_ascii_case(n))
    } else {
        false
    }
}

/// Whether the service's own `environment:` lets its server run open, its values read as
/// Compose reads them (`${PG_AUTH:-trust}` resolved against the project environment).
fn runs_open(service: &crate::compose::Service, input: &Input<'_>) -> bool {
    let env = &input.project.environment;
    service.environment.iter().any(|e| {
        let value = match &e.value {
            Some(v) if v.contains('$') => {
                interpolate::substitute(v, &|k: &str| env.get(k).cloned()).ok()
            }
            Some(v) => Some(v.clone()),
            None => env.get(&e.key).cloned(),
        };
        value.is_some_and(|v| opens_server(&e.key, &v))
    })
}

/// The services Compose starts that load the live file whole, run a known image and do not
/// let it run open: what those images need, the live file must give them.
fn closed_servers_loading<'i, 'k>(
    input: &'i Input<'k>,
    live_abs: &'i Path,
) -> impl Iterator<Item = (&'i crate::compose::Service, &'k knowledge::Image)> {
    input
        .project
        .services
        .iter()
        .filter(move |s| is_active(s, input) && s.env_files.iter().any(|f| f.path == live_abs))
        .filter(move |s| !runs_open(s, input))
        .filter_map(move |s| known_image(s, input).map(|image| (s, image)))
}
