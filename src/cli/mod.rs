//! The command line: arguments, dispatch, exit codes and the one place errors are printed.
//!
//! Arguments are parsed in two stages, as in ripgrep and fd: clap turns what was typed into
//! [`Cli`], and [`workspace`] resolves it into paths and loaded files before any command runs.
//! Every command returns `Result<ExitCode, Error>`; [`main`] prints an error once, as
//! `error: FILE:LINE:COL: what is wrong`, and exits 2.

pub mod audit;
mod backup;
pub mod check;
mod error;
pub mod export;
pub mod fill;
mod generate;
pub mod heap;
pub mod records;
mod refs;
pub mod rotate;
pub mod save;
pub mod source;
pub mod workspace;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::{PolicyLevel, RuleId, Status};
use crate::generate::Kind;

pub use error::{Error, PANIC_LINE, exit_after_panic, install_panic_hook};

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// No errors found.
    Clean = 0,
    /// The run worked and found errors (or refused to act without confirmation).
    Findings = 1,
    /// envward could not do its job: arguments, unreadable or invalid input.
    Failure = 2,
}

/// Keeps a Docker Compose project's .env complete, strong and safe.
#[derive(Debug, Parser)]
#[command(name = "envward", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command accepts (shown under their own heading in every `--help`).
// Doc comments here are `--help` text, where backticks would show literally.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Run as if started in DIR.
    #[arg(short = 'C', long = "directory", value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,
    /// Compose file to read (repeatable); default: COMPOSE_FILE, else discovery.
    #[arg(short = 'f', long = "file", value_name = "FILE", global = true)]
    pub files: Vec<PathBuf>,
    /// The live env file (replaces .env, as in docker compose --env-file).
    #[arg(long, value_name = "FILE", global = true)]
    pub env_file: Option<PathBuf>,
    /// The example file; default: .env.example (or .env.sample, env.example …).
    #[arg(long, value_name = "FILE", global = true)]
    pub example: Option<PathBuf>,
    /// Strength policy: dev makes weak secrets warnings (default: prod, or dev for
    /// .env.dev, .env.development and .env.local).
    #[arg(long, value_enum, global = true)]
    pub policy: Option<PolicyArg>,
    /// When to colour: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t, global = true)]
    pub color: ColorWhen,
    /// Never colour the output (same as --color never; also NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// age identity: encrypts backups, decrypts them and `decrypt` files (default:
    /// ENVWARD_IDENTITY, else ~/.config/envward/identity.txt, created on first use).
    #[arg(
        short = 'i',
        long,
        alias = "identity-file",
        value_name = "FILE",
        global = true
    )]
    pub identity: Option<PathBuf>,
    /// Write through a symlinked live file instead of refusing.
    #[arg(long, global = true)]
    pub follow_symlinks: bool,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorWhen {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour output going to a terminal (`terminal`) or not: `--no-color` and
/// `--color never` never, `--color always` always, otherwise on a terminal without
/// `NO_COLOR`.
pub fn color_enabled(global: &GlobalArgs, terminal: bool) -> bool {
    if global.no_color {
        return false;
    }
    match global.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Hands a read-only command's large, finished data back to the operating system at exit
/// instead of freeing it one allocation at a time.
///
/// `check` and `refs` end right after printing; on a 10,000-variable project freeing the
/// workspace and the analysis one allocation at a time was 3% of the run's instructions
/// (issue 13). Only for data that holds no generated secret and nothing zeroized on drop:
/// the decoded env files are plain strings already, and the process exits right after.
pub fn release_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// `--policy` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Development: weak secrets are warnings.
    Dev,
    /// Production: weak secrets are errors.
    Prod,
}

impl From<PolicyArg> for PolicyLevel {
    fn from(p: PolicyArg) -> Self {
        match p {
            PolicyArg::Dev => PolicyLevel::Dev,
            PolicyArg::Prod => PolicyLevel::Prod,
        }
    }
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    /// Grouped by status, aligned, coloured on a terminal.
    #[default]
    Text,
    /// envward's JSON, schema version 1.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// Output format of `refs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RefsFormat {
    /// Grouped by variable, for people.
    #[default]
    Text,
    /// An array of references, for programs.
    Json,
}

/// The commands. Doc comments here are `--help` text, where backticks would show literally.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the env file: missing, placeholder, weak and unsafe values (never prints them).
    ///
    /// Exit 0 without errors, 1 with errors, 2 when envward could not do its job.
    /// `envward --check` is the same command.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: CheckFormat,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Leave out a rule (repeatable), e.g. --skip unused.
        #[arg(long, value_name = "RULE", value_parser = parse_rule)]
        skip: Vec<RuleId>,
        /// Judge rotation schedules (and token expiry) as of DATE, to see what will be due.
        #[arg(long, value_name = "DATE", value_parser = audit::parse_as_of)]
        as_of: Option<jiff::Timestamp>,
    },
    /// Generate a strong value for every secret that is missing, a placeholder or weak, and
    /// save .env (mode 0600, with an encrypted backup). Prints names and reasons, never values.
    Fill {
        /// Show the plan; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Which statuses to fix.
        #[arg(long, value_delimiter = ',', value_parser = parse_status,
              default_value = "missing,placeholder,weak")]
        only: Vec<Status>,
        /// Write without asking.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Print freshly generated values: password (default), base64:N, hex:N, uuid, token:N.
    Generate {
        /// What to generate.
        #[arg(default_value = "password", value_parser = parse_kind)]
        kind: Kind,
        /// How many values.
        #[arg(long, short = 'n', default_value_t = 1)]
        count: usize,
        /// Only RFC 3986 unreserved characters (for values inside URIs).
        #[arg(long)]
        uri_safe: bool,
    },
    /// Print your age public key: the recipient to give others for shared backups.
    Key,
    /// Encrypt the live file now, next to it, as <name>.<number>.<UTC time>.age.
    Backup {
        /// ASCII-armored output.
        #[arg(long)]
        armor: bool,
    },
    /// List the backups of the live file: time, size, and which equals the live file.
    Backups,
    /// Restore the live file from a backup (the newest by default), backing up the current.
    Restore {
        /// The backup to restore.
        file: Option<PathBuf>,
        /// Show which variables would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Encrypt a file with age (for upload): to recipients, or with a passphrase.
    Encrypt {
        /// The file to encrypt.
        file: PathBuf,
        /// An age or SSH public key (repeatable).
        #[arg(short = 'r', long = "recipient", value_name = "RECIPIENT")]
        recipients: Vec<String>,
        /// A file of recipients, one per line (repeatable).
        #[arg(short = 'R', long = "recipients-file", value_name = "FILE")]
        recipients_files: Vec<PathBuf>,
        /// Encrypt with a passphrase (asked on the terminal, or ENVWARD_PASSPHRASE).
        #[arg(long)]
        passphrase: bool,
        /// ASCII-armored output.
        #[arg(long, short = 'a')]
        armor: bool,
        /// Output file (default: FILE.age).
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Decrypt an age file (after download), with your identity or -i FILE.
    Decrypt {
        /// The file to decrypt.
        file: PathBuf,
        /// Output file, or - for standard output.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// List every variable reference in the compose files, grouped by variable.
    Refs {
        /// Only these variables.
        #[arg(value_name = "VAR")]
        vars: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: RefsFormat,
    },
    /// The monthly secrets audit: modes, git (values in history), rotation, recovery drill,
    /// example drift, build leaks and least privilege, as pass / fail / unknown lines.
    ///
    /// Exit 0 without a fail, 1 with one, 2 when the audit could not run.
    Audit(audit::AuditArgs),
    /// Export the live file: Kubernetes Secret and ConfigMap (k8s), ExternalSecret, a docker
    /// --env-file file, or JSON.
    Export(export::ExportArgs),
    /// Print a shell completion script: envward completions bash > /etc/bash_completion.d/envward
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Rotate secrets: a new value (its group, URLs and signed tokens follow), the database
    /// changed first (--apply), the env file, then each service recreated (--restart).
    ///
    /// Prints names, steps and commands, never values. --overlap / --promote rotate a
    /// signing key with an overlap; --resume / --undo finish or take back an interrupted one.
    Rotate(rotate::RotateArgs),
}

fn parse_rule(s: &str) -> Result<RuleId, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<Status, String> {
    match s {
        "missing" => Ok(Status::Missing),
        "placeholder" => Ok(Status::Placeholder),
        "weak" => Ok(Status::Weak),
        other => Err(format!(
            "fill fixes missing, placeholder or weak values, not {other:?}"
        )),
    }
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse()
        .map_err(|e: crate::generate::KindError| e.to_string())
}

/// `envward --check` is `envward check`: the flag is rewritten to the subcommand so both
/// spellings share one definition.
fn normalise_args(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    args.into_iter()
        .map(|a| if a == "--check" { "check".into() } else { a })
        .collect()
}

/// Runs envward with the process arguments and returns the exit code.
pub fn main() -> std::process::ExitCode {
    // Files envward creates are private from the start, whatever the caller's umask.
    crate::store::set_private_umask();
    let mut command = <Cli as clap::CommandFactory>::command();
    let parsed = command
        .try_get_matches_from_mut(normalise_args(std::env::args_os().collect()))
        .and_then(|mut matches| <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches))
        .map_err(|e| e.format(&mut command));
    // The process exits soon: clap's tree of every subcommand and argument is left to the OS
    // rather than freed piece by piece (about 0.1 M instructions, 2% of a small `check`).
    std::mem::forget(command);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // Help and version go to stdout; a usage error to stderr with exit 2.
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::Clean,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::Failure
        }
    };
    std::process::ExitCode::from(code as u8)
}

/// Dispatches a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Error> {
    if let Some(dir) = &cli.global.directory
        && !dir.is_dir()
    {
        let why = if dir.exists() {
            "is not a directory"
        } else {
            "no such directory"
        };
        return Err(Error::Usage(format!(
            "{}: {why} (given to -C)",
            dir.display()
        )));
    }
    match cli.command {
        Some(Command::Refs { vars, format }) => refs::run(&cli.global, &vars, format),
        Some(Command::Fill { dry_run, only, yes }) => {
            fill::run(&cli.global, &fill::FillOptions { dry_run, only, yes })
        }
        Some(Command::Key) => backup::key(&cli.global),
        Some(Command::Backup { armor }) => backup::backup(&cli.global, armor),
        Some(Command::Backups) => backup::backups(&cli.global),
        Some(Command::Restore { file, dry_run }) => {
            backup::restore(&cli.global, file.as_deref(), dry_run)
        }
        Some(Command::Encrypt {
            file,
            recipients,
            recipients_files,
            passphrase,
            armor,
            output,
        }) => backup::encrypt(
            &cli.global,
            &file,
            &backup::EncryptOptions {
                recipients,
                recipients_files,
                passphrase,
                armor,
                output,
            },
        ),
        Some(Command::Decrypt { file, output }) => {
            let identities: Vec<PathBuf> = cli.global.identity.iter().cloned().collect();
            backup::decrypt(&cli.global, &file, &identities, output.as_deref())
        }
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory as _;
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "envward", &mut out);
            Ok(ExitCode::Clean)
        }
        Some(Command::Generate {
            kind,
            count,
            uri_safe,
        }) => generate::run(kind, count, uri_safe),
        Some(Command::Check {
            format,
            strict,
            skip,
            as_of,
        }) => check::run(
            &cli.global,
            &check::CheckOptions {
                format,
                strict,
                skip,
                as_of,
            },
        ),
        Some(Command::Rotate(args)) => rotate::run(&cli.global, &args),
        Some(Command::Audit(args)) => audit::run(&cli.global, &args),
        Some(Command::Export(args)) => export::run(&cli.global, &args),
        None => crate::tui::run(&cli.global),
    }
}
