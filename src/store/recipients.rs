//! Recipients: the public keys a backup is encrypted to.
//!
//! A recipient is an age X25519 key (`age1…`) or an SSH public key (`ssh-ed25519 …`,
//! `ssh-rsa …`), as in age's recipients files. Lists come from the project configuration
//! ([`from_config`]) or from a recipients file (`-R FILE`, [`read_recipients_file`]); in a
//! file, blank lines and lines starting with `#` are skipped.
//!
//! An unparsable line is an error naming `SOURCE:LINE`. The error never repeats the line:
//! a secret key pasted by mistake must not end up in a terminal or a CI log.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::StoreError;
use super::read::read_text;

/// A public key that backups can be encrypted to.
#[derive(Clone)]
pub struct Recipient {
    key: Key,
    /// The canonical text (for SSH keys, without the trailing comment).
    text: String,
}

#[derive(Clone)]
enum Key {
    X25519(age::x25519::Recipient),
    Ssh(age::ssh::Recipient),
}

impl Recipient {
    /// Parses one recipient (`age1…`, `ssh-ed25519 …` or `ssh-rsa …`, surrounding
    /// whitespace ignored). The error is a reason that does not repeat the input.
    pub fn parse(line: &str) -> Result<Self, String> {
        let line = line.trim();
        if line.starts_with("AGE-SECRET-KEY-") {
            return Err(
                "this is a secret key, not a recipient: use its public key (age1…) instead".into(),
            );
        }
        if line.starts_with("-----BEGIN") {
            return Err(
                "this is a private key, not a recipient: use its public key (.pub) instead".into(),
            );
        }
        if line.starts_with("age1") {
            return age::x25519::Recipient::from_str(line)
                .map(|key| Recipient::from_x25519(&key))
                .map_err(|why| {
                    format!(
                        "not a valid age X25519 recipient ({why}); plugin recipients are not supported"
                    )
                });
        }
        if line.starts_with("ssh-") {
            return age::ssh::Recipient::from_str(line)
                .map(|key| Recipient {
                    text: key.to_string(),
                    key: Key::Ssh(key),
                })
                .map_err(|why| {
                    use age::ssh::ParseRecipientKeyError as E;
                    match why {
                        E::RsaModulusTooLarge => "ssh-rsa key is too large".to_owned(),
                        E::RsaModulusTooSmall => {
                            "ssh-rsa key is too small (under 2048 bits)".to_owned()
                        }
                        E::Unsupported(kind) => format!(
                            "unsupported SSH key type {kind} (use ssh-ed25519, ssh-rsa or age1…)"
                        ),
                        _ => "not a valid SSH public key".to_owned(),
                    }
                });
        }
        Err("not a recipient (expected age1…, ssh-ed25519 … or ssh-rsa …)".into())
    }

    pub(crate) fn from_x25519(key: &age::x25519::Recipient) -> Self {
        Recipient {
            text: key.to_string(),
            key: Key::X25519(key.clone()),
        }
    }

    pub(crate) fn from_ssh(key: age::ssh::Recipient) -> Self {
        Recipient {
            text: key.to_string(),
            key: Key::Ssh(key),
        }
    }

    /// The recipient as the `age` crate's encryptor takes it.
    pub(crate) fn as_age(&self) -> &dyn age::Recipient {
        match &self.key {
            Key::X25519(key) => key,
            Key::Ssh(key) => key,
        }
    }

    /// True for SSH keys (`ssh-ed25519`, `ssh-rsa`).
    pub fn is_ssh(&self) -> bool {
        matches!(self.key, Key::Ssh(_))
    }
}

impl fmt::Display for Recipient {
    /// The canonical public key text, as it would appear in a recipients file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({})", self.text)
    }
}

impl PartialEq for Recipient {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Recipient {}

/// Parses a recipients file's text; `source_name` (usually the file's path) names the
/// origin in errors as `SOURCE:LINE`. Blank lines and `#` comments are skipped, and
/// duplicates are dropped. An empty list is not an error here: the caller may add the
/// user's own key.
pub fn parse_recipients(text: &str, source_name: &str) -> Result<Vec<Recipient>, StoreError> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line));
    collect(lines, source_name)
}

/// Parses recipients listed in the project configuration. Each entry comes with its
/// 1-based line in the configuration file `source`, so an error points at it.
pub fn from_config<'a>(
    source: &Path,
    entries: impl IntoIterator<Item = (usize, &'a str)>,
) -> Result<Vec<Recipient>, StoreError> {
    collect(entries, &source.display().to_string())
}

/// Reads a recipients file (`-R FILE`). Unlike [`parse_recipients`], a file without any
/// recipient is an error: naming a file that lists no one is a mistake.
pub fn read_recipients_file(path: &Path) -> Result<Vec<Recipient>, StoreError> {
    let loaded = read_text(path)?;
    let source_name = path.display().to_string();
    let recipients = parse_recipients(&loaded.text, &source_name)?;
    if recipients.is_empty() {
        return Err(StoreError::NoRecipients { source_name });
    }
    Ok(recipients)
}

fn collect<'a>(
    lines: impl IntoIterator<Item = (usize, &'a str)>,
    source_name: &str,
) -> Result<Vec<Recipient>, StoreError> {
    let mut recipients: Vec<Recipient> = Vec::new();
    for (line_number, line) in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let recipient = Recipient::parse(line).map_err(|reason| StoreError::BadRecipient {
            source_name: source_name.to_owned(),
            line: line_number,
            reason,
        })?;
        if !recipients.contains(&recipient) {
            recipients.push(recipient);
        }
    }
    Ok(recipients)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SSH_ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN";

    fn age_key() -> String {
        age::x25519::Identity::generate().to_public().to_string()
    }

    #[test]
    fn parses_age_and_ssh_and_skips_comments() {
        let text = format!("# team\n\n{}\n  {SSH_ED25519} alice@laptop  \n", age_key());
        let list = parse_recipients(&text, "team.txt").unwrap();
        assert_eq!(list.len(), 2);
        assert!(!list[0].is_ssh());
        assert!(list[1].is_ssh());
        // The comment is dropped from the canonical text.
        assert_eq!(list[1].to_string(), SSH_ED25519);
    }

    #[test]
    fn drops_duplicates() {
        let key = age_key();
        let list = parse_recipients(&format!("{key}\n{key}\n"), "r").unwrap();
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn bad_line_names_source_and_line_without_echoing_it() {
        let secret = age::x25519::Identity::generate();
        let secret_text = {
            use secrecy::ExposeSecret;
            secret.to_string().expose_secret().to_owned()
        };
        let text = format!("{}\n# ok\n{secret_text}\n", age_key());
        let err = parse_recipients(&text, "keys.txt").unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("keys.txt:3: this is a secret key"),
            "{shown}"
        );
        assert!(!shown.contains(&secret_text));
        assert!(!format!("{err:?}").contains(&secret_text));
    }

    #[test]
    fn explains_each_kind_of_bad_line() {
        for (line, expected) in [
            ("age1notakey", "not a valid age X25519 recipient"),
            ("ssh-ed25519 AAAA", "not a valid SSH public key"),
            (
                "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
                "not a valid SSH public key",
            ),
            ("hello", "not a recipient"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
        ] {
            let reason = Recipient::parse(line).err().unwrap();
            assert!(reason.contains(expected), "{line}: {reason}");
        }
    }

    #[test]
    fn config_entries_keep_their_line_numbers() {
        let key = age_key();
        let err =
            from_config(Path::new("envward.toml"), [(4, key.as_str()), (5, "nope")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "envward.toml:5: not a recipient (expected age1…, ssh-ed25519 … or ssh-rsa …)"
        );
    }
}
