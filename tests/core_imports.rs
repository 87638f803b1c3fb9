//! The pure core must not touch files, processes or the terminal: no core file may use
//! `std::fs`, `std::process`, `ratatui` or `crossterm`, in any spelling (`use std::fs`,
//! `use std::{io, fs}`, `std::process::exit`, a path starting `fs::` …). Comments and string
//! literals are ignored. The edges (`src/cli`, `src/tui`, `src/store`, `src/report`) may.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// The core: directories (scanned recursively) and single files.
const CORE: [&str; 12] = [
    "src/audit",
    "src/automata.rs",
    "src/export",
    "src/dotenv",
    "src/compose",
    "src/interpolate.rs",
    "src/position.rs",
    "src/generate",
    "src/analysis",
    "src/plan",
    "src/config.rs",
    "src/rotate",
];

/// Files the scan must find, so that a moved or renamed core cannot pass by being empty.
const EXPECTED: [&str; 20] = [
    "src/automata.rs",
    "src/analysis/mod.rs",
    "src/analysis/facts/mod.rs",
    "src/analysis/relations/mod.rs",
    "src/analysis/knowledge/mod.rs",
    "src/analysis/declare/mod.rs",
    "src/plan/mod.rs",
    "src/config.rs",
    "src/dotenv/mod.rs",
    "src/dotenv/scan.rs",
    "src/compose/mod.rs",
    "src/compose/yaml/build.rs",
    "src/compose/refs.rs",
    "src/interpolate.rs",
    "src/position.rs",
    "src/generate/mod.rs",
    "src/rotate/mod.rs",
    "src/rotate/plan.rs",
    "src/audit/mod.rs",
    "src/export/mod.rs",
];

/// Crates the core may not name at all.
const FORBIDDEN_CRATES: [&str; 2] = ["ratatui", "crossterm"];
/// Modules of `std` the core may not use.
const FORBIDDEN_STD: [&str; 2] = ["fs", "process"];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// The source with comments and string and char literals blanked out (newlines kept, so
/// line numbers stay right).
fn strip(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            // Raw string r"…", r#"…"#: ends at a quote followed by as many hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            for &ch in &chars[i..j.min(chars.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'); otherwise a lifetime, kept as is.
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&k| chars[k] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Identifiers and `::`/`{`/`}`/`,` tokens with their line.
fn tokens(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_alphanumeric() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((chars[start..i].iter().collect(), n + 1));
            } else if c == ':' && chars.get(i + 1) == Some(&':') {
                out.push(("::".to_string(), n + 1));
                i += 2;
            } else {
                if !c.is_whitespace() {
                    out.push((c.to_string(), n + 1));
                }
                i += 1;
            }
        }
    }
    out
}

/// Every forbidden use in `src`, as `(line, what)`.
fn violations(src: &str) -> Vec<(usize, String)> {
    let toks = tokens(&strip(src));
    let tok = |i: usize| toks.get(i).map_or("", |(t, _)| t.as_str());
    let mut found = Vec::new();
    for (i, (t, line)) in toks.iter().enumerate() {
        if FORBIDDEN_CRATES.contains(&t.as_str()) {
            found.push((*line, t.clone()));
        }
        // `std::fs`, `::std::process` …
        if t == "std" && tok(i + 1) == "::" && FORBIDDEN_STD.contains(&tok(i + 2)) {
            found.push((*line, format!("std::{}", tok(i + 2))));
        }
        // `use std::{io, fs::File}`: any forbidden module inside the group.
        if t == "std" && tok(i + 1) == "::" && tok(i + 2) == "{" {
            let mut depth = 0usize;
            for (g, gline) in &toks[i + 2..] {
                match g.as_str() {
                    "{" => depth += 1,
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    m if FORBIDDEN_STD.contains(&m) => {
                        found.push((*gline, format!("std::{{{m}}}")));
                    }
                    _ => {}
                }
            }
        }
        // A path that starts with `fs::` or `process::` (after `use std::{fs}` or a glob).
        if FORBIDDEN_STD.contains(&t.as_str())
            && tok(i + 1) == "::"
            && (i == 0 || tok(i - 1) != "::")
        {
            found.push((*line, format!("{t}::")));
        }
    }
    // One report per line is enough (`use std::{fs::File}` matches two rules).
    found.sort();
    found.dedup_by_key(|(line, _)| *line);
    found
}

#[test]
fn core_files_do_not_import_fs_process_or_the_terminal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for part in CORE {
        rust_files(&root.join(part), &mut files);
    }
    let rel: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    for expected in EXPECTED {
        assert!(
            rel.iter().any(|r| r == expected),
            "{expected} not scanned: {rel:?}"
        );
    }
    assert!(rel.len() >= 12, "only {} core files: {rel:?}", rel.len());
    let mut problems = Vec::new();
    for (file, name) in files.iter().zip(&rel) {
        let src = std::fs::read_to_string(file).unwrap();
        for (line, what) in violations(&src) {
            problems.push(format!("{name}:{line}: core file uses `{what}`"));
        }
    }
    assert!(
        problems.is_empty(),
        "the core must stay pure (no files, processes or terminal):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scan_catches_every_spelling_and_ignores_comments_and_strings() {
    let bad = "\
use std::fs;
use std::{io, fs::File};
use std::{
    collections::HashMap,
    process,
};
fn f() { std::process::exit(1) }
fn g() { let _ = fs::read(\"x\"); }
use ratatui::Frame;
fn h() -> crossterm::Result<()> { todo!() }
fn i() { ::std::fs::remove_file(\"x\").ok(); }
";
    let lines: Vec<usize> = violations(bad).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, [1, 2, 5, 7, 8, 9, 10, 11]);

    let good = r##"
//! Reads no files: std::fs is for the edges; see ratatui.
// use std::fs;
/* std::process::exit(1) /* nested fs::read */ */
use std::io;
fn f() -> &'static str { "std::fs::read and crossterm" }
fn g() -> &'static str { r#"use std::{fs};"# }
fn h<'a>(refs: &'a [u8]) -> char { let _ = refs; 'f' }
fn i() { refs::collect(); processing(); let fs = 1; let _ = fs + 1; }
fn j() -> char { '"' }
fn k() { let _ = std::env::var("X"); }
"##;
    assert_eq!(violations(good), Vec::<(usize, String)>::new());
}
