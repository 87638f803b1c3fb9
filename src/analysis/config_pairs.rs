//! `key: value` and `key = value` pairs read from a configuration file a service mounts
//! (YAML, JSON, TOML, INI, properties), line by line: just enough to see that a password in
//! the env file is also written there, under a key that names a secret. Not a parser of any
//! of those formats; a line it does not understand gives nothing.

/// The `(key, value)` pairs of `text`, one per line that has one, in file order. Keys are
/// bare words (`pass`, `db.password`, `"password"`); values lose their quotes and a trailing
/// comma. Comment lines (`#`, `;`, `//`) and empty values give nothing.
pub fn config_pairs(text: &str) -> Vec<(String, String)> {
    text.lines().filter_map(pair).collect()
}

fn pair(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with(['#', ';']) || line.starts_with("//") {
        return None;
    }
    let line = line.strip_prefix("- ").unwrap_or(line);
    let at = line.find([':', '='])?;
    let key = line[..at].trim().trim_matches(['"', '\'']);
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return None;
    }
    let value = line[at + 1..].trim().trim_end_matches(',').trim_end();
    let value = unquote(value);
    (!value.is_empty()).then(|| (key.to_string(), value.to_string()))
}

/// The value inside matching quotes, or the value up to a ` #` comment when unquoted.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value.split(" #").next().unwrap_or(value).trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        config_pairs(text)
    }

    fn owned<const N: usize>(expected: [(&str, &str); N]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn yaml_json_toml_and_ini_lines_give_their_pairs() {
        let yaml = "db:\n  host: db\n  pass: example-misskey-pass # change me\n  user: \"example-misskey-user\"\n";
        assert_eq!(
            pairs(yaml),
            owned([
                ("host", "db"),
                ("pass", "example-misskey-pass"),
                ("user", "example-misskey-user")
            ])
        );
        let json = "{\n  \"Password\": \"s3cr3t-value\",\n  \"Port\": 5432,\n}";
        assert_eq!(
            pairs(json),
            owned([("Password", "s3cr3t-value"), ("Port", "5432")])
        );
        let toml = "[database]\npassword = 'hunter2hunter2'\n";
        assert_eq!(pairs(toml), owned([("password", "hunter2hunter2")]));
        let ini = "; a comment\n# another\n// and one more\nsecret=abc\n";
        assert_eq!(pairs(ini), owned([("secret", "abc")]));
    }

    #[test]
    fn lines_without_a_plain_key_give_nothing() {
        for line in [
            "- name: x y: z",
            "url http://a",
            "some text: with words",
            "key:",
            "  key: ''",
        ] {
            let got = config_pairs(line);
            assert!(
                got.iter().all(|(k, _)| !k.contains(' ')) && !got.iter().any(|(_, v)| v.is_empty()),
                "{line}: {got:?}"
            );
        }
        assert!(config_pairs("some text: with words").is_empty());
        assert!(config_pairs("key:").is_empty());
    }
}
