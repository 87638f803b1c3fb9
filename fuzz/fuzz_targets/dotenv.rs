//! cargo-fuzz entry point for the `dotenv` property of `tests/fuzz_props` (see `tests/fuzz.rs`
//! for the stable harness that runs the same property in `cargo test`).
#![no_main]

#[path = "../../tests/fuzz_props/mod.rs"]
mod fuzz_props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_props::dotenv(data));
