//! Character classes shared by the repair steps (CJK punctuation, spaces), so that every
//! step agrees on what "Chinese context" means. Han characters are [`crate::model::is_han`].

use crate::model::is_han;

/// True for punctuation that only appears in CJK typesetting: the CJK symbols block (`、。「」《》`),
/// full-width forms (`，：；（）！？`), the curly double quotes `“ ”` that Chinese text uses as
/// its quotation marks, and `…` (Chinese writes its ellipsis as `……`).
pub(crate) fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{FE30}'..='\u{FE4F}'
        | '“'
        | '”'
        | '…')
}

/// Han or CJK punctuation: a character that makes its neighbourhood Chinese text.
pub(crate) fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// Horizontal whitespace as it stands after normalization (space or tab).
pub(crate) fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// The next occurrence of either of two needles in a text, for a loop that moves forward
/// through it: each needle's byte search resumes where its last match was, so the whole loop
/// reads the text about once per needle (searching for both from every position would read
/// the text again after each match of the other).
pub(crate) struct NextOf<'t> {
    text: &'t [u8],
    needles: [&'static [u8]; 2],
    /// Per needle, where its first match at or after the last `from` is (`text.len()` when
    /// there is none); `None` before the first search.
    found: [Option<usize>; 2],
}

impl<'t> NextOf<'t> {
    /// Searches `text` for `a` and `b` (neither empty).
    pub(crate) fn new(text: &'t str, a: &'static str, b: &'static str) -> NextOf<'t> {
        NextOf {
            text: text.as_bytes(),
            needles: [a.as_bytes(), b.as_bytes()],
            found: [None; 2],
        }
    }

    /// The first match of either needle at or after byte `from`; `from` must not decrease
    /// from one call to the next.
    pub(crate) fn at_or_after(&mut self, from: usize) -> Option<usize> {
        let end = self.text.len();
        for (found, needle) in self.found.iter_mut().zip(self.needles) {
            if found.is_none_or(|at| at < from) {
                let hay = self.text.get(from..).unwrap_or_default();
                let hit = match needle {
                    [byte] => memchr::memchr(*byte, hay),
                    _ => memchr::memmem::find(hay, needle),
                };
                *found = Some(hit.map_or(end, |at| from + at));
            }
        }
        let first = self.found[0].min(self.found[1]).unwrap_or(end);
        (first < end).then_some(first)
    }

    /// For loops that walk `rest`, the unread tail of the text: the first match in `rest`, as
    /// an offset into `rest`.
    pub(crate) fn in_rest(&mut self, rest: &str) -> Option<usize> {
        let from = self.text.len() - rest.len();
        self.at_or_after(from).map(|at| at - from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_han_punct_and_latin() {
        assert!(is_han('據'));
        assert!(is_han('据'));
        assert!(is_han('\u{20000}'));
        assert!(!is_han('，'));
        assert!(is_cjk_punct('，'));
        assert!(is_cjk_punct('」'));
        assert!(is_cjk_punct('”'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk(','));
        assert!(!is_cjk('1'));
    }

    #[test]
    fn next_of_finds_both_needles_in_order() {
        let text = "a(b（c((（";
        let mut next = NextOf::new(text, "(", "（");
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(at) = next.at_or_after(from) {
            found.push(at);
            from = at + 1;
        }
        let expected: Vec<usize> = text.match_indices(['(', '（']).map(|(at, _)| at).collect();
        assert_eq!(found, expected);
        assert_eq!(NextOf::new("", "?", "\u{FFFD}").at_or_after(0), None);
    }
}
