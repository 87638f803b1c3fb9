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

use foldhash::HashMap;
use std::collections::BTreeMap;
use std::path::PathBuf;

use super::facts::Var;
use super::knowledge::name_words;
use super::{Class, Input};
use crate::position::Position;

mod beside;
mod urls;
mod wiring;

pub use beside::UrlsBeside;

use urls::{derivations, url_links};
pub use urls::{percent_decode, percent_encode};
pub use wiring::host_of;
use wiring::{own_server_users, service_inputs, wiring};

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
    member_of: foldhash::HashMap<String, usize>,
    /// The URL link of each URL variable (an index into `urls`).
    url_index: foldhash::HashMap<String, usize>,
    /// The derivation of each derived variable (an index into `derived`).
    derived_index: foldhash::HashMap<String, usize>,
    /// The project's S3 clients talk to an S3-compatible server other than Amazon's (a `MinIO`
    /// it runs, an endpoint setting with another host): their `*_ACCESS_KEY_ID` is that
    /// server's, in whatever form it takes, not an Amazon key id.
    pub s3_elsewhere: bool,
}

impl Relations {
    /// The group `name` belongs to.
    /// Looked up, not searched: every variable asks, so a search would make the analysis
    /// quadratic in the number of variables.
    pub fn group_of(&self, name: &str) -> Option<&Group> {
        self.member_of.get(name).map(|&i| &self.groups[i])
    }

    /// The URL link of the variable holding the URL.
    pub fn url_of(&self, name: &str) -> Option<&UrlLink> {
        self.url_index.get(name).map(|&i| &self.urls[i])
    }

    /// The derivation of `name`.
    pub fn derivation_of(&self, name: &str) -> Option<&Derivation> {
        self.derived_index.get(name).map(|&i| &self.derived[i])
    }

    /// What ties `name` to other variables, one sentence each (names only, never values).
    pub fn ties(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(g) = self.group_of(name) {
            let others: Vec<&str> = g
                .members
                .iter()
                .filter(|m| *m != name)
                .map(String::as_str)
                .collect();
            out.push(format!("same value as {} ({})", others.join(", "), g.why));
        }
        for u in self.urls.iter().filter(|u| u.password_of == name) {
            out.push(format!("carried inside {} ({})", u.url, u.why));
        }
        if let Some(u) = self.url_of(name) {
            out.push(format!("its password is {}'s value", u.password_of));
        }
        for d in self.derived.iter().filter(|d| d.from == name) {
            out.push(format!("signs {} (a derived token)", d.var));
        }
        if let Some(d) = self.derivation_of(name) {
            out.push(format!("a token signed with {}", d.from));
        }
        out
    }

    /// Why `name` changes along with the variables `changed` accepts: its URL carries one's
    /// password, it is a token signed with one, or it shares a group with them. `None` when
    /// it changes on its own account.
    pub fn follows(&self, name: &str, changed: impl Fn(&str) -> bool) -> Option<String> {
        if let Some(u) = self.url_of(name)
            && changed(&u.password_of)
        {
            return Some(format!("carries {}'s new password", u.password_of));
        }
        if let Some(d) = self.derivation_of(name)
            && changed(&d.from)
        {
            return Some(format!("signed again with {}", d.from));
        }
        let g = self.group_of(name)?;
        let others: Vec<&str> = g
            .members
            .iter()
            .filter(|m| *m != name && changed(m))
            .map(String::as_str)
            .collect();
        (!others.is_empty()).then(|| format!("same value as {}", others.join(", ")))
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
            why: HashMap::default(),
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
    name_words(name).any(|w| matches!(&*w, "USER" | "USERNAME" | "LOGIN" | "ID" | "NAME"))
}

/// Whether a name is the login half of a key pair (`S3_ACCESS_KEY`, `AWS_ACCESS_KEY_ID`,
/// `STORAGE_USER`) rather than its secret half (`AWS_SECRET_ACCESS_KEY`).
pub(crate) fn is_login_half(name: &str) -> bool {
    let words: Vec<std::borrow::Cow<'_, str>> = name_words(name).collect();
    let tail: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    // `S3_SECRET_ACCESS_KEY` is the secret half, whatever its last words.
    let secret = tail
        .iter()
        .any(|w| matches!(*w, "SECRET" | "PASSWORD" | "PASS" | "PWD"));
    !secret
        && (is_user_name(name)
            || tail.ends_with(&["ACCESS", "KEY"])
            || tail.ends_with(&["ACCESSKEY"])
            || tail.ends_with(&["ACCESS", "KEY", "ID"]))
}

/// Whether a value two secrets share is a stand-in, typed where a real value goes, rather
/// than one secret the template means both to hold: a placeholder (`changeme`, `XXXXXXX`,
/// `CHANGE THIS PASSWORD`), words (a space never sits in a generated secret), or too little
/// randomness to be a real secret (`freshrss`). Told apart by character-set entropy alone:
/// zxcvbn's dictionaries cost more to build than a small project's whole check. A sentinel
/// (`user_provided`) is no value at all, and no stand-in either.
pub(crate) fn is_stand_in(value: &str, k: &super::Knowledge) -> bool {
    k.placeholder(value, true).is_some()
        || is_instruction(value)
        || (!k.is_sentinel(value)
            && (value.trim().contains(char::is_whitespace)
                || crate::analysis::strength::charset_bits(value)
                    < crate::analysis::strength::Policy::default().min_bits))
}

/// Whether a value is an instruction to the reader spelled as words
/// (`please-change-this-to-random-value`, `replace_with_random_string`): two or more words,
/// one of them asking for a value. Long enough to pass a character-set test, it is still
/// one sentence typed into every field, not one secret.
fn is_instruction(value: &str) -> bool {
    const ASKS: [&str; 8] = [
        "change", "changeme", "please", "replace", "random", "generate", "insert", "fill",
    ];
    let words: Vec<String> = value
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.len() >= 2 && words.iter().any(|w| ASKS.contains(&w.as_str()))
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
    // same kind of server. The login half of a key pair (an access key id) never shares its
    // secret half's value: `minioadmin` for both is two stand-ins, and one value for both
    // would be no secret at all.
    let mut by_sample: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, v) in vars.iter().enumerate() {
        // A comment saying the values may differ ("All of these can be different values")
        // outranks the sample they share. A development twin never shares its production
        // twin's value, nor another's.
        let differ = v.declared.as_ref().is_some_and(|d| d.values_differ);
        if v.class != Class::Config
            && !v.url_credentials
            && !interpolated(v)
            && !differ
            && !v.dev_twin
        {
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
    // Only a shared value needs the login test: buckets of one are most of a large project.
    // Nor does a provider's credential share a value with one of the project's own (crater's
    // `PUSHER_APP_SECRET` and a `PUSHER_SECRET` classed the project's, both
    // `your-pusher-secret`): `fill` would write the generated value into the provider's.
    let halves: Vec<(&str, Vec<usize>)> = by_sample
        .iter()
        .filter(|(_, m)| m.len() > 1)
        .flat_map(|(value, members)| {
            let (login, secret): (Vec<usize>, Vec<usize>) =
                members.iter().partition(|&&i| is_login_half(&vars[i].name));
            let (issued, own): (Vec<usize>, Vec<usize>) = secret
                .into_iter()
                .partition(|&i| vars[i].class == Class::External);
            [(*value, login), (*value, issued), (*value, own)]
        })
        .collect();
    for (value, members) in halves.iter().filter(|(_, m)| m.len() > 1) {
        let why = || "the template gives them the same value".to_string();
        // A shared sample that is random enough to be a real secret ties its holders: the
        // template means one value. A weak one (`freshrss`, `frog`) is a stand-in like
        // `changeme`, shared only because the author typed one word: FreshRSS's admin, API
        // and database passwords, rybbit's ClickHouse and Postgres ones, became one value.
        if !is_stand_in(value, k) {
            for &j in &members[1..] {
                u.join(members[0], j, GroupWhy::SameSample, why());
            }
            continue;
        }
        // One join per kind of server the names speak for, and per account: a server's root
        // or admin password is not its app user's (`MYSQL_ROOT_PASSWORD` and
        // `MYSQL_PASSWORD` both `changeme123` are two stand-ins, not one password). Linear
        // in the bucket.
        let mut first_of_family: HashMap<(&str, bool), usize> = HashMap::default();
        for &i in members {
            let admin = wiring::is_admin_name(&vars[i].name);
            for family in k.families_of_name(&vars[i].name) {
                let family = (family, admin);
                match first_of_family.get(&family) {
                    Some(&first) => u.join(first, i, GroupWhy::SameSample, why()),
                    None => {
                        first_of_family.insert(family, i);
                    }
                }
            }
        }
    }

    // Clients of the project's own servers. What each service reads does not change below
    // (only classes do), so it is worked out once for both uses.
    let inputs = service_inputs(input, vars);
    for (client, server, why) in wiring(vars, &index, input, &inputs) {
        // A development twin logs in to the developer's server, not the project's own.
        if vars[client].dev_twin || vars[server].dev_twin {
            continue;
        }
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

    own_server_users(vars, &index, input, &inputs);
    let urls = url_links(vars, &index, input);
    let derived = derivations(vars, &index, input, k);
    let member_of = first_index(
        groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.members.iter().map(move |m| (m.as_str(), i))),
    );
    let url_index = first_index(urls.iter().map(|u| u.url.as_str()).zip(0..));
    let derived_index = first_index(derived.iter().map(|d| d.var.as_str()).zip(0..));
    Relations {
        groups,
        urls,
        derived,
        member_of,
        url_index,
        derived_index,
        s3_elsewhere: s3_elsewhere(vars, input),
    }
}

/// See [`Relations::s3_elsewhere`]: a service whose known image serves S3 (`MinIO`), or an
/// endpoint setting of an S3 client whose URL names a host other than Amazon's.
fn s3_elsewhere(vars: &[Var<'_>], input: &Input<'_>) -> bool {
    let runs_s3 = input.project.services.iter().any(|s| {
        s.image
            .as_deref()
            .and_then(|i| input.knowledge.image(i))
            .is_some_and(|i| i.family.as_deref() == Some("s3"))
    });
    runs_s3
        || vars.iter().any(|v| {
            let endpoint = v.name.contains("ENDPOINT")
                && ["S3", "AWS", "STORAGE", "BUCKET", "OBJECT"]
                    .iter()
                    .any(|w| v.name.contains(w));
            endpoint
                && v.live
                    .as_ref()
                    .or(v.example.as_ref())
                    .and_then(|e| e.value.as_deref())
                    .and_then(host_of)
                    .is_some_and(|h| !h.ends_with("amazonaws.com"))
        })
}

/// Each name's first index, as a search from the front would find it.
fn first_index<'n>(
    pairs: impl Iterator<Item = (&'n str, usize)>,
) -> foldhash::HashMap<String, usize> {
    let mut out = foldhash::HashMap::default();
    for (name, i) in pairs {
        out.entry(name.to_string()).or_insert(i);
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
