//! Judging a secret's strength against the policy.
//!
//! The estimate is the lower of two views: the character-set entropy of the value (length ×
//! log2 of the pool its character classes span) and zxcvbn's guess count, which catches
//! words, keyboard runs and repeats that character counting misses. Values of a shaped kind
//! (`uuid`, `hex:N`, `base64:N`) that have that shape are judged by it instead: a random
//! 16-byte hex salt is 128 bits whatever zxcvbn thinks of its digits. zxcvbn never clears a
//! placeholder: placeholders are recognised before strength is judged.

use serde::Deserialize;

use super::knowledge::Knowledge;
use crate::generate::Kind;

/// Which policy applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PolicyLevel {
    /// Development: `weak` is a warning.
    Dev,
    /// Production: `weak` is an error.
    #[default]
    Prod,
}

impl PolicyLevel {
    /// The policy a live file's name implies: dev for `.env.dev`, `.env.development` and
    /// `.env.local`, prod otherwise.
    pub fn for_file_name(name: &str) -> PolicyLevel {
        match name {
            ".env.dev" | ".env.development" | ".env.local" => PolicyLevel::Dev,
            _ => PolicyLevel::Prod,
        }
    }

    /// `dev` or `prod`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyLevel::Dev => "dev",
            PolicyLevel::Prod => "prod",
        }
    }
}

/// The thresholds a secret must meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Dev or prod.
    pub level: PolicyLevel,
    /// Shortest acceptable secret.
    pub min_length: usize,
    /// Least acceptable estimated strength in bits.
    pub min_bits: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            level: PolicyLevel::Prod,
            min_length: 32,
            min_bits: 128.0,
        }
    }
}

/// Why a secret is weak. Never holds the value.
#[derive(Debug, Clone, PartialEq)]
pub enum Weakness {
    /// Shorter than the policy allows.
    TooShort {
        /// Its length.
        length: usize,
        /// The minimum.
        min: usize,
    },
    /// Estimated strength below the policy.
    LowEntropy {
        /// The estimate.
        bits: f64,
        /// The minimum.
        min: f64,
    },
    /// A well-known default or dictionary password.
    DefaultPassword,
    /// Contains a development marker (`dev_`, `_local`, `test` …).
    DevMarker,
    /// Published in a well-known template.
    Public,
    /// A compose default, in force because the env file leaves the variable unset: it is
    /// written in the project's compose file, so everyone with the project has it.
    PublishedDefault,
}

impl std::fmt::Display for Weakness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Weakness::TooShort { length, min } => {
                write!(f, "{length} characters (at least {min} required)")
            }
            Weakness::LowEntropy { bits, min } => {
                write!(
                    f,
                    "about {bits:.0} bits of strength (at least {min:.0} required)"
                )
            }
            Weakness::DefaultPassword => write!(f, "a well-known default or dictionary password"),
            // The marker is not quoted: it is part of the value.
            Weakness::DevMarker => {
                write!(
                    f,
                    "contains a word that marks a sample or development value (such as dev, \
                     local, test, password or example)"
                )
            }
            Weakness::Public => write!(f, "published in a public template, so not secret"),
            Weakness::PublishedDefault => {
                write!(
                    f,
                    "written in the compose file, so everyone with the project has it"
                )
            }
        }
    }
}

/// The verdict on one value.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    /// Estimated strength in bits.
    pub bits: f64,
    /// Everything that falls short; empty when the value is strong.
    pub weaknesses: Vec<Weakness>,
}

impl Strength {
    /// Whether the value meets the policy.
    pub fn is_strong(&self) -> bool {
        self.weaknesses.is_empty()
    }
}

/// Character-set entropy: length × log2(size of the pool the value's classes span).
pub fn charset_bits(value: &str) -> f64 {
    let (mut lower, mut upper, mut digit, mut symbol, mut other) =
        (false, false, false, false, false);
    for c in value.chars() {
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            c if c.is_ascii_graphic() => symbol = true,
            _ => other = true,
        }
    }
    let pool = u32::from(lower) * 26
        + u32::from(upper) * 26
        + u32::from(digit) * 10
        + u32::from(symbol) * 33
        + u32::from(other) * 100;
    if pool == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)] // lengths are far below 2^52
    let len = value.chars().count() as f64;
    len * f64::from(pool).log2()
}

/// The most bits a value's alphabet can carry when it is an encoding of random bytes: 4 a
/// character for hex, 6 for base64 (whole bytes only), so a hex or base64 string of 32
/// random bytes never counts for more than 256 bits. Other values: no cap.
fn alphabet_bits(value: &str) -> f64 {
    let body = value.trim_end_matches('=');
    #[allow(clippy::cast_precision_loss)] // lengths are far below 2^52
    let len = body.len() as f64;
    if body.is_empty() {
        f64::INFINITY
    } else if body.chars().all(|c| c.is_ascii_hexdigit()) {
        len * 4.0
    } else if body
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_'))
    {
        (len * 6.0 / 8.0).floor() * 8.0
    } else {
        f64::INFINITY
    }
}

/// Whether a value has none of the structure zxcvbn looks for, so its dictionary scan (the
/// costly part of judging a value) can be skipped: lower, upper case and digits all present,
/// mostly distinct characters, no run of more than five letters of one case (a word), no
/// run of more than four digits (a date or sequence) and no character three times in a row.
/// Generated secrets almost always pass; passphrases and keyboard walks do not.
fn looks_random(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let has = |f: fn(&char) -> bool| chars.iter().any(f);
    if !(has(char::is_ascii_lowercase)
        && has(char::is_ascii_uppercase)
        && has(char::is_ascii_digit))
    {
        return false;
    }
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() * 2 < chars.len() {
        return false;
    }
    let class = |c: char| -> u8 {
        match c {
            'a'..='z' => 1,
            'A'..='Z' => 2,
            '0'..='9' => 3,
            _ => 0,
        }
    };
    let mut run = 0;
    for (i, c) in chars.iter().enumerate() {
        run = if i > 0 && class(*c) == class(chars[i - 1]) {
            run + 1
        } else {
            1
        };
        let limit = if class(*c) == 3 { 4 } else { 5 };
        if class(*c) != 0 && run > limit {
            return false;
        }
        if i >= 2 && chars[i - 1] == *c && chars[i - 2] == *c {
            return false;
        }
    }
    true
}

/// Window zxcvbn scores at a time. Its guess counts are u64 and its optimiser treats a long
/// saturated stretch as brute force, so words inside a 40-character value go unseen; eight
/// characters stay far below saturation.
const WINDOW: usize = 8;

/// Strength as the sum over windows of zxcvbn's matches: structured parts (words, runs,
/// repeats, dates) cost what zxcvbn guesses for them, random parts their character-set
/// entropy (zxcvbn's own brute-force estimate assumes ten symbols and undervalues them).
fn structured_bits(value: &str) -> f64 {
    let chars: Vec<char> = value.chars().collect();
    #[allow(clippy::cast_precision_loss)]
    let pool_bits = charset_bits(value) / chars.len().max(1) as f64;
    chars
        .chunks(WINDOW)
        .map(|w| {
            let window: String = w.iter().collect();
            zxcvbn::zxcvbn(&window, &[])
                .sequence()
                .iter()
                .map(|m| match (&m.pattern, m.guesses) {
                    (zxcvbn::matching::patterns::MatchPattern::BruteForce, _) | (_, None) => {
                        #[allow(clippy::cast_precision_loss)]
                        let n = m.token.chars().count() as f64;
                        n * pool_bits
                    }
                    #[allow(clippy::cast_precision_loss)]
                    (_, Some(g)) => (g.max(1) as f64)
                        .log2()
                        .min(m.token.chars().count() as f64 * pool_bits),
                })
                .sum::<f64>()
        })
        .sum()
}

/// Whether a long value reads as words, keyboard runs or sequences rather than as random
/// characters: zxcvbn finds structure worth well under its character-set entropy. Values
/// envward generates score at least 0.89 of it (measured over thousands of draws per kind),
/// `wger-docker-supersecret-key-1234567890!@#…` about 0.7.
///
/// A value of policy length that [`looks_random`] (no word-length run of letters, no digit
/// run, no repeats) reads as random without zxcvbn, as [`assess`] judges it: the dictionary
/// scan is the costly part of an analysis of generated secrets.
pub fn reads_as_words(value: &str) -> bool {
    if value.len() >= Policy::default().min_length && looks_random(value) {
        return false;
    }
    let charset = charset_bits(value);
    charset > 0.0 && structured_bits(value) < 0.85 * charset
}

/// Bits of a value that has the shape of its kind, or `None` when it does not.
fn shaped_bits(value: &str, kind: Kind) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    let len = value.len() as f64;
    let distinct = {
        let mut chars: Vec<char> = value.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    // A shaped value that repeats one or two characters, a block, or counts through its
    // alphabet is not random, whatever its shape: it is judged as any other value.
    if distinct <= 2 || patterned(value) {
        return None;
    }
    match kind {
        Kind::Uuid => {
            let ok = value.len() == 36
                && value.chars().enumerate().all(|(i, c)| {
                    if matches!(i, 8 | 13 | 18 | 23) {
                        c == '-'
                    } else {
                        c.is_ascii_hexdigit()
                    }
                });
            ok.then_some(122.0)
        }
        Kind::Hex(_) => {
            (value.len() >= 2 && value.chars().all(|c| c.is_ascii_hexdigit())).then_some(len * 4.0)
        }
        Kind::Base64(n) => base64_bits(value, n),
        Kind::Laravel => value
            .strip_prefix("base64:")
            .and_then(|b| base64_bits(b, 32)),
        Kind::Fernet => base64_bits(value, 32),
        Kind::Password | Kind::Token(_) => None,
    }
}

/// The longest run of characters counting up or down by one (`0123456789abcdef`, `zyxw`)
/// that random bytes produce by chance: eight in a row come up in a 64-character hex key
/// about once in two million draws.
const COUNTING_RUN: usize = 8;

/// Whether a value is a block repeated (`0123456789abcdef` four times, `abab…`) or holds a
/// run of [`COUNTING_RUN`] characters counting through the alphabet. Cap's compose
/// default `0123456789abcdef`×4 has the shape of a 32-byte hex key and every hex digit.
fn patterned(value: &str) -> bool {
    if period(value).is_some() {
        return true;
    }
    let b = value.as_bytes();
    let mut up = 1;
    let mut down = 1;
    for w in b.windows(2) {
        up = if w[1] == w[0].wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if w[1] == w[0].wrapping_sub(1) {
            down + 1
        } else {
            1
        };
        if up >= COUNTING_RUN || down >= COUNTING_RUN {
            return true;
        }
    }
    false
}

/// The longest value searched for a repeated block: the search compares the value with
/// itself at every shift, quadratic in the worst case (`aaa…ab`), and secrets are far
/// shorter (a longer value is a key or certificate, judged otherwise).
const PERIOD_SEARCH_MAX: usize = 512;

/// The length of the shortest block the value repeats (the last copy may be cut short),
/// when it repeats one at least twice.
fn period(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if b.len() > PERIOD_SEARCH_MAX {
        return None;
    }
    (1..=b.len() / 2).find(|&p| b[p..].iter().zip(b).all(|(x, y)| x == y))
}

/// Bits in a base64 value: six per character, but never more than the bytes it encodes
/// (44 characters of a 32-byte key hold 256 bits, not 258).
fn base64_bits(value: &str, _bytes: usize) -> Option<f64> {
    let body = value.trim_end_matches('=');
    let ok = body.len() >= 4
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_'));
    #[allow(clippy::cast_precision_loss)]
    let decoded_bits = (body.len() * 6 / 8 * 8) as f64;
    ok.then_some(decoded_bits)
}

/// Judges a secret value of `kind` against `policy`.
pub fn assess(value: &str, kind: Option<Kind>, policy: &Policy, knowledge: &Knowledge) -> Strength {
    let mut weaknesses = Vec::new();
    if knowledge.is_public(value) {
        weaknesses.push(Weakness::Public);
    }
    if knowledge.is_default_password(value) {
        weaknesses.push(Weakness::DefaultPassword);
    }
    if knowledge.has_dev_marker(value) {
        weaknesses.push(Weakness::DevMarker);
    }
    if let Some(bits) = kind.and_then(|k| shaped_bits(value, k)) {
        // A shaped kind is judged by its own size: uuid is 122 bits by construction.
        let needed = if kind == Some(Kind::Uuid) {
            122.0
        } else {
            policy.min_bits
        };
        if bits < needed {
            weaknesses.push(Weakness::LowEntropy { bits, min: needed });
        }
        return Strength { bits, weaknesses };
    }
    let length = value.chars().count();
    if length < policy.min_length {
        weaknesses.push(Weakness::TooShort {
            length,
            min: policy.min_length,
        });
    }
    let mut bits = charset_bits(value).min(alphabet_bits(value));
    // zxcvbn is the costly part: skip it for long values that show no structure. The figure
    // is shown, so a short value always gets it ("Summer2024!" is a word, a year and a
    // symbol, not 72 bits); past a few hundred characters a value already found weak is
    // judged on its other weaknesses.
    let short = length < policy.min_length;
    if (short || !looks_random(value)) && (weaknesses.is_empty() || length <= 256) {
        bits = bits.min(structured_bits(value));
    }
    // A repeated block holds no more than the block: zxcvbn scores eight characters at a
    // time and never sees `deadbeef` eight times over as one repeat.
    if let Some(block) = period(value).and_then(|p| value.get(..p)) {
        bits = bits.min(charset_bits(block).min(structured_bits(block)));
    }
    if bits < policy.min_bits {
        weaknesses.push(Weakness::LowEntropy {
            bits,
            min: policy.min_bits,
        });
    }
    Strength { bits, weaknesses }
}

/// Strength verdicts already computed, keyed by a randomly seeded hash of (value, kind,
/// policy) — never the value itself. Judging a structured value costs ~150 µs, and the TUI
/// re-analyses after every keystroke that changes one value among thousands. The memo is
/// process-wide: a verdict depends on nothing but its key and the built-in templates.
struct Memo {
    seed: std::hash::RandomState,
    verdicts: foldhash::HashMap<u64, Strength>,
}

/// Past this many verdicts the memo starts over, so memory stays bounded.
const MEMO_LIMIT: usize = 100_000;

static MEMO: std::sync::LazyLock<std::sync::Mutex<Memo>> = std::sync::LazyLock::new(|| {
    std::sync::Mutex::new(Memo {
        seed: std::hash::RandomState::new(),
        verdicts: foldhash::HashMap::default(),
    })
});

/// [`assess`], remembered: the same value judged again under the same kind and policy costs
/// a hash lookup.
pub fn memoized(
    value: &str,
    kind: Option<Kind>,
    policy: &Policy,
    knowledge: &Knowledge,
) -> Strength {
    use std::hash::{BuildHasher, Hash, Hasher};
    let key = |memo: &Memo| {
        let mut h = memo.seed.build_hasher();
        value.hash(&mut h);
        kind.map(|k| k.to_string()).hash(&mut h);
        policy.min_length.hash(&mut h);
        policy.min_bits.to_bits().hash(&mut h);
        h.finish()
    };
    if let Ok(memo) = MEMO.lock()
        && let Some(found) = memo.verdicts.get(&key(&memo))
    {
        return found.clone();
    }
    let verdict = assess(value, kind, policy, knowledge);
    if let Ok(mut memo) = MEMO.lock() {
        if memo.verdicts.len() >= MEMO_LIMIT {
            memo.verdicts.clear();
        }
        let k = key(&memo);
        memo.verdicts.insert(k, verdict.clone());
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_are_never_judged_weak_or_placeholder() {
        use rand::SeedableRng;
        let k = Knowledge::builtin().unwrap();
        let policy = Policy::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let kinds = [
            Kind::Password,
            Kind::Token(32),
            Kind::Token(64),
            Kind::Hex(32),
            Kind::Base64(32),
            Kind::Laravel,
        ];
        let mut flagged = Vec::new();
        for kind in kinds {
            for _ in 0..3_000 {
                let v = crate::generate::generate(
                    kind,
                    &crate::generate::Constraints::default(),
                    &mut rng,
                )
                .unwrap();
                let v = secrecy::ExposeSecret::expose_secret(&v).to_string();
                let weak = !assess(&v, Some(kind), &policy, &k).weaknesses.is_empty();
                if weak || k.placeholder(&v, true).is_some() {
                    flagged.push((kind, v));
                }
            }
        }
        assert!(
            flagged.is_empty(),
            "{} flagged, e.g. {:?}",
            flagged.len(),
            &flagged[..flagged.len().min(5)]
        );
    }

    #[test]
    fn a_long_nearly_periodic_value_is_judged_in_linear_time() {
        // `aaa…ab` is the worst case of a repeated-block search; past the bound it is not
        // searched, so a megabyte value cannot stall a check. Counted, not timed: the
        // search is skipped outright.
        let long = format!("{}b", "a".repeat(1 << 20));
        assert_eq!(period(&long), None);
        assert_eq!(period(&"ab".repeat(256)), Some(2));
    }

    #[test]
    fn a_shaped_value_that_repeats_a_block_or_counts_is_weak() {
        let k = Knowledge::builtin().unwrap();
        let p = Policy::default();
        let weak = |v: &str, kind: Kind| !assess(v, Some(kind), &p, &k).is_strong();
        // Cap's compose default: the shape of a 32-byte hex key, every hex digit, no secret.
        let counting = "0123456789abcdef".repeat(4);
        assert!(weak(&counting, Kind::Hex(32)));
        assert!(weak(&"abcdef0123456789".repeat(4), Kind::Hex(32)));
        assert!(weak(&"deadbeef".repeat(8), Kind::Hex(32)));
        assert!(weak(&"QWERTYuiop12".repeat(4), Kind::Base64(32)));
        // One counting run inside otherwise random hex sends it to the general judgement
        // (zxcvbn sees the sequence), which still finds the rest random enough.
        let run = "9f3c1e7a52d8b46e0c19a3f7d5b2e8c4123456789a0be6d3f1c7a95e2b8d04f6";
        assert!(!weak(run, Kind::Hex(32)));
        assert!(!weak(
            "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a0c1e3f5a7b9d2c4e6f8a0b1c",
            Kind::Hex(32)
        ));
    }

    #[test]
    fn truth_table() {
        let k = Knowledge::builtin().unwrap();
        let p = Policy::default();
        let strong = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl";
        let cases: [(&str, Option<Kind>, bool); 10] = [
            (strong, Some(Kind::Password), true),
            ("postgres", Some(Kind::Password), false),
            ("dev_password_only_for_local", Some(Kind::Password), false),
            (
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                Some(Kind::Password),
                false,
            ),
            (
                "correcthorsebatterystaplecorrecthorse",
                Some(Kind::Password),
                false,
            ),
            (
                "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a0c1e3f5a7b9d2c4e6f8a0b1c",
                Some(Kind::Hex(32)),
                true,
            ),
            ("3f9a1c7e5b2d8f4a", Some(Kind::Hex(32)), false),
            (
                "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                Some(Kind::Uuid),
                true,
            ),
            (
                "6c1fe4e407b8911c104518103505b218",
                Some(Kind::Hex(16)),
                false,
            ),
            (
                "q7Zr3kW1pX9vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wR=",
                Some(Kind::Base64(32)),
                true,
            ),
        ];
        for (value, kind, strong) in cases {
            let s = assess(value, kind, &p, &k);
            assert_eq!(s.is_strong(), strong, "{value}: {:?}", s.weaknesses);
        }
    }

    #[test]
    fn figures_never_exceed_what_the_randomness_holds() {
        let k = Knowledge::builtin().unwrap();
        let p = Policy::default();
        // 32 random bytes, however they are written, are 256 bits at most.
        for value in [
            "YRgw02Qa-PlKaQ3MJdH0sNrJSDJawY9t0yVkNxc18y_",
            "q7Zr3kW1pX9vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wR=",
            "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a0c1e3f5a7b9d2c4e6f8a0b1c",
        ] {
            let s = assess(value, Some(Kind::Password), &p, &k);
            assert!(s.bits <= 256.0, "{value}: {}", s.bits);
            assert!(s.bits >= 240.0, "{value}: {}", s.bits);
        }
    }

    #[test]
    fn common_passwords_with_digits_appended_are_rated_as_such() {
        let k = Knowledge::builtin().unwrap();
        let p = Policy::default();
        for value in ["password123", "Summer2024!", "P@ssw0rd2024", "dragon2023"] {
            let s = assess(value, Some(Kind::Password), &p, &k);
            assert!(s.bits < 40.0, "{value}: {:.1} bits", s.bits);
        }
    }

    #[test]
    fn random_looking_values_skip_the_dictionary_scan_and_words_do_not() {
        assert!(looks_random("Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl"));
        assert!(!looks_random("CorrectHorseBatteryStaple1CorrectHorse"));
        assert!(!looks_random("Xk2password9Lw9ZbN4rT7yUe1MfHs6DpQa0Cg"));
        assert!(!looks_random("Aa1aaaXk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5"));
        assert!(!looks_random("Ab3202511242359Lw9ZbN4rT7yUe1MfHs6DpQa"));
    }

    #[test]
    fn messages_never_hold_the_value() {
        let k = Knowledge::builtin().unwrap();
        let s = assess("hunter2", Some(Kind::Password), &Policy::default(), &k);
        for w in &s.weaknesses {
            assert!(!w.to_string().contains("hunter2"));
        }
    }

    #[test]
    fn policy_by_file_name() {
        assert_eq!(PolicyLevel::for_file_name(".env.local"), PolicyLevel::Dev);
        assert_eq!(PolicyLevel::for_file_name(".env"), PolicyLevel::Prod);
    }
}
