//! The 344 Compose conformance vectors (produced by running Compose's own parser and template
//! engine): every `.env` vector gives exactly the expected map or an error, and every
//! interpolation vector the expected string or an error.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use std::collections::{BTreeMap, HashMap};

use envward::{dotenv, interpolate};
use serde_json::Value;

fn vectors() -> Value {
    let text = include_str!("fixtures/conformance/compose-vectors.json");
    serde_json::from_str(text).expect("vector file is JSON")
}

fn env_of(v: &Value) -> HashMap<String, String> {
    v["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn is_error(expected: &Value) -> bool {
    expected.get("error") == Some(&Value::Bool(true))
}

#[test]
fn dotenv_vectors_match_compose() {
    let all = vectors();
    let cases = all["dotenv"].as_array().unwrap();
    assert_eq!(cases.len(), 177);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let env = env_of(case);
        let lookup = |k: &str| env.get(k).cloned();
        let got = dotenv::parse(input).and_then(|doc| doc.to_map(&lookup));
        let expected = &case["expected"];
        let ok = match (&got, is_error(expected)) {
            (Err(_), true) => true,
            (Ok(map), false) => {
                let want: BTreeMap<String, String> = expected
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect();
                let got: BTreeMap<String, String> = map.clone().into_iter().collect();
                got == want
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{name}: input {input:?} expected {expected} got {got:?}"
            ));
        }
        if let Ok(doc) = dotenv::parse(input) {
            assert_eq!(doc.render(), input, "{name}: render is not lossless");
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn interpolation_vectors_match_compose() {
    let all = vectors();
    let cases = all["interpolation"].as_array().unwrap();
    assert_eq!(cases.len(), 167);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let template = case["template"].as_str().unwrap();
        let env = env_of(case);
        let got = interpolate::substitute(template, &|k: &str| env.get(k).cloned());
        let expected = &case["expected"];
        let ok = match (&got, expected) {
            (Err(e), exp) if is_error(exp) => {
                let kind = exp["kind"].as_str().unwrap_or("");
                match e {
                    interpolate::TemplateError::Invalid { .. } => kind == "invalid_template",
                    interpolate::TemplateError::TooDeep { .. }
                    | interpolate::TemplateError::TooLarge { .. } => false,
                    interpolate::TemplateError::MissingRequired { .. } => {
                        kind == "missing_required"
                    }
                }
            }
            (Ok(s), Value::String(want)) => s == want,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{name}: {template:?} expected {expected} got {got:?}"
            ));
        }
        // Listing references must agree with evaluation on what is malformed.
        if let Err(interpolate::TemplateError::Invalid { .. }) = got {
            assert!(
                interpolate::references(template).is_err(),
                "{name}: references() accepted a template substitute() rejects"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
