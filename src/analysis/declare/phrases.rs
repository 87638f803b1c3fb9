//! Sentences in comments that declare something: "leave blank to disable" (optional),
//! "must be the same as `MYSQL_PASSWORD`" (a group).
/// Phrases that say a variable may stay empty.
const PHRASES: [&str; 20] = [
    "optional",
    "leave blank",
    "leave empty",
    "leave it blank",
    "leave it empty",
    "left blank",
    "left empty",
    "empty to disable",
    "blank to disable",
    "empty to use",
    "blank to use",
    "not required",
    "if you want",
    "if you need",
    "only needed",
    "only required",
    "if set",
    "if these are set",
    "if this is set",
    "when set",
];

/// Whether a comment says the variable may stay empty.
pub(super) fn says_optional(text: &str) -> bool {
    let t = text.to_lowercase();
    PHRASES.iter().any(|p| t.contains(p))
}

/// The phrases that say "optional" even about a whole block of entries (not the conditional
/// "if you want …", which a block intro uses for one of its entries).
pub(super) fn says_optional_strongly(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "optional",
        "leave blank",
        "leave empty",
        "leave it blank",
        "leave it empty",
        "not required",
    ]
    .iter()
    .any(|p| t.contains(p))
}

/// Variable names that a comment says must hold the same value as this one.
pub(super) fn same_as_mentions(text: &str, me: &str) -> Vec<String> {
    let t = text.to_lowercase();
    let says = [
        "same as",
        "same value",
        "match",
        "equal",
        "identical",
        "must be the same",
    ]
    .iter()
    .any(|p| t.contains(p));
    if !says {
        return Vec::new();
    }
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| {
            w.len() >= 3
                && w.contains('_')
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && *w != me
        })
        .map(str::to_string)
        .collect();
    out.dedup();
    out
}
