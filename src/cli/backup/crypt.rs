//! `encrypt` and `decrypt`: age files for upload and download, to recipients or with a
//! passphrase. An output is never the input, and decrypting onto the live file is a save
//! (backup first, change check, lock), never a bare overwrite.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::super::save::{self, SaveOptions};
use super::super::{Error, ExitCode, GlobalArgs, workspace};
use super::{load_identity, warn_identity};
use crate::store::{self, Identity, Recipient, WriteOptions, crypto};

/// The environment variable a passphrase may come from (for scripts).
pub const PASSPHRASE_ENV: &str = "ENVWARD_PASSPHRASE";

fn crypto_err(path: &Path, source: crypto::CryptoError) -> Error {
    Error::Store(store::StoreError::Crypto {
        path: path.to_path_buf(),
        source,
    })
}

/// True when `a` and `b` name the same file: the same path, or (when both exist) the same
/// inode, whatever links or `..` lead there.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    if a == b {
        return true;
    }
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => match (std::path::absolute(a), std::path::absolute(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
    }
}

/// Refuses an output that is the input: it would be replaced before it was fully read
/// back, and the one copy of the data lost.
fn refuse_same(cwd: &Path, input: &Path, output: &Path, verb: &str) -> Result<(), Error> {
    if same_file(input, output) {
        return Err(Error::Usage(format!(
            "{}: refusing to {verb} a file onto itself; choose another output with -o",
            crate::compose::display_path(cwd, output).display()
        )));
    }
    Ok(())
}

/// Removes the leftover temporary files in the directory an output goes to and says so.
fn sweep_beside(cwd: &Path, output: &Path) -> Result<(), Error> {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    for p in store::leftover::sweep(dir) {
        writeln!(
            std::io::stdout(),
            "removed {}, a temporary file left by an interrupted save",
            crate::compose::display_path(cwd, &p).display()
        )?;
    }
    Ok(())
}

/// A passphrase from `ENVWARD_PASSPHRASE` or the terminal (twice when `confirm`).
fn passphrase(confirm: bool) -> Result<SecretString, Error> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        if p.is_empty() {
            return Err(Error::Usage(format!("{PASSPHRASE_ENV} is empty")));
        }
        return Ok(SecretString::from(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(format!(
            "a passphrase is needed: run in a terminal or set {PASSPHRASE_ENV}"
        )));
    }
    let first = rpassword::prompt_password("passphrase: ")?;
    if first.is_empty() {
        return Err(Error::Usage("empty passphrase".to_string()));
    }
    if confirm {
        let second = rpassword::prompt_password("passphrase again: ")?;
        if first != second {
            return Err(Error::Usage("the passphrases differ".to_string()));
        }
    }
    Ok(SecretString::from(first))
}

/// Options of `envward encrypt`.
#[derive(Debug, Clone, Default)]
pub struct EncryptOptions {
    /// `-r RECIPIENT`.
    pub recipients: Vec<String>,
    /// `-R FILE`.
    pub recipients_files: Vec<PathBuf>,
    /// `--passphrase`.
    pub passphrase: bool,
    /// `--armor`.
    pub armor: bool,
    /// `-o OUT`.
    pub output: Option<PathBuf>,
}

/// `envward encrypt FILE`: encrypt for upload. Without `-r`/`-R`/`--passphrase` it encrypts
/// to the user's key and the project's recipients.
pub fn encrypt(global: &GlobalArgs, file: &Path, o: &EncryptOptions) -> Result<ExitCode, Error> {
    let cwd = workspace::cwd(global)?;
    let input = crate::compose::resolve_path(&cwd, file);
    let plain = store::read::read_content(&input, store::read::MAX_FILE_SIZE)?;
    let mut recipients: Vec<Recipient> = Vec::new();
    for (i, r) in o.recipients.iter().enumerate() {
        recipients.extend(store::recipients::from_config(
            Path::new("-r"),
            [(i + 1, r.as_str())],
        )?);
    }
    for f in &o.recipients_files {
        recipients.extend(store::recipients::read_recipients_file(
            &crate::compose::resolve_path(&cwd, f),
        )?);
    }
    let output = o.output.as_ref().map_or_else(
        || {
            let mut name = input.clone().into_os_string();
            name.push(".age");
            PathBuf::from(name)
        },
        |p| crate::compose::resolve_path(&cwd, p),
    );
    refuse_same(&cwd, &input, &output, "encrypt")?;
    let cipher = if o.passphrase {
        if !recipients.is_empty() {
            return Err(Error::Usage(
                "--passphrase cannot be combined with -r or -R".to_string(),
            ));
        }
        let p = passphrase(true)?;
        crypto::encrypt_passphrase(&plain, &p, o.armor).map_err(|e| crypto_err(&output, e))?
    } else {
        if recipients.is_empty() {
            // Only the recipients in envward.toml are needed, not the project.
            let place = workspace::locate(global)?;
            let (identity, notice) = save::identity(global.identity.as_deref())?;
            if let Some(n) = notice {
                writeln!(std::io::stderr(), "{n}")?;
            }
            recipients = save::recipients_at(&place, &identity)?;
        }
        crypto::encrypt(&plain, &recipients, o.armor).map_err(|e| crypto_err(&output, e))?
    };
    sweep_beside(&cwd, &output)?;
    store::write_atomic(&output, &cipher, &WriteOptions::default())?;
    writeln!(
        std::io::stdout(),
        "encrypted {} to {}",
        crate::compose::display_path(&cwd, &input).display(),
        crate::compose::display_path(&cwd, &output).display()
    )?;
    Ok(ExitCode::Clean)
}

/// The workspace, when `output` is its live env file (so a decryption onto it must go
/// through a save). A project that does not load is refused only if the output could be
/// its live file (named like the `--env-file` or `.env`).
fn live_file_at(global: &GlobalArgs, output: &Path) -> Result<Option<workspace::Workspace>, Error> {
    match workspace::load_with(global, true) {
        Ok(ws) => Ok(same_file(&ws.project.env_file, output).then_some(ws)),
        Err(e) => {
            let cwd = workspace::cwd(global)?;
            let live = global.env_file.as_ref().map_or_else(
                || cwd.join(".env"),
                |f| crate::compose::resolve_path(&cwd, f),
            );
            if same_file(&live, output) {
                return Err(e);
            }
            Ok(None)
        }
    }
}

/// `decrypt -o` onto the live file: a save like any other (backup of the current version
/// first, changed-on-disk check, save lock), never a bare overwrite.
fn replace_live_file(
    global: &GlobalArgs,
    ws: &workspace::Workspace,
    input: &Path,
    plain: &[u8],
) -> Result<ExitCode, Error> {
    let text = std::str::from_utf8(plain).map_err(|_| {
        Error::Usage(format!(
            "{}: decrypts to something that is not UTF-8 text; not writing it over the live env file",
            ws.display(input).display()
        ))
    })?;
    writeln!(
        std::io::stdout(),
        "decrypting {} onto the live file {}: saving it with a backup of the current version",
        ws.display(input).display(),
        ws.display(&ws.project.env_file).display()
    )?;
    let saved = save::save(
        ws,
        text,
        &SaveOptions {
            identity: global.identity.clone(),
            follow_symlinks: global.follow_symlinks,
        },
    )?;
    save::report(ws, &saved)?;
    Ok(ExitCode::Clean)
}

/// `envward decrypt FILE`: decrypt after download. Writes `-o OUT` (0600, atomic), or
/// standard output with `-o -`, or when standard output is not a terminal; it will not print
/// secrets onto a terminal unasked.
pub fn decrypt(
    global: &GlobalArgs,
    file: &Path,
    identities: &[PathBuf],
    output: Option<&Path>,
) -> Result<ExitCode, Error> {
    let cwd = workspace::cwd(global)?;
    let input = crate::compose::resolve_path(&cwd, file);
    let output_path = output
        .filter(|p| *p != Path::new("-"))
        .map(|p| crate::compose::resolve_path(&cwd, p));
    if let Some(out) = &output_path {
        refuse_same(&cwd, &input, out, "decrypt")?;
    }
    let cipher = store::read::read_content(&input, store::read::MAX_FILE_SIZE)?;
    let to_stdout = match output {
        Some(p) => p == Path::new("-"),
        None => {
            if std::io::stdout().is_terminal() {
                return Err(Error::Usage(
                    "not printing decrypted secrets on the terminal; use -o FILE (or -o - to insist)"
                        .to_string(),
                ));
            }
            true
        }
    };
    let encrypted_with_passphrase =
        crypto::is_passphrase_encrypted(&cipher).map_err(|e| crypto_err(&input, e))?;
    let plain = if encrypted_with_passphrase {
        let p = passphrase(false)?;
        crypto::decrypt_passphrase(&cipher, &p).map_err(|e| crypto_err(&input, e))?
    } else {
        let ids: Vec<Identity> = if identities.is_empty() {
            vec![load_identity(global.identity.as_deref())?]
        } else {
            let loaded: Vec<Identity> = identities
                .iter()
                .map(|p| Identity::load(&crate::compose::resolve_path(&cwd, p)))
                .collect::<Result<_, _>>()?;
            for id in &loaded {
                warn_identity(id)?;
            }
            loaded
        };
        crypto::decrypt(&cipher, ids.iter()).map_err(|e| crypto_err(&input, e))?
    };
    if to_stdout {
        std::io::stdout().lock().write_all(&plain)?;
    } else if let Some(out) = output_path {
        if let Some(ws) = live_file_at(global, &out)? {
            return replace_live_file(global, &ws, &input, &plain);
        }
        sweep_beside(&cwd, &out)?;
        store::write_atomic(&out, &plain, &WriteOptions::default())?;
        writeln!(
            std::io::stdout(),
            "decrypted {} to {} (mode 0600)",
            crate::compose::display_path(&cwd, &input).display(),
            crate::compose::display_path(&cwd, &out).display()
        )?;
    }
    Ok(ExitCode::Clean)
}
