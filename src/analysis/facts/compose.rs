//! What the compose project says about the env file's variables: which known images they
//! feed, which servers run with or without a password, which server passwords are written as
//! literals, and the URI part of each reference inside a URI.

use super::Map;
use crate::analysis::{Input, knowledge, relations, shape};
use crate::interpolate;

/// Each variable's `(image, container variable)` pairs.
type Pairs = Map<String, Vec<(String, String)>>;

/// Which `(image, container variable)` pairs each `.env` variable feeds: through
/// `environment:` entries, and through an `env_file:` that loads the live file whole.
///
/// A whole-file load by an image envward does not know yields no pair: such a pair says
/// nothing about the variable's class or rules, only that the image runs it (which the
/// provider test asks, see [`crate::analysis::classify::Evidence::whole_file_images`]). Those
/// images come back apart, once each; one pair per variable and service made a project with
/// `env_file: .env` on every service cost variables × services.
pub(super) fn feeds(input: &Input<'_>, live_keys: &[&str]) -> (Pairs, Vec<String>) {
    let mut out: Pairs = Map::default();
    let mut whole_file_images: Vec<String> = Vec::new();
    let live_abs = input.project.env_file.clone();
    for service in &input.project.services {
        let Some(image) = &service.image else {
            continue;
        };
        // A container variable holding its credential inside a form (neo4j's
        // `NEO4J_AUTH=<user>/<password>`) is fed the password only by what sits in the
        // password's part: the user's reference, or a variable holding the whole form, is no
        // password (a generated one would lose the `<user>/`).
        // The image looked up once per service, not once per variable it is given.
        let known = input.knowledge.image(image);
        let form_of = |key: &str| known.and_then(|i| i.vars.get(key)).and_then(|r| r.form);
        for var in &service.environment {
            match &var.value {
                None if form_of(&var.key).is_some() => {}
                None => out
                    .entry(var.key.clone())
                    .or_default()
                    .push((image.clone(), var.key.clone())),
                Some(v) => {
                    let from = match form_of(&var.key) {
                        Some(form) => match form.password_start(v) {
                            Some(at) => at,
                            None => continue,
                        },
                        None => 0,
                    };
                    for r in interpolate::references(v).unwrap_or_default() {
                        if r.span.start < from {
                            continue;
                        }
                        out.entry(r.name)
                            .or_default()
                            .push((image.clone(), var.key.clone()));
                    }
                }
            }
        }
        // A variable on Redis's command line is its password (`redis-server --requirepass
        // ${REDIS_AUTH}`), whatever it is called.
        if let Some(image_rules) = known.filter(|i| i.family.as_deref() == Some("redis")) {
            let password = image_rules
                .server_var(knowledge::ServerRole::Password)
                .next();
            if let Some(password) = password {
                for name in super::servers::command_line_passwords(service, &live_abs) {
                    out.entry(name)
                        .or_default()
                        .push((image.clone(), password.to_string()));
                }
            }
        }
        if service.env_files.iter().any(|f| f.path == live_abs) {
            if known.is_none() {
                if !whole_file_images.contains(image) {
                    whole_file_images.push(image.clone());
                }
                continue;
            }
            for key in live_keys.iter().filter(|k| form_of(k).is_none()) {
                out.entry((*key).to_string())
                    .or_default()
                    .push((image.clone(), (*key).to_string()));
            }
        }
    }
    (out, whole_file_images)
}

/// A server credential written as a literal in a compose file.
pub(super) struct ComposeLiteral {
    /// The kind of server it is for (`postgres`).
    pub family: String,
    /// The password.
    pub password: String,
    /// Where, for people: `MYSQL_PASSWORD in docker-compose.yml:8`.
    pub at: String,
}

/// Server credentials written as literals in the compose files: the password variable of a
/// known server image (`POSTGRES_PASSWORD: changeme`) and the password inside a literal URL
/// that points at such a server.
pub(super) fn compose_literals(input: &Input<'_>) -> Vec<ComposeLiteral> {
    let k = input.knowledge;
    let family_of = |service: &str| {
        input
            .project
            .services
            .iter()
            .find(|s| s.name == service)
            .and_then(|s| s.image.as_deref())
            .and_then(|i| k.image(i))
            .and_then(|i| i.family.clone())
    };
    let mut out = Vec::new();
    for s in &input.project.services {
        let image = s.image.as_deref().and_then(|i| k.image(i));
        for e in &s.environment {
            let Some(v) = e
                .value
                .as_deref()
                .filter(|v| !v.is_empty() && !v.contains('$'))
            else {
                continue;
            };
            let at = || {
                format!(
                    "{} in {}:{}",
                    e.key,
                    crate::compose::display_path(&input.project.working_dir, &e.file).display(),
                    e.position.line
                )
            };
            if let Some(image) = image
                && let Some(family) = &image.family
                && image.vars.get(&e.key).and_then(|r| r.server)
                    == Some(knowledge::ServerRole::Password)
            {
                out.push(ComposeLiteral {
                    family: family.clone(),
                    password: v.to_string(),
                    at: at(),
                });
            }
            if let Some(span) = shape::url_password_span(v)
                && let Some(family) = relations::host_of(v).and_then(family_of)
            {
                out.push(ComposeLiteral {
                    family,
                    password: relations::percent_decode(&v[span]),
                    at: at(),
                });
            }
        }
    }
    out
}

/// The URI part each compose reference inside a URI sits in, read once from the
/// `environment:` values (keyed by file, line and name); a reference found nowhere there
/// counts as the strictest part, the user's.
pub(super) fn compose_uri_parts(
    input: &Input<'_>,
) -> Map<(std::path::PathBuf, usize, String), shape::UriPart> {
    let mut out = Map::default();
    for s in &input.project.services {
        for e in &s.environment {
            // Only a reference the compose walk placed in a URI is asked about, and it
            // places none in a value without `://` (`compose::refs`): reading the others
            // again was a fortieth of a 10,000-variable check (issue 13).
            let Some(v) = e
                .value
                .as_deref()
                .filter(|v| v.contains('$') && v.contains("://"))
            else {
                continue;
            };
            let refs = interpolate::references(v).unwrap_or_default();
            let starts: Vec<usize> = refs.iter().map(|r| r.span.start).collect();
            for (r, part) in refs.into_iter().zip(shape::uri_parts_all(v, &starts)) {
                if let Some(p) = part {
                    out.entry((e.file.clone(), e.position.line, r.name))
                        .or_insert(p);
                }
            }
        }
    }
    out
}

/// Whether Compose starts `service` by default: it names no profile, or one of the profiles
/// `COMPOSE_PROFILES` (from the environment or the env file) turns on.
pub(super) fn is_active(service: &crate::compose::Service, input: &Input<'_>) -> bool {
    if service.profiles.is_empty() {
        return true;
    }
    let from_live = input
        .live
        .and_then(|l| l.document.get("COMPOSE_PROFILES"))
        .map(|e| e.raw_value().trim_matches(['"', '\'']).to_string());
    let on = input
        .env
        .get("COMPOSE_PROFILES")
        .or_else(|| input.project.environment.get("COMPOSE_PROFILES"))
        .cloned()
        .or(from_live);
    on.is_some_and(|list| {
        list.split(',')
            .map(str::trim)
            .any(|p| p == "*" || service.profiles.iter().any(|sp| sp.value == p))
    })
}

/// What the templates know of a service's image.
pub(super) fn known_image<'k>(
    service: &crate::compose::Service,
    input: &Input<'k>,
) -> Option<&'k knowledge::Image> {
    service
        .image
        .as_deref()
        .and_then(|i| input.knowledge.image(i))
}
