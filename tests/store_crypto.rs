//! `store::crypto` and `store::backup` round trips over arbitrary bytes.

use envward::store::{self, backup, crypto};
use proptest::prelude::*;
use secrecy::SecretString;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn encrypt_then_decrypt_gives_back_any_bytes(
        plain in proptest::collection::vec(any::<u8>(), 0..70_000),
        armor in any::<bool>(),
    ) {
        let me = store::Identity::generate();
        let cipher = crypto::encrypt(&plain, &[me.recipient()], armor).unwrap();
        let back = crypto::decrypt(&cipher, [&me]).unwrap();
        prop_assert_eq!(back.as_slice(), plain.as_slice());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn backup_then_decrypt_gives_back_any_bytes(
        plain in proptest::collection::vec(any::<u8>(), 0..8192),
        armor in any::<bool>(),
        second in 0i64..2_000_000_000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let me = store::Identity::generate();
        let now = jiff::Timestamp::from_second(second).unwrap();
        let path = backup::backup_now(&live, &plain, &[], &me, now, armor).unwrap();
        let back = backup::read_backup(&path, &me).unwrap();
        prop_assert_eq!(back.as_slice(), plain.as_slice());
        let listed = backup::list(&live).unwrap();
        prop_assert_eq!(listed.len(), 1);
        prop_assert_eq!(listed[0].time(), now);
    }
}

#[test]
fn every_recipient_can_decrypt() {
    let team: Vec<store::Identity> = (0..3).map(|_| store::Identity::generate()).collect();
    let recipients: Vec<store::Recipient> = team.iter().map(store::Identity::recipient).collect();
    let cipher = crypto::encrypt(b"shared", &recipients, false).unwrap();
    for member in &team {
        assert_eq!(
            crypto::decrypt(&cipher, [member]).unwrap().as_slice(),
            b"shared"
        );
    }
    let outsider = store::Identity::generate();
    let everyone: Vec<&store::Identity> = team.iter().chain([&outsider]).collect();
    assert_eq!(
        crypto::decrypt(&cipher, everyone).unwrap().as_slice(),
        b"shared"
    );
}

/// Passphrase mode with age's own work factor, once: the one test that pays for a real
/// scrypt (about a second each way).
#[test]
fn passphrase_round_trip_with_the_default_work_factor() {
    let pass = SecretString::from("a long and memorable passphrase".to_owned());
    let cipher = crypto::encrypt_passphrase(b"A=1\n", &pass, false).unwrap();
    assert!(crypto::is_passphrase_encrypted(&cipher).unwrap());
    assert_eq!(
        crypto::decrypt_passphrase(&cipher, &pass)
            .unwrap()
            .as_slice(),
        b"A=1\n"
    );
}
