//! Keywords: jieba's TF-IDF over words already cut.
//!
//! [`TermCounts`] counts the keyword candidates of a body as its words are made (the segment
//! stage feeds it each word as it stores it, so the words are not walked a second time);
//! [`TermCounts::top`] ranks them. [`top_keywords`] does both for words at hand (the site
//! template step re-ranks after dropping paragraphs).

// Fx hashing (as jieba-rs itself uses): keys are dictionary words, not attacker-chosen in any
// way that matters for a per-page table, and SipHash showed up in the keyword step's profile.
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::idf::IDF;
use crate::model::is_han;

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
    let mut counts = TermCounts::with_capacity(words.size_hint().0 / 3);
    for word in words {
        counts.add(word);
    }
    counts.top(count)
}

/// How often each keyword candidate occurs in a body.
pub(crate) struct TermCounts<'a> {
    term_freq: FxHashMap<&'a str, u32>,
}

impl<'a> TermCounts<'a> {
    /// Room for `distinct` different words before the table grows.
    pub(crate) fn with_capacity(distinct: usize) -> TermCounts<'a> {
        TermCounts {
            term_freq: FxHashMap::with_capacity_and_hasher(distinct, FxBuildHasher),
        }
    }

    /// Counts `word` if it is a keyword candidate ([`is_keyword_candidate`]).
    #[inline]
    pub(crate) fn add(&mut self, word: &'a str) {
        if is_keyword_candidate(word) {
            *self.term_freq.entry(word).or_insert(0) += 1;
        }
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
    /// table, each pass only while its frequency can still enter.
    pub(crate) fn top(self, count: usize) -> Vec<String> {
        let mut best = Best::new(count);
        let mut frequent: Vec<(u32, &str)> = self
            .term_freq
            .iter()
            .filter(|&(_, &tf)| tf > 2)
            .map(|(&word, &tf)| (tf, word))
            .collect();
        frequent.sort_unstable_by_key(|&(tf, _)| std::cmp::Reverse(tf));
        'visit: {
            for (tf, word) in frequent {
                if !best.offer(tf, word) {
                    break 'visit;
                }
            }
            for rare in [2, 1] {
                for (&word, &tf) in &self.term_freq {
                    if tf == rare && !best.offer(tf, word) {
                        break 'visit;
                    }
                }
            }
        }
        best.into_words()
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
        self.scored.into_iter().map(|(_, w)| w.to_string()).collect()
    }
}

/// The ranking's total order: higher score first, then the word.
fn ranks_before(a: &(f64, &str), b: &(f64, &str)) -> bool {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)).is_lt()
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

    #[test]
    fn numbers_are_not_keywords() {
        assert!(top_keywords(["2018", "19", "，"], 10).is_empty());
    }

}
