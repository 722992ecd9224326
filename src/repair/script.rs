//! Step 5: traditional → simplified script.
//!
//! Owns the script conversion. It uses OpenCC's `t2s` dictionaries (phrases first, then single
//! characters) through `opencc-fmmseg`, punctuation untouched (`「」` stay). Most input is
//! already simplified, so conversion is skipped unless the text has a character that `t2s`
//! could change: the set of such characters is taken from the same dictionaries once, when
//! the converter is built, and checking a text against it is one table lookup per character.
//!
//! Every changed character counts in [`Repairs::to_simplified`]. `t2s` maps characters one to
//! one almost always; where a line changes length, the changed span between the common prefix
//! and suffix is counted instead.
//!
//! ```
//! use zhclean::repair::script::ToSimplified;
//! use zhclean::Repairs;
//!
//! let converter = ToSimplified::new();
//! let mut repairs = Repairs::default();
//! assert_eq!(converter.convert("據悉，住房和城鄉建設部", &mut repairs), "据悉，住房和城乡建设部");
//! assert_eq!(repairs.to_simplified, 3);
//! ```

use opencc_fmmseg::{DictMaxLen, DictionaryMaxlength, OpenCC};

use crate::article::Repairs;

/// Converts traditional Chinese to simplified. Build once: it loads OpenCC's dictionaries.
pub struct ToSimplified {
    converter: OpenCC,
    /// Characters that `t2s` may change; text without any of them is returned as is.
    convertible: CharSet,
}

impl ToSimplified {
    /// Loads the dictionaries embedded in `opencc-fmmseg` (no I/O). If they fail to load, the
    /// converter changes nothing.
    pub fn new() -> ToSimplified {
        let dictionary = DictionaryMaxlength::new().unwrap_or_default();
        let mut convertible = CharSet::default();
        add_changed_chars(&dictionary.ts_characters, &mut convertible);
        add_phrase_markers(&dictionary.ts_phrases, &mut convertible);
        ToSimplified {
            converter: OpenCC::from_dictionary(dictionary),
            convertible,
        }
    }

    /// True when `text` has a character that conversion could change.
    pub fn has_traditional(&self, text: &str) -> bool {
        text.chars().any(|c| self.convertible.contains(c))
    }

    /// Converts `text` to simplified script; adds the number of changed characters to
    /// `repairs`.
    pub fn convert(&self, text: &str, repairs: &mut Repairs) -> String {
        if !self.has_traditional(text) {
            return text.to_owned();
        }
        let converted = self.converter.t2s(text, false);
        repairs.to_simplified += count_changed_chars(text, &converted);
        converted
    }
}

impl Default for ToSimplified {
    fn default() -> Self {
        ToSimplified::new()
    }
}

/// Adds to `set` each character that the single-character dictionary changes.
fn add_changed_chars(characters: &DictMaxLen, set: &mut CharSet) {
    for (key, value) in characters.iter() {
        if let [from] = key {
            if value.chars().ne([*from]) {
                set.insert(*from);
            }
        }
    }
}

/// Makes sure every phrase that changes text has a character in `set`. One character per
/// phrase is enough (text containing the phrase contains all of its characters), and adding
/// only one keeps common characters out: `新抱 → 媳妇` must not make every `新` count as
/// traditional. The last changed position is taken, as that is where the variant usually is
/// (`沈默 → 沉默` needs `沈`).
fn add_phrase_markers(phrases: &DictMaxLen, set: &mut CharSet) {
    for (key, value) in phrases.iter() {
        if key.iter().any(|&c| set.contains(c)) {
            continue;
        }
        let value: Vec<char> = value.chars().collect();
        let marker = if key.len() == value.len() {
            key.iter()
                .zip(&value)
                .rev()
                .find(|(from, to)| from != to)
                .map(|(from, _)| *from)
        } else {
            key.last().copied()
        };
        if let Some(marker) = marker {
            set.insert(marker);
        }
    }
}

/// Counts characters that differ between `before` and `after`, line by line.
fn count_changed_chars(before: &str, after: &str) -> usize {
    let lines_before = before.split('\n');
    let lines_after = after.split('\n');
    if lines_before.clone().count() == lines_after.clone().count() {
        lines_before
            .zip(lines_after)
            .map(|(b, a)| count_changed_in_line(b, a))
            .sum()
    } else {
        count_changed_in_line(before, after)
    }
}

fn count_changed_in_line(before: &str, after: &str) -> usize {
    if before == after {
        return 0;
    }
    let before: Vec<char> = before.chars().collect();
    let after: Vec<char> = after.chars().collect();
    if before.len() == after.len() {
        return before.iter().zip(&after).filter(|(b, a)| b != a).count();
    }
    let prefix = before
        .iter()
        .zip(&after)
        .take_while(|(b, a)| b == a)
        .count();
    let suffix = before[prefix..]
        .iter()
        .rev()
        .zip(after[prefix..].iter().rev())
        .take_while(|(b, a)| b == a)
        .count();
    (before.len() - prefix - suffix).max(after.len() - prefix - suffix)
}

/// A set of characters: a bitmap for the Basic Multilingual Plane, a sorted list beyond it.
struct CharSet {
    bmp: Box<[u64]>,
    astral: Vec<char>,
}

const BMP_WORDS: usize = 0x10000 / 64;

impl Default for CharSet {
    fn default() -> Self {
        CharSet {
            bmp: vec![0; BMP_WORDS].into_boxed_slice(),
            astral: Vec::new(),
        }
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        let code = u32::from(c) as usize;
        if let Some(word) = self.bmp.get_mut(code / 64) {
            *word |= 1 << (code % 64);
        } else if let Err(at) = self.astral.binary_search(&c) {
            self.astral.insert(at, c);
        }
    }

    fn contains(&self, c: char) -> bool {
        let code = u32::from(c) as usize;
        match self.bmp.get(code / 64) {
            Some(word) => word & (1 << (code % 64)) != 0,
            None => self.astral.binary_search(&c).is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn converter() -> &'static ToSimplified {
        static CONVERTER: OnceLock<ToSimplified> = OnceLock::new();
        CONVERTER.get_or_init(ToSimplified::new)
    }

    fn run(text: &str) -> (String, usize) {
        let mut repairs = Repairs::default();
        let out = converter().convert(text, &mut repairs);
        (out, repairs.to_simplified)
    }

    #[test]
    fn is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ToSimplified>();
    }

    #[test]
    fn converts_and_counts() {
        assert_eq!(
            run("(記者孫紅麗)\n標籤: 生活垃圾分類"),
            ("(记者孙红丽)\n标签: 生活垃圾分类".to_owned(), 7)
        );
    }

    #[test]
    fn simplified_text_is_skipped_and_unchanged() {
        let text = "据悉，2020年全国城市生活垃圾分类工作广州现场会以来，各地掀起了新高潮。";
        assert!(!converter().has_traditional(text));
        assert_eq!(run(text), (text.to_owned(), 0));
        assert!(!converter().has_traditional("2018-12-24 08:37 What?"));
    }

    #[test]
    fn keeps_punctuation_and_line_breaks() {
        assert_eq!(run("「說」\n\n『話』").0, "「说」\n\n『话』");
    }

    #[test]
    fn counts_changes_across_length_changes() {
        assert_eq!(count_changed_in_line("abcd", "abXYZd"), 3);
        assert_eq!(count_changed_in_line("abcd", "ad"), 2);
        assert_eq!(count_changed_in_line("", "x"), 1);
        assert_eq!(count_changed_chars("a\nb", "a b"), 1);
    }

    #[test]
    fn char_set_membership() {
        let mut set = CharSet::default();
        set.insert('據');
        set.insert('\u{2000B}');
        assert!(set.contains('據'));
        assert!(set.contains('\u{2000B}'));
        assert!(!set.contains('据'));
        assert!(!set.contains('\u{10FFFF}'));
    }
}
