//! Random bytes and unbiased character draws from a caller-supplied CSPRNG.
//!
//! Owns the only code that touches the generator. It must stay free of I/O; every buffer that
//! held random bytes is zeroed when dropped.

use rand::TryCryptoRng;
use zeroize::Zeroizing;

use super::GenerateError;

/// Fills `buf` from `rng`, turning a generator failure (the OS refusing randomness) into an error
/// rather than a panic.
pub(super) fn fill<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &mut [u8],
) -> Result<(), GenerateError> {
    rng.try_fill_bytes(buf)
        .map_err(|e| GenerateError::Rng(e.to_string()))
}

/// Returns `len` random bytes in a buffer that is zeroed on drop.
pub(super) fn bytes<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
    len: usize,
) -> Result<Zeroizing<Vec<u8>>, GenerateError> {
    let mut buf = Zeroizing::new(vec![0; len]);
    fill(rng, &mut buf)?;
    Ok(buf)
}

/// Draws `len` characters independently and uniformly from `alphabet` (2 to 256 ASCII bytes).
///
/// Uniform means without modulo bias. Taking `byte % n` would favour the first `256 % n`
/// characters (for 62 symbols, eight of them come up 5/256 of the time instead of 4/256).
/// Instead a byte is accepted only below `limit`, the largest multiple of `n` that is at most
/// 256; every residue then has exactly `limit / n` preimages, and rejected bytes are thrown
/// away. For 62 symbols `limit` is 248, so about 3% of bytes are rejected.
pub(super) fn draw<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
    alphabet: &[u8],
    len: usize,
) -> Result<String, GenerateError> {
    let n = alphabet.len();
    debug_assert!((2..=256).contains(&n), "alphabet of {n} symbols");
    let limit = 256 - 256 % n;
    // Capacity is exact, so pushing never reallocates and leaves no copy of the secret behind.
    let mut out = String::with_capacity(len);
    let mut pool = Zeroizing::new([0u8; 64]);
    let mut used = pool.len();
    while out.len() < len {
        if used == pool.len() {
            fill(rng, pool.as_mut_slice())?;
            used = 0;
        }
        let byte = usize::from(pool[used]);
        used += 1;
        if byte < limit {
            out.push(char::from(alphabet[byte % n]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// A generator that replays fixed bytes, to check exactly which bytes `draw` rejects.
    struct Replay(Vec<u8>, usize);

    impl rand::TryRng for Replay {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            unreachable!()
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            unreachable!()
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for b in dst {
                *b = self.0[self.1 % self.0.len()];
                self.1 += 1;
            }
            Ok(())
        }
    }
    impl rand::TryCryptoRng for Replay {}

    #[test]
    fn draw_rejects_bytes_at_or_above_the_limit() {
        // With 62 symbols the limit is 248: 248..=255 are skipped, 247 maps to 247 % 62 = 61.
        let mut rng = Replay(vec![255, 248, 247, 0, 62], 0);
        let alphabet: Vec<u8> = (0..62).map(|i| b'!' + i).collect();
        let s = draw(&mut rng, &alphabet, 3).unwrap();
        assert_eq!(s.as_bytes(), [alphabet[61], alphabet[0], alphabet[0]]);
    }

    #[test]
    fn draw_uses_every_byte_when_n_divides_256() {
        let mut rng = Replay(vec![255, 1], 0);
        let s = draw(&mut rng, b"01", 2).unwrap();
        assert_eq!(s, "11");
    }

    #[test]
    fn draw_returns_exact_length_from_the_alphabet() {
        let mut rng = StdRng::seed_from_u64(1);
        let s = draw(&mut rng, b"xyz", 500).unwrap();
        assert_eq!(s.len(), 500);
        assert!(s.bytes().all(|b| b"xyz".contains(&b)));
        for c in ["x", "y", "z"] {
            assert!(s.contains(c), "all three symbols appear in 500 draws");
        }
    }

    #[test]
    fn generator_failure_is_an_error_not_a_panic() {
        struct Broken;
        impl rand::TryRng for Broken {
            type Error = std::fmt::Error;
            fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
                Err(std::fmt::Error)
            }
            fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
                Err(std::fmt::Error)
            }
            fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
                Err(std::fmt::Error)
            }
        }
        impl rand::TryCryptoRng for Broken {}
        assert!(matches!(
            draw(&mut Broken, b"ab", 1),
            Err(GenerateError::Rng(_))
        ));
        assert!(matches!(bytes(&mut Broken, 4), Err(GenerateError::Rng(_))));
    }
}
