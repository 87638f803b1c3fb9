//! Decisions made in the TUI, written where `check` in CI reads them: `envward.toml` (edited
//! with `toml_edit`, so the user's comments, order and spacing stay) or the example file.
//!
//! Pure: text in, text out. The worker writes the result; the model adopts it once written.

use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::keys::Decision;
use crate::analysis::{Class, RuleId};
use crate::dotenv::Document;

/// One change to `envward.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigEdit {
    /// `[vars.NAME] optional = true`.
    Optional(String),
    /// `[vars.NAME] class = "…"`.
    Class(String, Class),
    /// `[vars.NAME] same_as` gains `other`.
    SameAs(String, String),
    /// A new `[[ignore]]` entry.
    Ignore {
        /// The rule.
        rule: RuleId,
        /// The variable.
        variable: String,
        /// Why.
        reason: String,
    },
}

impl ConfigEdit {
    /// The edit a menu decision makes without asking anything more.
    pub fn simple(decision: Decision, name: &str) -> Option<ConfigEdit> {
        let n = name.to_string();
        match decision {
            Decision::Optional => Some(ConfigEdit::Optional(n)),
            Decision::External => Some(ConfigEdit::Class(n, Class::External)),
            Decision::Config => Some(ConfigEdit::Class(n, Class::Config)),
            Decision::Secret => Some(ConfigEdit::Class(n, Class::Secret)),
            Decision::SameAs | Decision::Ignore | Decision::Document => None,
        }
    }

    /// What it says, for the status line.
    pub fn describe(&self) -> String {
        match self {
            ConfigEdit::Optional(n) => format!("{n} is optional"),
            ConfigEdit::Class(n, c) => format!("{n} is {}", c.as_str()),
            ConfigEdit::SameAs(n, o) => format!("{n} holds the same value as {o}"),
            ConfigEdit::Ignore { rule, variable, .. } => {
                format!("{rule} is ignored for {variable}")
            }
        }
    }
}

/// The `[vars.NAME]` table, created (as a standard table, after the others) when absent.
fn var_table<'a>(doc: &'a mut DocumentMut, name: &str) -> Result<&'a mut Table, String> {
    let vars = doc
        .entry("vars")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or("envward.toml: `vars` is not a table")?;
    vars.entry(name)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| format!("envward.toml: `vars.{name}` is not a table"))
}

/// `text` (the current `envward.toml`, empty when there is none) with `edit` applied.
/// Everything else in the file keeps its bytes.
pub fn edit_config(text: &str, edit: &ConfigEdit) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("envward.toml: {}", e.message()))?;
    match edit {
        ConfigEdit::Optional(name) => {
            let t = var_table(&mut doc, name)?;
            t.insert("optional", value(true));
            // `required = true` would contradict it.
            t.remove("required");
        }
        ConfigEdit::Class(name, class) => {
            var_table(&mut doc, name)?.insert("class", value(class.as_str()));
        }
        ConfigEdit::SameAs(name, other) => {
            let t = var_table(&mut doc, name)?;
            let list = t
                .entry("same_as")
                .or_insert_with(|| value(Array::new()))
                .as_array_mut()
                .ok_or_else(|| format!("envward.toml: `vars.{name}.same_as` is not a list"))?;
            if !list.iter().any(|v| v.as_str() == Some(other)) {
                list.push(other.as_str());
            }
        }
        ConfigEdit::Ignore {
            rule,
            variable,
            reason,
        } => {
            let list = doc
                .entry("ignore")
                .or_insert_with(|| Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
                .as_array_of_tables_mut()
                .ok_or("envward.toml: `ignore` is not a list of [[ignore]] tables")?;
            let mut t = Table::new();
            t.insert("rule", value(rule.as_str()));
            t.insert("variable", value(variable.as_str()));
            t.insert("reason", value(reason.as_str()));
            list.push(t);
        }
    }
    Ok(doc.to_string())
}

/// The example with an empty `NAME=` entry for a variable it does not list (at the end), or
/// why that line could not be written so that it reads back as `NAME=`.
pub fn document_in_example(
    example: Option<&Document>,
    name: &str,
) -> Result<String, crate::dotenv::EditError> {
    let mut doc = example.cloned().unwrap_or_default();
    doc.set(name, "", None)?;
    Ok(doc.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_the_users_formatting() {
        let text = "# Project settings\n[policy]\ndefault = \"prod\"   # CI runs prod\n\n[vars.A]\nclass = \"secret\"\n";
        let out = edit_config(text, &ConfigEdit::Optional("B".into())).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(out.contains("[vars.B]\noptional = true\n"), "{out}");
        let out = edit_config(&out, &ConfigEdit::Class("A".into(), Class::External)).unwrap();
        assert!(out.contains("default = \"prod\"   # CI runs prod"), "{out}");
        assert!(out.contains("[vars.A]\nclass = \"external\"\n"), "{out}");
        let out = edit_config(&out, &ConfigEdit::SameAs("A".into(), "C".into())).unwrap();
        let out = edit_config(&out, &ConfigEdit::SameAs("A".into(), "C".into())).unwrap();
        assert_eq!(out.matches("\"C\"").count(), 1, "{out}");
        let out = edit_config(
            &out,
            &ConfigEdit::Ignore {
                rule: RuleId::Unused,
                variable: "OLD".into(),
                reason: "read by the cron job".into(),
            },
        )
        .unwrap();
        assert!(
            out.ends_with(
                "[[ignore]]\nrule = \"unused\"\nvariable = \"OLD\"\nreason = \"read by the cron job\"\n"
            ),
            "{out}"
        );
        // What was written is a valid configuration with the decisions in it.
        let config = crate::config::parse(&out).unwrap();
        assert!(config.vars["B"].optional);
        assert_eq!(config.vars["A"].same_as, ["C"]);
        assert_eq!(config.ignore.len(), 1);
    }

    #[test]
    fn a_broken_file_is_not_rewritten() {
        assert!(edit_config("[vars\n", &ConfigEdit::Optional("A".into())).is_err());
    }

    #[test]
    fn documenting_appends_an_empty_entry() {
        let ex = crate::dotenv::parse("# App\nA=1\n").unwrap();
        assert_eq!(
            document_in_example(Some(&ex), "NEW").unwrap(),
            "# App\nA=1\nNEW=\n"
        );
        assert_eq!(document_in_example(None, "NEW").unwrap(), "NEW=\n");
    }
}
