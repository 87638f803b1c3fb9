//! Rotation records at the edge: the state file beside the live file (read strictly for
//! commands, leniently for the TUI), the dates the backups can give for values it has no
//! record of, and the one place every write records what it changed.

use std::collections::HashMap;
use std::path::Path;

use jiff::Timestamp;

use super::Error;
use crate::dotenv::{self, Document};
use crate::rotate::State;
use crate::rotate::state::{Changed, changed_names, recover_dates, values_of};
use crate::store::{self, Identity, state as file};

/// The state file, parsed; an empty state when there is none. A file that does not parse is
/// an error naming its line and column.
pub fn load(live_path: &Path) -> Result<State, Error> {
    match file::read(live_path)? {
        None => Ok(State::default()),
        Some(text) => State::parse(&text).map_err(|error| Error::State {
            file: file::state_path(live_path),
            error,
        }),
    }
}

/// Replaces the state file with `state` under the save lock.
pub fn save(live_path: &Path, state: &State) -> Result<(), Error> {
    let text = state.render(&live_display_name(live_path));
    file::update::<Error>(live_path, store::lock::WAIT, |_| Ok(Some(text)))
}

/// Changes the state file under the save lock: `change` sees what is on disk now.
pub fn update(live_path: &Path, change: impl FnOnce(&mut State)) -> Result<(), Error> {
    let name = live_display_name(live_path);
    file::update::<Error>(live_path, store::lock::WAIT, |old| {
        let mut state = match old {
            None => State::default(),
            Some(text) => State::parse(text).map_err(|error| Error::State {
                file: file::state_path(live_path),
                error,
            })?,
        };
        let before = state.clone();
        change(&mut state);
        Ok((state != before).then(|| state.render(&name)))
    })
}

fn live_display_name(live_path: &Path) -> String {
    live_path
        .file_name()
        .map_or_else(|| ".env".to_string(), |n| n.to_string_lossy().into_owned())
}

/// Records a write of `new_text` over `old` made at `now`: every variable whose value it
/// changes is dated now (a record already later than `now` is kept). Returns what changed.
pub fn record_write(
    live_path: &Path,
    old: Option<&Document>,
    new_text: &str,
    now: Timestamp,
) -> Result<Changed, Error> {
    let (new, _) = dotenv::parse_recovering(new_text);
    let changed = changed_names(old, &new);
    if changed.is_empty() {
        return Ok(changed);
    }
    update(live_path, |state| {
        let later: Vec<(String, Timestamp)> = changed
            .changed
            .iter()
            .filter_map(|n| {
                state
                    .set
                    .get(n)
                    .filter(|t| **t > now)
                    .map(|t| (n.clone(), *t))
            })
            .collect();
        state.record(&changed, now);
        state.set.extend(later);
    })?;
    Ok(changed)
}

/// The state for the analysis: the file (leniently: a broken one reads as empty, `check`
/// reports it through [`load`]) with dates recovered from the backups for values it has no
/// record of, when the identity (never created here) opens them.
pub fn for_analysis(live_path: &Path, identity: Option<&Path>) -> State {
    let mut state = load(live_path).unwrap_or_default();
    // Without backups there is nothing to date values from: a directory listing decides it
    // before the live file is read again or a key file is opened.
    let mut backups = match store::backup::list(live_path) {
        Ok(backups) if !backups.is_empty() => backups,
        _ => return state,
    };
    let Ok(Some(loaded)) = store::read_optional(live_path) else {
        return state;
    };
    let current = values_of(&dotenv::parse_recovering(&loaded.text).0);
    if current.keys().all(|k| state.set.contains_key(k)) {
        return state;
    }
    let Some(identity) = existing_identity(identity) else {
        return state;
    };
    backups.reverse(); // oldest first
    let versions: Vec<(Timestamp, HashMap<String, String>)> = backups
        .iter()
        .filter_map(|b| {
            let plain = store::backup::read_backup(&b.path, &identity).ok()?;
            let text = std::str::from_utf8(&plain).ok()?;
            Some((b.time(), values_of(&dotenv::parse_recovering(text).0)))
        })
        .collect();
    for (name, when) in recover_dates(&versions, &current) {
        state.set.entry(name).or_insert(when);
    }
    state
}

/// The user's identity when it exists (reading never creates one).
fn existing_identity(arg: Option<&Path>) -> Option<Identity> {
    let path = store::identity::resolve_identity_path(arg).ok()?;
    Identity::load(&path.path).ok()
}
