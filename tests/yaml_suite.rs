//! Conformance of the compose YAML reader with the YAML test suite (yaml/yaml-test-suite),
//! next to libyaml's own grammar.
//!
//! The suite is not part of the repository. Check out its `data` branch (one directory per
//! case: `in.yaml`, `in.json` when the case has a JSON value, `error` when the input must be
//! refused) and run:
//!
//! ```sh
//! YAML_TEST_SUITE=/path/to/yaml-test-suite-data \
//!   cargo test --release --test yaml_suite -- --ignored --nocapture
//! ```
//!
//! For every case it records whether libyaml's grammar (the raw event parser of
//! `libyaml-safer`) and envward's reader (that grammar plus go-yaml's decoding rules that
//! Compose applies: aliases, merge keys, duplicate keys refused, string keys only) accept or
//! refuse the input, and, where the suite gives JSON, whether the reader's values equal it.
//! It prints the pass rates and the failing case ids, and fails if the reader ever accepts
//! what the grammar refuses (one reader, one grammar).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use envward::compose::yaml::{self, Kind, Node};
use serde_json::Value;

/// Every case directory (one holding `in.yaml`), sorted.
fn cases(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && !path.file_name().is_some_and(|n| n == "name" || n == "tags") {
                stack.push(path);
            }
        }
        if dir.join("in.yaml").is_file() {
            out.push(dir);
        }
    }
    out.sort();
    out
}

/// Whether libyaml's grammar accepts the input: its whole event stream parses. The input gets
/// a final line break when it has none, as the reader gives it one (libyaml-safer 0.3 panics
/// at some ends of input where C libyaml reads a NUL); `None` when the parser panics anyway.
fn libyaml_accepts(input: &[u8]) -> Option<bool> {
    let mut input = input.to_vec();
    if !input.ends_with(b"\n") && !input.ends_with(b"\r") {
        input.push(b'\n');
    }
    std::panic::catch_unwind(|| {
        let mut parser = libyaml_safer::Parser::new();
        parser.set_input(input.as_slice());
        loop {
            match parser.parse() {
                Err(_) => return false,
                Ok(event) if matches!(event.data, libyaml_safer::EventData::StreamEnd) => {
                    return true;
                }
                Ok(_) => {}
            }
        }
    })
    .ok()
}

/// A node as the JSON value the suite writes for it (YAML 1.2 core schema).
fn to_json(node: &Node) -> Value {
    match &node.kind {
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, _, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Str(s) => Value::String(s.clone()),
        Kind::Null => Value::Null,
        Kind::Other(s) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => s
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| s.parse::<u64>().map(Value::from))
                .or_else(|_| s.parse::<f64>().map(Value::from))
                .unwrap_or_else(|_| Value::String(s.clone())),
        },
    }
}

/// JSON equality with numbers compared by value (`1.0` equals `1`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[derive(Default)]
struct Tally {
    total: usize,
    libyaml: usize,
    ours: usize,
    libyaml_failing: Vec<String>,
    ours_failing: Vec<String>,
}

#[test]
#[ignore = "needs the YAML test suite: set YAML_TEST_SUITE to a checkout of its data branch"]
fn yaml_test_suite() {
    let root = PathBuf::from(
        std::env::var_os("YAML_TEST_SUITE").expect("YAML_TEST_SUITE names the suite's data"),
    );
    let all = cases(&root);
    assert!(!all.is_empty(), "no cases under {}", root.display());
    let mut valid = Tally::default();
    let mut invalid = Tally::default();
    let (mut json_cases, mut json_equal) = (0usize, 0usize);
    let mut json_failing = Vec::new();
    let mut refused_by_decoding = Vec::new();
    let mut grammar_breaches = Vec::new();
    let mut parser_panics = Vec::new();
    for dir in &all {
        let id = dir
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(dir.join("in.yaml")).unwrap();
        let must_fail = dir.join("error").exists();
        let Some(grammar) = libyaml_accepts(&bytes) else {
            parser_panics.push(id.clone());
            continue;
        };
        let ours = std::str::from_utf8(&bytes).ok().map(yaml::parse_documents);
        let ours_ok = matches!(ours, Some(Ok(_)));
        if ours_ok && !grammar {
            grammar_breaches.push(id.clone());
        }
        let tally = if must_fail { &mut invalid } else { &mut valid };
        tally.total += 1;
        if grammar == must_fail {
            tally.libyaml_failing.push(id.clone());
        } else {
            tally.libyaml += 1;
        }
        if ours_ok == must_fail {
            tally.ours_failing.push(id.clone());
            if grammar && !must_fail {
                let why = match &ours {
                    Some(Err(e)) => e.message.clone(),
                    _ => "not UTF-8".to_string(),
                };
                refused_by_decoding.push(format!("{id} ({why})"));
            }
        } else {
            tally.ours += 1;
        }
        if let (Some(Ok(docs)), Ok(text)) = (&ours, std::fs::read_to_string(dir.join("in.json"))) {
            json_cases += 1;
            let want: Vec<Value> = serde_json::Deserializer::from_str(&text)
                .into_iter::<Value>()
                .collect::<Result<_, _>>()
                .unwrap();
            let got: Vec<Value> = docs.iter().map(to_json).collect();
            if want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| same(w, g)) {
                json_equal += 1;
            } else {
                json_failing.push(id.clone());
            }
        }
    }
    let pct = |n: usize, d: usize| {
        #[allow(clippy::cast_precision_loss)]
        let p = if d == 0 {
            100.0
        } else {
            n as f64 * 100.0 / d as f64
        };
        format!("{n}/{d} ({p:.1}%)")
    };
    let total = valid.total + invalid.total;
    println!(
        "yaml-test-suite: {} cases under {} ({total} compared)",
        all.len(),
        root.display()
    );
    println!(
        "accept/refuse as the suite says: libyaml {}, envward {}",
        pct(valid.libyaml + invalid.libyaml, total),
        pct(valid.ours + invalid.ours, total)
    );
    println!(
        "  valid cases accepted:   libyaml {}, envward {}",
        pct(valid.libyaml, valid.total),
        pct(valid.ours, valid.total)
    );
    println!(
        "  invalid cases refused:  libyaml {}, envward {}",
        pct(invalid.libyaml, invalid.total),
        pct(invalid.ours, invalid.total)
    );
    println!(
        "  values equal to in.json (cases envward accepts): {}",
        pct(json_equal, json_cases)
    );
    println!("libyaml refuses valid: {}", valid.libyaml_failing.join(" "));
    println!(
        "libyaml accepts invalid: {}",
        invalid.libyaml_failing.join(" ")
    );
    println!(
        "envward refuses valid input libyaml accepts (go-yaml/Compose decoding rules): {}",
        refused_by_decoding.join("; ")
    );
    println!(
        "envward accepts invalid: {}",
        invalid.ours_failing.join(" ")
    );
    println!("values differ from in.json: {}", json_failing.join(" "));
    println!(
        "left out, the parser panics (the reader reports an error instead): {}",
        parser_panics.join(" ")
    );
    assert!(
        grammar_breaches.is_empty(),
        "envward accepts what libyaml's grammar refuses: {grammar_breaches:?}"
    );
}
