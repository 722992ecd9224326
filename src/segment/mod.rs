//! Segment stage: body paragraphs in, words per paragraph and TF-IDF keywords out.
//!
//! Segmentation is jieba's precise mode with HMM (`jieba-rs`). The default dictionary is
//! loaded once per process and shared by every [`Segmenter`] without a user dictionary;
//! a user dictionary gives a segmenter its own copy.
//!
//! Keywords are jieba's TF-IDF, computed from the words already cut, so nothing is segmented
//! twice (jieba-rs's own extractor re-cuts the text): the candidates are counted as each
//! word is stored, and ranked at the end (`keywords.rs`). The IDF table is jieba's `idf.txt`,
//! shipped gzipped in `data/jieba_idf.txt.gz` (jieba-rs does not expose its copy; see
//! `idf.rs`).
//!
//! Memory: a paragraph longer than [`WINDOW`] bytes is cut a window at a time, each window
//! ending where jieba's own blocks end (after punctuation, a space, any character jieba does
//! not join into words), so the words are the same as from one cut of the whole paragraph,
//! and jieba's working lists (48 bytes a token) never hold more than one window. Only a
//! window with no such place at all (tens of kilobytes of Han characters or letters without
//! a single punctuation mark) is cut at a character boundary, which may split one word.
//! The stage then holds the paragraphs, one copy of their text and 8 bytes per word.
//!
//! ```
//! use zhclean::internals::segment::Segmenter;
//! let segmenter = Segmenter::new(None).unwrap();
//! let out = segmenter.segment(&["我来到北京清华大学".to_string()], false);
//! assert_eq!(out.words, vec![vec!["我", "来到", "北京", "清华大学"]]);
//! ```

use std::path::Path;
use std::sync::{Arc, LazyLock};

mod idf;
mod keywords;
use idf::IDF;
#[cfg(any(test, feature = "cli", feature = "internals"))]
pub use keywords::top_keywords;
use keywords::TermCounts;

use jieba_rs::Jieba;

use crate::error::{Error, Result};
use crate::model::may_start_whitespace;
use crate::words::{Words, WordsBuilder};

/// Keywords returned by default (jieba's `topK`).
pub const DEFAULT_KEYWORDS: usize = 10;

/// Longest piece of a paragraph handed to jieba at once, in bytes (see the module doc).
pub const WINDOW: usize = 64 * 1024;

/// Distinct keyword candidates the counting table has room for before it grows: a page's
/// worth. (Sized from the text, a 60 MB page would reserve a table of 200 MB up front.)
const MAX_PRESIZED_TERMS: usize = 64 * 1024;

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
        // The keyword candidates are counted as the words are stored, not in a second pass.
        // A page has about one distinct candidate per 13 bytes of text (one per 11 in nine
        // pages out of ten): room for one per 9 bytes spares nearly every page a growth.
        let mut counts = TermCounts::with_capacity((text_bytes / 9).min(MAX_PRESIZED_TERMS));
        for paragraph in paragraphs {
            if let Some(tags) = tags.as_mut() {
                let mut paragraph_tags = Vec::new();
                let tagged = windows(paragraph).flat_map(|window| self.jieba.tag(window, true));
                let kept = tagged.filter(|tag| !tag.word.trim().is_empty());
                words.push_paragraph(
                    paragraph,
                    kept.map(|tag| {
                        paragraph_tags.push(tag.tag.to_string());
                        counts.add(tag.word);
                        tag.word
                    }),
                );
                tags.push(paragraph_tags);
            } else if paragraph.len() > WINDOW {
                let tokens = windows(paragraph).flat_map(|window| self.jieba.cut(window, true));
                let kept = tokens.map(|token| token.word).filter(|w| !is_blank(w));
                words.push_paragraph(paragraph, kept.inspect(|word| counts.add(word)));
            } else {
                let tokens = self.jieba.cut(paragraph, true);
                let kept = tokens
                    .iter()
                    .map(|token| token.word)
                    .filter(|w| !is_blank(w));
                words.push_paragraph(paragraph, kept.inspect(|word| counts.add(word)));
            }
        }
        let words = words.finish();
        let keywords = match self.keyword_count {
            0 => Vec::new(),
            count => counts.top(count),
        };
        Segmented {
            words,
            pos: tags,
            keywords,
        }
    }
}

/// `text` in pieces of at most [`WINDOW`] bytes that jieba cuts into the same words as the
/// whole: each piece but the last ends right after a character that ends jieba's blocks
/// ([`ends_jieba_block`]), the last such one in its window; a window without one ends at a
/// character boundary.
pub fn windows(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        if end > WINDOW {
            let limit = rest
                .floor_char_boundary(WINDOW)
                .max(rest.ceil_char_boundary(1));
            end = rest[..limit]
                .char_indices()
                .rev()
                .find(|&(_, c)| ends_jieba_block(c))
                .map_or(limit, |(at, c)| at + c.len_utf8());
        }
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

/// Whether a cut may follow `c` without changing jieba's words: jieba-rs cuts runs of the
/// characters it joins into words (`RE_HAN_DEFAULT`: CJK ideographs, ASCII letters and
/// digits, `+#&._%-`) and gives every other character as a token of its own, except `\r\n`,
/// one token.
fn ends_jieba_block(c: char) -> bool {
    let joined = match c {
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}' => true,
        c if c.is_ascii() => c.is_ascii_alphanumeric() || "+#&._%-".contains(c),
        _ => false,
    };
    !joined && c != '\r'
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

    #[test]
    fn keywords_counted_while_cutting_equal_those_of_the_words() {
        // The segment stage counts candidates as it stores each word; the site-template step
        // re-ranks from the stored words: both must agree, with and without POS tags.
        let seed = include_str!("../../fixtures/seed/000_f764d41b789eb620.txt");
        let paragraphs: Vec<String> = seed.lines().map(str::to_string).collect();
        for count in [1, 10, 100] {
            let seg = Segmenter::new(None).unwrap().with_keyword_count(count);
            for pos in [false, true] {
                let out = seg.segment(&paragraphs, pos);
                assert!(out.words.word_count() > 500);
                assert_eq!(out.keywords.len(), count);
                assert_eq!(out.keywords, top_keywords(out.words.iter(), count));
            }
        }
    }

    #[test]
    fn long_paragraphs_cut_in_windows_give_the_words_of_one_cut() {
        let seg = Segmenter::new(None).unwrap();
        let seed = include_str!("../../fixtures/seed/000_f764d41b789eb620.txt");
        // Flat pages (no line breaks) of several kinds, each longer than a few windows.
        let pieces = [
            seed.replace('\n', ""),
            seed.replace('\n', "\r\n"),
            "abc 12.5% x-y\r\n中文English混排，".repeat(300),
            "：".repeat(30_000),
        ];
        for piece in pieces {
            let paragraph = piece.repeat(3 * WINDOW / piece.len() + 1);
            assert!(windows(&paragraph).count() > 2);
            assert_eq!(windows(&paragraph).collect::<String>(), paragraph);
            assert!(windows(&paragraph).all(|w| w.len() <= WINDOW));
            let whole: Vec<&str> = seg
                .jieba
                .cut(&paragraph, true)
                .into_iter()
                .map(|t| t.word)
                .filter(|w| !is_blank(w))
                .collect();
            let out = seg.segment(std::slice::from_ref(&paragraph), false);
            assert_eq!(out.words.iter().collect::<Vec<_>>(), whole);
            let tagged = seg.segment(std::slice::from_ref(&paragraph), true);
            assert_eq!(tagged.words, out.words);
            assert_eq!(tagged.keywords, out.keywords);
        }
    }

    #[test]
    fn a_window_without_a_block_end_is_cut_at_a_character() {
        // Two windows' worth of three-byte characters, no place where a jieba block ends.
        let flat = "中".repeat(WINDOW / 3 * 2);
        let pieces: Vec<&str> = windows(&flat).collect();
        assert_eq!(pieces, [&flat[..WINDOW / 3 * 3], &flat[WINDOW / 3 * 3..]]);
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
