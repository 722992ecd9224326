//! Quality signals of a cleaned article, and one `score` in 0..1 built from them.
//!
//! Computed on the final body (after repair and extraction), so they say how usable the text
//! is, not how damaged the page was:
//!
//! * `han_share`: Han characters / non-whitespace characters;
//! * `rare_share`: Han characters jieba's dictionary uses fewer than
//!   [`crate::model::RARE_COUNT`] times (or never) / Han characters — mojibake and shifted
//!   text drive it up;
//! * `garbled`: remaining marks of damage: U+FFFD, `?` between two Han characters, private-use
//!   characters, runs of Latin-1 letters glued to Han text (`æ•°`);
//! * `avg_paragraph_chars`: characters per body paragraph;
//! * `pinyin_remnants`: Latin words with a tone mark (`shù`) still in the body;
//! * `mojibake`: mojibake left in the body: adjacent characters, one of them rare, whose GBK
//!   bytes spell a CJK character in UTF-8 (`鍦版`; UTF-8 read as Big5 leaves so little that
//!   its rare and Han shares already give it a score near 0). Looked for only when at least one
//!   Han character in [`MOJIBAKE_RARE_SHARE`] is rare (mojibake is made of rare characters;
//!   clean text has about one in two hundred), so clean bodies cost nothing more;
//! * `guessed`, `lost`: characters of the page that the lossy mojibake repair chose among the
//!   candidates for bytes a replacing decoder had lost, and those it could not recover and
//!   dropped ([`RepairedSpan::guessed`], [`RepairedSpan::dropped`]; given by
//!   [`assess_repaired`]).
//!
//! `score` = `han` × `rare` × `garbled` × `length` × `pinyin` × `mojibake` × `uncertain`,
//! each factor in 0..1: `han` = min(1, han_share / 0.5); `rare` = max(0, 1 − 4 × rare_share);
//! `garbled` = 1 / (1 + 200 × garbled / chars); `length` = min(1, chars / 100);
//! `pinyin` = 1 / (1 + pinyin_remnants / 5); `mojibake` = 1 / (1 + 200 × mojibake / chars);
//! `uncertain` = 1 / (1 + 10 × (lost + guessed / 20) / max(chars, repaired)): the share of
//! characters likely missing or wrong (a guess is right about 19 times in 20), among the
//! body's characters or the characters the spans repaired (their `after`, annotations and
//! removed lines included), whichever is more. Clean news text scores above 0.9; a body of a
//! few words, of mostly non-Chinese text, or full of damage scores low (a page that lost one
//! character in ten to a replacing decoder, 0.5 at most).
//!
//! The one pass that gathers the counts is written for speed, in `scan.rs`; its plain
//! definition stands beside it in that file's tests, which compare the two.
//!
//! ```
//! use zhclean::internals::quality::assess;
//! let q = assess("国家统计局今天发布了最新的经济数据，显示经济增长稳定。全年国内生产总值比上年增长五个百分点，就业形势总体稳定，物价保持平稳，居民收入稳步增加，市场预期持续改善。");
//! assert!(q.score > 0.6, "{q:?}");
//! assert!(assess("鍦版柟鏀垮簻�?").score < 0.2);
//! ```

use serde::{Deserialize, Serialize};

use crate::article::{is_zero, RepairedSpan};
use crate::model::{is_han, CharModel};
use crate::repair::codepage::DoubleByte;
use scan::count;

mod scan;

/// Residual mojibake is looked for when at least one Han character in this many is rare.
pub const MOJIBAKE_RARE_SHARE: usize = 50;

/// The quality signals and score of one body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Quality {
    /// Overall usability in 0..1 (see the module doc for the formula).
    pub score: f64,
    /// Share of non-whitespace characters that are Han.
    pub han_share: f64,
    /// Share of Han characters that are rare or unknown to jieba's dictionary.
    pub rare_share: f64,
    /// Remaining marks of damage (U+FFFD, `?` between Han characters, private use, Latin-1
    /// mojibake runs).
    pub garbled: usize,
    /// Average characters per paragraph.
    pub avg_paragraph_chars: f64,
    /// Tone-marked pinyin words left in the body.
    pub pinyin_remnants: usize,
    /// Mojibake character pairs left in the body (see the module doc); omitted when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mojibake: usize,
    /// Characters the lossy mojibake repair chose among candidates for lost bytes; omitted
    /// when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub guessed: usize,
    /// Characters with lost bytes it could not recover (left out of the text); omitted
    /// when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lost: usize,
}

/// Assesses `body` (paragraphs separated by `\n`). Linear time; never panics.
#[cfg(any(test, feature = "internals"))]
pub fn assess(body: &str) -> Quality {
    assess_repaired(body, &[])
}

/// [`assess`], with the characters the page's `repaired` spans guessed and dropped.
pub fn assess_repaired(body: &str, repaired: &[RepairedSpan]) -> Quality {
    let mut counts = count(body);
    counts.guessed = repaired.iter().map(|span| span.guessed).sum();
    counts.lost = repaired.iter().map(|span| span.dropped).sum();
    if counts.guessed + counts.lost > 0 {
        counts.repaired = repaired
            .iter()
            .map(|span| span.after.chars().count() + span.dropped)
            .sum();
    }
    counts.quality()
}

/// What [`assess`] counts in one pass over a body.
pub(super) struct Counts {
    pub(super) chars: usize,
    pub(super) han: usize,
    pub(super) rare: usize,
    pub(super) garbled: usize,
    pub(super) paragraphs: usize,
    pub(super) pinyin_remnants: usize,
    pub(super) mojibake: usize,
    pub(super) guessed: usize,
    pub(super) lost: usize,
    /// Characters of the repaired spans (with the lost ones), when some were uncertain.
    pub(super) repaired: usize,
}

impl Counts {
    /// The signals and the score (formula in the module doc).
    pub(super) fn quality(&self) -> Quality {
        let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let han_share = share(self.han, self.chars);
        let rare_share = share(self.rare, self.han);
        let mut score = (han_share / 0.5).min(1.0)
            * (1.0 - 4.0 * rare_share).max(0.0)
            * (1.0 / (1.0 + 200.0 * share(self.garbled, self.chars)))
            * (self.chars as f64 / 100.0).min(1.0)
            * (1.0 / (1.0 + self.pinyin_remnants as f64 / 5.0));
        // Multiplied in only when there is something to count, so that the score of a body
        // without such damage is the product above to the last bit.
        if self.mojibake > 0 {
            score /= 1.0 + 200.0 * share(self.mojibake, self.chars);
        }
        if self.guessed + self.lost > 0 {
            let likely_wrong = self.lost as f64 + self.guessed as f64 / 20.0;
            score /= 1.0 + 10.0 * likely_wrong / self.chars.max(self.repaired).max(1) as f64;
        }
        Quality {
            score: round(score),
            han_share: round(han_share),
            rare_share: round(rare_share),
            garbled: self.garbled,
            avg_paragraph_chars: round(share(self.chars, self.paragraphs)),
            pinyin_remnants: self.pinyin_remnants,
            mojibake: self.mojibake,
            guessed: self.guessed,
            lost: self.lost,
        }
    }
}

/// Adjacent character pairs of `body`, one of them rare, whose GBK bytes spell a CJK
/// character (U+3000..=U+9FFF, U+FF00..=U+FFEF) in UTF-8, from their first or second byte:
/// what UTF-8 read as GBK leaves. Counted only when at least one of
/// [`MOJIBAKE_RARE_SHARE`] Han characters (`han`, of which `rare` are rare) is rare, and at
/// least two are.
pub(super) fn residual_mojibake(body: &str, han: usize, rare: usize, m: &CharModel) -> usize {
    if rare < 2 || rare * MOJIBAKE_RARE_SHARE < han {
        return 0;
    }
    let mut count = 0;
    let mut previous: Option<char> = None;
    for c in body.chars() {
        if let Some(p) = previous.filter(|&p| m.is_rare(p) || m.is_rare(c)) {
            let mut bytes = Vec::with_capacity(4);
            for encoded in [DoubleByte::Gbk.encode(p), DoubleByte::Gbk.encode(c)]
                .into_iter()
                .flatten()
            {
                bytes.extend_from_slice(encoded.as_slice());
            }
            count += usize::from(spells_utf8_cjk(&bytes));
        }
        previous = Some(c);
    }
    count
}

/// Whether four bytes hold a UTF-8 CJK character at offset 0 or 1.
fn spells_utf8_cjk(bytes: &[u8]) -> bool {
    bytes.len() == 4
        && [0, 1].iter().any(|&at| {
            std::str::from_utf8(&bytes[at..at + 3]).is_ok_and(|s| {
                s.chars()
                    .next()
                    .is_some_and(|c| matches!(c as u32, 0x3000..=0x9FFF | 0xFF00..=0xFFEF))
            })
        })
}

/// Latin words (between Han characters and non-letters) made of lowercase ASCII and tone
/// vowels, with at least one tone vowel.
pub(super) fn pinyin_remnants(body: &str) -> usize {
    body
        // Han first: `is_alphabetic` is a slow table search for every CJK character.
        .split(|c: char| is_han(c) || !c.is_alphabetic())
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || is_tone_vowel(c))
        })
        .filter(|w| w.chars().any(is_tone_vowel))
        .count()
}

/// A vowel with a pinyin tone mark (ü included).
pub(super) fn is_tone_vowel(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c)
}

/// Four decimals: stable JSON, no float noise in golden files.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals() {
        let q = assess("据报道，地方政府表示?将加强管理。\nshù 和 dāng 仍在。");
        assert_eq!(q.pinyin_remnants, 2);
        assert_eq!(q.garbled, 1);
        assert!(q.han_share > 0.6, "{q:?}");
        assert_eq!(assess("").score, 0.0);
        assert!(assess("Hello world, this is English text only.").score < 0.01);
    }

    #[test]
    fn residual_mojibake_and_uncertain_repairs_lower_the_score() {
        let clean = "国家统计局今天发布了最新的经济数据，显示经济增长稳定。".repeat(4);
        // A sentence in UTF-8 read as GBK, left unrepaired among clean ones.
        let sentence = "住房和城乡建设部建立了生活垃圾分类工作交流协作机制";
        let mojibake = encoding_rs::GBK.decode(sentence.as_bytes()).0;
        let damaged = format!("{clean}{mojibake}{clean}");
        let q = assess(&damaged);
        assert!(q.mojibake >= 3, "{q:?}");
        assert!(q.score < assess(&clean).score * 0.5, "{q:?}");
        // Clean text with a few rare characters (a name) is not looked at.
        assert_eq!(assess(&format!("{clean}汪家镠")).mojibake, 0);
        let span = |guessed, dropped| RepairedSpan {
            guessed,
            dropped,
            ..RepairedSpan::new(
                crate::article::RepairKind::Utf8AsGbk,
                "".into(),
                "据报".into(),
            )
        };
        let sure = assess(&clean).score;
        let guessed = assess_repaired(&clean, &[span(10, 0)]);
        let lost = assess_repaired(&clean, &[span(0, 10)]);
        assert_eq!((guessed.guessed, lost.lost), (10, 10));
        assert!(
            sure > guessed.score && guessed.score > lost.score,
            "{guessed:?} {lost:?}"
        );
        assert_eq!(assess_repaired(&clean, &[span(0, 0)]), assess(&clean));
    }

    #[test]
    fn damage_lowers_the_score() {
        let clean = "国家统计局今天发布了最新的经济数据，显示经济增长稳定。".repeat(4);
        let damaged = format!("{clean}æ•°æ®�鍦版柟鏀垮簻");
        assert!(assess(&clean).score > assess(&damaged).score);
    }
}
