//! The kinds of value envward can generate, and their spelling (`password`, `hex:32`, ...).
//!
//! Owns parsing, display and the human description of a kind. It knows nothing about
//! randomness, constraints or files.

use std::fmt;
use std::str::FromStr;

/// Largest `N` accepted in `base64:N`, `hex:N` and `token:N`.
pub const MAX_LEN: usize = 4096;

/// Every accepted spelling, quoted in error messages so the user can fix a typo without docs.
const VALID_KINDS: &str = "valid kinds are password, base64[:N], hex[:N], uuid, token[:N], laravel and fernet, with N from 1 to 4096";

/// What to generate for a variable: the output format and how much randomness goes into it.
///
/// The default is [`Kind::Password`]. The lengths inside the variants are counted in random bytes
/// for `Base64` and `Hex`, and in characters for `Token`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Kind {
    /// 32 random bytes as base64url without padding: 43 URI-safe characters.
    #[default]
    Password,
    /// N random bytes as standard, padded base64, like `openssl rand -base64 N`.
    Base64(usize),
    /// N random bytes as lowercase hex, like `openssl rand -hex N`.
    Hex(usize),
    /// A random (version 4) UUID, lowercase and hyphenated.
    Uuid,
    /// N characters drawn uniformly from `[A-Za-z0-9]`.
    Token(usize),
    /// A Laravel application key: `base64:` and 32 random bytes in standard base64, as
    /// `php artisan key:generate` writes it.
    Laravel,
    /// A Fernet key (Python `cryptography`, Airflow, Superset): 32 random bytes in url-safe
    /// base64 with padding, 44 characters.
    Fernet,
}

/// Why a kind was not understood, either while parsing its spelling or because a hand-built
/// [`Kind`] carries a length outside `1..=4096`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KindError {
    /// The name before any `:` is not a kind envward knows.
    #[error("unknown kind `{input}`; {VALID_KINDS}")]
    Unknown {
        /// The text as given.
        input: String,
    },
    /// A length was given to a kind that has a fixed size (`password:12`, `uuid:4`).
    #[error("`{input}`: {kind} has a fixed length and takes no `:N`; {VALID_KINDS}")]
    NoLength {
        /// The text as given.
        input: String,
        /// The kind's name.
        kind: &'static str,
    },
    /// The length is not a whole number from 1 to 4096.
    #[error("`{input}`: the length must be a whole number from 1 to {MAX_LEN}; {VALID_KINDS}")]
    BadLength {
        /// The text as given (or the kind as displayed, for a hand-built kind).
        input: String,
    },
}

impl Kind {
    /// The kind's name, without its length (`hex` for `hex:32`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Password => "password",
            Kind::Base64(_) => "base64",
            Kind::Hex(_) => "hex",
            Kind::Uuid => "uuid",
            Kind::Token(_) => "token",
            Kind::Laravel => "laravel",
            Kind::Fernet => "fernet",
        }
    }

    /// What a value of this kind is called in a sentence ("a weak Laravel key"): the
    /// canonical spelling (`laravel`, `hex:32`) is for configuration, not prose.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Password => "password",
            Kind::Base64(_) | Kind::Hex(_) => "key",
            Kind::Uuid => "UUID",
            Kind::Token(_) => "token",
            Kind::Laravel => "Laravel key",
            Kind::Fernet => "Fernet key",
        }
    }

    /// Checks that a length carried by the kind is within `1..=4096`.
    ///
    /// Parsing already guarantees this; the check exists because the variants are public and a
    /// kind can be built by hand.
    pub fn validate(self) -> Result<Self, KindError> {
        match self {
            Kind::Base64(n) | Kind::Hex(n) | Kind::Token(n) if !(1..=MAX_LEN).contains(&n) => {
                Err(KindError::BadLength {
                    input: self.to_string(),
                })
            }
            _ => Ok(self),
        }
    }

    /// Bits of randomness in a value of this kind when no constraint forces a fallback.
    ///
    /// A UUID v4 has 122 random bits (6 are fixed by the version and variant); a token has
    /// `N × log2(62)` bits.
    pub fn entropy_bits(self) -> f64 {
        match self {
            Kind::Password | Kind::Laravel | Kind::Fernet => 256.0,
            Kind::Base64(n) | Kind::Hex(n) => 8.0 * len_as_f64(n),
            Kind::Uuid => 122.0,
            Kind::Token(n) => len_as_f64(n) * 62_f64.log2(),
        }
    }

    /// One line saying what the value will look like, for the plan output and the TUI.
    pub fn description(self) -> String {
        match self {
            Kind::Password => "43-char base64url password from 32 random bytes".to_owned(),
            Kind::Base64(n) => format!(
                "{}-char standard base64 of {n} random {}",
                n.div_ceil(3) * 4,
                plural(n, "byte")
            ),
            Kind::Hex(n) => format!(
                "{}-char lowercase hex of {n} random {}",
                2 * n,
                plural(n, "byte")
            ),
            Kind::Uuid => "36-char random UUID v4 (122 random bits)".to_owned(),
            Kind::Token(n) => format!(
                "{n}-char token of letters and digits ({:.0} random bits)",
                self.entropy_bits()
            ),
            Kind::Laravel => "Laravel key: base64: and 32 random bytes in base64".to_owned(),
            Kind::Fernet => "Fernet key: 32 random bytes in url-safe base64 (44 chars)".to_owned(),
        }
    }
}

/// Converts a length (at most a few thousand) to `f64` for entropy arithmetic.
#[expect(
    clippy::cast_precision_loss,
    reason = "lengths are far below 2^52, so the conversion is exact"
)]
pub(super) fn len_as_f64(n: usize) -> f64 {
    n as f64
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

impl fmt::Display for Kind {
    /// Writes the canonical spelling, which [`Kind::from_str`] reads back to the same kind;
    /// lengths are always written out (`hex` displays as `hex:32`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Kind::Password | Kind::Uuid | Kind::Laravel | Kind::Fernet => f.write_str(self.name()),
            Kind::Base64(n) | Kind::Hex(n) | Kind::Token(n) => write!(f, "{}:{n}", self.name()),
        }
    }
}

impl FromStr for Kind {
    type Err = KindError;

    /// Reads `password`, `uuid`, `base64[:N]`, `hex[:N]`, `token[:N]`, `laravel` or `fernet`.
    ///
    /// Without `:N`, `base64` and `hex` mean 32 bytes and `token` means 64 characters. Names are
    /// case-sensitive and surrounding whitespace is not trimmed: the spelling is a config value,
    /// not free text.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let (name, len) = match input.split_once(':') {
            Some((name, len)) => (name, Some(len)),
            None => (input, None),
        };
        let sized = |make: fn(usize) -> Kind, default: usize| -> Result<Kind, KindError> {
            let Some(len) = len else {
                return Ok(make(default));
            };
            // `usize::from_str` accepts a leading `+`; a length is plain digits.
            let n = len
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| len.parse::<usize>().ok())
                .flatten()
                .filter(|n| (1..=MAX_LEN).contains(n));
            n.map(make).ok_or_else(|| KindError::BadLength {
                input: input.to_owned(),
            })
        };
        let fixed = |kind: Kind| -> Result<Kind, KindError> {
            match len {
                None => Ok(kind),
                Some(_) => Err(KindError::NoLength {
                    input: input.to_owned(),
                    kind: kind.name(),
                }),
            }
        };
        match name {
            "password" => fixed(Kind::Password),
            "uuid" => fixed(Kind::Uuid),
            "laravel" => fixed(Kind::Laravel),
            "fernet" => fixed(Kind::Fernet),
            "base64" => sized(Kind::Base64, 32),
            "hex" => sized(Kind::Hex, 32),
            "token" => sized(Kind::Token, 64),
            _ => Err(KindError::Unknown {
                input: input.to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        let cases = [
            ("password", Kind::Password),
            ("uuid", Kind::Uuid),
            ("base64", Kind::Base64(32)),
            ("base64:16", Kind::Base64(16)),
            ("hex", Kind::Hex(32)),
            ("hex:1", Kind::Hex(1)),
            ("token", Kind::Token(64)),
            ("token:4096", Kind::Token(4096)),
            ("laravel", Kind::Laravel),
            ("fernet", Kind::Fernet),
        ];
        for (text, kind) in cases {
            assert_eq!(text.parse::<Kind>(), Ok(kind), "{text}");
        }
    }

    #[test]
    fn display_round_trips() {
        for kind in [
            Kind::Password,
            Kind::Uuid,
            Kind::Base64(1),
            Kind::Base64(32),
            Kind::Hex(4096),
            Kind::Token(64),
        ] {
            assert_eq!(kind.to_string().parse::<Kind>(), Ok(kind), "{kind}");
        }
        assert_eq!(Kind::Hex(32).to_string(), "hex:32");
        assert_eq!("base64".parse::<Kind>().unwrap().to_string(), "base64:32");
    }

    #[test]
    fn rejects_bad_spellings_with_typed_errors() {
        for bad in ["", "Password", " password", "pass", "base32:4", "token-64"] {
            assert!(
                matches!(bad.parse::<Kind>(), Err(KindError::Unknown { .. })),
                "{bad:?}"
            );
        }
        for bad in [
            "hex:0", "hex:4097", "token:", "token:+5", "token:-1", "base64:x", "hex:3:4",
        ] {
            assert!(
                matches!(bad.parse::<Kind>(), Err(KindError::BadLength { .. })),
                "{bad:?}"
            );
        }
        for bad in ["password:12", "uuid:4", "uuid:"] {
            assert!(
                matches!(bad.parse::<Kind>(), Err(KindError::NoLength { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn error_messages_name_the_input_and_list_valid_kinds() {
        let unknown = "pasword".parse::<Kind>().unwrap_err().to_string();
        assert_eq!(
            unknown,
            "unknown kind `pasword`; valid kinds are password, base64[:N], hex[:N], uuid, \
             token[:N], laravel and fernet, with N from 1 to 4096"
        );
        let length = "hex:0".parse::<Kind>().unwrap_err().to_string();
        assert!(
            length.starts_with(
                "`hex:0`: the length must be a whole number from 1 to 4096; valid kinds are"
            ),
            "{length}"
        );
        let fixed = "uuid:4".parse::<Kind>().unwrap_err().to_string();
        assert!(
            fixed.starts_with(
                "`uuid:4`: uuid has a fixed length and takes no `:N`; valid kinds are"
            ),
            "{fixed}"
        );
    }

    #[test]
    fn validate_catches_hand_built_lengths() {
        assert!(Kind::Hex(0).validate().is_err());
        assert!(Kind::Token(MAX_LEN + 1).validate().is_err());
        assert_eq!(Kind::Base64(MAX_LEN).validate(), Ok(Kind::Base64(MAX_LEN)));
        assert_eq!(Kind::Uuid.validate(), Ok(Kind::Uuid));
    }

    #[test]
    fn descriptions_state_length_and_source() {
        assert_eq!(
            Kind::Password.description(),
            "43-char base64url password from 32 random bytes"
        );
        assert_eq!(
            Kind::Base64(32).description(),
            "44-char standard base64 of 32 random bytes"
        );
        assert_eq!(
            Kind::Hex(1).description(),
            "2-char lowercase hex of 1 random byte"
        );
        assert_eq!(
            Kind::Token(64).description(),
            "64-char token of letters and digits (381 random bits)"
        );
    }
}
