//! A guard that counts work instead of timing it: the page faults of a whole `envward check`
//! of the synthetic 10,000-variable project (benches/support/synthetic.rs), read from the
//! kernel's accounting of finished children (`getrusage(RUSAGE_CHILDREN)`).
//!
//! The run touches about 45 MB of heap. In 4 KiB pages that is over 11,000 faults (13,500 for
//! the whole process, measured before `src/cli/heap.rs`); with the heap marked for 2 MiB pages
//! it is under 2,000. The bound sits between the two, so the test fails if the marking stops
//! happening, and it is a count: the machine's load does not move it.
//!
//! One test in this file on purpose: the children's counters add up every child of the
//! process.

#![allow(clippy::unwrap_used)]
// Test code.
// The one call the standard library does not offer: the finished children's resource usage.
#![allow(unsafe_code)]

#[path = "../benches/support/synthetic.rs"]
#[allow(dead_code)] // Only the plain project is used here.
mod synthetic;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Page faults (minor and major) of every child this process has waited for so far.
fn children_faults() -> i64 {
    // SAFETY: getrusage writes only into the struct it is given, which is fully initialised.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage) };
    assert_eq!(rc, 0, "getrusage failed");
    usage.ru_minflt + usage.ru_majflt
}

/// True when the kernel can back a marked region with huge pages (`always` or `madvise`).
fn transparent_huge_pages() -> bool {
    std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .is_ok_and(|mode| !mode.contains("[never]"))
}

fn write_project(dir: &Path, project: &synthetic::Project) {
    std::fs::write(dir.join("compose.yaml"), &project.compose).unwrap();
    std::fs::write(dir.join(".env.example"), &project.example).unwrap();
    let live = dir.join(".env");
    std::fs::write(&live, &project.live).unwrap();
    std::fs::set_permissions(&live, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn a_large_project_is_checked_on_huge_heap_pages() {
    if !transparent_huge_pages() {
        eprintln!("skipped: transparent huge pages are off on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_project(dir.path(), &synthetic::project(1_000));

    let before = children_faults();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_envward"))
        .args(["check", "--no-color"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let faults = children_faults() - before;

    // The project is full of placeholders: the check ran to the end and found them.
    assert_eq!(output.status.code(), Some(1), "check found the errors");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("placeholder"),
        "the report lists the placeholders"
    );
    eprintln!("check of 10,000 variables: {faults} page faults");
    assert!(
        faults < 5_000,
        "{faults} page faults: the heap was not backed by huge pages (13,500 without)"
    );
}
