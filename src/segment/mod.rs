//! Segment stage: body paragraphs in, words per paragraph and TF-IDF keywords out.
//!
//! Segmentation is jieba's precise mode with HMM (`jieba-rs`). The default dictionary is
//! loaded once per process and shared by every [`Segmenter`] without a user dictionary;
//! a user dictionary gives a segmenter its own copy.
//!
//! Keywords are jieba's TF-IDF, computed from the words already cut, so nothing is segmented
//! twice (jieba-rs's own extractor re-cuts the text). The IDF table is jieba's `idf.txt`,
//! shipped gzipped in `data/jieba_idf.txt.gz` (jieba-rs does not expose its copy; see
//! `idf.rs`).
//!
//! ```
//! use zhclean::segment::Segmenter;
//! let segmenter = Segmenter::new(None).unwrap();
//! let out = segmenter.segment(&["我来到北京清华大学".to_string()], false);
//! assert_eq!(out.words, vec![vec!["我", "来到", "北京", "清华大学"]]);
//! ```

use std::path::Path;
use std::sync::{Arc, LazyLock};

mod idf;
use idf::IDF;

use jieba_rs::Jieba;
// Fx hashing (as jieba-rs itself uses): keys are dictionary words, not attacker-chosen in any
// way that matters for a per-page table, and SipHash showed up in the keyword step's profile.
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::error::{Error, Result};
use crate::model::{is_han, may_start_whitespace};
use crate::words::{Words, WordsBuilder};

/// Keywords returned by default (jieba's `topK`).
pub const DEFAULT_KEYWORDS: usize = 10;

static DEFAULT_JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(Jieba::new()));

/// Words, optional POS tags and keywords of a body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segmented {
    /// One list of words per paragraph; whitespace tokens dropped.
    pub words: Words,
    /// POS tags parallel to `words`, when asked for.
    pub pos: Option<Vec<Vec<String>>>,
    /// Top TF-IDF keywords, best first.
    pub keywords: Vec<String>,
}

/// A jieba segmenter plus the IDF table. `Send + Sync`; build once, share across threads.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
    keyword_count: usize,
    /// Warnings met while loading a user dictionary (e.g. lines without a frequency).
    pub warnings: Vec<String>,
}

impl Segmenter {
    /// A segmenter over jieba's default dictionary, plus `user_dict` (jieba format:
    /// `word [freq] [tag]` per line) if given.
    ///
    /// A user-dictionary line without a frequency gets jieba's suggested frequency (the one
    /// that makes the word win, as Python jieba's `add_word` does) and a warning: jieba-rs's
    /// `load_dict` would silently give such a line frequency 0, i.e. no effect.
    ///
    /// # Errors
    /// [`Error::UserDict`] when the file cannot be read or a frequency is not a number.
    pub fn new(user_dict: Option<&Path>) -> Result<Segmenter> {
        let mut warnings = Vec::new();
        // Load the IDF table now, not inside the first page's timing.
        LazyLock::force(&IDF);
        let jieba = match user_dict {
            None => Arc::clone(&DEFAULT_JIEBA),
            Some(path) => {
                let mut jieba = Jieba::clone(&DEFAULT_JIEBA);
                load_user_dict(&mut jieba, path, &mut warnings)?;
                Arc::new(jieba)
            }
        };
        Ok(Segmenter {
            jieba,
            keyword_count: DEFAULT_KEYWORDS,
            warnings,
        })
    }

    /// Sets how many keywords [`Segmenter::segment`] returns.
    pub fn with_keyword_count(mut self, count: usize) -> Segmenter {
        self.keyword_count = count;
        self
    }

    /// Cuts each paragraph (precise mode, HMM on) and ranks keywords by TF-IDF.
    pub fn segment(&self, paragraphs: &[String], pos: bool) -> Segmented {
        // Chinese text cuts into a word every two to three bytes (a character is three).
        let text_bytes = paragraphs.iter().map(String::len).sum();
        let mut words = WordsBuilder::with_capacity(text_bytes, text_bytes / 3);
        let mut tags = pos.then(|| Vec::with_capacity(paragraphs.len()));
        for paragraph in paragraphs {
            let base = words.push_text(paragraph);
            if let Some(tags) = tags.as_mut() {
                let mut paragraph_tags = Vec::new();
                for tag in self.jieba.tag(paragraph, true) {
                    if !tag.word.trim().is_empty() {
                        // jieba's words are slices of the paragraph; should one ever not be,
                        // its text is stored on its own rather than lost.
                        let start = (tag.word.as_ptr() as usize)
                            .checked_sub(paragraph.as_ptr() as usize)
                            .filter(|&at| paragraph.get(at..at + tag.word.len()) == Some(tag.word))
                            .map_or_else(|| words.push_text(tag.word), |at| base + at);
                        words.push_word(start..start + tag.word.len());
                        paragraph_tags.push(tag.tag.to_string());
                    }
                }
                tags.push(paragraph_tags);
            } else {
                for token in self.jieba.cut(paragraph, true) {
                    if !is_blank(token.word) {
                        words.push_word(base + token.byte_start..base + token.byte_end);
                    }
                }
            }
            words.end_paragraph();
        }
        let words = words.finish();
        let keywords = top_keywords(words.iter(), self.keyword_count);
        Segmented {
            words,
            pos: tags,
            keywords,
        }
    }
}

/// Whether a token of `Jieba::cut` is whitespace. Its word blocks never hold whitespace, and
/// everything else comes out one character at a time (or `\r\n`), so the first character
/// decides: the same answer as `trim().is_empty()` without scanning from both ends.
///
/// Most first characters are settled by their first byte ([`may_start_whitespace`]).
fn is_blank(word: &str) -> bool {
    match word.as_bytes().first() {
        None => true,
        Some(&byte) if !may_start_whitespace(byte) => false,
        Some(&byte) if byte.is_ascii() => true,
        Some(_) => word.chars().next().is_some_and(char::is_whitespace),
    }
}

/// jieba's TF-IDF over words already cut: candidates have at least two characters and at
/// least one letter (Han counts), as jieba's extractor filters short terms; the median IDF
/// stands in for unknown words. Ties break on the word so output is deterministic.
///
/// ```
/// let words = ["纽约", "天气", "纽约", "的", "2018"];
/// assert_eq!(zhclean::segment::top_keywords(words, 1), ["纽约"]);
/// ```
pub fn top_keywords<'a>(words: impl IntoIterator<Item = &'a str>, count: usize) -> Vec<String> {
    if count == 0 {
        return Vec::new();
    }
    let words = words.into_iter();
    // A page repeats its words: about a third of them are distinct.
    let mut term_freq: FxHashMap<&str, u32> =
        FxHashMap::with_capacity_and_hasher(words.size_hint().0 / 3, FxBuildHasher);
    for word in words {
        if is_keyword_candidate(word) {
            *term_freq.entry(word).or_insert(0) += 1;
        }
    }
    let table = &*IDF;
    let order = |a: &(f64, &str), b: &(f64, &str)| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1));
    // Each IDF lookup is a likely cache miss (270,000 words), and most distinct words occur
    // once or twice. `tf × highest IDF` bounds a word's score, so, visiting words by falling
    // frequency, the lookups stop once that bound is below the `count`-th best score: no word
    // left can reach the top (strictly below, so not even by a tie).
    let mut by_freq: Vec<(u32, &str)> = term_freq.into_iter().map(|(w, tf)| (tf, w)).collect();
    by_freq.sort_unstable_by_key(|&(tf, _)| std::cmp::Reverse(tf));
    let mut best: Vec<(f64, &str)> = Vec::with_capacity(count + 1);
    for (tf, word) in by_freq {
        let tf = f64::from(tf);
        if best.len() == count && best.last().is_some_and(|last| tf * table.max() < last.0) {
            break;
        }
        let scored = (tf * table.get(word).unwrap_or(table.median()), word);
        let at = best.partition_point(|other| order(other, &scored).is_lt());
        if at < count {
            best.insert(at, scored);
            best.truncate(count);
        }
    }
    best.into_iter().map(|(_, w)| w.to_string()).collect()
}

/// At least two characters, at least one of them a letter (Han counts).
#[inline]
fn is_keyword_candidate(word: &str) -> bool {
    // Most words start with a character of U+5000..=U+9FFF, all Han, whose UTF-8 lead byte is
    // 0xE5..=0xE9 (three bytes each): a second character is any byte beyond the third.
    if let [0xE5..=0xE9, ..] = word.as_bytes() {
        return word.len() > 3;
    }
    let mut chars = word.chars();
    match chars.next() {
        // Most candidates start with a Han character: no need to look further than the second.
        Some(first) if is_han(first) => chars.next().is_some(),
        // Han first: `is_alphabetic` is a slow table search for every CJK character.
        Some(first) => {
            chars.next().is_some()
                && (first.is_alphabetic() || word.chars().any(|c| is_han(c) || c.is_alphabetic()))
        }
        None => false,
    }
}

fn load_user_dict(jieba: &mut Jieba, path: &Path, warnings: &mut Vec<String>) -> Result<()> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::UserDict {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| Error::UserDict {
        path: shown.clone(),
        message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })?;
    for (index, line) in text.lines().enumerate() {
        let mut fields = line.split_whitespace();
        let Some(word) = fields.next() else { continue };
        let (freq, tag) = match fields.next() {
            None => (None, None),
            Some(field) => match field.parse::<usize>() {
                Ok(freq) => (Some(freq), fields.next()),
                Err(_) => {
                    return Err(Error::UserDict {
                        path: shown,
                        message: format!(
                            "line {}: frequency {field:?} of {word:?} is not a whole number",
                            index + 1
                        ),
                    })
                }
            },
        };
        let used = jieba.add_word(word, freq, tag);
        if freq.is_none() {
            warnings.push(format!(
                "{shown}:{}: {word:?} has no frequency; using jieba's suggested frequency {used}",
                index + 1
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn blank_is_whitespace_first_for_every_character() {
        assert!(is_blank(""));
        let mut word = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            word.clear();
            word.push(c);
            word.push('a');
            assert_eq!(is_blank(&word), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn keyword_candidate_fast_path_matches_the_rule_for_every_first_character() {
        // The rule as documented, one character at a time.
        fn by_the_rule(word: &str) -> bool {
            word.chars().count() >= 2 && word.chars().any(|c| is_han(c) || c.is_alphabetic())
        }
        let mut word = String::new();
        for first in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            for rest in ["", "1", "a", "中", "\u{3000}", "𠀀"] {
                word.clear();
                word.push(first);
                word.push_str(rest);
                assert_eq!(is_keyword_candidate(&word), by_the_rule(&word), "{word:?}");
            }
        }
    }

    #[test]
    fn precise_mode_per_paragraph_without_whitespace_tokens() {
        let seg = Segmenter::new(None).unwrap();
        let out = seg.segment(&strings(&["生活垃圾分类 工作", "交流协作机制"]), false);
        assert_eq!(
            out.words,
            [
                vec!["生活", "垃圾", "分类", "工作"],
                vec!["交流", "协作", "机制"]
            ]
        );
        assert!(out.pos.is_none());
    }

    #[test]
    fn pos_tags_parallel_to_words() {
        let seg = Segmenter::new(None).unwrap();
        let out = seg.segment(&strings(&["我来到北京清华大学"]), true);
        assert_eq!(out.words, [["我", "来到", "北京", "清华大学"]]);
        assert_eq!(out.pos.unwrap()[0], strings(&["r", "v", "ns", "nt"]));
    }

    #[test]
    fn keywords_match_jieba_tfidf_ranking() {
        // The example from jieba-rs's TfIdf docs: same top 3 from our own counting.
        let seg = Segmenter::new(None).unwrap().with_keyword_count(3);
        let text = "今天纽约的天气真好啊，京华大酒店的张尧经理吃了一只北京烤鸭。后天纽约的天气不好，昨天纽约的天气也不好，北京烤鸭真好吃";
        let out = seg.segment(&strings(&[text]), false);
        assert_eq!(out.keywords, strings(&["北京烤鸭", "纽约", "天气"]));
    }

    /// Scores every candidate and sorts them all: what the pruned ranking must equal.
    fn top_keywords_by_full_sort(words: &[&str], count: usize) -> Vec<String> {
        let mut term_freq: FxHashMap<&str, u32> = FxHashMap::default();
        for word in words.iter().filter(|w| is_keyword_candidate(w)) {
            *term_freq.entry(word).or_insert(0) += 1;
        }
        let mut scored: Vec<(f64, &str)> = term_freq
            .into_iter()
            .map(|(w, tf)| (f64::from(tf) * IDF.get(w).unwrap_or(IDF.median()), w))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(count)
            .map(|(_, w)| w.to_string())
            .collect()
    }

    #[test]
    fn pruned_ranking_equals_the_full_sort() {
        // Common words, rare ones (above the median IDF, up to the highest: 龟镜, 龟纹),
        // unknown words (median IDF) and ties, in pseudo-random mixes and frequencies.
        let vocabulary = [
            "垃圾",
            "分类",
            "城市",
            "工作",
            "机制",
            "交流",
            "协作",
            "住房",
            "建设",
            "省份",
            "先行",
            "结对",
            "互鉴",
            "沟通",
            "甲乙丙",
            "乙丙丁",
            "丙丁戊",
            "新闻",
            "我们",
            "北京",
            "纽约",
            "天气",
            "烤鸭",
            "AI",
            "Rust",
            "的的",
            "龟镜",
            "龟纹",
            "彳亍",
            "耄耋",
        ];
        let mut rng = crate::testing::XorShift::new(0x2545_f491_4f6c_dd1d);
        for round in 0..300 {
            let mut words = Vec::new();
            for _ in 0..(round % 60 + 1) {
                words.push(*rng.pick(&vocabulary));
            }
            for count in [1, 3, 10, 40] {
                assert_eq!(
                    top_keywords(words.iter().copied(), count),
                    top_keywords_by_full_sort(&words, count),
                    "{words:?} top {count}"
                );
            }
        }
    }

    #[test]
    fn numbers_are_not_keywords() {
        assert!(top_keywords(["2018", "19", "，"], 10).is_empty());
    }

    #[test]
    fn user_dict_with_and_without_frequency() {
        let dir = std::env::temp_dir().join(format!("zhclean-dict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("user.dict");
        std::fs::write(&path, "垃圾分类 20000 n\n交流协作机制\n").unwrap();
        let seg = Segmenter::new(Some(&path)).unwrap();
        assert_eq!(seg.warnings.len(), 1, "{:?}", seg.warnings);
        assert!(seg.warnings[0].contains(":2:"));
        let out = seg.segment(&strings(&["生活垃圾分类交流协作机制"]), false);
        assert_eq!(out.words, [["生活", "垃圾分类", "交流协作机制"]]);
        // The shared default dictionary is untouched.
        let plain = Segmenter::new(None).unwrap();
        assert_eq!(
            plain
                .segment(&strings(&["交流协作机制"]), false)
                .words
                .word_count(),
            3
        );

        std::fs::write(&path, "词 abc\n").unwrap();
        let err = Segmenter::new(Some(&path)).err().unwrap();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(Segmenter::new(Some(&dir.join("missing"))).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
