//! Per-variable facts gathered once, in the order the analysis needs them: what the files
//! say (entries, declarations, compose uses), the class and kind, the relations between
//! variables, whether each is required, and finally the verdict that decides its status.
//!
//! Every rule reads this [`Context`]; the status of a variable and the findings of the
//! value rules all come from the one [`Verdict`] computed here, so they never disagree.

use std::collections::HashMap;

// The analysis builds a dozen maps keyed by every variable name; foldhash (hashbrown's own
// seeded hasher) halves what SipHash cost there.
type Map<K, V> = foldhash::HashMap<K, V>;
type Set<T> = foldhash::HashSet<T>;

use super::classify::{self, Evidence};
use super::declare::{self, Declarations, Declared};
use super::knowledge::ValueRules;
use super::relations::{self, Relations};
use super::strength::Weakness;
use super::{Class, EnvInput, Input, Status, Use, Variable, verdict};
use crate::compose::{ComposeRef, Usage, display_path};
use crate::dotenv::ParseError;
use crate::generate::{Alphabet, Constraints, Kind};
use crate::interpolate::{self, Form};
use crate::position::Position;

/// A statement of a `.env`-syntax file, decoded.
#[derive(Debug, Clone)]
pub struct EntryFacts {
    /// Where the winning statement is.
    pub position: Position,
    /// Its value as Compose reads it; `None` when it could not be decoded.
    pub value: Option<String>,
    /// Variables its value interpolates, with whether each sits in a URI.
    pub refs: Vec<(String, bool)>,
    /// The URI part each interpolated variable sits in, for those inside a URI.
    pub uri_parts: Vec<(String, super::shape::UriPart)>,
    /// Where every statement for this key is, in order (duplicates).
    pub all_positions: Vec<Position>,
}

/// Why a variable has the status it has.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Required and unset or empty.
    Missing,
    /// A placeholder; `via_default` when the value comes from a compose default.
    Placeholder {
        /// Why it is a placeholder.
        why: String,
        /// The compose reference whose default supplies the value.
        via_default: Option<ComposeRef>,
    },
    /// A weak secret; `via_default` as above.
    Weak {
        /// What falls short.
        weaknesses: Vec<Weakness>,
        /// The compose reference whose default supplies the value.
        via_default: Option<ComposeRef>,
    },
    /// A value of the wrong format.
    Invalid {
        /// Why.
        why: String,
    },
    /// A derived value that does not match its source.
    Derived {
        /// Why.
        why: String,
    },
    /// A value that must equal another's and does not.
    Mismatch {
        /// The other variable.
        with: String,
        /// Why they must be equal.
        why: String,
    },
    /// Only in the live file.
    Unused,
    /// Nothing to fix.
    Ok,
}

/// Everything known about one variable.
// Each flag is an independent fact a rule reads; an enum would pretend they exclude each other.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone)]
pub struct Var<'a> {
    /// The name.
    pub name: String,
    /// Its class.
    pub class: Class,
    /// Its kind.
    pub kind: Option<Kind>,
    /// Image constraints merged across the containers it feeds.
    pub rules: ValueRules,
    /// What decided class and kind.
    pub classified_by: String,
    /// Its value is a URL carrying a password, judged by that password.
    pub url_credentials: bool,
    /// Must be set.
    pub required: bool,
    /// The example's statement.
    pub example: Option<EntryFacts>,
    /// The live file's statement.
    pub live: Option<EntryFacts>,
    /// Compose references to it.
    pub refs: Vec<&'a ComposeRef>,
    /// Used inside a URI (in compose, or inside another variable's value).
    pub in_uri: bool,
    /// The URI parts it is used in (a compose use counts as the strictest, the user part).
    pub uri_parts: Vec<super::shape::UriPart>,
    /// Variables allowed to share its value (`envward.toml`).
    pub same_as: Vec<String>,
    /// What the template declares about it.
    pub declared: Option<Declared>,
    /// The value a compose default gives it when the env file does not.
    pub default_value: Option<String>,
    /// Its value (or the password in it) is also written as a literal in a compose file:
    /// changing it in the env file alone would break the service that reads the literal.
    pub pinned: bool,
    /// Every service that loads the env file sets this key itself in `environment:`, so
    /// the env file's value never reaches a container.
    pub shadowed: bool,
    /// A client credential for a kind of server the project runs without a password
    /// (`POSTGRES_HOST_AUTH_METHOD=trust`): left empty, it is right.
    pub passwordless_server: bool,
    /// A provider credential of an integration the template switches off
    /// (`FILE_STORAGE=local` for S3 keys, `EMAIL_BACKEND=console` for SMTP ones).
    pub switched_off: bool,
    /// Strength of the judged value, when judged.
    pub strength_bits: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
}

impl Var<'_> {
    /// The status the verdict gives.
    pub fn status(&self) -> Status {
        match self.verdict {
            Verdict::Missing => Status::Missing,
            Verdict::Placeholder { .. } => Status::Placeholder,
            Verdict::Weak { .. } => Status::Weak,
            Verdict::Invalid { .. } | Verdict::Derived { .. } | Verdict::Mismatch { .. } => {
                Status::Invalid
            }
            Verdict::Unused => Status::Unused,
            Verdict::Ok => Status::Ok,
        }
    }

    /// The live value, when set.
    pub fn live_value(&self) -> Option<&str> {
        self.live.as_ref().and_then(|e| e.value.as_deref())
    }

    /// Whether the value in force is written through references to other variables
    /// (`DB_PASSWORD=${POSTGRES_PASSWORD}`): it follows them and is never written itself.
    pub fn follows_others(&self) -> bool {
        self.live
            .as_ref()
            .or(self.example.as_ref())
            .is_some_and(|e| !e.refs.is_empty())
    }

    /// Whether every compose use of it is a passthrough (`- NAME`).
    pub fn passthrough_only(&self) -> bool {
        !self.refs.is_empty() && self.refs.iter().all(|r| r.usage == Usage::Passthrough)
    }

    /// Where a finding about the live value should point: the live statement, else the
    /// first compose use, else the example.
    pub fn location(&self, cx: &Context<'_>) -> (std::path::PathBuf, Position) {
        if let Some(l) = &self.live {
            return (cx.input.live_path.to_path_buf(), l.position);
        }
        if let Some(r) = self.refs.iter().find(|r| r.required).or(self.refs.first()) {
            return (r.file.clone(), r.position);
        }
        if let Some(e) = &self.example {
            return (cx.input.example_path.to_path_buf(), e.position);
        }
        (
            cx.input.live_path.to_path_buf(),
            Position { line: 1, column: 1 },
        )
    }

    /// The constraints a generated value must meet.
    pub fn constraints(&self) -> Constraints {
        Constraints {
            uri_safe: self.in_uri || self.rules.uri_safe,
            max_len: self.rules.max_length,
            forbidden: self
                .rules
                .forbidden
                .clone()
                .unwrap_or_default()
                .chars()
                .collect(),
            alphabet: self
                .rules
                .alphabet
                .as_deref()
                .and_then(|a| Alphabet::new(a).ok()),
            require: self.rules.require.clone(),
            no_leading: self
                .rules
                .no_leading
                .clone()
                .unwrap_or_default()
                .chars()
                .collect(),
        }
    }

    pub(super) fn to_variable(&self, findings: Vec<usize>) -> Variable {
        let mut used_by: Vec<Use> = self
            .refs
            .iter()
            .map(|r| Use {
                service: r.scope.name().to_string(),
                file: r.file.clone(),
                position: r.position,
                in_uri: r.in_uri,
            })
            .collect();
        used_by.dedup();
        Variable {
            name: self.name.clone(),
            status: self.status(),
            class: self.class,
            kind: self.kind,
            required: self.required,
            in_env: self.live.is_some(),
            in_example: self.example.is_some(),
            used_by,
            findings,
            strength_bits: self.strength_bits,
            constraints: self.constraints(),
            section: self.declared.as_ref().and_then(|d| d.section.clone()),
            description: self.declared.as_ref().and_then(|d| d.description.clone()),
            env_position: self.live.as_ref().map(|e| e.position),
            example_position: self.example.as_ref().map(|e| e.position),
            classified_by: self.classified_by.clone(),
            follows_others: self.follows_others(),
            pinned: self.pinned,
            initializes_volume: self.rules.initializes,
            rotation: None,
        }
    }

    /// Its rotation facts, for a secret the live file sets.
    pub fn rotation(&self, cx: &Context<'_>) -> Option<crate::rotate::RotationFacts> {
        self.live.as_ref()?;
        crate::rotate::schedule::facts_for(
            cx.input.config,
            &cx.input.live_facts.rotation,
            &self.name,
            self.class,
            self.kind,
        )
    }
}

/// The analysis input with its per-variable facts.
pub struct Context<'a> {
    /// What was read.
    pub input: &'a Input<'a>,
    /// Every variable, in report order.
    pub vars: Vec<Var<'a>>,
    /// Groups, URL links and derivations.
    pub relations: Relations,
    /// What the template declares (to know what it documents).
    pub declarations: Declarations,
    /// Values of the live file whose interpolation fails (Compose rejects the file).
    pub live_interpolation_errors: Vec<ParseError>,
    /// The same for the example file.
    pub example_interpolation_errors: Vec<ParseError>,
}

/// Decodes each statement of a file (tolerating interpolation errors per statement, which
/// are returned for the `syntax` rule).
fn entries(
    input: &EnvInput<'_>,
    env: &HashMap<String, String>,
) -> (Map<String, EntryFacts>, Vec<ParseError>) {
    let mut out: Map<String, EntryFacts> = Map::with_capacity_and_hasher(
        input.document.items().len(),
        foldhash::fast::RandomState::default(),
    );
    let (bindings, errors) = input
        .document
        .resolve_collecting(&|k: &str| env.get(k).cloned());
    let mut values: Map<&str, &str> =
        Map::with_capacity_and_hasher(bindings.len(), foldhash::fast::RandomState::default());
    values.extend(bindings.iter().map(|b| (b.key.as_str(), b.value.as_str())));
    for entry in input.document.entries() {
        let mut uri_parts = Vec::new();
        let refs = if entry.raw_value().contains('$') {
            let template = entry.template();
            entry
                .references()
                .into_iter()
                .map(|r| {
                    let part = template
                        .as_deref()
                        .and_then(|t| super::shape::uri_part(t, r.span.start));
                    if let Some(p) = part {
                        uri_parts.push((r.name.clone(), p));
                    }
                    (r.name, part.is_some())
                })
                .collect()
        } else {
            Vec::new()
        };
        let facts = out.entry(entry.key().to_string()).or_insert(EntryFacts {
            position: entry.position(),
            value: None,
            refs: Vec::new(),
            uri_parts: Vec::new(),
            all_positions: Vec::new(),
        });
        facts.position = entry.position();
        facts.all_positions.push(entry.position());
        facts.refs = refs;
        facts.uri_parts = uri_parts;
        facts.value = values.get(entry.key()).map(|v| (*v).to_string());
    }
    (out, errors)
}

/// Which `(image, container variable)` pairs each `.env` variable feeds: through
/// `environment:` entries, and through an `env_file:` that loads the live file whole.
fn feeds(input: &Input<'_>, live_keys: &[String]) -> Map<String, Vec<(String, String)>> {
    let mut out: Map<String, Vec<(String, String)>> = Map::default();
    let live_abs = input.project.working_dir.join(input.live_path);
    for service in &input.project.services {
        let Some(image) = &service.image else {
            continue;
        };
        for var in &service.environment {
            match &var.value {
                None => out
                    .entry(var.key.clone())
                    .or_default()
                    .push((image.clone(), var.key.clone())),
                Some(v) => {
                    for r in interpolate::references(v).unwrap_or_default() {
                        out.entry(r.name)
                            .or_default()
                            .push((image.clone(), var.key.clone()));
                    }
                }
            }
        }
        // A variable on Redis's command line is its password (`redis-server --requirepass
        // ${REDIS_AUTH}`), whatever it is called.
        if let Some(image_rules) = input
            .knowledge
            .image(image)
            .filter(|i| i.family.as_deref() == Some("redis"))
        {
            let password = image_rules
                .server_var(super::knowledge::ServerRole::Password)
                .next();
            if let Some(password) = password {
                let command = format!("services.{}.command", service.name);
                for r in input.project.references.iter().filter(|r| {
                    r.key_path.starts_with(&command) && matches!(r.usage, Usage::Interpolation(_))
                }) {
                    out.entry(r.name.clone())
                        .or_default()
                        .push((image.clone(), password.to_string()));
                }
            }
        }
        if service.env_files.iter().any(|f| f.path == live_abs) {
            for key in live_keys {
                out.entry(key.clone())
                    .or_default()
                    .push((image.clone(), key.clone()));
            }
        }
    }
    out
}

/// The value the first applicable compose default gives a variable that the env file does
/// not set (or sets empty, for `:-`), evaluated against the project environment.
fn default_value(
    refs: &[&ComposeRef],
    input: &Input<'_>,
    set_empty: bool,
) -> Option<(String, ComposeRef)> {
    let env = &input.project.environment;
    refs.iter()
        .filter(|r| match r.usage {
            Usage::Interpolation(Form::DefaultIfEmpty) => true,
            // `${X-d}` keeps an empty value: the default applies only when X is unset.
            Usage::Interpolation(Form::DefaultIfUnset) => !set_empty,
            _ => false,
        })
        .find_map(|r| {
            let raw = r.default.as_deref()?;
            let value = interpolate::substitute(raw, &|k: &str| env.get(k).cloned()).ok()?;
            (!value.is_empty()).then(|| (value, (*r).clone()))
        })
}

/// Server credentials written as literals in the compose files: `(family, password)` for
/// the password variable of a known server image (`POSTGRES_PASSWORD: changeme`) and for
/// the password inside a literal URL that points at such a server.
fn compose_literals(input: &Input<'_>) -> Vec<(String, String)> {
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
            if let Some(image) = image
                && let Some(family) = &image.family
                && image.vars.get(&e.key).and_then(|r| r.server)
                    == Some(super::knowledge::ServerRole::Password)
            {
                out.push((family.clone(), v.to_string()));
            }
            if let Some(span) = super::shape::url_password_span(v)
                && let Some(family) = relations::host_of(v).and_then(family_of)
            {
                out.push((family, relations::percent_decode(&v[span])));
            }
        }
    }
    out
}

/// Server families the project runs only without a password (every service of that family
/// sets none of its password variables, on its command line for Redis), and every family
/// it runs.
fn server_families<'i>(
    input: &'i Input<'_>,
    env_keys: &Set<String>,
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
        let command = format!("services.{}.command", s.name);
        let on_command_line = family == "redis"
            && input
                .project
                .references
                .iter()
                .any(|r| r.key_path.starts_with(&command));
        let pw: Vec<&str> = image
            .server_var(super::knowledge::ServerRole::Password)
            .collect();
        let live_abs = input.project.working_dir.join(input.live_path);
        let has = on_command_line
            || s.environment.iter().any(|e| pw.contains(&e.key.as_str()))
            || (s.env_files.iter().any(|f| f.path == live_abs)
                && pw.iter().any(|p| env_keys.contains(*p)));
        if has {
            with.insert(family);
        } else {
            without.insert(family);
        }
    }
    without.retain(|f| !with.contains(f));
    (without, run)
}

/// Words of object-storage and mail credentials, for integration switches.
const STORAGE_WORDS: &[&str] = &[
    "AWS",
    "S3",
    "SPACES",
    "R2",
    "GCS",
    "OSS",
    "COS",
    "TOS",
    "BLOB",
    "B2",
    "WASABI",
    "ALIYUN",
    "TENCENT",
    "VOLCENGINE",
    "AZURE",
];
const MAIL_WORDS: &[&str] = &["SMTP", "MAIL", "EMAIL", "MAILER"];

/// Integrations the template switches off: `(name prefix, credential words)` for every
/// storage selector set to local storage and every mail selector set to a console or log
/// backend. The prefix scopes it (`PLUGIN_STORAGE_TYPE` governs `PLUGIN_AWS_…`).
fn switched_off_scopes(vars: &[Var<'_>]) -> Vec<(String, &'static [&'static str])> {
    let mut out = Vec::new();
    for v in vars {
        let Some(value) = v
            .live
            .as_ref()
            .or(v.example.as_ref())
            .and_then(|e| e.value.as_deref())
        else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        let upper = v.name.to_ascii_uppercase();
        let storage = [
            "FILE_STORAGE",
            "STORAGE_TYPE",
            "STORAGE_DRIVER",
            "STORAGE_BACKEND",
            "STORAGE_PROVIDER",
            "FILESYSTEM_DISK",
            "FILESYSTEM_DRIVER",
            "UPLOAD_TRANSPORT",
            "STORAGE",
        ];
        let mail = [
            "EMAIL_BACKEND",
            "MAIL_BACKEND",
            "MAIL_MAILER",
            "MAIL_DRIVER",
            "MAIL_TRANSPORT",
            "EMAIL_TRANSPORT",
            "MAILER",
        ];
        let scope = |suffixes: &[&str]| {
            suffixes.iter().find_map(|s| {
                upper
                    .strip_suffix(s)
                    .filter(|p| p.is_empty() || p.ends_with('_'))
                    .map(str::to_string)
            })
        };
        if matches!(
            value.as_str(),
            "local" | "local_public" | "disk" | "fs" | "filesystem" | "file" | "database" | "db"
        ) && let Some(prefix) = scope(&storage)
        {
            out.push((prefix, STORAGE_WORDS));
        }
        if matches!(
            value.as_str(),
            "console"
                | "log"
                | "dummy"
                | "array"
                | "file"
                | "disabled"
                | "none"
                | "false"
                | "locmem"
        ) && let Some(prefix) = scope(&mail)
        {
            out.push((prefix, MAIL_WORDS));
        }
    }
    out
}

/// The URI part a compose reference inside a URI sits in, read from the `environment:` value
/// it belongs to; where that value cannot be found, the strictest part (the user's).
fn compose_uri_part(input: &Input<'_>, r: &ComposeRef) -> super::shape::UriPart {
    let needles = [format!("${{{}", r.name), format!("${}", r.name)];
    input
        .project
        .services
        .iter()
        .filter(|s| s.name == r.scope.name())
        .flat_map(|s| &s.environment)
        .filter(|e| e.file == r.file && e.position.line == r.position.line)
        .filter_map(|e| e.value.as_deref())
        .find_map(|v| {
            needles
                .iter()
                .find_map(|n| v.find(n.as_str()))
                .and_then(|at| super::shape::uri_part(v, at))
        })
        .unwrap_or(super::shape::UriPart::UserInfo)
}

/// The document with its commented-out assignments uncommented, when it has any.
fn uncomment(doc: &crate::dotenv::Document) -> Option<crate::dotenv::Document> {
    let text = doc.render();
    let mut out = String::with_capacity(text.len());
    let mut any = false;
    for line in text.split_inclusive('\n') {
        if declare::commented_key(line).is_some() {
            let body = line.trim_start().trim_start_matches('#');
            out.push_str(body.strip_prefix(' ').unwrap_or(body));
            any = true;
        } else {
            out.push_str(line);
        }
    }
    any.then(|| crate::dotenv::parse_recovering(&out).0)
}

/// Whether the variable must be set.
///
/// Compose itself only insists on `${X:?…}` / `${X?…}`; a bare `${X}` that is unset becomes
/// an empty string with a warning, and a passthrough (`- X`) is silently left out. So beyond
/// the `?` forms, what the template lists decides: a generatable secret it lists is meant
/// to be set (envward makes it), unless only passthroughs or defaulted uses read it, or it
/// is an integration's key the template leaves empty, or a comment or declaration says it
/// is optional.
fn required(v: &Var<'_>, input: &Input<'_>, consumed_by_env_file: bool) -> bool {
    if let Some(r) = input.config.vars.get(&v.name).and_then(|c| c.required) {
        return r;
    }
    // `${X:?…}`: Compose itself refuses to start without it.
    let strict = v.refs.iter().any(|r| {
        matches!(
            r.usage,
            Usage::Interpolation(Form::Required | Form::RequiredNonEmpty)
        )
    });
    if strict {
        return true;
    }
    if let Some(r) = v.declared.as_ref().and_then(|d| d.required) {
        return r;
    }
    if v.follows_others() || v.default_value.is_some() || v.switched_off {
        return false;
    }
    let interpolated = v
        .refs
        .iter()
        .any(|r| matches!(r.usage, Usage::Interpolation(Form::Bare | Form::Braced)));
    let defaulted = v.refs.iter().any(|r| {
        matches!(
            r.usage,
            Usage::Interpolation(
                Form::DefaultIfEmpty | Form::DefaultIfUnset | Form::AltIfNonEmpty | Form::AltIfSet
            )
        )
    });
    // A known image refuses to start without it (postgres and its POSTGRES_PASSWORD).
    if v.rules.required && interpolated && !defaulted {
        return true;
    }
    let Some(example) = &v.example else {
        return false;
    };
    let example_empty = example.value.as_deref().is_none_or(super::shape::is_blank);
    if example_empty && v.passwordless_server {
        return false;
    }
    let read = interpolated || (v.refs.is_empty() && consumed_by_env_file);
    match v.class {
        Class::Secret => {
            let integration = example_empty
                && super::knowledge::name_words(&v.name).any(|w| {
                    matches!(w.as_str(), "API" | "ACCESS" | "WEBHOOK" | "BOT" | "APIKEY")
                        || input.knowledge.is_provider_word(&w)
                });
            read && !defaulted && !integration
        }
        // A provider credential the template asks for (a placeholder to replace) is needed
        // where something reads it; one it leaves empty is the user's choice.
        Class::External => read && !defaulted && !example_empty,
        // A setting the template gives a value for and compose reads, which the live file
        // does not have at all: compose warns and substitutes nothing.
        Class::Config => interpolated && !example_empty && v.live.is_none(),
    }
}

impl<'a> Context<'a> {
    /// Gathers the facts of every variable.
    pub fn new(input: &'a Input<'a>) -> Self {
        // A template whose every line is commented out (`# POSTGRES_PASSWORD=…` in two
        // alternative blocks) still says what to set: its commented lines are its entries.
        let uncommented = input
            .example
            .or(input.live.filter(|_| input.example.is_none()))
            .filter(|e| e.document.entries().next().is_none())
            .and_then(|e| uncomment(e.document));
        let synthetic = uncommented.as_ref().map(|d| EnvInput {
            path: input.example_path,
            document: d,
            errors: &[],
        });
        let example_input = input.example.filter(|_| synthetic.is_none()).or(synthetic);
        let (mut example, example_interpolation_errors) = example_input
            .map(|e| entries(&e, input.env))
            .unwrap_or_default();
        let (mut live, live_interpolation_errors) = input
            .live
            .map(|e| entries(&e, input.env))
            .unwrap_or_default();
        // The template's comments: the example's, or the live file's when it is the template.
        let declarations = input
            .example
            .or(input.live)
            .map(|e| declare::read(e.document))
            .unwrap_or_default();
        let live_keys: Vec<String> = live.keys().cloned().collect();
        let mut feeds = feeds(input, &live_keys);
        // `APP_S3_SECRET=${AWS_SECRET}`: whatever the alias feeds, its source feeds.
        for (name, e) in example.iter().chain(live.iter()) {
            if let [(source, _)] = e.refs.as_slice()
                && let Some(fed) = feeds.get(name).cloned()
            {
                feeds.entry(source.clone()).or_default().extend(fed);
            }
        }
        let own_words: std::collections::HashSet<String> = input
            .project
            .services
            .iter()
            .flat_map(|s| {
                let image = s.image.as_deref().map_or("", super::knowledge::image_name);
                [s.name.clone(), image.to_string()]
            })
            .flat_map(|n| {
                n.split(['-', '_', '.', '/'])
                    .filter(|w| !w.is_empty())
                    .map(str::to_ascii_uppercase)
                    .collect::<Vec<_>>()
            })
            .collect();
        let own_servers: std::collections::HashSet<String> = input
            .project
            .services
            .iter()
            .filter_map(|s| s.image.as_deref())
            .filter(|i| input.knowledge.image(i).is_some_and(|i| i.family.is_some()))
            .map(|i| super::knowledge::image_name(i).to_ascii_uppercase())
            .collect();
        let mut refs: Map<&str, Vec<&ComposeRef>> = Map::with_capacity_and_hasher(
            input.project.references.len(),
            foldhash::fast::RandomState::default(),
        );
        for r in &input.project.references {
            refs.entry(r.name.as_str()).or_default().push(r);
        }
        // A live file loaded by a service's env_file goes into that container whole.
        let live_abs = input.project.working_dir.join(input.live_path);
        let live_is_env_file = input.project.services.iter().any(|s| {
            s.env_files.iter().any(|f| {
                f.path == live_abs
                    || display_path(&input.project.working_dir, &f.path) == input.live_path
            })
        });
        let uri_refs: Set<String> = example
            .values()
            .chain(live.values())
            .flat_map(|e| {
                e.refs
                    .iter()
                    .filter(|(_, uri)| *uri)
                    .map(|(n, _)| n.clone())
            })
            .collect();
        let mut value_uri_parts: Map<String, Vec<super::shape::UriPart>> = Map::default();
        for e in example.values().chain(live.values()) {
            for (n, p) in &e.uri_parts {
                value_uri_parts.entry(n.clone()).or_default().push(*p);
            }
        }
        let value_refs: Set<String> = example
            .values()
            .chain(live.values())
            .flat_map(|e| e.refs.iter().map(|(n, _)| n.clone()))
            .collect();

        // Order: the example's order, then the rest by name.
        let mut names: Vec<String> = example_input
            .map(|e| e.document.keys().into_iter().map(str::to_string).collect())
            .unwrap_or_default();
        let mut seen_names: Set<String> = Set::default();
        names.retain(|n| seen_names.insert(n.clone()));
        let listed: Set<&String> = names.iter().collect();
        let mut rest: Vec<String> = live
            .keys()
            .cloned()
            .chain(refs.keys().map(|k| (*k).to_string()))
            .filter(|n| !listed.contains(n))
            .collect();
        rest.sort();
        rest.dedup();
        names.extend(rest);

        let mut used: Vec<bool> = Vec::with_capacity(names.len());
        let mut vars: Vec<Var<'a>> = names
            .into_iter()
            .map(|name| {
                let my_refs = refs.remove(name.as_str()).unwrap_or_default();
                let example_entry = example.remove(&name);
                let live_entry = live.remove(&name);
                let declared = declarations.get(&name).cloned();
                let live_set_empty = live_entry
                    .as_ref()
                    .is_some_and(|e| e.value.as_deref() == Some(""));
                let default = default_value(&my_refs, input, live_set_empty);
                let sample = example_entry
                    .as_ref()
                    .or(if input.example.is_none() {
                        live_entry.as_ref()
                    } else {
                        None
                    })
                    .and_then(|e| e.value.as_deref());
                let defaults: Vec<&str> = my_refs
                    .iter()
                    .filter_map(|r| r.default.as_deref())
                    .filter(|d| !d.contains('$'))
                    .collect();
                let c = classify::classify(
                    input.knowledge,
                    &Evidence {
                        name: &name,
                        config: input.config.vars.get(&name),
                        declared: declared.as_ref(),
                        sample,
                        defaults,
                        feeds: feeds.get(&name).map_or(&[], Vec::as_slice),
                        own_words: &own_words,
                        own_servers: &own_servers,
                    },
                );
                let in_uri = my_refs.iter().any(|r| r.in_uri) || uri_refs.contains(&name);
                let mut parts: Vec<super::shape::UriPart> =
                    value_uri_parts.get(&name).cloned().unwrap_or_default();
                for r in my_refs.iter().filter(|r| r.in_uri) {
                    parts.push(compose_uri_part(input, r));
                }
                used.push(
                    !my_refs.is_empty()
                        || example_entry.is_some()
                        || live_is_env_file
                        || value_refs.contains(&name)
                        || declarations.documents(&name)
                        || name.starts_with("COMPOSE_"),
                );
                Var {
                    same_as: input
                        .config
                        .vars
                        .get(&name)
                        .map(|v| v.same_as.clone())
                        .unwrap_or_default(),
                    example: example_entry,
                    live: live_entry,
                    refs: my_refs,
                    name,
                    class: c.class,
                    kind: c.kind,
                    rules: c.rules,
                    classified_by: c.why,
                    url_credentials: c.url_credentials,
                    required: false,
                    in_uri,
                    uri_parts: parts,
                    declared,
                    default_value: default.map(|(v, _)| v),
                    pinned: false,
                    shadowed: false,
                    passwordless_server: false,
                    switched_off: false,
                    strength_bits: None,
                    verdict: Verdict::Ok,
                }
            })
            .collect();
        let literals = compose_literals(input);
        let env_file_services: Vec<&crate::compose::Service> = input
            .project
            .services
            .iter()
            .filter(|s| {
                s.env_files.iter().any(|f| {
                    f.path == live_abs
                        || display_path(&input.project.working_dir, &f.path) == input.live_path
                })
            })
            .collect();
        for v in &mut vars {
            let value = v
                .live
                .as_ref()
                .or(v.example.as_ref())
                .and_then(|e| e.value.as_deref())
                .filter(|x| !x.is_empty());
            let secret_part = value.map(|x| match super::shape::url_password_span(x) {
                Some(span) if v.url_credentials => relations::percent_decode(&x[span]),
                _ => x.to_string(),
            });
            // Pinned: it holds the same password a compose literal gives a server it speaks
            // for (by its name, or by the host of its URL).
            let families = input.knowledge.families_of_name(&v.name);
            let url_family = value
                .filter(|_| v.url_credentials)
                .and_then(relations::host_of)
                .and_then(|h| input.project.services.iter().find(|s| s.name == h))
                .and_then(|s| s.image.as_deref())
                .and_then(|i| input.knowledge.image(i))
                .and_then(|i| i.family.as_deref());
            v.pinned = v.class != Class::Config
                && !v.follows_others()
                && secret_part.is_some_and(|p| {
                    literals.iter().any(|(f, lit)| {
                        *lit == p
                            && (families.contains(&f.as_str()) || url_family == Some(f.as_str()))
                    })
                });
            // Shadowed: some service that loads the env file sets the key itself, and every
            // other one is a known server image that does not read it.
            let overrides = |s: &&&crate::compose::Service| {
                s.environment
                    .iter()
                    .any(|e| e.key == v.name && e.value.is_some())
            };
            let ignores = |s: &&&crate::compose::Service| {
                s.image
                    .as_deref()
                    .and_then(|i| input.knowledge.image(i))
                    .is_some_and(|i| i.family.is_some() && !i.vars.contains_key(&v.name))
            };
            v.shadowed = v.live.is_some()
                && !v
                    .refs
                    .iter()
                    .any(|r| matches!(r.usage, Usage::Interpolation(_)))
                && env_file_services.iter().any(|s| overrides(&s))
                && env_file_services
                    .iter()
                    .all(|s| overrides(&s) || ignores(&s));
        }
        let env_keys: Set<String> = vars
            .iter()
            .filter(|v| v.live.is_some() || v.example.is_some())
            .map(|v| v.name.clone())
            .collect();
        let (open, run) = server_families(input, &env_keys);
        for v in &mut vars {
            if v.class == Class::Config {
                continue;
            }
            let k = input.knowledge;
            let specific = k.specific_families_of_name(&v.name);
            // A credential for a server the project runs without a password, or for a kind
            // of server it does not run at all (the template's optional Redis), may stay empty.
            v.passwordless_server = k
                .families_of_name(&v.name)
                .iter()
                .any(|f| open.contains(*f))
                || (!specific.is_empty() && !specific.iter().any(|f| run.contains(*f)));
        }
        let off = switched_off_scopes(&vars);
        if !off.is_empty() {
            // Its credentials, and its host settings still pointing at an example host.
            for v in vars.iter_mut().filter(|v| v.class != Class::Secret) {
                let words: Vec<String> = super::knowledge::name_words(&v.name).collect();
                v.switched_off = off.iter().any(|(prefix, family)| {
                    v.name.starts_with(prefix.as_str())
                        && words.iter().any(|w| family.contains(&w.as_str()))
                });
            }
        }
        let relations = relations::infer(&mut vars, input);
        // A password that a URL carries must survive inside that URL.
        for link in &relations.urls {
            if let Some(v) = vars.iter_mut().find(|v| v.name == link.password_of) {
                v.in_uri = true;
            }
        }
        for v in &mut vars {
            v.required = required(v, input, live_is_env_file);
        }
        let verdicts: Vec<(Verdict, Option<f64>)> = vars
            .iter()
            .zip(&used)
            .map(|(v, used)| verdict::judge(v, &vars, &relations, input, *used))
            .collect();
        for (v, (verdict, bits)) in vars.iter_mut().zip(verdicts) {
            v.verdict = verdict;
            v.strength_bits = bits;
        }
        vars.shrink_to_fit();
        Context {
            input,
            vars,
            relations,
            declarations,
            live_interpolation_errors,
            example_interpolation_errors,
        }
    }

    /// The variable called `name`.
    pub fn var(&self, name: &str) -> Option<&Var<'a>> {
        self.vars.iter().find(|v| v.name == name)
    }
}
