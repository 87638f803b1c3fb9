//! The patterns the build compiled into DFAs (see `build.rs`): the placeholder conventions of
//! `templates/placeholders.toml` and the token formats of `templates/providers.toml`, read
//! back from the bytes the binary embeds.
//!
//! A module of its own, below both the analysis and the generator, because both ask the
//! placeholder question: `check` of a value it reads, `fill` of a value it has just drawn. A
//! random key now and then spells a convention (`…xxxxx…`, a leading `tbd-`), and `fill` must
//! never write a value that `check` then calls a stand-in.

use regex_automata::dfa::Automaton as _;
use regex_automata::dfa::sparse;
use regex_automata::{Anchored, Input, PatternID};

/// A DFA compiled by the build, borrowed from the binary.
pub type Dfa = sparse::DFA<&'static [u8]>;

/// The placeholder patterns, as one DFA serialised by the build.
pub static PLACEHOLDERS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/placeholders.dfa"));

/// The provider token formats, as one DFA with a start state per format.
pub static PROVIDERS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/providers.dfa"));

/// A DFA the build serialised, read back without copying or re-validating it.
///
/// Validation walks every state of the 150 KiB placeholder automaton: in a `check` of a
/// small project it was the largest single cost after process start-up (issue 13). The
/// bytes cannot be other than what `build.rs` wrote with this same `regex-automata` (one
/// version in `Cargo.lock`, a build dependency and a dependency alike), and the test
/// `baked_automata_pass_full_validation` reads both through the checked `from_bytes`.
#[allow(unsafe_code)]
pub fn read(bytes: &'static [u8]) -> Result<Dfa, regex_automata::util::wire::DeserializeError> {
    // SAFETY: `bytes` is an `include_bytes!` of `sparse::DFA::to_bytes_*_endian` output for
    // this target's endianness, produced by the same crate version at build time; sparse
    // DFAs have no alignment requirement. The unchecked read still checks the header (label,
    // endianness, version) and returns an error on a mismatch.
    unsafe { sparse::DFA::from_bytes_unchecked(bytes) }.map(|(dfa, _)| dfa)
}

/// Whether `dfa` matches `haystack`, anchored at pattern `pattern` or anywhere.
pub fn matches(dfa: &Dfa, haystack: &[u8], pattern: Option<PatternID>) -> bool {
    let anchored = pattern.map_or(Anchored::No, Anchored::Pattern);
    let input = Input::new(haystack).anchored(anchored).earliest(true);
    // A search only fails on a quit byte or a look-around the DFA cannot do; the build
    // configures neither, and a failure reads as "no match".
    dfa.try_search_fwd(&input).ok().flatten().is_some()
}

/// Whether `value` follows a placeholder convention of `placeholders` (the DFA of
/// [`PLACEHOLDERS`]). The patterns are written in lower case, so the value is lowered;
/// decorations around it are ignored too (see [`undecorated`]).
pub fn follows_placeholder_convention(placeholders: &Dfa, value: &str) -> bool {
    let lower = value.trim().to_lowercase();
    let bare = undecorated(&lower);
    let hit = |s: &str| matches(placeholders, s.as_bytes(), None);
    hit(&lower) || (!bare.is_empty() && bare != lower && hit(bare))
}

/// `value` without the decorations templates put around a stand-in: `__CHANGEME__`,
/// `[change-me]` and `<<ChangeMe>>` are all `changeme` (in the value's own case).
pub fn undecorated(value: &str) -> &str {
    value.trim_matches(|c: char| {
        matches!(
            c,
            '_' | '-'
                | '['
                | ']'
                | '<'
                | '>'
                | '{'
                | '}'
                | '('
                | ')'
                | '%'
                | '#'
                | '@'
                | '!'
                | '.'
                | '*'
                | '"'
                | '\''
        ) || c.is_whitespace()
    })
}
