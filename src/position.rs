//! Line and column positions in text, as users see them in editors.
//!
//! Lines and columns are 1-based; columns count characters, not bytes, so a position points
//! at the same place whatever the text's encoding width.

use std::fmt;

/// A place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Converts byte offsets of one text into positions in O(log n): lines by binary search over
/// the line starts, columns by counting characters from the line's start, or on a long line
/// from the nearest checkpoint (one every [`CHECKPOINT`] bytes inside lines longer than
/// that), so a long line costs no rescan per lookup.
///
/// Building it scans bytes, not characters: a 13,000-line compose file is read for positions
/// tens of thousands of times, and the index is built once per file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(byte offset, characters since its line's start)` inside long lines, sorted by offset.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between column checkpoints.
const CHECKPOINT: usize = 256;

impl LineIndex {
    /// Indexes the line starts and column checkpoints of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        let line_ends = starts.iter().skip(1).map(|&s| s - 1).chain([text.len()]);
        for (&start, end) in starts.iter().zip(line_ends) {
            if end - start > CHECKPOINT {
                long_line_checkpoints(text, start, end, &mut checkpoints);
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// How many lines the text has (a final line without a newline counts).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where 1-based `line` starts (`None` past the last line).
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i).copied())
    }

    /// The position of byte `offset` in `text` (the text this index was built from). An
    /// offset inside a character counts as that character's start.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // `starts[0]` is 0, so at least one start is at or before any offset.
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let mut at = self.starts[line];
        let mut chars = 0;
        if !self.checkpoints.is_empty() {
            let i = self.checkpoints.partition_point(|c| c.0 <= offset);
            if let Some(&(cp, n)) = i.checked_sub(1).and_then(|i| self.checkpoints.get(i))
                && cp >= at
            {
                (at, chars) = (cp, n);
            }
        }
        let column = chars + text.get(at..offset).map_or(0, |s| s.chars().count()) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// [`LineIndex::position`] of `offset`, given the position of an `earlier` offset: when
    /// both sit on the same line, the column is counted on from the earlier one without a
    /// search (a `.env` value after its key, a reference inside its YAML scalar). It reads
    /// the text in between, so a caller locating many offsets chains them, each from the
    /// last, rather than counting every one from the same start.
    pub fn position_after(
        &self,
        text: &str,
        earlier: (usize, Position),
        offset: usize,
    ) -> Position {
        let (from, at) = earlier;
        // A byte loop: the text between is a few characters, too short for `memchr` to pay.
        match text.get(from..offset) {
            Some(between) if !between.bytes().any(|b| b == b'\n') => Position {
                line: at.line,
                column: at.column + between.chars().count(),
            },
            _ => self.position(text, offset),
        }
    }
}

/// Pushes a checkpoint every [`CHECKPOINT`] bytes (at the next character boundary) of the line
/// `text[start..end]`.
fn long_line_checkpoints(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let (mut last, mut column) = (start, 0);
    for (i, _) in text[start..end].char_indices() {
        let i = start + i;
        if i - last >= CHECKPOINT {
            out.push((i, column));
            last = i;
        }
        column += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 3), Position { line: 2, column: 1 });
        // 'd' after the two-byte 'ç' is the second character.
        assert_eq!(idx.position(text, 5), Position { line: 2, column: 2 });
        assert_eq!(idx.position(text, 8), Position { line: 4, column: 1 });
        // Inside the two-byte character: its start.
        assert_eq!(idx.position(text, 4), Position { line: 2, column: 1 });
    }

    /// Every offset of a text mixing short lines, long lines, multi-byte characters and
    /// empty lines, against counting from the start of the text.
    #[test]
    fn every_offset_matches_a_count_from_the_start() {
        let long = "aé\u{1F600}".repeat(200);
        let text = format!("\n{long}\nx\n\n{long}{long}\nçd\r\n{long}");
        let idx = LineIndex::new(&text);
        for offset in 0..=text.len() {
            let mut at = offset;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[line_start..].chars().count() + 1;
            assert_eq!(
                idx.position(&text, offset),
                Position { line, column },
                "{offset}"
            );
        }
    }

    #[test]
    fn positions_after_an_earlier_one_match_a_search() {
        let text = "ab\nçd=x\n\"y\nz\"\n";
        let idx = LineIndex::new(text);
        for from in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let earlier = (from, idx.position(text, from));
            for offset in from..=text.len() {
                assert_eq!(
                    idx.position_after(text, earlier, offset),
                    idx.position(text, offset),
                    "{from} {offset}"
                );
            }
        }
    }

    #[test]
    fn long_lines_count_columns_past_checkpoints() {
        let line = "é${A}".repeat(1000);
        let text = format!("x\n{line}\n");
        let idx = LineIndex::new(&text);
        for (k, (i, _)) in text.match_indices('$').enumerate().step_by(37) {
            assert_eq!(
                idx.position(&text, i),
                Position {
                    line: 2,
                    column: k * 5 + 2
                }
            );
        }
    }
}
