//! The template files as they are written: serde types for the TOML in `templates/`, and
//! their parsing with errors that name the file.

use foldhash::HashMap;

use serde::Deserialize;

use super::super::Class;
use crate::generate::{CharClass, Kind};

/// A template file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct TemplateFileError {
    /// The template file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// What an image says about one container variable: its class, kind, role and the
/// constraints its values must meet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRules {
    /// The class this variable has.
    pub class: Option<Class>,
    /// The kind (`password`, `hex:32` …).
    pub kind: Option<String>,
    /// Shortest accepted value.
    pub min_length: Option<usize>,
    /// Longest accepted value.
    pub max_length: Option<usize>,
    /// Only these characters.
    pub alphabet: Option<String>,
    /// None of these characters.
    pub forbidden: Option<String>,
    /// The value ends up in URIs: only unreserved characters.
    #[serde(default)]
    pub uri_safe: bool,
    /// Character classes every value must contain.
    #[serde(default)]
    pub require: Vec<CharClass>,
    /// Characters a value may not start with.
    pub no_leading: Option<String>,
    /// The server's own credential: `password`, `user` or `key`.
    pub server: Option<ServerRole>,
    /// Read only when the data volume is first created.
    #[serde(default)]
    pub initializes: bool,
    /// The image refuses to start without it.
    #[serde(default)]
    pub required: bool,
    /// The image refuses to start when this other container variable is set and this one is
    /// not (`MinIO`'s root user beside its root password).
    #[serde(default)]
    pub required_with: Option<String>,
    /// The value is not the credential alone but a form holding it (neo4j's `NEO4J_AUTH`,
    /// `<user>/<password>`): only the credential's part is a password, so a variable that
    /// fills the whole value is not one.
    #[serde(default)]
    pub form: Option<ValueForm>,
}

/// How a container variable holds its credential inside a longer value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ValueForm {
    /// `<user>/<password>`, split at the first `/`; `none` alone turns authentication off
    /// (neo4j's `NEO4J_AUTH`).
    #[serde(rename = "user/password")]
    UserSlashPassword,
}

impl ValueForm {
    /// Where the password part of `value` starts, in `value`'s bytes: after the first `/`
    /// outside a `${…}` reference (a default's `/` is the reference's own). `None` when the
    /// value has no password part (no `/`, or `none`).
    pub fn password_start(self, value: &str) -> Option<usize> {
        match self {
            Self::UserSlashPassword => {
                let refs = crate::interpolate::references(value).unwrap_or_default();
                let inside = |at: usize| {
                    refs.iter()
                        .any(|r| !r.nested && r.span.start <= at && at < r.span.end)
                };
                value
                    .char_indices()
                    .find(|&(at, c)| c == '/' && !inside(at))
                    .map(|(at, _)| at + 1)
            }
        }
    }
}

/// Which of a server's credentials a container variable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerRole {
    /// The password clients log in with.
    Password,
    /// The user clients log in as.
    User,
    /// The API key clients present.
    Key,
}

// The template files' strings are borrowed from the baked data (`'static`): reading them
// allocated and copied about 800 strings on every start.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NamesFile<'a> {
    #[serde(borrow)]
    pub secret_words: Vec<&'a str>,
    /// Read from the baked tree by `name_words`, which has no `Knowledge` at hand; listed
    /// here so the file's shape is checked whole.
    #[serde(borrow)]
    #[cfg_attr(not(test), allow(dead_code))]
    pub glued_secret_words: Vec<&'a str>,
    #[serde(borrow)]
    pub config_suffixes: Vec<&'a str>,
    #[serde(borrow)]
    pub flag_prefixes: Vec<&'a str>,
    #[serde(borrow)]
    pub provider_words: Vec<&'a str>,
    #[serde(borrow)]
    pub issued_words: Vec<&'a str>,
    #[serde(borrow)]
    pub plural_secret_words: Vec<&'a str>,
    #[serde(borrow)]
    pub plural_count_words: Vec<&'a str>,
    #[serde(borrow)]
    pub plural_naming_words: Vec<&'a str>,
    #[serde(borrow)]
    pub crypto_words: Vec<&'a str>,
    #[serde(borrow)]
    pub key_material_words: Vec<&'a str>,
    #[serde(borrow)]
    pub exact: Vec<NameRuleFile<'a>>,
    #[serde(borrow)]
    pub rule: Vec<NameRuleFile<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NameRuleFile<'a> {
    #[serde(borrow)]
    pub patterns: Vec<&'a str>,
    pub class: Class,
    #[serde(borrow)]
    pub kind: Option<&'a str>,
}

/// `images.toml` whole: read by the test that checks every image; a run reads each image's
/// table on its own, when a project uses it.
#[cfg(test)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImagesFile {
    pub image: Vec<ImageFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImageFile {
    /// The names it matches; a run's index reads them from the baked table directly.
    #[serde(rename = "match")]
    #[cfg_attr(not(test), allow(dead_code))]
    pub names: Vec<String>,
    pub family: Option<String>,
    #[serde(default)]
    pub clients: Vec<String>,
    pub vars: HashMap<String, ValueRules>,
    #[serde(default)]
    pub rotate: HashMap<String, crate::rotate::Recipe>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlaceholdersFile<'a> {
    // Compiled to a DFA by build.rs; read here only by the tests that check that DFA.
    #[allow(dead_code)]
    #[serde(borrow)]
    pub patterns: Vec<&'a str>,
    #[serde(borrow)]
    pub secret_words: Vec<&'a str>,
    #[serde(borrow)]
    pub sentinels: Vec<&'a str>,
    #[serde(borrow)]
    pub example_hosts: Vec<&'a str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PasswordsFile<'a> {
    #[serde(borrow)]
    pub defaults: Vec<&'a str>,
    #[serde(borrow)]
    pub dev_markers: Vec<&'a str>,
    #[serde(borrow)]
    pub public: Vec<&'a str>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProvidersFile<'a> {
    #[serde(borrow)]
    pub provider: Vec<ProviderFile<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProviderFile<'a> {
    pub name: &'a str,
    #[serde(borrow)]
    pub names: Vec<&'a str>,
    // Compiled to a DFA by build.rs; read here only by the tests that check that DFA.
    #[allow(dead_code)]
    pub format: &'a str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DerivedFile {
    pub derive: Vec<DeriveRule>,
}

/// A value computed from another: today, an HS256 JWT signed with the source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeriveRule {
    /// Names the derived variable may have.
    pub vars: Vec<String>,
    /// Names the source may have.
    pub from: Vec<String>,
    /// The JWT claims it must carry (besides `iat` and `exp`).
    pub jwt: std::collections::BTreeMap<String, String>,
    /// The `iss` claim a new token gets.
    pub issuer: Option<String>,
    /// How long a derived token is valid.
    pub lifetime_days: u32,
}

pub(super) fn parse_kind(
    file: &str,
    kind: Option<&str>,
) -> Result<Option<Kind>, TemplateFileError> {
    kind.map(|k| {
        k.parse::<Kind>().map_err(|e| TemplateFileError {
            file: file.to_string(),
            message: e.to_string(),
        })
    })
    .transpose()
}
