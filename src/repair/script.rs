//! Step 5: traditional → simplified script.
//!
//! Owns the script conversion. It uses OpenCC's `t2s` dictionaries (phrases first, then single
//! characters) through `opencc-fmmseg`, punctuation untouched (`「」` stay).
//!
//! `t2s` is only safe on text that really is traditional: run over simplified text it turns
//! `显著` into `显着` and `萧乾` into `萧干`, because `著` and `乾` are also traditional forms.
//! So each paragraph (line) is converted only when it has a *traditional-only* character: one
//! that `t2s` changes and that is not in GB2312, the simplified standard set (`據 鄉 設` are
//! traditional-only; `著 乾 沈 覆` are not). The set is built once from the same dictionaries
//! and checking a paragraph is one bitmap lookup per character, so simplified text costs
//! almost nothing and comes out unchanged.
//!
//! Every changed character counts in [`Repairs::to_simplified`]. `t2s` maps characters one to
//! one almost always; where a paragraph changes length, the changed span between the common
//! prefix and suffix is counted instead.
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
    /// Traditional-only characters: a paragraph without any of them is left as it is.
    convertible: CharSet,
}

impl ToSimplified {
    /// Loads the dictionaries embedded in `opencc-fmmseg` (no I/O). If they fail to load, the
    /// converter changes nothing.
    pub fn new() -> ToSimplified {
        let dictionary = DictionaryMaxlength::new().unwrap_or_default();
        let convertible = traditional_only_chars(&dictionary.ts_characters);
        let mut converter = OpenCC::from_dictionary(dictionary);
        // Pages are converted one paragraph at a time and cleaned in parallel by the caller:
        // the crate's own rayon parallelism would only start a second thread pool (and ask it
        // for its size on every call).
        converter.set_parallel(false);
        ToSimplified {
            converter,
            convertible,
        }
    }

    /// True when `text` has a traditional-only character (see the module doc).
    pub fn has_traditional(&self, text: &str) -> bool {
        text.chars().any(|c| self.convertible.contains(c))
    }

    /// Converts the traditional paragraphs of `text` to simplified script; adds the number of
    /// changed characters to `repairs`.
    pub fn convert(&self, text: &str, repairs: &mut Repairs) -> String {
        if !self.has_traditional(text) {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                out.push('\n');
            }
            if self.has_traditional(line) {
                let converted = self.converter.t2s(line, false);
                repairs.to_simplified += count_changed_chars(line, &converted);
                out.push_str(&converted);
            } else {
                out.push_str(line);
            }
        }
        out
    }
}

impl Default for ToSimplified {
    fn default() -> Self {
        ToSimplified::new()
    }
}

/// Characters that the single-character dictionary changes and that are not in GB2312.
fn traditional_only_chars(characters: &DictMaxLen) -> CharSet {
    let mut set = CharSet::default();
    for (key, value) in characters.iter() {
        if let [from] = key {
            if value.chars().ne([*from]) && !is_gb2312(*from) {
                set.insert(*from);
            }
        }
    }
    set
}

/// True for characters of GB2312, the simplified-Chinese standard set: in GBK (its superset,
/// same code points) they are the two-byte codes with both bytes in 0xA1..=0xFE.
fn is_gb2312(c: char) -> bool {
    let mut buffer = [0u8; 4];
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(c.encode_utf8(&mut buffer));
    !had_errors && matches!(*bytes, [0xA1..=0xFE, 0xA1..=0xFE])
}

/// Counts characters that differ between `before` and `after`.
fn count_changed_chars(before: &str, after: &str) -> usize {
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
    fn simplified_paragraphs_are_not_damaged() {
        // `著` and `乾` are simplified characters too; t2s alone would make them `着` and `干`.
        for text in ["取得了显著成就", "自清、萧乾、艾青", "论著选编", "沈阳"]
        {
            assert_eq!(run(text), (text.to_owned(), 0), "{text}");
        }
        // In a traditional paragraph, OpenCC's phrases decide.
        assert_eq!(run("取得了顯著成就").0, "取得了显著成就");
    }

    #[test]
    fn converts_only_the_traditional_paragraphs() {
        assert_eq!(
            run("顯著的變化\n显著成就"),
            ("显著的变化\n显著成就".to_owned(), 2)
        );
    }

    #[test]
    fn knows_gb2312() {
        assert!(is_gb2312('据'));
        assert!(is_gb2312('著'));
        assert!(!is_gb2312('據'));
        assert!(!is_gb2312('镕'));
        assert!(!is_gb2312('a'));
    }

    #[test]
    fn keeps_punctuation_and_line_breaks() {
        assert_eq!(run("「說」\n\n『話』").0, "「说」\n\n『话』");
    }

    #[test]
    fn counts_changes_across_length_changes() {
        assert_eq!(count_changed_chars("abcd", "abXYZd"), 3);
        assert_eq!(count_changed_chars("abcd", "ad"), 2);
        assert_eq!(count_changed_chars("", "x"), 1);
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
