//! Tests of [`generate`] and [`entropy_bits`]: shapes, constraints, safety and uniformity.

use super::*;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use secrecy::ExposeSecret;

fn seeded(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

fn gen_with(kind: Kind, c: &Constraints) -> String {
    generate(kind, c, &mut seeded(7))
        .unwrap()
        .expose_secret()
        .to_owned()
}

fn gen_plain(kind: Kind) -> String {
    gen_with(kind, &Constraints::default())
}

fn decode_hex(s: &str) -> Vec<u8> {
    assert_eq!(s.len() % 2, 0, "{s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn only(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(allowed)
}

#[test]
fn password_is_43_base64url_chars_of_32_bytes() {
    let v = gen_plain(Kind::Password);
    assert_eq!(v.len(), 43);
    assert_eq!(URL_SAFE_NO_PAD.decode(&v).unwrap().len(), 32);
    assert!(only(&v, constraints::is_unreserved), "{v}");
}

#[test]
fn base64_is_standard_padded_and_decodes_to_n_bytes() {
    for n in [1, 2, 3, 31, 32, 33, 64] {
        let v = gen_plain(Kind::Base64(n));
        assert_eq!(v.len(), n.div_ceil(3) * 4, "base64:{n}");
        assert_eq!(STANDARD.decode(&v).unwrap().len(), n, "base64:{n}");
    }
    // `+` and `/` show up in standard base64 of enough bytes; the URL-safe ones must not.
    let v = gen_plain(Kind::Base64(4096));
    assert!(v.contains('+') || v.contains('/'));
    assert!(!v.contains('-') && !v.contains('_'));
}

#[test]
fn hex_is_lowercase_and_decodes_to_n_bytes() {
    for n in [1, 16, 32] {
        let v = gen_plain(Kind::Hex(n));
        assert_eq!(v.len(), 2 * n);
        assert!(
            only(&v, |b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{v}"
        );
        assert_eq!(decode_hex(&v).len(), n);
    }
}

#[test]
fn uuid_is_lowercase_hyphenated_v4() {
    let v = gen_plain(Kind::Uuid);
    assert_eq!(v.len(), 36);
    assert_eq!(v, v.to_lowercase());
    let parsed = uuid::Uuid::parse_str(&v).unwrap();
    assert_eq!(parsed.get_version(), Some(uuid::Version::Random));
    assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
    assert_eq!(parsed.hyphenated().to_string(), v);
}

#[test]
fn token_is_n_alphanumerics() {
    for n in [1, 16, 64, 4096] {
        let v = gen_plain(Kind::Token(n));
        assert_eq!(v.len(), n);
        assert!(only(&v, |b| b.is_ascii_alphanumeric()), "{v}");
    }
}

#[test]
fn same_seed_same_value_and_seeds_differ() {
    let c = Constraints::default();
    let a = generate(Kind::Password, &c, &mut seeded(1)).unwrap();
    let b = generate(Kind::Password, &c, &mut seeded(1)).unwrap();
    let other = generate(Kind::Password, &c, &mut seeded(2)).unwrap();
    assert_eq!(a.expose_secret(), b.expose_secret());
    assert_ne!(a.expose_secret(), other.expose_secret());
}

#[test]
fn os_rng_generates() {
    let mut rng = os_rng();
    let a = generate(Kind::Token(32), &Constraints::default(), &mut rng).unwrap();
    let b = generate(Kind::Token(32), &Constraints::default(), &mut rng).unwrap();
    assert_eq!(a.expose_secret().len(), 32);
    assert_ne!(a.expose_secret(), b.expose_secret());
}

#[test]
fn secret_debug_does_not_show_the_value() {
    let secret = generate(Kind::Hex(16), &Constraints::default(), &mut seeded(3)).unwrap();
    let debug = format!("{secret:?}");
    assert!(!debug.contains(secret.expose_secret()), "{debug}");
}

#[test]
fn uri_safe_base64_switches_to_url_safe_without_padding() {
    let c = Constraints {
        uri_safe: true,
        ..Constraints::default()
    };
    for n in [1, 32, 4096] {
        let v = gen_with(Kind::Base64(n), &c);
        assert!(only(&v, constraints::is_unreserved), "{v}");
        assert_eq!(v.len(), (4 * n).div_ceil(3));
        assert_eq!(URL_SAFE_NO_PAD.decode(&v).unwrap().len(), n);
    }
    assert_eq!(entropy_bits(Kind::Base64(32), &c), Ok(256.0));
}

#[test]
fn forbidding_plus_also_switches_base64_to_url_safe() {
    let c = Constraints {
        forbidden: vec!['+'],
        ..Constraints::default()
    };
    let v = gen_with(Kind::Base64(300), &c);
    assert_eq!(URL_SAFE_NO_PAD.decode(&v).unwrap().len(), 300);
}

#[test]
fn uri_safe_keeps_the_other_kinds_formats() {
    let c = Constraints {
        uri_safe: true,
        ..Constraints::default()
    };
    for kind in [Kind::Password, Kind::Hex(32), Kind::Uuid, Kind::Token(64)] {
        assert_eq!(gen_with(kind, &c), gen_plain(kind), "{kind}");
    }
}

#[test]
fn forbidden_char_in_the_format_falls_back_to_a_uniform_draw() {
    // A UUID without hyphens: drawn from [A-Za-z0-9], 122 bits → 21 characters.
    let c = Constraints {
        forbidden: vec!['-'],
        ..Constraints::default()
    };
    let v = gen_with(Kind::Uuid, &c);
    assert_eq!(v.len(), 21);
    assert!(only(&v, |b| b.is_ascii_alphanumeric()), "{v}");
    assert!(entropy_bits(Kind::Uuid, &c).unwrap() >= 122.0);

    // A token without look-alikes: 58 symbols need 66 characters for the 381 bits of 64 from 62.
    let c = Constraints {
        forbidden: vec!['0', 'O', 'l', '1'],
        ..Constraints::default()
    };
    let v = gen_with(Kind::Token(64), &c);
    assert_eq!(v.len(), 66);
    assert!(!v.contains(['0', 'O', 'l', '1']), "{v}");
    assert!(entropy_bits(Kind::Token(64), &c).unwrap() >= Kind::Token(64).entropy_bits());
}

#[test]
fn forbidden_chars_outside_the_format_change_nothing() {
    let c = Constraints {
        forbidden: vec!['!', '%'],
        ..Constraints::default()
    };
    assert_eq!(gen_with(Kind::Password, &c), gen_plain(Kind::Password));
}

#[test]
fn explicit_alphabet_is_honoured() {
    // immich's rule: only letters and digits. A password then has 43 alphanumerics (≥ 256 bits).
    let c = Constraints {
        alphabet: Some(Alphabet::alphanumeric()),
        ..Constraints::default()
    };
    let v = gen_with(Kind::Password, &c);
    assert_eq!(v.len(), 43);
    assert!(only(&v, |b| b.is_ascii_alphanumeric()), "{v}");
    assert!(entropy_bits(Kind::Password, &c).unwrap() >= 256.0);

    // Hex fits inside the alphabet, so it stays hex.
    let c = Constraints {
        alphabet: Some(Alphabet::new("0123456789abcdef").unwrap()),
        ..Constraints::default()
    };
    assert_eq!(gen_with(Kind::Hex(32), &c), gen_plain(Kind::Hex(32)));

    // A tiny alphabet: 4 symbols carry 2 bits each, so 128 characters for 256 bits.
    let c = Constraints {
        alphabet: Some(Alphabet::new("!%&*").unwrap()),
        ..Constraints::default()
    };
    let v = gen_with(Kind::Password, &c);
    assert_eq!(v.len(), 128);
    assert!(only(&v, |b| b"!%&*".contains(&b)), "{v}");
}

#[test]
fn uri_safe_narrows_an_explicit_alphabet() {
    let c = Constraints {
        uri_safe: true,
        alphabet: Some(Alphabet::new("ab+/").unwrap()),
        ..Constraints::default()
    };
    let v = gen_with(Kind::Token(8), &c);
    assert!(only(&v, |b| b == b'a' || b == b'b'), "{v}");
}

#[test]
fn max_len_falls_back_to_a_denser_alphabet_keeping_entropy() {
    // hex:32 is 64 characters; 43 alphanumerics carry its 256 bits.
    let c = Constraints {
        max_len: Some(50),
        ..Constraints::default()
    };
    let v = gen_with(Kind::Hex(32), &c);
    assert_eq!(v.len(), 43);
    assert!(only(&v, |b| b.is_ascii_alphanumeric()), "{v}");
    // A limit the format already fits changes nothing, and the limit is inclusive.
    let c = Constraints {
        max_len: Some(43),
        ..Constraints::default()
    };
    assert_eq!(gen_with(Kind::Password, &c), gen_plain(Kind::Password));
}

#[test]
fn impossible_length_is_an_error_not_a_weaker_secret() {
    let c = Constraints {
        max_len: Some(42),
        ..Constraints::default()
    };
    let err = generate(Kind::Password, &c, &mut seeded(0)).unwrap_err();
    assert!(
        matches!(
            err,
            GenerateError::TooLong {
                needed: 43,
                max_len: 42,
                alphabet_len: 62,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "password needs 43 characters from the 62 allowed to keep its 256 random bits, but at most \
         42 are accepted; choose a smaller kind or a larger alphabet"
    );
    assert_eq!(entropy_bits(Kind::Password, &c), Err(err));

    let zero = Constraints {
        max_len: Some(0),
        ..Constraints::default()
    };
    assert!(generate(Kind::Token(1), &zero, &mut seeded(0)).is_err());
}

#[test]
fn too_small_alphabet_is_an_error() {
    let c = Constraints {
        forbidden: vec!['a'],
        alphabet: Some(Alphabet::new("ab").unwrap()),
        ..Constraints::default()
    };
    let err = generate(Kind::Token(8), &c, &mut seeded(0)).unwrap_err();
    assert_eq!(
        err,
        GenerateError::AlphabetTooSmall {
            kind: Kind::Token(8),
            allowed: 1
        }
    );
    // With every letter and digit forbidden, the default fallback alphabet is empty.
    let c = Constraints {
        forbidden: ALNUM.iter().map(|&b| char::from(b)).collect(),
        ..Constraints::default()
    };
    assert!(matches!(
        generate(Kind::Password, &c, &mut seeded(0)),
        Err(GenerateError::AlphabetTooSmall { allowed: 0, .. })
    ));
}

#[test]
fn hand_built_kind_with_bad_length_is_an_error() {
    let c = Constraints::default();
    for kind in [Kind::Hex(0), Kind::Base64(MAX_LEN + 1), Kind::Token(0)] {
        assert!(
            matches!(
                generate(kind, &c, &mut seeded(0)),
                Err(GenerateError::Kind(_))
            ),
            "{kind}"
        );
    }
}

#[test]
fn entropy_bits_of_natural_formats() {
    let c = Constraints::default();
    assert_eq!(entropy_bits(Kind::Password, &c), Ok(256.0));
    assert_eq!(entropy_bits(Kind::Hex(16), &c), Ok(128.0));
    assert_eq!(entropy_bits(Kind::Uuid, &c), Ok(122.0));
    let token = entropy_bits(Kind::Token(64), &c).unwrap();
    assert!((token - 381.07).abs() < 0.01, "{token}");
}

fn arb_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Password),
        Just(Kind::Uuid),
        (1..=200usize).prop_map(Kind::Base64),
        (1..=200usize).prop_map(Kind::Hex),
        (1..=200usize).prop_map(Kind::Token),
    ]
}

fn arb_constraints() -> impl Strategy<Value = Constraints> {
    let alphabets = prop::sample::select(vec![
        "0123456789abcdef",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "!%&()*+,-./:;<=>?@[]^_{|}~",
        "ab",
        "ab-_.~",
    ]);
    (
        any::<bool>(),
        prop::option::of(0..=400usize),
        prop::collection::vec(prop::sample::select(b"+/=-_.~aZ09!%".to_vec()), 0..5),
        prop::option::of(alphabets),
    )
        .prop_map(|(uri_safe, max_len, forbidden, alphabet)| Constraints {
            uri_safe,
            max_len,
            forbidden: forbidden.into_iter().map(char::from).collect(),
            alphabet: alphabet.map(|a| Alphabet::new(a).unwrap()),
            ..Constraints::default()
        })
}

proptest! {
    #[test]
    fn values_are_always_safe_and_obey_constraints(
        kind in arb_kind(),
        c in arb_constraints(),
        seed in any::<u64>(),
    ) {
        match generate(kind, &c, &mut seeded(seed)) {
            Ok(secret) => {
                let v = secret.expose_secret();
                for ch in v.chars() {
                    prop_assert!(ch.is_ascii_graphic(), "{ch:?} in {v}");
                    prop_assert!(!"$#'\"`\\".contains(ch), "{ch:?} in {v}");
                    prop_assert!(c.allows(u8::try_from(ch).unwrap()), "{ch:?} in {v} under {c:?}");
                }
                if c.uri_safe {
                    prop_assert!(only(v, constraints::is_unreserved), "{v}");
                }
                if let Some(max) = c.max_len {
                    prop_assert!(v.len() <= max);
                }
                let bits = entropy_bits(kind, &c).unwrap();
                prop_assert!(bits >= kind.entropy_bits() - 1e-9, "{bits} < {}", kind.entropy_bits());
            }
            Err(GenerateError::TooLong { needed, max_len, .. }) => {
                prop_assert!(needed > max_len);
                prop_assert!(entropy_bits(kind, &c).is_err());
            }
            Err(GenerateError::AlphabetTooSmall { allowed, .. }) => prop_assert!(allowed < 2),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }
}

/// Upper 99.99% point of the chi-square distribution with 61 degrees of freedom (62 symbols),
/// computed from the regularised incomplete gamma function: P(X < 110.84) = 0.9999.
const CHI2_61_9999: f64 = 110.84;

/// Chi-square statistic of the symbol counts at each position of `values` (all `len` long,
/// over [A-Za-z0-9]) against the uniform distribution.
fn chi_square_per_position(values: impl Iterator<Item = String>, len: usize) -> Vec<f64> {
    let mut counts = vec![[0u32; 62]; len];
    let mut total = 0u32;
    for v in values {
        assert_eq!(v.len(), len);
        for (pos, b) in v.bytes().enumerate() {
            let symbol = ALNUM.iter().position(|&a| a == b).unwrap();
            counts[pos][symbol] += 1;
        }
        total += 1;
    }
    let expected = f64::from(total) / 62.0;
    counts
        .iter()
        .map(|row| {
            row.iter()
                .map(|&n| (f64::from(n) - expected).powi(2) / expected)
                .sum()
        })
        .collect()
}

const SAMPLES: usize = 100_000;

#[test]
fn token_characters_are_uniform_at_every_position() {
    let mut rng = seeded(0x5eed);
    let c = Constraints::default();
    let values = (0..SAMPLES).map(|_| {
        generate(Kind::Token(16), &c, &mut rng)
            .unwrap()
            .expose_secret()
            .to_owned()
    });
    for (pos, chi2) in chi_square_per_position(values, 16).into_iter().enumerate() {
        assert!(chi2 < CHI2_61_9999, "position {pos}: chi-square {chi2:.1}");
    }
}

#[test]
fn uniformity_check_catches_modulo_bias() {
    // The naive sampler the real one avoids: 256 % 62 = 8, so the first 8 symbols are 25% likelier.
    let mut rng = seeded(0x5eed);
    let values = (0..SAMPLES).map(|_| {
        (0..16)
            .map(|_| {
                let byte = usize::from(rng.next_u32().to_le_bytes()[0]);
                char::from(ALNUM[byte % 62])
            })
            .collect::<String>()
    });
    let stats = chi_square_per_position(values, 16);
    assert!(
        stats.iter().all(|&chi2| chi2 > CHI2_61_9999),
        "biased sampler passed: {stats:?}"
    );
}

#[test]
fn laravel_and_fernet_keys_have_the_shape_their_apps_parse() {
    use base64::Engine as _;
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let laravel = generate(Kind::Laravel, &Constraints::default(), &mut rng).unwrap();
    let body = laravel.expose_secret().strip_prefix("base64:").unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
            .len(),
        32
    );
    let fernet = generate(Kind::Fernet, &Constraints::default(), &mut rng).unwrap();
    assert_eq!(fernet.expose_secret().len(), 44);
    assert_eq!(
        base64::engine::general_purpose::URL_SAFE
            .decode(fernet.expose_secret())
            .unwrap()
            .len(),
        32
    );
}

#[test]
fn required_character_classes_are_met() {
    use crate::generate::CharClass;
    let c = Constraints {
        require: vec![
            CharClass::Upper,
            CharClass::Lower,
            CharClass::Digit,
            CharClass::Symbol,
        ],
        no_leading: vec!['-'],
        ..Constraints::default()
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    for _ in 0..200 {
        let v = generate(Kind::Password, &c, &mut rng).unwrap();
        assert!(c.accepts(v.expose_secret()));
    }
    let impossible = Constraints {
        require: vec![CharClass::Upper],
        ..Constraints::default()
    };
    assert!(matches!(
        generate(Kind::Hex(16), &impossible, &mut rng),
        Err(GenerateError::Unsatisfiable { .. })
    ));
}

#[test]
fn no_value_starts_with_a_dash() {
    // One base64url password in 64 used to start with `-`; a command line such as airflow's
    // `users create --password "$pw"` reads it as an option.
    let mut rng = seeded(11);
    let c = Constraints::default();
    for kind in [Kind::Password, Kind::Token(32), Kind::Fernet] {
        for _ in 0..5_000 {
            let v = generate(kind, &c, &mut rng).unwrap();
            assert!(!v.expose_secret().starts_with('-'), "{kind}");
        }
    }
}

/// A generator that hands out `script` first, then the bytes of a seeded one.
struct Scripted {
    script: Vec<u8>,
    at: usize,
    then: StdRng,
}

impl rand::TryRng for Scripted {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.then.next_u32())
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.then.next_u64())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            *b = match self.script.get(self.at) {
                Some(&s) => s,
                None => self.then.random(),
            };
            self.at += 1;
        }
        Ok(())
    }
}
impl rand::TryCryptoRng for Scripted {}

#[test]
fn a_draw_that_spells_a_placeholder_convention_is_drawn_again() {
    // Each first draw spells what `check` reads as a stand-in: a run of five x's in a
    // password, a leading `tbd` and a word boundary in a base64 key (each seen about once in
    // a million random draws). `fill` wrote one such key in a CI run, and `check` then called
    // it a placeholder.
    let conventions = crate::automata::read(crate::automata::PLACEHOLDERS).unwrap();
    let pad = |head: &str, len: usize, tail: &str| {
        format!("{head}{}{tail}", "A".repeat(len - head.len() - tail.len()))
    };
    for (kind, first) in [
        (Kind::Password, pad("QmZ0XXxXX", 43, "")),
        (Kind::Base64(32), pad("Tbd+", 44, "=")),
    ] {
        assert!(
            crate::automata::follows_placeholder_convention(&conventions, &first),
            "{first} should read as a stand-in"
        );
        let script = match kind {
            Kind::Password => URL_SAFE_NO_PAD.decode(&first).unwrap(),
            _ => STANDARD.decode(&first).unwrap(),
        };
        let mut rng = Scripted {
            script,
            at: 0,
            then: seeded(5),
        };
        let v = generate(kind, &Constraints::default(), &mut rng).unwrap();
        let v = v.expose_secret();
        assert_ne!(v, first, "{kind}: the stand-in-shaped draw was kept");
        assert_eq!(v.len(), first.len(), "{kind}");
        assert!(!crate::automata::follows_placeholder_convention(
            &conventions,
            v
        ));
    }
}
