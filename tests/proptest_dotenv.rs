//! Properties of the `.env` document model:
//!
//! - lossless: `render(parse(x)) == x` for every `x` that parses, from a grammar of realistic
//!   lines (comments, `export`, `:` separators, quotes spanning lines, inline comments, CRLF,
//!   a BOM, statements glued after a closing quote) and from arbitrary strings;
//! - `set(k, v)` then parsing gives back exactly `v` by the Compose rules, for arbitrary `v`
//!   (`$ # ' " \`, spaces, tabs, newlines, Unicode), leaves every other key's value alone, and
//!   `dotenvy` reads the same `v` wherever `is_portable(v)`.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use envward::dotenv::{self, Document, is_portable};
use proptest::prelude::*;

/// Keys Compose and dotenvy both accept, with a few fixed ones so that keys collide.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["A", "B", "DB_PASSWORD", "export_X", "K"]).prop_map(String::from),
        "[A-Za-z_][A-Za-z0-9_]{0,10}",
    ]
}

/// Keys only Compose accepts.
fn compose_key() -> impl Strategy<Value = String> {
    prop_oneof![
        key(),
        "[A-Za-z0-9_.\\-\\[\\]]{1,8}",
        Just("ÜBER".to_string())
    ]
}

fn unquoted_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_./:@+=,-]{0,12}",
        "[A-Za-z0-9]{1,5} [A-Za-z0-9 ]{0,8}[A-Za-z0-9]",
        "[a-z]{0,3}\\$[A-Z_]{1,4}[a-z]{0,3}",
        "(postgres://u:)?\\$\\{[A-Z]{1,3}(:-[a-z]{0,3}|-|:\\+x)?\\}(@db)?",
        "[a-z]{0,4}\\$\\$[a-z]{0,4}",
        "[a-z]{1,4}\t#[a-z]{0,3}",
    ]
}

fn single_quoted() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 $#\"\n{}:.-]{0,16}".prop_map(|s| format!("'{s}'"))
}

fn double_quoted() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[A-Za-z0-9 #'\n{}:.-]{1,6}",
            Just("\\n".to_string()),
            Just("\\t".to_string()),
            Just("\\\"".to_string()),
            Just("\\\\".to_string()),
            Just("\\$".to_string()),
            Just("$$".to_string()),
            "\\$\\{[A-Z]{1,3}(:-[a-z]{0,3})?\\}",
        ],
        0..5,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()))
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => unquoted_value(),
        2 => single_quoted(),
        2 => double_quoted(),
    ]
}

/// One statement or trivia line, without its line ending.
fn line() -> impl Strategy<Value = String> {
    let space = prop::sample::select(vec!["", " ", "  ", "\t"]);
    let sep = prop::sample::select(vec!["=", "=", "=", ": ", " = "]);
    let export = prop::sample::select(vec!["", "", "export ", "export\t"]);
    let comment = prop::sample::select(vec!["", "", " # note", " #", "  # x=1 'q'"]);
    prop_oneof![
        4 => (export, compose_key(), sep, value(), comment.clone(), space.clone()).prop_map(
            |(e, k, s, v, c, w)| {
                // An inline comment only follows an unquoted value when that value is not
                // empty (`K= # c` is the value `# c`, which is fine too).
                format!("{e}{k}{s}{v}{c}{w}")
            }
        ),
        1 => (space.clone(), "[ -~]{0,20}").prop_map(|(w, t)| format!("{w}# {t}")),
        1 => space.clone().prop_map(String::from),
        1 => (compose_key(), space).prop_map(|(k, w)| format!("{k}{w}")),
        1 => (key(), double_quoted(), key(), unquoted_value())
            .prop_map(|(k1, v1, k2, v2)| format!("{k1}={v1} {k2}={v2}")),
        1 => (key(), single_quoted(), comment).prop_map(|(k, v, c)| format!("{k}={v}{c}")),
    ]
}

/// A realistic document: lines joined by LF or CRLF, maybe a BOM, maybe no final newline.
fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..12),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(lines, crlf, bom, final_newline)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&lines.join(nl));
            if final_newline && !lines.is_empty() {
                text.push_str(nl);
            }
            text
        })
}

/// Text from the characters that matter to the scanner, in any order.
fn noise() -> impl Strategy<Value = String> {
    "[A-Za-z_=:#'\"\\\\ \t\r\n${}.\\-\u{a0}\u{feff}é]{0,60}"
}

fn map(doc: &Document) -> HashMap<String, String> {
    doc.to_map(&|_: &str| None).unwrap()
}

/// Values written by `set`: anything printable, with the characters that need quoting.
fn new_value() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        2 => "[ -~]{0,30}",
        2 => "[ -~\t\n]{0,30}",
        2 => "[\\$#'\"\\\\ \t\n{}:=a]{0,12}",
        1 => "[ -~\t\n\u{a0}-\u{2fff}]{0,20}",
        // Anything at all, control characters included (Compose must still read it back).
        1 => any::<String>(),
    ]
}

fn dotenvy_read(text: &str) -> Vec<Result<(String, String), String>> {
    dotenvy::from_read_iter(text.as_bytes())
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn realistic_documents_render_back_byte_for_byte(text in document()) {
        if let Ok(doc) = dotenv::parse(&text) {
            prop_assert_eq!(doc.render(), text);
        }
    }

    #[test]
    fn arbitrary_text_renders_back_byte_for_byte(text in prop_oneof![noise(), any::<String>()]) {
        if let Ok(doc) = dotenv::parse(&text) {
            prop_assert_eq!(doc.render(), text);
        }
    }

    #[test]
    fn set_then_read_gives_the_value(
        text in document(),
        k in key(),
        existing in prop::option::of(any::<prop::sample::Index>()),
        v in new_value(),
        after in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let Ok(mut doc) = dotenv::parse(&text) else { return Ok(()) };
        let Ok(before) = doc.to_map(&|_: &str| None) else { return Ok(()) };
        // Insert after one of the document's own keys (or at the end).
        let keys: Vec<String> = doc.keys().into_iter().map(String::from).collect();
        let after = after.filter(|_| !keys.is_empty()).map(|i| i.get(&keys).clone());
        // Half the time, rewrite a key the document already has (the empty key is not one
        // `set` can be asked for).
        let k = match existing {
            Some(i) if !keys.is_empty() && !i.get(&keys).is_empty() => i.get(&keys).clone(),
            _ => k,
        };
        // A new key must be portable; anything `set` refuses leaves the document unchanged.
        let unchanged = doc.render();
        if doc.set(&k, &v, after.as_deref()).is_err() {
            prop_assert_eq!(doc.render(), unchanged);
            prop_assert!(!before.contains_key(&k) && !dotenv::is_portable_key(&k));
            return Ok(());
        }
        let written = doc.render();
        let reread = dotenv::parse(&written)
            .map_err(|e| TestCaseError::fail(format!("{e} in {written:?}")))?;
        let got = reread
            .to_map(&|_: &str| None)
            .map_err(|e| TestCaseError::fail(format!("{e} in {written:?}")))?;
        prop_assert_eq!(got.get(&k), Some(&v), "written: {:?}", written);
        // Every other key keeps its value, unless it interpolates the key just set or is the
        // empty key of the last-line quirk (a bare name at EOF), which a new line ends.
        let interpolates_k = |name: &str| {
            doc.get(name).is_some_and(|e| e.references().iter().any(|r| r.name == k))
        };
        for (name, value) in &before {
            if *name != k && !name.is_empty() && !interpolates_k(name) {
                prop_assert_eq!(got.get(name), Some(value), "{} in {:?}", name, written);
            }
        }
        // Nothing else changed: the text outside the edited statement is as it was.
        if before.contains_key(&k) {
            prop_assert_eq!(reread.keys().len(), doc.keys().len());
        }
    }

    #[test]
    fn dotenvy_reads_what_set_writes(
        k in key(),
        v in new_value(),
        prefix in prop::sample::select(vec!["", "A=1\n", "# head\n\nB='x y'\n", "C=\"q\"\n"]),
        existing in prop::sample::select(vec![None, Some("old"), Some("'old'"), Some("\"old\"")]),
    ) {
        prop_assume!(is_portable(&v));
        // Keep clear of the prefix's own keys.
        let k = if ["A", "B", "C"].contains(&k.as_str()) { format!("{k}_NEW") } else { k };
        let text = match existing {
            Some(old) => format!("{prefix}{k}={old}\n"),
            None => prefix.to_string(),
        };
        let mut doc = dotenv::parse(&text).unwrap();
        doc.set(&k, &v, None).map_err(|e| TestCaseError::fail(format!("{e}: {k:?}")))?;
        let written = doc.render();
        // Compose's reading.
        let compose = map(&dotenv::parse(&written).unwrap());
        prop_assert_eq!(compose.get(&k), Some(&v));
        // dotenvy's reading.
        let read = dotenvy_read(&written);
        let ours: Vec<Result<(String, String), String>> = read
            .into_iter()
            .filter(|r| !matches!(r, Ok((key, _)) if key != &k))
            .collect();
        let want = vec![Ok((k.clone(), v.clone()))];
        prop_assert_eq!(ours, want, "written: {:?}", written);
    }
}

#[test]
fn portable_means_no_control_characters_but_newline_and_tab() {
    assert!(is_portable("a b\tc\nd $x #y 'q' \"z\" \\"));
    assert!(!is_portable("a\rb"));
    assert!(!is_portable("bell\u{7}"));
}
