//! `envward generate KIND`: print freshly generated values. The one command whose purpose
//! is to print a secret.

use std::io::Write;

use secrecy::ExposeSecret;

use super::{Error, ExitCode};
use crate::generate::{self, Constraints, Kind};

/// Prints `count` values of `kind`, one per line.
pub fn run(kind: Kind, count: usize, uri_safe: bool) -> Result<ExitCode, Error> {
    let mut rng = generate::os_rng();
    let constraints = Constraints {
        uri_safe,
        ..Constraints::default()
    };
    let mut out = std::io::stdout().lock();
    for _ in 0..count {
        let value = generate::generate(kind, &constraints, &mut rng)?;
        writeln!(out, "{}", value.expose_secret())?;
    }
    Ok(ExitCode::Clean)
}
