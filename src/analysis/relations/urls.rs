//! URLs that carry another variable's password, tokens derived from another variable, and
//! the percent-encoding a password needs inside a URL.

use foldhash::HashMap;
use std::fmt::Write as _;

use super::super::facts::Var;
use super::super::knowledge::{Knowledge, ServerRole};
use super::super::shape::url_password_span;
use super::super::{Class, Input};
use super::{Derivation, UrlLink, UrlSource, current, host_of, interpolated};
use crate::compose::Usage;
use crate::interpolate;
pub(super) fn url_links(
    vars: &[Var<'_>],
    index: &HashMap<String, usize>,
    input: &Input<'_>,
) -> Vec<UrlLink> {
    let mut out = Vec::new();
    let holders = Holders::new(vars, input);
    for (i, v) in vars.iter().enumerate() {
        // A URL in the env file whose password is written out (not `${…}`).
        if v.url_credentials
            && !interpolated(v)
            && let Some(url) = current(v)
            && let Some(span) = url_password_span(url)
        {
            let password = percent_decode(&url[span]);
            if let Some(j) = holders.match_password(url, &password, vars, i, input) {
                out.push(UrlLink {
                    url: v.name.clone(),
                    password_of: vars[j].name.clone(),
                    source: UrlSource::EnvFile,
                    why: format!("the password in {} is {}'s value", v.name, vars[j].name),
                });
                continue;
            }
            if let Some(j) = structural_password(url, vars, index, input) {
                out.push(UrlLink {
                    url: v.name.clone(),
                    password_of: vars[j].name.clone(),
                    source: UrlSource::EnvFile,
                    why: format!(
                        "{} points at the service whose password is {}",
                        v.name, vars[j].name
                    ),
                });
            }
            continue;
        }
        // A compose default URL that bakes a password in, in force while the env file
        // leaves the variable unset.
        if current(v).is_some() {
            continue;
        }
        for r in &v.refs {
            let Some(default) = r.default.as_deref() else {
                continue;
            };
            if !matches!(r.usage, Usage::Interpolation(_)) || default.contains('$') {
                continue;
            }
            let Some(span) = url_password_span(default) else {
                continue;
            };
            let password = percent_decode(&default[span]);
            let linked = holders
                .match_password(default, &password, vars, i, input)
                .or_else(|| structural_password(default, vars, index, input));
            if let Some(j) = linked {
                out.push(UrlLink {
                    url: v.name.clone(),
                    password_of: vars[j].name.clone(),
                    source: UrlSource::ComposeDefault {
                        file: r.file.clone(),
                        position: r.position,
                    },
                    why: format!(
                        "the default of {} in {}:{} embeds {}'s value",
                        v.name,
                        r.file.display(),
                        r.position,
                        vars[j].name
                    ),
                });
                break;
            }
        }
    }
    out
}

/// The one secret whose value is `password` (several only if they are the same group's).
/// The secrets by the value they hold (one written through another, `${POSTGRES_PASSWORD}`,
/// holds none of its own), the passwords the project's known servers start with, and the
/// service names: found once, since every URL asks.
struct Holders<'v, 'i> {
    by_value: HashMap<&'v str, Vec<usize>>,
    server_passwords: foldhash::HashSet<String>,
    services: foldhash::HashSet<&'i str>,
}

impl<'v, 'i> Holders<'v, 'i> {
    fn new(vars: &'v [Var<'_>], input: &'i Input<'_>) -> Self {
        let mut by_value: HashMap<&str, Vec<usize>> = HashMap::default();
        for (j, v) in vars.iter().enumerate() {
            if v.class == Class::Config || v.url_credentials || v.follows_others() {
                continue;
            }
            if let Some(value) = current(v).or(v.default_value.as_deref()) {
                by_value.entry(value).or_default().push(j);
            }
        }
        let k = input.knowledge;
        let mut server_passwords = foldhash::HashSet::default();
        for service in &input.project.services {
            let Some(image) = service.image.as_deref().and_then(|i| k.image(i)) else {
                continue;
            };
            let pw: Vec<&str> = image.server_var(ServerRole::Password).collect();
            for e in service
                .environment
                .iter()
                .filter(|e| pw.contains(&e.key.as_str()))
            {
                match &e.value {
                    None => {
                        server_passwords.insert(e.key.clone());
                    }
                    Some(v) => server_passwords.extend(
                        interpolate::references(v)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|r| r.name),
                    ),
                }
            }
        }
        let services = input
            .project
            .services
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        Holders {
            by_value,
            server_passwords,
            services,
        }
    }

    /// The one secret whose value is the password written in `url`, when that equality can
    /// be trusted. Equal values tie a URL to a password only where no coincidence explains
    /// them: a URL to a server of this project (or this machine), a database URL and a
    /// database server's password, or a password that is neither a default nor a
    /// placeholder; never when two secrets hold it. Otherwise a `sms://user:password@mock`
    /// would be rewritten with the database password.
    fn match_password(
        &self,
        url: &str,
        password: &str,
        vars: &[Var<'_>],
        not: usize,
        input: &Input<'_>,
    ) -> Option<usize> {
        if password.is_empty() {
            return None;
        }
        let mut equal = self
            .by_value
            .get(password)?
            .iter()
            .copied()
            .filter(|&j| j != not);
        let first = equal.next()?;
        if equal.next().is_some() {
            // Several secrets share it: the value says nothing about which one the URL carries.
            return None;
        }
        let k = input.knowledge;
        let local = host_of(url).is_some_and(|host| {
            matches!(
                host,
                "localhost" | "127.0.0.1" | "0.0.0.0" | "host.docker.internal"
            ) || self.services.contains(host)
        });
        let telling = !k.is_default_password(password) && k.placeholder(password, true).is_none();
        // A database URL to a host this compose does not name (drift, or a renamed service)
        // still carries the password of the database server the project runs.
        let to_own_server = is_server_url(url) && self.server_passwords.contains(&vars[first].name);
        (local || telling || to_own_server).then_some(first)
    }
}

/// Whether the URL's scheme is a database or broker's, the servers compose projects run
/// (also behind a `jdbc:` prefix).
pub(super) fn is_server_url(url: &str) -> bool {
    let Some(scheme) = crate::analysis::shape::url_scheme(url) else {
        return false;
    };
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "postgres"
            | "postgresql"
            | "mysql"
            | "mariadb"
            | "mongodb"
            | "mongodb+srv"
            | "redis"
            | "rediss"
            | "amqp"
            | "amqps"
            | "clickhouse"
    )
}

/// The password variable of the project's own server that `url` points at.
fn structural_password(
    url: &str,
    vars: &[Var<'_>],
    index: &HashMap<String, usize>,
    input: &Input<'_>,
) -> Option<usize> {
    let host = host_of(url)?;
    let k = input.knowledge;
    let service = input.project.services.iter().find(|s| s.name == host)?;
    let image = k.image(service.image.as_deref()?)?;
    let pw: Vec<&str> = image.server_var(ServerRole::Password).collect();
    service.environment.iter().find_map(|e| {
        if !pw.contains(&e.key.as_str()) {
            return None;
        }
        let name = match &e.value {
            None => e.key.clone(),
            Some(v) => interpolate::references(v).ok()?.into_iter().next()?.name,
        };
        index
            .get(&name)
            .copied()
            .filter(|&j| !vars[j].url_credentials)
    })
}

pub(super) fn derivations(
    vars: &mut [Var<'_>],
    index: &HashMap<String, usize>,
    input: &Input<'_>,
    k: &Knowledge,
) -> Vec<Derivation> {
    let mut out = Vec::new();
    let first = |names: &[String]| names.iter().find(|n| index.contains_key(*n)).cloned();
    for rule in k.derivations() {
        if let (Some(var), Some(from)) = (first(&rule.vars), first(&rule.from)) {
            out.push(Derivation {
                var,
                from,
                claims: rule.jwt.clone(),
                issuer: rule.issuer.clone(),
                lifetime_days: rule.lifetime_days,
            });
        }
    }
    for (name, vc) in &input.config.vars {
        if let Some(d) = &vc.derive
            && index.contains_key(name)
            && index.contains_key(&d.from)
        {
            out.retain(|x| x.var != *name);
            out.push(Derivation {
                var: name.clone(),
                from: d.from.clone(),
                claims: d.jwt.clone(),
                issuer: None,
                lifetime_days: d.lifetime_days.unwrap_or(1825),
            });
        }
    }
    for d in &out {
        if let Some(&i) = index.get(&d.var) {
            let v = &mut vars[i];
            v.class = Class::Secret;
            v.kind = None;
            v.classified_by = format!("an HS256 token signed with {}", d.from);
        }
    }
    out
}

/// `%40` → `@`; anything malformed is kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for a password in a URL.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
