//! Rules a generated value must obey beyond its kind: URI safety, a length limit, forbidden
//! characters, an explicit alphabet (per-image rules arrive here).
//!
//! Owns the character sets and their validation. It draws no random numbers.

/// Characters no generated value may ever contain, whatever the constraints say: `$` starts
/// Compose interpolation, `#` starts a `.env` comment, quotes and backslash change how `.env`
/// parsers and shells read a value. (Whitespace and control characters are excluded separately,
/// as is anything outside printable ASCII.)
pub const NEVER: &[u8] = b"$#'\"`\\";

/// `[A-Za-z0-9]`: the token alphabet, and the fallback alphabet when no explicit one is given.
pub(super) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Is `b` an RFC 3986 unreserved character (`A-Za-z0-9-._~`), safe anywhere in a URI unescaped?
pub(super) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Is `b` a character a generated value may contain at all?
fn is_safe(b: u8) -> bool {
    b.is_ascii_graphic() && !NEVER.contains(&b)
}

/// A set of at least two characters that generated values may be drawn from.
///
/// Only printable ASCII outside [`NEVER`] is accepted: values land in `.env` files, shells, URIs
/// and YAML, and a length limit counted in characters must mean the same in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alphabet {
    /// Sorted, without duplicates.
    chars: Vec<u8>,
}

/// Why a set of characters cannot be an [`Alphabet`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlphabetError {
    /// The character is whitespace, a control character, non-ASCII or one of `$ # ' " `` \`.
    #[error(
        "`{0}` cannot be part of a generated value: only printable ASCII other than $ # ' \" ` \\ is allowed"
    )]
    Unsafe(char),
    /// Fewer than two distinct characters: a value drawn from them would carry no randomness.
    #[error("an alphabet needs at least two distinct characters")]
    TooSmall,
}

impl Alphabet {
    /// Builds an alphabet from the distinct characters of `chars` (order and repeats ignored).
    pub fn new(chars: &str) -> Result<Self, AlphabetError> {
        let mut set = Vec::with_capacity(chars.len());
        for c in chars.chars() {
            let b = u8::try_from(c)
                .ok()
                .filter(|&b| is_safe(b))
                .ok_or(AlphabetError::Unsafe(c))?;
            set.push(b);
        }
        set.sort_unstable();
        set.dedup();
        if set.len() < 2 {
            return Err(AlphabetError::TooSmall);
        }
        Ok(Alphabet { chars: set })
    }

    /// `[A-Za-z0-9]`, the alphabet most services accept (immich, for one, allows nothing else).
    pub fn alphanumeric() -> Self {
        let mut chars = ALNUM.to_vec();
        chars.sort_unstable();
        Alphabet { chars }
    }

    /// The characters, in ASCII order.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored, so this cannot fail; an empty string is a safe answer
        // if that invariant were ever broken.
        std::str::from_utf8(&self.chars).unwrap_or_default()
    }

    /// Does the alphabet contain `b`?
    pub(super) fn contains(&self, b: u8) -> bool {
        self.chars.binary_search(&b).is_ok()
    }
}

/// Rules beyond the kind. `Default` imposes nothing.
///
/// When the kind's own format breaks a rule, the value is instead drawn uniformly from the allowed
/// characters (see [`generate`](super::generate)), long enough to keep at least the kind's entropy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Only RFC 3986 unreserved characters (`A-Za-z0-9-._~`): the value is interpolated into a
    /// URI such as `postgres://user:${PASSWORD}@db/app`.
    pub uri_safe: bool,
    /// The longest value, in characters, the consumer accepts.
    pub max_len: Option<usize>,
    /// Characters the consumer rejects.
    pub forbidden: Vec<char>,
    /// The only characters the consumer accepts; `None` means no such rule.
    pub alphabet: Option<Alphabet>,
    /// Character classes every value must contain (an image's password policy, such as
    /// `OpenSearch`'s upper, lower, digit and symbol).
    pub require: Vec<CharClass>,
    /// Characters a value must not start with (some tools read a leading `-` as an option).
    pub no_leading: Vec<char>,
}

/// A class of characters a password policy may require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CharClass {
    /// `A-Z`.
    Upper,
    /// `a-z`.
    Lower,
    /// `0-9`.
    Digit,
    /// Any printable ASCII character that is not a letter or digit.
    Symbol,
}

impl CharClass {
    /// Whether `c` belongs to the class.
    pub fn contains(self, c: char) -> bool {
        match self {
            CharClass::Upper => c.is_ascii_uppercase(),
            CharClass::Lower => c.is_ascii_lowercase(),
            CharClass::Digit => c.is_ascii_digit(),
            CharClass::Symbol => c.is_ascii_graphic() && !c.is_ascii_alphanumeric(),
        }
    }
}

impl Constraints {
    /// May a value under these constraints contain `b`? Always false for [`NEVER`].
    pub(super) fn allows(&self, b: u8) -> bool {
        is_safe(b)
            && (!self.uri_safe || is_unreserved(b))
            && !self.forbidden.contains(&char::from(b))
            && self.alphabet.as_ref().is_none_or(|a| a.contains(b))
    }

    /// The characters a fallback value is drawn from: the explicit alphabet, or `[A-Za-z0-9]`,
    /// minus everything the other rules exclude. In ASCII order; may be too small to use.
    pub(super) fn fallback_alphabet(&self) -> Vec<u8> {
        let base = self.alphabet.as_ref().map_or(ALNUM, |a| a.chars.as_slice());
        let mut set: Vec<u8> = base.iter().copied().filter(|&b| self.allows(b)).collect();
        set.sort_unstable();
        set
    }

    /// Whether a drawn value meets the requirements that only a whole value can show: every
    /// required class present, no forbidden first character.
    pub fn accepts(&self, value: &str) -> bool {
        self.require
            .iter()
            .all(|class| value.chars().any(|c| class.contains(c)))
            && value
                .chars()
                .next()
                .is_none_or(|c| !self.no_leading.contains(&c))
    }

    /// Does a value of `len` characters, all from `charset`, satisfy every rule?
    pub(super) fn admits(&self, charset: &[u8], len: usize) -> bool {
        self.max_len.is_none_or(|max| len <= max) && charset.iter().all(|&b| self.allows(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_rejects_unsafe_characters() {
        for bad in [
            "ab$", "ab#", "ab'", "ab\"", "ab`", "ab\\", "ab ", "ab\t", "ab\n", "abé", "ab\u{7f}",
        ] {
            assert!(
                matches!(Alphabet::new(bad), Err(AlphabetError::Unsafe(_))),
                "{bad:?}"
            );
        }
        assert_eq!(Alphabet::new("aaaa"), Err(AlphabetError::TooSmall));
        assert_eq!(Alphabet::new(""), Err(AlphabetError::TooSmall));
    }

    #[test]
    fn alphabet_is_sorted_and_deduplicated() {
        assert_eq!(Alphabet::new("cabca!").unwrap().as_str(), "!abc");
        assert_eq!(Alphabet::alphanumeric().as_str().len(), 62);
        assert_eq!(
            Alphabet::alphanumeric(),
            Alphabet::new(std::str::from_utf8(ALNUM).unwrap()).unwrap()
        );
    }

    #[test]
    fn unsafe_error_names_the_character() {
        assert_eq!(
            Alphabet::new("ab$").unwrap_err().to_string(),
            "`$` cannot be part of a generated value: only printable ASCII other than $ # ' \" ` \\ is allowed"
        );
    }

    #[test]
    fn allows_combines_every_rule() {
        let c = Constraints {
            uri_safe: true,
            max_len: None,
            forbidden: vec!['a'],
            alphabet: Some(Alphabet::new("abc+-").unwrap()),
            ..Constraints::default()
        };
        assert!(c.allows(b'b'));
        assert!(c.allows(b'-'));
        assert!(!c.allows(b'a'), "forbidden");
        assert!(!c.allows(b'+'), "not unreserved");
        assert!(!c.allows(b'd'), "outside the alphabet");
        assert!(!Constraints::default().allows(b'$'), "never allowed");
        assert_eq!(c.fallback_alphabet(), b"-bc");
    }
}
