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
//! ```
//! use zhclean::internals::quality::assess;
//! let q = assess("国家统计局今天发布了最新的经济数据，显示经济增长稳定。全年国内生产总值比上年增长五个百分点，就业形势总体稳定，物价保持平稳，居民收入稳步增加，市场预期持续改善。");
//! assert!(q.score > 0.6, "{q:?}");
//! assert!(assess("鍦版柟鏀垮簻�?").score < 0.2);
//! ```

use serde::{Deserialize, Serialize};

use std::sync::LazyLock;

use crate::article::{is_zero, RepairedSpan};
use crate::model::{is_han, model, three_byte_block_and_bit, CharModel};
use crate::repair::codepage::DoubleByte;

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

/// The counts of [`assess`].
///
/// One pass over the characters gathers every count; the pinyin-remnant count needs a second
/// look only when that pass saw a tone-marked vowel (a remnant is a word with one, and clean
/// bodies have none), the mojibake count only when it saw many rare characters.
///
/// Most characters of a body are *plain* for the counts (see [`Tables`]): Han characters of
/// the BMP and the other BMP characters that are neither whitespace, nor possible marks of
/// damage, nor tone vowels. A stretch of them is counted straight from the UTF-8 bytes, one
/// table lookup per character, and what they leave behind (the paragraph, the damage-mark
/// neighbours) is set once per stretch. Every other character is decoded and takes the
/// general path.
fn count(body: &str) -> Counts {
    let m = model();
    let tables = &*TABLES;
    let bytes = body.as_bytes();
    // `chars` = `han` + `other`: every non-whitespace character is one of the two.
    let (mut han, mut other, mut rare, mut garbled) = (0usize, 0usize, 0usize, 0usize);
    let mut paragraphs = 0usize;
    // Whether the current `\n`-separated line already has a non-whitespace character: a line
    // counts as a paragraph when it has one (what `lines()` + `trim()` + `is_empty()` say).
    let mut in_paragraph = false;
    let mut tone_vowel_seen = false;
    // What the damage marks need of the previous character.
    let mut prev_is_han = false;
    let mut latin1_run = false;
    let mut rest = bytes;
    loop {
        // A stretch of plain characters. `rest` starts at a character boundary of valid
        // UTF-8, so a lead byte `1110xxxx` has two continuation bytes after it and `110xxxxx`
        // one: their low bits are the code point's block (`code >> 6`) and its place in it.
        let stretch_len = rest.len();
        let mut last_is_han = prev_is_han;
        loop {
            match rest {
                [lead, b1, b2, tail @ ..] if lead & 0xF0 == 0xE0 => {
                    let (block, bit) = three_byte_block_and_bit(*lead, *b1, *b2);
                    if tables.han_block[block] {
                        han += 1;
                        rare += (tables.rare[block] >> bit) as usize & 1;
                        last_is_han = true;
                    } else if tables.plain[block] >> bit & 1 != 0 {
                        other += 1;
                        last_is_han = false;
                    } else {
                        break;
                    }
                    rest = tail;
                }
                [lead, b1, tail @ ..] if lead & 0xE0 == 0xC0 => {
                    let block = usize::from(lead & 0x1F);
                    if tables.plain[block] >> (b1 & 0x3F) & 1 == 0 {
                        break;
                    }
                    other += 1;
                    last_is_han = false;
                    rest = tail;
                }
                [b, tail @ ..] if b.is_ascii() => {
                    if tables.plain[usize::from(b >> 6)] >> (b & 0x3F) & 1 == 0 {
                        break;
                    }
                    other += 1;
                    last_is_han = false;
                    rest = tail;
                }
                _ => break,
            }
        }
        if rest.len() != stretch_len {
            // Plain characters are not whitespace, and none is Latin-1.
            paragraphs += usize::from(!in_paragraph);
            in_paragraph = true;
            prev_is_han = last_is_han;
            latin1_run = false;
        }
        // The general path, for one character that is not plain.
        let at = bytes.len() - rest.len();
        let Some(c) = body[at..].chars().next() else {
            break;
        };
        let next_at = at + c.len_utf8();
        rest = &bytes[next_at..];
        // Supplementary-plane Han characters (four bytes) come here.
        if is_han(c) {
            han += 1;
            paragraphs += usize::from(!in_paragraph);
            in_paragraph = true;
            rare += usize::from(m.is_rare(c));
            prev_is_han = true;
            latin1_run = false;
            continue;
        }
        if c.is_whitespace() {
            if c == '\n' {
                in_paragraph = false;
            }
        } else {
            other += 1;
            paragraphs += usize::from(!in_paragraph);
            in_paragraph = true;
        }
        let latin1 = matches!(c as u32, 0xC0..=0xFF);
        if c == '?' || !c.is_ascii() {
            // Damage marks are all `?` or non-ASCII, non-Han: other ASCII characters only
            // move `prev` and end a Latin-1 run. The next character is decoded only here.
            let next = || body[next_at..].chars().next();
            if is_damage_mark(c, prev_is_han, next, latin1_run) {
                garbled += 1;
            }
            // Every tone vowel is in U+00E0..=U+01DC.
            if matches!(c as u32, 0xE0..=0x1DC) && is_tone_vowel(c) {
                tone_vowel_seen = true;
            }
        }
        latin1_run = latin1;
        prev_is_han = false;
    }
    let pinyin_remnants = if tone_vowel_seen {
        pinyin_remnants(body)
    } else {
        0
    };
    Counts {
        chars: han + other,
        han,
        rare,
        garbled,
        paragraphs,
        pinyin_remnants,
        mojibake: residual_mojibake(body, han, rare, m),
        guessed: 0,
        lost: 0,
        repaired: 0,
    }
}

/// What the stretch loop of [`assess`] needs to know of a BMP character, by its 64-character
/// block (`code >> 6`) and its place in the block (`code & 63`).
struct Tables {
    /// Whether the block is Han: every Han range of [`is_han`] in the BMP starts and ends
    /// on a 64-character boundary, so Han-ness is a property of the block.
    han_block: [bool; 1024],
    /// [`crate::model::CharModel::is_rare`] of each character of the block.
    rare: [u64; 1024],
    /// Whether each character of the block is plain (see [`is_plain`]).
    plain: [u64; 1024],
}

/// A character that only counts as a non-whitespace, non-Han character and leaves no state
/// behind but "the previous character is not Han, nor Latin-1": not Han, not whitespace, not
/// a possible damage mark (`?`, U+FFFD, private use, U+00C0..=U+00FF) and not a tone vowel.
fn is_plain(c: char) -> bool {
    // Every tone vowel is in U+00E0..=U+01DC (and the search is slow).
    let tone_vowel = matches!(c as u32, 0xE0..=0x1DC) && is_tone_vowel(c);
    !is_han(c)
        && !c.is_whitespace()
        && !matches!(c as u32, 0x3F | 0xFFFD | 0xE000..=0xF8FF | 0xC0..=0xFF)
        && !tone_vowel
}

/// Built once from [`is_han`], [`is_plain`] and the model (about a million instructions).
static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let m = model();
    let mut tables = Tables {
        han_block: [false; 1024],
        rare: [0; 1024],
        plain: [0; 1024],
    };
    for c in (0..0x1_0000).filter_map(char::from_u32) {
        let (block, bit) = (c as usize >> 6, c as usize & 63);
        // Only Han characters can be rare, and none is plain.
        if is_han(c) {
            tables.han_block[block] = true;
            tables.rare[block] |= u64::from(m.is_rare(c)) << bit;
        } else {
            tables.plain[block] |= u64::from(is_plain(c)) << bit;
        }
    }
    tables
});

/// What [`assess`] counts in one pass over a body.
struct Counts {
    chars: usize,
    han: usize,
    rare: usize,
    garbled: usize,
    paragraphs: usize,
    pinyin_remnants: usize,
    mojibake: usize,
    guessed: usize,
    lost: usize,
    /// Characters of the repaired spans (with the lost ones), when some were uncertain.
    repaired: usize,
}

impl Counts {
    /// The signals and the score (formula in the module doc).
    fn quality(&self) -> Quality {
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

/// Whether `c` (after a Han character when `prev_is_han`, before `next()`) is a mark of
/// damage: U+FFFD, `?` between two Han characters, a private-use character, or the first of a
/// run of Latin-1 letters glued to Han text (`latin1_run`: the previous character was Latin-1
/// too). `next` is asked only when the answer depends on it.
fn is_damage_mark(
    c: char,
    prev_is_han: bool,
    next: impl Fn() -> Option<char>,
    latin1_run: bool,
) -> bool {
    match c {
        '\u{FFFD}' => true,
        '?' => prev_is_han && next().is_some_and(is_han),
        c if matches!(c as u32, 0xE000..=0xF8FF) => true,
        c if matches!(c as u32, 0xC0..=0xFF) => {
            !latin1_run && (prev_is_han || next().is_some_and(is_han))
        }
        _ => false,
    }
}

/// Adjacent character pairs of `body`, one of them rare, whose GBK bytes spell a CJK
/// character (U+3000..=U+9FFF, U+FF00..=U+FFEF) in UTF-8, from their first or second byte:
/// what UTF-8 read as GBK leaves. Counted only when at least one of
/// [`MOJIBAKE_RARE_SHARE`] Han characters (`han`, of which `rare` are rare) is rare, and at
/// least two are.
fn residual_mojibake(body: &str, han: usize, rare: usize, m: &CharModel) -> usize {
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
fn pinyin_remnants(body: &str) -> usize {
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

fn is_tone_vowel(c: char) -> bool {
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

    /// The single-pass `assess` against the two-pass definition it replaced.
    fn assess_reference(body: &str) -> Quality {
        let m = model();
        let (mut chars, mut han, mut rare, mut garbled) = (0usize, 0usize, 0usize, 0usize);
        let mut prev: Option<char> = None;
        let mut latin1_run = false;
        let mut it = body.chars().peekable();
        while let Some(c) = it.next() {
            if !c.is_whitespace() {
                chars += 1;
            }
            if is_han(c) {
                han += 1;
                if m.is_rare(c) {
                    rare += 1;
                }
            }
            let latin1 = matches!(c as u32, 0xC0..=0xFF);
            if damage_mark_reference(c, prev, it.peek().copied(), latin1_run) {
                garbled += 1;
            }
            latin1_run = latin1;
            prev = Some(c);
        }
        let paragraphs = body.lines().filter(|l| !l.trim().is_empty()).count();
        let pinyin_remnants = pinyin_remnants(body);
        Counts {
            chars,
            han,
            rare,
            garbled,
            paragraphs,
            pinyin_remnants,
            mojibake: residual_mojibake(body, han, rare, m),
            guessed: 0,
            lost: 0,
            repaired: 0,
        }
        .quality()
    }

    /// The damage-mark definition, on the neighbours themselves.
    fn damage_mark_reference(
        c: char,
        prev: Option<char>,
        next: Option<char>,
        latin1_run: bool,
    ) -> bool {
        match c {
            '\u{FFFD}' => true,
            '?' => prev.is_some_and(is_han) && next.is_some_and(is_han),
            c if matches!(c as u32, 0xE000..=0xF8FF) => true,
            c if matches!(c as u32, 0xC0..=0xFF) => {
                !latin1_run && (prev.is_some_and(is_han) || next.is_some_and(is_han))
            }
            _ => false,
        }
    }

    #[test]
    fn one_pass_agrees_with_the_definition_on_generated_bodies() {
        const ALPHABET: [char; 22] = [
            '据',
            '\u{9FA5}',
            '\u{20000}',
            '?',
            'À',
            'é',
            'ǜ',
            'd',
            'X',
            ' ',
            '\n',
            '\r',
            '\u{3000}',
            '\u{E000}',
            '\u{FFFD}',
            '，',
            '1',
            '\u{85}',
            '·',
            '。',
            '\u{4DC0}',
            '\u{2028}',
        ];
        // Every body of up to four characters of the alphabet, then longer generated ones.
        let mut bodies = crate::testing::every_text(&ALPHABET, 4);
        let mut rng = crate::testing::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..5_000 {
            bodies.push(rng.text(&ALPHABET, 60));
        }
        for body in &bodies {
            assert_eq!(assess(body), assess_reference(body), "{body:?}");
        }
    }

    #[test]
    fn one_pass_agrees_with_the_definition() {
        let seed = include_str!("../fixtures/seed/000_f764d41b789eb620.txt");
        let mut bodies = vec![
            seed.to_string(),
            String::new(),
            "据报道，地方政府表示?将加强管理。\nshù 和 dāng 仍在。".into(),
            "  \n\r\n \u{3000}\n\u{B}x\u{85}\n".into(),
            "数?据 æ•°æ®数Àé据\u{E000}\u{FFFD}\u{F8FF}?".into(),
            "ÀÀ据据ÀàǜŪ dāng,DĀNG shùxyz ǚ\r\nlǜ".into(),
            "\u{20000}?\u{2000B}\u{3400}À".into(),
        ];
        // Every line of the seed alone, and every cut of an awkward string.
        bodies.extend(seed.lines().map(str::to_string));
        let awkward = "据?据À\n\n é?\u{FFFD}dàng据 \u{E40C}x";
        bodies.extend(
            awkward
                .char_indices()
                .map(|(at, _)| awkward[at..].to_string()),
        );
        for body in &bodies {
            assert_eq!(assess(body), assess_reference(body), "{body:?}");
        }
    }

    /// The stretch loop reads Han-ness, rarity and plainness from the tables: they must say
    /// what the definitions say for every BMP character.
    #[test]
    fn tables_agree_with_the_definitions() {
        let m = model();
        for c in (0..0x1_0000).filter_map(char::from_u32) {
            let (block, bit) = (c as usize >> 6, c as usize & 63);
            assert_eq!(TABLES.han_block[block], is_han(c), "{c:?}");
            assert_eq!(TABLES.rare[block] >> bit & 1 == 1, m.is_rare(c), "{c:?}");
            assert_eq!(TABLES.plain[block] >> bit & 1 == 1, is_plain(c), "{c:?}");
        }
    }

    /// Every scalar value, between neighbours that each count or mark differently: the
    /// stretch loop and the general path must agree with the definition on all of them.
    #[test]
    fn every_scalar_value_in_context_agrees_with_the_definition() {
        let contexts = [("据", "据"), ("", "?据"), ("À", "\n"), ("a ", "·")];
        let mut body = String::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            for (before, after) in contexts {
                body.clear();
                body.push_str(before);
                body.push(c);
                body.push_str(after);
                assert_eq!(assess(&body), assess_reference(&body), "{body:?}");
            }
        }
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
