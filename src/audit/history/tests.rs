//! History scanner tests on hand-written `git log` output.

#![allow(clippy::unwrap_used)]

use super::*;

const VALUE: &str = "Zr4-qW9xLp2mN7vB";

fn knowledge() -> Knowledge {
    Knowledge::builtin().unwrap()
}

fn scan(needles: &Needles, log: &str) -> Scan {
    let mut s = Scanner::new(needles);
    for line in log.split_inclusive('\n') {
        s.line(line.as_bytes());
    }
    s.finish()
}

fn needles_for(variable: &'static str, value: &'static str) -> Needles {
    Needles::build(
        &[Sought {
            variable,
            value,
            origin: Origin::Live,
        }],
        &knowledge(),
    )
}

fn log_with(added: &str) -> String {
    format!(
        "\u{1}aaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbb 1700000000\n\n\
         diff --git a/.env b/.env\nnew file mode 100644\nindex 0000000..1111111\n\
         --- /dev/null\n+++ b/.env\n@@ -0,0 +1,2 @@\n{added}\n\
         \u{1}cccccccccccc0000000000000000000000000000 1690000000\n\n\
         diff --git a/README b/README\n--- a/README\n+++ b/README\n@@ -1 +1 @@\n-old\n+new\n"
    )
}

#[test]
fn a_committed_value_names_commit_path_and_variable() {
    let needles = needles_for("DB_PASSWORD", VALUE);
    let s = scan(
        &needles,
        &log_with(&format!("+DB_PASSWORD={VALUE}\n+OTHER=1")),
    );
    assert_eq!(s.commits, 2);
    assert_eq!(s.hits.len(), 1);
    let hit = &s.hits[0];
    assert_eq!(hit.commit, "aaaaaaaaaaaa");
    assert_eq!(hit.path, ".env");
    assert_eq!(hit.variable, "DB_PASSWORD");
    assert_eq!(hit.encoding, Encoding::Raw);
    assert_eq!(hit.time.as_second(), 1_700_000_000);
    assert!(!format!("{hit:?}{needles:?}").contains(VALUE));
}

#[test]
fn base64_at_any_alignment_and_url_encoding_are_found() {
    let k = knowledge();
    let value = "p@ss/word:with?chars";
    let sought = [Sought {
        variable: "API_TOKEN",
        value,
        origin: Origin::Backup(Timestamp::UNIX_EPOCH),
    }];
    let needles = Needles::build(&sought, &k);
    let b64 = base64::engine::general_purpose::STANDARD;
    for prefix in ["", "x", "xy"] {
        let blob = b64.encode(format!("{prefix}{value}tail"));
        let s = scan(&needles, &log_with(&format!("+  data: {blob}")));
        assert_eq!(s.hits.len(), 1, "alignment {}", prefix.len());
        assert_eq!(s.hits[0].encoding, Encoding::Base64);
    }
    let url = "+url: postgres://u:p%40ss%2Fword%3Awith%3Fchars@db/x";
    let s = scan(&needles, &log_with(url));
    assert_eq!(s.hits[0].encoding, Encoding::Url);
    let lower = "+url: postgres://u:p%40ss%2fword%3awith%3fchars@db/x";
    assert_eq!(scan(&needles, &log_with(lower)).hits.len(), 1);
}

#[test]
fn removed_lines_and_context_do_not_count() {
    let needles = needles_for("DB_PASSWORD", VALUE);
    let s = scan(
        &needles,
        &log_with(&format!("-DB_PASSWORD={VALUE}\n {VALUE}")),
    );
    assert!(s.hits.is_empty());
}

#[test]
fn short_and_common_values_are_skipped_by_name() {
    let k = knowledge();
    let needles = Needles::build(
        &[
            Sought {
                variable: "SHORT_PASSWORD",
                value: "abc123",
                origin: Origin::Live,
            },
            Sought {
                variable: "PH_PASSWORD",
                value: "change_me_in_production",
                origin: Origin::Live,
            },
        ],
        &k,
    );
    assert!(needles.is_empty());
    assert_eq!(needles.skipped.len(), 2);
    assert_eq!(
        needles.skipped[0],
        ("SHORT_PASSWORD".to_string(), "shorter than 8 characters")
    );
}

#[test]
fn multi_line_values_are_found_line_by_line() {
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
    let needles = needles_for("TLS_PRIVATE_KEY", pem);
    let s = scan(&needles, &log_with("+MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    assert_eq!(s.hits.len(), 1);
}

#[test]
fn quoted_paths_are_decoded() {
    assert_eq!(unquote("\"b/sp\\303\\251cial .env\""), "spécial .env");
    assert_eq!(unquote("\"b/a\\\"b\""), "a\"b");
}
