//! The user's own age identity: the private key that decrypts their backups.
//!
//! Where it lives is resolved in order: `--identity FILE`, then the `ENVWARD_IDENTITY`
//! environment variable, then `identity.txt` in envward's configuration directory
//! (`~/.config/envward/identity.txt` on Linux). Only that last, default location is created
//! on first use; a file the user named explicitly must exist.
//!
//! A new identity is written through the atomic writer (mode 0600, its directory 0700) in
//! the format of `age-keygen`, so the `age` and `rage` command-line tools accept it:
//!
//! ```text
//! # created: 2025-01-31T12:00:00Z
//! # public key: age1…
//! AGE-SECRET-KEY-1…
//! ```
//!
//! Loading accepts such files (with one or more keys) and unencrypted OpenSSH
//! `ssh-ed25519` or `ssh-rsa` private keys. The secret key text is held only in buffers
//! that are wiped when dropped, and [`Identity`]'s `Debug` shows the public key only.

use std::ffi::OsString;
use std::fmt;
use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::Timestamp;
use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use super::StoreError;
use super::atomic::{WriteOptions, parent_dir, write_atomic};
use super::read::read_text;
use super::recipients::Recipient;

/// The environment variable that names the identity file.
pub const IDENTITY_ENV: &str = "ENVWARD_IDENTITY";

/// The identity file's name inside envward's configuration directory.
pub const DEFAULT_FILE_NAME: &str = "identity.txt";

/// Who chose the identity file's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityOrigin {
    /// The `--identity FILE` argument.
    Argument,
    /// The `ENVWARD_IDENTITY` environment variable.
    Environment,
    /// envward's configuration directory.
    Default,
}

impl fmt::Display for IdentityOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdentityOrigin::Argument => "--identity",
            IdentityOrigin::Environment => IDENTITY_ENV,
            IdentityOrigin::Default => "the default location",
        })
    }
}

/// An identity file's path and who chose it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPath {
    /// The file.
    pub path: PathBuf,
    /// Who chose it; only [`IdentityOrigin::Default`] files are created when missing.
    pub origin: IdentityOrigin,
}

/// Resolves the identity file from the `--identity` argument, the environment and the
/// configuration directory, in that order.
pub fn resolve_identity_path(argument: Option<&Path>) -> Result<IdentityPath, StoreError> {
    let default_dir = directories::ProjectDirs::from("", "", "envward")
        .map(|dirs| dirs.config_dir().to_path_buf());
    resolve_identity_path_from(argument, std::env::var_os(IDENTITY_ENV), default_dir)
}

/// The pure part of [`resolve_identity_path`]: the environment variable's value and the
/// configuration directory are passed in. An empty variable counts as unset.
pub fn resolve_identity_path_from(
    argument: Option<&Path>,
    environment: Option<OsString>,
    config_dir: Option<PathBuf>,
) -> Result<IdentityPath, StoreError> {
    if let Some(path) = argument {
        return Ok(IdentityPath {
            path: path.to_path_buf(),
            origin: IdentityOrigin::Argument,
        });
    }
    if let Some(value) = environment.filter(|v| !v.is_empty()) {
        return Ok(IdentityPath {
            path: PathBuf::from(value),
            origin: IdentityOrigin::Environment,
        });
    }
    config_dir
        .map(|dir| IdentityPath {
            path: dir.join(DEFAULT_FILE_NAME),
            origin: IdentityOrigin::Default,
        })
        .ok_or(StoreError::NoConfigDir)
}

/// Said once, when [`load_or_create`] made a new identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedNotice {
    /// Where the identity was written.
    pub path: PathBuf,
    /// Its public key, to share with a team.
    pub public_key: String,
}

impl fmt::Display for CreatedNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "created your envward identity at {} (public key {}); keep a copy somewhere safe: \
             losing it means losing access to your encrypted backups",
            self.path.display(),
            self.public_key
        )
    }
}

/// One or more private keys that can decrypt age files, loaded from one file.
pub struct Identity {
    keys: Vec<Key>,
    path: Option<PathBuf>,
    wide_mode: Option<u32>,
}

enum Key {
    X25519(age::x25519::Identity),
    // Boxed: an SSH key is ten times the size of an X25519 one.
    Ssh(Box<SshKey>),
}

struct SshKey {
    identity: age::ssh::Identity,
    public: age::ssh::Recipient,
}

impl Identity {
    /// A new X25519 identity that exists only in memory (tests, or a caller that stores it
    /// itself).
    pub fn generate() -> Self {
        Identity {
            keys: vec![Key::X25519(age::x25519::Identity::generate())],
            path: None,
            wide_mode: None,
        }
    }

    /// Loads an identity file: age identities (`AGE-SECRET-KEY-1…`, one or more, with `#`
    /// comments) or an unencrypted OpenSSH private key.
    pub fn load(path: &Path) -> Result<Self, StoreError> {
        let loaded = read_text(path)?;
        let wide_mode = loaded.snapshot.wide_mode();
        let text = Zeroizing::new(loaded.text);
        let keys = if text.trim_start().starts_with("-----BEGIN") {
            vec![parse_ssh(path, &text)?]
        } else {
            parse_age(path, &text)?
        };
        Ok(Identity {
            keys,
            path: Some(path.to_path_buf()),
            wide_mode,
        })
    }

    /// The public key of the first key, as `age1…` or `ssh-ed25519 …` (for `envward key`).
    pub fn public_key(&self) -> String {
        self.recipient().to_string()
    }

    /// The recipient of the first key.
    pub fn recipient(&self) -> Recipient {
        match &self.keys[0] {
            Key::X25519(key) => Recipient::from_x25519(&key.to_public()),
            Key::Ssh(ssh) => Recipient::from_ssh(ssh.public.clone()),
        }
    }

    /// The recipients of every key in the file.
    pub fn recipients(&self) -> Vec<Recipient> {
        self.keys
            .iter()
            .map(|key| match key {
                Key::X25519(key) => Recipient::from_x25519(&key.to_public()),
                Key::Ssh(ssh) => Recipient::from_ssh(ssh.public.clone()),
            })
            .collect()
    }

    /// The file it was loaded from, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The file's permission bits when they let the group or others in, so the caller can
    /// warn that the private key is exposed.
    pub fn wide_mode(&self) -> Option<u32> {
        self.wide_mode
    }

    /// The keys as the `age` crate's decryptor takes them.
    pub(crate) fn age_identities(&self) -> impl Iterator<Item = &dyn age::Identity> {
        self.keys.iter().map(|key| match key {
            Key::X25519(key) => key as &dyn age::Identity,
            Key::Ssh(ssh) => &ssh.identity as &dyn age::Identity,
        })
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("path", &self.path)
            .field("public_key", &self.public_key())
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

/// Loads the identity at `at`, or creates it if it is missing from the default location.
///
/// A missing file named by `--identity` or `ENVWARD_IDENTITY` is an error
/// ([`StoreError::IdentityNotFound`]) rather than silently replaced by a new key. When a
/// new identity is created, the [`CreatedNotice`] says where and warns that losing it
/// loses the backups. `now` is written in the file's `# created:` line.
pub fn load_or_create(
    at: &IdentityPath,
    now: Timestamp,
) -> Result<(Identity, Option<CreatedNotice>), StoreError> {
    match Identity::load(&at.path) {
        Ok(identity) => return Ok((identity, None)),
        Err(StoreError::NotFound { path }) => {
            if at.origin != IdentityOrigin::Default {
                return Err(StoreError::IdentityNotFound {
                    path,
                    origin: at.origin,
                });
            }
        }
        Err(err) => return Err(err),
    }
    match create(&at.path, now) {
        Ok(identity) => {
            let notice = CreatedNotice {
                path: at.path.clone(),
                public_key: identity.public_key(),
            };
            Ok((identity, Some(notice)))
        }
        // Another envward created it first: use theirs.
        Err(StoreError::AlreadyExists { .. }) => Ok((Identity::load(&at.path)?, None)),
        Err(err) => Err(err),
    }
}

/// Generates an identity and writes it to `path`, which must not exist yet. Missing
/// directories are created with mode 0700.
pub fn create(path: &Path, now: Timestamp) -> Result<Identity, StoreError> {
    let dir = parent_dir(path);
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| StoreError::io(dir, "create the directory", e))?;
    let key = age::x25519::Identity::generate();
    let file = Zeroizing::new(format!(
        "# created: {}\n# public key: {}\n{}\n",
        now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        key.to_public(),
        key.to_string().expose_secret()
    ));
    let options = WriteOptions {
        create_new: true,
        ..WriteOptions::default()
    };
    write_atomic(path, file.as_bytes(), &options)?;
    Ok(Identity {
        keys: vec![Key::X25519(key)],
        path: Some(path.to_path_buf()),
        wide_mode: None,
    })
}

fn parse_age(path: &Path, text: &str) -> Result<Vec<Key>, StoreError> {
    let mut keys = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = age::x25519::Identity::from_str(line).map_err(|_| StoreError::BadIdentity {
            path: path.to_path_buf(),
            line: Some(index + 1),
            reason: if line.starts_with("age1") || line.starts_with("ssh-") {
                "this is a public key (a recipient), not an identity".into()
            } else if line.starts_with("AGE-PLUGIN-") {
                "plugin identities are not supported".into()
            } else {
                "not an age identity (expected AGE-SECRET-KEY-1…)".into()
            },
        })?;
        keys.push(Key::X25519(key));
    }
    if keys.is_empty() {
        return Err(StoreError::BadIdentity {
            path: path.to_path_buf(),
            line: None,
            reason: "contains no identity".into(),
        });
    }
    Ok(keys)
}

fn parse_ssh(path: &Path, text: &str) -> Result<Key, StoreError> {
    let bad = |reason: String| StoreError::BadIdentity {
        path: path.to_path_buf(),
        line: None,
        reason,
    };
    let identity = age::ssh::Identity::from_buffer(text.as_bytes(), None)
        .map_err(|_| bad("not a valid OpenSSH private key".into()))?;
    match &identity {
        age::ssh::Identity::Unencrypted(_) => {}
        age::ssh::Identity::Encrypted(_) => {
            return Err(bad(
                "passphrase-protected SSH keys are not supported; use an age identity \
                 (age-keygen) or an unencrypted key"
                    .into(),
            ));
        }
        age::ssh::Identity::Unsupported(kind) => {
            let kind = match kind {
                age::ssh::UnsupportedKey::Type(name) | age::ssh::UnsupportedKey::Hardware(name) => {
                    name.clone()
                }
                _ => "key format".into(),
            };
            return Err(bad(format!(
                "unsupported SSH {kind} (use ssh-ed25519, ssh-rsa or an age identity)"
            )));
        }
    }
    let public = age::ssh::Recipient::try_from(identity.clone())
        .map_err(|_| bad("unsupported SSH key type".into()))?;
    Ok(Key::Ssh(Box::new(SshKey { identity, public })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2025-01-31T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn argument_beats_environment_beats_default() {
        let arg = Path::new("/a/id.txt");
        let env = Some(OsString::from("/e/id.txt"));
        let dir = Some(PathBuf::from("/home/u/.config/envward"));
        let chosen = resolve_identity_path_from(Some(arg), env.clone(), dir.clone()).unwrap();
        assert_eq!(chosen.origin, IdentityOrigin::Argument);
        assert_eq!(chosen.path, arg);
        let chosen = resolve_identity_path_from(None, env, dir.clone()).unwrap();
        assert_eq!(chosen.origin, IdentityOrigin::Environment);
        assert_eq!(chosen.path, Path::new("/e/id.txt"));
        let chosen = resolve_identity_path_from(None, Some(OsString::new()), dir).unwrap();
        assert_eq!(chosen.origin, IdentityOrigin::Default);
        assert_eq!(
            chosen.path,
            Path::new("/home/u/.config/envward/identity.txt")
        );
        assert!(matches!(
            resolve_identity_path_from(None, None, None),
            Err(StoreError::NoConfigDir)
        ));
    }

    #[test]
    fn creates_in_age_keygen_format_then_loads_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let at = IdentityPath {
            path: dir.path().join("conf/envward/identity.txt"),
            origin: IdentityOrigin::Default,
        };
        let (created, notice) = load_or_create(&at, now()).unwrap();
        let notice = notice.unwrap();
        assert_eq!(notice.public_key, created.public_key());
        assert!(notice.to_string().contains("losing it"));
        let text = std::fs::read_to_string(&at.path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "# created: 2025-01-31T12:00:00Z");
        assert_eq!(lines[1], format!("# public key: {}", created.public_key()));
        assert!(lines[2].starts_with("AGE-SECRET-KEY-1"));

        let (loaded, notice) = load_or_create(&at, now()).unwrap();
        assert!(notice.is_none());
        assert_eq!(loaded.public_key(), created.public_key());
    }

    #[test]
    fn explicit_missing_file_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let at = IdentityPath {
            path: dir.path().join("missing.txt"),
            origin: IdentityOrigin::Environment,
        };
        let err = load_or_create(&at, now()).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("missing.txt: identity file not found (named by ENVWARD_IDENTITY)"),
            "{err}"
        );
        assert!(!at.path.exists());
    }

    #[test]
    fn bad_lines_are_named_without_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.txt");
        let public = age::x25519::Identity::generate().to_public().to_string();
        std::fs::write(&path, format!("# comment\n{public}\n")).unwrap();
        let err = Identity::load(&path).unwrap_err().to_string();
        assert!(err.ends_with("id.txt:2: this is a public key (a recipient), not an identity"));
        assert!(!err.contains(&public));
        std::fs::write(&path, "# only comments\n").unwrap();
        let err = Identity::load(&path).unwrap_err().to_string();
        assert!(err.ends_with("id.txt: contains no identity"), "{err}");
    }

    #[test]
    fn debug_shows_only_the_public_key() {
        let identity = Identity::generate();
        let shown = format!("{identity:?}");
        assert!(shown.contains(&identity.public_key()));
        assert!(!shown.contains("AGE-SECRET-KEY"));
    }
}
