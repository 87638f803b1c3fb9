//! `envward check --format json` (schema version 1), serialised as it is walked: the
//! document borrows the [`Inventory`] and is written straight to its destination, so a
//! project of 10,000 variables builds no tree of JSON values first.
//!
//! Fields are declared in alphabetical order: that is the order the schema's documents have
//! always had (they were built as `serde_json` maps, which sort their keys), and the output
//! must stay byte for byte the same.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::Write as _;

use serde::{Serialize, Serializer};

use crate::analysis::{Derivation, Finding, Group, Inventory, Severity, UrlLink, Use, Variable};

/// The document of DESIGN.md over `inv`, ready to serialise.
pub fn document(inv: &Inventory) -> impl Serialize + '_ {
    Document {
        compose_files: Each(&inv.compose_files, |p| Text(p.display())),
        derived: Each(&inv.relations.derived, derived),
        env_file: Text(inv.env_file.display()),
        example_file: Text(inv.example_file.display()),
        findings: Each(&inv.findings, finding),
        groups: Each(&inv.relations.groups, group),
        summary: Summary {
            errors: inv.errors(),
            ignored: inv.ignored.len(),
            variables: inv.variables.len(),
            warnings: inv.warnings(),
        },
        urls: Each(&inv.relations.urls, url),
        variables: Each(&inv.variables, variable),
        version: 1,
    }
}

/// Every item of a slice, each shown through a function, serialised as a sequence without
/// collecting the shown items first.
struct Each<'a, T, U>(&'a [T], fn(&'a T) -> U);

impl<T, U: Serialize> Serialize for Each<'_, T, U> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(self.1))
    }
}

/// A value written through its `Display` (paths, kinds), as a JSON string.
struct Text<T>(T);

impl<T: Display> Serialize for Text<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

type Paths<'a> = Each<'a, std::path::PathBuf, Text<std::path::Display<'a>>>;

#[derive(Serialize)]
struct Document<'a> {
    compose_files: Paths<'a>,
    derived: Each<'a, Derivation, Derived<'a>>,
    env_file: Text<std::path::Display<'a>>,
    example_file: Text<std::path::Display<'a>>,
    findings: Each<'a, Finding, Found<'a>>,
    groups: Each<'a, Group, GroupOut<'a>>,
    summary: Summary,
    urls: Each<'a, UrlLink, Url<'a>>,
    variables: Each<'a, Variable, Var<'a>>,
    version: u32,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    ignored: usize,
    variables: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Var<'a> {
    class: &'a str,
    in_env: bool,
    in_example: bool,
    kind: Option<Text<crate::generate::Kind>>,
    name: &'a str,
    required: bool,
    status: &'a str,
    used_by: Each<'a, Use, UseOut<'a>>,
}

fn variable(v: &Variable) -> Var<'_> {
    Var {
        class: v.class.as_str(),
        in_env: v.in_env,
        in_example: v.in_example,
        kind: v.kind.map(Text),
        name: &v.name,
        required: v.required,
        status: v.status.as_str(),
        used_by: Each(&v.used_by, use_out),
    }
}

#[derive(Serialize)]
struct UseOut<'a> {
    column: usize,
    file: Text<std::path::Display<'a>>,
    in_uri: bool,
    line: usize,
    service: &'a str,
}

fn use_out(u: &Use) -> UseOut<'_> {
    UseOut {
        column: u.position.column,
        file: Text(u.file.display()),
        in_uri: u.in_uri,
        line: u.position.line,
        service: &u.service,
    }
}

#[derive(Serialize)]
struct GroupOut<'a> {
    members: &'a [String],
    why: &'a str,
}

fn group(g: &Group) -> GroupOut<'_> {
    GroupOut {
        members: &g.members,
        why: &g.why,
    }
}

#[derive(Serialize)]
struct Url<'a> {
    password_of: &'a str,
    variable: &'a str,
    why: &'a str,
}

fn url(u: &UrlLink) -> Url<'_> {
    Url {
        password_of: &u.password_of,
        variable: &u.url,
        why: &u.why,
    }
}

#[derive(Serialize)]
struct Derived<'a> {
    claims: &'a BTreeMap<String, String>,
    from: &'a str,
    variable: &'a str,
}

fn derived(d: &Derivation) -> Derived<'_> {
    Derived {
        claims: &d.claims,
        from: &d.from,
        variable: &d.var,
    }
}

#[derive(Serialize)]
struct Found<'a> {
    column: usize,
    file: Text<std::path::Display<'a>>,
    line: usize,
    message: &'a str,
    rule: &'a str,
    severity: &'a str,
    variable: Option<&'a str>,
}

fn finding(f: &Finding) -> Found<'_> {
    Found {
        column: f.position.column,
        file: Text(f.file.display()),
        line: f.position.line,
        message: &f.message,
        rule: f.rule.as_str(),
        severity: match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        variable: f.variable.as_deref(),
    }
}

/// Writes the document, pretty-printed with a final newline, to `out` as it is walked.
pub fn write(inv: &Inventory, out: impl std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut out, &document(inv))?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::Fixture;

    #[test]
    fn the_streamed_document_keeps_the_schema_key_order() {
        // A URL link, a group and findings, so every list of the document has an item.
        let inv = Fixture::new()
            .compose(
                "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n  app:\n    image: x\n    environment:\n      URL: ${DATABASE_URL}\n",
            )
            .example("DB_PASSWORD=changeme\nDATABASE_URL=postgres://u:changeme@db/app\n")
            .live("DB_PASSWORD=changeme\nDATABASE_URL=postgres://u:other@db/app\n")
            .run();
        let mut streamed = Vec::new();
        super::write(&inv, &mut streamed).unwrap();
        // serde_json's own maps sort their keys: the order documents always had.
        let sorted = serde_json::to_value(super::document(&inv)).unwrap();
        let mut want = serde_json::to_string_pretty(&sorted).unwrap();
        want.push('\n');
        assert_eq!(String::from_utf8(streamed).unwrap(), want);
        assert!(
            !sorted["findings"].as_array().unwrap().is_empty(),
            "{sorted}"
        );
        assert!(!sorted["urls"].as_array().unwrap().is_empty(), "{sorted}");
    }
}
