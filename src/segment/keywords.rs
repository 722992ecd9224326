//! Keywords: jieba's TF-IDF over words already cut.
//!
//! [`TermCounts`] counts the keyword candidates of a body as its words are made (the segment
//! stage feeds it each word as it stores it, so the words are not walked a second time);
//! [`TermCounts::top`] ranks them. [`top_keywords`] does both for words at hand (the site
//! template step re-ranks after dropping paragraphs).

// Fx hashing (as jieba-rs itself uses): keys are dictionary words, not attacker-chosen in any
// way that matters for a per-page table, and SipHash showed up in the keyword step's profile.
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::collections::hash_map::Entry;

use super::idf::IDF;
use crate::model::is_han;

/// jieba's TF-IDF over words already cut: candidates have at least two characters and at
/// least one letter (Han counts), as jieba's extractor filters short terms; the median IDF
/// stands in for unknown words. Ties break on the word so output is deterministic.
///
/// ```
/// let words = ["纽约", "天气", "纽约", "的", "2018"];
/// assert_eq!(zhclean::internals::segment::top_keywords(words, 1), ["纽约"]);
/// ```
#[cfg(any(test, feature = "cli", feature = "internals"))]
pub fn top_keywords<'a>(words: impl IntoIterator<Item = &'a str>, count: usize) -> Vec<String> {
    if count == 0 {
        return Vec::new();
    }
    let words = words.into_iter();
    // A page repeats its words: about a third of them are distinct.
    let mut counts = TermCounts::with_capacity(words.size_hint().0 / 3);
    for word in words {
        counts.add(word);
    }
    counts.top(count)
}

/// How often each keyword candidate occurs in a body.
///
/// The distinct candidates sit in one list, in order of first occurrence, with their counts;
/// hash tables find a word's place in it. Words of up to 15 bytes (five Han characters, which
/// is nearly all of them) are looked up by their bytes packed into two integers
/// ([`ShortKey`]): hashing and comparing such a key costs a few instructions, where a `&str`
/// key costs a byte-wise hash and a `memcmp`. Longer words have a table of their own.
pub(crate) struct TermCounts<'a> {
    /// Each distinct candidate, in order of first occurrence.
    terms: Vec<Term<'a>>,
    /// Index in `terms` of each candidate of at most [`ShortKey::MAX_LEN`] bytes.
    short: FxHashMap<ShortKey, u32>,
    /// Index in `terms` of each candidate longer than [`ShortKey::MAX_LEN`] bytes.
    long: FxHashMap<&'a str, u32>,
}

/// A distinct candidate and how often it occurs.
struct Term<'a> {
    word: &'a str,
    tf: u32,
}

impl<'a> TermCounts<'a> {
    /// Room for `distinct` different words before the tables grow.
    pub(crate) fn with_capacity(distinct: usize) -> TermCounts<'a> {
        TermCounts {
            terms: Vec::with_capacity(distinct),
            short: FxHashMap::with_capacity_and_hasher(distinct, FxBuildHasher),
            long: FxHashMap::default(),
        }
    }

    /// Counts `word` if it is a keyword candidate ([`is_keyword_candidate`]).
    ///
    /// Always inlined into the caller's loop, with [`TermCounts::add_short`]: a call per word
    /// cost more than the counting (the rare path, a long word, is a call).
    #[inline(always)]
    pub(crate) fn add(&mut self, word: &'a str) {
        if is_keyword_candidate(word) {
            self.add_candidate(word);
        }
    }

    /// Counts `word`, a keyword candidate.
    #[inline(always)]
    fn add_candidate(&mut self, word: &'a str) {
        match ShortKey::new(word.as_bytes()) {
            Some(key) => self.add_short(key, word),
            None => self.add_long(word),
        }
    }

    /// Counts `word`, whose key is `key` (equal keys are equal words).
    #[inline(always)]
    fn add_short(&mut self, key: ShortKey, word: &'a str) {
        match self.short.entry(key) {
            Entry::Occupied(at) => {
                if let Some(term) = self.terms.get_mut(*at.get() as usize) {
                    term.tf += 1;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(self.terms.len() as u32);
                self.terms.push(Term { word, tf: 1 });
            }
        }
    }

    /// Counts `word`, too long for a [`ShortKey`].
    #[cold]
    #[inline(never)]
    fn add_long(&mut self, word: &'a str) {
        match self.long.get(word) {
            Some(&at) => {
                if let Some(term) = self.terms.get_mut(at as usize) {
                    term.tf += 1;
                }
            }
            None => {
                let at = self.push(word);
                self.long.insert(word, at);
            }
        }
    }

    /// Adds `word` as a new term seen once; returns its index.
    fn push(&mut self, word: &'a str) -> u32 {
        self.terms.push(Term { word, tf: 1 });
        // A page has far fewer than 2³² words.
        self.terms.len() as u32 - 1
    }

    /// The `count` best candidates by TF-IDF (ties on the word), best first.
    ///
    /// Each IDF lookup is a likely cache miss (270,000 words), and most distinct words occur
    /// once or twice. `tf × highest IDF` bounds a word's score, so, visiting words by falling
    /// frequency, the lookups stop once that bound is below the `count`-th best score: no word
    /// left can reach the top (strictly below, so not even by a tie). The order among words
    /// of equal frequency does not matter: [`Best`] keeps the top of what it is offered in a
    /// total order, and a word is skipped only when no word of its frequency or lower can
    /// enter.
    ///
    /// So no sort of all distinct words is needed: the few seen three times or more are
    /// sorted, then the words seen twice and those seen once are taken in passes over the
    /// list of terms, each pass only while its frequency can still enter.
    pub(crate) fn top(self, count: usize) -> Vec<String> {
        let mut best = Best::new(count);
        let mut frequent: Vec<(u32, &str)> = self
            .terms
            .iter()
            .filter(|term| term.tf > 2)
            .map(|term| (term.tf, term.word))
            .collect();
        frequent.sort_unstable_by_key(|&(tf, _)| std::cmp::Reverse(tf));
        'visit: {
            for (tf, word) in frequent {
                if !best.offer(tf, word) {
                    break 'visit;
                }
            }
            for rare in [2, 1] {
                for term in &self.terms {
                    if term.tf == rare && !best.offer(rare, term.word) {
                        break 'visit;
                    }
                }
            }
        }
        best.into_words()
    }
}

/// A word of at most [`ShortKey::MAX_LEN`] bytes as two integers: its bytes, zero-padded to
/// 16, little-endian, with the length in the last byte. Equal keys are equal words (the
/// length is part of the key, and the bytes are all there), so the key stands for the word
/// in a hash table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct ShortKey(u64, u64);

impl ShortKey {
    /// The longest word that has a key: the last of the 16 bytes holds the length.
    const MAX_LEN: usize = 15;

    /// The key of the word with UTF-8 `bytes`, or `None` if it is longer than
    /// [`ShortKey::MAX_LEN`] bytes.
    ///
    /// The bytes are read as two overlapping words (as hashers of short strings do) and the
    /// overlap shifted out, rather than copied into a buffer: a copy of variable length is a
    /// `memcpy` call. The test `short_key_is_the_padded_bytes` checks the result against the
    /// buffer copy for every length.
    #[inline]
    fn new(bytes: &[u8]) -> Option<ShortKey> {
        let len = bytes.len();
        let (head, tail) = match len {
            // Bytes 0..8, and 8..len as the last 8 bytes shifted right past the overlap.
            8..=Self::MAX_LEN => {
                let last = u64::from_le_bytes(bytes[len - 8..].try_into().ok()?);
                let tail = last.checked_shr((16 - len as u32) * 8).unwrap_or(0);
                (u64::from_le_bytes(bytes[..8].try_into().ok()?), tail)
            }
            // Bytes 0..4, and 4..len likewise from the last 4 bytes.
            4..=7 => {
                let first = u32::from_le_bytes(bytes[..4].try_into().ok()?);
                let last = u32::from_le_bytes(bytes[len - 4..].try_into().ok()?);
                let rest = u64::from(last) >> ((8 - len as u32) * 8);
                (u64::from(first) | rest << 32, 0)
            }
            1..=3 => {
                let (first, mid, last) = (bytes[0], bytes[len / 2], bytes[len - 1]);
                let head = u64::from(first)
                    | u64::from(mid) << (8 * (len / 2))
                    | u64::from(last) << (8 * (len - 1));
                (head, 0)
            }
            // Neither the empty word nor long ones.
            _ => return None,
        };
        Some(ShortKey(head, tail | (len as u64) << 56))
    }
}

/// The best scores offered so far, best first, at most `count` of them.
struct Best<'a> {
    count: usize,
    scored: Vec<(f64, &'a str)>,
}

impl<'a> Best<'a> {
    fn new(count: usize) -> Best<'a> {
        Best {
            count,
            scored: Vec::with_capacity(count + 1),
        }
    }

    /// Scores `word`, seen `tf` times, and keeps it if it ranks among the best. `false` when
    /// no word seen `tf` times or fewer can enter any more (`word` is then not scored).
    #[inline]
    fn offer(&mut self, tf: u32, word: &'a str) -> bool {
        let table = &*IDF;
        let tf = f64::from(tf);
        if self.scored.len() == self.count
            && self
                .scored
                .last()
                .is_some_and(|last| tf * table.max() < last.0)
        {
            return false;
        }
        let scored = (tf * table.get(word).unwrap_or(table.median()), word);
        let full = self.scored.len() == self.count;
        // Most words scored rank below the last kept one: one comparison settles them.
        if full
            && self
                .scored
                .last()
                .is_none_or(|last| ranks_before(last, &scored))
        {
            return true;
        }
        let at = self
            .scored
            .partition_point(|other| ranks_before(other, &scored));
        if at < self.count {
            self.scored.insert(at, scored);
            self.scored.truncate(self.count);
        }
        true
    }

    fn into_words(self) -> Vec<String> {
        self.scored
            .into_iter()
            .map(|(_, w)| w.to_string())
            .collect()
    }
}

/// The ranking's total order: higher score first, then the word.
fn ranks_before(a: &(f64, &str), b: &(f64, &str)) -> bool {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)).is_lt()
}

/// At least two characters, at least one of them a letter (Han counts).
///
/// Inlined: it turns away about half of a page's words (single characters) for the price of
/// a byte comparison or two.
#[inline(always)]
fn is_keyword_candidate(word: &str) -> bool {
    // Most words start with a character of U+4E00..=U+9FFF, all Han, whose UTF-8 form is three
    // bytes led by 0xE5..=0xE9, or by 0xE4 then 0xB8..=0xBF: a second character is any byte
    // beyond the third. A word of one byte, or of one other three-byte character (CJK
    // punctuation), has a single character.
    match word.as_bytes() {
        [0xE5..=0xE9, ..] | [0xE4, 0xB8..=0xBF, ..] => word.len() > 3,
        [] | [_] | [0xE0..=0xEF, _, _] => false,
        _ => is_other_keyword_candidate(word),
    }
}

/// [`is_keyword_candidate`] for the words its fast paths leave.
fn is_other_keyword_candidate(word: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Words of one to seven characters from a small alphabet (common and rare Han, Latin
    /// letters, a digit, NUL), so that short and long words, candidates and not, repeats and
    /// keys differing in one byte all occur.
    fn generated_words(rng: &mut crate::testing::XorShift, count: usize) -> Vec<String> {
        let alphabet = [
            '的', '中', '国', '龟', '镜', '亍', '一', 'a', 'Z', '1', '\0', '，',
        ];
        (0..count)
            .map(|_| {
                let len = 1 + rng.next_u64() % 7;
                (0..len).map(|_| *rng.pick(&alphabet)).collect()
            })
            .collect()
    }

    #[test]
    fn pruned_ranking_equals_the_full_sort_on_generated_words() {
        // Many distinct words (the tables grow from their smallest size), long ones (over
        // 15 bytes, counted apart), unknown ones and ties.
        let mut rng = crate::testing::XorShift::new(0x5DEE_CE66_D1CE_4E5B);
        for round in 0..60 {
            let vocabulary = generated_words(&mut rng, 5 + round * 20);
            let words: Vec<&str> = (0..round * 40 + 3)
                .map(|_| rng.pick(&vocabulary).as_str())
                .collect();
            for count in [1, 10, 40, 10_000] {
                assert_eq!(
                    top_keywords(words.iter().copied(), count),
                    top_keywords_by_full_sort(&words, count),
                    "round {round} top {count}"
                );
            }
        }
    }

    #[test]
    fn counts_equal_a_plain_count() {
        let mut rng = crate::testing::XorShift::new(0x2545_F491_4F6C_DD1D);
        let vocabulary = generated_words(&mut rng, 3_000);
        let words: Vec<&str> = (0..20_000)
            .map(|_| rng.pick(&vocabulary).as_str())
            .chain([
                "",
                "a",
                "ab",
                "ab\0",
                "中",
                "中国",
                "一二三四五",
                "一二三四五六",
            ])
            .collect();
        let mut counts = TermCounts::with_capacity(0);
        let mut expected: FxHashMap<&str, u32> = FxHashMap::default();
        let mut first_seen = Vec::new();
        for &word in &words {
            counts.add(word);
            if is_keyword_candidate(word) {
                let tf = expected.entry(word).or_insert(0);
                if *tf == 0 {
                    first_seen.push(word);
                }
                *tf += 1;
            }
        }
        let got: Vec<(&str, u32)> = counts.terms.iter().map(|t| (t.word, t.tf)).collect();
        let want: Vec<(&str, u32)> = first_seen.iter().map(|&w| (w, expected[w])).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn short_key_is_the_padded_bytes() {
        // The key as documented: the bytes zero-padded to 16, the length in the last byte.
        fn padded(bytes: &[u8]) -> ShortKey {
            let mut buffer = [0u8; 16];
            buffer[..bytes.len()].copy_from_slice(bytes);
            buffer[15] = bytes.len() as u8;
            let (head, tail) = buffer.split_at(8);
            ShortKey(
                u64::from_le_bytes(head.try_into().unwrap()),
                u64::from_le_bytes(tail.try_into().unwrap()),
            )
        }
        let mut rng = crate::testing::XorShift::new(0x9E37_79B9_7F4A_7C15);
        // Every length, each byte position seeing zero, 0xFF and random values: a byte lost
        // or misplaced by the shifts changes the key.
        for len in 0..=ShortKey::MAX_LEN + 1 {
            for round in 0..2_000 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| match round % 3 {
                        0 => rng.next_u64() as u8,
                        1 => [0, 0xFF, 1, 0x80][(rng.next_u64() % 4) as usize],
                        _ => *rng.pick(&[b'a', 0xE4, 0xB8, 0xAD]),
                    })
                    .collect();
                // Not all of these are UTF-8: the key is over bytes.
                let expected = (1..=ShortKey::MAX_LEN)
                    .contains(&len)
                    .then(|| padded(&bytes));
                assert_eq!(ShortKey::new(&bytes), expected, "{bytes:?}");
            }
        }
        assert!(ShortKey::new("一二三四五".as_bytes()).is_some());
        assert!(ShortKey::new("一二三四五六".as_bytes()).is_none());
    }

    #[test]
    fn numbers_are_not_keywords() {
        assert!(top_keywords(["2018", "19", "，"], 10).is_empty());
    }
}
