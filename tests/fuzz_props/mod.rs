//! The fuzzing properties of the readers, shared by the stable harness (`tests/fuzz.rs`, run
//! by `cargo test`) and the cargo-fuzz targets (`fuzz/fuzz_targets/`). Each takes arbitrary
//! bytes, must never panic, and checks one promise; a broken promise is a panic with a
//! message that says which (inputs are test data, never secrets).

#![allow(clippy::unwrap_used, dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use envward::compose::{self, Options};
use envward::{dotenv, interpolate};

/// Splits `data` in two at a point its first byte chooses.
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => rest.split_at(usize::from(b).min(rest.len()) * rest.len() / 256),
        None => (&[], &[]),
    }
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The `.env` parser: parse then render gives back the input; the recovering parse never
/// panics and is lossless too; decoding never panics and every position lies in the text.
pub fn dotenv(data: &[u8]) {
    let input = text(data);
    let lines = input.split('\n').count();
    if let Ok(doc) = dotenv::parse(&input) {
        assert_eq!(doc.render(), input, "parse then render is lossless");
    }
    let (doc, errors) = dotenv::parse_recovering(&input);
    assert_eq!(doc.render(), input, "the recovering parse is lossless");
    for e in &errors {
        assert!(e.position.line >= 1 && e.position.line <= lines, "{e:?}");
    }
    let (bindings, errors) = doc.resolve_collecting(&|k: &str| (k == "HOME").then(|| "/h".into()));
    for e in &errors {
        assert!(e.position.line <= lines, "{e:?}");
    }
    for entry in doc.entries() {
        assert!(entry.position().line <= lines);
        let _ = entry.references();
    }
    // No fragment of a value becomes a key: every key the recovering parse keeps is one the
    // key grammar reads (or the empty key of Compose's last-line quirk).
    for b in &bindings {
        assert!(b.key.is_empty() || dotenv::is_key(&b.key), "{:?}", b.key);
    }
}

/// The template engine: no panic, listing and evaluation agree on what is malformed, and a
/// result stays within the budget.
pub fn interpolation(data: &[u8]) {
    let (a, b) = split(data);
    let template = text(a);
    let value = text(b);
    let env: HashMap<String, String> = [("A", ""), ("B", "b"), ("C", value.as_str())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = |k: &str| env.get(k).cloned();
    let refs = interpolate::references(&template);
    let got = interpolate::substitute(&template, &lookup);
    if refs.is_ok() {
        assert!(
            !matches!(got, Err(interpolate::TemplateError::Invalid { .. })),
            "references found no malformed expression, substitute did"
        );
    }
    if let Ok(out) = &got {
        assert!(out.len() <= interpolate::default_budget(template.len()));
    }
    if let Ok(refs) = refs {
        let starts: Vec<usize> = refs.iter().map(|r| r.span.start).collect();
        let _ = compose::in_uri_all(&template, &starts);
        for r in &refs {
            assert!(
                template.get(r.span.clone()).is_some(),
                "spans are on boundaries"
            );
        }
    }
}

/// The compose loader: any bytes as a compose file (and a `.env` beside it) load, or fail
/// with an error naming a file and a position inside it; every reference points into its
/// file. Never a panic.
pub fn compose(data: &[u8]) {
    let (a, b) = split(data);
    let yaml = text(b);
    let env = text(a);
    let lines = |s: &str| s.split('\n').count();
    let mut files = HashMap::from([(PathBuf::from("/p/compose.yaml"), yaml.clone())]);
    files.insert(PathBuf::from("/p/.env"), env.clone());
    files.insert(
        PathBuf::from("/p/part.yaml"),
        "services:\n  part:\n    image: ${PART:-x}\n".to_string(),
    );
    for tolerate in [true, false] {
        let options = Options {
            cwd: PathBuf::from("/p"),
            tolerate_env_errors: tolerate,
            ..Options::default()
        };
        match compose::load(&options, &files) {
            Ok(project) => {
                for r in &project.references {
                    let source = if r.file == Path::new("part.yaml") {
                        "services:\n  part:\n    image: ${PART:-x}\n"
                    } else {
                        &yaml
                    };
                    assert!(r.position.line <= lines(source), "{r:?}");
                }
            }
            Err(e) => {
                if let Some(p) = e.position {
                    let source = if e.file == Path::new(".env") {
                        &env
                    } else {
                        &yaml
                    };
                    assert!(p.line >= 1 && p.line <= lines(source).max(1), "{e:?}");
                }
            }
        }
    }
}

/// The fill round trip: set key/value pairs taken from the input into a parsed document; an
/// accepted edit must read back as exactly that value under Compose's rules, leave the other
/// keys as they were, and read the same under `dotenvy` where `dotenvy` can hold the value.
pub fn fill(data: &[u8]) {
    let (a, b) = split(data);
    let input = text(a);
    let Ok(mut doc) = dotenv::parse(&input) else {
        return;
    };
    let none = |_: &str| None;
    let Ok(before) = doc.to_map(&none) else {
        return;
    };
    // `dotenvy` must read what envward writes the same way when it read the original file the
    // same way (envward never rewrites the user's other lines, so it cannot repair a file
    // `dotenvy` already misreads, such as a quote inside an unquoted value).
    let dotenvy_agreed = dotenvy::from_read_iter(input.as_bytes())
        .collect::<Result<HashMap<String, String>, _>>()
        .is_ok_and(|theirs| theirs == before);
    let pairs = text(b);
    let mut set: Vec<(String, String)> = Vec::new();
    for pair in pairs.split('\u{1}').take(8) {
        let (k, v) = pair.split_once('\u{2}').unwrap_or((pair, "v"));
        let keys = doc.keys().into_iter().map(String::from).collect::<Vec<_>>();
        // Sometimes rewrite a key the document has.
        let k = match k.strip_prefix('#') {
            Some(_) if !keys.is_empty() => keys[v.len() % keys.len()].clone(),
            _ => k.to_string(),
        };
        let unchanged = doc.render();
        match doc.set(&k, v, None) {
            Ok(_) => set.push((k, v.to_string())),
            Err(_) => assert_eq!(doc.render(), unchanged, "a refused edit changes nothing"),
        }
    }
    let written = doc.render();
    let reread = dotenv::parse(&written).expect("what set wrote parses");
    let Ok(got) = reread.to_map(&none) else {
        // Values of the original document that interpolate what was set may now fail, as
        // they would in Compose; what was set itself is checked below statement by statement.
        return;
    };
    let mut last: HashMap<&str, &str> = HashMap::new();
    for (k, v) in &set {
        last.insert(k, v);
    }
    for (k, v) in &last {
        assert_eq!(
            got.get(*k).map(String::as_str),
            Some(*v),
            "{k:?} reads back"
        );
    }
    for (k, v) in &before {
        let interpolates = doc.get(k).is_some_and(|e| {
            e.references()
                .iter()
                .any(|r| last.contains_key(r.name.as_str()))
        });
        if !last.contains_key(k.as_str()) && !k.is_empty() && !interpolates {
            assert_eq!(got.get(k), Some(v), "{k:?} kept its value");
        }
    }
    // dotenvy reads each portable key it was given the same way.
    if dotenvy_agreed
        && (written.is_ascii() || dotenv::is_portable(&written))
        && let Ok(theirs) =
            dotenvy::from_read_iter(written.as_bytes()).collect::<Result<HashMap<_, _>, _>>()
    {
        for (k, v) in &last {
            if dotenv::is_portable_key(k) && dotenv::is_portable(v) && !v.contains('\r') {
                assert_eq!(
                    theirs.get(*k).map(String::as_str),
                    Some(*v),
                    "dotenvy reads {k:?}"
                );
            }
        }
    }
}
