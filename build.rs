//! Compiles `templates/*.toml` into the binary, so no run parses or compiles them:
//!
//! - each file becomes a static tree of `Baked` values (`$OUT_DIR/templates.rs`), which
//!   `src/analysis/knowledge/baked.rs` hands to serde as it would hand over parsed TOML;
//! - the placeholder patterns become one DFA, and the provider token formats another with a
//!   start state per format (`$OUT_DIR/*.dfa`), serialised by `regex-automata` and read back
//!   at run time without being rebuilt.
//!
//! A template that does not parse, or a pattern that does not compile, fails the build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use regex_automata::dfa::dense;
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;

/// The template files, as `Knowledge` reads them.
const FILES: [(&str, &str); 6] = [
    ("NAMES", "names.toml"),
    ("IMAGES", "images.toml"),
    ("PLACEHOLDERS", "placeholders.toml"),
    ("PASSWORDS", "passwords.toml"),
    ("PROVIDERS", "providers.toml"),
    ("DERIVED", "derived.toml"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    println!("cargo:rerun-if-changed=build.rs");
    link_without_load_time_relocations();

    let mut source = String::new();
    let mut tables = Vec::new();
    for (name, file) in FILES {
        let path = manifest.join("templates").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let table = read(&path);
        let _ = write!(
            source,
            "/// `templates/{file}`, baked.\npub static {name}: Baked = "
        );
        bake(&toml::Value::Table(table.clone()), &mut source);
        source.push_str(";\n");
        tables.push(table);
    }
    write(&out.join("templates.rs"), source.as_bytes());

    let placeholders = strings(&tables[2], "patterns", file_of(2));
    let placeholders = dfa(&placeholders, false, file_of(2));
    write(
        &out.join("placeholders.dfa"),
        &placeholders.to_bytes(big_endian),
    );
    let formats: Vec<String> = match tables[4].get("provider") {
        Some(toml::Value::Array(list)) => list
            .iter()
            .map(|p| match p.get("format") {
                Some(toml::Value::String(f)) => f.clone(),
                _ => fail(file_of(4), "every [[provider]] needs a `format` string"),
            })
            .collect(),
        _ => fail(file_of(4), "no [[provider]] tables"),
    };
    let providers = dfa(&formats, true, file_of(4));
    write(&out.join("providers.dfa"), &providers.to_bytes(big_endian));
}

fn file_of(i: usize) -> &'static str {
    FILES[i].1
}

fn fail(file: &str, message: &str) -> ! {
    panic!("templates/{file}: {message}")
}

fn read(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: cannot write: {e}", path.display()));
}

fn strings(table: &toml::Table, key: &str, file: &str) -> Vec<String> {
    match table.get(key) {
        Some(toml::Value::Array(list)) => list
            .iter()
            .map(|v| match v {
                toml::Value::String(s) => s.clone(),
                _ => fail(file, &format!("`{key}` must hold strings")),
            })
            .collect(),
        _ => fail(file, &format!("`{key}` must be a list of strings")),
    }
}

/// Writes `value` as a `Baked` expression.
fn bake(value: &toml::Value, out: &mut String) {
    match value {
        toml::Value::String(s) => {
            let _ = write!(out, "Baked::Str({s:?})");
        }
        toml::Value::Integer(i) => {
            let _ = write!(out, "Baked::Int({i})");
        }
        toml::Value::Float(f) => {
            let _ = write!(out, "Baked::Float({f:?})");
        }
        toml::Value::Boolean(b) => {
            let _ = write!(out, "Baked::Bool({b})");
        }
        toml::Value::Array(items) => {
            out.push_str("Baked::Array(&[");
            for item in items {
                bake(item, out);
                out.push(',');
            }
            out.push_str("])");
        }
        toml::Value::Table(entries) => {
            out.push_str("Baked::Table(&[");
            for (key, item) in entries {
                let _ = write!(out, "({key:?}, ");
                bake(item, out);
                out.push_str("),");
            }
            out.push_str("])");
        }
        toml::Value::Datetime(_) => panic!("templates hold no dates"),
    }
}

/// The patterns as one DFA over bytes (ASCII classes, as the values are matched after
/// lower-casing), with a start state per pattern when `per_pattern`.
struct Dfa(regex_automata::dfa::sparse::DFA<Vec<u8>>);

impl Dfa {
    fn to_bytes(&self, big_endian: bool) -> Vec<u8> {
        if big_endian {
            self.0.to_bytes_big_endian()
        } else {
            self.0.to_bytes_little_endian()
        }
    }
}

fn dfa(patterns: &[String], per_pattern: bool, file: &str) -> Dfa {
    let dense = dense::Builder::new()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .thompson(thompson::Config::new().utf8(false))
        .configure(
            dense::Config::new()
                .starts_for_each_pattern(per_pattern)
                .minimize(true),
        )
        .build_many(patterns)
        .unwrap_or_else(|e| fail(file, &e.to_string()));
    Dfa(dense
        .to_sparse()
        .unwrap_or_else(|e| fail(file, &e.to_string())))
}

/// Links the `envward` executable at a fixed address (not position-independent) on Linux.
///
/// A position-independent executable is relocated by the dynamic loader at every start:
/// ~27,000 pointers in the tables of the dependencies (panic locations, vtables, Unicode and
/// dictionary tables), each written into a private copy of its page. On this 2-core VM that
/// was 0.6 ms of a 1.7 ms `envward --version`, more than half of what `dotenv-linter`
/// spends on a whole check (issue 13). Linked at a fixed address there is nothing to
/// relocate. The cost is that the executable's own code is not at a random address (shared
/// libraries, stack and heap still are): envward is a short-lived command that reads local
/// files and never a network peer. Set `ENVWARD_PIE=1` when building to keep it a PIE.
fn link_without_load_time_relocations() {
    println!("cargo:rerun-if-env-changed=ENVWARD_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var_os("ENVWARD_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
