//! A template sample that describes itself: no placeholder pattern matches it, but its
//! comment says to change it, or it only spells out what the variable is.

use crate::analysis::facts::Var;

/// Words that fill out a sample value describing itself (`secret-erlang-cookie`).
const FILLER_WORDS: [&str; 24] = [
    "secret", "secrets", "key", "password", "pass", "pwd", "token", "my", "your", "the", "a",
    "value", "here", "some", "random", "string", "example", "sample", "default", "super", "very",
    "long", "strong", "unique",
];

/// Why the template's own sample is a placeholder although no pattern says so: its comment
/// tells the user to change it, or the value only spells out the variable's name.
pub(super) fn described_placeholder(var: &Var<'_>, value: &str) -> Option<String> {
    let from_template = var
        .example
        .as_ref()
        .or(var.live.as_ref())
        .and_then(|e| e.value.as_deref())
        == Some(value);
    // A random-looking value is never the template's description of itself, even where the
    // comment above it still says "change it" (after `fill`, with no example to compare). A
    // long value that still reads as words is no random value, whatever its length.
    // Checked in order of cost: the value's words are read only for a template sample.
    if !from_template {
        return None;
    }
    // A signed token (JWT) is never a description: its parts are base64 of JSON and a
    // signature, and reading them for words cost zxcvbn's whole dictionary build (85% of a
    // check of Supabase's template, whose two sample keys are JWTs).
    let shape = crate::analysis::shape::of(value);
    let random_looking = crate::analysis::strength::charset_bits(value) >= 128.0
        && (shape == crate::analysis::shape::Shape::Jwt
            || shape.kind().is_some()
            || !crate::analysis::strength::reads_as_words(value));
    if random_looking {
        return None;
    }
    let comment = var
        .declared
        .as_ref()
        .and_then(|d| d.description.as_deref())
        .unwrap_or("")
        .to_lowercase();
    if [
        "change it",
        "change this",
        "change me",
        "please change",
        "must be changed",
        "should be changed",
        "needs to be changed",
        "need to be changed",
        "has to be changed",
        "replace this",
        "replace it",
        "unpredictable",
    ]
    .iter()
    .any(|p| comment.contains(p))
    {
        return Some("is the template's sample, which its comment says to change".to_string());
    }
    // The comment asks for a random value (or says how to make one) and the sample is words.
    let asks_random =
        comment.contains("random") || var.declared.as_ref().is_some_and(|d| d.recipe.is_some());
    if asks_random && crate::analysis::strength::reads_as_words(value) {
        return Some("is a readable sample where its comment asks for a random value".to_string());
    }
    let name_words: Vec<String> = crate::analysis::knowledge::name_words(&var.name)
        .map(|w| w.to_lowercase())
        .collect();
    let words: Vec<String> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (words.len() >= 2
        && words
            .iter()
            .all(|w| FILLER_WORDS.contains(&w.as_str()) || name_words.contains(w)))
    .then(|| "only spells out what it is, like a placeholder".to_string())
}
