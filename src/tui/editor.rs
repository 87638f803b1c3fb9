//! The value editor: a line editor (on `ratatui-textarea`) with readline keys, multi-line
//! values and masking, holding a secret as briefly as it can.
//!
//! The editing itself (cursor, words, kill to start or end, wrapping, the viewport) is the
//! crate's; this file maps the key table's actions onto it, keeps its undo history off (the
//! TUI's own `u` undoes whole changes, and a history would keep copies of the value) and
//! wipes the buffer when the editor closes.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use zeroize::{Zeroize, Zeroizing};

use super::keys::Action;

/// The value being typed. Its `Debug` shows only its length; its lines are zeroed when it
/// closes.
pub struct EditState {
    /// The variable.
    pub name: String,
    /// The editor (lines, cursor, viewport).
    pub area: TextArea<'static>,
    /// Show it while typing.
    pub reveal: bool,
    /// Whether the variable's value is hidden (config values are typed in clear).
    pub sensitive: bool,
}

impl std::fmt::Debug for EditState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditState")
            .field("name", &self.name)
            .field("chars", &self.char_count())
            .field("reveal", &self.reveal)
            .field("sensitive", &self.sensitive)
            .finish_non_exhaustive()
    }
}

/// The mask drawn for each hidden character.
pub const MASK: char = '•';

impl EditState {
    /// An editor for `name` holding `initial` (empty for a secret unless the user asked).
    pub fn new(name: String, initial: &str, sensitive: bool) -> EditState {
        let mut area = TextArea::default();
        area.set_max_histories(0);
        area.set_wrap_mode(WrapMode::Glyph);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.insert_str(initial);
        let mut edit = EditState {
            name,
            area,
            reveal: false,
            sensitive,
        };
        edit.apply_mask();
        edit
    }

    /// What was typed, lines joined with `\n`.
    pub fn text(&self) -> Zeroizing<String> {
        Zeroizing::new(self.area.lines().join("\n"))
    }

    /// How many characters were typed (line breaks count one each).
    pub fn char_count(&self) -> usize {
        let lines = self.area.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    /// How many lines the value has.
    pub fn line_count(&self) -> usize {
        self.area.lines().len()
    }

    /// Whether the value is drawn in clear.
    pub fn is_clear(&self) -> bool {
        self.reveal || !self.sensitive
    }

    fn apply_mask(&mut self) {
        if self.is_clear() {
            self.area.clear_mask_char();
        } else {
            self.area.set_mask_char(MASK);
        }
    }

    /// Shows or hides what is typed.
    pub fn toggle_reveal(&mut self) {
        self.reveal = !self.reveal;
        self.apply_mask();
    }

    /// Replaces the content with `value`, the cursor at its end.
    pub fn replace(&mut self, value: &str) {
        self.wipe();
        self.area.insert_str(value);
    }

    /// Inserts text typed or pasted at the cursor. Line breaks of any convention (a
    /// terminal sends a pasted newline as CR) become `\n`; other control characters are
    /// dropped (Compose could not read them back).
    pub fn insert(&mut self, text: &str) {
        let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        let kept: Zeroizing<String> = Zeroizing::new(
            normalised
                .chars()
                .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
                .collect(),
        );
        let mut normalised = normalised;
        normalised.zeroize();
        self.area.insert_str(kept.as_str());
    }

    /// Applies an editing action; returns false for actions the editor does not handle.
    pub fn apply(&mut self, action: Action) -> bool {
        let a = &mut self.area;
        match action {
            Action::Input(c) => a.insert_char(c),
            Action::Newline => a.insert_newline(),
            Action::Left => a.move_cursor(CursorMove::Back),
            Action::Right => a.move_cursor(CursorMove::Forward),
            Action::WordLeft => a.move_cursor(CursorMove::WordBack),
            Action::WordRight => a.move_cursor(CursorMove::WordForward),
            Action::LineStart => a.move_cursor(CursorMove::Head),
            Action::LineEnd => a.move_cursor(CursorMove::End),
            Action::Up => a.move_cursor(CursorMove::Up),
            Action::Down => a.move_cursor(CursorMove::Down),
            Action::Backspace => {
                a.delete_char();
            }
            Action::DeleteForward => {
                a.delete_next_char();
            }
            Action::DeleteWord => {
                a.delete_word();
            }
            Action::DeleteWordForward => {
                a.delete_next_word();
            }
            Action::KillToStart => {
                a.delete_line_by_head();
            }
            Action::KillToEnd => {
                a.delete_line_by_end();
            }
            _ => return false,
        }
        // Deleting words and lines fills the crate's kill buffer: keep no copy there.
        a.set_yank_text("");
        true
    }

    /// Empties the editor, zeroing the lines it held.
    fn wipe(&mut self) {
        let old = std::mem::take(&mut self.area);
        for mut line in old.into_lines() {
            line.zeroize();
        }
        self.area.set_max_histories(0);
        self.area.set_wrap_mode(WrapMode::Glyph);
        self.area
            .set_cursor_line_style(ratatui::style::Style::new());
        self.apply_mask();
    }
}

impl Drop for EditState {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(e: &mut EditState, s: &str) {
        for c in s.chars() {
            e.apply(Action::Input(c));
        }
    }

    #[test]
    fn cursor_moves_and_inserts_in_the_middle() {
        let mut e = EditState::new("X".into(), "", true);
        typed(&mut e, "acd");
        e.apply(Action::Left);
        e.apply(Action::Left);
        typed(&mut e, "b");
        assert_eq!(e.text().as_str(), "abcd");
        e.apply(Action::LineStart);
        typed(&mut e, ">");
        e.apply(Action::LineEnd);
        typed(&mut e, "<");
        assert_eq!(e.text().as_str(), ">abcd<");
    }

    #[test]
    fn words_and_kills() {
        let mut e = EditState::new("X".into(), "one two three", false);
        e.apply(Action::DeleteWord);
        assert_eq!(e.text().as_str(), "one two ");
        e.apply(Action::WordLeft);
        e.apply(Action::KillToEnd);
        assert_eq!(e.text().as_str(), "one ");
        e.apply(Action::KillToStart);
        assert_eq!(e.text().as_str(), "");
        assert_eq!(e.area.yank_text(), "", "no copy kept in the kill buffer");
    }

    #[test]
    fn pasted_line_breaks_of_any_kind_become_newlines() {
        let mut e = EditState::new("K".into(), "", true);
        e.insert("-----BEGIN KEY-----\r\nabc\rdef\n-----END KEY-----\u{7}");
        assert_eq!(
            e.text().as_str(),
            "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----"
        );
        assert_eq!(e.line_count(), 4);
        assert_eq!(e.char_count(), e.text().chars().count());
    }

    #[test]
    fn secrets_are_masked_until_revealed() {
        let mut e = EditState::new("K".into(), "", true);
        assert_eq!(e.area.mask_char(), Some(MASK));
        e.toggle_reveal();
        assert_eq!(e.area.mask_char(), None);
        let c = EditState::new("C".into(), "", false);
        assert_eq!(c.area.mask_char(), None);
    }

    #[test]
    fn debug_shows_no_value() {
        let e = EditState::new("K".into(), "hunter2", true);
        let d = format!("{e:?}");
        assert!(!d.contains("hunter2"), "{d}");
        assert!(d.contains("chars: 7"), "{d}");
    }
}
