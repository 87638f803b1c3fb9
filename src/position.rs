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
/// the line starts, columns by counting characters from the nearest checkpoint (one every
/// [`CHECKPOINT`] bytes and at every line start), so a long line costs no rescan per lookup.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(byte offset, characters since its line's start)`, sorted by offset.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between column checkpoints.
const CHECKPOINT: usize = 256;

impl LineIndex {
    /// Indexes the line starts and column checkpoints of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let mut checkpoints = vec![(0, 0)];
        let (mut line_start, mut column, mut last) = (0, 0, 0);
        for (i, c) in text.char_indices() {
            if i - last >= CHECKPOINT && i != line_start {
                checkpoints.push((i, column));
                last = i;
            }
            if c == '\n' {
                line_start = i + 1;
                column = 0;
                starts.push(line_start);
                checkpoints.push((line_start, 0));
                last = line_start;
            } else {
                column += 1;
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
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
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let (at, chars) = match self.checkpoints.binary_search_by_key(&offset, |c| c.0) {
            Ok(i) => self.checkpoints[i],
            Err(i) => self.checkpoints[i - 1],
        };
        let column = chars + text.get(at..offset).map_or(0, |s| s.chars().count()) + 1;
        Position {
            line: line + 1,
            column,
        }
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
