//! In-memory age encryption and decryption.
//!
//! Everything here works on byte slices: plaintext goes in and ciphertext comes out (or
//! the reverse) without touching the disk, so a secret never exists unencrypted in a file
//! envward did not mean to write. Decrypted bytes come back in a [`Zeroizing`] buffer that
//! is wiped when dropped.
//!
//! Errors are [`CryptoError`], which knows nothing about files; callers that read or write
//! a file wrap it in [`super::StoreError::Crypto`] with the path.

use std::io::{Read, Write};

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use secrecy::SecretString;
use zeroize::Zeroizing;

use super::identity::Identity;
use super::recipients::Recipient;

/// Why encrypting or decrypting failed. The messages never include plaintext or keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// No recipient was given to encrypt to.
    #[error("no recipients to encrypt to")]
    NoRecipients,
    /// The recipients cannot be combined in one file (age refuses some mixes).
    #[error("these recipients cannot be combined in one file")]
    IncompatibleRecipients,
    /// None of the identities can decrypt the file.
    #[error("no identity matches this file")]
    NoMatchingIdentity,
    /// The file is encrypted with a passphrase but identities were given.
    #[error("this file is encrypted with a passphrase, not to an identity")]
    PassphraseRequired,
    /// The file is encrypted to recipients but a passphrase was given.
    #[error("this file is encrypted to recipients, not with a passphrase")]
    NotPassphraseEncrypted,
    /// The passphrase does not decrypt the file.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The passphrase file asks for more scrypt work than this machine allows.
    #[error("the passphrase work factor (2^{required}) is too high to decrypt safely here")]
    ExcessiveWork {
        /// The file's work factor, as a power of two.
        required: u8,
    },
    /// The header is missing, cut short or damaged.
    #[error("not an age file, or its header is truncated or damaged")]
    BadHeader,
    /// The header is complete but fails its integrity check.
    #[error("the age header is corrupted (integrity check failed)")]
    HeaderCorrupted,
    /// The encrypted content is cut short or damaged.
    #[error("the file is truncated or corrupted (the encrypted content fails its integrity check)")]
    Corrupted,
    /// The encryption library failed in a way not listed above.
    #[error("encryption failed: {0}")]
    Encrypt(String),
}

/// Encrypts `plain` to every recipient, as binary age or, with `armor`, as ASCII armor
/// (`-----BEGIN AGE ENCRYPTED FILE-----`).
pub fn encrypt(
    plain: &[u8],
    recipients: &[Recipient],
    armor: bool,
) -> Result<Vec<u8>, CryptoError> {
    if recipients.is_empty() {
        return Err(CryptoError::NoRecipients);
    }
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(Recipient::as_age))
        .map_err(encrypt_error)?;
    finish(encryptor, plain, armor)
}

/// Encrypts `plain` with a passphrase (age's scrypt mode). The work factor is tuned by age
/// to about one second on this machine.
pub fn encrypt_passphrase(
    plain: &[u8],
    passphrase: &SecretString,
    armor: bool,
) -> Result<Vec<u8>, CryptoError> {
    let recipient = age::scrypt::Recipient::new(passphrase.clone());
    encrypt_scrypt(plain, &recipient, armor)
}

/// Like [`encrypt_passphrase`] with an explicit scrypt work factor `2^log_n` (clamped to
/// 1..=30). Meant for tests, where a second per operation adds up; files made this way are
/// easy to brute-force and must not be kept.
pub fn encrypt_passphrase_with_work_factor(
    plain: &[u8],
    passphrase: &SecretString,
    armor: bool,
    log_n: u8,
) -> Result<Vec<u8>, CryptoError> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(log_n.clamp(1, 30));
    encrypt_scrypt(plain, &recipient, armor)
}

fn encrypt_scrypt(
    plain: &[u8],
    recipient: &age::scrypt::Recipient,
    armor: bool,
) -> Result<Vec<u8>, CryptoError> {
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as _)).map_err(encrypt_error)?;
    finish(encryptor, plain, armor)
}

fn finish(encryptor: age::Encryptor, plain: &[u8], armor: bool) -> Result<Vec<u8>, CryptoError> {
    let io = |e: std::io::Error| CryptoError::Encrypt(e.to_string());
    let format = if armor {
        Format::AsciiArmor
    } else {
        Format::Binary
    };
    let mut out = Vec::with_capacity(plain.len() + 512);
    let armored = ArmoredWriter::wrap_output(&mut out, format).map_err(io)?;
    let mut writer = encryptor.wrap_output(armored).map_err(io)?;
    writer.write_all(plain).map_err(io)?;
    writer
        .finish()
        .and_then(ArmoredWriter::finish)
        .map_err(io)?;
    Ok(out)
}

fn encrypt_error(err: age::EncryptError) -> CryptoError {
    match err {
        age::EncryptError::MissingRecipients => CryptoError::NoRecipients,
        age::EncryptError::IncompatibleRecipients { .. }
        | age::EncryptError::MixedRecipientAndPassphrase => CryptoError::IncompatibleRecipients,
        other => CryptoError::Encrypt(other.to_string()),
    }
}

/// Decrypts an age file (binary or armored) with any of the identities.
pub fn decrypt<'a>(
    cipher: &[u8],
    identities: impl IntoIterator<Item = &'a Identity>,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    read_all(plaintext(cipher, identities)?, cipher.len())
}

/// Whether `cipher` decrypts with any of the identities to exactly `expected`, compared
/// as it is decrypted: no copy of the plaintext is kept (a backup's check that it restores).
/// Every chunk up to the end is authenticated before the answer is yes.
pub fn decrypts_to<'a>(
    cipher: &[u8],
    identities: impl IntoIterator<Item = &'a Identity>,
    expected: &[u8],
) -> Result<bool, CryptoError> {
    let mut reader = plaintext(cipher, identities)?;
    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
    let mut at = 0;
    loop {
        let n = match reader.read(&mut buf[..]) {
            Ok(0) => return Ok(at == expected.len()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(CryptoError::Corrupted),
        };
        if expected.get(at..at + n) != Some(&buf[..n]) {
            return Ok(false);
        }
        at += n;
    }
}

/// The plaintext of `cipher` as a reader, for any of the identities.
fn plaintext<'a, 'c>(
    cipher: &'c [u8],
    identities: impl IntoIterator<Item = &'a Identity>,
) -> Result<impl Read + 'c, CryptoError> {
    let decryptor = open(cipher)?;
    if decryptor.is_scrypt() {
        return Err(CryptoError::PassphraseRequired);
    }
    let keys = identities.into_iter().flat_map(Identity::age_identities);
    decryptor.decrypt(keys).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => CryptoError::NoMatchingIdentity,
        other => header_error(&other),
    })
}

/// Decrypts a passphrase-encrypted age file (binary or armored).
pub fn decrypt_passphrase(
    cipher: &[u8],
    passphrase: &SecretString,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let decryptor = open(cipher)?;
    if !decryptor.is_scrypt() {
        return Err(CryptoError::NotPassphraseEncrypted);
    }
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                CryptoError::WrongPassphrase
            }
            age::DecryptError::ExcessiveWork { required, .. } => {
                CryptoError::ExcessiveWork { required }
            }
            other => header_error(&other),
        })?;
    read_all(reader, cipher.len())
}

/// True when `cipher` is a passphrase-encrypted age file, so a caller can ask for the
/// passphrase rather than load identities.
pub fn is_passphrase_encrypted(cipher: &[u8]) -> Result<bool, CryptoError> {
    open(cipher).map(|d| d.is_scrypt())
}

type Input<'a> = Box<dyn std::io::BufRead + 'a>;

fn open(cipher: &[u8]) -> Result<age::Decryptor<Input<'_>>, CryptoError> {
    // Binary input is read as it is: the armored reader passes it through unchanged, but in
    // pieces of a few dozen bytes (25,000 reads to decrypt 1 MiB).
    let input: Input<'_> = if cipher.starts_with(b"age-encryption.org/") {
        Box::new(cipher)
    } else {
        Box::new(ArmoredReader::new(cipher))
    };
    age::Decryptor::new_buffered(input).map_err(|e| header_error(&e))
}

fn header_error(err: &age::DecryptError) -> CryptoError {
    match err {
        age::DecryptError::InvalidMac => CryptoError::HeaderCorrupted,
        age::DecryptError::DecryptionFailed => CryptoError::Corrupted,
        _ => CryptoError::BadHeader,
    }
}

fn read_all(mut reader: impl Read, cipher_len: usize) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    // The plaintext is never longer than the ciphertext, so this buffer never reallocates
    // (which would leave an unwiped copy behind).
    let mut plain = Zeroizing::new(Vec::with_capacity(cipher_len));
    reader
        .read_to_end(&mut plain)
        .map_err(|_| CryptoError::Corrupted)?;
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Identity, Recipient) {
        let identity = Identity::generate();
        let recipient = identity.recipient();
        (identity, recipient)
    }

    #[test]
    fn round_trips_binary_and_armored() {
        let (identity, recipient) = pair();
        for armor in [false, true] {
            let cipher = encrypt(b"A=1\r\nB=2", std::slice::from_ref(&recipient), armor).unwrap();
            assert_eq!(
                cipher.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"),
                armor
            );
            let plain = decrypt(&cipher, [&identity]).unwrap();
            assert_eq!(plain.as_slice(), b"A=1\r\nB=2");
        }
    }

    /// A backup's check: yes only for exactly the plaintext, past several 64 KiB chunks, in
    /// both formats; a shorter, longer or changed text, or a tampered chunk, is no.
    #[test]
    fn decrypts_to_only_the_exact_plaintext() {
        let (identity, recipient) = pair();
        let plain: Vec<u8> = (0..200_000u32).map(|i| b'A' + (i % 26) as u8).collect();
        for armor in [false, true] {
            let cipher = encrypt(&plain, std::slice::from_ref(&recipient), armor).unwrap();
            assert!(decrypts_to(&cipher, [&identity], &plain).unwrap());
            assert!(!decrypts_to(&cipher, [&identity], &plain[..plain.len() - 1]).unwrap());
            let mut longer = plain.clone();
            longer.push(b'\n');
            assert!(!decrypts_to(&cipher, [&identity], &longer).unwrap());
            let mut changed = plain.clone();
            changed[150_000] = b'!';
            assert!(!decrypts_to(&cipher, [&identity], &changed).unwrap());
        }
        let mut cipher = encrypt(&plain, std::slice::from_ref(&recipient), false).unwrap();
        let last = cipher.len() - 20;
        cipher[last] ^= 1;
        assert!(matches!(
            decrypts_to(&cipher, [&identity], &plain),
            Err(CryptoError::Corrupted)
        ));
    }

    #[test]
    fn wrong_identity_is_named() {
        let (_, recipient) = pair();
        let (other, _) = pair();
        let cipher = encrypt(b"x", &[recipient], false).unwrap();
        let err = decrypt(&cipher, [&other]).unwrap_err();
        assert_eq!(err.to_string(), "no identity matches this file");
    }

    #[test]
    fn truncation_and_damage_are_reported() {
        let (identity, recipient) = pair();
        let cipher = encrypt(&[9u8; 1000], &[recipient], false).unwrap();
        let cut = &cipher[..cipher.len() - 10];
        assert!(matches!(
            decrypt(cut, [&identity]),
            Err(CryptoError::Corrupted)
        ));
        assert!(matches!(
            decrypt(&cipher[..20], [&identity]),
            Err(CryptoError::BadHeader)
        ));
        let mut flipped = cipher.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(
            decrypt(&flipped, [&identity]),
            Err(CryptoError::Corrupted)
        ));
        assert!(matches!(
            decrypt(b"A=1\n", [&identity]),
            Err(CryptoError::BadHeader)
        ));
    }

    #[test]
    fn no_recipients_is_an_error() {
        assert!(matches!(
            encrypt(b"x", &[], false),
            Err(CryptoError::NoRecipients)
        ));
    }

    #[test]
    fn passphrase_round_trip_and_mismatches() {
        let pass = SecretString::from("correct horse".to_owned());
        let cipher = encrypt_passphrase_with_work_factor(b"secret", &pass, true, 2).unwrap();
        assert!(is_passphrase_encrypted(&cipher).unwrap());
        assert_eq!(
            decrypt_passphrase(&cipher, &pass).unwrap().as_slice(),
            b"secret"
        );
        let wrong = SecretString::from("battery staple".to_owned());
        assert!(matches!(
            decrypt_passphrase(&cipher, &wrong),
            Err(CryptoError::WrongPassphrase)
        ));
        let (identity, recipient) = pair();
        assert!(matches!(
            decrypt(&cipher, [&identity]),
            Err(CryptoError::PassphraseRequired)
        ));
        let to_key = encrypt(b"x", &[recipient], false).unwrap();
        assert!(matches!(
            decrypt_passphrase(&to_key, &pass),
            Err(CryptoError::NotPassphraseEncrypted)
        ));
    }
}
