//! Writes the benchmarks' synthetic project (see `benches/support/synthetic.rs`) to a
//! directory: `compose.yaml`, `.env.example` and `.env` (mode 0600).
//!
//! `cargo run --release --example synthetic -- DIR SERVICES [--env-file]` (1,000 services:
//! 10,000 variables; `--env-file`: every service also loads the whole `.env`).

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), Some(services)) = (args.next(), args.next()) else {
        eprintln!("usage: synthetic DIR SERVICES [--env-file]");
        return ExitCode::from(2);
    };
    let Some(services) = services.to_str().and_then(|s| s.parse::<usize>().ok()) else {
        eprintln!("error: SERVICES must be a number");
        return ExitCode::from(2);
    };
    let env_file = match args.next() {
        None => false,
        Some(a) if a == "--env-file" => true,
        Some(_) => {
            eprintln!("usage: synthetic DIR SERVICES [--env-file]");
            return ExitCode::from(2);
        }
    };
    match write(&PathBuf::from(dir), services, env_file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn write(dir: &std::path::Path, services: usize, env_file: bool) -> std::io::Result<()> {
    let project = if env_file {
        synthetic::project_loading_env_file(services)
    } else {
        synthetic::project(services)
    };
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("compose.yaml"), project.compose)?;
    std::fs::write(dir.join(".env.example"), project.example)?;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(dir.join(".env"))?
        .write_all(project.live.as_bytes())
}
