//! Ties between variables that a change must respect.
//!
//! - **Groups**: variables that must hold one value — declared (`same_as`), said so in a
//!   comment, shipped with the same sample value, or wired together through compose (the
//!   app's `DB_PASSWORD` logs in to the project's own `postgres`, whose password is
//!   `POSTGRES_PASSWORD`).
//! - **URL links**: a URL whose password is another variable's value (`DATABASE_URL` in the
//!   live file, or a compose default that bakes one in): when the password changes, the URL
//!   must follow.
//! - **Derivations**: values computed from another (Supabase's `ANON_KEY`, an HS256 JWT
//!   signed with `JWT_SECRET`).
//!
//! Inference reads the facts already gathered per variable and the compose services; it
//! holds no values in what it returns, only names and places.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use super::facts::Var;
use super::knowledge::{Knowledge, ServerRole, name_words};
use super::shape::url_password_span;
use super::{Class, Input};
use crate::compose::Usage;
use crate::interpolate;
use crate::position::Position;

/// Why the members of a group must hold one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupWhy {
    /// `same_as` in `envward.toml`.
    Declared,
    /// A comment in the template says so.
    Comment,
    /// A client's credential for a server of this project.
    Wiring,
    /// The template gives them the same sample value.
    SameSample,
}

/// Variables that must hold one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The members, in inventory order.
    pub members: Vec<String>,
    /// Why, in words (no value).
    pub why: String,
    /// The strongest reason.
    pub reason: GroupWhy,
}

impl Group {
    /// Whether a difference between members is certainly a mistake (declared or said so),
    /// rather than a likely one.
    pub fn is_certain(&self) -> bool {
        matches!(self.reason, GroupWhy::Declared | GroupWhy::Comment)
    }
}

/// Where a URL that carries a password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    /// The live file (or the template, before there is one).
    EnvFile,
    /// A compose default (`${DATABASE_URL:-postgres://app:app@db/app}`) at this place.
    ComposeDefault {
        /// The compose file.
        file: PathBuf,
        /// Where the reference is.
        position: Position,
    },
}

/// A URL whose password must be another variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlLink {
    /// The variable holding the URL.
    pub url: String,
    /// The variable whose value is its password.
    pub password_of: String,
    /// Where the URL text is.
    pub source: UrlSource,
    /// How the link was found, in words.
    pub why: String,
}

/// A value computed from another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// The derived variable.
    pub var: String,
    /// Its source.
    pub from: String,
    /// JWT claims it must carry, besides `iat` and `exp`.
    pub claims: BTreeMap<String, String>,
    /// The `iss` claim a new token gets.
    pub issuer: Option<String>,
    /// Lifetime of a token made now.
    pub lifetime_days: u32,
}

/// Everything [`infer`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// Groups of two or more.
    pub groups: Vec<Group>,
    /// URL links.
    pub urls: Vec<UrlLink>,
    /// Derived values.
    pub derived: Vec<Derivation>,
    /// Which group each member belongs to (an index into `groups`).
    member_of: HashMap<String, usize>,
}

impl Relations {
    /// The group `name` belongs to.
    pub fn group_of(&self, name: &str) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.members.iter().any(|m| m == name))
    }

    /// The URL link of the variable holding the URL.
    pub fn url_of(&self, name: &str) -> Option<&UrlLink> {
        self.urls.iter().find(|u| u.url == name)
    }

    /// The derivation of `name`.
    pub fn derivation_of(&self, name: &str) -> Option<&Derivation> {
        self.derived.iter().find(|d| d.var == name)
    }

    /// Whether `a` and `b` are meant to hold the same value.
    pub fn same(&self, a: &str, b: &str) -> bool {
        self.group_of(a)
            .is_some_and(|g| g.members.iter().any(|m| m == b))
    }
}

/// Union-find over variable indices, remembering the strongest reason for each union.
struct Unions {
    parent: Vec<usize>,
    why: HashMap<usize, (GroupWhy, String)>,
}

impl Unions {
    fn new(n: usize) -> Self {
        Unions {
            parent: (0..n).collect(),
            why: HashMap::new(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize, reason: GroupWhy, why: String) {
        let (ra, rb) = (self.find(a), self.find(b));
        let best = [
            self.why.remove(&ra),
            self.why.remove(&rb),
            Some((reason, why)),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|(r, _)| *r);
        if ra != rb {
            self.parent[rb] = ra;
        }
        if let Some(best) = best {
            self.why.insert(ra, best);
        }
    }
}

/// The value the example file gives a variable, decoded, when it gives one.
fn example_value<'v>(v: &'v Var<'_>) -> Option<&'v str> {
    v.example
        .as_ref()
        .and_then(|e| e.value.as_deref())
        .filter(|s| !s.trim().is_empty())
}

/// The value in force: the live file's, else the template's.
fn current<'v>(v: &'v Var<'_>) -> Option<&'v str> {
    v.live
        .as_ref()
        .or(v.example.as_ref())
        .and_then(|e| e.value.as_deref())
        .filter(|s| !s.trim().is_empty())
}

/// Whether the entry's value is written through references (`${POSTGRES_PASSWORD}`), so it
/// follows its sources without envward's help.
fn interpolated(v: &Var<'_>) -> bool {
    v.live
        .as_ref()
        .or(v.example.as_ref())
        .is_some_and(|e| !e.refs.is_empty())
}

/// Whether a name reads like a login name rather than a credential.
fn is_user_name(name: &str) -> bool {
    name_words(name).any(|w| matches!(w.as_str(), "USER" | "USERNAME" | "LOGIN" | "ID" | "NAME"))
}

/// Finds the groups, URL links and derivations among `vars`, and records each variable's
/// place in them.
pub fn infer(vars: &mut [Var<'_>], input: &Input<'_>) -> Relations {
    let k = input.knowledge;
    let index: HashMap<String, usize> = vars
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.clone(), i))
        .collect();
    let mut u = Unions::new(vars.len());

    // Declared and commented sameness.
    for (i, v) in vars.iter().enumerate() {
        for other in &v.same_as {
            if let Some(&j) = index.get(other) {
                u.join(
                    i,
                    j,
                    GroupWhy::Declared,
                    "declared same_as in envward.toml".into(),
                );
            }
        }
        for other in v
            .declared
            .as_ref()
            .map(|d| d.same_as.as_slice())
            .unwrap_or_default()
        {
            if let Some(&j) = index.get(other)
                && vars[j].class != Class::Config
                && v.class != Class::Config
            {
                u.join(
                    i,
                    j,
                    GroupWhy::Comment,
                    format!("the comment on {} says so", v.name),
                );
            }
        }
    }

    // The same sample value for two secrets of the template (the example file's or compose
    // defaults, never the live file's: equal live values are what `reused` reports). A shared
    // placeholder (`changeme` for every password) says nothing unless the two speak for the
    // same kind of server.
    let mut by_sample: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, v) in vars.iter().enumerate() {
        if v.class != Class::Config && !v.url_credentials && !interpolated(v) {
            let s = v
                .example
                .as_ref()
                .and_then(|e| e.value.as_deref())
                .filter(|s| !s.trim().is_empty())
                .or_else(|| v.default_value.as_deref().filter(|d| !d.is_empty()));
            if let Some(s) = s {
                by_sample.entry(s).or_default().push(i);
            }
        }
    }
    for (value, members) in by_sample.iter().filter(|(_, m)| m.len() > 1) {
        let why = || "the template gives them the same value".to_string();
        if k.placeholder(value, true).is_none() {
            for &j in &members[1..] {
                u.join(members[0], j, GroupWhy::SameSample, why());
            }
            continue;
        }
        // One join per kind of server the names speak for: linear in the bucket.
        let mut first_of_family: HashMap<&str, usize> = HashMap::new();
        for &i in members {
            for family in k.families_of_name(&vars[i].name) {
                match first_of_family.get(family) {
                    Some(&first) => u.join(first, i, GroupWhy::SameSample, why()),
                    None => {
                        first_of_family.insert(family, i);
                    }
                }
            }
        }
    }

    // Clients of the project's own servers.
    for (client, server, why) in wiring(vars, &index, input) {
        u.join(client, server, GroupWhy::Wiring, why);
    }

    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..vars.len() {
        let root = u.find(i);
        members.entry(root).or_default().push(i);
    }
    let mut groups = Vec::new();
    for (root, list) in members.into_iter().filter(|(_, m)| m.len() > 1) {
        let (reason, why) = u
            .why
            .get(&root)
            .cloned()
            .unwrap_or((GroupWhy::SameSample, String::new()));
        // A credential of the project's own server is whatever envward makes it: generatable.
        let has_server = list
            .iter()
            .any(|&i| vars[i].classified_by.starts_with("image "));
        for &i in &list {
            if vars[i].class == Class::External && (reason != GroupWhy::SameSample || has_server) {
                vars[i].class = Class::Secret;
                vars[i].classified_by = format!("{why}, so envward can generate it");
                if vars[i].kind.is_none() {
                    vars[i].kind = Some(crate::generate::Kind::Password);
                }
            }
        }
        groups.push(Group {
            members: list.iter().map(|&i| vars[i].name.clone()).collect(),
            why,
            reason,
        });
    }

    own_server_users(vars, &index, input);
    let urls = url_links(vars, &index, input);
    let derived = derivations(vars, &index, input, k);
    let member_of = groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.members.iter().map(move |m| (m.clone(), i)))
        .collect();
    Relations {
        groups,
        urls,
        derived,
        member_of,
    }
}

/// A server of the project: its service, family and the variable holding its password.
struct Server<'a> {
    service: &'a str,
    family: &'a str,
    clients: &'a [String],
    password_var: usize,
}

/// The `.env` variables each service reads, with the container variable each becomes.
fn service_inputs<'a>(
    input: &'a Input<'a>,
    vars: &[Var<'_>],
) -> Vec<(&'a str, Vec<(String, String)>)> {
    let live_abs = input.project.working_dir.join(input.live_path);
    input
        .project
        .services
        .iter()
        .map(|s| {
            let mut out: Vec<(String, String)> = Vec::new();
            for e in &s.environment {
                match &e.value {
                    None => out.push((e.key.clone(), e.key.clone())),
                    Some(v) => {
                        for r in interpolate::references(v).unwrap_or_default() {
                            out.push((r.name, e.key.clone()));
                        }
                    }
                }
            }
            if s.env_files.iter().any(|f| f.path == live_abs) {
                for v in vars
                    .iter()
                    .filter(|v| v.live.is_some() || v.example.is_some())
                {
                    if !out.iter().any(|(n, _)| *n == v.name) {
                        out.push((v.name.clone(), v.name.clone()));
                    }
                }
            }
            (s.name.as_str(), out)
        })
        .collect()
}

/// Pairs (client variable, server password variable) for clients of the project's own
/// servers, with the reason in words.
fn wiring(
    vars: &[Var<'_>],
    index: &HashMap<String, usize>,
    input: &Input<'_>,
) -> Vec<(usize, usize, String)> {
    let knowledge = input.knowledge;
    let inputs = service_inputs(input, vars);
    let mut servers: Vec<Server<'_>> = Vec::new();
    for (s, (name, feeds)) in input.project.services.iter().zip(&inputs) {
        let Some(image) = s.image.as_deref().and_then(|i| knowledge.image(i)) else {
            continue;
        };
        let Some(family) = image.family.as_deref() else {
            continue;
        };
        let pw: Vec<&str> = image
            .server_var(ServerRole::Password)
            .chain(image.server_var(ServerRole::Key))
            .collect();
        for (var, container) in feeds {
            if pw.contains(&container.as_str())
                && let Some(&i) = index.get(var)
            {
                servers.push(Server {
                    service: name,
                    family,
                    clients: &image.clients,
                    password_var: i,
                });
            }
        }
    }
    let mut out = Vec::new();
    for server in &servers {
        let same_family = servers.iter().filter(|s| s.family == server.family).count();
        for (service, feeds) in &inputs {
            if *service == server.service {
                continue;
            }
            // Host evidence: the client names the server's service somewhere in its inputs.
            let mentions_server = feeds.iter().any(|(var, _)| {
                index
                    .get(var)
                    .and_then(|&i| current(&vars[i]).or(vars[i].default_value.as_deref()))
                    .is_some_and(|v| host_of(v).is_some_and(|h| h == server.service))
            }) || input
                .project
                .services
                .iter()
                .find(|s| s.name == *service)
                .is_some_and(|s| {
                    s.environment.iter().any(|e| {
                        e.value
                            .as_deref()
                            .is_some_and(|v| host_of(v).is_some_and(|h| h == server.service))
                    })
                });
            if !mentions_server && same_family > 1 {
                continue;
            }
            for (var, container) in feeds {
                let Some(&i) = index.get(var) else { continue };
                if i == server.password_var {
                    continue;
                }
                let v = &vars[i];
                if v.class == Class::Config
                    || v.url_credentials
                    || is_user_name(container)
                    || is_user_name(var)
                {
                    continue;
                }
                let words: Vec<String> = name_words(container).chain(name_words(var)).collect();
                // A credential that names an outside provider is that provider's, whatever
                // else its name says (`AZURE_AI_SEARCH_API_KEY` is not the local search's).
                if words
                    .iter()
                    .any(|w| knowledge.is_provider_word(w) && !server.clients.contains(w))
                {
                    continue;
                }
                let specific = knowledge
                    .specific_families_of_name(container)
                    .contains(&server.family)
                    || knowledge
                        .specific_families_of_name(var)
                        .contains(&server.family);
                let speaks_family = words.iter().any(|w| server.clients.contains(w))
                    && (specific || mentions_server);
                let is_credential = words.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "PASSWORD"
                            | "PASS"
                            | "PWD"
                            | "PASSWD"
                            | "SECRET"
                            | "KEY"
                            | "APIKEY"
                            | "TOKEN"
                    )
                });
                if !(speaks_family && is_credential) {
                    continue;
                }
                if !mentions_server
                    && !feeds.iter().any(|(n, _)| {
                        index
                            .get(n)
                            .is_some_and(|&j| host_like(&vars[j], server.service))
                    })
                {
                    // Without a host setting pointing at the server, a matching name alone
                    // is not enough unless it is the only server of its kind.
                    if same_family != 1 {
                        continue;
                    }
                }
                // Two different real values in the template (the example file: a live file's
                // values are the user's, and may simply disagree) mean they are not the same.
                let a = example_value(v);
                let b = example_value(&vars[server.password_var]);
                if let (Some(a), Some(b)) = (a, b)
                    && a != b
                    && !(knowledge.placeholder(a, true).is_some()
                        || knowledge.placeholder(b, true).is_some())
                {
                    continue;
                }
                out.push((
                    i,
                    server.password_var,
                    format!(
                        "{} logs in to the project's own {} ({}), whose password is {}",
                        v.name, server.family, server.service, vars[server.password_var].name
                    ),
                ));
            }
        }
    }
    out
}

/// A client's access key id or user name for one of the project's own servers (the S3
/// access key of its `MinIO` is `MinIO`'s root user): configuration, not a provider's secret.
fn own_server_users(vars: &mut [Var<'_>], index: &HashMap<String, usize>, input: &Input<'_>) {
    let knowledge = input.knowledge;
    let inputs = service_inputs(input, vars);
    let mut users: Vec<(Vec<String>, String)> = Vec::new();
    for (s, (_, feeds)) in input.project.services.iter().zip(&inputs) {
        let Some(image) = s.image.as_deref().and_then(|i| knowledge.image(i)) else {
            continue;
        };
        let user_vars: Vec<&str> = image.server_var(ServerRole::User).collect();
        for (var, container) in feeds {
            if user_vars.contains(&container.as_str())
                && let Some(&i) = index.get(var)
                && let Some(value) = current(&vars[i]).or(vars[i].default_value.as_deref())
            {
                users.push((image.clients.clone(), value.to_string()));
            }
        }
    }
    for v in vars.iter_mut().filter(|v| v.class != Class::Config) {
        let words: Vec<String> = name_words(&v.name).collect();
        let user_like = !words
            .iter()
            .any(|w| matches!(w.as_str(), "SECRET" | "PASSWORD" | "PASS" | "PWD"))
            && (words
                .iter()
                .any(|w| matches!(w.as_str(), "ID" | "USER" | "USERNAME"))
                || words.ends_with(&["ACCESS".to_string(), "KEY".to_string()]));
        if !user_like {
            continue;
        }
        let Some(value) = current(v) else { continue };
        if users
            .iter()
            .any(|(clients, u)| u == value && words.iter().any(|w| clients.contains(w)))
        {
            v.class = Class::Config;
            v.kind = None;
            v.classified_by = "the user name of the project's own server".to_string();
        }
    }
}

/// Whether a variable is a host setting pointing at `service`.
fn host_like(v: &Var<'_>, service: &str) -> bool {
    current(v)
        .or(v.default_value.as_deref())
        .and_then(host_of)
        .is_some_and(|h| h == service)
}

/// The host a value names: itself when it is a bare host name, or the host part of a URL.
pub fn host_of(value: &str) -> Option<&str> {
    let v = value.trim();
    let rest = match v.split_once("://") {
        Some((_, after)) => after,
        None => v,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.split(':').next().unwrap_or(host_port);
    (!host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    .then_some(host)
}

fn url_links(vars: &[Var<'_>], index: &HashMap<String, usize>, input: &Input<'_>) -> Vec<UrlLink> {
    let mut out = Vec::new();
    let secrets: Vec<usize> = (0..vars.len())
        .filter(|&i| vars[i].class != Class::Config && !vars[i].url_credentials)
        .collect();
    for (i, v) in vars.iter().enumerate() {
        // A URL in the env file whose password is written out (not `${…}`).
        if v.url_credentials
            && !interpolated(v)
            && let Some(url) = current(v)
            && let Some(span) = url_password_span(url)
        {
            let password = percent_decode(&url[span]);
            if let Some(j) = match_password(&password, &secrets, vars, i) {
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
            let linked = match_password(&password, &secrets, vars, i)
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
fn match_password(
    password: &str,
    secrets: &[usize],
    vars: &[Var<'_>],
    not: usize,
) -> Option<usize> {
    if password.is_empty() {
        return None;
    }
    secrets
        .iter()
        .copied()
        .filter(|&j| j != not)
        .find(|&j| current(&vars[j]).or(vars[j].default_value.as_deref()) == Some(password))
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

fn derivations(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_of("postgres://u:p@db:5432/x"), Some("db"));
        assert_eq!(host_of("db"), Some("db"));
        assert_eq!(host_of("http://minio:9000"), Some("minio"));
        assert_eq!(host_of("not a host"), None);
    }

    #[test]
    fn percent_round_trip() {
        let s = "a@b:c/d%e f";
        assert_eq!(percent_decode(&percent_encode(s)), s);
        assert_eq!(percent_encode("Ab-_.~9"), "Ab-_.~9");
    }
}
