//! The README's pictures of the TUI are the real screens: this test draws them on a
//! `TestBackend` at 80×24, writes each buffer as SVG, and fails when a committed file in
//! `assets/` differs. `ENVWARD_UPDATE_ASSETS=1 cargo test --test tui_assets` rewrites them.

#![allow(clippy::unwrap_used)]

mod tui_support;

use std::path::Path;

use crossterm::event::KeyCode;
use tui_support::{copy_example, draw, model_in, press, svg, text};

fn check(name: &str, svg: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name);
    if std::env::var_os("ENVWARD_UPDATE_ASSETS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, svg).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == svg,
        "assets/{name} is stale; run `ENVWARD_UPDATE_ASSETS=1 cargo test --test tui_assets` \
         and commit the result"
    );
}

#[test]
fn first_view_picture_is_current() {
    let ex = copy_example();
    let model = model_in(&ex.dir);
    check("tui-first-view.svg", &svg::render(&draw(&model, 80, 24)));
}

#[test]
fn after_generate_picture_is_current() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    check(
        "tui-after-generate.svg",
        &svg::render(&draw(&model, 80, 24)),
    );
}

#[test]
fn help_picture_is_current() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('?'), 0);
    check("tui-help.svg", &svg::render(&draw(&model, 80, 24)));
}

#[test]
fn pictures_hold_no_value_in_clear() {
    let ex = copy_example();
    let mut model = model_in(&ex.dir);
    press(&mut model, KeyCode::Char('G'), 1);
    // The picture is drawn cell by cell from this buffer: its text is what it shows.
    let shown = text(&draw(&model, 80, 24));
    let doc = model.doc().unwrap();
    let mut checked = 0;
    for var in model
        .inv
        .variables
        .iter()
        .filter(|v| v.class.is_sensitive())
    {
        if let Some(e) = doc.get(&var.name) {
            let head: String = e.raw_value().chars().take(8).collect();
            assert!(!shown.contains(&head), "{} in the picture", var.name);
            checked += 1;
        }
    }
    assert!(checked > 10);
}
