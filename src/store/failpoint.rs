//! Crash-test hooks for the atomic writer.
//!
//! Built with `--features failpoints`, the writer calls [`hit`] at each step, and when the
//! environment variable [`ENV`] names that step the process aborts on the spot, as a power
//! cut would stop it (`ENVWARD_FAILPOINT=after-fsync`, or `after-fsync:3` for the third
//! time the step is reached). [`ACTION_ENV`] chooses another action: `panic` (with the
//! text of [`PAYLOAD_ENV`] in the panic message, to prove no panic payload is printed) or
//! `pause` (create the file [`PAUSE_FILE_ENV`] names and wait until it is removed, so a
//! test can act in the middle of a save). The crash tests (`tests/store_crash.rs`, run by CI with
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

/// After an exchange put the new file in place, before the displaced one is checked and
/// removed (only writes that expect a snapshot exchange).
pub const AFTER_EXCHANGE: &str = "after-exchange";

/// Every step every write reaches, in order.
pub const ALL: [&str; 4] = [BEFORE_TEMP, AFTER_TEMP_WRITE, AFTER_FSYNC, AFTER_RENAME];

/// The environment variable choosing what happens at the step: `abort` (the default),
/// `panic` or `pause`.
pub const ACTION_ENV: &str = "ENVWARD_FAILPOINT_ACTION";
/// The text a `panic` action puts in its panic message.
pub const PAYLOAD_ENV: &str = "ENVWARD_FAILPOINT_PAYLOAD";
/// The file a `pause` action creates, then waits (up to 30 s) to see removed.
pub const PAUSE_FILE_ENV: &str = "ENVWARD_FAILPOINT_PAUSE_FILE";

/// Acts (aborts, by default) if [`ENV`] names `step`: either `STEP` (the first time the
/// step is reached) or `STEP:N` (the `N`-th time, counting from 1), so a test can crash the
/// third write of a save rather than the first.
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
    if name != step || HITS.fetch_add(1, Ordering::SeqCst) + 1 != nth {
        return;
    }
    match std::env::var(ACTION_ENV).as_deref() {
        Ok("panic") => {
            let payload = std::env::var(PAYLOAD_ENV).unwrap_or_default();
            panic!("failpoint {step}: {payload}");
        }
        Ok("pause") => {
            let Some(file) = std::env::var_os(PAUSE_FILE_ENV) else {
                return;
            };
            let _ = std::fs::write(&file, step);
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while std::path::Path::new(&file).exists() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        _ => std::process::abort(),
    }
}

/// Does nothing: the crate was built without the `failpoints` feature.
#[cfg(not(feature = "failpoints"))]
#[inline]
pub fn hit(_step: &str) {}
