//! Finding a few fixed phrases in short texts (comments, values) without per-call set-up.
//!
//! `str::contains` factorises its needle on every call, and an Aho-Corasick automaton costs a
//! millisecond to build — a third of the analysis of a small project, paid on every run. A
//! [`Phrases`] table is built at compile time: for each byte, the set of phrases that start
//! with it, so one pass over a text compares only at the positions where some phrase could
//! begin. The texts are comments and values, tens of bytes long.

/// Up to 32 phrases, indexed by their first byte. Build it in a `const`.
#[derive(Debug)]
pub struct Phrases {
    phrases: &'static [&'static str],
    by_first: [u32; 256],
}

impl Phrases {
    /// The table of `phrases` (at most 32, none empty).
    pub const fn new(phrases: &'static [&'static str]) -> Phrases {
        assert!(phrases.len() <= 32, "at most 32 phrases");
        let mut by_first = [0u32; 256];
        let mut i = 0;
        while i < phrases.len() {
            let bytes = phrases[i].as_bytes();
            assert!(!bytes.is_empty(), "no empty phrase");
            by_first[bytes[0] as usize] |= 1 << i;
            i += 1;
        }
        Phrases { phrases, by_first }
    }

    /// Calls `hit(phrase index, start)` for every occurrence, in order of start (phrases
    /// starting at the same byte in list order); stops when `hit` returns `true`.
    fn scan(&self, text: &str, mut hit: impl FnMut(usize, usize) -> bool) {
        let bytes = text.as_bytes();
        for (at, b) in bytes.iter().enumerate() {
            let mut set = self.by_first[usize::from(*b)];
            while set != 0 {
                let i = set.trailing_zeros() as usize;
                set &= set - 1;
                if bytes[at..].starts_with(self.phrases[i].as_bytes()) && hit(i, at) {
                    return;
                }
            }
        }
    }

    /// Whether `text` holds any of the phrases.
    pub fn any_in(&self, text: &str) -> bool {
        let mut found = false;
        self.scan(text, |_, _| {
            found = true;
            true
        });
        found
    }

    /// Whether `text` holds any of the phrases as whole words: not inside a longer word
    /// ("if set" is not in "if setting manually").
    pub fn any_word_in(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut found = false;
        self.scan(text, |i, at| {
            let end = at + self.phrases[i].len();
            let starts = at == 0 || !word(bytes[at - 1]) || !word(bytes[at]);
            let ends = end >= bytes.len() || !word(bytes[end]) || !word(bytes[end - 1]);
            found = starts && ends;
            found
        });
        found
    }

    /// Where each phrase first starts in `text`, in list order (as `str::find` gives).
    pub fn first_starts<const N: usize>(&self, text: &str) -> [Option<usize>; N] {
        let mut out = [None; N];
        self.scan(text, |i, at| {
            if let Some(slot) = out.get_mut(i) {
                slot.get_or_insert(at);
            }
            false
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: Phrases = Phrases::new(&["pwgen -s", "pwgen", "hex", "é", "x"]);

    #[test]
    fn finds_what_str_find_finds() {
        for text in [
            "pwgen -s 32 or pwgen 16, hex",
            "",
            "nothing here",
            "héxé x",
            "hexhex pwgenpwgen -s",
        ] {
            let got: [Option<usize>; 5] = WORDS.first_starts(text);
            let want: Vec<Option<usize>> = ["pwgen -s", "pwgen", "hex", "é", "x"]
                .iter()
                .map(|p| text.find(p))
                .collect();
            assert_eq!(got.to_vec(), want, "{text}");
            assert_eq!(
                WORDS.any_in(text),
                want.iter().any(Option::is_some),
                "{text}"
            );
        }
    }

    #[test]
    fn whole_words_only_when_asked() {
        const OPTIONAL: Phrases = Phrases::new(&["if set", "optional", "empty =>"]);
        assert!(OPTIONAL.any_word_in("used if set."));
        assert!(OPTIONAL.any_word_in("optional"));
        assert!(OPTIONAL.any_word_in("# empty => generated"));
        assert!(!OPTIONAL.any_word_in("if setting manually, run openssl"));
        assert!(!OPTIONAL.any_word_in("nonoptional"));
        assert!(OPTIONAL.any_in("if setting manually"));
    }
}
