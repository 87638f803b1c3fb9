//! TUI timings: the first frame on the example project (load, analyse, draw), a key press
//! to the next frame on a synthetic project of 10,000 variables, and a burst of 200 keys
//! (typed, held or pasted faster than frames) to the one frame that follows it, as the
//! event loop applies them: every waiting event, then one frame.
//!
//! `cargo bench --bench tui -- --warm-up-time 1 --measurement-time 3`

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use envward::analysis::{FileFacts, Knowledge};
use envward::cli::GlobalArgs;
use envward::cli::workspace;
use envward::tui::{Cmd, Model, Msg, Options, step, update, view};
use rand::SeedableRng;
use rand::rngs::StdRng;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn load(dir: &Path) -> Model {
    let global = GlobalArgs {
        directory: Some(dir.to_path_buf()),
        ..GlobalArgs::default()
    };
    let ws = workspace::load_with(&global, true).expect("load");
    let policy = ws.policy(None);
    let facts = if ws.live.is_some() {
        workspace::file_facts(&ws.project.env_file)
    } else {
        FileFacts::default()
    };
    let mut model = Model::new(
        ws,
        Knowledge::builtin().expect("templates"),
        policy,
        facts,
        jiff::Timestamp::now(),
        Options::default(),
    );
    update(&mut model, Msg::Resize(80, 24));
    model
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// A project of `n` variables in sections of 100: a password, a host and a port per
/// service, half of them set in `.env`.
fn synthetic(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut compose = String::from("services:\n  app:\n    image: example/app\n    environment:\n");
    let mut example = String::new();
    let mut env = String::new();
    for i in 0..n {
        if i % 100 == 0 {
            let _ = write!(example, "\n# Section {}\n", i / 100);
        }
        let name = match i % 3 {
            0 => format!("SVC{i:05}_PASSWORD"),
            1 => format!("SVC{i:05}_HOST"),
            _ => format!("SVC{i:05}_PORT"),
        };
        let _ = writeln!(compose, "      {name}: ${{{name}}}");
        let _ = writeln!(example, "{name}=change_me");
        if i % 2 == 0 {
            let _ = writeln!(env, "{name}=value-{i:05}-0123456789abcdef0123456789abcdef");
        }
    }
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
    std::fs::write(dir.path().join(".env.example"), example).expect("write");
    std::fs::write(dir.path().join(".env"), env).expect("write");
    dir
}

fn first_frame(c: &mut Criterion) {
    // The tracked files only: a `.env` the quick start left must not change the figure.
    let copy = tempfile::tempdir().expect("temporary directory");
    let example = copy.path().join("chat4all");
    std::fs::create_dir(&example).expect("mkdir");
    for f in [".env.example", "compose.yaml"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples/chat4all")
                .join(f),
            example.join(f),
        )
        .expect("copy");
    }
    c.bench_function(
        "first frame, examples/chat4all (load + analyse + draw 80x24)",
        |b| {
            b.iter(|| {
                let model = load(&example);
                let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
                terminal.draw(|f| view(&model, f)).expect("draw");
                black_box(terminal.backend().buffer().area);
            });
        },
    );
}

fn key_to_frame(c: &mut Criterion) {
    let dir = synthetic(10_000);
    let mut model = load(dir.path());
    assert!(
        model.inv.variables.len() >= 10_000,
        "{}",
        model.inv.variables.len()
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| view(&model, f)).expect("draw");
    update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE)),
    );
    let mut down = true;
    c.bench_function("key j/k -> next frame, 10,000 variables", |b| {
        b.iter(|| {
            // Alternate so the selection stays in the middle of the list.
            update(&mut model, key(if down { 'j' } else { 'k' }));
            down = !down;
            terminal.draw(|f| view(&model, f)).expect("draw");
        });
    });
    c.bench_function("search keystroke -> next frame, 10,000 variables", |b| {
        b.iter(|| {
            update(&mut model, key('/'));
            update(&mut model, key('9'));
            terminal.draw(|f| view(&model, f)).expect("draw");
            update(
                &mut model,
                Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
            );
        });
    });
    let mut rng = StdRng::seed_from_u64(1);
    // A secret, so `g` generates.
    update(
        &mut model,
        Msg::Key(KeyEvent::new(KeyCode::Home, KeyModifiers::NONE)),
    );
    assert!(
        model
            .selected_var()
            .is_some_and(|(_, v)| v.name.ends_with("_PASSWORD"))
    );
    burst(c, &mut model, &mut terminal);
    let mut group = c.benchmark_group("slow path");
    group.sample_size(10);
    // A value change on a large project hands its re-analysis to the worker: the UI thread
    // builds the job (it clones the workspace) and draws. Each iteration drops the job as if
    // the worker had finished, so every change pays for building its own.
    let step = |model: &mut envward::tui::model::Model, msg| {
        if let Some(Cmd::Analyze(job)) = update(model, msg) {
            drop(job);
            model.analyzing = None;
        }
    };
    group.bench_function(
        "g then u -> frames (re-analysis on the worker), 10,000 variables",
        |b| {
            b.iter(|| {
                let mut asked = update(&mut model, key('g'));
                // A saved value that passes asks before it is replaced: answer yes.
                if asked.is_none() {
                    asked = update(&mut model, key('y'));
                }
                if let Some(Cmd::Generate(reqs)) = asked {
                    let msg = envward::tui::update::generate(&reqs, &mut rng);
                    step(&mut model, msg);
                }
                terminal.draw(|f| view(&model, f)).expect("draw");
                step(&mut model, key('u'));
                terminal.draw(|f| view(&model, f)).expect("draw");
            });
        },
    );
    // What the worker then does, off the UI thread: the statuses follow this much later.
    group.bench_function(
        "background re-analysis on the worker, 10,000 variables",
        |b| {
            b.iter(|| {
                model.analysis_due = true;
                model.analyzing = None;
                let job = model.take_due_analysis().expect("a job");
                black_box(envward::tui::worker::perform(
                    envward::tui::worker::Job::Analyze(Box::new(job)),
                ));
            });
        },
    );
    group.finish();
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// 200 keys applied one by one without drawing, then the list settled and one frame drawn:
/// what the loop does with a burst. The figure is the time from the burst's arrival to
/// its frame (its last key waits at most this long).
fn burst(c: &mut Criterion, model: &mut Model, terminal: &mut Terminal<TestBackend>) {
    let mut frame_after = |model: &mut Model, keys: &[Msg]| {
        for k in keys {
            let msg = match k {
                Msg::Key(e) => Msg::Key(*e),
                _ => unreachable!("keys only"),
            };
            black_box(step(model, msg));
        }
        model.settle();
        terminal.draw(|f| view(model, f)).expect("draw");
    };
    let mut group = c.benchmark_group("burst of 200 keys -> one frame, 10,000 variables");
    let held: Vec<Msg> = (0..200)
        .map(|i| key(if i < 100 { 'j' } else { 'k' }))
        .collect();
    group.bench_function("held j then k (selection)", |b| {
        b.iter(|| frame_after(model, &held));
    });
    let typed: Vec<Msg> = (0..200)
        .map(|i| {
            if i % 2 == 0 {
                key('9')
            } else {
                Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))
            }
        })
        .collect();
    update(model, key('/'));
    group.bench_function("typed into the search (list rebuilt once)", |b| {
        b.iter(|| frame_after(model, &typed));
    });
    update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    update(model, key('e'));
    let mut value: Vec<Msg> = (0..200)
        .map(|i| key(char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[i % 36])))
        .collect();
    // Emptied again at the end, so every iteration types into the same editor.
    value.push(ctrl('u'));
    group.bench_function("typed into the value editor", |b| {
        b.iter(|| frame_after(model, &value));
    });
    group.finish();
    update(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
}

criterion_group!(benches, first_frame, key_to_frame);
criterion_main!(benches);
