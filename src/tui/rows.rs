//! What the list shows: the status filter, the rows (section headings and variables), and
//! how the example's comments are read — section comments become headings, a comment right
//! above a variable becomes that variable's description in the detail pane.

use std::collections::HashMap;

use crate::analysis::{Inventory, Severity, Status, Variable};
use crate::dotenv::{Document, Item};

/// Which variables the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every variable.
    #[default]
    All,
    /// Every variable with a problem (a status other than `ok`, or any finding).
    Problems,
    /// One status.
    Only(Status),
}

impl Filter {
    /// The next filter in the `f` cycle: all, problems, each status, all.
    #[must_use]
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Problems,
            Filter::Problems => Filter::Only(Status::ALL[0]),
            Filter::Only(s) => match Status::ALL.iter().position(|x| *x == s) {
                Some(i) if i + 1 < Status::ALL.len() => Filter::Only(Status::ALL[i + 1]),
                _ => Filter::All,
            },
        }
    }

    /// Whether a variable passes.
    pub fn admits(self, var: &Variable) -> bool {
        match self {
            Filter::All => true,
            Filter::Problems => has_problem(var),
            Filter::Only(s) => s == var.status,
        }
    }

    /// How the list title names it.
    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Problems => "problems",
            Filter::Only(s) => s.as_str(),
        }
    }
}

/// Whether a variable needs attention: a status other than `ok`, or any finding (an `ok`
/// value can still be unsafe in a URI, duplicated or undocumented).
pub fn has_problem(var: &Variable) -> bool {
    var.status != Status::Ok || !var.findings.is_empty()
}

/// The worst severity among a variable's findings.
pub fn worst(inv: &Inventory, var: &Variable) -> Option<Severity> {
    inv.findings_of(var).map(|f| f.severity).min()
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A section heading of the example.
    Section(String),
    /// A variable: its index in the inventory.
    Var(usize),
}

/// What the example's comments say about its variables.
#[derive(Debug, Clone, Default)]
pub struct Comments {
    /// The section heading each variable sits under.
    pub sections: HashMap<String, String>,
    /// The comment right above a variable, as one paragraph.
    pub descriptions: HashMap<String, String>,
}

/// The text of a comment line without `#` and decoration; `None` for a ruler (`# -----`)
/// or an empty comment.
fn comment_text(line: &str) -> Option<&str> {
    let body = line.trim().strip_prefix('#')?;
    let text = body.trim_matches(|c: char| "#-=*~_".contains(c) || c.is_whitespace());
    (text.chars().any(char::is_alphanumeric)).then_some(text)
}

fn is_ruler(line: &str) -> bool {
    line.trim()
        .strip_prefix('#')
        .is_some_and(|b| b.chars().filter(|c| "#-=*~_".contains(*c)).count() >= 3)
}

/// A block reads as a title: one short line, not a sentence.
fn is_title(texts: &[&str]) -> bool {
    match texts {
        [one] => one.split_whitespace().count() <= 6 && !one.ends_with(['.', ':', ';', ',']),
        _ => false,
    }
}

/// Reads the example's comments. A comment block separated from the next variable by a
/// blank line, or drawn with rulers (`# ---`), or a single short title above a group of
/// variables, is a section heading; a comment block right above one variable is its
/// description. `# envward:` annotations are neither.
pub fn comments(doc: &Document) -> Comments {
    let mut out = Comments::default();
    let items = doc.items();
    let mut section: Option<String> = None;
    for (at, item) in items.iter().enumerate() {
        match item {
            Item::Trivia(t) => {
                if let Some(Item::Entry(next)) = items.get(at + 1) {
                    // After an entry, the trivia starts with the rest of that entry's line
                    // (an inline comment), which is no block of its own.
                    let t = if at > 0 {
                        t.split_once('\n').map_or("", |(_, r)| r)
                    } else {
                        t
                    };
                    read_block(t, group_size(items, at + 1), &mut section, |text| {
                        out.descriptions.insert(next.key().to_string(), text);
                    });
                }
            }
            Item::Entry(e) => {
                if let Some(s) = &section {
                    out.sections
                        .entry(e.key().to_string())
                        .or_insert_with(|| s.clone());
                }
            }
        }
    }
    out
}

/// Reads the comment blocks of one stretch of trivia (ending where an entry starts, whose
/// group has `group` entries): headings update `section`, a description attached to the
/// entry goes to `describe`.
fn read_block(t: &str, group: usize, section: &mut Option<String>, describe: impl FnOnce(String)) {
    let lines: Vec<&str> = t.split('\n').collect();
    // The last piece is the start of the entry's own line (empty, or its indentation).
    let body = &lines[..lines.len().saturating_sub(1)];
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for l in body {
        if l.trim().is_empty() {
            blocks.push(Vec::new());
        } else if l.trim_start().starts_with('#')
            && let Some(b) = blocks.last_mut()
        {
            b.push(l);
        }
    }
    let attached = body
        .last()
        .is_some_and(|l| l.trim_start().starts_with('#'))
        .then(|| blocks.pop())
        .flatten();
    for block in blocks.iter().filter(|b| !b.is_empty()) {
        let texts: Vec<&str> = block.iter().filter_map(|l| comment_text(l)).collect();
        if texts.iter().any(|t| t.starts_with("envward:")) {
            continue;
        }
        if (block.iter().any(|l| is_ruler(l)) || is_title(&texts))
            && let Some(t) = texts.last()
        {
            *section = Some((*t).to_string());
        }
    }
    if let Some(block) = attached {
        let texts: Vec<&str> = block
            .iter()
            .filter_map(|l| comment_text(l))
            .filter(|t| !t.starts_with("envward:"))
            .collect();
        if block.iter().any(|l| is_ruler(l)) || (is_title(&texts) && group >= 2) {
            if let Some(t) = texts.last() {
                *section = Some((*t).to_string());
            }
        } else if !texts.is_empty() {
            describe(texts.join(" "));
        }
    }
}

/// How many entries follow from `at` with nothing but line ends between them.
fn group_size(items: &[Item], at: usize) -> usize {
    let mut n = 0;
    for item in &items[at..] {
        match item {
            Item::Entry(_) => n += 1,
            Item::Trivia(t) if t.trim().is_empty() && t.matches('\n').count() <= 1 => {}
            Item::Trivia(_) => break,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotenv::parse;

    #[test]
    fn rulers_and_titles_are_headings_and_attached_comments_describe() {
        let doc = parse(
            "# My app — template\n# Copy to .env and fill in.\n\n\
             # ---------\n# Database\n# ---------\nDB_HOST=db\n\
             # The password of the app's database user.\nDB_PASSWORD=\n\n\
             # Mail\nSMTP_HOST=x\nSMTP_PORT=25\n\n\
             # envward: external\nAPI_TOKEN=\n",
        )
        .unwrap();
        let c = comments(&doc);
        assert_eq!(c.sections["DB_HOST"], "Database");
        assert_eq!(c.sections["DB_PASSWORD"], "Database");
        assert_eq!(
            c.descriptions["DB_PASSWORD"],
            "The password of the app's database user."
        );
        assert!(!c.descriptions.contains_key("DB_HOST"));
        assert_eq!(c.sections["SMTP_PORT"], "Mail");
        assert!(!c.descriptions.contains_key("SMTP_HOST"));
        assert!(
            !c.descriptions.contains_key("API_TOKEN"),
            "annotations are not prose"
        );
        // The file's opening prose is not a heading.
        assert!(c.sections.values().all(|s| !s.contains("template")));
    }

    #[test]
    fn a_sentence_right_above_one_variable_is_its_description_not_a_heading() {
        let doc =
            parse("A=1\n\n# Signs the session cookies; keep it secret.\nSESSION_KEY=\n").unwrap();
        let c = comments(&doc);
        assert_eq!(
            c.descriptions["SESSION_KEY"],
            "Signs the session cookies; keep it secret."
        );
        assert!(!c.sections.contains_key("SESSION_KEY"));
    }
}
