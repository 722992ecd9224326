//! UTF-8 read as GBK, with or without replacement: `鍦版柟` → `地方`, and `榛�(d菐ng)` →
//! `黨(dǎng)`, where a decoder replaced a byte it could not pair.
//!
//! Crawlers that decode UTF-8 pages as GBK *with replacement* (Python
//! `bytes.decode("gbk", "replace")`, Java `new String(bytes, "GBK")`, a browser) leave a U+FFFD
//! for every pair the decoder rejected, so the text cannot simply be encoded back: every few
//! characters a byte is gone. This step undoes it:
//!
//! 1. **Spans**: maximal runs of characters the wrong decoder can produce — ASCII (whitespace
//!    and pinyin annotations included: `(sh矛)` is the mojibake of `(shì)`), GBK's double-byte
//!    characters and U+FFFD. Each is encoded back to GBK, every U+FFFD becoming one *lost
//!    byte* (what it stands for under the Python, Java and WHATWG conventions for UTF-8
//!    input; see `replacement.rs`).
//! 2. **Parse**: from each character on, the bytes are read as UTF-8 for as long as they stay
//!    valid with the lost bytes as wildcards; a *piece* ends where a UTF-8 character ends at
//!    a character boundary of the span. A character with lost bytes has a small candidate set:
//!    64 for a lost continuation byte, 16 for a lost lead byte, fewer still because a lost
//!    byte must be one the decoder would have rejected before the byte that follows it.
//! 3. **Guess**: each such character is chosen with [`crate::model`] from its neighbours,
//!    and, when a pinyin annotation follows it (`榛�(dǎng)`), only among the candidates read
//!    that way. A guess is kept when it beats the runner-up by [`GUESS_MARGIN`] nats (or
//!    [`READING_MARGIN`] with a reading); otherwise the character is dropped and counted.
//! 4. **Accept**: the decoded piece replaces the span only if it reads [`MIN_READ_WHOLE`]
//!    Chinese characters whole (a guess alone proves nothing) and is clearly more probable
//!    Chinese than the damaged text: [`MIN_GAIN`] nats in total and [`MIN_GAIN_PER_CHAR`]
//!    per damaged (non-ASCII) character, a dropped character scored like the U+FFFD it was.
//!    A character with lost bytes at either end that cannot be recovered is left out of the
//!    piece rather than dropped (the damaged characters there may be real text).
//!
//! The same text without U+FFFD (UTF-8 read as GBK without replacement) is the special case
//! with nothing to guess. Work is linear: a piece is at most [`MAX_PIECE`] characters, and
//! each character has at most 64 × 64 candidates (two lost bytes), most have none.
//!
//! Files: this one holds steps 1 and 4 (spans, acceptance); `parse.rs` step 2; `guess.rs`
//! step 3.
//!
//! ```
//! use zhclean::internals::repair::lossy::repair;
//! // `地方政府表示` in UTF-8, decoded by Python as GBK with errors="replace".
//! let damaged = "鍦版柟鏀垮簻琛ㄧず";
//! assert_eq!(repair(damaged).text, "地方政府表示");
//! ```
use super::codepage::DoubleByte;
use super::mojibake::Fixed;
use super::pinyin::{is_reading_of, is_syllable, read_syllable};
use super::replacement::{cp936_private_use_pair, some_gbk_decoder_loses_one};
use crate::article::{RepairKind, RepairedSpan};
use crate::model::{class, model, Best, CharClass, CharModel};
use pinyin::ToPinyinMulti;

use guess::*;
use parse::*;

mod guess;
mod parse;

/// Minimum total gain in log-probability (nats) for accepting a piece: a likelihood ratio
/// above e¹² ≈ 10⁵, as for the other forensic repairs.
pub const MIN_GAIN: f64 = 12.0;

/// Minimum gain per damaged (non-ASCII) character of the piece (nats).
pub const MIN_GAIN_PER_CHAR: f64 = 2.0;

/// How much more probable (nats; e³ ≈ 20×) the best candidate for a character with lost
/// bytes must be than the runner-up to be written; otherwise the character is dropped. The
/// margin byte-shift recovery guesses lost bytes with (right 95 % of the time on clean text).
pub const GUESS_MARGIN: f64 = super::recover::GUESS_MARGIN;

/// The margin when a pinyin annotation after the character narrowed the candidates to those
/// read that way: the reading is independent evidence, so a smaller margin (e ≈ 2.7×) is
/// enough.
pub const READING_MARGIN: f64 = 1.0;

/// Times a piece is trimmed of dropped characters at its ends and guessed again.
const MAX_TRIM_ROUNDS: usize = 4;

/// Characters a piece must read whole (no byte lost; Chinese, not a letter of another
/// script) besides its guesses.
pub const MIN_READ_WHOLE: usize = 2;

/// Longest piece, in characters of the damaged text: a longer run is cut at its last line
/// break before this many characters and tried in pieces.
pub const MAX_PIECE: usize = 4096;

/// What the replacement decoders leave.
const REPLACEMENT: char = '\u{FFFD}';

/// Repairs UTF-8 read as GBK (with or without replacement) in `text`. Never panics; text
/// without such damage comes back unchanged. [`Fixed::dropped`] counts the characters with
/// lost bytes that could not be recovered (left out of the text).
pub fn repair(text: &str) -> Fixed {
    let m = model();
    let mut out = Fixed {
        text: String::with_capacity(text.len()),
        spans: Vec::new(),
        dropped: 0,
    };
    let mut copied = 0;
    for span in spans(text) {
        let encoded = Encoded::new(text, span);
        let mut first = 0;
        while first < encoded.chars() {
            let Some(piece) = encoded.piece_from(first) else {
                first += 1;
                continue;
            };
            let end = piece.end_char;
            if let Some((piece, decoded)) = judge(&encoded, piece, text, m) {
                let (from, to) = (
                    encoded.offset(piece.first_char),
                    encoded.offset(piece.end_char),
                );
                out.text.push_str(&text[copied..from]);
                out.text.push_str(&decoded.text);
                out.spans
                    .extend(line_spans(&text[from..to], &decoded.text, &decoded.lines));
                out.dropped += decoded.dropped();
                copied = to;
            }
            first = end.max(first + 1);
        }
    }
    out.text.push_str(&text[copied..]);
    out
}

/// Byte ranges of `text` made only of characters the wrong decoder can produce.
fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let produced = c.is_ascii() || c == REPLACEMENT || encode(c).is_some();
        match (start, produced) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// One byte of a span encoded back to GBK, or a byte the wrong decoder replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Byte(u8),
    Lost,
}

/// The decoded piece, if it is clearly better Chinese than the damaged text: the piece as
/// decoded (it may have been trimmed) and its characters.
///
/// A character with lost bytes at either end of the piece that cannot be recovered is left
/// out of the piece rather than dropped: there the damaged characters may as well be real
/// text next to the mojibake (`悻` is E3 B0 in GBK, which with a U+FFFD after it reads as a
/// UTF-8 character with a lost byte), and dropping them would earn the piece their cost.
fn judge(
    encoded: &Encoded,
    mut piece: Piece,
    text: &str,
    m: &CharModel,
) -> Option<(Piece, Guessed)> {
    let context = |piece: &Piece| {
        let (from, to) = (
            encoded.offset(piece.first_char),
            encoded.offset(piece.end_char),
        );
        (
            from,
            to,
            text[..from].chars().next_back(),
            text[to..].chars().next(),
        )
    };
    // Trimming changes the ends' neighbours, so the guesses are made again; a few rounds
    // settle real pages, and a piece that keeps losing its ends is given up.
    let mut rounds = 0;
    let decoded = loop {
        let (_, _, before, after) = context(&piece);
        let decoded = guess(&piece.slots, before, after, m);
        match encoded.without_dropped_ends(&piece, &decoded.dropped_at) {
            (0, hi) if hi == piece.slots.len() => break decoded,
            _ if rounds == MAX_TRIM_ROUNDS => return None,
            (lo, hi) => piece = encoded.sub_piece(piece, lo, hi)?,
        }
        rounds += 1;
    };
    let (from, to, before, after) = context(&piece);
    let damaged = &text[from..to];
    // Evidence beyond the guesses: two characters read whole, and Chinese. A short piece of
    // real text next to a U+FFFD reads as a guess or two (`韬` + U+FFFD = E8 BA + a lost
    // byte, `身`), and a guess can always beat a rare character.
    let read_whole = piece
        .slots
        .iter()
        .filter(|(_, slot)| matches!(slot, Slot::Known(c) if !c.is_ascii() && class(*c) != CharClass::Odd))
        .count();
    if decoded.text == damaged || read_whole < MIN_READ_WHOLE {
        return None;
    }
    let damaged_chars = damaged.chars().filter(|c| !c.is_ascii()).count();
    let damaged_score = score(damaged, before, after, m);
    let decoded_score = score(&decoded.scored, before, after, m);
    let gain = decoded_score - damaged_score;
    (gain >= MIN_GAIN && gain >= MIN_GAIN_PER_CHAR * damaged_chars as f64)
        .then_some((piece, decoded))
}

/// One [`RepairedSpan`] per line of a replaced piece, without the ASCII at either end that
/// reads the same both ways.
fn line_spans(damaged: &str, decoded: &str, lines: &[Uncertain]) -> Vec<RepairedSpan> {
    damaged
        .split('\n')
        .zip(decoded.split('\n'))
        .zip(lines)
        .filter_map(|((before, after), uncertain)| {
            let same = |a: char, b: char| a == b && a.is_ascii();
            let head = before
                .chars()
                .zip(after.chars())
                .take_while(|&(a, b)| same(a, b))
                .count();
            let tail = before
                .chars()
                .rev()
                .zip(after.chars().rev())
                .take_while(|&(a, b)| same(a, b))
                .count();
            let trim = |s: &str| -> String {
                let n = s.chars().count();
                s.chars()
                    .skip(head)
                    .take(n.saturating_sub(head + tail))
                    .collect()
            };
            let (before, after) = (trim(before), trim(after));
            (before != after).then_some(RepairedSpan {
                kind: RepairKind::Utf8AsGbk,
                before,
                after,
                guessed: uncertain.guessed,
                dropped: uncertain.dropped,
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `text` in UTF-8 decoded as GBK the way CPython's `gbk` codec does with
    /// errors="replace": every pair its table (CP936 without private use) rejects loses
    /// its first byte. The convention is checked against CPython's own table in
    /// `replacement`'s tests.
    pub(crate) fn python_gbk(text: &str) -> String {
        use super::super::replacement::{gbk_error_len, Decoder};
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                out.push(char::from(b));
                i += 1;
                continue;
            }
            match gbk_error_len(Decoder::Python, b, bytes.get(i + 1).copied()) {
                Some(n) => {
                    out.push(REPLACEMENT);
                    i += usize::from(n);
                }
                None => {
                    out.extend(DoubleByte::Gbk.decode_pair(b, bytes[i + 1]));
                    i += 2;
                }
            }
        }
        out
    }

    #[test]
    fn pieces_start_and_end_with_chinese() {
        // `息` is CF A2 in GBK, `Ϣ` in UTF-8: it stays `息`, with or without the U+FFFD
        // (found by the idempotence property).
        assert_eq!(repair("官网消息鍦版柟据住房").text, "官网消息地方据住房");
        // A lost byte at the edge of a piece is not dropped here (it may stand next to real
        // text: `悻` and a U+FFFD read as UTF-8 with a lost byte): the garbled step removes
        // the U+FFFD.
        let once = repair("官网消息\u{FFFD}鍦版柟据住房");
        assert_eq!(
            (once.text.as_str(), once.dropped),
            ("官网消息\u{FFFD}地方据住房", 0)
        );
        assert_eq!(repair("朋友悻\u{FFFD}悻，说").text, "朋友悻\u{FFFD}悻，说");
        assert_eq!(repair("鍦版柟息").text, "地方息");
    }

    #[test]
    fn lossless_mojibake() {
        assert_eq!(repair("鍦版柟鏀垮簻").text, "地方政府");
        assert_eq!(
            repair("据报道，鍦版柟鏀垮簻表示").text,
            "据报道，地方政府表示"
        );
    }

    #[test]
    fn python_replacement_with_annotations() {
        let original = "各地黨(dǎng)委、政府及有關(guān)部門(mén)按照黨(dǎng)中央的部署,以高度的政治責(zé)任感抓解困工作";
        let damaged = python_gbk(&format!("{original}。"));
        assert!(damaged.contains(REPLACEMENT), "{damaged}");
        let fixed = repair(&damaged);
        // The full stop lost two of its three bytes at the end of the text: every CJK
        // punctuation mark fits, so it is dropped and counted.
        assert_eq!(fixed.text, original, "{damaged}");
        assert_eq!(fixed.dropped, 1);
    }
}
