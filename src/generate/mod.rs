//! Generating secret values: passwords, keys, UUIDs and tokens (DESIGN.md, "Generating").
//!
//! Owns the choice of format under constraints, the sampling, and the guarantee that a value never
//! contains `$`, `#`, quotes, backslash or whitespace. Part of the pure core: no filesystem, no
//! processes, no terminal, no clock. Randomness comes from a generator the caller passes in; the
//! binary passes [`os_rng`], tests pass a seeded one. Values leave only as [`SecretString`].
//!
//! Under constraints the kind's own format is kept whenever it obeys them; a `base64` kind may
//! switch to base64url without padding (the same bytes, URI-safe). Otherwise the value is drawn
//! uniformly from the allowed characters, long enough to keep at least the kind's entropy, and if
//! a length limit makes that impossible the caller gets an error instead of a weaker secret.

mod constraints;
mod kind;
mod sample;
#[cfg(test)]
mod tests;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use rand::TryCryptoRng;
use secrecy::SecretString;
use zeroize::Zeroizing;

pub use constraints::{Alphabet, AlphabetError, CharClass, Constraints, NEVER};
pub use kind::{Kind, KindError, MAX_LEN};

use constraints::ALNUM;
use kind::len_as_f64;

/// Why no value could be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// A hand-built [`Kind`] carries a length outside `1..=4096`.
    #[error(transparent)]
    Kind(#[from] KindError),
    /// The constraints exclude all but `allowed` characters; at least two are needed.
    #[error(
        "the constraints leave {allowed} usable character(s) for {kind}, and at least two are needed; \
         relax the alphabet or the forbidden characters"
    )]
    AlphabetTooSmall {
        /// The kind asked for.
        kind: Kind,
        /// How many characters the constraints still allow.
        allowed: usize,
    },
    /// Keeping the kind's entropy with the allowed characters needs more than `max_len` of them.
    #[error(
        "{kind} needs {needed} characters from the {alphabet_len} allowed to keep its {bits:.0} \
         random bits, but at most {max_len} are accepted; choose a smaller kind or a larger alphabet"
    )]
    TooLong {
        /// The kind asked for.
        kind: Kind,
        /// The randomness the value must keep.
        bits: f64,
        /// How many characters that takes.
        needed: usize,
        /// The length limit from the constraints.
        max_len: usize,
        /// How many characters the constraints allow.
        alphabet_len: usize,
    },
    /// The constraints require characters (an upper-case letter, a symbol …) that the kind's
    /// values practically never contain.
    #[error(
        "{kind} values do not meet the required character classes; choose another kind for this variable"
    )]
    Unsatisfiable {
        /// The kind asked for.
        kind: Kind,
    },
    /// The random number generator failed (for the OS generator: the kernel refused randomness).
    #[error("the random number generator failed: {0}")]
    Rng(String),
}

/// The operating system's CSPRNG, the only generator the binary should pass to [`generate`].
///
/// Each call reads the kernel's generator directly (`getrandom`), so a failure surfaces as
/// [`GenerateError::Rng`] rather than a panic.
pub fn os_rng() -> rand::rngs::SysRng {
    rand::rngs::SysRng
}

/// Generates one value of `kind` obeying `constraints`, with randomness from `rng`.
///
/// `rng` may be fallible (the OS generator) or infallible (a seeded test generator); either way
/// it must be marked cryptographically secure. The same kind, constraints and generator state
/// always give the same value.
pub fn generate<R: TryCryptoRng + ?Sized>(
    kind: Kind,
    constraints: &Constraints,
    rng: &mut R,
) -> Result<SecretString, GenerateError> {
    let plan = plan(kind, constraints)?;
    // The placeholder conventions `check` applies. They cannot fail to read (a test reads the
    // same bytes through the validating reader); if they did, no draw would be refused for them.
    let conventions = crate::automata::read(crate::automata::PLACEHOLDERS).ok();
    // Character-class requirements (an image's password policy) are met by drawing again: a
    // 43-character value lacks a class rarely, so a few draws suffice; the bound turns an
    // impossible requirement into an error rather than a loop. A value that starts with `-`
    // is drawn again too: passed on a command line it reads as an option (airflow's
    // entrypoint runs `users create --password "$pw" || true`, and no admin was made). So is
    // one that spells a placeholder convention (`…XXxXX…`, `Tbd+…`, `add-a…`, about 1 in
    // 600,000 base64 keys): `check` would call what `fill` wrote a stand-in.
    for _ in 0..256 {
        let value = draw_once(&plan, rng)?;
        if constraints.accepts(&value)
            && !looks_like_a_sample(&value)
            && !value.starts_with('-')
            && !conventions
                .as_ref()
                .is_some_and(|c| crate::automata::follows_placeholder_convention(c, &value))
        {
            return Ok(SecretString::from(value));
        }
    }
    Err(GenerateError::Unsatisfiable { kind })
}

/// Words that mark a sample or development value wherever they occur in it (the
/// `dev_markers` of templates/passwords.toml, which `check` reports as weak). A random value
/// spells one now and then (`…nZdev_El…` about once in 15,000 passwords); it is drawn again,
/// so `check` never calls a value `fill` made weak.
pub const SAMPLE_MARKERS: [&str; 13] = [
    "dev_",
    "_dev",
    "-dev",
    "dev-",
    "_local",
    "-local",
    "local_",
    "localhost",
    "test",
    "password",
    "example",
    "sample",
    "demo",
];

fn looks_like_a_sample(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    SAMPLE_MARKERS.iter().any(|m| lower.contains(m))
}

/// One value made by `plan`, before the character-class requirements are checked.
fn draw_once<R: TryCryptoRng + ?Sized>(plan: &Plan, rng: &mut R) -> Result<String, GenerateError> {
    Ok(match *plan {
        Plan::Encode(Format::Laravel, n) => {
            format!("base64:{}", STANDARD.encode(&*sample::bytes(rng, n)?))
        }
        Plan::Encode(Format::Base64Padded, n) => URL_SAFE.encode(&*sample::bytes(rng, n)?),
        Plan::Encode(Format::Base64, n) => STANDARD.encode(&*sample::bytes(rng, n)?),
        Plan::Encode(Format::Base64Url, n) => URL_SAFE_NO_PAD.encode(&*sample::bytes(rng, n)?),
        Plan::Encode(Format::Hex, n) => hex_lower(&sample::bytes(rng, n)?),
        Plan::Encode(Format::Uuid, _) => {
            let mut bytes = Zeroizing::new([0; 16]);
            sample::fill(rng, bytes.as_mut_slice())?;
            // The builder sets the version (4) and variant bits over the random ones.
            let uuid = uuid::Builder::from_random_bytes(*bytes).into_uuid();
            uuid.hyphenated().to_string()
        }
        Plan::Draw { ref alphabet, len } => sample::draw(rng, alphabet, len)?,
    })
}

/// Bits of randomness in the value [`generate`] would produce for `kind` under `constraints`.
///
/// Never less than [`Kind::entropy_bits`] (a fallback can only add). Fails exactly when
/// [`generate`] would fail for a reason other than the generator, so the TUI can show the problem
/// before anything is drawn.
pub fn entropy_bits(kind: Kind, constraints: &Constraints) -> Result<f64, GenerateError> {
    plan(kind, constraints).map(|plan| plan.entropy_bits())
}

/// How a value will be made.
#[derive(Debug, Clone, PartialEq)]
enum Plan {
    /// Encode this many random bytes in a fixed format.
    Encode(Format, usize),
    /// Draw `len` characters uniformly from `alphabet`.
    Draw { alphabet: Vec<u8>, len: usize },
}

/// A fixed textual format for random bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Standard alphabet (`+` and `/`), padded with `=`.
    Base64,
    /// URL-safe alphabet (`-` and `_`), no padding.
    Base64Url,
    /// Lowercase hex.
    Hex,
    /// Lowercase hyphenated UUID v4; takes 16 bytes.
    Uuid,
    /// `base64:` then standard padded base64 (a Laravel key).
    Laravel,
    /// URL-safe alphabet, padded with `=` (a Fernet key).
    Base64Padded,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl Plan {
    /// The characters the output may use and its exact length.
    fn shape(&self) -> (Vec<u8>, usize) {
        match *self {
            Plan::Encode(Format::Base64, n) => {
                let mut set = [ALNUM, b"+/"].concat();
                if n % 3 != 0 {
                    set.push(b'=');
                }
                (set, n.div_ceil(3) * 4)
            }
            Plan::Encode(Format::Base64Url, n) => ([ALNUM, b"-_"].concat(), (4 * n).div_ceil(3)),
            Plan::Encode(Format::Hex, n) => (HEX.to_vec(), 2 * n),
            Plan::Encode(Format::Uuid, _) => ([HEX.as_slice(), b"-"].concat(), 36),
            Plan::Encode(Format::Laravel, n) => ([ALNUM, b"+/=:"].concat(), 7 + n.div_ceil(3) * 4),
            Plan::Encode(Format::Base64Padded, n) => ([ALNUM, b"-_="].concat(), n.div_ceil(3) * 4),
            Plan::Draw { ref alphabet, len } => (alphabet.clone(), len),
        }
    }

    fn entropy_bits(&self) -> f64 {
        match *self {
            Plan::Encode(Format::Uuid, _) => 122.0,
            Plan::Encode(_, n) => 8.0 * len_as_f64(n),
            Plan::Draw { ref alphabet, len } => len_as_f64(len) * len_as_f64(alphabet.len()).log2(),
        }
    }
}

/// Chooses how to make a value: the kind's own format(s) in order of preference if one obeys the
/// constraints, else a uniform draw from the allowed characters.
fn plan(kind: Kind, constraints: &Constraints) -> Result<Plan, GenerateError> {
    let kind = kind.validate()?;
    let natural: &[Plan] = &match kind {
        Kind::Password => vec![Plan::Encode(Format::Base64Url, 32)],
        // Under `uri_safe` (or with `+ / =` forbidden) base64 keeps its bytes and switches to the
        // URL-safe alphabet without padding, which lenient base64 decoders still accept.
        Kind::Base64(n) => vec![
            Plan::Encode(Format::Base64, n),
            Plan::Encode(Format::Base64Url, n),
        ],
        Kind::Hex(n) => vec![Plan::Encode(Format::Hex, n)],
        Kind::Uuid => vec![Plan::Encode(Format::Uuid, 16)],
        Kind::Laravel => vec![Plan::Encode(Format::Laravel, 32)],
        Kind::Fernet => vec![Plan::Encode(Format::Base64Padded, 32)],
        Kind::Token(len) => vec![Plan::Draw {
            alphabet: ALNUM.to_vec(),
            len,
        }],
    };
    for candidate in natural {
        let (charset, len) = candidate.shape();
        if constraints.admits(&charset, len) {
            return Ok(candidate.clone());
        }
    }

    let alphabet = constraints.fallback_alphabet();
    if alphabet.len() < 2 {
        return Err(GenerateError::AlphabetTooSmall {
            kind,
            allowed: alphabet.len(),
        });
    }
    let bits = kind.entropy_bits();
    let len = chars_for_bits(bits, alphabet.len());
    if let Some(max_len) = constraints.max_len.filter(|&max| len > max) {
        return Err(GenerateError::TooLong {
            kind,
            bits,
            needed: len,
            max_len,
            alphabet_len: alphabet.len(),
        });
    }
    Ok(Plan::Draw { alphabet, len })
}

/// The fewest characters from an alphabet of `symbols` that carry at least `bits` bits.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the quotient is positive and at most 8 × 4096"
)]
fn chars_for_bits(bits: f64, symbols: usize) -> usize {
    // The tolerance keeps an exact fit (e.g. 64 × log2 62 bits over 62 symbols) from rounding up
    // to one character more because of floating-point error.
    (bits / len_as_f64(symbols).log2() - 1e-9).ceil() as usize
}

fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}
