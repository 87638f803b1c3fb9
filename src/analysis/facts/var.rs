//! One variable as the analysis sees it, and how that becomes the [`Variable`] every face
//! shows.

use super::{Context, EntryFacts, Verdict};
use crate::analysis::declare::Declared;
use crate::analysis::knowledge::ValueRules;
use crate::analysis::{Class, Status, Use, Variable};
use crate::compose::{ComposeRef, Usage};
use crate::generate::{Alphabet, Constraints, Kind};
use crate::position::Position;

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
    /// templates/names.toml knows its name as an application's key (`SECRET_KEY`).
    pub known_key: bool,
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
    pub uri_parts: Vec<crate::analysis::shape::UriPart>,
    /// Variables allowed to share its value (`envward.toml`).
    pub same_as: Vec<String>,
    /// What the template declares about it.
    pub declared: Option<Box<Declared>>,
    /// The value a compose default gives it when the env file does not.
    pub default_value: Option<String>,
    /// Its value (or the password in it) is also written as a literal in a compose file:
    /// changing it in the env file alone would break the service that reads the literal.
    pub pinned: bool,
    /// The compose literal that pins it, for people (`MYSQL_PASSWORD in compose.yml:8`).
    pub pinned_by: Option<String>,
    /// Where else its value is kept, when that is another env file a service reads
    /// (`MYSQL_PASSWORD in .db.env`): `fill` leaves both, since changing one alone breaks the
    /// pair.
    pub pinned_with: Option<String>,
    /// Every service that loads the env file sets this key itself in `environment:`, so
    /// the env file's value never reaches a container.
    pub shadowed: bool,
    /// A client credential for a kind of server the project runs without a password
    /// (`POSTGRES_HOST_AUTH_METHOD=trust`): left empty, it is right.
    pub passwordless_server: bool,
    /// The server families whose clients its name speaks for
    /// ([`crate::analysis::Knowledge::families_of_name`]), read once.
    pub families: Vec<&'a str>,
    /// The families its name names specifically
    /// ([`crate::analysis::Knowledge::specific_families_of_name`]), read once.
    pub specific_families: Vec<&'a str>,
    /// A provider credential of an integration the template switches off
    /// (`FILE_STORAGE=local` for S3 keys, `EMAIL_BACKEND=console` for SMTP ones).
    pub switched_off: bool,
    /// Named for development beside a variable of the project that it copies
    /// (`CB_SECRET_DEV` beside `CB_SECRET`, `DEV_DB_PASSWORD` beside `DB_PASSWORD`): the app
    /// reads one or the other by the mode it runs in, so the two never share a value.
    pub dev_twin: bool,
    /// Its value can reach a container: compose references it, another variable's value
    /// does, or the live file goes into a container whole (`env_file:`, a bind mount, a
    /// build context). An example host in a setting that reaches none is harmless.
    pub reaches: bool,
    /// Compose itself reads its value, by a compose reference (`${KEY}`, `- KEY`) or by
    /// loading the live file with `env_file:`, so Compose's dotenv rules decide what the
    /// container gets. A file only mounted or in a build context is read by the app's own
    /// dotenv library, whose rules differ (`KEY= # comment` is empty there).
    pub compose_reads: bool,
    /// Strength of the judged value, when judged.
    pub strength_bits: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// The compose default a configuration value falls back to (see [`Variable`]).
    pub compose_default: Option<crate::analysis::ComposeDefault>,
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

    pub(in crate::analysis) fn to_variable(&self, findings: Vec<usize>) -> Variable {
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
            compose_default: self.compose_default.clone(),
            follows_others: self.follows_others(),
            pinned: self.pinned,
            pinned_by: self.pinned_by.clone(),
            pinned_with: self.pinned_with.clone(),
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
