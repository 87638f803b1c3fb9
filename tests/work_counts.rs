//! A performance guard that cannot flake: it counts work instead of timing it. Loading,
//! analysing and listing the references (as `refs --format json`) of the synthetic project
//! (benches/support/synthetic.rs) of 100 and of 1,000 services (1,000 and 10,000 variables)
//! is measured in heap allocations and bytes allocated, through a
//! counting global allocator; the larger project must cost about ten times the smaller one
//! (linear growth), and each variable a bounded number of allocations.
//!
//! One test in this file on purpose: the allocator counts every thread of the process.

#![allow(clippy::unwrap_used)] // Test code.

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

#[path = "../benches/support/in_memory.rs"]
mod in_memory;

use std::alloc::System;

use envward::analysis::knowledge::sensitivity_in;
use envward::analysis::{Knowledge, analyze};
use envward::report;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations and bytes allocated to load and analyse the project of `services` services,
/// and the number of findings (so the work is known to have been done).
fn work(project: &synthetic::Project, knowledge: &Knowledge) -> (usize, usize, usize) {
    let region = Region::new(GLOBAL);
    let loaded = in_memory::Loaded::new(&project.compose, &project.example, &project.live);
    let analysis = analyze(&loaded.input(knowledge));
    // What `refs --format json` prints: every reference with a default asks whether its
    // variable is a secret (each question once scanned every entry of every service).
    let refs = report::refs::select(&loaded.project().references, &[]);
    let json = report::refs::json(&refs, &sensitivity_in(knowledge, loaded.project()));
    let stats = region.change();
    assert!(json.len() > refs.len(), "refs were printed");
    (
        stats.allocations + stats.reallocations,
        stats.bytes_allocated,
        analysis.findings.len(),
    )
}

/// Asserts that the project of 1,000 services costs about ten times the one of 100, and a
/// bounded number of allocations per variable.
fn grows_linearly(label: &str, make: fn(usize) -> synthetic::Project, knowledge: &Knowledge) {
    let (small_allocs, small_bytes, small_findings) = work(&make(100), knowledge);
    let (large_allocs, large_bytes, large_findings) = work(&make(1_000), knowledge);
    eprintln!(
        "{label}: 1k variables: {small_allocs} allocations, {small_bytes} bytes; \
         10k: {large_allocs} allocations, {large_bytes} bytes"
    );
    assert!(
        large_findings >= 9 * small_findings && small_findings > 0,
        "{label}: findings {small_findings} then {large_findings}: the projects were not analysed alike"
    );
    // Ten times the variables: ten times the work, with room for hash tables that double.
    assert!(
        large_allocs <= 12 * small_allocs,
        "{label}: allocations grew {small_allocs} -> {large_allocs} for 10x the variables"
    );
    assert!(
        large_bytes <= 13 * small_bytes,
        "{label}: bytes allocated grew {small_bytes} -> {large_bytes} for 10x the variables"
    );
    // And a bounded amount per variable: allocation is most of the cost of an analysis.
    assert!(
        large_allocs <= 10_000 * PER_VARIABLE,
        "{label}: {large_allocs} allocations for 10,000 variables (budget {PER_VARIABLE} each)"
    );
}

#[test]
fn analysis_work_grows_linearly_with_the_number_of_variables() {
    let knowledge = Knowledge::builtin().unwrap();
    grows_linearly("synthetic", synthetic::project, &knowledge);
    // Every service loading the whole file: each of 1,000 services reads all 10,000
    // variables. One (image, variable) pair per service and variable once made this
    // variables x services (over a minute for `check` at 10k).
    grows_linearly(
        "env_file on every service",
        synthetic::project_loading_env_file,
        &knowledge,
    );
}

/// Allocations per variable the analysis may make (load, parse and analyse): about 131
/// when this was written.
const PER_VARIABLE: usize = 160;
