//! [`Words`]: the segmented body, one list of words per paragraph.
//!
//! A page holds thousands of words. Kept as one `String` each they cost an allocation and a
//! free apiece, which made the segment stage cost 1.7× jieba's own cut. `Words` keeps one copy
//! of the paragraphs' text and the byte span of every word in it; the JSON form is unchanged:
//! an array of arrays of strings (`[["生活", "垃圾"], ["分类"]]`).
//!
//! ```
//! use zhclean::Words;
//! let words = Words::from_paragraphs([vec!["我", "来到"], vec!["北京"]]);
//! assert_eq!(words.len(), 2);
//! assert_eq!(words.paragraph(0).unwrap().collect::<Vec<_>>(), ["我", "来到"]);
//! assert_eq!(serde_json::to_string(&words).unwrap(), r#"[["我","来到"],["北京"]]"#);
//! ```

use std::fmt;
use std::ops::Range;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// Words of each paragraph, in order, as spans of one text. Built by the segment stage or
/// with [`Words::from_paragraphs`]; read with [`Words::paragraph`],
/// [`Words::paragraphs`] and [`Words::iter`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Words {
    /// The text every span points into (paragraphs, in the order pushed).
    text: String,
    /// Byte range of each word in `text`.
    spans: Vec<(u32, u32)>,
    /// For each paragraph, the index in `spans` one past its last word.
    paragraph_ends: Vec<u32>,
}

impl Words {
    /// Words from lists of word strings, one list per paragraph (tests, deserialising).
    pub fn from_paragraphs<P, W>(paragraphs: impl IntoIterator<Item = P>) -> Words
    where
        P: IntoIterator<Item = W>,
        W: AsRef<str>,
    {
        let mut builder = WordsBuilder::default();
        for paragraph in paragraphs {
            for word in paragraph {
                let word = word.as_ref();
                let start = builder.push_text(word);
                builder.push_word(start..start + word.len());
            }
            builder.end_paragraph();
        }
        builder.finish()
    }

    /// Number of paragraphs.
    pub fn len(&self) -> usize {
        self.paragraph_ends.len()
    }

    /// `true` when there are no paragraphs (e.g. segmentation was off).
    pub fn is_empty(&self) -> bool {
        self.paragraph_ends.is_empty()
    }

    /// Number of words over all paragraphs.
    pub fn word_count(&self) -> usize {
        self.spans.len()
    }

    /// The words of paragraph `index`, or `None` past the last paragraph.
    pub fn paragraph(&self, index: usize) -> Option<impl ExactSizeIterator<Item = &str> + '_> {
        let end = *self.paragraph_ends.get(index)? as usize;
        let start = match index {
            0 => 0,
            _ => self.paragraph_ends[index - 1] as usize,
        };
        Some(self.spans[start..end].iter().map(|&span| self.word(span)))
    }

    /// The words of every paragraph, in order.
    pub fn paragraphs(&self) -> impl ExactSizeIterator<Item = impl ExactSizeIterator<Item = &str>> {
        let mut start = 0;
        self.paragraph_ends.iter().map(move |&end| {
            let words = &self.spans[start..end as usize];
            start = end as usize;
            words.iter().map(|&span| self.word(span))
        })
    }

    /// The text the words are byte spans of, and the spans of each paragraph's words: for a
    /// writer that checks the text once instead of word by word (the JSON line writer). The
    /// text may hold more than the words (the whitespace between them).
    pub(crate) fn text_and_spans(&self) -> (&str, impl Iterator<Item = &[(u32, u32)]>) {
        let mut start = 0;
        let paragraphs = self.paragraph_ends.iter().map(move |&end| {
            let words = &self.spans[start..end as usize];
            start = end as usize;
            words
        });
        (&self.text, paragraphs)
    }

    /// Every word of every paragraph, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> {
        self.spans.iter().map(|&span| self.word(span))
    }

    /// The words as owned lists, one per paragraph.
    pub fn to_vecs(&self) -> Vec<Vec<String>> {
        self.paragraphs()
            .map(|words| words.map(str::to_string).collect())
            .collect()
    }

    /// Keeps the paragraphs for which `keep(index)` is true, in order.
    ///
    /// In place: the kept paragraphs' spans move down over the dropped ones (nothing moves
    /// before the first dropped paragraph), so no new lists are allocated.
    #[cfg(any(test, feature = "cli"))] // the site-template stage
    pub(crate) fn retain_paragraphs(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let (mut kept_spans, mut kept) = (0, 0);
        let mut start = 0;
        for index in 0..self.paragraph_ends.len() {
            let end = self.paragraph_ends[index] as usize;
            if keep(index) {
                if kept_spans < start {
                    self.spans.copy_within(start..end, kept_spans);
                }
                kept_spans += end - start;
                // Within u32: at most the old end.
                self.paragraph_ends[kept] = kept_spans as u32;
                kept += 1;
            }
            start = end;
        }
        self.spans.truncate(kept_spans);
        self.paragraph_ends.truncate(kept);
        // The text keeps the dropped paragraphs' bytes: spans still point into it, and the
        // words are written out moments later.
    }

    fn word(&self, (start, end): (u32, u32)) -> &str {
        // Spans are made only by `WordsBuilder::push_word`, which checks them.
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

/// Builds [`Words`]: push a paragraph's text, then the spans of its words in that text, then
/// end the paragraph.
///
/// ```
/// use zhclean::internals::words::WordsBuilder;
/// let mut builder = WordsBuilder::default();
/// let base = builder.push_text("生活 垃圾");
/// builder.push_word(base..base + 6);
/// builder.push_word(base + 7..base + 13);
/// builder.end_paragraph();
/// let words = builder.finish();
/// assert_eq!(words.iter().collect::<Vec<_>>(), ["生活", "垃圾"]);
/// ```
#[derive(Debug, Default)]
pub struct WordsBuilder {
    words: Words,
}

impl WordsBuilder {
    /// A builder with room for `text_bytes` of text and `words` words.
    pub fn with_capacity(text_bytes: usize, words: usize) -> WordsBuilder {
        WordsBuilder {
            words: Words {
                text: String::with_capacity(text_bytes),
                spans: Vec::with_capacity(words),
                paragraph_ends: Vec::new(),
            },
        }
    }

    /// Appends `text` (a paragraph, or part of one) and returns the byte offset it starts at,
    /// to which word spans within it are relative.
    pub fn push_text(&mut self, text: &str) -> usize {
        let start = self.words.text.len();
        self.words.text.push_str(text);
        start
    }

    /// Adds the word at byte range `span` of the text pushed so far to the current paragraph.
    /// A span that is out of range, not on character boundaries, or too large for the
    /// 32-bit offsets (texts over 4 GiB) is ignored: only the segment stage makes spans, from
    /// jieba's own token offsets.
    pub fn push_word(&mut self, span: Range<usize>) {
        let in_range = span.start <= span.end
            && u32::try_from(span.end).is_ok()
            && self.words.text.get(span.clone()).is_some();
        if in_range {
            self.words.spans.push((span.start as u32, span.end as u32));
        }
    }

    /// Appends `paragraph` and the words of it in `words`, and ends the paragraph: the one
    /// call the segment stage makes per paragraph, its words being jieba's slices of it.
    ///
    /// A word that is a slice of `paragraph` is stored as its span without the checks of
    /// [`WordsBuilder::push_word`]: a non-empty `&str` lying inside `paragraph`'s bytes starts
    /// and ends on character boundaries of it (a `str` can neither begin with a continuation
    /// byte nor end inside a character), and the paragraph's end offset fitting in 32 bits
    /// (checked once) bounds every span in it. Any other word (empty, or not from
    /// `paragraph`) is stored as text of its own, as [`Words::from_paragraphs`] does.
    pub fn push_paragraph<'p>(
        &mut self,
        paragraph: &'p str,
        words: impl IntoIterator<Item = &'p str>,
    ) {
        let base = self.push_text(paragraph);
        let origin = paragraph.as_ptr() as usize;
        let fits = u32::try_from(self.words.text.len()).is_ok();
        // `for_each`, not a `for` loop: the caller's adapters (a filter) then run as one fold
        // instead of a call into them per word.
        words.into_iter().for_each(|word| {
            let at = (word.as_ptr() as usize).wrapping_sub(origin);
            let inside = at < paragraph.len() && word.len() <= paragraph.len() - at;
            if fits && inside && !word.is_empty() {
                let start = base + at;
                self.words
                    .spans
                    .push((start as u32, (start + word.len()) as u32));
            } else {
                let start = self.push_text(word);
                self.push_word(start..start + word.len());
            }
        });
        self.end_paragraph();
    }

    /// Ends the current paragraph (which may have no words).
    pub fn end_paragraph(&mut self) {
        let end = u32::try_from(self.words.spans.len()).unwrap_or(u32::MAX);
        self.words.paragraph_ends.push(end);
    }

    /// The words built.
    pub fn finish(self) -> Words {
        self.words
    }
}

impl fmt::Debug for Words {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.paragraphs().map(|words| words.collect::<Vec<_>>()))
            .finish()
    }
}

/// Compares with lists of words per paragraph, e.g. `vec![vec!["生活", "垃圾"]]`.
impl<P, W> PartialEq<[P]> for Words
where
    for<'a> &'a P: IntoIterator<Item = &'a W>,
    W: AsRef<str>,
{
    fn eq(&self, other: &[P]) -> bool {
        self.len() == other.len()
            && self.paragraphs().zip(other).all(|(words, expected)| {
                let mut expected = expected.into_iter();
                words
                    .map(Some)
                    .chain(std::iter::once(None))
                    .all(|word| word == expected.next().map(AsRef::as_ref))
            })
    }
}

impl<P, W> PartialEq<Vec<P>> for Words
where
    for<'a> &'a P: IntoIterator<Item = &'a W>,
    W: AsRef<str>,
{
    fn eq(&self, other: &Vec<P>) -> bool {
        *self == other[..]
    }
}

impl<P, W, const N: usize> PartialEq<[P; N]> for Words
where
    for<'a> &'a P: IntoIterator<Item = &'a W>,
    W: AsRef<str>,
{
    fn eq(&self, other: &[P; N]) -> bool {
        *self == other[..]
    }
}

/// An array of arrays of strings, one array per paragraph.
impl Serialize for Words {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Paragraph<'a>(&'a Words, &'a [(u32, u32)]);
        impl Serialize for Paragraph<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.1.len()))?;
                for &span in self.1 {
                    seq.serialize_element(self.0.word(span))?;
                }
                seq.end()
            }
        }
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        let mut start = 0;
        for &end in &self.paragraph_ends {
            seq.serialize_element(&Paragraph(self, &self.spans[start..end as usize]))?;
            start = end as usize;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Words, D::Error> {
        Vec::<Vec<String>>::deserialize(deserializer).map(Words::from_paragraphs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let words = Words::from_paragraphs([vec!["生活", "垃圾"], vec![], vec!["分类", "a\"b"]]);
        let json = serde_json::to_string(&words).unwrap();
        assert_eq!(json, r#"[["生活","垃圾"],[],["分类","a\"b"]]"#);
        let back: Words = serde_json::from_str(&json).unwrap();
        assert_eq!(back, words);
        assert_eq!(back, [vec!["生活", "垃圾"], vec![], vec!["分类", "a\"b"]]);
        assert_eq!(back.word_count(), 4);
        assert_eq!(back.iter().last(), Some("a\"b"));
    }

    #[test]
    fn comparison_needs_the_same_paragraphs_and_words() {
        let words = Words::from_paragraphs([["一", "二"]]);
        assert_eq!(words, [["一", "二"]]);
        assert_ne!(words, [vec!["一"]]);
        assert_ne!(words, [vec!["一", "二", "三"]]);
        assert_ne!(words, [vec!["一", "二"], vec![]]);
        assert_ne!(words, [vec!["二", "一"]]);
    }

    #[test]
    fn paragraphs_by_index_and_in_order() {
        let words = Words::from_paragraphs([vec!["甲"], vec!["乙", "丙"]]);
        assert_eq!(
            words.paragraph(1).unwrap().collect::<Vec<_>>(),
            ["乙", "丙"]
        );
        assert!(words.paragraph(2).is_none());
        assert_eq!(words.to_vecs(), [vec!["甲"], vec!["乙", "丙"]]);
        assert_eq!(format!("{words:?}"), r#"[["甲"], ["乙", "丙"]]"#);
        assert!(Words::default().is_empty());
    }

    #[test]
    fn retain_paragraphs_keeps_order_and_words() {
        let mut words = Words::from_paragraphs([vec!["甲"], vec!["乙", "丙"], vec!["丁"]]);
        words.retain_paragraphs(|index| index != 1);
        assert_eq!(words, [vec!["甲"], vec!["丁"]]);
        assert_eq!(words.word_count(), 2);
    }

    #[test]
    fn push_paragraph_stores_slices_as_spans_and_other_words_as_text() {
        let paragraph = "生活 垃圾分类";
        let other = String::from("外来");
        let mut builder = WordsBuilder::default();
        // Words that are not slices of the paragraph (they are in memory of their own) are
        // stored as text of their own.
        builder.push_paragraph(&String::from("第一段"), ["第一", "段"]);
        builder.push_paragraph(
            paragraph,
            [
                &paragraph[..6],
                &paragraph[7..13],
                "",
                &other,
                &paragraph[13..],
                &paragraph[..0],
                &paragraph[19..],
            ],
        );
        builder.push_paragraph("", []);
        let words = builder.finish();
        assert_eq!(
            words,
            [
                vec!["第一", "段"],
                vec!["生活", "垃圾", "", "外来", "分类", "", ""],
                vec![],
            ]
        );
        // Slices cost no text: the paragraphs, then only the words from elsewhere.
        assert_eq!(words.text, "第一段第一段生活 垃圾分类外来");
        let (text, mut spans) = words.text_and_spans();
        let second = spans.nth(1).unwrap();
        assert_eq!(second[0], (18, 24));
        assert!(second
            .iter()
            .all(|&(a, b)| text.get(a as usize..b as usize).is_some()));
    }

    #[test]
    fn retain_paragraphs_equals_rebuilding_from_the_kept_ones() {
        let mut rng = crate::testing::XorShift::new(0x9E37_79B9_7F4A_7C15);
        for round in 0..500 {
            let paragraphs: Vec<Vec<String>> = (0..round % 12)
                .map(|p| {
                    (0..rng.next_u64() % 4)
                        .map(|w| format!("{p}-{w}"))
                        .collect()
                })
                .collect();
            let keep: Vec<bool> = paragraphs
                .iter()
                .map(|_| !rng.next_u64().is_multiple_of(3))
                .collect();
            let mut words = Words::from_paragraphs(&paragraphs);
            words.retain_paragraphs(|index| keep[index]);
            let kept = paragraphs.iter().zip(&keep).filter(|(_, &k)| k);
            let expected = Words::from_paragraphs(kept.map(|(p, _)| p));
            assert_eq!(
                words.to_vecs(),
                expected.to_vecs(),
                "{paragraphs:?} {keep:?}"
            );
            assert_eq!(words.word_count(), expected.word_count());
        }
    }

    #[test]
    fn bad_spans_are_ignored_not_a_panic() {
        let mut builder = WordsBuilder::default();
        let base = builder.push_text("中文");
        builder.push_word(base + 1..base + 3); // inside a character
        builder.push_word(base + 3..base + 9); // past the end
        builder.push_word(base..base + 3);
        builder.end_paragraph();
        assert_eq!(builder.finish(), [["中"]]);
    }
}
