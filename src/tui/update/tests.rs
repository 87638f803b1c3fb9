//! `update()` for every action, on a temporary copy of the example project. Commands are
//! not performed here except generation, which runs with a seeded generator; saving is
//! answered with hand-made `Saved` messages, so these tests never write the live file.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rand::SeedableRng;
use rand::rngs::StdRng;
use secrecy::ExposeSecret;

use super::*;
use crate::analysis::FileFacts;
use crate::cli::GlobalArgs;
use crate::cli::workspace;
use crate::tui::model::{Filter, Options};

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
    let ws = workspace::load_with(&global, true).unwrap();
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
    assert!(
        status_text(&f.model).contains("G generates 9 secrets"),
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
    let page = list_height(m.size, m.zoom);
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

#[test]
fn edit_sets_a_typed_value_and_esc_leaves_it() {
    let mut f = fixture();
    let m = &mut f.model;
    select(m, "TELEGRAM_BOT_TOKEN");
    code(m, KeyCode::Enter);
    assert!(matches!(&m.mode, Mode::Edit(e) if e.name == "TELEGRAM_BOT_TOKEN" && !e.reveal));
    for c in "123456:ABCx".chars() {
        ch(m, c);
    }
    code(m, KeyCode::Backspace);
    ctrl(m, 'r');
    assert!(matches!(&m.mode, Mode::Edit(e) if e.reveal && e.buffer.as_str() == "123456:ABC"));
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
    assert!(matches!(&m.mode, Mode::Edit(e) if e.buffer.as_str() == "qsGu?"));
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
    assert!(status_text(m).contains("Still saving"));
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
    let Some(Cmd::Reload(job)) = ch(m, 'r') else {
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
    let before = list_height(m.size, m.zoom);
    code(m, KeyCode::Tab);
    assert!(m.zoom);
    assert!(list_height(m.size, m.zoom) < before);
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
fn ctrl_c_and_signals_leave_even_with_unsaved_changes() {
    let mut f = fixture();
    let cmd = ch(&mut f.model, 'G');
    run_generate(&mut f.model, cmd);
    ctrl(&mut f.model, 'c');
    assert!(f.model.quit);

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
    let h = list_height(m.size, m.zoom);
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

#[test]
fn r_shows_the_rotation_plan_then_generates_the_new_value() {
    let f = fixture();
    std::fs::copy(f.dir.join(".env.example"), f.dir.join(".env")).unwrap();
    let mut model = load(&f.dir);
    select(&mut model, "POSTGRES_PASSWORD");
    let before = model.doc().unwrap().render();
    let cmd = ch(&mut model, 'R');
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
    assert!(ch(&mut model, 'R').is_none());
    assert!(
        status_text(&model).contains("configuration"),
        "{}",
        status_text(&model)
    );
}
