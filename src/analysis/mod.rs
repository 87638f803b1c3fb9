//! The analysis: one pure function from what was read to an [`Inventory`].
//!
//! [`analyze`] takes the example file, the live env file, the compose project, the
//! built-in knowledge, the project's configuration, the policy, facts about the live file
//! (mode, git status) and the current time, and returns one entry per variable with its
//! status, class, kind and uses, plus every finding. The TUI, `check`, `fill` and later
//! commands all read this same Inventory, so they cannot disagree.
//!
//! It reads no file, no clock and no environment: all of that is passed in.

pub mod classify;
mod comment_value;
pub mod config_pairs;
pub mod declare;
pub mod facts;
pub mod jwt;
pub mod knowledge;
mod phrase;
pub mod relations;
pub mod rules;
pub mod shape;
pub mod strength;
mod verdict;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::compose::Project;
use crate::config::Config;
use crate::dotenv::{Document, ParseError};
use crate::generate::{Constraints, Kind};
use crate::position::Position;

pub use knowledge::Knowledge;
pub use relations::{Derivation, Group, GroupWhy, Relations, UrlLink, UrlSource};
pub use strength::{Policy, PolicyLevel};

/// Whether a variable holds a secret, and of which sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// A secret envward can generate.
    Secret,
    /// A secret a provider issues: never generated, only checked.
    External,
    /// Not a secret: shown in clear, never judged weak.
    Config,
}

impl Class {
    /// `secret`, `external` or `config`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Secret => "secret",
            Class::External => "external",
            Class::Config => "config",
        }
    }

    /// Whether values of this class are hidden from output.
    pub fn is_sensitive(self) -> bool {
        self != Class::Config
    }
}

/// A variable's overall state; the first that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Required, and absent or empty in the live file.
    Missing,
    /// Still a placeholder (or the example's value, for a secret).
    Placeholder,
    /// A secret that fails the policy.
    Weak,
    /// A provider token that does not have its known format, or a value an image rejects.
    Invalid,
    /// Only in the live file.
    Unused,
    /// Nothing to fix.
    Ok,
}

impl Status {
    /// Every status, in precedence order.
    pub const ALL: [Status; 6] = [
        Status::Missing,
        Status::Placeholder,
        Status::Weak,
        Status::Invalid,
        Status::Unused,
        Status::Ok,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Missing => "missing",
            Status::Placeholder => "placeholder",
            Status::Weak => "weak",
            Status::Invalid => "invalid",
            Status::Unused => "unused",
            Status::Ok => "ok",
        }
    }

    /// Whether `fill` can fix it for a secret by generating a value.
    pub fn is_fixable(self) -> bool {
        matches!(self, Status::Missing | Status::Placeholder | Status::Weak)
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check`.
    Error,
    /// Fails `check --strict`.
    Warning,
}

macro_rules! rule_ids {
    ($($variant:ident => $id:literal, $desc:literal;)*) => {
        /// A rule's identity: the same id in `--skip`, JSON, SARIF and messages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId { $(#[doc = $desc] $variant,)* }

        impl RuleId {
            /// Every rule, in report order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The id as users type it.
            pub fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id,)* }
            }

            /// One sentence on what the rule checks.
            pub fn description(self) -> &'static str {
                match self { $(RuleId::$variant => $desc,)* }
            }
        }

        impl FromStr for RuleId {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($id => Ok(RuleId::$variant),)*
                    other => Err(format!(
                        "unknown rule {other:?}; rules are: {}",
                        [$($id),*].join(", ")
                    )),
                }
            }
        }
    };
}

rule_ids! {
    Missing => "missing", "A required variable is absent or empty in the live file.";
    Placeholder => "placeholder", "A variable still holds a placeholder or the example's value.";
    Weak => "weak", "A secret fails the strength policy.";
    Invalid => "invalid", "A provider token does not have its known format, or a value breaks an image's constraints.";
    UnsafeInUri => "unsafe-in-uri", "A value interpolated inside a URI contains characters that break the URI.";
    StrayDollar => "stray-dollar", "A `$` in a value that Compose reads as an unset variable and drops.";
    Hardcoded => "hardcoded", "A secret is written as a literal in a compose file instead of coming from the env file.";
    Permissions => "permissions", "The live env file is readable or writable by group or others.";
    NotIgnored => "not-ignored", "Inside a git work tree, the live env file is not ignored.";
    Tracked => "tracked", "The live env file is tracked by git.";
    Undocumented => "undocumented", "Compose requires a variable the example file does not list.";
    Unused => "unused", "A variable only the live file has.";
    Duplicate => "duplicate", "A key is defined twice in one file; the last one wins.";
    Syntax => "syntax", "A line Docker Compose would reject.";
    WeakDefault => "weak-default", "A secret is unset, so compose falls back to a weak or placeholder default.";
    Reused => "reused", "One secret value is shared by variables that are not meant to be the same.";
    Mismatch => "mismatch", "Variables that must hold the same value (or a URL and the password it carries) differ.";
    Derived => "derived", "A value derived from another (a JWT signed with a secret) no longer matches its source.";
    Leftover => "leftover", "A temporary file left by an interrupted save (it may hold a whole env file) sits beside the live file.";
    RotationDue => "rotation-due", "A secret is older than its rotation interval, a new key waits to be promoted, or a rotation is unfinished.";
}

impl RuleId {
    /// Whether a finding of this rule is what gives a variable `status`.
    pub fn sets(self, status: Status) -> bool {
        matches!(
            (self, status),
            (RuleId::Missing, Status::Missing)
                | (
                    RuleId::Placeholder | RuleId::WeakDefault,
                    Status::Placeholder
                )
                | (RuleId::Weak | RuleId::WeakDefault, Status::Weak)
                | (
                    RuleId::Invalid | RuleId::Mismatch | RuleId::Derived,
                    Status::Invalid
                )
                | (RuleId::Unused, Status::Unused)
        )
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem, located. The message never contains a secret value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Which rule.
    pub rule: RuleId,
    /// How much it matters.
    pub severity: Severity,
    /// The variable, when the finding is about one.
    pub variable: Option<String>,
    /// The file to look at.
    pub file: PathBuf,
    /// Where in it.
    #[serde(flatten)]
    pub position: Position,
    /// What is wrong and what to do.
    pub message: String,
}

/// Where a variable is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Use {
    /// The service (or top-level section).
    pub service: String,
    /// The compose file.
    pub file: PathBuf,
    /// Where.
    #[serde(flatten)]
    pub position: Position,
    /// Inside a `scheme://…` URI.
    pub in_uri: bool,
}

/// One variable, as every face of envward sees it.
// Each flag is an independent fact the faces show; an enum would pretend they exclude each other.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// The name.
    pub name: String,
    /// Its state.
    pub status: Status,
    /// Secret, external or config.
    pub class: Class,
    /// How a value would be generated (secrets), or its shape.
    pub kind: Option<Kind>,
    /// Must be set.
    pub required: bool,
    /// Set in the live file.
    pub in_env: bool,
    /// Listed in the example file.
    pub in_example: bool,
    /// Compose uses.
    pub used_by: Vec<Use>,
    /// Indices into [`Inventory::findings`] about this variable.
    pub findings: Vec<usize>,
    /// Estimated strength of the live value in bits (secrets with a value).
    pub strength_bits: Option<f64>,
    /// What a generated value must satisfy (URI use, image constraints).
    pub constraints: Constraints,
    /// The example's section heading this variable sits under.
    pub section: Option<String>,
    /// The example's comment about it (the lines right above it and its inline comment).
    pub description: Option<String>,
    /// Where it is set in the live file (the winning statement).
    pub env_position: Option<Position>,
    /// Where the example lists it.
    pub example_position: Option<Position>,
    /// Why its class and kind are what they are (template, image, config, annotation).
    pub classified_by: String,
    /// Its value is written through other variables (`${POSTGRES_PASSWORD}`): it follows
    /// them and is never generated itself.
    pub follows_others: bool,
    /// Its value is also written as a literal in a compose file: `fill` leaves it (changing
    /// one side alone breaks the service), the `hardcoded` finding says what to change.
    pub pinned: bool,
    /// The compose literal that pins it, for people (`MYSQL_PASSWORD in compose.yml:8`),
    /// when a literal does (rather than another env file).
    pub pinned_by: Option<String>,
    /// Where else its value is kept when that is another env file a service reads
    /// (`MYSQL_PASSWORD in .db.env`); `pinned` is set too.
    pub pinned_with: Option<String>,
    /// A database image reads it only when its data volume is first created: changing it
    /// later needs the server changed first (`envward rotate`).
    pub initializes_volume: bool,
    /// For a configuration variable the live file leaves unset or empty: the value a
    /// compose default (`${X:-value}`) gives it, and where. Never filled for a secret (the
    /// Inventory holds no secret value).
    pub compose_default: Option<ComposeDefault>,
    /// When a secret was last set and when it is next due (`None` for configuration).
    pub rotation: Option<crate::rotate::RotationFacts>,
}

/// The value a compose default supplies, and where that default is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeDefault {
    /// The default, evaluated as Compose does.
    pub value: String,
    /// The compose file.
    pub file: PathBuf,
    /// Where in it.
    pub position: Position,
}

/// The analysis of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    /// The live env file, as shown to the user.
    pub env_file: PathBuf,
    /// The example file, as shown to the user.
    pub example_file: PathBuf,
    /// Whether the example file exists (`example_file` is where it would be otherwise).
    pub example_exists: bool,
    /// Whether the live env file exists (a fresh checkout's does not).
    pub env_exists: bool,
    /// The compose files read.
    pub compose_files: Vec<PathBuf>,
    /// The policy applied.
    pub policy: Policy,
    /// Every variable, ordered as the example lists them, then the others by name.
    pub variables: Vec<Variable>,
    /// Every finding, ordered by rule then place.
    pub findings: Vec<Finding>,
    /// Groups of variables that must hold one value, URLs that carry a password, and
    /// derived values.
    pub relations: Relations,
    /// Findings dropped by `[[ignore]]` entries of `envward.toml`.
    pub ignored: Vec<Finding>,
}

impl Inventory {
    /// The variable called `name`.
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// Findings of severity error.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// Findings of severity warning.
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    /// How many variables have each status.
    pub fn status_counts(&self) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|s| (*s, self.variables.iter().filter(|v| v.status == *s).count()))
            .collect()
    }

    /// The findings of one variable.
    pub fn findings_of<'a>(&'a self, var: &'a Variable) -> impl Iterator<Item = &'a Finding> {
        var.findings.iter().filter_map(|i| self.findings.get(*i))
    }
}

/// A `.env`-syntax file as the analysis sees it: parsed as far as possible, with the
/// statements Compose would reject listed.
#[derive(Debug, Clone, Copy)]
pub struct EnvInput<'a> {
    /// The path as shown to the user.
    pub path: &'a Path,
    /// The statements that parsed.
    pub document: &'a Document,
    /// The syntax errors.
    pub errors: &'a [ParseError],
}

/// Facts about the live file that only the filesystem and git know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileFacts {
    /// Unix permission bits, when the file exists.
    pub mode: Option<u32>,
    /// Git status, when the file is inside a work tree.
    pub git: Option<GitFacts>,
    /// Temporary files an interrupted envward write left beside the live file (as shown to
    /// the user).
    pub leftovers: Vec<PathBuf>,
    /// The rotation state beside the live file: when each value last changed (recorded, or
    /// recovered from the backups), overlaps to promote and an unfinished rotation.
    pub rotation: crate::rotate::State,
}

/// The live file's standing in git.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GitFacts {
    /// A `.gitignore` rule covers it.
    pub ignored: bool,
    /// It is in the index.
    pub tracked: bool,
}

/// Everything [`analyze`] reads.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The example file, if any.
    pub example: Option<EnvInput<'a>>,
    /// Where the example is or would be (for messages).
    pub example_path: &'a Path,
    /// The live env file, if it exists.
    pub live: Option<EnvInput<'a>>,
    /// Where the live file is or would be, as the user sees it (relative to where envward
    /// runs, which need not be the project directory: `project.env_file` is the absolute
    /// path, which is what `env_file:` entries are compared with).
    pub live_path: &'a Path,
    /// The compose project.
    pub project: &'a Project,
    /// The OS environment (for interpolation inside values, as Compose does).
    pub env: &'a HashMap<String, String>,
    /// Mode and git facts of the live file.
    pub live_facts: FileFacts,
    /// Built-in knowledge.
    pub knowledge: &'a Knowledge,
    /// The project's `envward.toml`.
    pub config: &'a Config,
    /// The policy.
    pub policy: Policy,
    /// The current time (for rotation schedules and token expiry); `check --as-of` moves it.
    pub now: jiff::Timestamp,
    /// The other env files the project's services read (`env_file:`), decoded, and the
    /// configuration files they mount.
    pub other_env_files: &'a [OtherEnvFile],
    /// Compose fills `${…}` from the live file (it is `.env` or the `--env-file`). False
    /// when the live file is an env file the services load and the project has no `.env`:
    /// its values reach those containers, but no `${…}` is filled from it.
    pub live_interpolates: bool,
}

/// Another file that may hold a value of the live file: an env file a service reads besides
/// the live one (`env_file: .db.env`), its values as Compose decodes them; or a
/// configuration file a service mounts, its `key: value` lines (see [`config_pairs`]). A
/// value kept in both files must change in both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OtherEnvFile {
    /// The file, as the user should see it.
    pub path: PathBuf,
    /// Its keys and values, in file order.
    pub values: Vec<(String, String)>,
}

/// Analyses a project. Pure: the same input always gives the same inventory.
pub fn analyze(input: &Input<'_>) -> Inventory {
    let cx = facts::Context::new(input);
    let mut findings = Vec::new();
    for rule in rules::registry() {
        rule.check(&cx, &mut findings);
    }
    // `[[ignore]]` in envward.toml: the project accepted these findings.
    let (ignored, mut findings): (Vec<Finding>, Vec<Finding>) = findings
        .into_iter()
        .partition(|f| input.config.ignore.iter().any(|i| i.covers(f)));
    // Paths compare as bytes: `Path`'s own ordering walks components and dominated the sort.
    findings.sort_by(|a, b| {
        (a.rule, a.file.as_os_str(), a.position, &a.variable).cmp(&(
            b.rule,
            b.file.as_os_str(),
            b.position,
            &b.variable,
        ))
    });
    let mut by_var: foldhash::HashMap<&str, Vec<usize>> = foldhash::HashMap::default();
    for (i, f) in findings.iter().enumerate() {
        if let Some(v) = &f.variable {
            by_var.entry(v.as_str()).or_default().push(i);
        }
    }
    let variables = cx
        .vars
        .iter()
        .map(|v| {
            let mut var = v.to_variable(by_var.remove(v.name.as_str()).unwrap_or_default());
            // A status whose finding is ignored no longer stands.
            if ignored.iter().any(|f| {
                f.variable.as_deref() == Some(var.name.as_str()) && f.rule.sets(var.status)
            }) {
                var.status = Status::Ok;
            }
            var.rotation = v.rotation(&cx);
            var
        })
        .collect();
    Inventory {
        env_file: input.live_path.to_path_buf(),
        example_file: input.example_path.to_path_buf(),
        example_exists: input.example.is_some(),
        env_exists: input.live.is_some(),
        compose_files: input.project.files.clone(),
        policy: input.policy,
        variables,
        findings,
        relations: cx.relations,
        ignored,
    }
}

#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod stand_in_tests;
#[cfg(test)]
mod sweep24_tests;
#[cfg(test)]
mod sweep26_tests;
#[cfg(test)]
mod sweep27_tests;
#[cfg(test)]
mod sweep28_tests;
#[cfg(test)]
mod sweep29_tests;
#[cfg(test)]
mod sweep_kinds_tests;
#[cfg(test)]
mod switched_off_tests;
#[cfg(test)]
mod template_gaps_tests;

#[cfg(test)]
mod decision_tests {
    use super::*;
    use crate::analysis::testkit::Fixture;

    const COMPOSE: &str =
        "services:\n  app:\n    image: x\n    environment:\n      A: ${SENTRY_DSN:?set it}\n";

    #[test]
    fn an_optional_variable_is_never_missing() {
        let inv = Fixture::new().compose(COMPOSE).run();
        assert_eq!(inv.get("SENTRY_DSN").unwrap().status, Status::Missing);
        let inv = Fixture::new()
            .compose(COMPOSE)
            .config("[vars.SENTRY_DSN]\noptional = true\nrequired = true\n")
            .run();
        let var = inv.get("SENTRY_DSN").unwrap();
        assert_eq!(var.status, Status::Ok);
        assert!(!var.required);
        assert!(inv.findings.iter().all(|f| f.rule != RuleId::Missing));
    }

    #[test]
    fn ignored_findings_leave_findings_and_statuses_and_are_counted() {
        let live = "OLD_SETTING=x\nOTHER_SETTING=y\n";
        let inv = Fixture::new()
            .compose(COMPOSE)
            .example("SENTRY_DSN=\n")
            .live(live)
            .run();
        assert_eq!(inv.get("OLD_SETTING").unwrap().status, Status::Unused);
        let inv = Fixture::new()
            .compose(COMPOSE)
            .example("SENTRY_DSN=\n")
            .live(live)
            .config(
                "[[ignore]]\nrule = \"unused\"\nvariable = \"OLD_SETTING\"\nreason = \"cron\"\n",
            )
            .run();
        let old = inv.get("OLD_SETTING").unwrap();
        assert_eq!(old.status, Status::Ok);
        assert!(old.findings.is_empty());
        assert_eq!(inv.ignored.len(), 1);
        // Only that variable: the other unused one still counts.
        assert_eq!(inv.get("OTHER_SETTING").unwrap().status, Status::Unused);
        assert!(
            inv.findings
                .iter()
                .any(|f| f.variable.as_deref() == Some("OTHER_SETTING"))
        );
        // Indices still point at the right findings after the filter.
        for v in &inv.variables {
            for f in inv.findings_of(v) {
                assert_eq!(f.variable.as_deref(), Some(v.name.as_str()));
            }
        }
    }

    #[test]
    fn a_config_default_from_compose_is_the_effective_value() {
        let compose = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_DB: ${POSTGRES_DB:-chat4all}\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-changeme}\n";
        let inv = Fixture::new().compose(compose).run();
        let d = inv
            .get("POSTGRES_DB")
            .unwrap()
            .compose_default
            .clone()
            .unwrap();
        assert_eq!(d.value, "chat4all");
        assert_eq!((d.position.line, d.position.column), (5, 20));
        // A secret's default is never copied into the inventory.
        assert!(
            inv.get("POSTGRES_PASSWORD")
                .unwrap()
                .compose_default
                .is_none()
        );
        // Set in the live file: no fallback.
        let inv = Fixture::new()
            .compose(compose)
            .live("POSTGRES_DB=app\n")
            .run();
        assert!(inv.get("POSTGRES_DB").unwrap().compose_default.is_none());
    }
}
