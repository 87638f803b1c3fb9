//! The rotation schedule: how often each secret is rotated.
//!
//! The defaults are the secrets strategy's table (database passwords and Redis quarterly, API
//! and webhook tokens every six months, `MinIO` and JWT signing keys yearly, the Grafana admin
//! password quarterly). A project overrides them in `envward.toml`, most specific first:
//! `[vars.NAME] rotate_every`, then `[rotation]` by kind (`password`, `hex`, `token` …), then
//! by class (`secret`, `external`), then `[rotation] default`.
//!
//! Durations are written `90d`, `12w`, `6m` (months of 30 days), `1y` (365 days) or `never`.

use std::fmt;

use jiff::{SignedDuration, Timestamp};

use crate::analysis::Class;
use crate::config::Config;
use crate::generate::Kind;

/// How often a value is rotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interval {
    /// Every this many days.
    Days(u32),
    /// Not on a schedule.
    Never,
}

impl Interval {
    /// The time after `from` when the next rotation is due (`None` for [`Interval::Never`]).
    pub fn after(self, from: Timestamp) -> Option<Timestamp> {
        match self {
            Interval::Days(d) => from
                .checked_add(SignedDuration::from_hours(i64::from(d) * 24))
                .ok(),
            Interval::Never => None,
        }
    }

    /// The number of days, when on a schedule.
    pub fn days(self) -> Option<u32> {
        match self {
            Interval::Days(d) => Some(d),
            Interval::Never => None,
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interval::Days(d) => write!(f, "{d} days"),
            Interval::Never => f.write_str("never"),
        }
    }
}

/// The longest interval accepted: a hundred years.
const MAX_DAYS: u32 = 36_500;

/// Reads a duration (`90d`, `12w`, `6m`, `1y`, `never`). The error describes the expected
/// form and never repeats the text (it may be a value pasted in the wrong place).
pub fn parse_interval(text: &str) -> Result<Interval, String> {
    const FORM: &str = "expected a duration such as 90d, 12w, 6m (months of 30 days), 1y or never";
    let t = text.trim();
    if t.eq_ignore_ascii_case("never") {
        return Ok(Interval::Never);
    }
    let unit_at = t.find(|c: char| !c.is_ascii_digit()).ok_or(FORM)?;
    let (number, unit) = t.split_at(unit_at);
    let n: u32 = number.parse().map_err(|_| FORM)?;
    let per = match unit {
        "d" => 1,
        "w" => 7,
        "m" => 30,
        "y" => 365,
        _ => return Err(FORM.to_string()),
    };
    match n.checked_mul(per) {
        Some(days) if (1..=MAX_DAYS).contains(&days) => Ok(Interval::Days(days)),
        _ => Err(format!("must be from 1 day to {MAX_DAYS} days")),
    }
}

/// The keys `[rotation]` accepts: `default`, the classes and the kind names.
pub const ROTATION_KEYS: [&str; 10] = [
    "default", "secret", "external", "password", "base64", "hex", "uuid", "token", "laravel",
    "fernet",
];

/// The strategy's schedule for a variable, and the row of its table that applies.
pub fn default_interval(name: &str, class: Class, kind: Option<Kind>) -> (Interval, &'static str) {
    let upper = name.to_ascii_uppercase();
    let has = |w: &str| upper.contains(w);
    if has("MINIO") {
        return (Interval::Days(365), "MinIO credentials: yearly");
    }
    if has("GRAFANA") || upper.starts_with("GF_") {
        return (Interval::Days(90), "Grafana admin password: quarterly");
    }
    if has("REDIS") {
        return (Interval::Days(90), "Redis password: quarterly");
    }
    if has("JWT") || has("SIGNING") {
        return (
            Interval::Days(365),
            "JWT signing keys: yearly (with overlap)",
        );
    }
    if has("WEBHOOK") || kind == Some(Kind::Uuid) {
        return (Interval::Days(180), "webhook tokens: every 6 months");
    }
    if class == Class::External || matches!(kind, Some(Kind::Token(_))) {
        return (Interval::Days(180), "API tokens: every 6 months");
    }
    // A password keeps its row whatever shape its value has (a base64-looking password).
    let words: Vec<&str> = upper.split(['_', '.', '-']).collect();
    if words
        .iter()
        .any(|w| matches!(*w, "PASSWORD" | "PASS" | "PASSWD" | "PWD"))
    {
        return (Interval::Days(90), "passwords: quarterly");
    }
    if matches!(
        kind,
        Some(Kind::Hex(_) | Kind::Base64(_) | Kind::Laravel | Kind::Fernet)
    ) {
        return (Interval::Days(365), "keys: yearly");
    }
    (Interval::Days(90), "passwords: quarterly")
}

/// The interval for a variable: `envward.toml` first (see the module docs), then the
/// strategy's table. Values that do not parse were refused when the configuration was read,
/// so they are skipped here.
pub fn interval_for(config: &Config, name: &str, class: Class, kind: Option<Kind>) -> Interval {
    let parsed = |s: &String| parse_interval(s).ok();
    if let Some(i) = config
        .vars
        .get(name)
        .and_then(|v| v.rotate_every.as_ref())
        .and_then(parsed)
    {
        return i;
    }
    let table = &config.rotation;
    let by_kind = kind.and_then(|k| table.get(k.name()));
    by_kind
        .or_else(|| table.get(class.as_str()))
        .or_else(|| table.get("default"))
        .and_then(parsed)
        .unwrap_or_else(|| default_interval(name, class, kind).0)
}

/// How long a new signing key overlaps the old one unless told otherwise.
pub const DEFAULT_OVERLAP: Interval = Interval::Days(7);

/// The name of the variable that holds a variable's new value during an overlap:
/// `[vars.NAME] overlap`, else `NAME_SECONDARY`.
pub fn secondary_name(config: &Config, name: &str) -> String {
    config
        .vars
        .get(name)
        .and_then(|v| v.overlap.clone())
        .unwrap_or_else(|| format!("{name}_SECONDARY"))
}

/// How long an overlap lasts: `[vars.NAME] overlap_for`, else [`DEFAULT_OVERLAP`].
pub fn overlap_for(config: &Config, name: &str) -> Interval {
    config
        .vars
        .get(name)
        .and_then(|v| v.overlap_for.as_ref())
        .and_then(|s| parse_interval(s).ok())
        .unwrap_or(DEFAULT_OVERLAP)
}

/// When a secret was last set, how often it is rotated and when it is next due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationFacts {
    /// When its value last changed (recorded, or recovered from the backups).
    pub last_set: Option<Timestamp>,
    /// How often it is rotated.
    pub every: Interval,
    /// When it is next due (known when both of the above are).
    pub next_due: Option<Timestamp>,
}

impl RotationFacts {
    /// Whether it is due at `now`.
    pub fn is_due(&self, now: Timestamp) -> bool {
        self.next_due.is_some_and(|d| d <= now)
    }

    /// One line for people: when it was set, how often, when it is next due.
    pub fn describe(&self, now: Timestamp) -> String {
        let set = self.last_set.map_or_else(
            || "last set: unknown".to_string(),
            |t| format!("last set {}", day(t)),
        );
        let due = match (self.next_due, self.every) {
            (_, Interval::Never) => "not on a schedule".to_string(),
            (Some(d), _) if d <= now => format!("due since {}", day(d)),
            (Some(d), _) => format!("next due {}", day(d)),
            (None, every) => format!("every {every}"),
        };
        format!("{set} · {due}")
    }
}

/// The rotation facts of a variable set in the live file (`None` for configuration).
pub fn facts_for(
    config: &Config,
    state: &super::State,
    name: &str,
    class: Class,
    kind: Option<Kind>,
) -> Option<RotationFacts> {
    if !class.is_sensitive() {
        return None;
    }
    let every = interval_for(config, name, class, kind);
    let last_set = state.set.get(name).copied();
    Some(RotationFacts {
        last_set,
        every,
        next_due: last_set.and_then(|t| every.after(t)),
    })
}

/// A date as `YYYY-MM-DD` (UTC), for messages.
pub fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_days_weeks_months_years() {
        assert_eq!(parse_interval("90d"), Ok(Interval::Days(90)));
        assert_eq!(parse_interval("12w"), Ok(Interval::Days(84)));
        assert_eq!(parse_interval("6m"), Ok(Interval::Days(180)));
        assert_eq!(parse_interval("1y"), Ok(Interval::Days(365)));
        assert_eq!(parse_interval("never"), Ok(Interval::Never));
        for bad in ["", "77", "d", "0d", "9x", "-3d", "1.5y", "999999y"] {
            let e = parse_interval(bad).unwrap_err();
            assert!(bad.len() <= 2 || !e.contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn the_strategy_table() {
        let days = |name, class, kind| default_interval(name, class, kind).0.days();
        let pw = Some(Kind::Password);
        assert_eq!(days("POSTGRES_PASSWORD", Class::Secret, pw), Some(90));
        assert_eq!(days("REDIS_PASSWORD", Class::Secret, pw), Some(90));
        assert_eq!(days("MINIO_ROOT_PASSWORD", Class::Secret, pw), Some(365));
        assert_eq!(
            days("GF_SECURITY_ADMIN_PASSWORD", Class::Secret, pw),
            Some(90)
        );
        assert_eq!(
            days("JWT_SIGNING_KEY", Class::Secret, Some(Kind::Hex(32))),
            Some(365)
        );
        assert_eq!(
            days(
                "WHATSAPP_WEBHOOK_VERIFY_TOKEN",
                Class::Secret,
                Some(Kind::Uuid)
            ),
            Some(180)
        );
        assert_eq!(days("TELEGRAM_BOT_TOKEN", Class::External, None), Some(180));
        assert_eq!(
            days("POSTGRES_PASSWORD", Class::Secret, Some(Kind::Base64(32))),
            Some(90),
            "a password whose value looks like base64 is still a password"
        );
    }

    #[test]
    fn configuration_overrides_most_specific_first() {
        let config = crate::config::parse(
            "[rotation]\ndefault = \"30d\"\nexternal = \"1y\"\nhex = \"2y\"\n[vars.DB_PASSWORD]\nrotate_every = \"never\"\n",
        )
        .unwrap();
        let pw = Some(Kind::Password);
        assert_eq!(
            interval_for(&config, "DB_PASSWORD", Class::Secret, pw),
            Interval::Never
        );
        assert_eq!(
            interval_for(&config, "OTHER", Class::Secret, pw),
            Interval::Days(30)
        );
        assert_eq!(
            interval_for(&config, "API_KEY", Class::External, None),
            Interval::Days(365)
        );
        assert_eq!(
            interval_for(
                &config,
                "JWT_SIGNING_KEY",
                Class::Secret,
                Some(Kind::Hex(32))
            ),
            Interval::Days(730)
        );
    }
}
