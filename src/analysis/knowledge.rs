//! What envward knows about variables without being told: the rules in `templates/`.
//!
//! The files are embedded in the binary and parsed here into name patterns (class and kind by
//! name), known images (class, kind and constraints of the container variables they read),
//! placeholder conventions, default and public passwords, and provider token formats.

use std::collections::{HashMap, HashSet};

// regex-lite: the full regex crate spent milliseconds building its engines for these
// few short patterns on every run; matching short values needs none of that machinery.
use regex_lite::Regex;
use serde::Deserialize;

use super::Class;
use crate::generate::Kind;

/// The built-in template files, by name, as embedded in the binary.
pub const BUILTIN: [(&str, &str); 5] = [
    (
        "templates/names.toml",
        include_str!("../../templates/names.toml"),
    ),
    (
        "templates/images.toml",
        include_str!("../../templates/images.toml"),
    ),
    (
        "templates/placeholders.toml",
        include_str!("../../templates/placeholders.toml"),
    ),
    (
        "templates/passwords.toml",
        include_str!("../../templates/passwords.toml"),
    ),
    (
        "templates/providers.toml",
        include_str!("../../templates/providers.toml"),
    ),
];

/// A template file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct TemplateFileError {
    /// The template file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// Constraints an image puts on a value.
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NamesFile {
    rule: Vec<NameRuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameRuleFile {
    patterns: Vec<String>,
    class: Class,
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImagesFile {
    image: Vec<ImageFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageFile {
    #[serde(rename = "match")]
    names: Vec<String>,
    vars: HashMap<String, ValueRules>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceholdersFile {
    patterns: Vec<String>,
    secret_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordsFile {
    defaults: Vec<String>,
    dev_markers: Vec<String>,
    public: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvidersFile {
    provider: Vec<ProviderFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    name: String,
    names: Vec<String>,
    format: String,
}

/// A `*` glob compiled to the cheapest test that decides it (names are matched by the
/// thousand, so the common `*_SUFFIX` form must cost one comparison).
#[derive(Debug, Clone)]
enum Glob {
    Exact(String),
    Suffix(String),
    Prefix(String),
    Contains(String),
    General(String),
}

impl Glob {
    fn new(pattern: &str) -> Glob {
        let p = pattern.to_ascii_uppercase();
        let stars = p.matches('*').count();
        match (stars, p.strip_prefix('*'), p.strip_suffix('*')) {
            (0, _, _) => Glob::Exact(p),
            (1, Some(rest), _) => Glob::Suffix(rest.to_string()),
            (1, _, Some(rest)) => Glob::Prefix(rest.to_string()),
            (2, Some(inner), _) if inner.ends_with('*') => {
                Glob::Contains(inner.trim_end_matches('*').to_string())
            }
            _ => Glob::General(p),
        }
    }

    /// Matches an upper-case name.
    fn matches(&self, n: &str) -> bool {
        match self {
            Glob::Exact(p) => n == p,
            Glob::Suffix(s) => n.ends_with(s.as_str()),
            Glob::Prefix(s) => n.starts_with(s.as_str()),
            Glob::Contains(s) => n.contains(s.as_str()),
            Glob::General(p) => glob_match_upper(p, n),
        }
    }
}

/// A class and kind chosen by a name pattern.
#[derive(Debug, Clone)]
struct NameRule {
    patterns: Vec<Glob>,
    class: Class,
    kind: Option<Kind>,
}

/// A provider's token format.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Human name ("Telegram bot token").
    pub name: String,
    names: Vec<String>,
    format: Regex,
}

impl Provider {
    /// Whether `value` has this provider's format.
    pub fn accepts(&self, value: &str) -> bool {
        self.format.is_match(value)
    }
}

/// Everything the templates say.
#[derive(Debug, Clone)]
pub struct Knowledge {
    names: Vec<NameRule>,
    images: Vec<(Vec<String>, HashMap<String, ValueRules>)>,
    placeholder_patterns: Vec<String>,
    /// Each placeholder pattern, compiled with regex-lite: nearly free to build, about 6 µs
    /// per value to match all of them. Right for the tens of values of a real project.
    placeholders: Vec<Regex>,
    /// The same patterns as one `regex` set: 1.5 ms to build, 0.1 µs per value. Built only
    /// when an analysis has enough values to repay it (see [`Knowledge::prepare_for`]).
    placeholder_set: std::sync::OnceLock<Option<regex::bytes::RegexSet>>,
    /// Strength verdicts already computed, keyed by a randomly seeded hash of (value, kind,
    /// policy) — never the value itself. Judging a structured value costs ~150 µs, and the
    /// TUI re-analyses after every keystroke that changes one value among thousands.
    strength_memo: std::sync::Arc<std::sync::Mutex<StrengthMemo>>,
    secret_words: HashSet<String>,
    defaults: HashSet<String>,
    dev_markers: Vec<String>,
    public: HashSet<String>,
    providers: Vec<Provider>,
}

/// `*` glob, ignoring ASCII case.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    glob_match_upper(&pattern.to_ascii_uppercase(), &name.to_ascii_uppercase())
}

/// [`glob_match`] on a pattern and name already in upper case: no allocation, for the
/// thousands of matches one analysis makes.
fn glob_match_upper(p: &str, n: &str) -> bool {
    let Some((first, rest)) = p.split_once('*') else {
        return p == n;
    };
    let (middle, last) = rest.rsplit_once('*').unwrap_or(("", rest));
    if !n.starts_with(first) || n.len() < first.len() + last.len() || !n.ends_with(last) {
        return false;
    }
    let mut hay = &n[first.len()..n.len() - last.len()];
    for mid in middle.split('*').filter(|m| !m.is_empty()) {
        match hay.find(mid) {
            Some(at) => hay = &hay[at + mid.len()..],
            None => return false,
        }
    }
    true
}

/// The image's name as templates match it: the last path part, without tag or digest.
pub fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, TemplateFileError> {
    toml::from_str(text).map_err(|e| TemplateFileError {
        file: file.to_string(),
        message: e.message().to_string(),
    })
}

fn parse_kind(file: &str, kind: Option<&String>) -> Result<Option<Kind>, TemplateFileError> {
    kind.map(|k| {
        k.parse::<Kind>().map_err(|e| TemplateFileError {
            file: file.to_string(),
            message: e.to_string(),
        })
    })
    .transpose()
}

impl Knowledge {
    /// The built-in templates.
    pub fn builtin() -> Result<Knowledge, TemplateFileError> {
        Knowledge::from_files(&BUILTIN)
    }

    /// Parses the five template files, given as (name, text) in [`BUILTIN`] order.
    pub fn from_files(files: &[(&str, &str); 5]) -> Result<Knowledge, TemplateFileError> {
        let [names, images, placeholders, passwords, providers] = files;
        let names_file: NamesFile = parse_toml(names.0, names.1)?;
        let mut name_rules = Vec::new();
        for r in names_file.rule {
            name_rules.push(NameRule {
                kind: parse_kind(names.0, r.kind.as_ref())?,
                patterns: r.patterns.iter().map(|p| Glob::new(p)).collect(),
                class: r.class,
            });
        }
        let images_file: ImagesFile = parse_toml(images.0, images.1)?;
        for image in &images_file.image {
            for rules in image.vars.values() {
                parse_kind(images.0, rules.kind.as_ref())?;
            }
        }
        let ph: PlaceholdersFile = parse_toml(placeholders.0, placeholders.1)?;
        // Patterns are matched against the lowercased value (no case folding to compile).
        let set = ph
            .patterns
            .iter()
            .map(|p| Regex::new(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TemplateFileError {
                file: placeholders.0.to_string(),
                message: e.to_string(),
            })?;
        let pw: PasswordsFile = parse_toml(passwords.0, passwords.1)?;
        let prov: ProvidersFile = parse_toml(providers.0, providers.1)?;
        let mut provider_list = Vec::new();
        for p in prov.provider {
            let format = Regex::new(&p.format).map_err(|e| TemplateFileError {
                file: providers.0.to_string(),
                message: format!("{}: {e}", p.name),
            })?;
            provider_list.push(Provider {
                name: p.name,
                names: p.names,
                format,
            });
        }
        Ok(Knowledge {
            strength_memo: std::sync::Arc::default(),
            placeholder_set: std::sync::OnceLock::new(),
            names: name_rules,
            images: images_file
                .image
                .into_iter()
                .map(|i| (i.names, i.vars))
                .collect(),
            placeholder_patterns: ph.patterns,
            placeholders: set,
            secret_words: ph
                .secret_words
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
            defaults: pw.defaults.into_iter().map(|w| w.to_lowercase()).collect(),
            dev_markers: pw
                .dev_markers
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
            public: pw.public.into_iter().collect(),
            providers: provider_list,
        })
    }

    /// Class and kind by the variable's name alone (`None`: config, no kind).
    pub fn by_name(&self, name: &str) -> Option<(Class, Option<Kind>)> {
        let upper = name.to_ascii_uppercase();
        self.names
            .iter()
            .find(|r| r.patterns.iter().any(|p| p.matches(&upper)))
            .map(|r| (r.class, r.kind))
    }

    /// What a known image says about its container variable `var`.
    pub fn image_var(&self, image: &str, var: &str) -> Option<&ValueRules> {
        let name = image_name(image);
        self.images
            .iter()
            .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .and_then(|(_, vars)| vars.get(var))
    }

    /// Why `value` is a placeholder, if it is one. `secret` enables the exact words that are
    /// placeholders only for secrets (`secret`, `test` …).
    pub fn placeholder(&self, value: &str, secret: bool) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        let lower = v.to_lowercase();
        let matched = match self.placeholder_set.get() {
            Some(Some(set)) => set.matches(lower.as_bytes()).iter().next(),
            _ => self.placeholders.iter().position(|r| r.is_match(&lower)),
        };
        // User messages name no regex: the pattern is for templates/placeholders.toml.
        if matched.is_some() {
            return Some(
                "follows a template's placeholder convention, not a real value".to_string(),
            );
        }
        if secret && self.secret_words.contains(&lower) {
            return Some("is a placeholder word".to_string());
        }
        if v.len() >= 3 && v.chars().all(|c| c == '0') {
            return Some("is an all-zero key".to_string());
        }
        if secret && is_shouting_name(v) {
            return Some("is a NAME_IN_CAPITALS standing in for a value".to_string());
        }
        None
    }

    /// Readies placeholder matching for about `values` values: past a few hundred, the set
    /// that matches them all in one pass pays for its compilation.
    pub fn prepare_for(&self, values: usize) {
        if values > 300 {
            self.placeholder_set.get_or_init(|| {
                regex::bytes::RegexSetBuilder::new(&self.placeholder_patterns)
                    .unicode(false)
                    .build()
                    .ok()
            });
        }
    }

    /// Whether `value` is a well-known default or dictionary password.
    pub fn is_default_password(&self, value: &str) -> bool {
        self.defaults.contains(&value.to_lowercase())
    }

    /// The dev marker `value` contains, if any.
    pub fn dev_marker(&self, value: &str) -> Option<&str> {
        let lower = value.to_lowercase();
        self.dev_markers
            .iter()
            .find(|m| lower.contains(m.as_str()))
            .map(String::as_str)
    }

    /// Whether `value` was published in a well-known template.
    pub fn is_public(&self, value: &str) -> bool {
        self.public.contains(value)
    }

    /// The provider whose format a variable named `name` must have.
    pub fn provider(&self, name: &str) -> Option<&Provider> {
        self.providers
            .iter()
            .find(|p| p.names.iter().any(|n| glob_match(n, name)))
    }
}

/// Whether `name` holds a secret in `project`, judged the quick way (its name, or a known
/// image reading it as a secret), for output that must not show secret literals.
pub fn is_sensitive_in(k: &Knowledge, project: &crate::compose::Project, name: &str) -> bool {
    if k.by_name(name).is_some_and(|(c, _)| c.is_sensitive()) {
        return true;
    }
    project.services.iter().any(|s| {
        s.environment.iter().any(|e| {
            let feeds = match &e.value {
                Some(v) => v.contains(&format!("{{{name}")) || v.contains(&format!("${name}")),
                None => e.key == name,
            };
            feeds
                && s.image
                    .as_deref()
                    .and_then(|i| k.image_var(i, &e.key))
                    .and_then(|r| r.class)
                    .is_some_and(Class::is_sensitive)
        })
    })
}

/// The memo behind [`Knowledge::memoized_strength`].
#[derive(Debug, Default)]
pub struct StrengthMemo {
    seed: std::hash::RandomState,
    verdicts: HashMap<u64, super::strength::Strength>,
}

/// Past this many verdicts the memo starts over, so memory stays bounded.
const MEMO_LIMIT: usize = 100_000;

impl Knowledge {
    /// [`super::strength::assess`], remembered: the same value judged again under the same
    /// kind and policy costs a hash lookup.
    pub fn memoized_strength(
        &self,
        value: &str,
        kind: Option<Kind>,
        policy: &super::strength::Policy,
    ) -> super::strength::Strength {
        use std::hash::{BuildHasher, Hash, Hasher};
        let key = |memo: &StrengthMemo| {
            let mut h = memo.seed.build_hasher();
            value.hash(&mut h);
            kind.map(|k| k.to_string()).hash(&mut h);
            policy.min_length.hash(&mut h);
            policy.min_bits.to_bits().hash(&mut h);
            h.finish()
        };
        if let Ok(memo) = self.strength_memo.lock()
            && let Some(found) = memo.verdicts.get(&key(&memo))
        {
            return found.clone();
        }
        let verdict = super::strength::assess(value, kind, policy, self);
        if let Ok(mut memo) = self.strength_memo.lock() {
            if memo.verdicts.len() >= MEMO_LIMIT {
                memo.verdicts.clear();
            }
            let k = key(&memo);
            memo.verdicts.insert(k, verdict.clone());
        }
        verdict
    }
}

/// `STRONG_DB_PASSWORD`: capitals and underscores naming what should be there.
fn is_shouting_name(v: &str) -> bool {
    v.contains('_')
        && v.len() >= 6
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && ["PASSWORD", "SECRET", "TOKEN", "KEY", "PASS"]
            .iter()
            .any(|w| v.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::builtin().expect("built-in templates parse")
    }

    #[test]
    fn every_template_file_parses() {
        let k = k();
        assert!(k.names.len() > 5);
        assert!(k.images.len() > 10);
        assert!(k.providers.len() >= 10);
    }

    #[test]
    fn names_choose_class_and_kind() {
        let k = k();
        let cases = [
            ("POSTGRES_PASSWORD", Class::Secret, Some("password")),
            ("JWT_SIGNING_KEY", Class::Secret, Some("hex:32")),
            ("ENCRYPTION_KEY", Class::Secret, Some("base64:32")),
            ("WHATSAPP_WEBHOOK_VERIFY_TOKEN", Class::Secret, Some("uuid")),
            ("TELEGRAM_WEBHOOK_SECRET", Class::Secret, Some("token:64")),
            ("TELEGRAM_BOT_TOKEN", Class::External, None),
            ("OAUTH2_CLIENT_SECRET", Class::External, None),
            ("SMS_ACCOUNT_SID", Class::External, None),
            ("S3_ACCESS_KEY_ID", Class::External, None),
            ("POSTGRES_USER", Class::Config, None),
            ("DATABASE_PASSWORD_FILE", Class::Config, None),
        ];
        for (name, class, kind) in cases {
            let (c, kd) = k.by_name(name).unwrap_or((Class::Config, None));
            assert_eq!(c, class, "{name}");
            assert_eq!(kd.map(|k| k.to_string()).as_deref(), kind, "{name}");
        }
        assert_eq!(k.by_name("LOG_FORMAT"), None);
    }

    #[test]
    fn placeholders_from_the_corpus_are_recognised() {
        let k = k();
        for v in [
            "changeme",
            "change-me",
            "change_me_in_production",
            "changePassword",
            "replace-me",
            "replace_with_lengthy_secure_hex",
            "REPLACE_WITH_LONG_SECRET",
            "STRONG_DB_PASSWORD",
            "your-secret",
            "your-super-secret-and-long-postgres-password",
            "fixme-postgres-password",
            "add some secret here",
            "<ENCRYPTION_KEY_MUST_BE_32_LONG>",
            "*****",
            "p.eyJxxxxx",
            "---",
            "secret",
            "test",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "your_bot_token_here",
            "generate_strong_key_here",
            "this_password_is_insecure_and_should_be_updated",
            "fake_mail_password",
            "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ] {
            assert!(k.placeholder(v, true).is_some(), "{v}");
        }
        for v in ["chat4all", "production", "k8Jd2-xQ_9vLm", "test"] {
            assert!(k.placeholder(v, false).is_none(), "{v} is fine for config");
        }
    }

    #[test]
    fn both_placeholder_matchers_agree() {
        let small = k();
        let large = k();
        large.prepare_for(10_000);
        assert!(matches!(large.placeholder_set.get(), Some(Some(_))));
        for v in [
            "changeme",
            "<x>",
            "xxxxxx",
            "real-value-123",
            "your_token_here",
            "TODO",
        ] {
            assert_eq!(
                small.placeholder(v, true),
                large.placeholder(v, true),
                "{v}"
            );
        }
    }

    #[test]
    fn images_and_providers() {
        let k = k();
        assert_eq!(
            image_name("docker.io/library/postgres:16-alpine"),
            "postgres"
        );
        assert_eq!(image_name("minio/minio@sha256:abc"), "minio");
        let rules = k
            .image_var("minio/minio:latest", "MINIO_ROOT_PASSWORD")
            .unwrap();
        assert_eq!(rules.min_length, Some(8));
        let tg = k.provider("TELEGRAM_BOT_TOKEN").unwrap();
        assert!(tg.accepts("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"));
        assert!(!tg.accepts("your_bot_token_here"));
        assert!(
            k.provider("TWILIO_ACCOUNT_SID")
                .unwrap()
                .accepts("AC0123456789abcdef0123456789abcdef")
        );
    }

    #[test]
    fn compiled_globs_agree_with_the_general_matcher() {
        for p in [
            "*_PASSWORD",
            "JWT_*",
            "*SECRET*",
            "JWT_*KEY*",
            "GITHUB_TOKEN",
            "A*B",
        ] {
            for n in [
                "DB_PASSWORD",
                "JWT_SIGNING_KEY",
                "MY_SECRET_X",
                "GITHUB_TOKEN",
                "AXB",
                "PASSWORD",
            ] {
                assert_eq!(Glob::new(p).matches(n), glob_match(p, n), "{p} {n}");
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("*_PASSWORD", "db_password"));
        assert!(glob_match("JWT_*KEY*", "JWT_SIGNING_KEY"));
        assert!(!glob_match("*_PASSWORD", "PASSWORD"));
        assert!(glob_match("*PASSWORD*", "PASSWORD"));
        assert!(!glob_match("A*B*C", "ACB"));
    }
}
