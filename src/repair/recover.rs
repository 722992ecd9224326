//! Byte-shift recovery: undo GBK (or Big5) damage where one byte was lost, a `?` stands in
//! its place, and the following double-byte stream was read one byte out of step.
//!
//! Two real forms, both handled by one procedure:
//!
//! * **Inserted annotation** (the seed page): a converter working on GBK bytes annotated a
//!   character that only existed *across* a character boundary. `當地` is `AE 94 | B5 D8`;
//!   `94 B5` spells `數` (shù), so `(shù)` was inserted after `B5`. Decoding gives `當`, `?`
//!   (for the invalid pair `B5 28`), `shù)`, and then `D8 97`=`貤`, `6C`=`l`: out of step
//!   until an ASCII byte realigns it. The lost byte is the second byte of the annotated
//!   character; we find it from the syllable: a character whose reading is `shù` and whose
//!   first byte is the last byte of the character before the `?`.
//! * **Lost byte** (SogouCA): `?；泼鳎合衷谖倚?布` is `黄明：现在我宣布`: a lead byte was lost
//!   (`?`), its trail byte `A3` pairs with the next lead byte, and the stream stays shifted
//!   until a second `?` (a lost trail byte) or an ASCII trail byte realigns it.
//!
//! Procedure at each `?`: take the run of double-byte characters after it (after `syllable)`
//! in the annotation case), re-encode it, drop its first byte (lost-lead case) or put the
//! derived lost byte in front (annotation case), and decode again. The re-aligned bytes end
//! in a lead byte whose partner is the character ending the run: an ASCII trail byte
//! (`l` = `6C` above), or a `?`/U+FFFD that stands for a lost byte. A lost byte is guessed
//! with the model only when one candidate is clearly best ([`GUESS_MARGIN`]); otherwise the
//! U+FFFD ([`LOST`]) marks the lost character.
//!
//! A candidate is accepted only when it is clearly more probable Chinese than the damaged
//! text under [`crate::model`]: its log-probability (with one character of context on each
//! side) must beat the damaged text's by [`MIN_GAIN`] nats in total *and* by
//! [`MIN_GAIN_PER_CHAR`] nats per damaged character. Why these numbers: a GBK-shifted
//! character costs about 11 nats under the model and a re-aligned one about 6, so true
//! damage gains ≳ 4 nats per character; text that really follows an ASCII `?` (a
//! half-width question mark before a new sentence) *loses* when shifted. The total floor of
//! 12 nats (a likelihood ratio above 10⁵) keeps one- or two-character runs, where chance
//! plays a bigger part, from being "repaired" on weak evidence. Measured on the SogouCA
//! sample and on clean text with inserted `?` (see `tools/examples/recover_eval.rs`).
//!
//! Work is linear: a run ends at the first single-byte character and is at most
//! [`MAX_RUN`] characters; runs after different `?` never overlap.
//!
//! ```
//! use zhclean::internals::repair::recover::recover;
//! let out = recover("探索適合當?shù)貤l件的生活垃圾", encoding_rs::GBK);
//! assert_eq!(out.text, "探索適合當地條件的生活垃圾");
//! assert_eq!(out.spans[0].before, "?shù)貤l");
//! assert_eq!(out.spans[0].after, "地條");
//! ```

use encoding_rs::{Encoding, BIG5};
use pinyin::ToPinyinMulti;

use super::codepage::DoubleByte;

use crate::article::{RepairKind, RepairedSpan};
use crate::model::{class, is_han, model, Best, CharClass, CharModel};

/// Longest run (in characters) re-aligned after one `?`.
pub const MAX_RUN: usize = 256;
/// Minimum total gain in log-probability (nats) for accepting a re-alignment.
pub const MIN_GAIN: f64 = 12.0;
/// Once a text has this many re-alignments accepted under the strict thresholds, its other
/// `?` marks are judged with [`MIN_GAIN_CONFIRMED`]: damage of this kind comes in bursts
/// (every paragraph of a damaged record), so one more instance is then far more likely.
pub const CONFIRMING_SPANS: usize = 1;
/// Minimum gain (nats) in a text with confirmed damage: the re-aligned reading must still be
/// more probable than the damaged one, by a likelihood ratio above e² ≈ 7.
pub const MIN_GAIN_CONFIRMED: f64 = 2.0;
/// Minimum gain per damaged character (nats) for accepting a re-alignment.
pub const MIN_GAIN_PER_CHAR: f64 = 2.0;
/// How much more probable (in nats; e³ ≈ 20×) the best guess for a lost byte must be than
/// the runner-up before it is written in place of the `?`.
pub const GUESS_MARGIN: f64 = 3.0;
/// What a character that cannot be recovered becomes: U+FFFD, the usual mark of a lost
/// character (the `garbled` step after this one removes and counts stray U+FFFD).
pub const LOST: char = '\u{FFFD}';
/// Longest pinyin syllable in an inserted annotation (`zhuàng` is 6).
const MAX_SYLLABLE: usize = 7;

/// Text after recovery, with what was recovered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// The text with every accepted re-alignment applied.
    pub text: String,
    /// The replaced spans, in text order (`kind` is [`RepairKind::ByteShift`]).
    pub spans: Vec<RepairedSpan>,
}

/// Re-aligns byte-shift damage in `text`, where `encoding` is the double-byte encoding the
/// damage happened in (GBK for GBK/GB18030 sources and for UTF-8 text converted from them;
/// Big5 for Big5 sources). Never panics; text without `?` is returned unchanged.
pub fn recover(text: &str, encoding: &'static Encoding) -> Recovered {
    let codec = Codec::new(encoding);
    let m = model();
    let strict = pass(text, &codec, m, Evidence::Strict);
    if strict.spans.len() < CONFIRMING_SPANS {
        return strict;
    }
    pass(text, &codec, m, Evidence::Confirmed)
}

/// How much evidence a re-alignment needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// No damage known in this text yet: [`MIN_GAIN`] and [`MIN_GAIN_PER_CHAR`].
    Strict,
    /// The text has [`CONFIRMING_SPANS`] clear repairs: [`MIN_GAIN_CONFIRMED`].
    Confirmed,
}

fn pass(text: &str, codec: &Codec, m: &CharModel, evidence: Evidence) -> Recovered {
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut copied = 0; // bytes of `text` already in `out`
    let mut search = 0;
    while let Some(found) = memchr::memchr(b'?', &text.as_bytes()[search..]) {
        let q = search + found;
        let prev = strip_annotation(&text[copied..q])
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        match try_span(text, q, prev, codec, m, evidence) {
            Some((end, after)) => {
                out.push_str(&text[copied..q]);
                out.push_str(&after);
                spans.push(RepairedSpan::new(
                    RepairKind::ByteShift,
                    text[q..end].to_string(),
                    after,
                ));
                copied = end;
                search = end;
            }
            None => search = q + 1,
        }
    }
    out.push_str(&text[copied..]);
    Recovered { text: out, spans }
}

/// How a shifted run ends.
#[derive(Debug, Clone, Copy)]
enum End {
    /// The run's last character has an ASCII second byte: re-aligned, that byte stands alone.
    Synced,
    /// The run is followed by an ASCII character that is really the second byte of the
    /// re-aligned stream's last character (`l` in `貤l`).
    AsciiTrail(u8),
    /// The run is followed by a `?`/U+FFFD: the last character's second byte was lost.
    Lost,
}

/// The double-byte encoding the damage happened in.
struct Codec {
    encoding: &'static Encoding,
    table: DoubleByte,
    big5: bool,
}

impl Codec {
    fn new(encoding: &'static Encoding) -> Codec {
        let big5 = encoding == BIG5;
        let encoding = if big5 { BIG5 } else { encoding_rs::GBK };
        let table = if big5 {
            DoubleByte::Big5
        } else {
            DoubleByte::Gbk
        };
        Codec {
            encoding,
            table,
            big5,
        }
    }

    /// The two bytes of `c`, when `c` is a double-byte character of this encoding.
    fn encode2(&self, c: char) -> Option<[u8; 2]> {
        self.table.encode(c)?.pair()
    }

    /// Strict decode: `None` if any sequence is malformed.
    fn decode(&self, bytes: &[u8]) -> Option<String> {
        self.encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned())
    }

    fn is_lead(&self, b: u8) -> bool {
        (0x81..=0xFE).contains(&b)
    }

    fn trail_bytes(&self) -> impl Iterator<Item = u8> {
        let big5 = self.big5;
        (0x40..=0xFEu8).filter(move |&b| b != 0x7F && (!big5 || b <= 0x7E || b >= 0xA1))
    }

    /// The one non-ASCII character the pair `[lead, trail]` decodes to, if it is one.
    fn decode_pair(&self, lead: u8, trail: u8) -> Option<char> {
        self.table.decode_pair(lead, trail)
    }
}

/// Tries to repair the damage starting at the `?` at byte `q`. Returns the end of the
/// damaged span (byte offset into `text`) and its replacement.
///
/// About 140 lines: the steps of one attempt (which lost-byte hypotheses apply, the shifted
/// run re-encoded, each hypothesis re-aligned, checked and scored, the best kept) share the
/// run's bytes; each step is commented.
fn try_span(
    text: &str,
    q: usize,
    prev: Option<char>,
    codec: &Codec,
    m: &CharModel,
    evidence: Evidence,
) -> Option<(usize, String)> {
    let after_q = q + 1;
    // Which lost-byte hypotheses to try, and where the shifted run starts.
    let (prefixes, run_start): (Vec<Option<u8>>, usize) =
        match annotation(text, after_q, prev, codec) {
            Some((lost, start)) => (lost.into_iter().map(Some).collect(), start),
            None => (vec![None], after_q),
        };
    if prefixes.is_empty() {
        return None;
    }

    // The run of double-byte characters after it, re-encoded. A character whose second byte
    // is ASCII ends the run: re-aligned, that byte stands alone and the stream is back in
    // step after it.
    let mut run_bytes = Vec::new();
    let mut run_end = run_start;
    let mut synced = false;
    for (i, c) in text[run_start..].char_indices().take(MAX_RUN) {
        match codec.encode2(c) {
            Some(pair) => {
                run_bytes.extend_from_slice(&pair);
                run_end = run_start + i + c.len_utf8();
                if pair[1] < 0x80 {
                    synced = true;
                    break;
                }
            }
            None => break,
        }
    }
    // UTF-8 read as GBK after a real `?` is not a shifted stream: its bytes are UTF-8 Chinese
    // as they stand, and the mojibake step decodes them (re-aligned, mojibake can still
    // score better than mojibake, and would be lost to that step).
    if run_bytes.is_empty() || holds_utf8_chinese(&run_bytes) {
        return None;
    }
    let terminator = text[run_end..].chars().next();
    let (span_end, end) = match terminator {
        _ if synced => (run_end, End::Synced),
        Some(t @ ('\u{40}'..='\u{7E}')) if t != '?' => (run_end + 1, End::AsciiTrail(t as u8)),
        Some(t @ ('?' | '\u{FFFD}')) => (run_end + t.len_utf8(), End::Lost),
        _ => return None,
    };
    let damaged = &text[q..span_end];
    let next = text[span_end..].chars().next();
    let damaged_score =
        m.logp(damaged, prev) + next.map_or(0.0, |n| m.logp_char(damaged.chars().next_back(), n));

    let mut best: Option<(f64, String)> = None;
    for lost in prefixes {
        // Re-aligned bytes: the lost byte put back, or the stray first byte dropped.
        let mut bytes = Vec::with_capacity(run_bytes.len() + 1);
        match lost {
            Some(b) => {
                bytes.push(b);
                bytes.extend_from_slice(&run_bytes);
            }
            None => bytes.extend_from_slice(&run_bytes[1..]),
        }
        let candidate = match end {
            End::Synced => match codec.decode(&bytes) {
                Some(s) => s,
                None => continue,
            },
            End::AsciiTrail(t) => {
                let Some((&lead, body)) = bytes.split_last() else {
                    continue;
                };
                match (codec.decode(body), codec.decode_pair(lead, t)) {
                    (Some(mut s), Some(c)) => {
                        s.push(c);
                        s
                    }
                    _ => continue,
                }
            }
            End::Lost => {
                let Some((&lead, body)) = bytes.split_last() else {
                    continue;
                };
                if !codec.is_lead(lead) {
                    continue;
                }
                let Some(body) = codec.decode(body) else {
                    continue;
                };
                guess_lost_trail(body, lead, prev, next, codec, m)
            }
        };
        // Recovered text must look like text: no odd symbols. Private-use characters
        // (GBK's user-defined area: bytes that were never text) mark more damage inside
        // the run; in a text with confirmed damage they become lost characters.
        let candidate = match evidence {
            Evidence::Confirmed => candidate
                .chars()
                .map(|c| if is_private_use(c) { LOST } else { c })
                .collect(),
            Evidence::Strict => candidate,
        };
        if candidate
            .chars()
            .any(|c| c != LOST && class(c) == CharClass::Odd)
        {
            continue;
        }
        // Without other evidence, a lost-byte reading must recover at least two Han
        // characters: one character (often a guess) is too easily a coincidence.
        let han = candidate.chars().filter(|&c| is_han(c)).count();
        if evidence == Evidence::Strict && lost.is_none() && han < 2 {
            continue;
        }
        let mut scored = String::with_capacity(candidate.len() + 1);
        if lost.is_none() {
            scored.push('?');
        }
        scored.extend(candidate.chars().map(|c| if c == LOST { '?' } else { c }));
        let score = m.logp(&scored, prev)
            + next.map_or(0.0, |n| m.logp_char(scored.chars().next_back().or(prev), n));
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, candidate));
        }
    }
    let (score, candidate) = best?;
    let gain = score - damaged_score;
    let damaged_chars = damaged.chars().count() as f64;
    let accept = match evidence {
        Evidence::Strict => gain >= MIN_GAIN && gain >= MIN_GAIN_PER_CHAR * damaged_chars,
        Evidence::Confirmed => gain >= MIN_GAIN_CONFIRMED,
    };
    accept.then_some((span_end, candidate))
}

/// `?syllable)` after the `?`: the inserted-annotation form. Returns the possible lost bytes
/// (second bytes of characters read `syllable` whose first byte ends the previous character)
/// and where the shifted run starts (after the `)`).
fn annotation(
    text: &str,
    from: usize,
    prev: Option<char>,
    codec: &Codec,
) -> Option<(Vec<u8>, usize)> {
    let (syllable, len) = read_syllable(&text[from..])?;
    if !text[from + len..].starts_with(')') {
        return None;
    }
    let close = len;
    let first = codec.encode2(prev?)?[1];
    let lost = (0x81..=0xFEu8)
        .filter(|&b| {
            codec
                .decode_pair(first, b)
                .is_some_and(|c| reads_as(c, &syllable))
        })
        .collect();
    Some((lost, from + close + 1))
}

/// Whether the bytes of a run of double-byte characters hold, from the start of one of them,
/// UTF-8 that spells two CJK characters in a row: UTF-8 read as GBK.
fn holds_utf8_chinese(run: &[u8]) -> bool {
    (0..run.len()).step_by(2).any(|at| {
        let bytes = &run[at..];
        if !matches!(bytes[0], 0xE2..=0xE9 | 0xEF) {
            return false;
        }
        let valid = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        valid
            .chars()
            .take(2)
            .filter(|&c| matches!(c as u32, 0x3000..=0x9FFF | 0xFF00..=0xFFEF))
            .count()
            == 2
    })
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF)
}

/// `before` without a trailing `(syllable)` annotation: in `當(dāng)?shù)…` the character
/// before the damage is `當`, whose own annotation the pinyin step removes later.
fn strip_annotation(before: &str) -> &str {
    let Some(inner) = before.strip_suffix(')') else {
        return before;
    };
    let mut window = inner.len().saturating_sub(8 * MAX_SYLLABLE);
    while !inner.is_char_boundary(window) {
        window += 1;
    }
    match inner[window..].rfind('(').map(|at| window + at) {
        Some(open)
            if read_syllable(&inner[open + 1..])
                .is_some_and(|(_, n)| open + 1 + n == inner.len()) =>
        {
            &before[..open]
        }
        _ => before,
    }
}

/// A pinyin syllable at the start of `s` (letters, tone-marked vowels, tone digits; tone
/// letters may be numeric character references such as `&#249;`, as in pages re-encoded to
/// Big5, which has no tone letters). Returns the syllable and its length in `s`.
fn read_syllable(s: &str) -> Option<(String, usize)> {
    let mut syllable = String::new();
    let mut at = 0;
    while syllable.chars().count() < MAX_SYLLABLE {
        let rest = &s[at..];
        let (c, len) = match rest.chars().next() {
            Some('&') => numeric_reference(rest)?,
            Some(c) => (c, c.len_utf8()),
            None => break,
        };
        if !is_pinyin_letter(c) {
            break;
        }
        syllable.push(c);
        at += len;
    }
    (!syllable.is_empty()).then_some((syllable, at))
}

/// `&#NNN;` or `&#xHH;` at the start of `s`: the character and the reference's length.
fn numeric_reference(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix("&#")?;
    let end = body.find(';').filter(|&e| e <= 8)?;
    let digits = &body[..end];
    let value = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    Some((char::from_u32(value)?, end + 3))
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase()
        || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ".contains(c)
        || ('1'..='5').contains(&c)
}

/// Is `syllable` (with tone marks, tone number, or plain) a reading of `c`?
fn reads_as(c: char, syllable: &str) -> bool {
    c.to_pinyin_multi().is_some_and(|multi| {
        multi.into_iter().any(|p| {
            p.with_tone() == syllable || p.with_tone_num_end() == syllable || p.plain() == syllable
        })
    })
}

/// `body` followed by the character whose first byte is `lead` and whose second byte was
/// lost, when the model clearly prefers one; otherwise `body` followed by `?` (the lost
/// character stays marked).
fn guess_lost_trail(
    body: String,
    lead: u8,
    prev: Option<char>,
    next: Option<char>,
    codec: &Codec,
    m: &CharModel,
) -> String {
    let before = body.chars().next_back().or(prev);
    // A guess needs context on both sides; at the end of a text or before punctuation
    // the lost character stays marked.
    let guess = next
        .filter(|&n| is_han(n))
        .and_then(|_| best_guess(lead, before, next, codec, m));
    let mut s = body;
    match guess {
        Some((c, margin)) if margin >= GUESS_MARGIN => s.push(c),
        _ => s.push(LOST),
    }
    s
}

/// The most probable character whose first byte in `encoding` is `lead`, between `before`
/// and `next`, with its margin in nats over the runner-up. This is how a lost second byte is
/// guessed; public so that evaluations can measure how often the guess is right.
#[cfg(feature = "internals")]
pub fn guess_char(
    lead: u8,
    before: Option<char>,
    next: Option<char>,
    encoding: &'static Encoding,
) -> Option<(char, f64)> {
    best_guess(lead, before, next, &Codec::new(encoding), model())
}

fn best_guess(
    lead: u8,
    before: Option<char>,
    next: Option<char>,
    codec: &Codec,
    m: &CharModel,
) -> Option<(char, f64)> {
    let mut best = Best::default();
    // The same `before` and `next` for every candidate: their lookups are done once.
    let after_before = m.after(before);
    let next = next.map(|n| m.next(n));
    for t in codec.trail_bytes() {
        let Some(c) = codec.decode_pair(lead, t) else {
            continue;
        };
        let score = m.logp_of(after_before, m.next(c))
            + next.map_or(0.0, |n| m.logp_of(m.after(Some(c)), n));
        best.offer(c, score);
    }
    best.with_margin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GBK;

    fn fix(s: &str) -> String {
        recover(s, GBK).text
    }

    #[test]
    fn seed_annotation_inside_a_character() {
        assert_eq!(fix("適合當?shù)貤l件的生活"), "適合當地條件的生活");
    }

    #[test]
    fn lost_lead_byte_realigned_until_lost_trail() {
        // Our own sentence, damaged the SogouCA way: lead of `　` lost, trail of `宣` lost.
        let damaged = shift("记者报道。", "　黄明：现在我宣", "布，活动开始。");
        // `宣` lost its second byte and the model is not sure enough: marked, not guessed.
        assert_eq!(
            fix(&damaged),
            "记者报道。黄明：现在我\u{FFFD}布，活动开始。"
        );
    }

    #[test]
    fn confirmed_damage_lowers_the_bar_for_short_runs() {
        let long = shift("记者报道。", "　黄明：现在我宣", "布，活动开始。");
        let short = shift("", "　根", "据规定，会议延期。");
        // Alone, a one-character run is not enough evidence ...
        assert_eq!(fix(&short), short);
        // ... next to a clear repair it is, and `根` is guessed from `据`.
        assert_eq!(
            fix(&format!("{long}{short}")),
            "记者报道。黄明：现在我\u{FFFD}布，活动开始。根据规定，会议延期。"
        );
    }

    /// `head` + `?` + `mid` (GBK) with its first byte lost and its last trail byte lost, + `tail`.
    fn shift(head: &str, mid: &str, tail: &str) -> String {
        let bytes = GBK.encode(mid).0.into_owned();
        let mut damaged = head.as_bytes().to_vec();
        damaged.push(b'?');
        let inner = &bytes[1..bytes.len() - 1];
        damaged.extend_from_slice(GBK.decode(inner).0.as_bytes());
        damaged.push(b'?');
        damaged.extend_from_slice(tail.as_bytes());
        String::from_utf8(damaged).unwrap()
    }

    #[test]
    fn annotation_before_the_damage_and_references_in_the_syllable() {
        assert_eq!(fix("當(dāng)?shù)貤l件"), "當(dāng)地條件");
        assert_eq!(fix("當(d&#257;ng)?sh&#249;)貤l件"), "當(d&#257;ng)地條件");
        // Regression: a long multi-byte text before `)` (slicing inside a character).
        let long = format!("{}當(dāng))?shù)貤l件", "條".repeat(40));
        let _ = fix(&long);
    }

    #[test]
    fn real_question_marks_are_left_alone() {
        for s in [
            "你去哪里?我不知道。",
            "真的吗?他说是的。",
            "What?No.",
            "价格是多少?100元。",
            "??",
            "?",
            "是否?",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn utf8_read_as_gbk_after_a_question_mark_is_left_to_the_mojibake_step() {
        // `各地黨` in UTF-8 read as GBK, after a real `?`, directly or after a character.
        for text in ["部門?鍚勫湴榛", "?飽鍚勫湴榛"] {
            assert_eq!(fix(text), text);
        }
    }

    #[test]
    fn orphan_without_a_reading_is_left_for_the_garbled_step() {
        // `xyz` is no reading of any candidate character: nothing is recovered.
        assert_eq!(fix("當?xyz)貤l件"), "當?xyz)貤l件");
    }

    #[test]
    fn spans_are_reported() {
        let out = recover("西氣東輸?shù)拇?", GBK);
        assert_eq!(out.spans.len(), 1);
        assert!(out.text.starts_with("西氣東輸的"), "{}", out.text);
    }
}
