//! Character classes shared by the repair steps (Han, CJK punctuation, spaces).
//!
//! Kept in one place so that every step agrees on what "Chinese context" means.

/// True for Han ideographs: CJK Unified Ideographs (base block, extensions A–H) and the
/// compatibility ideographs.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}')
}

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
}
