//! Shared by the TUI's screen, asset and pseudo-terminal tests: a temporary copy of the
//! example project, a model on it with a fixed clock, key presses that perform generation
//! with a seeded generator, and an SVG writer for `TestBackend` buffers.

#![allow(dead_code)]

pub mod svg;

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use envward::analysis::{FileFacts, Knowledge};
use envward::cli::GlobalArgs;
use envward::tui::{Cmd, Model, Msg, Options, update, view};
use rand::SeedableRng;
use rand::rngs::StdRng;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// The example project shipped with the repository.
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chat4all")
}

/// The example's files that are committed to the repository: the only ones a test copies.
/// The quick start saves `.env` and `.env.*.age` backups next to them; a test that copied
/// the whole folder would see that `.env` and fail on a machine where someone had run it.
/// `tracked_files_are_the_committed_ones` keeps this list equal to `git ls-files`.
pub const EXAMPLE_FILES: [&str; 2] = [".env.example", "compose.yaml"];

/// A temporary copy of the tracked files of `examples/chat4all` (never a `.env` or backup
/// the quick start left there), as `chat4all/` inside a temporary directory so the header
/// names the project as it would in the repository.
pub struct Example {
    /// Holds the directory until the test ends.
    pub tmp: tempfile::TempDir,
    /// The project directory.
    pub dir: PathBuf,
}

/// Copies the example project's tracked files.
pub fn copy_example() -> Example {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chat4all");
    std::fs::create_dir(&dir).unwrap();
    for name in EXAMPLE_FILES {
        std::fs::copy(example_dir().join(name), dir.join(name)).unwrap();
    }
    Example { tmp, dir }
}

/// A fixed instant, so nothing on screen depends on the clock.
pub fn fixed_now() -> jiff::Timestamp {
    "2025-01-01T00:00:00Z".parse().unwrap()
}

/// The model `envward -C dir` starts with, at 80×24.
pub fn model_in(dir: &Path) -> Model {
    let global = GlobalArgs {
        directory: Some(dir.to_path_buf()),
        ..GlobalArgs::default()
    };
    let ws = envward::tui::app::open_workspace(&global).unwrap();
    let policy = ws.policy(None);
    let mut model = Model::new(
        ws,
        Knowledge::builtin().unwrap(),
        policy,
        FileFacts::default(),
        fixed_now(),
        Options {
            color: true,
            ..Options::default()
        },
    );
    update(&mut model, Msg::Resize(80, 24));
    model
}

/// A key event without modifiers (Shift is in the character).
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Presses a key and performs what it asks for that needs no disk: generation runs with a
/// generator seeded from `seed`. Returns a command it did not perform (save, reload).
pub fn press(model: &mut Model, code: KeyCode, seed: u64) -> Option<Cmd> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut next = update(model, key(code));
    while let Some(cmd) = next.take() {
        match cmd {
            Cmd::Generate(reqs) => {
                let msg = envward::tui::update::generate(&reqs, &mut rng);
                next = update(model, msg);
            }
            other => return Some(other),
        }
    }
    None
}

/// Types a string, one key per character.
pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        update(model, key(KeyCode::Char(c)));
    }
}

/// Draws the model on a `TestBackend` of `w`×`h` and returns the buffer.
pub fn draw(model: &Model, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view(model, f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer as text, one line per row, trailing spaces kept.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The screen at 80×24 as text with the temporary directory replaced by `[TMP]`.
pub fn screen(model: &Model, tmp: &Path) -> String {
    screen_at(model, tmp, 80, 24)
}

/// The screen at `w`×`h` (the model is told the size first, as a resize would).
pub fn screen_at(model: &Model, tmp: &Path, w: u16, h: u16) -> String {
    let mut shown = text(&draw_sized(model, w, h)).replace(&tmp.display().to_string(), "[TMP]");
    shown.truncate(shown.trim_end().len());
    shown.push('\n');
    shown
}

/// Draws at `w`×`h` after telling a copy of the layout the size: the model keeps its own
/// size for scrolling, so tests resize it first (`resize`).
fn draw_sized(model: &Model, w: u16, h: u16) -> Buffer {
    assert_eq!(model.size, (w, h), "resize the model to {w}x{h} first");
    draw(model, w, h)
}

/// Tells the model the terminal is `w`×`h`.
pub fn resize(model: &mut Model, w: u16, h: u16) {
    update(model, Msg::Resize(w, h));
}
