//! Crash-test hooks for the atomic writer.
//!
//! Built with `--features failpoints`, the writer calls [`hit`] at each step, and when the
//! environment variable [`ENV`] names that step the process aborts on the spot, as a power
//! cut would stop it (`ENVWARD_FAILPOINT=after-fsync`, or `after-fsync:3` for the third
//! time the step is reached). The crash tests (`tests/store_crash.rs`, run by CI with
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

/// Aborts the process if [`ENV`] names `step`: either `STEP` (abort the first time the step
/// is reached) or `STEP:N` (abort the `N`-th time, counting from 1), so a test can crash
/// the third write of a save rather than the first.
#[cfg(feature = "failpoints")]
pub fn hit(step: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static HITS: AtomicUsize = AtomicUsize::new(0);

    let Some(wanted) = std::env::var(ENV).ok() else {
        return;
    };
    let (name, nth) = match wanted.split_once(':') {
        Some((name, nth)) => (name, nth.parse::<usize>().unwrap_or(1)),
        None => (wanted.as_str(), 1),
    };
    if name == step && HITS.fetch_add(1, Ordering::SeqCst) + 1 == nth {
        std::process::abort();
    }
}

/// Does nothing: the crate was built without the `failpoints` feature.
#[cfg(not(feature = "failpoints"))]
#[inline]
pub fn hit(_step: &str) {}
