//! Whole screens of the TUI at 80×24 on `TestBackend`, as insta snapshots: the first view,
//! the detail pane enlarged, the help overlay, the change preview, and the list after `G`.
//! Temporary paths are redacted; generation uses a seeded generator (values are masked
//! anyway, so only their lengths could show).

#![allow(clippy::unwrap_used)]

mod tui_support;

use crossterm::event::KeyCode;
use tui_support::{copy_example, model_in, press, screen};

#[test]
fn first_view() {
    let ex = copy_example();
    let model = model_in(&ex.dir);
    insta::assert_snapshot!(screen(&model, ex.tmp.path()));
}

#[test]
fn detail_enlarged_on_a_secret_used_in_a_uri() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    for _ in 0..4 {
        press(&mut model, KeyCode::Down, 0);
    }
    press(&mut model, KeyCode::Tab, 0);
    insta::assert_snapshot!(screen(&model, ex.tmp.path()));
}

#[test]
fn help_overlay() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('?'), 0);
    insta::assert_snapshot!(screen(&model, ex.tmp.path()));
}

#[test]
fn after_generate_all() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    insta::assert_snapshot!(screen(&model, ex.tmp.path()));
}

#[test]
fn diff_preview_after_generate_all() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    press(&mut model, KeyCode::Char('d'), 0);
    insta::assert_snapshot!(screen(&model, ex.tmp.path()));
}

#[test]
fn edit_prompt_masks_what_is_typed() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('e'), 0);
    tui_support::type_text(&mut model, "hunter2-but-longer");
    let shown = screen(&model, ex.tmp.path());
    assert!(!shown.contains("hunter2"), "{shown}");
    insta::assert_snapshot!(shown);
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
    assert!(text.contains("✗ missing"));
    assert!(text.contains("✓ ok"));
    assert!(text.contains("✗ 16 missing"));
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
