//! A small probability model of Chinese text: how likely is this run of characters?
//!
//! Byte-shift recovery, mojibake repair and the quality score all ask the same question —
//! "is this plausible Chinese?" — and answer it with this model. It is an interpolated
//! character bigram model whose counts come from jieba's dictionary: every word adds its
//! frequency to each of its characters and to each adjacent pair inside it. Traditional
//! characters are folded onto their simplified form (OpenCC's `TSCharacters`) before lookup,
//! so traditional pages are scored as well as simplified ones.
//!
//! The table is generated (`data/zh_charmodel.txt.gz`, by `scripts/gen-charmodel.py`) and
//! compiled in; it is parsed once per process on first use.
//!
//! Characters other than Han ideographs fall in two classes: *ordinary* (ASCII, digits,
//! Chinese and full-width punctuation, whitespace), which news text is full of and which
//! break the bigram context — punctuation and whitespace cost `ln 0.05`, digits and ASCII
//! letters `ln 0.01`, full-width letters `ln 0.001` (flat, hand-set: jieba's dictionary has
//! no punctuation); and *odd* (everything else: Latin-1 letters, symbols, box drawing,
//! private use, U+FFFD), which cost `ln 1e-6` each.
//!
//! ```
//! use zhclean::internals::model;
//! let m = model::model();
//! // Real Chinese scores far better per character than GBK-shifted garbage.
//! assert!(m.mean_logp("黄明：现在我宣布", None) > m.mean_logp("；泼鳎合衷谖倚", None) + 2.0);
//! ```

use rustc_hash::{FxBuildHasher, FxHashMap};
use std::io::Read;
use std::sync::LazyLock;

/// The generated table (see the module doc).
const MODEL_GZ: &[u8] = include_bytes!("../data/zh_charmodel.txt.gz");

/// Cost of an ordinary non-Han character (punctuation, ASCII, digits, whitespace): `ln 0.05`.
const LOGP_ORDINARY: f64 = -2.995_732_273_553_991;
/// Cost of a digit or ASCII letter: `ln 0.01`.
const LOGP_ALNUM: f64 = -4.605_170_185_988_091;
/// Cost of a full-width Latin letter (rare in running text outside acronyms): `ln 0.001`.
const LOGP_WIDE_LETTER: f64 = -6.907_755_278_982_137;
/// Cost of an odd character (Latin-1 letters, symbols, private use, U+FFFD): `ln 1e-6`.
const LOGP_ODD: f64 = -13.815_510_557_964_274;
/// Count given to a Han character the dictionary never saw.
const UNSEEN_COUNT: f64 = 0.5;
/// Weight of the bigram estimate against the unigram one when the left character has been
/// seen as the start of a pair.
const LAMBDA: f64 = 0.5;
/// A Han character whose dictionary count is below this is "rare" (about 1 in 10⁶ characters).
pub const RARE_COUNT: u32 = 100;

/// The character bigram model. Get the shared instance with [`model`].
pub struct CharModel {
    uni: FxHashMap<char, u32>,
    /// [`CharModel::unigram_p`] of each character of `uni`, computed once: the recovery
    /// stage asks for it for every candidate character, and it takes a `ln` and an `exp`.
    uni_p: FxHashMap<char, f64>,
    /// [`CharModel::unigram_p`] of a character not in `uni`.
    unseen_p: f64,
    bi: FxHashMap<(char, char), u32>,
    left: FxHashMap<char, u64>,
    t2s: FxHashMap<char, char>,
    total: f64,
    /// [`CharModel::is_rare`] for every BMP code point, one bit each (8 KiB), so that the
    /// per-character scans (mojibake gate, quality score) do not hash twice per character.
    /// Derived from `uni` and `t2s` once, after parsing: the same answers by construction.
    rare_bmp: Box<[u64]>,
}

static MODEL: LazyLock<CharModel> = LazyLock::new(|| CharModel::parse(MODEL_GZ));

/// The process-wide model, parsed on first use (about 50 ms).
pub fn model() -> &'static CharModel {
    &MODEL
}

/// What kind of character `c` is for the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// A CJK ideograph.
    Han,
    /// ASCII, digits, Chinese and full-width punctuation, whitespace.
    Ordinary,
    /// Anything else.
    Odd,
}

/// The 64-character block (`code >> 6`, at most 1023) and the place in it (`code & 63`) of
/// the character whose UTF-8 bytes are `lead second third`, with `lead` in `0xE0..=0xEF`:
/// the scans that walk UTF-8 by hand look BMP characters up in bitmaps with it, straight
/// from the bytes.
#[inline]
pub(crate) fn three_byte_block_and_bit(lead: u8, second: u8, third: u8) -> (usize, u8) {
    (
        usize::from(lead & 0x0F) << 6 | usize::from(second & 0x3F),
        third & 0x3F,
    )
}

/// Is `c` a Han ideograph: CJK Unified Ideographs (the base block, extension A, and the
/// supplementary planes' extensions B–I, U+20000–U+323AF), or a compatibility ideograph
/// (U+F900–U+FAFF, and the supplement inside the range above)? The one definition every
/// stage uses.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Whether a UTF-8 sequence starting with `byte` can be a whitespace character
/// (`char::is_whitespace`): ASCII whitespace, or the lead byte of U+0085 and U+00A0 (0xC2),
/// U+1680 (0xE1), U+2000–U+205F (0xE2) or U+3000 (0xE3). For other bytes it is certainly not,
/// which lets byte scans skip decoding nearly every character.
pub const fn may_start_whitespace(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3)
}

/// The model's class of `c`.
pub fn class(c: char) -> CharClass {
    if is_han(c) {
        return CharClass::Han;
    }
    let ordinary = c.is_ascii()
        || c.is_whitespace()
        || matches!(c as u32,
            0x3000..=0x303F      // CJK punctuation
            | 0xFF01..=0xFF5E    // full-width forms
            | 0x2010..=0x2027    // dashes, quotes, ellipsis
            | 0x00B7             // middle dot
            | 0x2030..=0x203B    // per mille, reference mark
            | 0xFE30..=0xFE4F); // CJK compatibility forms
    if ordinary {
        CharClass::Ordinary
    } else {
        CharClass::Odd
    }
}

/// Cost of an ordinary character: punctuation and whitespace are common in news text, digits
/// and letters less so, full-width letters rarer still.
fn ordinary_logp(c: char) -> f64 {
    match c {
        'Ａ'..='Ｚ' | 'ａ'..='ｚ' => LOGP_WIDE_LETTER,
        '０'..='９' => LOGP_ALNUM,
        c if c.is_ascii_alphanumeric() => LOGP_ALNUM,
        _ => LOGP_ORDINARY,
    }
}

/// The left context of [`CharModel::logp_char`], from [`CharModel::after`]: the folded
/// previous character and its pair count, or nothing (a boundary, a character that is not
/// Han, or one that starts no pair).
#[derive(Clone, Copy, Debug)]
pub struct After(Option<(char, u64)>);

/// The right side of [`CharModel::logp_char`], from [`CharModel::next`]: a folded Han
/// character and its unigram probability, or the fixed log-probability of any other.
#[derive(Clone, Copy, Debug)]
pub enum Next {
    /// A Han character, folded, and its unigram probability.
    Han(char, f64),
    /// The log-probability of a character that is not Han.
    Fixed(f64),
}

impl CharModel {
    fn parse(gz: &[u8]) -> CharModel {
        let mut text = String::new();
        // The table is compiled in: failing to inflate it is a build defect. An empty model
        // still works (every Han character is "unseen"), so no panic.
        let _ = flate2::read::GzDecoder::new(gz).read_to_string(&mut text);
        let mut m = CharModel {
            uni: FxHashMap::with_capacity_and_hasher(12_500, FxBuildHasher),
            uni_p: FxHashMap::default(),
            unseen_p: 0.0,
            bi: FxHashMap::with_capacity_and_hasher(300_000, FxBuildHasher),
            left: FxHashMap::with_capacity_and_hasher(12_500, FxBuildHasher),
            t2s: FxHashMap::with_capacity_and_hasher(4_200, FxBuildHasher),
            total: 0.0,
            rare_bmp: Box::default(),
        };
        for line in text.lines() {
            let mut f = line.split('\t');
            let (Some(kind), Some(key), Some(value)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let mut chars = key.chars();
            match (kind, chars.next(), chars.next()) {
                ("U", Some(c), None) => {
                    let n = value.parse().unwrap_or(0);
                    m.uni.insert(c, n);
                    m.total += f64::from(n);
                }
                ("B", Some(a), Some(b)) => {
                    let n: u32 = value.parse().unwrap_or(0);
                    m.bi.insert((a, b), n);
                    *m.left.entry(a).or_default() += u64::from(n);
                }
                ("T", Some(t), None) => {
                    if let Some(s) = value.chars().next() {
                        m.t2s.insert(t, s);
                    }
                }
                _ => {}
            }
        }
        if m.total <= 0.0 {
            m.total = 1.0;
        }
        m.uni_p = m
            .uni
            .iter()
            .map(|(&c, &n)| (c, m.unigram_p_of(f64::from(n))))
            .collect();
        m.unseen_p = m.unigram_p_of(UNSEEN_COUNT);
        let mut rare_bmp = vec![0u64; 0x1_0000 / 64].into_boxed_slice();
        // Only Han characters can be rare: the BMP's Han blocks are enough.
        let han = (0x3400..=0x4DBFu32)
            .chain(0x4E00..=0x9FFF)
            .chain(0xF900..=0xFAFF);
        for c in han.filter_map(char::from_u32) {
            if m.is_rare_slowly(c) {
                rare_bmp[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        m.rare_bmp = rare_bmp;
        m
    }

    /// `c` folded to simplified script when the model knows a simplified form.
    pub fn fold(&self, c: char) -> char {
        self.t2s.get(&c).copied().unwrap_or(c)
    }

    /// How often the dictionary uses `c` (after folding); 0 when never.
    pub fn count(&self, c: char) -> u32 {
        self.uni.get(&self.fold(c)).copied().unwrap_or(0)
    }

    /// Is `c` a Han character that the dictionary uses fewer than [`RARE_COUNT`] times?
    /// One bit lookup for the BMP (see `rare_bmp`).
    pub fn is_rare(&self, c: char) -> bool {
        let code = c as usize;
        match self.rare_bmp.get(code / 64) {
            Some(word) => word & (1 << (code % 64)) != 0,
            None => self.is_rare_slowly(c),
        }
    }

    /// [`CharModel::is_rare`] from the hash tables (the definition `rare_bmp` is built from).
    fn is_rare_slowly(&self, c: char) -> bool {
        is_han(c) && self.count(c) < RARE_COUNT
    }

    /// The unigram probability of `c` (already folded), from the table.
    fn unigram_p(&self, c: char) -> f64 {
        self.uni_p.get(&c).copied().unwrap_or(self.unseen_p)
    }

    /// The unigram probability of a character used `n` times (at least [`UNSEEN_COUNT`]), as
    /// `exp(ln(n / total))`: the value the model was tuned with, to the last bit.
    fn unigram_p_of(&self, n: f64) -> f64 {
        (n.max(UNSEEN_COUNT) / self.total).ln().exp()
    }

    /// Log-probability of `c` after `prev` (`None`: at a boundary).
    pub fn logp_char(&self, prev: Option<char>, c: char) -> f64 {
        self.logp_of(self.after(prev), self.next(c))
    }

    /// What [`CharModel::logp_char`] needs of `prev`: its folded form and how often it
    /// starts a pair, when it is a Han character that does. Looked up once, it serves every
    /// candidate character after the same `prev` ([`CharModel::logp_of`]).
    pub fn after(&self, prev: Option<char>) -> After {
        let left = prev.filter(|&p| is_han(p)).and_then(|p| {
            let p = self.fold(p);
            self.left.get(&p).map(|&n| (p, n))
        });
        After(left.filter(|&(_, n)| n > 0))
    }

    /// What [`CharModel::logp_char`] needs of `c` alone: looked up once, it serves `c` after
    /// every candidate previous character ([`CharModel::logp_of`]).
    pub fn next(&self, c: char) -> Next {
        match class(c) {
            CharClass::Ordinary => Next::Fixed(ordinary_logp(c)),
            CharClass::Odd => Next::Fixed(LOGP_ODD),
            CharClass::Han => {
                let c = self.fold(c);
                Next::Han(c, self.unigram_p(c))
            }
        }
    }

    /// [`CharModel::logp_char`] of the character `next` was made from, after the one `after`
    /// was made from.
    pub fn logp_of(&self, after: After, next: Next) -> f64 {
        match next {
            Next::Fixed(logp) => logp,
            Next::Han(c, uni) => {
                let p = match after.0 {
                    Some((p, n)) => {
                        let pair = self.bi.get(&(p, c)).copied().unwrap_or(0);
                        LAMBDA * f64::from(pair) / n as f64 + (1.0 - LAMBDA) * uni
                    }
                    None => uni,
                };
                p.ln()
            }
        }
    }

    /// Total log-probability of `text`, the first character conditioned on `prev`.
    pub fn logp(&self, text: &str, prev: Option<char>) -> f64 {
        let mut prev = prev;
        let mut sum = 0.0;
        for c in text.chars() {
            sum += self.logp_char(prev, c);
            prev = Some(c);
        }
        sum
    }

    /// Mean log-probability per character of `text` (0 for empty text).
    #[cfg(any(test, feature = "internals"))]
    pub fn mean_logp(&self, text: &str, prev: Option<char>) -> f64 {
        let n = text.chars().count();
        if n == 0 {
            0.0
        } else {
            self.logp(text, prev) / n as f64
        }
    }
}

/// The best of the candidates offered to it one at a time, and its margin in nats over the
/// runner-up: how the forensic repairs decide whether a guess is clear enough to write.
/// Offered in a loop of the caller's (one comparison a candidate).
#[derive(Debug, Clone, Copy)]
pub struct Best {
    best: Option<(f64, char)>,
    second: f64,
}

impl Default for Best {
    fn default() -> Best {
        Best {
            best: None,
            second: f64::NEG_INFINITY,
        }
    }
}

impl Best {
    /// Takes candidate `c` with `score` (the first of equal scores stays best).
    #[inline]
    pub fn offer(&mut self, c: char, score: f64) {
        match self.best {
            Some((s, _)) if score <= s => self.second = self.second.max(score),
            _ => {
                if let Some((s, _)) = self.best {
                    self.second = self.second.max(s);
                }
                self.best = Some((score, c));
            }
        }
    }

    /// The best candidate and its margin over the runner-up (infinite when it was alone);
    /// `None` when none was offered.
    pub fn with_margin(self) -> Option<(char, f64)> {
        self.best.map(|(score, c)| (c, score - self.second))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_takes_the_first_best_and_its_margin() {
        let best = |scored: &[(char, f64)]| {
            let mut best = Best::default();
            for &(c, score) in scored {
                best.offer(c, score);
            }
            best.with_margin()
        };
        let scored = [('a', -3.0), ('b', -1.0), ('c', -1.0), ('d', -2.5)];
        assert_eq!(best(&scored), Some(('b', 0.0)));
        assert_eq!(best(&[('a', -3.0), ('b', -1.0)]), Some(('b', 2.0)));
        assert_eq!(best(&[('a', -3.0)]), Some(('a', f64::INFINITY)));
        assert_eq!(best(&[]), None);
    }

    #[test]
    fn three_byte_block_and_bit_for_every_three_byte_character() {
        let mut buffer = [0; 4];
        for c in (0x800..=0xFFFF).filter_map(char::from_u32) {
            let [lead, second, third] = c.encode_utf8(&mut buffer).as_bytes() else {
                panic!("{c:?} is not three bytes");
            };
            let code = c as usize;
            assert_eq!(
                three_byte_block_and_bit(*lead, *second, *third),
                (code >> 6, (code & 63) as u8),
                "{c:?}"
            );
        }
    }

    /// `logp_char` as one expression over the tables: what the `after`/`next` pieces,
    /// looked up separately, must give to the last bit.
    fn logp_char_by_definition(m: &CharModel, prev: Option<char>, c: char) -> f64 {
        match class(c) {
            CharClass::Ordinary => ordinary_logp(c),
            CharClass::Odd => LOGP_ODD,
            CharClass::Han => {
                let c = m.fold(c);
                let uni = m.unigram_p(c);
                let prev = prev.filter(|&p| is_han(p)).map(|p| m.fold(p));
                let p = match prev.and_then(|p| m.left.get(&p).map(|&n| (p, n))) {
                    Some((p, n)) if n > 0 => {
                        let pair = m.bi.get(&(p, c)).copied().unwrap_or(0);
                        LAMBDA * f64::from(pair) / n as f64 + (1.0 - LAMBDA) * uni
                    }
                    _ => uni,
                };
                p.ln()
            }
        }
    }

    #[test]
    fn logp_char_from_its_pieces_is_the_definition_to_the_bit() {
        let m = model();
        // Common and rare Han, traditional forms (folded), unseen Han, punctuation, letters,
        // digits, full-width forms, odd characters.
        let chars = [
            '的',
            '条',
            '條',
            '地',
            '當',
            '件',
            '住',
            '房',
            '鄉',
            '彳',
            '亍',
            '龘',
            '\u{3400}',
            '\u{20000}',
            '，',
            '。',
            ' ',
            'a',
            'Z',
            '7',
            'Ａ',
            '７',
            '·',
            'é',
            'Ж',
            '\u{E40C}',
            '?',
        ];
        for &c in &chars {
            for prev in chars.iter().copied().map(Some).chain([None]) {
                let expected = logp_char_by_definition(m, prev, c);
                assert_eq!(
                    m.logp_char(prev, c).to_bits(),
                    expected.to_bits(),
                    "{prev:?} {c}"
                );
                let split = m.logp_of(m.after(prev), m.next(c));
                assert_eq!(split.to_bits(), expected.to_bits(), "{prev:?} {c}");
            }
        }
    }

    #[test]
    fn table_is_loaded() {
        let m = model();
        assert!(m.count('的') > 100_000);
        assert_eq!(m.fold('條'), '条');
        assert_eq!(m.count('條'), m.count('条'));
        assert!(m.is_rare('貤'));
        assert!(!m.is_rare('国'));
    }

    #[test]
    fn unigram_table_holds_the_formula_for_every_character() {
        let m = model();
        // The formula the table replaces, as `logp_char` computed it.
        let formula = |c: char| {
            let n = m
                .uni
                .get(&c)
                .map_or(UNSEEN_COUNT, |&n| f64::from(n).max(UNSEEN_COUNT));
            (n / m.total).ln().exp()
        };
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(m.unigram_p(c).to_bits(), formula(c).to_bits(), "{c:?}");
        }
    }

    #[test]
    fn whitespace_starts_only_with_the_bytes_named() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let lead = c.encode_utf8(&mut [0; 4]).as_bytes()[0];
            if c.is_whitespace() {
                assert!(may_start_whitespace(lead), "{c:?}");
            }
            if c.is_ascii() {
                assert_eq!(may_start_whitespace(lead), c.is_whitespace(), "{c:?}");
            }
        }
    }

    #[test]
    fn rare_bitmap_agrees_with_the_counts() {
        let m = model();
        let chars = (0..=0xFFFFu32).filter_map(char::from_u32).chain([
            '\u{20000}',
            '\u{2A6D6}',
            '\u{1F600}',
        ]);
        for c in chars {
            assert_eq!(m.is_rare(c), m.is_rare_slowly(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn words_beat_shuffles() {
        let m = model();
        assert!(m.logp("条件", None) > m.logp("件条", None) + 3.0);
        assert!(m.logp("當地條件", None) > m.logp("當貤l件", None) + 5.0);
        assert!(m.mean_logp("数据", None) > m.mean_logp("æ•°æ®", None) + 5.0);
    }

    #[test]
    fn classes() {
        assert_eq!(class('中'), CharClass::Han);
        assert_eq!(class('，'), CharClass::Ordinary);
        assert_eq!(class('a'), CharClass::Ordinary);
        assert_eq!(class('æ'), CharClass::Odd);
        assert_eq!(class('\u{FFFD}'), CharClass::Odd);
    }
}
