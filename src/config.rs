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
    /// Never required (so never `missing`), whatever compose implies.
    #[serde(default)]
    pub optional: bool,
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
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        ConfigError {
            position: LineIndex::new(text).position(text, offset),
            message: e.message().trim().to_string(),
        }
    })?;
    for (name, var) in &config.vars {
        if let Some(kind) = &var.kind
            && let Err(e) = kind.parse::<crate::generate::Kind>()
        {
            let offset = text.find(kind.as_str()).unwrap_or(0);
            return Err(ConfigError {
                position: LineIndex::new(text).position(text, offset),
                message: format!("vars.{name}.kind: {e}"),
            });
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
    Ok(config)
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
    fn errors_have_positions() {
        let e = parse("[vars.X]\nclas = \"secret\"\n").unwrap_err();
        assert_eq!(e.position.line, 2);
        let e = parse("[vars.X]\nkind = \"hex:0\"\n").unwrap_err();
        assert_eq!(e.position.line, 2);
    }
}
