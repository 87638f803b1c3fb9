//! Recipes: how a running server is told a new password before anything else changes.
//!
//! A database image reads its password variable only when its data volume is first created
//! (`POSTGRES_PASSWORD`, `MYSQL_PASSWORD` …); after that the server keeps its own copy, so
//! changing `.env` alone locks every client out. A recipe, written per image and variable in
//! `templates/images.toml`, changes the server's copy through
//! `docker compose exec -T SERVICE PROGRAM ARGS…` with the new value on **standard input
//! only**: arguments and environment variables of any process can be read by other users on
//! the host (`ps`, `/proc`), standard input cannot.
//!
//! Templates name three things in `{{…}}`: `user` (the server's user name, a configuration
//! value), `new` and `old` (the new and the current value). `run` may name only `user`;
//! `stdin` must say how each value is quoted for the tool that reads it:
//!
//! | quote | for | how |
//! |---|---|---|
//! | `psql` | a psql `\set` argument | single quotes, `''`, backslash escapes, octal for controls |
//! | `scram` | PostgreSQL | a SCRAM-SHA-256 verifier of the value (the server never sees it), psql-quoted |
//! | `sql` | a MySQL/MariaDB string literal | single quotes with backslash escapes (the recipe turns `NO_BACKSLASH_ESCAPES` off) |
//! | `js` | a mongosh string | a JSON string literal |
//! | `redis` | a redis-cli argument | double quotes, every byte but letters and digits as `\xHH` |
//! | `line` | a tool reading one line | as is; a value with a line break is refused |

use std::fmt::{self, Write as _};

use base64::Engine as _;
use hmac::Mac as _;
use serde::Deserialize;
use sha2::Digest as _;
use zeroize::Zeroizing;

/// How one image changes one of its credentials.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// What the step does, for the plan (`ALTER USER {{user}} WITH PASSWORD …`); may name
    /// only `user`.
    pub step: String,
    /// The program and its arguments, run in the service's container; may name only `user`.
    #[serde(default)]
    pub run: Vec<String>,
    /// What goes to the program's standard input.
    #[serde(default)]
    pub stdin: String,
    /// The container variable that holds the user name.
    pub user: Option<String>,
    /// The user name when that variable is not set.
    pub default_user: Option<String>,
    /// For tools that exit 0 after an error: the last non-empty line they print must be this.
    pub ok_output: Option<String>,
    /// No command: the server reads the value each time it starts, so it is recreated
    /// before the services that log in to it.
    #[serde(default)]
    pub restart_first: bool,
    /// What the server logs when a client presents a wrong password (the verify step).
    pub failure_log: Option<String>,
    /// Something the user should know, printed with the plan.
    pub note: Option<String>,
}

/// How a value is written into a recipe's standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// psql meta-command argument.
    Psql,
    /// SCRAM-SHA-256 verifier, psql-quoted.
    Scram,
    /// `MySQL` string literal.
    Sql,
    /// JSON / JavaScript string literal.
    Js,
    /// redis-cli double-quoted argument.
    Redis,
    /// The value alone on its line.
    Line,
}

impl Quote {
    fn parse(s: &str) -> Option<Quote> {
        Some(match s {
            "psql" => Quote::Psql,
            "scram" => Quote::Scram,
            "sql" => Quote::Sql,
            "js" => Quote::Js,
            "redis" => Quote::Redis,
            "line" => Quote::Line,
            _ => return None,
        })
    }
}

/// What a recipe could not do. Messages name variables and recipes, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecipeError {
    /// A recipe puts a value where other processes can read it.
    #[error("`{field}` names `{{{{{name}}}}}`: values may only go to standard input")]
    ValueOutsideStdin {
        /// `run` or `step`.
        field: &'static str,
        /// The placeholder.
        name: String,
    },
    /// A placeholder that does not exist, or a value without its quoting.
    #[error("`{{{{{0}}}}}` is not a placeholder (user, new|QUOTE, old|QUOTE)")]
    Placeholder(String),
    /// A recipe with nothing to run and no restart.
    #[error("a recipe needs `run` or `restart_first = true`")]
    Empty,
    /// The value cannot be passed safely to the tool.
    #[error("the new value of {var} cannot be passed to this tool: {why}")]
    Unquotable {
        /// The variable.
        var: String,
        /// Why.
        why: &'static str,
    },
}

/// A recipe filled in: the arguments (no value among them) and the standard input.
#[derive(Clone)]
pub struct Rendered {
    /// The program and its arguments.
    pub args: Vec<String>,
    /// What goes to standard input (holds the value).
    pub stdin: Zeroizing<String>,
    /// The step, in words.
    pub step: String,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("args", &self.args)
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

/// One `{{…}}` of a template.
enum Piece<'a> {
    Text(&'a str),
    Hole(&'a str, Option<&'a str>),
}

fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        out.push(Piece::Text(&rest[..open]));
        let inner = rest[open + 2..open + 2 + close].trim();
        let (name, quote) = match inner.split_once('|') {
            Some((n, q)) => (n.trim(), Some(q.trim())),
            None => (inner, None),
        };
        out.push(Piece::Hole(name, quote));
        rest = &rest[open + 2 + close + 2..];
    }
    out.push(Piece::Text(rest));
    out
}

impl Recipe {
    /// Checks that values appear only in `stdin`, each with a known quoting.
    pub fn validate(&self) -> Result<(), RecipeError> {
        if self.run.is_empty() && !self.restart_first {
            return Err(RecipeError::Empty);
        }
        for (field, text) in self
            .run
            .iter()
            .map(|a| ("run", a.as_str()))
            .chain([("step", self.step.as_str())])
        {
            for p in pieces(text) {
                if let Piece::Hole(name, quote) = p {
                    if name != "user" {
                        return Err(RecipeError::ValueOutsideStdin {
                            field,
                            name: name.to_string(),
                        });
                    }
                    if quote.is_some() {
                        return Err(RecipeError::Placeholder(name.to_string()));
                    }
                }
            }
        }
        for p in pieces(&self.stdin) {
            if let Piece::Hole(name, quote) = p {
                let known = matches!(name, "user" | "new" | "old");
                if !known || quote.and_then(Quote::parse).is_none() {
                    return Err(RecipeError::Placeholder(name.to_string()));
                }
            }
        }
        Ok(())
    }

    /// Fills the recipe in for `var` (its new value `new`, its current value `old`) and the
    /// server user `user`. Randomness is for SCRAM salts.
    pub fn render<R: rand::TryCryptoRng + ?Sized>(
        &self,
        var: &str,
        user: &str,
        new: &str,
        old: &str,
        rng: &mut R,
    ) -> Result<Rendered, RecipeError> {
        self.validate()?;
        let plain = |text: &str| -> String {
            pieces(text)
                .into_iter()
                .map(|p| match p {
                    Piece::Text(t) => t.to_string(),
                    Piece::Hole(..) => user.to_string(),
                })
                .collect()
        };
        let mut stdin = Zeroizing::new(String::new());
        for p in pieces(&self.stdin) {
            match p {
                Piece::Text(t) => stdin.push_str(t),
                Piece::Hole(name, quote) => {
                    let quote = quote
                        .and_then(Quote::parse)
                        .ok_or(RecipeError::Placeholder(name.to_string()))?;
                    let value = match name {
                        "user" => user,
                        "new" => new,
                        _ => old,
                    };
                    let quoted =
                        quote_value(quote, value, rng).map_err(|why| RecipeError::Unquotable {
                            var: var.to_string(),
                            why,
                        })?;
                    stdin.push_str(&quoted);
                }
            }
        }
        Ok(Rendered {
            args: self.run.iter().map(|a| plain(a)).collect(),
            stdin,
            step: plain(&self.step),
        })
    }

    /// The step in words for `user`, without rendering values.
    pub fn describe(&self, user: &str) -> String {
        pieces(&self.step)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Hole(..) => user.to_string(),
            })
            .collect()
    }

    /// The arguments for `user` (they never hold a value).
    pub fn args(&self, user: &str) -> Vec<String> {
        self.run
            .iter()
            .map(|a| {
                pieces(a)
                    .into_iter()
                    .map(|p| match p {
                        Piece::Text(t) => t.to_string(),
                        Piece::Hole(..) => user.to_string(),
                    })
                    .collect()
            })
            .collect()
    }
}

fn quote_value<R: rand::TryCryptoRng + ?Sized>(
    quote: Quote,
    value: &str,
    rng: &mut R,
) -> Result<Zeroizing<String>, &'static str> {
    Ok(Zeroizing::new(match quote {
        Quote::Psql => psql(value),
        Quote::Scram => {
            let verifier = scram_verifier(value, rng)?;
            psql(&verifier)
        }
        Quote::Sql => sql(value),
        Quote::Js => serde_json::to_string(value).map_err(|_| "not representable as JSON")?,
        Quote::Redis => redis(value),
        Quote::Line => {
            if value.contains(['\n', '\r', '\0']) {
                return Err("it contains a line break or a NUL, and the tool reads one line");
            }
            value.to_string()
        }
    }))
}

/// A psql meta-command argument in single quotes (psql applies C-like escapes inside them).
pub fn psql(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\{:03o}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A `MySQL` string literal with backslash escapes.
pub fn sql(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{1a}' => out.push_str("\\Z"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A redis-cli argument: double quotes, every byte that is not a letter or digit as `\xHH`.
pub fn redis(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 2 + 2);
    out.push('"');
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('"');
    out
}

/// Iterations `PostgreSQL` itself uses for SCRAM-SHA-256 (`scram_iterations`' default).
pub const SCRAM_ITERATIONS: u32 = 4096;

/// The SCRAM-SHA-256 verifier `PostgreSQL` stores for `password` (RFC 5802 / 7677), with a
/// fresh 16-byte salt: `SCRAM-SHA-256$4096:SALT$STOREDKEY:SERVERKEY`. `PostgreSQL` takes a
/// verifier in `ALTER ROLE … PASSWORD` as it is, so the password itself never reaches the
/// server (nor its logs). Only printable ASCII passwords are accepted: `PostgreSQL` runs other
/// text through `SASLprep` first, which this does not implement.
pub fn scram_verifier<R: rand::TryCryptoRng + ?Sized>(
    password: &str,
    rng: &mut R,
) -> Result<String, &'static str> {
    let mut salt = [0u8; 16];
    rng.try_fill_bytes(&mut salt)
        .map_err(|_| "the random generator failed")?;
    scram_with_salt(password, &salt, SCRAM_ITERATIONS)
}

/// [`scram_verifier`] with a given salt and iteration count.
pub fn scram_with_salt(
    password: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<String, &'static str> {
    type HmacSha256 = hmac::Hmac<sha2::Sha256>;
    if !password.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err("a PostgreSQL verifier is made here only for printable ASCII values");
    }
    let mut salted = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, iterations, &mut *salted);
    let key = |label: &[u8]| -> Result<Vec<u8>, &'static str> {
        let mut mac = HmacSha256::new_from_slice(&*salted).map_err(|_| "HMAC refused the key")?;
        mac.update(label);
        Ok(mac.finalize().into_bytes().to_vec())
    };
    let client_key = Zeroizing::new(key(b"Client Key")?);
    let stored_key = sha2::Sha256::digest(&*client_key);
    let server_key = key(b"Server Key")?;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        b64.encode(salt),
        b64.encode(stored_key),
        b64.encode(server_key)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe(run: &[&str], stdin: &str) -> Recipe {
        Recipe {
            step: "change it for {{user}}".into(),
            run: run.iter().map(|s| (*s).to_string()).collect(),
            stdin: stdin.into(),
            user: None,
            default_user: None,
            ok_output: None,
            restart_first: false,
            failure_log: None,
            note: None,
        }
    }

    #[test]
    fn values_never_go_to_arguments() {
        for bad in ["{{new}}", "--password={{old}}", "{{new|line}}"] {
            let r = recipe(&["tool", bad], "x");
            assert!(
                matches!(
                    r.validate(),
                    Err(RecipeError::ValueOutsideStdin { .. } | RecipeError::Placeholder(_))
                ),
                "{bad}"
            );
        }
        let r = recipe(&["tool"], "{{new}}\n");
        assert!(
            matches!(r.validate(), Err(RecipeError::Placeholder(_))),
            "a value needs its quoting"
        );
        let r = recipe(&["tool"], "{{new|rot13}}\n");
        assert!(r.validate().is_err());
        let r = recipe(&["tool", "--user={{user}}"], "{{new|line}}\n");
        let out = r
            .render("X", "app", "s3cret", "old", &mut rand::rngs::SysRng)
            .unwrap();
        assert_eq!(out.args, vec!["tool", "--user=app"]);
        assert_eq!(out.stdin.as_str(), "s3cret\n");
        assert!(!format!("{out:?}").contains("s3cret"));
    }

    #[test]
    fn quoting_survives_hostile_values() {
        assert_eq!(psql("a'b\\c\nd\u{1}"), "'a''b\\\\c\\nd\\001'");
        assert_eq!(sql("a'b\\c\"\0"), "'a\\'b\\\\c\\\"\\0'");
        assert_eq!(redis("a b\"\\"), "\"a\\x20b\\x22\\x5c\"");
        assert_eq!(
            quote_value(Quote::Js, "a\"b\u{2028}", &mut rand::rngs::SysRng)
                .unwrap()
                .as_str(),
            "\"a\\\"b\u{2028}\""
        );
        assert!(quote_value(Quote::Line, "a\nb", &mut rand::rngs::SysRng).is_err());
    }

    #[test]
    fn scram_verifier_matches_postgresql() {
        // Made by PostgreSQL 15 (`ALTER ROLE app PASSWORD 'pencil'`, then
        // `SELECT rolpassword FROM pg_authid`) for the salt below.
        let salt = base64::engine::general_purpose::STANDARD
            .decode("wrTPbsfVI7BdflEJf1gsXA==")
            .unwrap();
        assert_eq!(
            scram_with_salt("pencil", &salt, 4096).unwrap(),
            include_str!("testdata/scram-pencil.txt").trim()
        );
        assert!(scram_with_salt("pässword", &salt, 4096).is_err());
    }
}
