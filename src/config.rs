//! `envward.toml`: a project's overrides of the built-in knowledge and policy, and its backup
//! settings.
//!
//! ```toml
//! [policy]
//! default = "prod"        # or "dev"
//! min_length = 32
//! min_bits = 128
//!
//! [vars.JWT_SECRET]
//! class = "secret"        # secret | external | config
//! kind = "hex:32"
//! same_as = ["API_JWT_SECRET"]   # allowed to share a value (no `reused` warning)
//! rotate_every = "1y"          # how often `rotate --due` and `rotation-due` ask for a new one
//! overlap = "JWT_SECRET_NEXT"   # where `rotate --overlap` puts the new value (default NAME_SECONDARY)
//! overlap_for = "7d"            # how long old and new overlap before `--promote`
//!
//! [rotation]              # by kind, by class, then `default`; durations 90d, 12w, 6m, 1y, never
//! password = "90d"
//! external = "6m"
//!
//! [vars.SENTRY_DSN]
//! optional = true         # never `missing`
//!
//! [[ignore]]              # a finding the team decided to live with
//! rule = "unused"
//! variable = "LEGACY_TOKEN"
//! reason = "read by the cron container, outside compose"
//!
//! [backup]
//! recipients = ["age1…", "ssh-ed25519 AAAA…"]
//! recipients_file = "team-recipients.txt"
//! keep = 10
//! ```
//!
//! Parsing is pure; errors carry the line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::analysis::{Class, PolicyLevel};
use crate::position::{LineIndex, Position};

/// The project configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Strength policy.
    #[serde(default)]
    pub policy: PolicyConfig,
    /// Per-variable overrides.
    #[serde(default)]
    pub vars: BTreeMap<String, VarConfig>,
    /// Encrypted backups.
    #[serde(default)]
    pub backup: BackupConfig,
    /// Findings the project decided to live with.
    #[serde(default)]
    pub ignore: Vec<IgnoreConfig>,
    /// Rotation intervals by kind, class or `default` (see [`crate::rotate::schedule`]).
    #[serde(default)]
    pub rotation: BTreeMap<String, String>,
}

/// `[[ignore]]`: drop the findings of `rule` about `variable` (every variable when absent).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreConfig {
    /// The rule id (`unused`, `weak` …).
    pub rule: String,
    /// The variable; absent: every finding of the rule.
    pub variable: Option<String>,
    /// Why the finding is accepted (required: the next reader needs it).
    pub reason: String,
}

impl IgnoreConfig {
    /// Whether this entry drops `finding`.
    pub fn covers(&self, finding: &crate::analysis::Finding) -> bool {
        finding.rule.as_str() == self.rule
            && self
                .variable
                .as_deref()
                .is_none_or(|v| finding.variable.as_deref() == Some(v))
    }
}

/// `[policy]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// The policy when `--policy` is not given (otherwise chosen by the live file's name).
    pub default: Option<PolicyLevel>,
    /// Shortest acceptable secret.
    pub min_length: Option<usize>,
    /// Least acceptable estimated strength, in bits.
    pub min_bits: Option<f64>,
}

/// `[vars.NAME]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VarConfig {
    /// Class override.
    pub class: Option<Class>,
    /// Kind override (`password`, `hex:32` …).
    pub kind: Option<String>,
    /// Variables meant to hold the same value.
    #[serde(default)]
    pub same_as: Vec<String>,
    /// Whether the variable must be set (overrides what compose implies).
    pub required: Option<bool>,
    /// A value computed from another variable (`derive = { from = "JWT_SECRET", jwt = { role = "anon" } }`).
    pub derive: Option<DeriveConfig>,
    /// Never required (so never `missing`), whatever compose implies.
    #[serde(default)]
    pub optional: bool,
    /// How often the value is rotated (`90d`, `6m`, `1y`, `never`).
    pub rotate_every: Option<String>,
    /// The variable `rotate --overlap` writes the new value to (default `NAME_SECONDARY`).
    pub overlap: Option<String>,
    /// How long an overlap lasts before the new value is promoted (default `7d`).
    pub overlap_for: Option<String>,
}

/// `[vars.NAME] derive`: the variable is an HS256 JWT signed with another's value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeriveConfig {
    /// The source variable.
    pub from: String,
    /// Claims the token carries (besides `iat` and `exp`).
    #[serde(default)]
    pub jwt: std::collections::BTreeMap<String, String>,
    /// How long a token made now stays valid (default 1825 days).
    pub lifetime_days: Option<u32>,
}

/// `[backup]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// Extra recipients (age or SSH public keys).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// A file of recipients, one per line.
    pub recipients_file: Option<PathBuf>,
    /// How many backups to keep (default 10).
    pub keep: Option<usize>,
}

/// An `envward.toml` that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct ConfigError {
    /// Where.
    pub position: Position,
    /// What.
    pub message: String,
}

/// Parses `envward.toml` text.
///
/// Errors name the line, column and key, never the value found there: a value in this file
/// may be a pasted secret (an `AGE-SECRET-KEY-1…` where a recipient belongs).
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let config: Config = toml::from_str(text).map_err(|e| describe(text, &e))?;
    if let Some(bits) = config.policy.min_bits
        && !(bits.is_finite() && (0.0..=MAX_BITS).contains(&bits))
    {
        return Err(at_key(
            text,
            &["policy", "min_bits"],
            format!("policy.min_bits: must be a number of bits from 0 to {MAX_BITS}"),
        ));
    }
    for (name, var) in &config.vars {
        if let Some(kind) = &var.kind
            && kind.parse::<crate::generate::Kind>().is_err()
        {
            return Err(at_key(
                text,
                &["vars", name, "kind"],
                format!(
                    "vars.{name}.kind: not a kind envward knows (password, base64:N, hex:N, uuid, token:N)"
                ),
            ));
        }
    }
    for (i, ignore) in config.ignore.iter().enumerate() {
        if let Err(e) = ignore.rule.parse::<crate::analysis::RuleId>() {
            let offset = text.find(&format!("\"{}\"", ignore.rule)).unwrap_or(0);
            return Err(ConfigError {
                position: LineIndex::new(text).position(text, offset),
                message: format!("ignore[{i}].rule: {e}"),
            });
        }
        if ignore.reason.trim().is_empty() {
            let offset = text.find("[[ignore]]").unwrap_or(0);
            return Err(ConfigError {
                position: LineIndex::new(text).position(text, offset),
                message: format!("ignore[{i}]: say why in `reason`"),
            });
        }
    }
    check_rotation(text, &config)?;
    Ok(config)
}

/// `[rotation]` keys and every duration must be ones envward understands; an overlap name
/// must be a variable name.
fn check_rotation(text: &str, config: &Config) -> Result<(), ConfigError> {
    use crate::rotate::schedule::{ROTATION_KEYS, parse_interval};
    for (key, value) in &config.rotation {
        if !ROTATION_KEYS.contains(&key.as_str()) {
            return Err(at_key(
                text,
                &["rotation", key],
                format!(
                    "rotation.{key}: not a class or kind envward knows ({})",
                    ROTATION_KEYS.join(", ")
                ),
            ));
        }
        if let Err(why) = parse_interval(value) {
            return Err(at_key(
                text,
                &["rotation", key],
                format!("rotation.{key}: {why}"),
            ));
        }
    }
    for (name, var) in &config.vars {
        for (field, value) in [
            ("rotate_every", &var.rotate_every),
            ("overlap_for", &var.overlap_for),
        ] {
            if let Some(v) = value
                && let Err(why) = parse_interval(v)
            {
                return Err(at_key(
                    text,
                    &["vars", name, field],
                    format!("vars.{name}.{field}: {why}"),
                ));
            }
        }
        if let Some(o) = &var.overlap
            && !is_var_name(o)
        {
            return Err(at_key(
                text,
                &["vars", name, "overlap"],
                format!("vars.{name}.overlap: must be a variable name (letters, digits and _)"),
            ));
        }
    }
    Ok(())
}

fn is_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The largest `min_bits` that makes sense: far beyond any generated secret's strength.
const MAX_BITS: f64 = 4096.0;

/// An error at the value of `path` (or at the start of the file if it cannot be found).
fn at_key(text: &str, path: &[&str], message: String) -> ConfigError {
    let offset = toml::de::DeTable::parse(text)
        .ok()
        .and_then(|tree| span_of(tree.get_ref(), path))
        .unwrap_or(0);
    ConfigError {
        position: LineIndex::new(text).position(text, offset),
        message,
    }
}

/// The start of the value at `path` in a parsed table.
fn span_of(table: &toml::de::DeTable<'_>, path: &[&str]) -> Option<usize> {
    let (first, rest) = path.split_first()?;
    let (_, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *first)?;
    if rest.is_empty() {
        return Some(value.span().start);
    }
    match value.get_ref() {
        toml::de::DeValue::Table(inner) => span_of(inner, rest),
        _ => None,
    }
}

/// Turns a `toml` error into a message that names the position and the key, without any
/// text from the file other than key names.
fn describe(text: &str, error: &toml::de::Error) -> ConfigError {
    let offset = error.span().map_or(0, |s| s.start);
    let position = LineIndex::new(text).position(text, offset);
    let message = match toml::de::DeTable::parse(text) {
        // A syntax error: the parser's messages are fixed phrases and expected tokens.
        Err(_) => error.message().trim().to_string(),
        // A type or value error from the schema: its message may quote the value.
        Ok(tree) => {
            let mut key = Vec::new();
            if let Some(span) = error.span() {
                key_at(tree.get_ref(), span.start, &mut key);
            }
            let what = schema_message(error.message());
            if key.is_empty() {
                what
            } else {
                format!("{}: {what}", key.join("."))
            }
        }
    };
    ConfigError { position, message }
}

/// The key path whose key or value contains `offset`, searching inside tables (whose own
/// span may cover only their `[header]`).
fn key_at(table: &toml::de::DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    for (key, value) in table {
        path.push(key.get_ref().to_string());
        let here = key.span().contains(&offset) || value.span().contains(&offset);
        let inner = match value.get_ref() {
            toml::de::DeValue::Table(inner) => key_at(inner, offset, path),
            _ => false,
        };
        if inner || here {
            return true;
        }
        path.pop();
    }
    false
}

/// A serde message with any quoted value removed; what the schema expected is kept.
fn schema_message(message: &str) -> String {
    let expected = |m: &str| {
        m.split_once(", expected ")
            .map(|(_, e)| e.trim().to_string())
    };
    if message.starts_with("invalid type:") {
        return expected(message).map_or_else(
            || "wrong type".to_string(),
            |e| format!("wrong type, expected {e}"),
        );
    }
    if message.starts_with("invalid value:") || message.starts_with("unknown variant") {
        return expected(message).map_or_else(
            || "invalid value".to_string(),
            |e| format!("invalid value, expected {e}"),
        );
    }
    // These name keys (from the schema or the file), never values.
    for safe in [
        "unknown field",
        "missing field",
        "duplicate",
        "invalid length",
    ] {
        if message.starts_with(safe) {
            return message
                .trim()
                .to_string()
                .replace("unknown field", "unknown key");
        }
    }
    "invalid value".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_overrides() {
        let c =
            parse("[policy]\ndefault = \"dev\"\n[vars.X]\nclass = \"external\"\nkind = \"uuid\"\n")
                .unwrap();
        assert_eq!(c.policy.default, Some(PolicyLevel::Dev));
        assert_eq!(c.vars["X"].class, Some(Class::External));
    }

    #[test]
    fn type_errors_name_the_key_but_never_the_value() {
        let canary = "AGE-SECRET-KEY-1CANARYCANARYCANARY";
        for text in [
            format!("[backup]\nkeep = \"{canary}\"\n"),
            format!("[backup]\nrecipients = \"{canary}\"\n"),
            format!("[policy]\ndefault = \"{canary}\"\n"),
            format!("[vars.X]\nclass = \"{canary}\"\n"),
            format!("[vars.X]\nkind = \"{canary}\"\n"),
            format!("[vars.X]\nrequired = \"{canary}\"\n"),
        ] {
            let e = parse(&text).unwrap_err();
            let shown = e.to_string();
            assert!(!shown.contains("CANARY"), "{shown}");
            assert_eq!(e.position.line, 2, "{shown}");
            let key = text.lines().nth(1).unwrap().split(' ').next().unwrap();
            assert!(shown.contains(key), "{shown}");
        }
    }

    #[test]
    fn policy_numbers_must_be_real_bit_counts() {
        for bad in ["nan", "inf", "-inf", "-1.0", "1e9"] {
            let e = parse(&format!("[policy]\nmin_length = 8\nmin_bits = {bad}\n")).unwrap_err();
            assert_eq!((e.position.line, e.position.column), (3, 12), "{bad}");
            assert!(e.message.starts_with("policy.min_bits"), "{e}");
        }
        assert!(parse("[policy]\nmin_bits = 96.5\n").is_ok());
    }

    #[test]
    fn optional_and_ignore_parse_and_are_checked() {
        let c = parse(
            "[vars.A]\noptional = true\n[[ignore]]\nrule = \"unused\"\nvariable = \"B\"\nreason = \"cron\"\n",
        )
        .unwrap();
        assert!(c.vars["A"].optional);
        assert_eq!(c.ignore[0].variable.as_deref(), Some("B"));
        let e = parse("[[ignore]]\nrule = \"nope\"\nreason = \"x\"\n").unwrap_err();
        assert_eq!(e.position.line, 2);
        assert!(e.message.contains("unknown rule"), "{}", e.message);
        let e = parse("[[ignore]]\nrule = \"unused\"\nreason = \" \"\n").unwrap_err();
        assert!(e.message.contains("reason"), "{}", e.message);
    }

    #[test]
    fn rotation_settings_are_checked_without_echoing_values() {
        let ok = parse(
            "[rotation]\npassword = \"90d\"\nexternal = \"6m\"\n[vars.K]\nrotate_every = \"1y\"\noverlap = \"K_NEXT\"\noverlap_for = \"14d\"\n",
        )
        .unwrap();
        assert_eq!(ok.rotation["external"], "6m");
        assert_eq!(ok.vars["K"].overlap.as_deref(), Some("K_NEXT"));
        let canary = "CANARY-s3cr3t";
        for (text, line, key) in [
            (
                format!("[rotation]\npassword = \"{canary}\"\n"),
                2,
                "rotation.password",
            ),
            (
                "[rotation]\nhexx = \"90d\"\n".to_string(),
                2,
                "rotation.hexx",
            ),
            (
                format!("[vars.K]\nclass = \"secret\"\nrotate_every = \"{canary}\"\n"),
                3,
                "vars.K.rotate_every",
            ),
            (
                format!("[vars.K]\noverlap_for = \"{canary}\"\n"),
                2,
                "vars.K.overlap_for",
            ),
            (
                format!("[vars.K]\noverlap = \"{canary}\"\n"),
                2,
                "vars.K.overlap",
            ),
        ] {
            let e = parse(&text).unwrap_err();
            let shown = e.to_string();
            assert!(!shown.contains("CANARY"), "{shown}");
            assert_eq!(e.position.line, line, "{shown}");
            assert!(shown.contains(key), "{shown}");
        }
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("[vars.X]\nclas = \"secret\"\n").unwrap_err();
        assert_eq!(e.position.line, 2);
        let e = parse("[vars.X]\nkind = \"hex:0\"\n").unwrap_err();
        assert_eq!(e.position.line, 2);
    }
}
