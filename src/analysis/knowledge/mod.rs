//! What envward knows about variables without being told: the rules in `templates/`.
//!
//! The files are embedded in the binary and parsed here into name rules (class and kind by
//! the words of a name), known images (class, kind, role and constraints of the container
//! variables they read), placeholder conventions, default and public passwords, provider
//! token formats and derived values. This module depends on nothing else in the analysis
//! but the [`Class`] type: it answers questions, it judges no project.

mod baked;
mod files;
mod glob;
mod names;
mod values;

use std::borrow::Cow;

use foldhash::{HashMap, HashSet};

use regex_automata::PatternID;
use regex_automata::dfa::Automaton as _;

use super::Class;
use crate::generate::Kind;

pub use files::{DeriveRule, ServerRole, TemplateFileError, ValueForm, ValueRules};
pub use glob::glob_match;

#[cfg(test)]
use files::ImagesFile;
use files::{DerivedFile, NamesFile, PasswordsFile, PlaceholdersFile, ProvidersFile, parse_kind};
use glob::Glob;

/// Patterns compiled by the build (see `build.rs`), read back from their bytes.
type Dfa = crate::automata::Dfa;

/// A DFA the build serialised, read back (see [`crate::automata::read`]).
fn compiled(file: &str, bytes: &'static [u8]) -> Result<Dfa, TemplateFileError> {
    crate::automata::read(bytes).map_err(|e| TemplateFileError {
        file: format!("templates/{file}"),
        message: e.to_string(),
    })
}

use crate::automata::matches as dfa_matches;

/// A class and kind chosen by a name pattern.
#[derive(Debug, Clone)]
struct NameRule {
    patterns: Vec<Glob>,
    class: Class,
    kind: Option<Kind>,
}

/// What a name alone says, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameReading {
    /// The class.
    pub class: Class,
    /// The kind, for secrets and externals a rule names one for.
    pub kind: Option<Kind>,
    /// Why, in words.
    pub why: &'static str,
    /// Decided by a specific (`[[exact]]`) rule.
    pub exact: bool,
}

/// A known image.
#[derive(Debug, Clone)]
pub struct Image {
    /// The kind of server it runs (`postgres`, `s3` …).
    pub family: Option<String>,
    /// Name words of client variables that talk to it.
    pub clients: Vec<String>,
    /// Its container variables.
    pub vars: HashMap<String, ValueRules>,
    /// How `envward rotate` changes a container variable's value in the running server.
    pub recipes: HashMap<String, crate::rotate::Recipe>,
}

impl Image {
    /// The container variable holding the server's credential of `role`.
    pub fn server_var(&self, role: ServerRole) -> impl Iterator<Item = &str> {
        self.vars
            .iter()
            .filter(move |(_, r)| r.server == Some(role))
            .map(|(k, _)| k.as_str())
    }
}

/// A provider's token format.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Human name ("Telegram bot token").
    pub name: &'static str,
    names: Vec<&'static str>,
    /// Every format, compiled by the build, and which one is this provider's.
    formats: Dfa,
    format: PatternID,
}

impl Provider {
    /// Whether `value` has this provider's format.
    pub fn accepts(&self, value: &str) -> bool {
        dfa_matches(&self.formats, value.as_bytes(), Some(self.format))
    }
}

/// Everything the templates say.
#[derive(Debug, Clone)]
pub struct Knowledge {
    exact: Vec<NameRule>,
    names: Vec<NameRule>,
    // The word lists point into the baked templates, which are written in the case they are
    // matched in (upper for name words, lower for values; a test checks it).
    secret_words: HashSet<&'static str>,
    config_suffixes: HashSet<&'static str>,
    flag_prefixes: HashSet<&'static str>,
    provider_words: HashSet<&'static str>,
    issued_words: HashSet<&'static str>,
    /// Plural secret words (`TOKENS`, `API_KEYS`' `KEYS`), read as their singular.
    plural_secret_words: HashSet<&'static str>,
    /// Words that make a name with a plural secret word a count or limit of them.
    plural_count_words: HashSet<&'static str>,
    /// Words that, right before a plural secret word, name which keys rather than hold them.
    plural_naming_words: HashSet<&'static str>,
    /// Words saying what a key is for (`ENCRYPTION`, `SIGNING`).
    crypto_words: HashSet<&'static str>,
    /// Words saying what a key is made of (`MODIFIER`, `SEED`): after a crypto word, a key.
    key_material_words: HashSet<&'static str>,
    /// Each known image, read from its baked table the first time a project uses it: a
    /// project runs a handful of the images the templates know, and reading all of them
    /// was a sixth of a small project's `check` (issue 13).
    images: Vec<LazyImage>,
    /// Each image name (lower case) to the first image that has it: asked for every
    /// (variable, service) pair a project wires, so a scan of every image's names each time
    /// made a 200-service project sharing one `env_file` quadratic.
    image_by_name: HashMap<&'static str, usize>,
    /// The server families whose clients a name word denotes (`PG` → postgres): asked for
    /// every variable, and a scan of every image's clients each time was a tenth of the
    /// relations' cost.
    families_by_client: HashMap<&'static str, Vec<&'static str>>,
    /// Every placeholder pattern as one DFA, compiled by the build: nothing to build at run
    /// time, one pass over a value to try them all.
    placeholders: Dfa,
    placeholder_words: HashSet<&'static str>,
    sentinels: HashSet<&'static str>,
    example_hosts: Vec<&'static str>,
    defaults: HashSet<&'static str>,
    dev_markers: Vec<&'static str>,
    public: HashSet<&'static str>,
    providers: Vec<Provider>,
    derived: Vec<DeriveRule>,
}

/// A known image's baked table, read into an [`Image`] when first asked for.
#[derive(Debug, Clone)]
struct LazyImage {
    baked: &'static baked::Baked,
    /// `None` inside when the table does not read as an image; the test
    /// `every_template_file_parses` reads every one, so that is a build's mistake.
    read: std::sync::OnceLock<Option<Image>>,
}

impl LazyImage {
    fn get(&self) -> Option<&Image> {
        self.read
            .get_or_init(|| {
                baked::read::<files::ImageFile>(self.baked)
                    .ok()
                    .map(|i| Image {
                        family: i.family,
                        clients: i.clients,
                        vars: i.vars,
                        recipes: i.rotate,
                    })
            })
            .as_ref()
    }
}

/// The image's name as templates match it: the last path part, without tag or digest.
///
/// Byte scans rather than `split`: asked for every (variable, service) pair a project wires
/// (42,000 times on a 1,000-service project), and the string searchers cost several times
/// the lookup they served (issue 13).
pub fn image_name(image: &str) -> &str {
    let b = image.as_bytes();
    let end = b.iter().position(|&c| c == b'@').unwrap_or(b.len());
    let start = b[..end]
        .iter()
        .rposition(|&c| c == b'/')
        .map_or(0, |i| i + 1);
    let tag = b[start..end]
        .iter()
        .position(|&c| c == b':')
        .map_or(end, |i| start + i);
    // Every cut is at an ASCII byte, so each is a character boundary.
    image.get(start..tag).unwrap_or(image)
}

/// The image's publisher and name as templates match them (`bitnami/redis` of
/// `docker.io/bitnami/redis:7.2`), without tag or digest; `None` for an image named by its
/// name alone (`redis:7`).
pub fn image_publisher_name(image: &str) -> Option<&str> {
    let no_digest = image.split('@').next().unwrap_or(image);
    let name = image_name(image);
    let end = no_digest.rfind('/')?;
    let start = no_digest[..end].rfind('/').map_or(0, |i| i + 1);
    no_digest.get(start..end + 1 + name.len())
}

/// The words of a variable name, upper-cased: split on `_`, `.` and `-` and where a
/// lower-case letter meets a capital (`dbPass`, the `LibrePhotos` database password), with a
/// numbering suffix dropped from long words (`PASSWORD1` is `PASSWORD`; `S3`, `B2` and
/// `OAUTH2` stay), and a secret word fused to the letters before it read as a word of its own
/// (`GITHUBSECRET` is `GITHUB` and `SECRET`: `glued_secret_words` in `templates/names.toml`).
///
/// A word already in upper case (as names almost always are) is borrowed, not copied: the
/// words of every name are asked for a dozen times in an analysis.
pub fn name_words<'a>(name: &'a str) -> impl Iterator<Item = Cow<'a, str>> + 'a {
    let glued: &'static [&'static str] = &GLUED_SECRET_WORDS;
    let mut pieces = Pieces { name, at: 0 };
    // The fused secret word of the last piece, given after the letters before it.
    let mut pending: Option<Cow<'a, str>> = None;
    std::iter::from_fn(move || {
        if let Some(w) = pending.take() {
            return Some(w);
        }
        let (w, lower) = pieces.next()?;
        // Byte scans: names are ASCII where it matters, and the words of every variable are
        // read a dozen times in an analysis (issue 13).
        let digits = w.bytes().rev().take_while(u8::is_ascii_digit).count();
        let stem = &w[..w.len() - digits];
        let word = if stem.len() >= 6 { stem } else { w };
        // The digits cut off hold no lower-case letter: the piece's answer is the word's.
        let upper = |s: &'a str| -> Cow<'a, str> {
            if lower {
                Cow::Owned(s.to_ascii_uppercase())
            } else {
                Cow::Borrowed(s)
            }
        };
        match glued_at(word, glued) {
            Some(at) => {
                pending = Some(upper(&word[at..]));
                Some(upper(&word[..at]))
            }
            None => Some(upper(word)),
        }
    })
}

/// `glued_secret_words` of `templates/names.toml`, longest first: read from the baked file
/// once, as [`name_words`] is asked without a [`Knowledge`] at hand.
static GLUED_SECRET_WORDS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        let mut words: Vec<&'static str> =
            baked::strs_at(&baked::files::NAMES, "glued_secret_words").collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        words
    });

/// Where the secret word fused to the end of `word` starts (`GITHUBSECRET`: at 6), if `word`
/// ends in one of `glued` after at least one other character. Compared ignoring case, on
/// bytes: every word of every name comes here, and most are shorter than any secret word.
fn glued_at(word: &str, glued: &[&str]) -> Option<usize> {
    let b = word.as_bytes();
    glued.iter().find_map(|g| {
        let at = b.len().checked_sub(g.len()).filter(|&at| at > 0)?;
        // The cut is where an ASCII tail starts: a character boundary.
        b[at..].eq_ignore_ascii_case(g.as_bytes()).then_some(at)
    })
}

/// How many pieces a name is cut into before fused secret words are read apart: fewer than
/// its [`name_words`] when it has one.
fn piece_count(name: &str) -> usize {
    Pieces { name, at: 0 }.count()
}

/// The pieces of a name: cut at `_`, `.` and `-`, and where a lower-case letter meets a
/// capital (`dbPass` is `db` and `Pass`; `OAuth` and `DB_PASS` are not cut there). One scan,
/// no allocation: names are split a dozen times each in an analysis. Each piece comes with
/// whether it holds a lower-case letter, seen on the way.
struct Pieces<'a> {
    name: &'a str,
    at: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<(&'a str, bool)> {
        let b = self.name.as_bytes();
        let separator = |c: u8| matches!(c, b'_' | b'.' | b'-');
        let mut at = self.at;
        while at < b.len() && separator(b[at]) {
            at += 1;
        }
        let &first = b.get(at)?;
        let start = at;
        // Whether the byte before is lower case, carried along rather than read again.
        let mut after_lower = first.is_ascii_lowercase();
        let mut any_lower = after_lower;
        at += 1;
        while let Some(&c) = b.get(at) {
            if separator(c) || (after_lower && c.is_ascii_uppercase()) {
                break;
            }
            after_lower = c.is_ascii_lowercase();
            any_lower |= after_lower;
            at += 1;
        }
        self.at = at;
        Some((&self.name[start..at], any_lower))
    }
}

/// The error for a baked template `file` that does not read as its typed form.
fn unreadable(file: &'static str) -> impl Fn(serde::de::value::Error) -> TemplateFileError {
    move |e| TemplateFileError {
        file: format!("templates/{file}"),
        message: e.to_string(),
    }
}

impl Knowledge {
    /// The built-in templates, as the build compiled them into the binary.
    pub fn builtin() -> Result<Knowledge, TemplateFileError> {
        let names_file: NamesFile =
            baked::read(&baked::files::NAMES).map_err(unreadable("names.toml"))?;
        let names_path = "templates/names.toml";
        let rules =
            |list: Vec<files::NameRuleFile<'static>>| -> Result<Vec<NameRule>, TemplateFileError> {
                list.into_iter()
                    .map(|r| {
                        Ok(NameRule {
                            kind: parse_kind(names_path, r.kind)?,
                            patterns: r.patterns.into_iter().map(Glob::new).collect(),
                            class: r.class,
                        })
                    })
                    .collect()
            };
        let images_file =
            baked::images(&baked::files::IMAGES).ok_or_else(|| TemplateFileError {
                file: "templates/images.toml".to_string(),
                message: "not a list of [[image]] tables".to_string(),
            })?;
        let ph: PlaceholdersFile =
            baked::read(&baked::files::PLACEHOLDERS).map_err(unreadable("placeholders.toml"))?;
        let placeholders = compiled("placeholders.toml", crate::automata::PLACEHOLDERS)?;
        let pw: PasswordsFile =
            baked::read(&baked::files::PASSWORDS).map_err(unreadable("passwords.toml"))?;
        let prov: ProvidersFile =
            baked::read(&baked::files::PROVIDERS).map_err(unreadable("providers.toml"))?;
        let formats = compiled("providers.toml", crate::automata::PROVIDERS)?;
        let mut provider_list = Vec::new();
        for (i, p) in prov.provider.into_iter().enumerate() {
            let format = PatternID::new(i)
                .ok()
                .filter(|_| i < formats.pattern_len())
                .ok_or_else(|| TemplateFileError {
                    file: "templates/providers.toml".to_string(),
                    message: format!("{}: its format was not compiled", p.name),
                })?;
            provider_list.push(Provider {
                name: p.name,
                names: p.names,
                formats: formats.clone(),
                format,
            });
        }
        let derived_file: DerivedFile =
            baked::read(&baked::files::DERIVED).map_err(unreadable("derived.toml"))?;
        // The index and the client words come from the baked tables directly: only the
        // images a project runs are read whole.
        let mut families_by_client: HashMap<&'static str, Vec<&'static str>> = HashMap::default();
        let mut image_by_name: HashMap<&'static str, usize> = HashMap::default();
        for (i, table) in images_file.iter().enumerate() {
            if let Some(family) = baked::str_at(table, "family") {
                for client in baked::strs_at(table, "clients") {
                    families_by_client.entry(client).or_default().push(family);
                }
            }
            for name in baked::strs_at(table, "match") {
                image_by_name.entry(name).or_insert(i);
            }
        }
        Ok(Knowledge {
            families_by_client,
            image_by_name,
            exact: rules(names_file.exact)?,
            names: rules(names_file.rule)?,
            secret_words: names_file.secret_words.into_iter().collect(),
            config_suffixes: names_file.config_suffixes.into_iter().collect(),
            flag_prefixes: names_file.flag_prefixes.into_iter().collect(),
            provider_words: names_file.provider_words.into_iter().collect(),
            issued_words: names_file.issued_words.into_iter().collect(),
            plural_secret_words: names_file.plural_secret_words.into_iter().collect(),
            plural_count_words: names_file.plural_count_words.into_iter().collect(),
            plural_naming_words: names_file.plural_naming_words.into_iter().collect(),
            crypto_words: names_file.crypto_words.into_iter().collect(),
            key_material_words: names_file.key_material_words.into_iter().collect(),
            images: images_file
                .iter()
                .map(|baked| LazyImage {
                    baked,
                    read: std::sync::OnceLock::new(),
                })
                .collect(),
            placeholders,
            placeholder_words: ph.secret_words.into_iter().collect(),
            sentinels: ph.sentinels.into_iter().collect(),
            example_hosts: ph.example_hosts,
            defaults: pw.defaults.into_iter().collect(),
            dev_markers: pw.dev_markers,
            public: pw.public.into_iter().collect(),
            providers: provider_list,
            derived: derived_file.derive,
        })
    }

    /// Checks what reading the built-in templates leaves unchecked: every image variable's
    /// kind parses and every rotation recipe is well formed. The templates are compiled into
    /// the binary, so a test runs this once (`every_template_file_parses`) instead of every
    /// start of the program paying for it.
    #[cfg(test)]
    pub(crate) fn validate_builtin() -> Result<(), TemplateFileError> {
        let images_file: ImagesFile =
            baked::read(&baked::files::IMAGES).map_err(unreadable("images.toml"))?;
        for image in &images_file.image {
            for rules in image.vars.values() {
                parse_kind("templates/images.toml", rules.kind.as_deref())?;
            }
            for (var, recipe) in &image.rotate {
                recipe.validate().map_err(|e| TemplateFileError {
                    file: "templates/images.toml".to_string(),
                    message: format!("{} rotate.{var}: {e}", image.names.join("/")),
                })?;
            }
        }
        Ok(())
    }

    /// A known image: matched by its publisher and name first (`bitnami/redis`, whose
    /// entrypoint reads variables the official image does not), then by its name alone.
    pub fn image(&self, image: &str) -> Option<&Image> {
        let lookup = |name: &str| {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                self.image_by_name
                    .get(name.to_ascii_lowercase().as_str())
                    .copied()
            } else {
                self.image_by_name.get(name).copied()
            }
        };
        let index = image_publisher_name(image)
            .and_then(lookup)
            .or_else(|| lookup(image_name(image)));
        index.and_then(|i| self.images[i].get())
    }

    /// What a known image says about its container variable `var`.
    pub fn image_var(&self, image: &str, var: &str) -> Option<&ValueRules> {
        self.image(image).and_then(|i| i.vars.get(var))
    }

    /// The provider whose format a variable named `name` must have.
    pub fn provider(&self, name: &str) -> Option<&Provider> {
        self.providers
            .iter()
            .find(|p| p.names.iter().any(|n| glob_match(n, name)))
    }

    /// The derivation rules.
    pub fn derivations(&self) -> &[DeriveRule] {
        &self.derived
    }
}

/// Whether a variable holds a secret in `project`, judged the quick way (its name, or a
/// known image reading it as a secret), for output that must not show secret literals.
///
/// The `environment:` entries a known image reads as a secret are gathered once: asked for
/// every reference with a default, a scan of every entry of every service per question made
/// `refs --format json` on 1,000 services take over a second.
pub fn sensitivity_in<'p>(
    k: &'p Knowledge,
    project: &'p crate::compose::Project,
) -> impl Fn(&str) -> bool + 'p {
    // (value, key) of each entry whose container variable a known image reads as a secret.
    let secret_entries: Vec<(Option<&str>, &str)> = project
        .services
        .iter()
        .flat_map(|s| {
            s.environment
                .iter()
                .filter(|e| {
                    s.image
                        .as_deref()
                        .and_then(|i| k.image_var(i, &e.key))
                        .and_then(|r| r.class)
                        .is_some_and(Class::is_sensitive)
                })
                .map(|e| (e.value.as_deref(), e.key.as_str()))
        })
        .collect();
    move |name: &str| {
        k.by_name(name).is_some_and(|(c, _)| c.is_sensitive())
            || secret_entries.iter().any(|&(value, key)| match value {
                Some(v) => v.contains(&format!("{{{name}")) || v.contains(&format!("${name}")),
                None => key == name,
            })
    }
}

#[cfg(test)]
mod tests;
