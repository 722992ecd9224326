//! Mojibake repair: text that was decoded with the wrong encoding, re-encoded and decoded
//! with the right one — only where that is a clear win.
//!
//! Four confusions, each tried on the spans it can produce:
//!
//! | kind | looks like | undo |
//! |---|---|---|
//! | UTF-8 read as GBK | `鍦版柟鏀垮簻` | encode GBK, decode UTF-8 → `地方政府` |
//! | UTF-8 read as windows-1252/Latin-1 | `æ•°æ®` | encode windows-1252 (Latin-1 for C1 controls), decode UTF-8 → `数据` |
//! | GBK read as Big5 | traditional-looking nonsense | encode Big5, decode GBK |
//! | Big5 read as GBK | simplified-looking nonsense | encode GBK, decode Big5 |
//!
//! A *span* is a maximal run of characters the wrong decoder can produce, without whitespace
//! (for the Latin-1 kind: characters U+0080–U+00FF and windows-1252's extra letters, with
//! any ASCII inside the run; for the CJK kinds: double-byte characters of the wrong
//! encoding). UTF-8-as-GBK spans are cut into the sub-runs whose GBK bytes are valid UTF-8;
//! GBK↔Big5 spans are only tried when at least a third of their Han characters are rare in
//! jieba's dictionary (mojibake is full of rare characters; running text is not).
//!
//! Acceptance: the round trip must be exact (strict decoding, no replacement) except that a
//! last character cut short may be marked U+FFFD, and the repaired span must be clearly
//! more probable Chinese under [`crate::model`]: at least [`MIN_MEAN_GAIN`] nats better
//! per character *and* [`MIN_GAIN`] nats better in total. A GBK-as-UTF-8 span is also an
//! exact UTF-8 round trip, which random text almost never is, so these thresholds mostly
//! matter for the GBK↔Big5 kinds, where any byte string decodes. Clean text of every
//! devset page passes through unchanged (`examples/mojibake_eval.rs`).
//!
//! ```
//! use zhclean::repair::mojibake::repair;
//! assert_eq!(repair("据报道，鍦版柟鏀垮簻表示").text, "据报道，地方政府表示");
//! ```

use std::sync::atomic::{AtomicU32, Ordering};

use encoding_rs::{Encoding, BIG5, GBK, UTF_8, WINDOWS_1252};

use crate::article::{RepairKind, RepairedSpan};
use crate::model::{is_han, model, CharModel};

/// Minimum gain in mean log-probability per character (nats).
pub const MIN_MEAN_GAIN: f64 = 2.0;
/// Minimum total gain in log-probability (nats): a likelihood ratio above e¹² ≈ 10⁵.
pub const MIN_GAIN: f64 = 12.0;
/// Longest span tried, in characters (longer runs are tried in pieces of this size).
const MAX_SPAN: usize = 4096;
/// Texts without a Han character used fewer times than this in jieba's dictionary are not
/// scanned for CJK mojibake.
const UNCOMMON_COUNT: u32 = 5_000;
/// What a character cut short by the wrong decoding becomes.
const LOST: char = '\u{FFFD}';

/// Text after mojibake repair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixed {
    /// The text with every accepted repair applied.
    pub text: String,
    /// The replaced spans, in text order.
    pub spans: Vec<RepairedSpan>,
}

/// Repairs mojibake spans in `text`. Never panics; clean text comes back unchanged.
pub fn repair(text: &str) -> Fixed {
    let m = model();
    let mut fixed = Fixed {
        text: text.to_owned(),
        spans: Vec::new(),
    };
    if has_latin1_signature(text) {
        fixed = apply(&fixed, m, Kind::Utf8AsLatin1);
    }
    // CJK mojibake comes in runs of uncommon characters (UTF-8 read as GBK lands in GBK rows
    // E4–E9 and the extension area): clean text without two uncommon Han characters in a row
    // is not even scanned. Cheap gates matter here: this stage sees every page.
    if has_uncommon_pair(text, m) {
        for kind in [Kind::Utf8AsGbk, Kind::GbkAsBig5, Kind::Big5AsGbk] {
            fixed = apply(&fixed, m, kind);
        }
    }
    fixed
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Utf8AsLatin1,
    Utf8AsGbk,
    GbkAsBig5,
    Big5AsGbk,
}

impl Kind {
    /// (the encoding the text was wrongly decoded with, the right one)
    fn encodings(self) -> (&'static Encoding, &'static Encoding) {
        match self {
            Kind::Utf8AsLatin1 => (WINDOWS_1252, UTF_8),
            Kind::Utf8AsGbk => (GBK, UTF_8),
            Kind::GbkAsBig5 => (BIG5, GBK),
            Kind::Big5AsGbk => (GBK, BIG5),
        }
    }

    fn repair_kind(self) -> RepairKind {
        match self {
            Kind::Utf8AsLatin1 => RepairKind::Utf8AsLatin1,
            Kind::Utf8AsGbk => RepairKind::Utf8AsGbk,
            Kind::GbkAsBig5 => RepairKind::GbkAsBig5,
            Kind::Big5AsGbk => RepairKind::Big5AsGbk,
        }
    }

    /// Can `c` be part of a span of this kind?
    fn in_span(self, c: char) -> bool {
        match self {
            Kind::Utf8AsLatin1 => {
                (c.is_ascii() && !c.is_ascii_whitespace()) || is_latin1_mojibake_char(c)
            }
            // Non-ASCII characters of the wrong encoding (GBK's one-byte `€` = 0x80 included).
            _ => {
                !c.is_ascii() && !c.is_whitespace() && encode_char(self.encodings().0, c).is_some()
            }
        }
    }
}

/// UTF-8 read as windows-1252/Latin-1 always shows a lead byte of a multi-byte sequence
/// (`Â`–`ï`, U+00C2–U+00EF) directly followed by a continuation byte's character (U+0080–
/// U+00BF or windows-1252's letters for 0x80–0x9F). Curly quotes and dashes alone, which all
/// Chinese text has, are not a signature.
fn has_latin1_signature(text: &str) -> bool {
    let mut previous_is_lead = false;
    for c in text.chars() {
        if previous_is_lead && is_latin1_mojibake_char(c) && !matches!(c as u32, 0xC0..=0xFF) {
            return true;
        }
        previous_is_lead = matches!(c as u32, 0xC2..=0xEF);
    }
    false
}

/// Two Han characters in a row that are both uncommon in jieba's dictionary.
fn has_uncommon_pair(text: &str, m: &CharModel) -> bool {
    let mut previous_uncommon = false;
    for c in text.chars() {
        let uncommon = is_han(c) && m.count(c) < UNCOMMON_COUNT;
        if uncommon && previous_uncommon {
            return true;
        }
        previous_uncommon = uncommon;
    }
    false
}

/// Non-ASCII characters windows-1252 / Latin-1 decoding produces.
fn is_latin1_mojibake_char(c: char) -> bool {
    matches!(c as u32, 0x80..=0xFF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// The bytes of one character in a legacy encoding (at most 4).
#[derive(Debug, Clone, Copy)]
struct Encoded {
    bytes: [u8; 4],
    len: u8,
}

impl std::ops::Deref for Encoded {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl Encoded {
    /// Packs into a memo cell: `len` in the top byte (1–3; 0 = not computed), the bytes
    /// below. `UNMAPPABLE` marks a character the encoding cannot encode.
    fn pack(self) -> Option<u32> {
        (self.len <= 3).then(|| {
            u32::from(self.len) << 24
                | u32::from(self.bytes[0]) << 16
                | u32::from(self.bytes[1]) << 8
                | u32::from(self.bytes[2])
        })
    }

    fn unpack(cell: u32) -> Self {
        let [len, a, b, c] = cell.to_be_bytes();
        Encoded {
            bytes: [a, b, c, 0],
            len,
        }
    }
}

const UNMAPPABLE: u32 = u32::MAX;

/// One memo cell per BMP character for each wrong encoding the stage uses, filled on first
/// use. Every non-ASCII character of every scanned page is encoded up to four times, and
/// encoding_rs's Big5 and GBK encoders search their tables per character (~40 % of a news
/// page's pipeline time before this memo). Relaxed atomics: a race computes the same value
/// twice.
static MEMO_1252: [AtomicU32; 0x1_0000] = [const { AtomicU32::new(0) }; 0x1_0000];
static MEMO_GBK: [AtomicU32; 0x1_0000] = [const { AtomicU32::new(0) }; 0x1_0000];
static MEMO_BIG5: [AtomicU32; 0x1_0000] = [const { AtomicU32::new(0) }; 0x1_0000];

fn encode_char(encoding: &'static Encoding, c: char) -> Option<Encoded> {
    let memo = if encoding == GBK {
        Some(&MEMO_GBK)
    } else if encoding == BIG5 {
        Some(&MEMO_BIG5)
    } else if encoding == WINDOWS_1252 {
        Some(&MEMO_1252)
    } else {
        None
    };
    let Some(cell) = memo.and_then(|m| m.get(c as usize)) else {
        return encode_char_uncached(encoding, c);
    };
    match cell.load(Ordering::Relaxed) {
        0 => {}
        UNMAPPABLE => return None,
        packed => return Some(Encoded::unpack(packed)),
    }
    let encoded = encode_char_uncached(encoding, c);
    if let Some(packed) = encoded.map_or(Some(UNMAPPABLE), Encoded::pack) {
        cell.store(packed, Ordering::Relaxed);
    }
    encoded
}

fn encode_char_uncached(encoding: &'static Encoding, c: char) -> Option<Encoded> {
    if encoding == WINDOWS_1252 && matches!(c as u32, 0x80..=0x9F) {
        // C1 controls: Latin-1 decoding of bytes windows-1252 leaves undefined (0x81, 0x8D…)
        // or of any 0x80–0x9F byte by an ISO-8859-1 decoder.
        return Some(Encoded {
            bytes: [c as u32 as u8, 0, 0, 0],
            len: 1,
        });
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
    if unmappable || bytes.len() > 4 {
        return None;
    }
    let mut out = Encoded {
        bytes: [0; 4],
        len: bytes.len() as u8,
    };
    out.bytes[..bytes.len()].copy_from_slice(&bytes);
    Some(out)
}

fn apply(input: &Fixed, m: &CharModel, kind: Kind) -> Fixed {
    let text = &input.text;
    let mut out = String::with_capacity(text.len());
    let mut spans = input.spans.clone();
    let mut copied = 0;
    let mut start: Option<usize> = None;
    let mut count = 0;
    let mut boundaries = text
        .char_indices()
        .map(|(i, c)| (i, Some(c)))
        .collect::<Vec<_>>();
    boundaries.push((text.len(), None));
    for (i, c) in boundaries {
        let inside = c.is_some_and(|c| kind.in_span(c)) && count < MAX_SPAN;
        match (start, inside) {
            (None, true) => {
                start = Some(i);
                count = 1;
            }
            (Some(_), true) => count += 1,
            (Some(s), false) => {
                let pieces = match kind {
                    Kind::Utf8AsGbk => utf8_subruns(&text[s..i], GBK)
                        .into_iter()
                        .map(|(a, b)| (s + a, s + b))
                        .collect(),
                    // Cut like UTF-8-as-GBK, so that a byte that is not UTF-8 (`ù` in
                    // `shù)?æ•°`) does not sink a valid neighbour: otherwise the decision
                    // would change once `punct` widens the ASCII between them, and repairing
                    // the output again would not be a no-op. ASCII at the ends is the same
                    // under both readings: leave it out, so that the decision does not
                    // depend on neighbouring ASCII (`&amp;`).
                    Kind::Utf8AsLatin1 => utf8_subruns(&text[s..i], WINDOWS_1252)
                        .into_iter()
                        .map(|(a, b)| {
                            let piece = &text[s + a..s + b];
                            let trimmed = piece.trim_matches(|c: char| c.is_ascii());
                            let a = s
                                + a
                                + (piece.len()
                                    - piece.trim_start_matches(|c: char| c.is_ascii()).len());
                            (a, a + trimmed.len())
                        })
                        .filter(|(a, b)| a < b)
                        .collect(),
                    _ => vec![(s, i)],
                };
                for (a, b) in pieces {
                    if let Some(after) = try_span(&text[a..b], m, kind) {
                        out.push_str(&text[copied..a]);
                        out.push_str(&after);
                        spans.push(RepairedSpan {
                            kind: kind.repair_kind(),
                            before: text[a..b].to_string(),
                            after,
                        });
                        copied = b;
                    }
                }
                start = c.filter(|&c| kind.in_span(c)).map(|_| i);
                count = usize::from(start.is_some());
            }
            (None, false) => {}
        }
    }
    out.push_str(&text[copied..]);
    Fixed { text: out, spans }
}

/// The repaired form of `span`, if it is a clear win.
fn try_span(span: &str, m: &CharModel, kind: Kind) -> Option<String> {
    // Cheap filters first: a Latin-1 span needs a UTF-8 lead byte character (Â–ï); a CJK
    // span needs at least two characters, a third of its Han characters rare.
    match kind {
        Kind::Utf8AsLatin1 => {
            if !span.chars().any(|c| matches!(c as u32, 0xC2..=0xEF)) {
                return None;
            }
        }
        // The exact UTF-8 round trip of the sub-run is the filter.
        Kind::Utf8AsGbk => {}
        Kind::GbkAsBig5 | Kind::Big5AsGbk => {
            let han = span.chars().filter(|&c| is_han(c)).count();
            let rare = span.chars().filter(|&c| m.is_rare(c)).count();
            if span.chars().count() < 2 || rare * 3 < han.max(1) {
                return None;
            }
        }
    }
    let (wrong, right) = kind.encodings();
    let mut bytes = Vec::with_capacity(span.len());
    for c in span.chars() {
        bytes.extend_from_slice(&encode_char(wrong, c)?);
    }
    let candidate = decode_strictly(right, &bytes)?;
    if candidate == span
        || candidate
            .chars()
            .any(|c| c.is_control() || matches!(c as u32, 0xE000..=0xF8FF))
    {
        return None;
    }
    let before = m.logp(span, None);
    let after = m.logp(&candidate.replace(LOST, "?"), None);
    let mean_gain =
        after / candidate.chars().count().max(1) as f64 - before / span.chars().count() as f64;
    (mean_gain >= MIN_MEAN_GAIN && after - before >= MIN_GAIN).then_some(candidate)
}

/// Decodes `bytes` with no replacement, except that an incomplete last character becomes
/// one U+FFFD (the wrong decoder often cut the last one short).
fn decode_strictly(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    if let Some(s) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        return Some(s.into_owned());
    }
    let keep = if encoding == UTF_8 {
        match std::str::from_utf8(bytes) {
            // Only an incomplete sequence at the very end is forgiven.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => return None,
        }
    } else {
        // A lone lead byte at the end.
        match bytes.split_last() {
            Some((&last, _)) if last >= 0x81 => bytes.len() - 1,
            _ => return None,
        }
    };
    if keep == 0 {
        return None;
    }
    let s = encoding.decode_without_bom_handling_and_without_replacement(&bytes[..keep])?;
    let mut s = s.into_owned();
    s.push(LOST);
    Some(s)
}

/// Sub-runs of a span read wrongly as `wrong` (GBK or windows-1252) whose `wrong` bytes are
/// valid UTF-8: `(start, end)` byte offsets into `span`, non-overlapping, in order. Linear
/// per start: a start that fails is skipped by one character, a success jumps past its run.
fn utf8_subruns(span: &str, wrong: &'static Encoding) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = span.char_indices().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut bytes = Vec::new();
        let mut best = None;
        for (j, &(_, c)) in chars.iter().enumerate().skip(i) {
            let Some(b) = encode_char(wrong, c) else {
                break;
            };
            bytes.extend_from_slice(&b);
            match std::str::from_utf8(&bytes) {
                Ok(_) => best = Some(j + 1),
                Err(e) if e.error_len().is_none() => best = best.or(None),
                Err(_) => break,
            }
            if j + 1 - i >= MAX_SPAN {
                break;
            }
        }
        match best {
            Some(end) if end - i >= 2 => {
                let end_byte = chars.get(end).map_or(span.len(), |&(at, _)| at);
                runs.push((chars[i].0, end_byte));
                i = end;
            }
            _ => i += 1,
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our own sentences, mis-decoded the way broken pipelines do it.
    fn misdecode(text: &str, right: &'static Encoding, wrong: &'static Encoding) -> String {
        let (bytes, _, _) = right.encode(text);
        wrong.decode_without_bom_handling(&bytes).0.into_owned()
    }

    fn latin1(text: &str) -> String {
        // ISO-8859-1 as Python's `.decode("latin-1")` does it: every byte to U+00XX.
        text.bytes().map(char::from).collect()
    }

    #[test]
    fn utf8_read_as_gbk() {
        assert_eq!(misdecode("地方政府", UTF_8, GBK), "鍦版柟鏀垮簻");
        let damaged = format!(
            "据报道，{}表示将加强管理。",
            misdecode("地方政府", UTF_8, GBK)
        );
        let fixed = repair(&damaged);
        assert_eq!(fixed.text, "据报道，地方政府表示将加强管理。");
        assert_eq!(fixed.spans[0].kind, RepairKind::Utf8AsGbk);
        let sentence = "国家统计局今天发布了最新的经济数据";
        assert_eq!(repair(&misdecode(sentence, UTF_8, GBK)).text, sentence);
    }

    #[test]
    fn utf8_read_as_latin1_and_windows_1252() {
        let sentence = "数据显示经济增长稳定";
        let w1252 = misdecode(sentence, UTF_8, WINDOWS_1252);
        // `据` is E6 8D AE: 0x8D is undefined in windows-1252 and decodes to U+008D.
        assert!(w1252.starts_with("æ•°æ\u{8D}®"), "{w1252}");
        assert_eq!(repair(&w1252).text, sentence);
        assert_eq!(repair(&latin1(sentence)).text, sentence);
        assert_eq!(
            repair(&format!("Report: {w1252}")).text,
            format!("Report: {sentence}")
        );
    }

    #[test]
    fn gbk_and_big5_confusions() {
        let simplified = "北京市政府今天召开新闻发布会";
        let as_big5 = misdecode(simplified, GBK, BIG5);
        assert_eq!(repair(&as_big5).text, simplified, "{as_big5}");
        let traditional = "台北市政府今天召開記者會說明";
        let as_gbk = misdecode(traditional, BIG5, GBK);
        assert_eq!(repair(&as_gbk).text, traditional, "{as_gbk}");
    }

    #[test]
    fn latin1_span_with_a_non_utf8_neighbour_is_repaired_in_one_pass() {
        // `ù` (F9) is no UTF-8 byte: it must not sink `æ•°` (`数`) next to it, or the decision
        // flips once `)?` become `）？` and repairing the output again changes it.
        assert_eq!(repair("（shù)?æ•°据住房").text, "（shù)?数据住房");
        assert_eq!(repair("（shù）？æ•°据住房").text, "（shù）？数据住房");
        assert_eq!(repair("ù æ•°").text, "ù 数");
    }

    #[test]
    fn clean_text_is_untouched() {
        for text in [
            "café résumé naïve — “quoted” • item",
            "据住房和城乡建设部官网消息，按照完全自愿原则。",
            "臺灣的鄉鎮市區，語言與習俗各異。",
            "Ça va? Très bien. 10 °C, 5 €.",
            "魑魅魍魉，饕餮耄耋。",
            "",
        ] {
            assert_eq!(repair(text).text, text);
        }
    }
}
