//! What a template says about its variables beyond their values.
//!
//! Templates carry knowledge in their comments: envward's own `# envward: secret hex:32`
//! annotation, the decorators env-schema tools use (varlock's `# @sensitive`, `@required`,
//! `@optional`, `@type=…`), sentences ("leave blank to disable", "must be the same as
//! `MYSQL_PASSWORD`"), generation recipes (`openssl rand -hex 32`, `php artisan
//! key:generate`), section headings, and commented-out lines that document a variable
//! without setting it (`# UID=1000`). This module reads them from a parsed document into
//! plain data; it judges nothing.

use std::collections::{HashMap, HashSet};

use super::Class;
use crate::dotenv::{Document, Item};
use crate::generate::Kind;

/// What the template declares about one variable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declared {
    /// The comment lines right above the entry (and its inline comment), without `#`.
    pub description: Option<String>,
    /// The section heading the entry sits under.
    pub section: Option<String>,
    /// Class from `# envward:` or `@sensitive`/`@type`.
    pub class: Option<Class>,
    /// Kind from `# envward:`.
    pub kind: Option<Kind>,
    /// `@required` / `@optional`, or a comment saying it may stay empty.
    pub required: Option<bool>,
    /// Variables a comment says must hold the same value.
    pub same_as: Vec<String>,
    /// The kind a generation recipe in its own comment asks for.
    pub recipe: Option<Kind>,
    /// The kind a recipe in the comment above its run of entries asks for ("generate each
    /// with `rake secret`"): weaker than its own comment and than a name the templates know.
    pub block_recipe: Option<Kind>,
    /// What declared the class (for "classified by").
    pub by: Option<&'static str>,
    /// The introduction of its section says the section is only needed for another setup
    /// (`These are only required for configuring PostgreSQL`): an empty value there is
    /// the default setup, not a gap.
    pub section_conditional: bool,
}

/// Everything a template declares.
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    /// Per variable, in no particular order.
    pub vars: HashMap<String, Declared>,
    /// Keys that appear only on commented-out lines (`# UID=1000`): documented, not set.
    pub commented: HashSet<String>,
}

impl Declarations {
    /// What is declared about `name`.
    pub fn get(&self, name: &str) -> Option<&Declared> {
        self.vars.get(name)
    }

    /// Whether `name` is documented: an entry or a commented-out line.
    pub fn documents(&self, name: &str) -> bool {
        self.vars.contains_key(name) || self.commented.contains(name)
    }
}

/// One statement with the comment text attached to it.
struct Attached<'a> {
    key: &'a str,
    /// Comment lines right above (no blank line between).
    above: Vec<String>,
    /// The comment block above the run of entries this one belongs to.
    block: Vec<String>,
    inline: Option<String>,
}

/// Reads the declarations of `doc`.
pub fn read(doc: &Document) -> Declarations {
    let mut out = Declarations::default();
    let attached = attach(doc);
    let headings = sections(doc);
    let conditional = conditional_sections(doc);
    let defaults = file_defaults(doc);
    for a in &attached {
        let mut d = Declared {
            section: headings.get(a.key).cloned(),
            section_conditional: conditional.contains(a.key),
            ..Declared::default()
        };
        let mut own: Vec<&str> = a.above.iter().map(String::as_str).collect();
        if let Some(i) = &a.inline {
            own.push(i);
        }
        if !own.is_empty() {
            d.description = Some(
                own.iter()
                    .filter(|l| !l.trim_start().starts_with("envward:") && !l.contains('@'))
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .filter(|s| !s.trim().is_empty());
        }
        annotation(&own, &mut d);
        decorators(&own, &defaults, &mut d);
        let block: Vec<&str> = a.block.iter().map(String::as_str).collect();
        let text = own.join(" ");
        let block_text = block.join(" ");
        if d.required.is_none() && (says_optional(&text) || says_optional_strongly(&block_text)) {
            d.required = Some(false);
        }
        if d.required.is_none() && own.first().is_some_and(|l| says_required(l)) {
            d.required = Some(true);
        }
        d.same_as = same_as_mentions(&text, a.key);
        d.recipe = recipe(&text);
        d.block_recipe = recipe(&block_text);
        out.vars.entry(a.key.to_string()).or_insert(d);
    }
    for item in doc.items() {
        if let Item::Trivia(t) = item {
            for line in t.lines() {
                if let Some(key) = commented_key(line) {
                    out.commented.insert(key);
                }
            }
        }
    }
    out
}

/// The comment lines of trivia, stripped of `#` and surrounding space; a blank line resets.
fn comment_lines(trivia: &str) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut blank = false;
    for l in trivia.lines() {
        let t = l.trim();
        if t.is_empty() {
            lines.clear();
            blank = true;
        } else if let Some(c) = t.strip_prefix('#') {
            // A commented-out assignment is documentation of that key, not prose.
            if commented_key(l).is_none() {
                lines.push(c.trim().to_string());
            }
        }
    }
    (lines, blank)
}

fn attach(doc: &Document) -> Vec<Attached<'_>> {
    let mut out: Vec<Attached<'_>> = Vec::new();
    let mut above: Vec<String> = Vec::new();
    let mut block: Vec<String> = Vec::new();
    let mut in_run = false;
    let items = doc.items();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Trivia(t) => {
                // The trivia right after an entry starts with the rest of its line: a quoted
                // value's inline comment lives there.
                let (first, rest) = t.split_once('\n').unwrap_or((t, ""));
                if i > 0
                    && let Some(prev) = out.last_mut()
                    && prev.inline.is_none()
                    && let Some(c) = first.trim().strip_prefix('#')
                {
                    prev.inline = Some(c.trim().to_string());
                }
                let body = if i > 0 { rest } else { t.as_str() };
                let (lines, blank) = comment_lines(body);
                let ends_blank = t.ends_with("\n\n") || t.ends_with("\r\n\r\n");
                if blank || !lines.is_empty() || ends_blank {
                    in_run = false;
                }
                above = if ends_blank { Vec::new() } else { lines };
            }
            Item::Entry(e) => {
                if !in_run {
                    block.clone_from(&above);
                    in_run = true;
                }
                let inline = inline_comment(e.text(), e.raw_value());
                out.push(Attached {
                    key: e.key(),
                    above: std::mem::take(&mut above),
                    block: block.clone(),
                    inline,
                });
            }
        }
    }
    out
}

/// The ` # comment` after an unquoted value (quoted values' comments sit in the trivia).
fn inline_comment(text: &str, raw: &str) -> Option<String> {
    let start = text.find(raw).map(|i| i + raw.len())?;
    let rest = text.get(start..)?;
    let at = rest.find('#')?;
    rest[..at]
        .chars()
        .all(char::is_whitespace)
        .then(|| rest[at + 1..].trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `# KEY=value`, `#KEY=`, `# export KEY=value`: the key, when the line is a commented-out
/// assignment.
pub fn commented_key(line: &str) -> Option<String> {
    let t = line.trim_start().strip_prefix('#')?.trim_start();
    let t = t.strip_prefix("export ").unwrap_or(t);
    let key: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    let after = t[key.len()..].trim_start();
    let first_ok = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    // Prose such as "# Note: …" is not an assignment: keys in templates are written in capitals.
    let shouting =
        key.chars().any(|c| c.is_ascii_uppercase()) && !key.chars().any(|c| c.is_ascii_lowercase());
    (first_ok
        && shouting
        && (after.starts_with('=') || after.starts_with(": "))
        && !after.starts_with("=="))
    .then_some(key)
}

/// Section headings: the last comment line of a block that follows a blank line, applied to
/// every entry until the next heading.
fn sections(doc: &Document) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut current: Option<String> = None;
    for item in doc.items() {
        match item {
            Item::Trivia(t) => {
                let lines: Vec<&str> = t.lines().collect();
                let blank_before = lines.iter().any(|l| l.trim().is_empty());
                let heading = lines
                    .iter()
                    .filter(|l| commented_key(l).is_none())
                    .filter_map(|l| l.trim().strip_prefix('#'))
                    .map(|l| {
                        l.trim_matches(|c: char| {
                            c == '#' || c == '-' || c == '=' || c == '*' || c.is_whitespace()
                        })
                    })
                    .rfind(|l| {
                        l.chars().any(char::is_alphanumeric)
                            && !l.starts_with("envward:")
                            && !l.starts_with('@')
                    });
                if let Some(h) = heading
                    && (blank_before || current.is_none())
                {
                    current = Some(h.to_string());
                }
            }
            Item::Entry(e) => {
                if let Some(s) = &current {
                    out.entry(e.key().to_string()).or_insert_with(|| s.clone());
                }
            }
        }
    }
    out
}

/// `# envward: secret hex:32` among the lines.
fn annotation(lines: &[&str], d: &mut Declared) {
    for l in lines {
        let Some(words) = l.trim().strip_prefix("envward:") else {
            continue;
        };
        for w in words.split_whitespace() {
            match w {
                "secret" => d.class = Some(Class::Secret),
                "external" => d.class = Some(Class::External),
                "config" => d.class = Some(Class::Config),
                "optional" => d.required = Some(false),
                "required" => d.required = Some(true),
                other => {
                    if let Ok(k) = other.parse() {
                        d.kind = Some(k);
                    }
                }
            }
        }
        d.by = Some("annotation in the example file");
    }
}

/// File-wide varlock defaults (`@defaultSensitive`, `@defaultRequired`), from the header.
#[derive(Debug, Default)]
struct FileDefaults {
    sensitive: Option<bool>,
    required: Option<bool>,
}

fn file_defaults(doc: &Document) -> FileDefaults {
    let mut out = FileDefaults::default();
    let Some(Item::Trivia(head)) = doc.items().first() else {
        return out;
    };
    for (name, value) in head.lines().flat_map(decorator_words) {
        match (name.as_str(), value.as_deref()) {
            ("defaultSensitive", v) => out.sensitive = Some(v != Some("false")),
            ("defaultRequired", Some("true")) => out.required = Some(true),
            ("defaultRequired", Some("false")) => out.required = Some(false),
            _ => {}
        }
    }
    out
}

/// The `@name` and `@name=value` words of a comment line.
fn decorator_words(line: &str) -> Vec<(String, Option<String>)> {
    let Some(c) = line.trim_start().strip_prefix('#') else {
        return Vec::new();
    };
    decorators_in(c)
}

fn decorators_in(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let Some(d) = word.strip_prefix('@') else {
            continue;
        };
        let (name, value) = match d.split_once('=') {
            Some((n, v)) => (n, Some(v.trim_matches(['"', '\'']).to_string())),
            None => (d, None),
        };
        if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
            out.push((name.to_string(), value));
        }
    }
    out
}

/// varlock's item decorators: `@sensitive`, `@required`, `@optional`, `@type=…`.
fn decorators(lines: &[&str], defaults: &FileDefaults, d: &mut Declared) {
    let mut sensitive = None;
    for l in lines {
        for (name, value) in decorators_in(l) {
            match (name.as_str(), value.as_deref()) {
                ("sensitive", v) => sensitive = Some(v != Some("false")),
                ("required", v) => d.required = Some(v != Some("false")),
                ("optional", v) => d.required = Some(v == Some("false")),
                ("type", Some(t)) => {
                    let base = t.split('(').next().unwrap_or(t);
                    if matches!(
                        base,
                        "boolean" | "number" | "port" | "url" | "email" | "enum" | "ip" | "semver"
                    ) {
                        d.class = Some(Class::Config);
                        d.by = Some("@type in the example file");
                    }
                }
                _ => {}
            }
        }
    }
    if d.required.is_none() {
        d.required = defaults.required;
    }
    match sensitive.or(if d.class.is_none() {
        defaults.sensitive
    } else {
        None
    }) {
        Some(true) if d.class != Some(Class::External) => {
            d.class = Some(Class::Secret);
            d.by = Some("@sensitive in the example file");
        }
        Some(false) => {
            d.class = Some(Class::Config);
            d.by = Some("@sensitive=false in the example file");
        }
        _ => {}
    }
}

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

/// Whether a comment opens by declaring its variable required (`# Required - A passphrase to
/// encrypt JWT`, `# REQUIRED: …`), without a condition (`# Required if you use S3`). Templates
/// that mark every entry `Optional -` or `Required -` say so for values the app reads itself.
fn says_required(line: &str) -> bool {
    let t = line.trim().to_lowercase();
    let Some(rest) = t.strip_prefix("required") else {
        return false;
    };
    if rest.starts_with(|c: char| c.is_alphanumeric()) {
        return false;
    }
    let next = rest
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | ':' | '.' | ')' | '!' | '—' | '–')
        })
        .split_whitespace()
        .next()
        .unwrap_or("");
    !matches!(
        next,
        "if" | "when" | "for" | "only" | "unless" | "with" | "by" | "in" | "on"
    )
}

/// Whether a comment says the variable may stay empty.
fn says_optional(text: &str) -> bool {
    let t = text.to_lowercase();
    PHRASES.iter().any(|p| t.contains(p))
}

/// The phrases that say "optional" even about a whole block of entries (not the conditional
/// "if you want …", which a block intro uses for one of its entries; a plural "if these are
/// set" speaks of the whole block).
fn says_optional_strongly(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "optional",
        "leave blank",
        "leave empty",
        "leave it blank",
        "leave it empty",
        "not required",
        "if these are set",
    ]
    .iter()
    .any(|p| t.contains(p))
}

/// The keys of sections whose introduction says they are only for another setup. A section
/// starts where a blank line separates two entries; its introduction is every comment line
/// of that gap (`# Database settings`, `# These are only required for PostgreSQL`, a blank
/// line, then the first entry's own comment). Comments right above later entries of the
/// section, with no blank line, keep it going.
fn conditional_sections(doc: &Document) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut gap: Vec<&str> = Vec::new();
    let mut after_entry = false;
    let mut conditional = false;
    for item in doc.items() {
        match item {
            Item::Trivia(t) => {
                let mut lines = t.lines();
                // Trivia right after an entry starts with the rest of that entry's line.
                if after_entry {
                    lines.next();
                    after_entry = false;
                }
                gap.extend(lines);
            }
            Item::Entry(e) => {
                if gap.iter().any(|l| l.trim().is_empty()) {
                    let intro: Vec<&str> = gap
                        .iter()
                        .filter(|l| commented_key(l).is_none())
                        .filter_map(|l| l.trim().strip_prefix('#'))
                        .collect();
                    conditional = says_section_is_conditional(&intro.join(" "));
                }
                if conditional {
                    out.insert(e.key().to_string());
                }
                gap.clear();
                after_entry = true;
            }
        }
    }
    out
}

/// Whether a section's introduction says its settings only matter for a setup other than
/// the default one (`only required for configuring PostgreSQL`, `not relevant if using the
/// default SQLite`, `Only if you use external Redis`).
fn says_section_is_conditional(text: &str) -> bool {
    let t = text.to_lowercase();
    says_optional_strongly(&t)
        || [
            "only required for",
            "only required if",
            "only needed for",
            "only needed if",
            "only if you use",
            "only if using",
            "only when using",
            "not relevant if",
            "not needed if",
            "don't need to configure",
            "do not need to configure",
        ]
        .iter()
        .any(|p| t.contains(p))
}

/// Variable names that a comment says must hold the same value as this one.
fn same_as_mentions(text: &str, me: &str) -> Vec<String> {
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

/// The kind a generation recipe or format note in a comment (or in a placeholder that
/// describes itself, `<KEY_MUST_BE_32_LONG>`) asks for.
pub fn recipe(text: &str) -> Option<Kind> {
    recipe_in(&text.to_lowercase()).or_else(|| {
        let spaced: String = text
            .to_lowercase()
            .chars()
            .map(|c| {
                if matches!(c, '_' | '-' | '<' | '>') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        recipe_in(&spaced)
    })
}

fn recipe_in(t: &str) -> Option<Kind> {
    let number_after = |pat: &str| -> Option<usize> {
        let at = t.find(pat)? + pat.len();
        let digits: String = t[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok().filter(|n| (1..=512).contains(n))
    };
    if let Some(n) = number_after("openssl rand -hex") {
        return Some(Kind::Hex(n));
    }
    if let Some(n) = number_after("openssl rand -base64") {
        return Some(Kind::Base64(n));
    }
    if let Some(n) = number_after("token_hex(") {
        return Some(Kind::Hex(n));
    }
    if let Some(n) = number_after("randombytes(")
        && t.contains("'hex'")
    {
        return Some(Kind::Hex(n));
    }
    if t.contains("artisan key:generate") {
        return Some(Kind::Laravel);
    }
    if t.contains("fernet") {
        return Some(Kind::Fernet);
    }
    if t.contains("rake secret") || t.contains("rails secret") {
        return Some(Kind::Hex(64));
    }
    if t.contains("phx.gen.secret") {
        return Some(Kind::Token(64));
    }
    if [
        "uuidgen",
        "uuid4",
        "uuid v4",
        "uuidv4",
        "a uuid",
        "valid uuid",
    ]
    .iter()
    .any(|p| t.contains(p))
    {
        return Some(Kind::Uuid);
    }
    // `… | md5sum` prints 32 hex digits, `sha256sum` 64, `sha1sum` 40.
    for (tool, bytes) in [
        ("md5sum", 16),
        ("sha256sum", 32),
        ("sha1sum", 20),
        ("sha512sum", 64),
    ] {
        if t.contains(tool) {
            return Some(Kind::Hex(bytes));
        }
    }
    if let Some(n) = number_after("pwgen -s").or_else(|| number_after("pwgen")) {
        return Some(Kind::Token(n));
    }
    if let Some(n) = hex_length_note(t) {
        return Some(Kind::Hex(n / 2));
    }
    if let Some(n) = exact_length_note(t) {
        return Some(Kind::Token(n));
    }
    None
}

/// "64 hex characters", "64-character hex", "hex-64": a length in hex digits.
fn hex_length_note(t: &str) -> Option<usize> {
    let t = &t.replace("hexadecimal", "hex");
    let words: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Ok(n) = w.parse::<usize>() else { continue };
        if !(16..=256).contains(&n) || n % 2 != 0 {
            continue;
        }
        let next = words.get(i + 1).copied().unwrap_or("");
        let after = words.get(i + 2).copied().unwrap_or("");
        let before = if i > 0 { words[i - 1] } else { "" };
        let chars = |x: &str| x.starts_with("char") || x == "digits";
        if next == "hex" && (chars(after) || after.is_empty() || after == "string")
            || chars(next) && after == "hex"
            || before == "hex"
        {
            return Some(n);
        }
    }
    None
}

/// "must be 32 characters", "exactly 32 chars", "at least 64 characters", "32 chars min": a
/// required length.
fn exact_length_note(t: &str) -> Option<usize> {
    let words: Vec<&str> = t.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if let Ok(n) = w.parse::<usize>()
            && (8..=512).contains(&n)
            && words.get(i + 1).is_some_and(|x| x.starts_with("char"))
            && words.get(i + 2).is_some_and(|x| x.starts_with("min"))
        {
            return Some(n);
        }
    }
    for marker in [
        "must be ",
        "exactly ",
        "should be ",
        "at least ",
        "minimum of ",
        "min ",
    ] {
        let mut from = 0;
        while let Some(at) = t[from..].find(marker) {
            let start = from + at + marker.len();
            let rest = &t[start..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = rest[digits.len()..].trim_start();
            if let Ok(n) = digits.parse::<usize>()
                && (8..=512).contains(&n)
                && (after.starts_with("char") || after.starts_with("long"))
            {
                return Some(n);
            }
            from = start;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotenv::parse_recovering;

    fn read_str(text: &str) -> Declarations {
        read(&parse_recovering(text).0)
    }

    #[test]
    fn commented_out_lines_document_keys() {
        let d =
            read_str("# UID=1000\n#PUBLIC_URL=https://x\n# Note: see docs\n# export A_B=1\nX=1\n");
        assert!(d.documents("UID") && d.documents("PUBLIC_URL") && d.documents("A_B"));
        assert!(!d.documents("Note"));
        assert!(d.documents("X"));
    }

    #[test]
    fn optional_comments_and_blocks() {
        let d = read_str(
            "# Optional: S3 storage, leave empty to use the disk\nS3_KEY=\nS3_SECRET=\n\nDB_PASSWORD=\n",
        );
        assert_eq!(d.get("S3_KEY").unwrap().required, Some(false));
        assert_eq!(
            d.get("S3_SECRET").unwrap().required,
            Some(false),
            "same block"
        );
        assert_eq!(d.get("DB_PASSWORD").unwrap().required, None);
        let d = read_str(
            "# An admin user is created if these are set\nADMIN_EMAIL=\nADMIN_PASSWORD=\n",
        );
        assert_eq!(
            d.get("ADMIN_PASSWORD").unwrap().required,
            Some(false),
            "a plural condition covers the block"
        );
    }

    #[test]
    fn a_comment_opening_with_required_declares_it() {
        let d = read_str(
            "# Required - A passphrase to encrypt JWT. Use a random long string\nJWT_SECRET=\n# Required if you use S3\nS3_KEY=\n# Requirements: none\nOTHER=\n",
        );
        assert_eq!(d.get("JWT_SECRET").unwrap().required, Some(true));
        assert_eq!(d.get("S3_KEY").unwrap().required, None);
        assert_eq!(d.get("OTHER").unwrap().required, None);
    }

    #[test]
    fn a_section_for_another_setup_is_conditional() {
        let d = read_str(
            "SECRET=\n\n# Database settings\n# These are only required for configuring PostgreSQL.\n# By default SQLite is used.\n\n# Database engine\nDB_ENGINE=\n# Password\nDB_PASSWORD=\n\n# Mail\nMAIL_PASSWORD=\n",
        );
        assert!(d.get("DB_ENGINE").unwrap().section_conditional);
        assert!(
            d.get("DB_PASSWORD").unwrap().section_conditional,
            "same section"
        );
        assert!(!d.get("SECRET").unwrap().section_conditional);
        assert!(
            !d.get("MAIL_PASSWORD").unwrap().section_conditional,
            "next section"
        );
    }

    #[test]
    fn same_as_from_comments() {
        let d = read_str("# must be the same as MYSQL_PASSWORD\nDB_PASSWORD=x\nMYSQL_PASSWORD=x\n");
        assert_eq!(
            d.get("DB_PASSWORD").unwrap().same_as,
            vec!["MYSQL_PASSWORD"]
        );
        assert!(d.get("MYSQL_PASSWORD").unwrap().same_as.is_empty());
    }

    #[test]
    fn recipes_choose_kinds() {
        for (text, kind) in [
            ("generate with `openssl rand -hex 32`", Kind::Hex(32)),
            ("openssl rand -base64 48", Kind::Base64(48)),
            ("run php artisan key:generate", Kind::Laravel),
            ("use `bundle exec rake secret`", Kind::Hex(64)),
            ("a Fernet key", Kind::Fernet),
            (
                "python -c 'import secrets; print(secrets.token_hex(16))'",
                Kind::Hex(16),
            ),
            ("must be 64 hex characters", Kind::Hex(32)),
            ("your-secret-key-base-hex-64", Kind::Hex(32)),
            ("must be 32 characters long", Kind::Token(32)),
            ("<ENCRYPTION_KEY_MUST_BE_32_LONG>", Kind::Token(32)),
            ("your-encryption-key-32-chars-min", Kind::Token(32)),
            ("at least 64 characters", Kind::Token(64)),
            (
                "choose a random string, for example with `dd if=/dev/urandom bs=1K count=1 | md5sum`",
                Kind::Hex(16),
            ),
            ("ChangeMe_UUIDv4", Kind::Uuid),
        ] {
            assert_eq!(recipe(text), Some(kind), "{text}");
        }
        assert_eq!(recipe("the database password"), None);
    }

    #[test]
    fn recipes_apply_to_the_run_below_a_block() {
        let d = read_str(
            "# Generate each with `rake secret`\nSECRET_KEY_BASE=\nOTP_SECRET=\n\nOTHER=\n",
        );
        assert_eq!(
            d.get("OTP_SECRET").unwrap().block_recipe,
            Some(Kind::Hex(64))
        );
        assert_eq!(d.get("OTHER").unwrap().block_recipe, None);
    }

    #[test]
    fn varlock_decorators() {
        let d = read_str(
            "# @defaultSensitive=false\n# ---\n\n# @sensitive @required\nAPI=\n# @type=port\nPORT=1\n# @optional\nHOOK=\nPLAIN=1\n",
        );
        assert_eq!(d.get("API").unwrap().class, Some(Class::Secret));
        assert_eq!(d.get("API").unwrap().required, Some(true));
        assert_eq!(d.get("PORT").unwrap().class, Some(Class::Config));
        assert_eq!(d.get("HOOK").unwrap().required, Some(false));
        assert_eq!(
            d.get("PLAIN").unwrap().class,
            Some(Class::Config),
            "file default"
        );
    }

    #[test]
    fn envward_annotation_and_inline_comments() {
        let d = read_str("# envward: external\nTOKEN=\nKEY=\"x\" # leave blank to disable\n");
        assert_eq!(d.get("TOKEN").unwrap().class, Some(Class::External));
        assert_eq!(d.get("KEY").unwrap().required, Some(false));
    }
}
