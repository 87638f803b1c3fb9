//! `update()` for every action, on a temporary copy of the example project. Commands are
//! not performed here except generation, which runs with a seeded generator; saving is
//! answered with hand-made `Saved` messages, so these tests never write the live file.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rand::SeedableRng;
use rand::rngs::StdRng;
use secrecy::ExposeSecret;

use std::fmt::Write as _;

use super::*;
use crate::analysis::FileFacts;
use crate::cli::GlobalArgs;
use crate::cli::workspace;
use crate::tui::model::Row;
use crate::tui::model::{Busy, DiffKind};
use crate::tui::model::{Filter, Options};
use crate::tui::msg::{Reloaded, SaveDone, SaveFailure, SaveJob};

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    model: Model,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chat4all");
    std::fs::create_dir(&dir).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chat4all");
    for f in ["compose.yaml", ".env.example"] {
        std::fs::copy(example.join(f), dir.join(f)).unwrap();
    }
    let model = load(&dir);
    Fixture {
        _tmp: tmp,
        dir,
        model,
    }
}

fn load(dir: &Path) -> Model {
    let global = GlobalArgs {
        directory: Some(dir.to_path_buf()),
        ..GlobalArgs::default()
    };
    model_of(workspace::load_with(&global, true).unwrap())
}

/// The model on a loaded workspace, with a fixed clock, at 80×24.
fn model_of(ws: crate::cli::workspace::Workspace) -> Model {
    let policy = ws.policy(None);
    let mut model = Model::new(
        ws,
        crate::analysis::Knowledge::builtin().unwrap(),
        policy,
        FileFacts::default(),
        "2025-01-01T00:00:00Z".parse().unwrap(),
        Options::default(),
    );
    update(&mut model, Msg::Resize(80, 24));
    model
}

fn code(model: &mut Model, code: KeyCode) -> Option<Cmd> {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(model: &mut Model, c: char) -> Option<Cmd> {
    code(model, KeyCode::Char(c))
}

fn ctrl(model: &mut Model, c: char) -> Option<Cmd> {
    update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

/// Performs a `Generate` command with a seeded generator and feeds the answer back.
/// The screen's text at 160×50, each row trimmed.
fn screen_text(model: &mut Model) -> String {
    update(model, Msg::Resize(160, 50));
    model.settle();
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 50)).unwrap();
    terminal
        .draw(|frame| crate::tui::view(model, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}

fn run_generate(model: &mut Model, cmd: Option<Cmd>) {
    let Some(Cmd::Generate(reqs)) = cmd else {
        panic!("expected a Generate command, got {cmd:?}");
    };
    let msg = generate(&reqs, &mut StdRng::seed_from_u64(3));
    assert!(update(model, msg).is_none());
}

/// Does what the worker does for a save (writes the text, reads the file back) and returns
/// its answer.
fn worker_saved(dir: &Path, job: &SaveJob, backups: &[&str], notice: Option<&str>) -> Msg {
    std::fs::write(dir.join(".env"), &job.text).unwrap();
    let disk = workspace::read_env_file(dir, &dir.join(".env"), true).unwrap();
    Msg::Saved(Ok(Box::new(SaveDone {
        live: ".env".into(),
        backups: backups.iter().map(Into::into).collect(),
        notice: notice.map(str::to_string),
        housekeeping: Vec::new(),
        disk,
        facts: FileFacts {
            mode: Some(0o600),
            git: None,
            leftovers: Vec::new(),
            rotation: crate::rotate::State::default(),
        },
        revision: job.revision,
    })))
}

fn selected_name(model: &Model) -> String {
    model.selected_var().unwrap().1.name.clone()
}

fn select(model: &mut Model, name: &str) {
    model.selected = model
        .rows
        .iter()
        .position(|r| matches!(r, Row::Var(i) if model.inv.variables[*i].name == name));
    assert!(model.selected.is_some(), "{name} not listed");
}

fn status_of(model: &Model, name: &str) -> Status {
    model.inv.get(name).unwrap().status
}

fn status_text(model: &Model) -> String {
    model
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn starts_on_the_first_problem_with_a_hint() {
    let f = fixture();
    assert_eq!(selected_name(&f.model), "POSTGRES_PASSWORD");
    // The hint says what G really does: no .env yet, so it makes one from the example.
    assert!(
        status_text(&f.model).contains("G makes .env from .env.example and generates 9 secrets"),
        "{}",
        status_text(&f.model)
    );
    assert!(!f.model.is_dirty());
}

#[test]
fn down_and_up_skip_section_headings_and_stop_at_the_ends() {
    let mut f = fixture();
    let m = &mut f.model;
    code(m, KeyCode::Home);
    assert_eq!(selected_name(m), "POSTGRES_DB");
    code(m, KeyCode::Up);
    assert_eq!(selected_name(m), "POSTGRES_DB");
    select(m, "MINIO_ROOT_PASSWORD");
    ch(m, 'j');
    // The "WhatsApp connector" heading is skipped.
    assert_eq!(selected_name(m), "WHATSAPP_API_TOKEN");
    ch(m, 'k');
    assert_eq!(selected_name(m), "MINIO_ROOT_PASSWORD");
    code(m, KeyCode::Down);
    assert_eq!(selected_name(m), "WHATSAPP_API_TOKEN");
    code(m, KeyCode::End);
    // Compose-only variables come last, under their own heading.
    assert_eq!(selected_name(m), "GRAFANA_PORT");
    code(m, KeyCode::Down);
    assert_eq!(selected_name(m), "GRAFANA_PORT");
}

#[test]
fn page_keys_move_a_screenful_and_keep_the_selection_visible() {
    let mut f = fixture();
    let m = &mut f.model;
    code(m, KeyCode::Home);
    let page = m.list_height();
    code(m, KeyCode::PageDown);
    let sel = m.selected.unwrap();
    assert!(sel >= page, "moved {sel} rows for a page of {page}");
    assert!(sel >= m.offset && sel < m.offset + page);
    code(m, KeyCode::PageUp);
    assert_eq!(selected_name(m), "POSTGRES_DB");
    assert_eq!(m.offset, 0);
}

#[test]
fn g_generates_the_selected_secret_and_reanalyses() {
    let mut f = fixture();
    let m = &mut f.model;
    assert_eq!(status_of(m, "POSTGRES_PASSWORD"), Status::Missing);
    let cmd = ch(m, 'g');
    let Some(Cmd::Generate(reqs)) = &cmd else {
        panic!("{cmd:?}");
    };
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].name, "POSTGRES_PASSWORD");
    run_generate(m, cmd);
    assert_eq!(status_of(m, "POSTGRES_PASSWORD"), Status::Ok);
    assert!(m.is_dirty());
    assert!(status_text(m).contains("Generated POSTGRES_PASSWORD (43 chars, hidden)"));
}

#[test]
fn g_refuses_provider_tokens_and_config() {
    let mut f = fixture();
    let m = &mut f.model;
    select(m, "WHATSAPP_API_TOKEN");
    assert!(ch(m, 'g').is_none());
    assert!(status_text(m).contains("issued by a provider"));
    select(m, "POSTGRES_DB");
    assert!(ch(m, 'g').is_none());
    assert!(status_text(m).contains("configuration"));
    assert!(!m.is_dirty());
}

#[test]
fn shift_g_fixes_every_generatable_secret() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = update(
        m,
        Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)),
    );
    run_generate(m, cmd);
    for v in &m.inv.variables {
        assert!(
            !plan::is_fillable(v, &FIXABLE),
            "{} is still {:?}",
            v.name,
            v.status
        );
    }
    assert_eq!(m.inv.status_counts()[0], (Status::Missing, 0));
    assert!(m.is_dirty());
    // Nothing is left for a second G.
    assert!(ch(m, 'G').is_none());
    assert!(status_text(m).contains("Nothing to generate"));
}

/// A project of its own files: the compose file, the example and maybe a live file.
fn project(compose: &str, example: &str, live: Option<&str>) -> (tempfile::TempDir, Model) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("compose.yaml"), compose).unwrap();
    std::fs::write(dir.join(".env.example"), example).unwrap();
    if let Some(live) = live {
        std::fs::write(dir.join(".env"), live).unwrap();
    }
    let model = load(dir);
    (tmp, model)
}

/// A project whose two variables hold one password: the server's and the app's copy.
fn grouped(live: Option<&str>) -> (tempfile::TempDir, Model) {
    project(
        "services:\n  db:\n    image: postgres:16\n    environment:\n      \
         POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  app:\n    image: example/app\n    \
         environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n",
        "POSTGRES_PASSWORD=\n# Must be the same as POSTGRES_PASSWORD\nDB_PASSWORD=\n",
        live,
    )
}

fn value(m: &Model, name: &str) -> String {
    m.doc()
        .and_then(|d| d.get(name))
        .map(|e| e.raw_value().to_string())
        .unwrap_or_default()
}

#[test]
fn saving_says_which_old_backups_it_pruned_and_which_leftovers_it_removed() {
    let f = fixture();
    std::fs::write(f.dir.join("envward.toml"), "[backup]\nkeep = 1\n").unwrap();
    std::fs::write(f.dir.join(".env"), "POSTGRES_DB=chat4all\n").unwrap();
    // What an interrupted save leaves: a whole plaintext copy, named as the store names it.
    let leftover = f.dir.join(".env.envward-tmp-Ab3xYz.env");
    std::fs::write(&leftover, "X=1\n").unwrap();
    // Left by an earlier process: older than this one (a file written now is another save's).
    std::fs::File::options()
        .write(true)
        .open(&leftover)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    // An older backup, beyond what `keep = 1` keeps once this save has written its own.
    let old = f.dir.join(".env.000001.20250101T000000Z.age");
    std::fs::write(&old, "age-encryption.org/v1\n").unwrap();
    let mut m = load(&f.dir);
    let cmd = ch(&mut m, 'G');
    run_generate(&mut m, cmd);
    let Some(Cmd::Save(mut job)) = ch(&mut m, 's') else {
        panic!("s saves");
    };
    let identity = f.dir.join("identity.txt");
    let key = age::x25519::Identity::generate();
    std::fs::write(&identity, format!("{}\n", key.to_string().expose_secret())).unwrap();
    job.options.identity = Some(identity);
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Save(job));
    update(&mut m, done);
    let said = status_text(&m);
    // The save's own backups are never pruned; the older one is.
    assert!(said.contains("pruned 1 old backup"), "{said}");
    assert!(!old.exists());
    assert!(
        said.contains("removed 1 temporary file an interrupted save left"),
        "{said}"
    );
    assert!(!f.dir.join(".env.envward-tmp-Ab3xYz.env").exists());
}

#[test]
fn shift_g_makes_one_value_per_group_and_keeps_a_good_one() {
    // Neither has a value: one is generated and the other follows it.
    let (_tmp, mut m) = grouped(None);
    let cmd = ch(&mut m, 'G');
    let Some(Cmd::Generate(steps)) = &cmd else {
        panic!("G asks for values");
    };
    assert_eq!(steps.len(), 1, "one value for the group: {steps:?}");
    run_generate(&mut m, cmd);
    let pg = value(&m, "POSTGRES_PASSWORD");
    assert!(pg.len() >= 16, "a strong value");
    assert_eq!(
        value(&m, "DB_PASSWORD"),
        pg,
        "the app gets the server's password"
    );
    assert_eq!(status_of(&m, "DB_PASSWORD"), Status::Ok);

    // The server already runs with a good password: the app's copy takes it, nothing new.
    let good = "Vq3t9LmZ2pXw8RkYb4nQe7Hs5Jd2Kf6Ga9Uc";
    let (_tmp, mut m) = grouped(Some(&format!("POSTGRES_PASSWORD={good}\nDB_PASSWORD=\n")));
    let cmd = ch(&mut m, 'G');
    run_generate(&mut m, cmd);
    assert_eq!(
        value(&m, "POSTGRES_PASSWORD"),
        good,
        "the running value stays"
    );
    assert_eq!(value(&m, "DB_PASSWORD"), good);
}

#[test]
fn the_change_preview_says_what_follows_what_and_the_detail_what_is_tied() {
    let (_tmp, mut m) = project(
        "services:\n  db:\n    image: postgres:16\n    environment:\n      \
         POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  app:\n    image: example/app\n    \
         environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      DATABASE_URL: ${DATABASE_URL}\n",
        "POSTGRES_PASSWORD=change_me\n# Must be the same as POSTGRES_PASSWORD\nDB_PASSWORD=change_me\n\
         DATABASE_URL=postgres://postgres:change_me@db:5432/app\n",
        None,
    );
    select(&mut m, "POSTGRES_PASSWORD");
    let shown = screen_text(&mut m);
    assert!(shown.contains("Tied to"), "{shown}");
    assert!(shown.contains("same value as DB_PASSWORD"), "{shown}");
    let cmd = ch(&mut m, 'G');
    run_generate(&mut m, cmd);
    let lines = diff(&m);
    let why = |name: &str| {
        lines
            .iter()
            .find(|l| l.name == name)
            .and_then(|l| l.why.clone())
    };
    assert_eq!(
        why("DATABASE_URL").as_deref(),
        Some("carries POSTGRES_PASSWORD's new password")
    );
    assert_eq!(
        why("DB_PASSWORD").as_deref(),
        Some("same value as POSTGRES_PASSWORD")
    );
    ch(&mut m, 'd');
    let shown = screen_text(&mut m);
    assert!(
        shown.contains("(carries POSTGRES_PASSWORD's new password)"),
        "{shown}"
    );
    assert!(!shown.contains("change_me"), "values stay hidden: {shown}");
}

#[test]
fn g_on_a_group_member_replaces_the_whole_group() {
    let good = "Vq3t9LmZ2pXw8RkYb4nQe7Hs5Jd2Kf6Ga9Uc";
    let (_tmp, mut m) = grouped(Some(&format!(
        "POSTGRES_PASSWORD={good}\nDB_PASSWORD={good}\n"
    )));
    select(&mut m, "DB_PASSWORD");
    assert!(ch(&mut m, 'g').is_none(), "a good saved value: asks first");
    let Mode::Confirm(c) = &m.mode else {
        panic!("a question");
    };
    assert!(
        c.text.contains("POSTGRES_PASSWORD (db, image postgres)"),
        "the question names the volume its group initialises: {}",
        c.text
    );
    let cmd = ch(&mut m, 'y');
    run_generate(&mut m, cmd);
    let new = value(&m, "DB_PASSWORD");
    assert_ne!(new, good);
    assert_eq!(
        value(&m, "POSTGRES_PASSWORD"),
        new,
        "the server's copy follows"
    );
}

#[test]
fn edit_sets_a_typed_value_and_esc_leaves_it() {
    let mut f = fixture();
    let m = &mut f.model;
    select(m, "TELEGRAM_BOT_TOKEN");
    // Enter opens the detail, never the editor.
    code(m, KeyCode::Enter);
    assert!(matches!(m.mode, Mode::List) && m.zoom);
    code(m, KeyCode::Enter);
    ch(m, 'e');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.name == "TELEGRAM_BOT_TOKEN" && !e.reveal));
    for c in "123456:ABCx".chars() {
        ch(m, c);
    }
    code(m, KeyCode::Backspace);
    ctrl(m, 'r');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.reveal && e.text().as_str() == "123456:ABC"));
    code(m, KeyCode::Esc);
    assert!(matches!(m.mode, Mode::List));
    // Compose passes it through by name only: an optional use, not missing (issue 9).
    assert_eq!(status_of(m, "TELEGRAM_BOT_TOKEN"), Status::Ok);
    assert!(!m.is_dirty());

    ch(m, 'e');
    update(
        m,
        Msg::Paste("1234567890:AAHk-example-bot-token-value_abcdefghi".into()),
    );
    code(m, KeyCode::Enter);
    assert!(matches!(m.mode, Mode::List));
    assert!(m.is_dirty());
    assert_eq!(status_of(m, "TELEGRAM_BOT_TOKEN"), Status::Ok);
    let i = m
        .inv
        .variables
        .iter()
        .position(|v| v.name == "TELEGRAM_BOT_TOKEN")
        .unwrap();
    assert_eq!(
        m.value(i).unwrap().expose_secret(),
        "1234567890:AAHk-example-bot-token-value_abcdefghi"
    );
}

#[test]
fn edit_keys_are_typed_not_obeyed() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, 'e');
    for c in "qsGu?".chars() {
        assert!(ch(m, c).is_none());
    }
    assert!(!m.quit);
    assert!(matches!(&m.mode, Mode::Edit(e) if e.text().as_str() == "qsGu?"));
}

#[test]
fn r_reveals_until_the_selection_moves() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, 'r');
    assert_eq!(m.revealed.as_deref(), Some("POSTGRES_PASSWORD"));
    ch(m, 'r');
    assert_eq!(m.revealed, None);
    ch(m, 'r');
    ch(m, 'j');
    assert_eq!(m.revealed, None);
}

#[test]
fn u_undoes_changes_one_at_a_time() {
    let mut f = fixture();
    let m = &mut f.model;
    assert!(ch(m, 'u').is_none());
    assert!(status_text(m).contains("Nothing to undo"));
    let cmd = ch(m, 'g');
    run_generate(m, cmd);
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    assert_eq!(m.inv.status_counts()[0], (Status::Missing, 0));
    ch(m, 'u');
    assert!(status_text(m).contains("Undid: generated"));
    assert_eq!(status_of(m, "POSTGRES_PASSWORD"), Status::Ok);
    // The first change made the new file from the example, placeholders included.
    assert_eq!(status_of(m, "REDIS_PASSWORD"), Status::Placeholder);
    assert!(m.is_dirty());
    ch(m, 'u');
    assert_eq!(status_of(m, "POSTGRES_PASSWORD"), Status::Missing);
    assert!(!m.is_dirty());
    assert!(m.doc().is_none());
}

#[test]
fn d_previews_changes_masked_by_the_view_and_esc_closes() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, 'd');
    assert!(matches!(m.mode, Mode::List));
    assert!(status_text(m).contains("No unsaved changes"));
    let cmd = ch(m, 'g');
    run_generate(m, cmd);
    ch(m, 'd');
    assert!(matches!(m.mode, Mode::Diff(0)));
    let lines = diff(m);
    let pg = lines
        .iter()
        .find(|l| l.name == "POSTGRES_PASSWORD")
        .unwrap();
    assert_eq!(pg.kind, DiffKind::Added);
    assert!(pg.sensitive && pg.old.is_none());
    let db = lines.iter().find(|l| l.name == "POSTGRES_DB").unwrap();
    assert!(!db.sensitive);
    ch(m, 'j');
    assert!(matches!(m.mode, Mode::Diff(1)));
    code(m, KeyCode::Esc);
    assert!(matches!(m.mode, Mode::List));
}

#[test]
fn s_saves_on_the_worker_and_the_answer_names_both_files() {
    let mut f = fixture();
    let m = &mut f.model;
    assert!(ch(m, 's').is_none());
    assert!(status_text(m).contains("Nothing to save"));
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    let Some(Cmd::Save(job)) = ch(m, 's') else {
        panic!("no save");
    };
    assert!(job.text.contains("POSTGRES_PASSWORD="));
    assert!(
        job.ws.live.is_none(),
        "the save compares against the file as read"
    );
    assert_eq!(m.busy, Some(Busy::Saving));
    assert!(ch(m, 's').is_none(), "one save at a time");
    assert!(status_text(m).contains("Still working"));
    // update() wrote nothing: saving is the worker's job.
    assert!(!f.dir.join(".env").exists());

    // Answer as the worker would, with the file it wrote.
    update(
        m,
        worker_saved(&f.dir, &job, &[".env.20250101T000000Z.age"], None),
    );
    assert_eq!(m.busy, None);
    assert!(!m.is_dirty());
    assert_eq!(
        status_text(m),
        "Saved .env (0600) · backup .env.20250101T000000Z.age"
    );
    assert!(m.disk.is_some());
}

#[test]
fn a_save_refused_for_a_change_on_disk_offers_to_reload() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    assert!(matches!(ch(m, 's'), Some(Cmd::Save(_))));
    update(
        m,
        Msg::Saved(Err(SaveFailure::ChangedOnDisk("changed on disk".into()))),
    );
    assert!(matches!(m.mode, Mode::Conflict));
    assert!(m.is_dirty());
    code(m, KeyCode::Esc);
    assert!(matches!(m.mode, Mode::List));
    assert!(m.is_dirty());

    assert!(matches!(ch(m, 's'), Some(Cmd::Save(_))));
    update(m, Msg::Saved(Err(SaveFailure::ChangedOnDisk("x".into()))));
    // `R` reloads (`r` reveals, everywhere).
    assert!(ch(m, 'r').is_none());
    let Some(Cmd::Reload(job)) = ch(m, 'R') else {
        panic!("no reload");
    };
    assert_eq!(job.path, f.dir.join(".env"));
    std::fs::write(f.dir.join(".env"), "POSTGRES_PASSWORD=short\n").unwrap();
    let disk = workspace::read_env_file(&f.dir, &job.path, true).unwrap();
    update(
        m,
        Msg::Reloaded(Ok(Box::new(Reloaded {
            disk: Some(disk),
            facts: FileFacts::default(),
        }))),
    );
    assert!(!m.is_dirty());
    assert!(m.undo.is_empty());
    assert_eq!(status_of(m, "POSTGRES_PASSWORD"), Status::Weak);
    assert!(status_text(m).contains("Reloaded"));
}

#[test]
fn other_save_failures_are_reported_and_keep_the_changes() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    ch(m, 's');
    update(
        m,
        Msg::Saved(Err(SaveFailure::Other(".env: permission denied".into()))),
    );
    assert!(status_text(m).contains("Not saved: .env: permission denied"));
    assert!(m.is_dirty());
    assert_eq!(m.busy, None);
}

#[test]
fn q_quits_at_once_when_clean_and_asks_when_dirty() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = ch(m, 'g');
    run_generate(m, cmd);
    ch(m, 'q');
    assert!(matches!(m.mode, Mode::ConfirmQuit));
    assert!(!m.quit);
    ch(m, 'n');
    assert!(matches!(m.mode, Mode::List));
    ch(m, 'q');
    ch(m, 'y');
    assert!(m.quit);

    let mut f = fixture();
    ch(&mut f.model, 'q');
    assert!(f.model.quit);
}

#[test]
fn s_in_the_quit_prompt_saves_then_quits() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    ch(m, 'q');
    let Some(Cmd::Save(job)) = ch(m, 's') else {
        panic!("no save");
    };
    assert!(!m.quit);
    update(m, worker_saved(&f.dir, &job, &[], None));
    assert!(m.quit);
}

#[test]
fn slash_searches_names_and_esc_clears() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, '/');
    assert!(matches!(m.mode, Mode::Search));
    for c in "insta".chars() {
        ch(m, c);
    }
    let names: Vec<&str> = m
        .rows
        .iter()
        .filter_map(|r| match r {
            Row::Var(i) => Some(m.inv.variables[*i].name.as_str()),
            Row::Section(_) => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            "INSTAGRAM_ACCESS_TOKEN",
            "INSTAGRAM_APP_SECRET",
            "INSTAGRAM_VERIFY_TOKEN"
        ]
    );
    assert_eq!(m.rows[0], Row::Section("Instagram connector".into()));
    code(m, KeyCode::Backspace);
    assert_eq!(m.search, "inst");
    code(m, KeyCode::Enter);
    assert!(matches!(m.mode, Mode::List));
    assert_eq!(m.search, "inst");
    code(m, KeyCode::Esc);
    assert!(m.search.is_empty());
    assert_eq!(
        m.rows.iter().filter(|r| matches!(r, Row::Var(_))).count(),
        24
    );

    ch(m, '/');
    ch(m, 'x');
    code(m, KeyCode::Esc);
    assert!(m.search.is_empty() && matches!(m.mode, Mode::List));
}

#[test]
fn f_cycles_the_status_filter() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, 'f');
    assert_eq!(m.filter, Filter::Problems);
    assert!(m.rows.iter().all(|r| match r {
        Row::Var(i) => m.inv.variables[*i].status != Status::Ok,
        Row::Section(_) => true,
    }));
    ch(m, 'f');
    assert_eq!(m.filter, Filter::Only(Status::Missing));
    for _ in 0..Status::ALL.len() {
        ch(m, 'f');
    }
    assert_eq!(m.filter, Filter::All);
    ch(m, 'f');
    code(m, KeyCode::Esc);
    assert_eq!(m.filter, Filter::All);
}

#[test]
fn tab_enlarges_the_detail_pane_and_help_opens_and_closes() {
    let mut f = fixture();
    let m = &mut f.model;
    let before = m.list_height();
    code(m, KeyCode::Tab);
    assert!(m.zoom);
    assert!(m.list_height() < before);
    ch(m, '?');
    assert!(matches!(m.mode, Mode::Help));
    ch(m, 'g');
    assert!(
        matches!(m.mode, Mode::Help),
        "keys of the list do nothing under help"
    );
    code(m, KeyCode::Esc);
    assert!(matches!(m.mode, Mode::List));
}

#[test]
fn esc_in_the_list_clears_the_message() {
    let mut f = fixture();
    let m = &mut f.model;
    assert!(m.status.is_some());
    code(m, KeyCode::Esc);
    assert!(m.status.is_none());
}

#[test]
fn ctrl_c_asks_like_q_with_unsaved_changes_and_twice_leaves() {
    let mut f = fixture();
    ctrl(&mut f.model, 'c');
    assert!(f.model.quit, "nothing unsaved: Ctrl-C quits at once");

    let mut f = fixture();
    let cmd = ch(&mut f.model, 'G');
    run_generate(&mut f.model, cmd);
    ctrl(&mut f.model, 'c');
    assert!(!f.model.quit);
    assert!(matches!(f.model.mode, Mode::ConfirmQuit));
    ch(&mut f.model, 'n');
    assert!(matches!(f.model.mode, Mode::List) && !f.model.quit);
    ctrl(&mut f.model, 'c');
    ctrl(&mut f.model, 'c');
    assert!(f.model.quit, "a second Ctrl-C leaves without saving");

    let mut f = fixture();
    ch(&mut f.model, 'e');
    update(&mut f.model, Msg::Terminate);
    assert!(f.model.quit);
}

#[test]
fn resize_keeps_the_selection_on_screen() {
    let mut f = fixture();
    let m = &mut f.model;
    code(m, KeyCode::End);
    update(m, Msg::Resize(80, 12));
    let h = m.list_height();
    let sel = m.selected.unwrap();
    assert!(
        sel >= m.offset && sel < m.offset + h,
        "{sel} not in {}..+{h}",
        m.offset
    );
    assert_eq!(m.size, (80, 12));
}

#[test]
fn a_generator_failure_is_reported_without_a_change() {
    let mut f = fixture();
    let m = &mut f.model;
    update(
        m,
        Msg::Generated(Err(crate::generate::GenerateError::Rng(
            "no entropy".into(),
        ))),
    );
    assert!(status_text(m).contains("Could not generate"));
    assert!(!m.is_dirty());
}

/// The identity notice ("keep this key: losing it loses the backups") must be read whole,
/// not cut off in the status line.
#[test]
fn a_new_identity_notice_is_shown_until_acknowledged() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    let Some(Cmd::Save(job)) = ch(m, 's') else {
        panic!("no save");
    };
    let notice = "created your envward identity at /home/u/.config/envward/identity.txt; keep a copy somewhere safe: losing it means losing access to your encrypted backups";
    update(
        m,
        worker_saved(&f.dir, &job, &[".env.20250101T000000Z.age"], Some(notice)),
    );
    assert!(matches!(&m.mode, Mode::Notice(n) if n == notice));
    assert!(
        ch(m, 'j').is_none(),
        "other keys do nothing until it is read"
    );
    assert!(matches!(m.mode, Mode::Notice(_)));
    update(
        m,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(matches!(m.mode, Mode::List));
}

#[test]
fn a_notice_arriving_while_quitting_is_kept_for_after_the_terminal_is_restored() {
    let mut f = fixture();
    let m = &mut f.model;
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    ch(m, 'q');
    let Some(Cmd::Save(job)) = ch(m, 's') else {
        panic!("save then quit");
    };
    update(
        m,
        worker_saved(&f.dir, &job, &[], Some("created your envward identity")),
    );
    assert!(m.quit);
    assert_eq!(
        m.exit_message.as_deref(),
        Some("created your envward identity")
    );
}

/// On a large project a change does not wait for the analysis: the new value is there at
/// once, the re-analysis goes to the worker, and its result is adopted when it is of the
/// working copy (a stale one is dropped and the newest copy analysed instead).
#[test]
fn large_projects_are_re_analysed_on_the_worker() {
    let mut f = fixture();
    let m = &mut f.model;
    m.analyze_in_background_above = 0;
    let before = m.inv.clone();
    let Some(Cmd::Generate(requests)) = ch(m, 'g') else {
        panic!("g asks for a value");
    };
    let msg = generate(&requests, &mut StdRng::seed_from_u64(7));
    let Some(Cmd::Analyze(job)) = update(m, msg) else {
        panic!("the change hands its analysis to the worker");
    };
    assert_eq!(m.inv, before, "statuses wait for the worker");
    let selected = m.selected_var().map(|(i, _)| i).unwrap();
    assert!(
        m.values[selected].is_some(),
        "the new value is there at once"
    );
    assert!(
        update(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE))
        )
        .is_none(),
        "one analysis at a time"
    );
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Analyze(job));
    assert!(update(m, done).is_none());
    assert_ne!(m.inv, before, "the analysis was adopted");
    assert!(m.analyzing.is_none() && !m.analysis_due);

    // A result overtaken by another change is dropped, and the newest copy analysed.
    let Some(Cmd::Generate(requests)) = ch(m, 'G') else {
        panic!("G asks for values");
    };
    let msg = generate(&requests, &mut StdRng::seed_from_u64(8));
    let Some(Cmd::Analyze(stale)) = update(m, msg) else {
        panic!("analysis");
    };
    ch(m, 'u');
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Analyze(stale));
    assert!(
        matches!(update(m, done), Some(Cmd::Analyze(_))),
        "re-analyse the newest copy"
    );
}

/// Saves the working copy as the worker would, so the model has a file on disk.
fn save_now(f: &mut Fixture) {
    let Some(Cmd::Save(job)) = ch(&mut f.model, 's') else {
        panic!("s saves");
    };
    let msg = worker_saved(&f.dir, &job, &[], None);
    update(&mut f.model, msg);
    assert!(!f.model.is_dirty());
}

#[test]
fn g_on_a_saved_ok_value_asks_first_and_names_the_database_volume() {
    let mut f = fixture();
    let cmd = ch(&mut f.model, 'G');
    run_generate(&mut f.model, cmd);
    save_now(&mut f);
    let m = &mut f.model;
    select(m, "POSTGRES_PASSWORD");
    assert_eq!(status_of(m, "POSTGRES_PASSWORD"), Status::Ok);
    assert!(ch(m, 'g').is_none(), "asks before replacing");
    let Mode::Confirm(c) = &m.mode else {
        panic!("no question: {:?}", m.mode);
    };
    assert!(c.text.contains("passes every check"), "{}", c.text);
    assert!(c.text.contains("postgres"), "{}", c.text);
    assert!(c.text.contains("envward rotate"), "{}", c.text);
    ch(m, 'n');
    assert!(matches!(m.mode, Mode::List) && !m.is_dirty());
    ch(m, 'g');
    let Some(Cmd::Generate(requests)) = ch(m, 'y') else {
        panic!("y generates");
    };
    update(m, generate(&requests, &mut StdRng::seed_from_u64(99)));
    assert!(m.is_dirty());
    // An unsaved value is only a draft: generating again does not ask.
    assert!(matches!(ch(m, 'g'), Some(Cmd::Generate(_))));
}

#[test]
fn n_and_shift_n_walk_the_problems_and_wrap() {
    let mut f = fixture();
    let m = &mut f.model;
    assert_eq!(selected_name(m), "POSTGRES_PASSWORD");
    ch(m, 'n');
    assert_eq!(selected_name(m), "MONGO_INITDB_ROOT_USERNAME");
    ch(m, 'N');
    ch(m, 'N');
    // Backwards from the first problem wraps to the last one.
    assert_eq!(selected_name(m), "JWT_SIGNING_KEY");
}

#[test]
fn a_click_selects_a_row_and_the_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut f = fixture();
    let m = &mut f.model;
    let list = m.areas().list;
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 20,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 0 of the list is its title, row 1 the first heading, row 2 the first variable.
    update(m, click(list.y + 2));
    assert_eq!(selected_name(m), "POSTGRES_DB");
    update(
        m,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 20,
            row: list.y + 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(selected_name(m), "MONGO_INITDB_ROOT_USERNAME");
}

#[test]
fn a_pasted_pem_key_is_kept_multi_line_and_saved_so_compose_and_dotenvy_agree() {
    let mut f = fixture();
    let m = &mut f.model;
    select(m, "INSTAGRAM_APP_SECRET");
    ch(m, 'e');
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7$HOME\"q'\\x\n-----END PRIVATE KEY-----";
    // Terminals send a pasted newline as CR.
    update(m, Msg::Paste(pem.replace('\n', "\r")));
    let Mode::Edit(e) = &m.mode else {
        panic!("editing")
    };
    assert_eq!(e.line_count(), 4);
    code(m, KeyCode::Enter);
    assert!(status_text(m).contains("(4 lines)"), "{}", status_text(m));
    let text = m.doc().unwrap().render();
    let compose = crate::dotenv::parse(&text)
        .unwrap()
        .to_map(&|_: &str| None)
        .unwrap();
    assert_eq!(compose["INSTAGRAM_APP_SECRET"], pem);
    let dotenvy: std::collections::HashMap<String, String> =
        dotenvy::from_read_iter(text.as_bytes())
            .map(Result::unwrap)
            .collect();
    assert_eq!(dotenvy["INSTAGRAM_APP_SECRET"], pem);
}

#[test]
fn a_secret_edit_starts_empty_unless_asked() {
    let mut f = fixture();
    let cmd = ch(&mut f.model, 'G');
    run_generate(&mut f.model, cmd);
    let m = &mut f.model;
    select(m, "POSTGRES_PASSWORD");
    ch(m, 'e');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.text().is_empty()));
    ctrl(m, 'o');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.char_count() == 43));
    code(m, KeyCode::Esc);
    ch(m, 'E');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.char_count() == 43));
    code(m, KeyCode::Esc);
    // Configuration starts from its value.
    select(m, "POSTGRES_DB");
    ch(m, 'e');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.text().as_str() == "chat4all"));
}

#[test]
fn a_burst_of_search_keys_rebuilds_the_list_once() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, '/');
    for c in "PASSWORD".chars() {
        step(
            m,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    assert!(m.rows_due, "not rebuilt per key");
    m.settle();
    assert!(!m.rows_due);
    assert!(m.rows.iter().all(|r| match r {
        Row::Var(i) => m.inv.variables[*i].name.contains("PASSWORD"),
        Row::Section(_) => true,
    }));
}

#[test]
fn marking_optional_records_it_in_envward_toml_and_the_status_follows() {
    let mut f = fixture();
    let m = &mut f.model;
    select(m, "TELEGRAM_BOT_TOKEN");
    ch(m, 'm');
    assert!(matches!(m.mode, Mode::Mark));
    let Some(Cmd::Record(job)) = ch(m, 'o') else {
        panic!("o records");
    };
    assert_eq!(job.path, f.dir.join("envward.toml"));
    assert!(job.expected.is_none());
    assert!(
        job.text
            .contains("[vars.TELEGRAM_BOT_TOKEN]\noptional = true"),
        "{}",
        job.text
    );
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Record(job));
    update(m, done);
    assert!(
        status_text(m).contains("Recorded in envward.toml"),
        "{}",
        status_text(m)
    );
    assert_eq!(status_of(m, "TELEGRAM_BOT_TOKEN"), Status::Ok);
    // CI reads the same file.
    let written = std::fs::read_to_string(f.dir.join("envward.toml")).unwrap();
    assert!(crate::config::parse(&written).unwrap().vars["TELEGRAM_BOT_TOKEN"].optional);

    // Ignoring a finding asks for a reason and records it.
    select(m, "WHATSAPP_API_TOKEN");
    ch(m, 'm');
    ch(m, 'i');
    assert!(matches!(m.mode, Mode::Ask(_)));
    code(m, KeyCode::Enter);
    assert!(
        status_text(m).contains("needs a reason"),
        "{}",
        status_text(m)
    );
    ch(m, 'm');
    ch(m, 'i');
    update(m, Msg::Paste("set by the deploy pipeline".into()));
    let Some(Cmd::Record(job)) = code(m, KeyCode::Enter) else {
        panic!("records the ignore");
    };
    assert_eq!(job.expected.as_deref(), Some(written.as_str()));
    assert!(job.text.starts_with(&written), "keeps what was there");
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Record(job));
    update(m, done);
    assert_eq!(status_of(m, "WHATSAPP_API_TOKEN"), Status::Ok);
    assert_eq!(m.inv.ignored.len(), 1);
}

#[test]
fn unused_variables_can_be_deleted_after_a_question() {
    let f = fixture();
    std::fs::write(
        f.dir.join(".env"),
        "POSTGRES_DB=x\nLEFTOVER=1 # old\nREDIS_PASSWORD=y\n",
    )
    .unwrap();
    let mut m = load(&f.dir);
    select(&mut m, "LEFTOVER");
    assert_eq!(status_of(&m, "LEFTOVER"), Status::Unused);
    ch(&mut m, 'x');
    assert!(matches!(m.mode, Mode::Confirm(_)));
    ch(&mut m, 'y');
    assert_eq!(
        m.doc().unwrap().render(),
        "POSTGRES_DB=x\nREDIS_PASSWORD=y\n"
    );
    assert!(m.inv.get("LEFTOVER").is_none());
    ch(&mut m, 'u');
    assert!(m.inv.get("LEFTOVER").is_some());
    // A used variable is not deleted.
    select(&mut m, "POSTGRES_DB");
    ch(&mut m, 'x');
    assert!(matches!(m.mode, Mode::List));
}

#[test]
fn a_new_variable_is_named_then_typed() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, 'a');
    update(m, Msg::Paste("BAD NAME".into()));
    code(m, KeyCode::Enter);
    assert!(status_text(m).contains("Not added"), "{}", status_text(m));
    ch(m, 'a');
    update(m, Msg::Paste("FEATURE_FLAG".into()));
    code(m, KeyCode::Enter);
    assert!(matches!(&m.mode, Mode::Edit(e) if e.name == "FEATURE_FLAG"));
    update(m, Msg::Paste("on".into()));
    code(m, KeyCode::Enter);
    assert_eq!(selected_name(m), "FEATURE_FLAG");
    assert!(m.doc().unwrap().render().ends_with("FEATURE_FLAG=on\n"));
}

#[test]
fn the_problems_list_jumps_to_a_finding_s_variable() {
    let mut f = fixture();
    let m = &mut f.model;
    ch(m, 'p');
    assert!(matches!(m.mode, Mode::Problems(0)));
    for _ in 0..3 {
        code(m, KeyCode::Down);
    }
    let Mode::Problems(at) = m.mode else { panic!() };
    let want = m.inv.findings[at].variable.clone().unwrap();
    code(m, KeyCode::Enter);
    assert_eq!(selected_name(m), want);
}

#[test]
fn o_switches_to_another_env_file_of_the_project() {
    let f = fixture();
    std::fs::write(f.dir.join(".env"), "POSTGRES_PASSWORD=x\n").unwrap();
    std::fs::write(f.dir.join(".env.production"), "POSTGRES_DB=prod\n").unwrap();
    std::fs::write(f.dir.join(".env.20250101T000000Z.age"), "not listed").unwrap();
    let mut m = load(&f.dir);
    m.options.global.directory = Some(f.dir.clone());
    let Some(Cmd::ListFiles(dir)) = ch(&mut m, 'o') else {
        panic!("o lists the files");
    };
    let listed = crate::tui::worker::perform(crate::tui::worker::Job::ListFiles(dir));
    update(&mut m, listed);
    let Mode::Files(files) = &m.mode else {
        panic!("a picker")
    };
    let names: Vec<String> = files
        .files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [".env", ".env.production"]);
    code(&mut m, KeyCode::Down);
    let Some(Cmd::Open(global)) = code(&mut m, KeyCode::Enter) else {
        panic!("Enter opens it");
    };
    let opened = crate::tui::worker::perform(crate::tui::worker::Job::Open(global));
    update(&mut m, opened);
    assert_eq!(m.inv.env_file, std::path::Path::new(".env.production"));
    assert!(
        status_text(&m).contains("Opened .env.production"),
        "{}",
        status_text(&m)
    );
    assert_eq!(status_of(&m, "POSTGRES_PASSWORD"), Status::Missing);
    // With unsaved changes it refuses, rather than dropping them.
    let cmd = ch(&mut m, 'g');
    run_generate(&mut m, cmd);
    assert!(ch(&mut m, 'o').is_none());
    assert!(status_text(&m).contains("Save (s) or undo (u)"));
}

#[test]
fn an_env_file_that_does_not_exist_yet_opens_as_new_and_saves_like_env() {
    let f = fixture();
    let global = GlobalArgs {
        directory: Some(f.dir.clone()),
        env_file: Some(".env.staging".into()),
        ..GlobalArgs::default()
    };
    let ws = workspace::load_editing(&global).unwrap();
    assert!(ws.live.is_none());
    assert_eq!(ws.project.env_file, f.dir.join(".env.staging"));
    // `check` still says a missing --env-file is an error, as Compose does.
    assert!(workspace::load_with(&global, true).is_err());
    let mut m = model_of(ws);
    let cmd = ch(&mut m, 'G');
    run_generate(&mut m, cmd);
    let Some(Cmd::Save(job)) = ch(&mut m, 's') else {
        panic!("s saves");
    };
    assert_eq!(job.ws.project.env_file, f.dir.join(".env.staging"));
    assert!(job.ws.live.is_none(), "saved as a new file");
}

#[test]
fn y_copies_only_when_asked_and_only_a_value() {
    let mut f = fixture();
    let m = &mut f.model;
    assert!(ch(m, 'y').is_none(), "nothing set: nothing copied");
    assert!(status_text(m).contains("no value to copy"));
    let cmd = ch(m, 'g');
    run_generate(m, cmd);
    let Some(Cmd::Copy(value)) = ch(m, 'y') else {
        panic!("y copies");
    };
    assert_eq!(value.expose_secret().len(), 43);
    assert!(status_text(m).contains("Copied POSTGRES_PASSWORD"));
    assert!(!status_text(m).contains(value.expose_secret()));
}

/// Regression: the layout looked every finding's variable up by scanning the inventory on
/// each key (for the problems banner), so a held key on 10,000 variables took 0.7 s a
/// frame. 200 keys and a frame on 5,000 findings take milliseconds now; the bound is
/// generous for a debug build on a busy machine (the quadratic version took minutes here).
#[test]
fn a_held_key_on_thousands_of_findings_stays_fast() {
    let f = fixture();
    let mut live = String::new();
    for i in 0..5_000 {
        let _ = writeln!(live, "UNUSED_SETTING_{i}=x");
    }
    std::fs::write(f.dir.join(".env"), live).unwrap();
    let mut m = load(&f.dir);
    assert!(m.inv.findings.len() >= 5_000);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    let start = std::time::Instant::now();
    for i in 0..200 {
        let k = if i < 100 { 'j' } else { 'k' };
        step(
            &mut m,
            Msg::Key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE)),
        );
    }
    m.settle();
    terminal.draw(|frame| crate::tui::view(&m, frame)).unwrap();
    let took = start.elapsed();
    assert!(took < std::time::Duration::from_secs(2), "{took:?}");
}

#[test]
fn documenting_adds_the_variable_to_the_example_and_same_as_is_recorded() {
    let mut f = fixture();
    let m = &mut f.model;
    select(m, "GRAFANA_PORT");
    assert!(!m.inv.get("GRAFANA_PORT").unwrap().in_example);
    ch(m, 'm');
    let Some(Cmd::Record(job)) = ch(m, 'd') else {
        panic!("d records in the example");
    };
    assert_eq!(job.path, f.dir.join(".env.example"));
    assert!(
        job.text
            .ends_with("JWT_SIGNING_KEY=generate_strong_key_here\nGRAFANA_PORT=\n")
    );
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Record(job));
    update(m, done);
    assert!(m.inv.get("GRAFANA_PORT").unwrap().in_example);
    assert!(
        std::fs::read_to_string(f.dir.join(".env.example"))
            .unwrap()
            .ends_with("GRAFANA_PORT=\n")
    );

    select(m, "MINIO_ROOT_PASSWORD");
    ch(m, 'm');
    ch(m, '=');
    update(m, Msg::Paste("NOPE".into()));
    code(m, KeyCode::Enter);
    assert!(
        status_text(m).contains("not another variable"),
        "{}",
        status_text(m)
    );
    ch(m, 'm');
    ch(m, '=');
    update(m, Msg::Paste("REDIS_PASSWORD".into()));
    let Some(Cmd::Record(job)) = code(m, KeyCode::Enter) else {
        panic!("same_as records");
    };
    assert!(
        job.text
            .contains("[vars.MINIO_ROOT_PASSWORD]\nsame_as = [\"REDIS_PASSWORD\"]"),
        "{}",
        job.text
    );
    // The file changed on disk since it was read: nothing is overwritten.
    std::fs::write(f.dir.join("envward.toml"), "# someone else's edit\n").unwrap();
    let done = crate::tui::worker::perform(crate::tui::worker::Job::Record(job));
    update(m, done);
    assert!(
        status_text(m).contains("changed on disk"),
        "{}",
        status_text(m)
    );
    assert_eq!(
        std::fs::read_to_string(f.dir.join("envward.toml")).unwrap(),
        "# someone else's edit\n"
    );
}

#[test]
fn r_shows_the_rotation_plan_then_generates_the_new_value() {
    let f = fixture();
    std::fs::copy(f.dir.join(".env.example"), f.dir.join(".env")).unwrap();
    let mut model = load(&f.dir);
    select(&mut model, "POSTGRES_PASSWORD");
    let before = model.doc().unwrap().render();
    let cmd = ch(&mut model, 't');
    let plan = match &model.mode {
        Mode::RotationPlan(text) => text.clone(),
        other => panic!("the plan is shown: {other:?}"),
    };
    assert!(plan.contains("ALTER USER chat4all"), "{plan}");
    let alter = plan.find("ALTER USER").unwrap();
    assert!(alter < plan.find("--force-recreate").unwrap(), "{plan}");
    assert!(plan.contains("envward rotate POSTGRES_PASSWORD --apply --restart"));
    run_generate(&mut model, cmd);
    assert_ne!(model.doc().unwrap().render(), before, "a new value is set");
    assert!(!plan.contains("change_me_in_production"));
    ch(&mut model, 'q');
    code(&mut model, KeyCode::Esc);
    // A provider's credential is typed, never generated; configuration is not rotated.
    select(&mut model, "POSTGRES_USER");
    assert!(ch(&mut model, 't').is_none());
    assert!(
        status_text(&model).contains("configuration"),
        "{}",
        status_text(&model)
    );
}

/// What the binary opens on a fresh checkout (`tui::app::open_workspace`): the example's
/// copy as the working copy, not yet on disk, judged as `check` judges it after `cp`.
#[test]
fn a_fresh_checkout_opens_on_the_examples_copy_and_s_creates_it() {
    let f = fixture();
    let global = GlobalArgs {
        directory: Some(f.dir.clone()),
        ..GlobalArgs::default()
    };
    let mut model = model_of(crate::tui::app::open_workspace(&global).unwrap());
    let m = &mut model;
    assert!(m.disk.is_none() && m.doc().is_some());
    assert!(!m.is_dirty());
    // The stand-ins the copy carries are placeholders at once, and G replaces them.
    assert_eq!(status_of(m, "REDIS_PASSWORD"), Status::Placeholder);
    assert_eq!(status_of(m, "TELEGRAM_BOT_TOKEN"), Status::Placeholder);
    assert!(m.generate_all_plan().from_example);
    let cmd = ch(m, 'G');
    run_generate(m, cmd);
    assert_eq!(status_of(m, "REDIS_PASSWORD"), Status::Ok);
    assert!(
        status_text(m).contains("in a new .env"),
        "{}",
        status_text(m)
    );
    // Quitting unchanged asks nothing; saving unchanged still creates the file.
    let mut fresh = model_of(crate::tui::app::open_workspace(&global).unwrap());
    assert!(matches!(ch(&mut fresh, 's'), Some(Cmd::Save(_))));
    let mut quitting = model_of(crate::tui::app::open_workspace(&global).unwrap());
    ch(&mut quitting, 'q');
    assert!(quitting.quit);
}
