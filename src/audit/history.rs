//! Finding secret values in git history without ever showing them.
//!
//! [`Needles`] turns values into byte patterns — the value itself, its base64 encodings (at
//! every alignment, standard and URL-safe alphabets) and its URL encodings — tagged with the
//! variable and where the value came from (the live file or a backup). [`Scanner`] reads the
//! output of one `git log -p` (the format [`git_log_args`] asks for) line by line and records
//! every commit whose added lines contain a pattern: commit, date, path and variable, never
//! the matched text. Pure: the edge runs git and feeds the lines.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use base64::Engine;
use jiff::Timestamp;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::analysis::Knowledge;

/// Values shorter than this are not searched: too many innocent lines contain them.
pub const MIN_VALUE_LEN: usize = 8;

/// The marker that starts each commit's header line in the `git log` output we ask for.
const COMMIT_MARK: u8 = 0x01;

/// Where a searched value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// The live file as it is now.
    Live,
    /// A backup made at this time.
    Backup(Timestamp),
}

/// How the value appears in the committed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    /// As it is.
    Raw,
    /// Base64 (standard or URL-safe alphabet, any alignment).
    Base64,
    /// Percent-encoded, as in a URL.
    Url,
}

impl Encoding {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Raw => "raw",
            Encoding::Base64 => "base64",
            Encoding::Url => "url-encoded",
        }
    }
}

/// A value to look for. Its `Debug` leaves the value out.
#[derive(Clone, Copy)]
pub struct Sought<'a> {
    /// The variable that holds it.
    pub variable: &'a str,
    /// The value.
    pub value: &'a str,
    /// Where it comes from.
    pub origin: Origin,
}

impl std::fmt::Debug for Sought<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sought")
            .field("variable", &self.variable)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// What a pattern stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag {
    variable: String,
    origin: Origin,
    encoding: Encoding,
}

/// Every pattern, compiled into one automaton.
pub struct Needles {
    automaton: Option<AhoCorasick>,
    tags: Vec<Tag>,
    /// Distinct (variable, origin) values searched.
    pub searched: usize,
    /// Variables whose value was not searched, with the reason (names only).
    pub skipped: Vec<(String, &'static str)>,
}

impl std::fmt::Debug for Needles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Needles")
            .field("patterns", &self.tags.len())
            .field("searched", &self.searched)
            .field("skipped", &self.skipped)
            .finish_non_exhaustive()
    }
}

/// Why a value is not worth searching, if it is not.
fn too_common(value: &str, knowledge: &Knowledge) -> Option<&'static str> {
    let v = value.trim();
    if v.chars().count() < MIN_VALUE_LEN {
        return Some("shorter than 8 characters");
    }
    if knowledge.placeholder(v, true).is_some() {
        return Some("a placeholder");
    }
    if knowledge.is_default_password(v) || knowledge.is_public(v) {
        return Some("a well-known default");
    }
    let first = v.chars().next().unwrap_or_default();
    if v.chars().all(|c| c == first) {
        return Some("one repeated character");
    }
    None
}

/// The base64 text that encodes `value` wherever it sits in a longer base64 stream: for each
/// of the three byte alignments, the characters that depend only on the value's bytes.
fn base64_forms(value: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for lead in 0..3usize {
        let mut bytes = vec![0u8; lead];
        bytes.extend_from_slice(value);
        for engine in [
            &base64::engine::general_purpose::STANDARD_NO_PAD,
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ] {
            let text = engine.encode(&bytes);
            // Characters covering any bit of the leading bytes, or past the value's end.
            let start = (8 * lead).div_ceil(6);
            let end = (8 * (lead + value.len())) / 6;
            if end > start + 3
                && let Some(core) = text.get(start..end)
            {
                out.push(core.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Percent-encoded forms (upper- and lower-case hex) when they differ from the value.
fn url_forms(value: &str) -> Vec<String> {
    let upper = utf8_percent_encode(value, NON_ALPHANUMERIC)
        .to_string()
        // Unreserved characters stay as they are in every encoder.
        .replace("%2D", "-")
        .replace("%2E", ".")
        .replace("%5F", "_")
        .replace("%7E", "~");
    if upper == value {
        return Vec::new();
    }
    let lower = lower_hex_escapes(&upper);
    let mut out = vec![upper.clone(), upper.replace("%20", "+")];
    if lower != upper {
        out.push(lower);
    }
    out.sort();
    out.dedup();
    out
}

fn lower_hex_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

impl Needles {
    /// Patterns for every value worth searching. A multi-line value (a PEM key) is searched
    /// line by line, since diffs are; lines under [`MIN_VALUE_LEN`] are left out.
    pub fn build(values: &[Sought<'_>], knowledge: &Knowledge) -> Needles {
        let mut patterns: Vec<String> = Vec::new();
        let mut tags = Vec::new();
        let mut skipped: Vec<(String, &'static str)> = Vec::new();
        let mut seen: HashSet<(String, &str)> = HashSet::new();
        let mut searched = 0;
        for s in values {
            if !seen.insert((s.variable.to_string(), s.value)) {
                continue;
            }
            if let Some(reason) = too_common(s.value, knowledge) {
                if !skipped.iter().any(|(v, _)| v == s.variable) {
                    skipped.push((s.variable.to_string(), reason));
                }
                continue;
            }
            searched += 1;
            let pieces: Vec<&str> = if s.value.contains('\n') {
                s.value
                    .lines()
                    .map(str::trim)
                    .filter(|l| l.chars().count() >= MIN_VALUE_LEN)
                    .collect()
            } else {
                vec![s.value]
            };
            let mut push = |pattern: String, encoding| {
                patterns.push(pattern);
                tags.push(Tag {
                    variable: s.variable.to_string(),
                    origin: s.origin,
                    encoding,
                });
            };
            for piece in pieces {
                push(piece.to_string(), Encoding::Raw);
                for form in base64_forms(piece.as_bytes()) {
                    push(form, Encoding::Base64);
                }
                for form in url_forms(piece) {
                    push(form, Encoding::Url);
                }
            }
        }
        // A searched value that was also skipped under another origin is not "skipped".
        skipped.retain(|(v, _)| !tags.iter().any(|t| &t.variable == v));
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()
        };
        Needles {
            automaton,
            tags,
            searched,
            skipped,
        }
    }

    /// Whether there is anything to look for.
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }
}

/// One commit that added a line holding a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The commit, abbreviated to 12 hex digits.
    pub commit: String,
    /// Its committer date.
    pub time: Timestamp,
    /// The file the line was added to.
    pub path: String,
    /// The variable whose value it holds.
    pub variable: String,
    /// Where the value comes from.
    pub origin: Origin,
    /// How it appears.
    pub encoding: Encoding,
}

/// The result of a scan.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Commits read.
    pub commits: usize,
    /// Values searched.
    pub searched: usize,
    /// Values not searched, with the reason.
    pub skipped: Vec<(String, &'static str)>,
    /// Every (commit, path, variable) found, in the order git listed them (newest first).
    pub hits: Vec<Hit>,
}

/// The arguments after `git` for the log the [`Scanner`] reads: every ref, oldest commits
/// last, each commit's patch with no external diff, no text conversion, no colour, no
/// renames (a rename is a delete and an add, which is what we search anyway) and binary files
/// shown as text. `since`/`until` bound it by commit date.
pub fn git_log_args(since: Option<Timestamp>, until: Option<Timestamp>) -> Vec<String> {
    let mut args: Vec<String> = [
        "log",
        "--all",
        "--patch",
        "--no-ext-diff",
        "--no-textconv",
        "--no-color",
        "--no-renames",
        "--text",
        "--unified=0",
        "--no-abbrev",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--format=%x01%H %ct",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    if let Some(t) = since {
        args.push(format!("--since=@{}", t.as_second()));
    }
    if let Some(t) = until {
        args.push(format!("--until=@{}", t.as_second()));
    }
    args
}

/// Reads `git log` output line by line. Feed every line (with or without its `\n`).
pub struct Scanner<'n> {
    needles: &'n Needles,
    commit: String,
    time: Timestamp,
    path: String,
    in_hunk: bool,
    seen: HashSet<(String, String, String)>,
    scan: Scan,
}

impl<'n> Scanner<'n> {
    /// A scanner for these patterns.
    pub fn new(needles: &'n Needles) -> Self {
        Scanner {
            needles,
            commit: String::new(),
            time: Timestamp::UNIX_EPOCH,
            path: String::new(),
            in_hunk: false,
            seen: HashSet::new(),
            scan: Scan {
                searched: needles.searched,
                skipped: needles.skipped.clone(),
                ..Scan::default()
            },
        }
    }

    /// One line of output.
    pub fn line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        match line.first() {
            Some(&COMMIT_MARK) => self.commit_header(&line[1..]),
            Some(b'+') if self.in_hunk => self.added(&line[1..]),
            Some(b' ' | b'-' | b'\\') if self.in_hunk => {}
            _ => self.file_header(line),
        }
    }

    fn commit_header(&mut self, rest: &[u8]) {
        let text = String::from_utf8_lossy(rest);
        let mut parts = text.split(' ');
        let hash = parts.next().unwrap_or_default();
        self.commit = hash.chars().take(12).collect();
        self.time = parts
            .next()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .and_then(|s| Timestamp::from_second(s).ok())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        self.in_hunk = false;
        self.path.clear();
        self.scan.commits += 1;
    }

    fn file_header(&mut self, line: &[u8]) {
        if line.starts_with(b"diff --git ") {
            self.in_hunk = false;
            self.path.clear();
        } else if let Some(path) = line.strip_prefix(b"+++ ") {
            self.path = match path.strip_prefix(b"b/") {
                Some(p) => String::from_utf8_lossy(p).into_owned(),
                None => unquote(&String::from_utf8_lossy(path)),
            };
        } else if line.starts_with(b"@@") {
            self.in_hunk = true;
        }
    }

    fn added(&mut self, content: &[u8]) {
        let Some(ac) = &self.needles.automaton else {
            return;
        };
        for m in ac.find_overlapping_iter(content) {
            let tag = &self.needles.tags[m.pattern().as_usize()];
            let key = (self.commit.clone(), self.path.clone(), tag.variable.clone());
            if self.seen.insert(key) {
                self.scan.hits.push(Hit {
                    commit: self.commit.clone(),
                    time: self.time,
                    path: self.path.clone(),
                    variable: tag.variable.clone(),
                    origin: tag.origin,
                    encoding: tag.encoding,
                });
            }
        }
    }

    /// The scan so far.
    pub fn finish(self) -> Scan {
        self.scan
    }
}

/// A path git quoted (`"b/sp\303\251cial"`): quotes and the `b/` prefix removed, C escapes
/// decoded.
fn unquote(quoted: &str) -> String {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(quoted);
    let mut bytes = Vec::new();
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(u8::try_from(v).unwrap_or(b'?'));
            }
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    text.strip_prefix("b/").map(str::to_string).unwrap_or(text)
}

#[cfg(test)]
mod tests;
