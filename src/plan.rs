//! Changes as data: which variables get new values, and how a document takes them.
//!
//! [`plan_fill`] reads an [`Inventory`] and chooses a generated value for every secret whose
//! status `fill` may fix; [`apply`] writes a plan into the live document (or into a new
//! document made from the example's structure) rewriting only the entries it changes. Both
//! are pure: randomness comes from the caller's generator.

use secrecy::{ExposeSecret, SecretString};

use crate::analysis::{Class, Inventory, Status, Variable};
use crate::dotenv::Document;
use crate::generate::{self, GenerateError, Kind};

/// One planned change. The value is a secret: it has no `Display` and its `Debug` is
/// redacted.
#[derive(Debug, Clone)]
pub struct Change {
    /// The variable.
    pub name: String,
    /// How the value was generated.
    pub kind: Kind,
    /// The status that made it change.
    pub status: Status,
    /// Why, in words (no value).
    pub reason: String,
    /// The new value.
    pub value: SecretString,
}

/// A set of changes to one env file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In inventory order.
    pub changes: Vec<Change>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Whether `fill` may generate a value for `var` under the `only` statuses.
pub fn is_fillable(var: &Variable, only: &[Status]) -> bool {
    var.class == Class::Secret && var.kind.is_some() && only.contains(&var.status)
}

fn reason(inv: &Inventory, var: &Variable) -> String {
    inv.findings_of(var)
        .map(|f| f.message.clone())
        .next()
        .unwrap_or_else(|| var.status.as_str().to_string())
}

/// Plans a generated value for every secret variable whose status is in `only`. External
/// and config variables are never generated.
pub fn plan_fill<R: rand::TryCryptoRng + ?Sized>(
    inv: &Inventory,
    only: &[Status],
    rng: &mut R,
) -> Result<Plan, GenerateError> {
    let mut changes = Vec::new();
    for var in inv.variables.iter().filter(|v| is_fillable(v, only)) {
        let Some(kind) = var.kind else { continue };
        changes.push(generate_for(inv, var, kind, rng)?);
    }
    Ok(Plan { changes })
}

/// A generated value for one variable, honouring its constraints.
pub fn generate_for<R: rand::TryCryptoRng + ?Sized>(
    inv: &Inventory,
    var: &Variable,
    kind: Kind,
    rng: &mut R,
) -> Result<Change, GenerateError> {
    let value = generate::generate(kind, &var.constraints, rng)?;
    Ok(Change {
        name: var.name.clone(),
        kind,
        status: var.status,
        reason: reason(inv, var),
        value,
    })
}

/// Where a new key goes: after the nearest key that precedes it in the example and exists in
/// the live document.
fn anchor<'a>(example: Option<&'a Document>, live: &Document, key: &str) -> Option<&'a str> {
    let keys = example?.keys();
    let at = keys.iter().position(|k| *k == key)?;
    keys[..at]
        .iter()
        .rev()
        .find(|k| live.get(k).is_some())
        .copied()
}

/// Applies `plan` to the live document, or, when there is none, to a copy of the example
/// (its comments, sections and order; config and external values as the example has them).
/// Only the planned entries change. Returns the new document, or the first change that
/// cannot be written so that it reads back unchanged (nothing is applied then).
pub fn apply(
    live: Option<&Document>,
    example: Option<&Document>,
    plan: &Plan,
) -> Result<Document, crate::dotenv::EditError> {
    let mut doc = match (live, example) {
        (Some(l), _) => l.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => Document::default(),
    };
    for change in &plan.changes {
        let after = anchor(example, &doc, &change.name).map(str::to_string);
        doc.set(&change.name, change.value.expose_secret(), after.as_deref())?;
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotenv::parse;

    fn change(name: &str, value: &str) -> Change {
        Change {
            name: name.to_string(),
            kind: Kind::Password,
            status: Status::Missing,
            reason: String::new(),
            value: SecretString::from(value.to_string()),
        }
    }

    #[test]
    fn new_keys_follow_the_example_order() {
        let example =
            parse("# db\nDB_USER=app\nDB_PASSWORD=change_me\n\n# api\nAPI_KEY=x\n").unwrap();
        let live = parse("DB_USER=app\n\nAPI_KEY=real\n").unwrap();
        let plan = Plan {
            changes: vec![change("DB_PASSWORD", "s3cret-value")],
        };
        let doc = apply(Some(&live), Some(&example), &plan).unwrap();
        assert_eq!(
            doc.render(),
            "DB_USER=app\nDB_PASSWORD=s3cret-value\n\nAPI_KEY=real\n"
        );
    }

    #[test]
    fn without_a_live_file_the_example_is_the_template() {
        let example =
            parse("# db\nDB_USER=app\nDB_PASSWORD=change_me # set me\nTOKEN=your_token\n").unwrap();
        let plan = Plan {
            changes: vec![
                change("DB_PASSWORD", "generated"),
                change("EXTRA_SECRET", "g2"),
            ],
        };
        let doc = apply(None, Some(&example), &plan).unwrap();
        assert_eq!(
            doc.render(),
            "# db\nDB_USER=app\nDB_PASSWORD=generated # set me\nTOKEN=your_token\nEXTRA_SECRET=g2\n"
        );
    }
}
