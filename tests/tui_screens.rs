//! Whole screens of the TUI on `TestBackend`, as insta snapshots at 80×24 and at 200×50
//! (where the list and the detail sit side by side): the first view, the detail pane
//! enlarged, the help overlay, the change preview, the list after `G`, the editor, and a
//! project with file-level problems. Temporary paths are redacted; generation uses a seeded
//! generator (values are masked anyway, so only their lengths could show).

#![allow(clippy::unwrap_used)]

mod tui_support;

use crossterm::event::KeyCode;
use envward::tui::Model;
use tui_support::{copy_example, model_in, press, resize, screen, screen_at};

/// Snapshots the model at 80×24 and at 200×50, named `NAME` and `NAME_wide`.
fn both(name: &str, model: &mut Model, tmp: &std::path::Path) {
    resize(model, 80, 24);
    insta::assert_snapshot!(name, screen(model, tmp));
    resize(model, 200, 50);
    insta::assert_snapshot!(format!("{name}_wide"), screen_at(model, tmp, 200, 50));
    resize(model, 80, 24);
}

#[test]
fn first_view() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    both("first_view", &mut model, ex.tmp.path());
}

#[test]
fn enter_enlarges_the_detail_of_a_secret_used_in_a_uri() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    for _ in 0..4 {
        press(&mut model, KeyCode::Down, 0);
    }
    press(&mut model, KeyCode::Enter, 0);
    both("detail_enlarged", &mut model, ex.tmp.path());
}

#[test]
fn help_overlay() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('?'), 0);
    both("help_overlay", &mut model, ex.tmp.path());
}

#[test]
fn after_generate_all() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    both("after_generate_all", &mut model, ex.tmp.path());
}

#[test]
fn diff_preview_after_generate_all() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    press(&mut model, KeyCode::Char('d'), 0);
    both("diff_preview_after_generate_all", &mut model, ex.tmp.path());
}

#[test]
fn edit_prompt_masks_what_is_typed() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('e'), 0);
    tui_support::type_text(&mut model, "hunter2-but-longer");
    let shown = screen(&model, ex.tmp.path());
    assert!(!shown.contains("hunter2"), "{shown}");
    both("edit_prompt_masks_what_is_typed", &mut model, ex.tmp.path());
}

#[test]
fn without_colour_badges_keep_their_symbols_and_words() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    model.options.color = false;
    let buffer = tui_support::draw(&model, 80, 24);
    for y in 0..24 {
        for x in 0..80 {
            let cell = &buffer[(x, y)];
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "colour at {x},{y}");
        }
    }
    let text = tui_support::text(&buffer);
    // A fresh checkout shows the example's copy: its stand-ins as placeholders.
    assert!(text.contains("? placeholder"));
    assert!(text.contains("✓ ok"));
    assert!(text.contains("? 16 placeholder"));
}

/// The screen never says less than `check`: a live file readable by others, with a line
/// Compose rejects, shows both on the first screen with their `file:line`, and the header
/// counts them.
#[test]
fn permissions_and_syntax_problems_are_on_the_first_screen() {
    let ex = copy_example();
    std::fs::write(
        ex.dir.join(".env"),
        "POSTGRES_PASSWORD=Zk3vQ9xL2mN8pR4tW7yB1cD6fH0jK5sA\nBAD LINE\n",
    )
    .unwrap();
    let global = envward::cli::GlobalArgs {
        directory: Some(ex.dir.clone()),
        ..Default::default()
    };
    let ws = envward::cli::workspace::load_with(&global, true).unwrap();
    let policy = ws.policy(None);
    let mut model = Model::new(
        ws,
        envward::analysis::Knowledge::builtin().unwrap(),
        policy,
        envward::analysis::FileFacts {
            mode: Some(0o644),
            git: None,
            leftovers: Vec::new(),
            ..Default::default()
        },
        tui_support::fixed_now(),
        envward::tui::Options::default(),
    );
    resize(&mut model, 80, 24);
    let shown = screen(&model, ex.tmp.path());
    assert!(shown.contains(".env:1:1 permissions"), "{shown}");
    assert!(shown.contains(".env:2:1 syntax"), "{shown}");
    assert!(shown.contains("errors"), "{shown}");
    both("file_problems", &mut model, ex.tmp.path());
}

#[test]
fn every_screen_draws_at_any_size() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    let keys = [None, Some('?'), Some('d'), Some('e'), Some('q')];
    for k in keys {
        let mut m = model_in(&ex.dir);
        press(&mut m, KeyCode::Char('G'), 1);
        if let Some(c) = k {
            press(&mut m, KeyCode::Char(c), 0);
        }
        for (w, h) in [(1, 1), (20, 5), (40, 10), (80, 24), (200, 60)] {
            envward::tui::update(&mut m, envward::tui::Msg::Resize(w, h));
            tui_support::draw(&m, w, h);
        }
    }
}

/// Regression: after the README's quick start (`G`, `s`, `q` on `examples/chat4all`) saved
/// `.env` and its backups in the example folder, the screen tests copied them too and failed
/// with advice to regenerate the pictures. Tests copy the tracked files only.
#[test]
fn tests_copy_only_the_tracked_example_files() {
    let ex = copy_example();
    let mut copied: Vec<String> = std::fs::read_dir(&ex.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    copied.sort_unstable();
    assert_eq!(copied, tui_support::EXAMPLE_FILES);
    // The list is the committed one, when git can say (a release tarball has no .git).
    let listed = std::process::Command::new("git")
        .args(["ls-files", "--", "."])
        .current_dir(tui_support::example_dir())
        .output();
    if let Ok(out) = listed
        && out.status.success()
        && !out.stdout.is_empty()
    {
        let mut tracked: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        tracked.sort_unstable();
        assert_eq!(tracked, tui_support::EXAMPLE_FILES, "update EXAMPLE_FILES");
    }
}

#[test]
fn overlays_problems_mark_and_a_question() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('p'), 0);
    insta::assert_snapshot!("problems_overlay", screen(&model, ex.tmp.path()));
    press(&mut model, KeyCode::Esc, 0);
    press(&mut model, KeyCode::Char('m'), 0);
    insta::assert_snapshot!("mark_menu", screen(&model, ex.tmp.path()));
    press(&mut model, KeyCode::Char('i'), 0);
    tui_support::type_text(&mut model, "set by the deploy pipeline");
    insta::assert_snapshot!("ignore_reason_prompt", screen(&model, ex.tmp.path()));
}
