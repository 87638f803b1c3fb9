//! The labelled real-world scorer: runs the real `envward` on every project under
//! `tests/fixtures/corpus/` and `tests/fixtures/realworld/` that carries an `expect.toml`
//! (written by a reviewer, see `tests/fixtures/LABELS.md`), and measures `check`'s precision and
//! recall against the labels and whether what `fill --yes` writes keeps the app working.
//!
//! Run `cargo test --test realworld -- --nocapture` to see the table.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    #[allow(dead_code)] // Documentation for reviewers.
    meta: BTreeMap<String, String>,
    run: Run,
    #[serde(default)]
    flag: Vec<Flag>,
    #[serde(default)]
    #[allow(dead_code)]
    clean: Vec<Clean>,
    #[serde(default)]
    class: BTreeMap<String, String>,
    #[serde(default)]
    fill: Fill,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    template: String,
    live: Option<String>,
    example: Option<String>,
    #[serde(default)]
    compose: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Flag {
    var: Option<String>,
    rules: Vec<String>,
    #[allow(dead_code)]
    why: Option<String>,
    file: Option<String>,
    line: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Clean {
    var: String,
    why: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fill {
    #[serde(default)]
    generated: Vec<String>,
    #[serde(default)]
    unchanged: Vec<String>,
    #[serde(default)]
    groups: Vec<Vec<String>>,
    /// Secrets that must hold different values after fill: no tie between them.
    #[serde(default)]
    distinct: Vec<Vec<String>>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    shape: BTreeMap<String, String>,
    #[serde(default)]
    url: Vec<UrlExpect>,
    #[serde(default)]
    jwt: Vec<JwtExpect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UrlExpect {
    var: String,
    password_of: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JwtExpect {
    var: String,
    secret: String,
    role: Option<String>,
}

/// One finding of `check --format json`, reduced to what labels can name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    rule: String,
    severity: String,
    variable: Option<String>,
    file: String,
    line: u64,
    /// The finding's message (which never holds a value): printed when a fill check fails.
    message: String,
}

impl Found {
    /// What counts once as a false positive: the same rule on the same variable (or place).
    fn unit(&self) -> String {
        match &self.variable {
            Some(v) => format!("{} {v}", self.rule),
            None => format!("{} {}:{}", self.rule, self.file, self.line),
        }
    }
}

impl Flag {
    fn matches(&self, f: &Found) -> bool {
        self.rules.contains(&f.rule)
            && self
                .var
                .as_ref()
                .is_none_or(|v| f.variable.as_ref() == Some(v))
            && self.file.as_ref().is_none_or(|p| &f.file == p)
            && self.line.is_none_or(|l| f.line == l)
    }

    fn describe(&self) -> String {
        let place = match (&self.file, self.line) {
            (Some(f), Some(l)) => format!(" at {f}:{l}"),
            (Some(f), None) => format!(" in {f}"),
            _ => String::new(),
        };
        format!(
            "{} {}{place}",
            self.rules.join("|"),
            self.var.as_deref().unwrap_or("-")
        )
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every labelled project directory, sorted.
fn labelled_projects() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for set in ["corpus", "realworld"] {
        let Ok(entries) = std::fs::read_dir(fixtures().join(set)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.join("expect.toml").is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Copies the project's files (not its labels) into a fresh directory, recursively.
fn copy_project(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "expect.toml" {
            continue;
        }
        let target = to.join(&name);
        let kind = e.file_type().unwrap();
        if kind.is_symlink() {
            // A committed link (Formbricks' `apps/web/.env -> ../../.env`) stays a link: what it
            // points to is part of the project's layout.
            std::os::unix::fs::symlink(std::fs::read_link(e.path()).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_project(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn set_private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn envward(dir: &Path, run: &Run, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_envward"));
    let home = dir.join("..").join("home");
    cmd.env("NO_COLOR", "1")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("ENVWARD_IDENTITY")
        .env_remove("COMPOSE_FILE")
        .arg("-C")
        .arg(dir);
    let live = run.live.as_deref().unwrap_or(".env");
    if live != ".env" {
        cmd.args(["--env-file", live]);
    }
    let example = run
        .example
        .clone()
        .or_else(|| (run.template != live).then(|| run.template.clone()));
    if let Some(e) = example {
        cmd.args(["--example", &e]);
    }
    for c in &run.compose {
        cmd.args(["-f", c]);
    }
    cmd.args(args);
    cmd.output().unwrap()
}

fn findings(json: &Value) -> Vec<Found> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Found {
            rule: f["rule"].as_str().unwrap().to_string(),
            severity: f["severity"].as_str().unwrap().to_string(),
            variable: f["variable"].as_str().map(str::to_string),
            file: f["file"].as_str().unwrap().to_string(),
            line: f["line"].as_u64().unwrap_or(0),
            message: f["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// The value of each key as written (quotes included; the last statement wins): what
/// "unchanged" means for a value written through `${…}`, whose reading follows its sources.
fn raw_values(text: &str) -> BTreeMap<String, String> {
    let (doc, _) = envward::dotenv::parse_recovering(text);
    doc.entries()
        .map(|e| (e.key().to_string(), e.raw_value().to_string()))
        .collect()
}

/// The values of a `.env`-syntax text as Compose reads them (last statement wins).
fn values(text: &str) -> BTreeMap<String, String> {
    let (doc, _) = envward::dotenv::parse_recovering(text);
    doc.resolve_lenient(&|_: &str| None)
        .into_iter()
        .map(|b| (b.key, b.value))
        .collect()
}

/// The password of `scheme://user:password@host…`, percent-decoded.
fn url_password(url: &str) -> Option<String> {
    let after = url.split_once("://")?.1;
    let authority = after.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, pass) = userinfo.split_once(':')?;
    Some(envward::analysis::relations::percent_decode(pass))
}

/// Whether `token` is an HS256 JWT signed with `secret` and carrying `role`.
fn jwt_ok(token: &str, secret: &str, role: Option<&str>) -> Result<(), String> {
    use hmac::Mac as _;
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err("not a JWT".into());
    }
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header: Value = serde_json::from_slice(&b64.decode(parts[0]).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    if header["alg"] != "HS256" {
        return Err(format!("alg {}", header["alg"]));
    }
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    let sig = b64.decode(parts[2]).map_err(|e| e.to_string())?;
    mac.verify_slice(&sig)
        .map_err(|_| "signature does not verify with the secret".to_string())?;
    let claims: Value = serde_json::from_slice(&b64.decode(parts[1]).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    if let Some(r) = role
        && claims["role"] != r
    {
        return Err(format!("role claim {}", claims["role"]));
    }
    Ok(())
}

/// The score of one project.
#[derive(Debug, Default)]
struct Score {
    tp: usize,
    fp: Vec<String>,
    fn_: Vec<String>,
    class_wrong: Vec<String>,
    fill_checks: usize,
    fill_failures: Vec<String>,
}

fn score(dir: &Path) -> Score {
    let expect: Expect = toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join("expect.toml").display()));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    std::fs::create_dir_all(&root).unwrap();
    copy_project(dir, &root);
    let run = &expect.run;
    let live_name = run.live.as_deref().unwrap_or(".env");
    let live_path = root.join(live_name);
    let template_text = std::fs::read_to_string(root.join(&run.template)).unwrap();
    if run.template != live_name {
        std::fs::write(&live_path, &template_text).unwrap();
    }
    set_private(&live_path);
    let mut s = Score::default();

    // check: precision and recall against the closed-world flags.
    let out = envward(&root, run, &["check", "--format", "json"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: check exited {:?}: {}",
        dir.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = findings(&json);
    for flag in &expect.flag {
        if found.iter().any(|f| flag.matches(f)) {
            s.tp += 1;
        } else {
            s.fn_.push(flag.describe());
        }
    }
    let fps: BTreeSet<String> = found
        .iter()
        .filter(|f| !expect.flag.iter().any(|flag| flag.matches(f)))
        .map(Found::unit)
        .collect();
    s.fp = fps.into_iter().collect();
    let classes: BTreeMap<&str, &str> = json["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["class"].as_str().unwrap()))
        .collect();
    for (name, want) in &expect.class {
        match classes.get(name.as_str()) {
            Some(got) if got == want => {}
            got => s.class_wrong.push(format!(
                "{name}: {} (want {want})",
                got.unwrap_or(&"absent")
            )),
        }
    }

    // fill: what it writes must keep the app working.
    let out = envward(&root, run, &["fill", "--yes"]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: fill exited {:?}: {}",
        dir.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let after_text = std::fs::read_to_string(&live_path).unwrap();
    let before = values(&template_text);
    let after = values(&after_text);
    let mut check = |ok: bool, what: String| {
        s.fill_checks += 1;
        if !ok {
            s.fill_failures.push(what);
        }
    };
    let f = &expect.fill;
    for v in &f.generated {
        let new = after.get(v).filter(|x| !x.is_empty());
        check(
            new.is_some() && new != before.get(v),
            format!("{v} not generated"),
        );
    }
    let (raw_before, raw_after) = (raw_values(&template_text), raw_values(&after_text));
    for v in &f.unchanged {
        check(
            raw_before.get(v) == raw_after.get(v),
            format!("{v} changed"),
        );
    }
    for g in &f.groups {
        let vals: BTreeSet<Option<&String>> = g.iter().map(|v| after.get(v)).collect();
        check(
            vals.len() == 1 && vals.iter().all(|v| v.is_some_and(|x| !x.is_empty())),
            format!("group {} not equal", g.join("=")),
        );
    }
    for g in &f.distinct {
        let vals: BTreeSet<Option<&String>> = g.iter().map(|v| after.get(v)).collect();
        check(
            vals.len() == g.len() && vals.iter().all(|v| v.is_some_and(|x| !x.is_empty())),
            format!("{} not all different", g.join(", ")),
        );
    }
    for v in &f.absent {
        check(
            after.contains_key(v) <= before.contains_key(v),
            format!("{v} added"),
        );
    }
    for (v, pattern) in &f.shape {
        let re = regex_lite::Regex::new(pattern).unwrap();
        check(
            after.get(v).is_some_and(|x| re.is_match(x)),
            format!("{v} does not match {pattern}"),
        );
    }
    for u in &f.url {
        let pw = after.get(&u.var).and_then(|x| url_password(x));
        check(
            pw.is_some() && pw.as_ref() == after.get(&u.password_of),
            format!("{} does not carry {}", u.var, u.password_of),
        );
    }
    for j in &f.jwt {
        let r = match (after.get(&j.var), after.get(&j.secret)) {
            (Some(t), Some(k)) => jwt_ok(t, k, j.role.as_deref()),
            _ => Err("absent".into()),
        };
        check(
            r.is_ok(),
            format!("{} vs {}: {}", j.var, j.secret, r.err().unwrap_or_default()),
        );
    }

    // Generic promises: untouched lines stay byte-identical; what fill wrote reads the same
    // under Compose's rules and dotenvy's.
    let changed: BTreeSet<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    let untouched = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                let t = l.trim_start();
                let t = t.strip_prefix("export ").unwrap_or(t);
                let key: String = t
                    .chars()
                    .take_while(|c| !matches!(c, '=' | ':' | ' ' | '\t'))
                    .collect();
                !changed.contains(&key)
            })
            .map(str::to_string)
            .collect()
    };
    let (kept_before, kept_after) = (untouched(&template_text), untouched(&after_text));
    let first_change = kept_before
        .iter()
        .zip(&kept_after)
        .position(|(a, b)| a != b)
        .or((kept_before.len() != kept_after.len())
            .then(|| kept_before.len().min(kept_after.len())));
    check(
        first_change.is_none(),
        format!("untouched line {} changed", first_change.unwrap_or(0) + 1),
    );
    let (doc, _) = envward::dotenv::parse_recovering(&after_text);
    for entry in doc
        .entries()
        .filter(|e| changed.contains(&e.key().to_string()))
    {
        let theirs: Option<String> = dotenvy::from_read_iter(entry.text().as_bytes())
            .filter_map(Result::ok)
            .find(|(k, _)| k == entry.key())
            .map(|(_, v)| v);
        if entry.raw_value().contains('$') {
            continue; // dotenvy expands differently; Compose's reading is the one that counts.
        }
        // A statement dotenvy could not read before fill either (an apostrophe in an inline
        // comment trips its parser) says nothing about what fill wrote.
        let template_entry = envward::dotenv::parse_recovering(&template_text)
            .0
            .get(entry.key())
            .map(|e| e.text().to_string());
        if template_entry.is_some_and(|t| dotenvy::from_read_iter(t.as_bytes()).any(|r| r.is_err()))
        {
            continue;
        }
        check(
            theirs.as_ref() == after.get(entry.key()),
            format!("{} reads differently under dotenvy", entry.key()),
        );
    }

    // check again: nothing fill was meant to fix is still flagged.
    let out = envward(&root, run, &["check", "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fixed: BTreeSet<&String> = f.generated.iter().collect();
    for found in findings(&json) {
        if let Some(v) = &found.variable
            && fixed.contains(v)
            && matches!(
                found.rule.as_str(),
                "missing" | "placeholder" | "weak" | "weak-default" | "derived" | "reused"
            )
        {
            check(
                false,
                format!("{v} still {} after fill: {}", found.rule, found.message),
            );
        }
    }
    s
}

#[test]
fn labelled_real_world_projects() {
    let projects = labelled_projects();
    let mut report = String::new();
    let (mut tp, mut fp, mut fn_, mut checks, mut failed) = (0, 0, 0, 0, 0);
    let mut class_wrong = 0;
    for dir in &projects {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let s = score(dir);
        tp += s.tp;
        fp += s.fp.len();
        fn_ += s.fn_.len();
        checks += s.fill_checks;
        failed += s.fill_failures.len();
        class_wrong += s.class_wrong.len();
        let _ = writeln!(
            report,
            "{name:45} tp {:3}  fp {:3}  fn {:3}  fill {:3}/{:3}",
            s.tp,
            s.fp.len(),
            s.fn_.len(),
            s.fill_checks - s.fill_failures.len(),
            s.fill_checks
        );
        for x in &s.fp {
            let _ = writeln!(report, "    FP {x}");
        }
        for x in &s.fn_ {
            let _ = writeln!(report, "    FN {x}");
        }
        for x in &s.class_wrong {
            let _ = writeln!(report, "    CLASS {x}");
        }
        for x in &s.fill_failures {
            let _ = writeln!(report, "    FILL {x}");
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let fill = ratio(checks - failed, checks);
    let _ = writeln!(
        report,
        "\n{} projects: precision {:.1}% ({tp}/{}), recall {:.1}% ({tp}/{}), fill {:.1}% ({}/{checks}), class errors {class_wrong}",
        projects.len(),
        precision * 100.0,
        tp + fp,
        recall * 100.0,
        tp + fn_,
        fill * 100.0,
        checks - failed,
    );
    eprintln!("{report}");
    if std::env::var_os("ENVWARD_SCORE_ONLY").is_some() {
        return;
    }
    assert!(
        projects.len() >= 40,
        "only {} labelled projects",
        projects.len()
    );
    assert!(
        precision >= 0.95,
        "precision {precision:.3} < 0.95\n{report}"
    );
    assert!(recall >= 0.95, "recall {recall:.3} < 0.95\n{report}");
    assert_eq!(failed, 0, "fill expectations failed\n{report}");
    assert_eq!(class_wrong, 0, "classes wrong\n{report}");
}
