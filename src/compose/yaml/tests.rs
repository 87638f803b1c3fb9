//! The YAML reader on the shapes Compose files take, and on hostile ones.

#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;

use super::*;
use crate::position::Position;

#[test]
fn merge_keys_and_positions() {
    let src = "x: &base\n  A: 1\n  B: two\ny:\n  <<: *base\n  B: three\n";
    let root = parse(src).unwrap();
    let y = root.get("y").unwrap();
    let keys: Vec<_> = y.entries().iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(keys, ["B", "A"]);
    assert_eq!(y.get("B").unwrap().as_str(), Some("three"));
    assert_eq!(
        y.get("B").unwrap().position,
        Position { line: 6, column: 6 }
    );
}

#[test]
fn alias_bombs_are_refused() {
    use std::fmt::Write;
    let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let prev = (b'a' + i - 1) as char;
        let cur = (b'a' + i) as char;
        let refs = vec![format!("*{prev}"); 10].join(", ");
        writeln!(src, "{cur}: &{cur} [{refs}]").unwrap();
    }
    let start = std::time::Instant::now();
    let err = parse(&src).unwrap_err();
    assert!(err.message.contains("alias expansion"), "{err:?}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn flow_sequence_closed_at_the_parent_indentation() {
    // Compose (go-yaml) reads this healthcheck; saphyr refused it ("invalid indentation").
    let src = "services:\n  db:\n    healthcheck:\n      test: [\n        \"CMD\", \"pg_isready\",   # comment inside\n        \"-U\", \"postgres\"\n      ]\n";
    let root = parse(src).unwrap();
    let test = root
        .get("services")
        .and_then(|s| s.get("db"))
        .and_then(|d| d.get("healthcheck"))
        .and_then(|h| h.get("test"))
        .unwrap();
    let items: Vec<_> = test.items().iter().filter_map(Node::as_str).collect();
    assert_eq!(items, ["CMD", "pg_isready", "-U", "postgres"]);
    assert_eq!(test.items()[2].position, Position { line: 6, column: 9 });
}

#[test]
fn comments_and_line_breaks_inside_flow_mappings() {
    let src = "x: {\n  a: 1,   # one\n  b: \"two\"\n  }\ny: [a, # c\n  b]\n";
    let root = parse(src).unwrap();
    assert_eq!(
        root.get("x").unwrap().get("b").unwrap().as_str(),
        Some("two")
    );
    assert_eq!(root.get("y").unwrap().items().len(), 2);
}

#[test]
fn tabs_where_yaml_allows_them() {
    // Tabs separate a value from its key and may follow content; they may not indent.
    let root = parse("a:\tb\t# c\nc: \"x\ty\"\n").unwrap();
    assert_eq!(root.get("a").unwrap().as_str(), Some("b"));
    assert_eq!(root.get("c").unwrap().as_str(), Some("x\ty"));
    assert!(parse("a:\n\tb: c\n").is_err());
}

#[test]
fn duplicate_and_non_string_keys_are_refused_as_compose_does() {
    let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert_eq!(err.position, Position { line: 3, column: 1 });
    assert!(err.message.contains("line 1"), "{}", err.message);
    assert!(parse("1: x\n").is_err());
    assert!(parse("? [a]\n: x\n").is_err());
    // Merged keys do not clash with explicit ones.
    assert!(parse("x: &x {a: 1}\ny:\n  <<: *x\n  a: 2\n").is_ok());
}

#[test]
fn scalars_resolve_as_go_yaml_does() {
    let root = parse("a: yes\nb: 0x1F\nc: 0755\nd: 1.10\ne: ~\nf: '1'\ng: 1_000\n").unwrap();
    let kind = |k: &str| match &root.get(k).unwrap().kind {
        Kind::Str(s) => format!("str {s}"),
        Kind::Other(s) => format!("other {s}"),
        Kind::Null => "null".to_string(),
        _ => "collection".to_string(),
    };
    assert_eq!(kind("a"), "str yes");
    assert_eq!(kind("b"), "other 31");
    assert_eq!(kind("c"), "other 493");
    assert_eq!(kind("d"), "other 1.1");
    assert_eq!(kind("e"), "null");
    assert_eq!(kind("f"), "str 1");
    assert_eq!(kind("g"), "other 1000");
}

#[test]
fn spans_are_bytes_and_columns_are_characters() {
    let src = "é: \"ü ${X}\"\n";
    let root = parse(src).unwrap();
    let (_, key_pos, value) = &root.entries()[0];
    assert_eq!(*key_pos, Position { line: 1, column: 1 });
    assert_eq!(value.position, Position { line: 1, column: 4 });
    assert_eq!(&src[value.span.clone()], "\"ü ${X}\"");
    let with_bom = format!("\u{feff}{src}");
    let value = &parse(&with_bom).unwrap().entries()[0].2.clone();
    assert_eq!(&with_bom[value.span.clone()], "\"ü ${X}\"");
}

#[test]
fn block_scalar_at_the_end_of_a_file_without_a_line_break() {
    // libyaml-safer 0.3 panicked here (exit 101); the value is libyaml's.
    let value = |src: &str| {
        parse(src)
            .unwrap()
            .get("a")
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(value("a: |\n  echo hi"), "echo hi");
    assert_eq!(value("a: |\n  echo hi\n"), "echo hi\n");
    assert_eq!(value("a: |+\n  x"), "x");
    assert_eq!(value("a: >-\n  x\n  y"), "x y");
    assert_eq!(value("a: |\n  x\n  "), "x\n");
}

#[test]
fn documents_are_all_read() {
    let docs = parse_documents("a: 1\n---\nb: 2\n").unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].get("b").unwrap().position.line, 3);
    assert!(parse_documents("").unwrap().is_empty());
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let src = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let err = parse(&src).unwrap_err();
    assert!(err.message.contains("nested"), "{err:?}");
}

#[test]
fn a_parser_panic_is_a_located_error() {
    // libyaml-safer 0.3 panics ("TODO") on a tag right before `,` in a flow collection.
    let err = parse("services:\n  app:\n    command: [!reset, b]\n").unwrap_err();
    assert_eq!(err.position.line, 4 - 1);
    assert!(err.message.contains("cannot read"), "{err:?}");
}

/// Small mappings are checked pairwise and large ones with a table: both blame the second
/// time a key is written and name the line of the first.
#[test]
fn a_key_written_twice_is_blamed_at_its_second_writing_in_any_mapping_size() {
    for size in [3, 16, 17, 40] {
        let mut text = String::new();
        for i in 0..size {
            writeln!(text, "k{i}: {i}").unwrap();
        }
        text.push_str("k1: again\nk1: thrice\n");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.position.line, size + 1, "{size}");
        assert_eq!(
            err.message, "mapping key already defined at line 2",
            "{size}"
        );
    }
}
