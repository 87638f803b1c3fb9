//! Crash-test hooks for the atomic writer.
//!
//! Built with `--features failpoints`, the writer calls [`hit`] at each step, and when the
//! environment variable [`ENV`] names that step the process aborts on the spot, as a power
//! cut would stop it. The crash tests (`tests/store_crash.rs`, run by CI with
//! `cargo test --all-features`) re-execute the test binary with the variable set and then
//! check that the target holds the whole old or the whole new content.
//!
//! Without the feature, [`hit`] is an empty function the optimiser removes: release builds
//! never read the variable.

/// The environment variable naming the step at which to abort.
pub const ENV: &str = "ENVWARD_FAILPOINT";

/// Before the temporary file is created.
pub const BEFORE_TEMP: &str = "before-temp";
/// After the content is written to the temporary file, before it is synced.
pub const AFTER_TEMP_WRITE: &str = "after-temp-write";
/// After the temporary file is synced, before it is renamed over the target.
pub const AFTER_FSYNC: &str = "after-fsync";
/// After the rename, before the directory is synced.
pub const AFTER_RENAME: &str = "after-rename";

/// Every step, in the order the writer reaches them.
pub const ALL: [&str; 4] = [BEFORE_TEMP, AFTER_TEMP_WRITE, AFTER_FSYNC, AFTER_RENAME];

/// Aborts the process if [`ENV`] names `step`.
#[cfg(feature = "failpoints")]
pub fn hit(step: &str) {
    if std::env::var_os(ENV).is_some_and(|wanted| wanted == step) {
        std::process::abort();
    }
}

/// Does nothing: the crate was built without the `failpoints` feature.
#[cfg(not(feature = "failpoints"))]
#[inline]
pub fn hit(_step: &str) {}
