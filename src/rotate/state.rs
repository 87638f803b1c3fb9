//! The rotation state of one live file: when each value last changed, overlaps waiting to be
//! promoted, and a rotation that has not finished. Names and dates only: no value, and no
//! hash of a value (a hash of a short password is as good as the password to an attacker).
//!
//! The text is TOML with native dates, so people can read it:
//!
//! ```toml
//! # envward state of .env: names and dates only.
//! version = 1
//!
//! [set]
//! POSTGRES_PASSWORD = 2025-06-01T12:00:00Z
//!
//! [overlap.JWT_SIGNING_KEY]
//! secondary = "JWT_SIGNING_KEY_SECONDARY"
//! started = 2025-06-01T12:00:00Z
//! promote_after = 2025-06-08T12:00:00Z
//!
//! [pending]
//! vars = ["POSTGRES_PASSWORD"]
//! started = 2025-06-01T12:00:00Z
//! before = ".env.000003.20250601T120000Z.age"
//! after = ".env.000004.20250601T120000Z.age"
//! database = ["db"]
//! applying = "db"
//! env_written = false
//! recreate = ["api", "worker", "db"]
//! ```
//!
//! Parsing and rendering are pure; the store reads and writes the file, and the save path
//! records every change through [`State::record`]. [`changed_names`] says which variables a
//! write changes, and [`recover_dates`] dates values from the versions the backups hold.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::dotenv::Document;
use crate::position::{LineIndex, Position};

/// What the state file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// When each variable's value last changed.
    pub set: BTreeMap<String, Timestamp>,
    /// Overlaps started by `rotate --overlap`, by the variable that keeps the old value.
    pub overlaps: BTreeMap<String, Overlap>,
    /// A rotation that has not finished.
    pub pending: Option<Pending>,
}

/// A new value waiting beside the old one until it is promoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The variable holding the new value.
    pub secondary: String,
    /// When the overlap started.
    pub started: Timestamp,
    /// When the new value should be promoted.
    pub promote_after: Timestamp,
}

/// A rotation in progress: what is done, what is left, and the two backups that hold the
/// versions before and after it (by file name, beside the live file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The variables rotated (their followers are in the backups' documents).
    pub vars: Vec<String>,
    /// When the rotation started.
    pub started: Timestamp,
    /// The backup holding the live file as it was before the rotation.
    pub before: String,
    /// The backup holding the live file as the rotation makes it.
    pub after: String,
    /// Services whose in-database change is still to do.
    pub database: Vec<String>,
    /// The service whose in-database change was started last and not seen to finish: it may
    /// or may not have taken the new value, so `--undo` puts the old one back there too.
    pub applying: Option<String>,
    /// The live file holds the rotated version.
    pub env_written: bool,
    /// Services still to recreate.
    pub recreate: Vec<String>,
}

/// A state file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct StateError {
    /// Where.
    pub position: Position,
    /// What.
    pub message: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    version: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    set: BTreeMap<String, toml::value::Datetime>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    overlap: BTreeMap<String, OverlapForm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<PendingForm>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlapForm {
    secondary: String,
    started: toml::value::Datetime,
    promote_after: toml::value::Datetime,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PendingForm {
    vars: Vec<String>,
    started: toml::value::Datetime,
    before: String,
    after: String,
    #[serde(default)]
    database: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    applying: Option<String>,
    env_written: bool,
    #[serde(default)]
    recreate: Vec<String>,
}

/// The only format version this envward reads and writes.
const VERSION: u32 = 1;

fn to_toml(t: Timestamp) -> toml::value::Datetime {
    // A UTC timestamp to the second always parses as a TOML offset date-time.
    let text = t.round(jiff::Unit::Second).unwrap_or(t).to_string();
    text.parse().unwrap_or(toml::value::Datetime {
        date: None,
        time: None,
        offset: None,
    })
}

fn from_toml(d: &toml::value::Datetime) -> Option<Timestamp> {
    d.to_string().parse().ok()
}

impl State {
    /// Reads a state file's text. An empty text is an empty state.
    pub fn parse(text: &str) -> Result<State, StateError> {
        if text.trim().is_empty() {
            return Ok(State::default());
        }
        let at = |offset: usize, message: String| StateError {
            position: LineIndex::new(text).position(text, offset),
            message,
        };
        let form: FileForm = toml::from_str(text).map_err(|e| {
            at(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            )
        })?;
        if form.version != VERSION {
            return Err(at(
                0,
                format!(
                    "state format version {} is not one this envward reads (it reads {VERSION})",
                    form.version
                ),
            ));
        }
        let time = |d: &toml::value::Datetime, what: &str| {
            from_toml(d).ok_or_else(|| {
                at(
                    text.find(what).unwrap_or(0),
                    format!("{what}: not a date with a time and an offset"),
                )
            })
        };
        let mut state = State::default();
        for (name, d) in &form.set {
            state.set.insert(name.clone(), time(d, name)?);
        }
        for (name, o) in &form.overlap {
            state.overlaps.insert(
                name.clone(),
                Overlap {
                    secondary: o.secondary.clone(),
                    started: time(&o.started, "started")?,
                    promote_after: time(&o.promote_after, "promote_after")?,
                },
            );
        }
        if let Some(p) = form.pending {
            state.pending = Some(Pending {
                vars: p.vars,
                started: time(&p.started, "started")?,
                before: p.before,
                after: p.after,
                database: p.database,
                applying: p.applying,
                env_written: p.env_written,
                recreate: p.recreate,
            });
        }
        Ok(state)
    }

    /// The file's text, with a comment saying what it is for `live_name`.
    pub fn render(&self, live_name: &str) -> String {
        let form = FileForm {
            version: VERSION,
            set: self
                .set
                .iter()
                .map(|(k, t)| (k.clone(), to_toml(*t)))
                .collect(),
            overlap: self
                .overlaps
                .iter()
                .map(|(k, o)| {
                    (
                        k.clone(),
                        OverlapForm {
                            secondary: o.secondary.clone(),
                            started: to_toml(o.started),
                            promote_after: to_toml(o.promote_after),
                        },
                    )
                })
                .collect(),
            pending: self.pending.as_ref().map(|p| PendingForm {
                vars: p.vars.clone(),
                started: to_toml(p.started),
                before: p.before.clone(),
                after: p.after.clone(),
                database: p.database.clone(),
                applying: p.applying.clone(),
                env_written: p.env_written,
                recreate: p.recreate.clone(),
            }),
        };
        let body = toml::to_string(&form).unwrap_or_default();
        format!(
            "# envward state of {live_name}: when each value last changed, overlaps to promote and\n# an unfinished rotation. Names and dates only, never a value. Written by envward.\n{body}"
        )
    }

    /// Records a write made at `now`: `changed` variables were set then, `removed` ones are
    /// gone (their dates and overlaps with them).
    pub fn record(&mut self, change: &Changed, now: Timestamp) {
        for name in &change.changed {
            self.set.insert(name.clone(), now);
        }
        for name in &change.removed {
            self.set.remove(name);
            self.overlaps.remove(name);
        }
    }
}

/// Which variables a write changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Set to a new value (or added).
    pub changed: Vec<String>,
    /// No longer in the file.
    pub removed: Vec<String>,
}

impl Changed {
    /// Whether the write changes no value.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Each key's value as Compose decodes it (interpolation against the file alone).
pub fn values_of(doc: &Document) -> HashMap<String, String> {
    doc.resolve_lenient(&|_: &str| None)
        .into_iter()
        .map(|b| (b.key, b.value))
        .collect()
}

/// The variables whose decoded value differs between `old` (absent: a new file) and `new`.
pub fn changed_names(old: Option<&Document>, new: &Document) -> Changed {
    let before = old.map(values_of).unwrap_or_default();
    let after = values_of(new);
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    let mut removed: Vec<String> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    changed.sort();
    removed.sort();
    Changed { changed, removed }
}

/// Dates for the variables of `current` that the backups can date: `versions` are the
/// decoded backups, oldest first, with their times. A value is dated by the oldest backup
/// of the unbroken run of newest backups that hold it; a value the newest backup does not
/// hold (changed outside envward) gets no date.
pub fn recover_dates<S: std::hash::BuildHasher>(
    versions: &[(Timestamp, HashMap<String, String, S>)],
    current: &HashMap<String, String, S>,
) -> BTreeMap<String, Timestamp> {
    let mut out = BTreeMap::new();
    for (name, value) in current {
        let mut since = None;
        for (time, version) in versions.iter().rev() {
            if version.get(name) == Some(value) {
                since = Some(*time);
            } else {
                break;
            }
        }
        if let Some(t) = since {
            out.insert(name.clone(), t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn round_trips_names_and_dates_only() {
        let mut state = State::default();
        state
            .set
            .insert("POSTGRES_PASSWORD".into(), t("2025-06-01T12:00:00Z"));
        state.overlaps.insert(
            "JWT_SIGNING_KEY".into(),
            Overlap {
                secondary: "JWT_SIGNING_KEY_SECONDARY".into(),
                started: t("2025-06-01T12:00:00Z"),
                promote_after: t("2025-06-08T12:00:00Z"),
            },
        );
        state.pending = Some(Pending {
            vars: vec!["POSTGRES_PASSWORD".into()],
            started: t("2025-06-01T12:00:00Z"),
            before: ".env.000001.20250601T120000Z.age".into(),
            after: ".env.000002.20250601T120000Z.age".into(),
            database: vec!["db".into()],
            applying: Some("db".into()),
            env_written: false,
            recreate: vec!["api".into(), "db".into()],
        });
        let text = state.render(".env");
        assert!(text.starts_with("# envward state of .env"));
        assert!(
            text.contains("POSTGRES_PASSWORD = 2025-06-01T12:00:00Z"),
            "{text}"
        );
        assert_eq!(State::parse(&text).unwrap(), state);
        assert_eq!(State::parse("").unwrap(), State::default());
    }

    #[test]
    fn bad_files_are_located() {
        let e = State::parse("version = 1\n[set]\nA = \"soon\"\n").unwrap_err();
        assert_eq!(e.position.line, 3, "{e}");
        let e = State::parse("version = 7\n").unwrap_err();
        assert!(e.message.contains("version 7"), "{e}");
        let e = State::parse("version = 1\nvalues = 2\n").unwrap_err();
        assert_eq!(e.position.line, 2, "{e}");
    }

    #[test]
    fn changes_are_decoded_values_not_text() {
        let old = crate::dotenv::parse("A=1\nB='2'\nC=3\n").unwrap();
        let new = crate::dotenv::parse("A=1\nB=2 # same value, new quoting\nD=4\n").unwrap();
        let c = changed_names(Some(&old), &new);
        assert_eq!(c.changed, vec!["D".to_string()]);
        assert_eq!(c.removed, vec!["C".to_string()]);
        let mut state = State::default();
        state.set.insert("C".into(), t("2025-01-01T00:00:00Z"));
        state.record(&c, t("2025-02-01T00:00:00Z"));
        assert_eq!(
            state.set.keys().collect::<Vec<_>>(),
            vec!["D"],
            "C is gone, D dated"
        );
    }

    #[test]
    fn backups_date_the_unbroken_run_of_the_current_value() {
        let v = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect()
        };
        let versions = vec![
            (t("2025-01-01T00:00:00Z"), v(&[("A", "x"), ("B", "1")])),
            (t("2025-02-01T00:00:00Z"), v(&[("A", "y"), ("B", "1")])),
            (t("2025-03-01T00:00:00Z"), v(&[("A", "y"), ("B", "1")])),
        ];
        let dates = recover_dates(&versions, &v(&[("A", "y"), ("B", "1"), ("C", "new")]));
        assert_eq!(dates["A"], t("2025-02-01T00:00:00Z"));
        assert_eq!(dates["B"], t("2025-01-01T00:00:00Z"));
        assert!(!dates.contains_key("C"), "changed outside envward: unknown");
    }
}
