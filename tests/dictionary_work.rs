//! Reading a value for words (zxcvbn's matching over its ranked dictionaries) is the costly
//! part of judging a value, and a template's JWT samples are signed tokens, never words:
//! analysing them must not start it. Counted in bytes allocated, not timed, so it cannot
//! flake: zxcvbn's matches for one long passphrase allocate over a megabyte (its dictionaries
//! are compile-time maps since the patch in vendor/zxcvbn, so they allocate nothing), two JWT
//! samples a few tens of kilobytes; a passphrase sample afterwards shows that the count does
//! see the matching when it happens.
//!
//! One test in this file on purpose: the counting allocator sees every thread.

#![allow(clippy::unwrap_used)] // Test code.

#[path = "../benches/support/in_memory.rs"]
mod in_memory;

use std::alloc::System;

use envward::analysis::{Knowledge, analyze};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const COMPOSE: &str = "services:
  app:
    image: example/app:1
    environment:
      ANON_KEY: ${ANON_KEY}
      SERVICE_KEY: ${SERVICE_KEY}
      SESSION_SECRET: ${SESSION_SECRET}
";

/// A made-up token of the JWT shape: a JSON header, a payload and a signature, base64url.
const ANON: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6ImV4YW1wbGUiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTkwMDAwMDAwMH0.Qm9yZWFsLXNpZ25hdHVyZS1ub3QtYS1yZWFsLW9uZS0xMjM0NQ";
const SERVICE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoiZXhhbXBsZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxOTAwMDAwMDAwfQ.U2lnbmF0dXJlLWZvci10aGUtc2VydmljZS1yb2xlLTY3ODkw";

/// Bytes allocated to analyse `example` (also the live file, as after `cp .env.example
/// .env`), and the messages of the findings about `name`.
fn analyse(knowledge: &Knowledge, example: &str, name: &str) -> (usize, Vec<String>) {
    let loaded = in_memory::Loaded::new(COMPOSE, example, example);
    let region = Region::new(GLOBAL);
    let inventory = analyze(&loaded.input(knowledge));
    let bytes = region.change().bytes_allocated;
    let messages = inventory
        .findings
        .iter()
        .filter(|f| f.variable.as_deref() == Some(name))
        .map(|f| f.message.clone())
        .collect();
    (bytes, messages)
}

#[test]
fn jwt_samples_are_not_read_for_words_and_passphrases_still_are() {
    let knowledge = Knowledge::builtin().unwrap();
    let jwts = format!(
        "# The anonymous key: change it before going to production.\nANON_KEY={ANON}\n\
         # The service key: change it before going to production.\nSERVICE_KEY={SERVICE}\n"
    );
    let (jwt_bytes, anon) = analyse(&knowledge, &jwts, "ANON_KEY");
    // Its comment says "change it", but a token is not the comment's description of itself.
    assert!(
        anon.iter().all(|m| !m.contains("comment says to change")),
        "{anon:?}"
    );
    let passphrase = "# A random string for the sessions.\n\
         SESSION_SECRET=correct-horse-battery-staple-correct-horse-battery-staple\n";
    let (words_bytes, session) = analyse(&knowledge, passphrase, "SESSION_SECRET");
    eprintln!("JWT samples: {jwt_bytes} bytes; a passphrase sample: {words_bytes} bytes");
    // The passphrase is read for words (and is one).
    assert!(
        session.iter().any(|m| m.contains("readable sample")),
        "{session:?}"
    );
    assert!(
        words_bytes > 500_000,
        "the matching was not seen: {words_bytes} bytes"
    );
    assert!(
        jwt_bytes < 200_000,
        "analysing two JWT samples allocated {jwt_bytes} bytes: were they read for words?"
    );
}
