//! Backup file names: `<live name>.<sequence>.<UTC time>.age`.
//!
//! The sequence number is the backup's place in creation order: each new backup takes one
//! more than the highest number beside it, whatever the clock says. It is zero-padded to six
//! digits so that `ls` lists backups in the order they were made (a seventh digit appears
//! only after a million backups). The time is for people; order, retention and "newest"
//! never depend on it, so a skewed clock or a backup copied from another host cannot make an
//! old version pose as the newest.
//!
//! Names written by envward 0.1, `<live name>.<time>Z.age` and `<live name>.<time>Z-N.age`,
//! are still read, as older than every numbered backup.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Digits the sequence number is padded to.
const SEQ_WIDTH: usize = 6;

/// The timestamp part of a backup's name.
const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Where a backup stands in creation order, oldest smallest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Order {
    /// The sequence number in the name; 0 for a name written by envward 0.1.
    pub seq: u64,
    /// The time in the name (only breaks ties, which envward itself never makes).
    pub time: Timestamp,
    /// The `-N` suffix of a 0.1 name made in the same second as another; 0 otherwise.
    pub legacy_suffix: u32,
}

/// The file name of backup number `seq` of `live_name`, made at `time`.
pub fn backup_name(live_name: &OsStr, seq: u64, time: Timestamp) -> OsString {
    let mut name = live_name.to_os_string();
    name.push(format!(
        ".{seq:0SEQ_WIDTH$}.{}.age",
        time.strftime(TIME_FORMAT)
    ));
    name
}

/// The order of `candidate` if it is a backup name of `live_name` (numbered, or 0.1's).
pub fn parse(live_name: &OsStr, candidate: &OsStr) -> Option<Order> {
    let rest = candidate
        .as_bytes()
        .strip_prefix(live_name.as_bytes())?
        .strip_prefix(b".")?
        .strip_suffix(b".age")?;
    let rest = std::str::from_utf8(rest).ok()?;
    if let Some((seq, stamp)) = rest.split_once('.') {
        if seq.len() < SEQ_WIDTH || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(Order {
            seq: seq.parse().ok().filter(|&n| n > 0)?,
            time: parse_stamp(stamp)?,
            legacy_suffix: 0,
        });
    }
    let (stamp, legacy_suffix) = match rest.split_once('-') {
        Some((stamp, n)) => {
            if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (stamp, n.parse().ok()?)
        }
        None => (rest, 0),
    };
    Some(Order {
        seq: 0,
        time: parse_stamp(stamp)?,
        legacy_suffix,
    })
}

/// `YYYYMMDDTHHMMSSZ` as a time, checked strictly (jiff alone accepts shorter fields).
fn parse_stamp(stamp: &str) -> Option<Timestamp> {
    let shape_ok = stamp.len() == 16
        && stamp.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'T',
            15 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let civil = DateTime::strptime("%Y%m%dT%H%M%S", stamp.get(..15)?).ok()?;
    TimeZone::UTC.to_timestamp(civil).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn names_round_trip() {
        let time = at("2025-03-04T05:06:07Z");
        let name = backup_name(OsStr::new(".env"), 12, time);
        assert_eq!(name, ".env.000012.20250304T050607Z.age");
        let order = parse(OsStr::new(".env"), &name).unwrap();
        assert_eq!((order.seq, order.time, order.legacy_suffix), (12, time, 0));
        let wide = backup_name(OsStr::new(".env"), 1_234_567, time);
        assert_eq!(parse(OsStr::new(".env"), &wide).unwrap().seq, 1_234_567);
    }

    #[test]
    fn names_sort_in_creation_order_as_text() {
        let late = at("2099-01-01T00:00:00Z");
        let early = at("2001-01-01T00:00:00Z");
        let names: Vec<OsString> = [(9, late), (10, early), (11, early)]
            .iter()
            .map(|&(seq, time)| backup_name(OsStr::new(".env"), seq, time))
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(sorted, names);
    }

    #[test]
    fn names_of_envward_0_1_are_older_than_numbered_ones() {
        let old = parse(
            OsStr::new(".env"),
            OsStr::new(".env.20990304T050607Z-2.age"),
        )
        .unwrap();
        assert_eq!((old.seq, old.legacy_suffix), (0, 2));
        let new = parse(
            OsStr::new(".env"),
            OsStr::new(".env.000001.20000101T000000Z.age"),
        );
        assert!(new.unwrap() > old);
    }

    #[test]
    fn other_files_are_not_backups() {
        for other in [
            ".env.local.20250304T050607Z.age",
            ".env.20250304T050607Z.age.tmp",
            ".env.20250304T0506Z.age",
            ".env.20250304T050607Z-.age",
            ".env.20250304T050607Z-01.age",
            ".env.20251304T050607Z.age",
            ".env.00001.20250304T050607Z.age",
            ".env.000000.20250304T050607Z.age",
            ".env.00000x.20250304T050607Z.age",
            ".env.000001.2025.age",
            ".env.age",
            ".env",
        ] {
            assert_eq!(
                parse(OsStr::new(".env"), OsStr::new(other)),
                None,
                "{other}"
            );
        }
    }
}
