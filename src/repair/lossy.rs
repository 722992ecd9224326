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
//! ```
//! use zhclean::internals::repair::lossy::repair;
//! // `地方政府表示` in UTF-8, decoded by Python as GBK with errors="replace".
//! let damaged = "鍦版柟鏀垮簻琛ㄧず";
//! assert_eq!(repair(damaged).text, "地方政府表示");
//! ```

use pinyin::ToPinyinMulti;

use super::codepage::DoubleByte;
use super::mojibake::Fixed;
use super::pinyin::{is_reading_of, is_syllable, read_syllable};
use super::replacement::{cp936_private_use_pair, some_gbk_decoder_loses_one};
use crate::article::{RepairKind, RepairedSpan};
use crate::model::{class, model, Best, CharClass, CharModel};

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

/// A span encoded back: its tokens and where each of its characters starts.
struct Encoded {
    tokens: Vec<Token>,
    /// Per character of the span (and one more for its end): the first token.
    starts: Vec<usize>,
    /// Per character (and the end): its byte offset in the text.
    offsets: Vec<usize>,
}

impl Encoded {
    fn new(text: &str, (from, to): (usize, usize)) -> Encoded {
        let mut encoded = Encoded {
            tokens: Vec::with_capacity(to - from),
            starts: Vec::new(),
            offsets: Vec::new(),
        };
        let chars: Vec<(usize, char)> = text[from..to].char_indices().collect();
        // Continuation bytes the UTF-8 character being read still needs.
        let mut need = 0u8;
        for (n, &(i, c)) in chars.iter().enumerate() {
            encoded.starts.push(encoded.tokens.len());
            encoded.offsets.push(from + i);
            let first = encoded.tokens.len();
            if c == REPLACEMENT {
                encoded.tokens.push(Token::Lost);
            } else if c == '€' && need == 1 && continues(&chars[n + 1..], 2) {
                // `€` is the byte 0x80 for WHATWG but also the pair A2 E3 (GB18030; Java and
                // WHATWG decode it so): read as A2 E3 where that ends the character being
                // read and the next two bytes continue the one E3 starts.
                encoded
                    .tokens
                    .extend([Token::Byte(0xA2), Token::Byte(0xE3)]);
            } else if let Some(bytes) = encode(c) {
                encoded.tokens.extend(bytes.iter().map(|&b| Token::Byte(b)));
            }
            for token in &encoded.tokens[first..] {
                need = match token {
                    Token::Byte(b) => match utf8_len(*b) {
                        Some(len) => len as u8 - 1,
                        None => need.saturating_sub(1),
                    },
                    Token::Lost => need.saturating_sub(1),
                };
            }
        }
        encoded.starts.push(encoded.tokens.len());
        encoded.offsets.push(to);
        encoded
    }

    fn chars(&self) -> usize {
        self.starts.len() - 1
    }

    fn offset(&self, char_index: usize) -> usize {
        self.offsets[char_index]
    }

    /// The byte after token `at` as the wrong decoder saw it: `None` when unknown (lost too)
    /// or at the end of the span.
    fn next_byte(&self, at: usize) -> Option<Option<u8>> {
        match self.tokens.get(at + 1) {
            Some(Token::Byte(b)) => Some(Some(*b)),
            Some(Token::Lost) => None,
            // The span ends: at the end of the text the decoder met the end of its input;
            // before a character it cannot produce, nothing is known.
            None => None,
        }
    }

    /// The longest piece from character `first`: UTF-8 characters read from its tokens
    /// until they stop being valid, cut back to the last place where a UTF-8 character ends
    /// at a character boundary of the span. `None` when that is not past `first`, or the
    /// piece holds no byte of a multi-byte character.
    fn piece_from(&self, first: usize) -> Option<Piece> {
        let start = self.starts[first];
        if !matches!(self.tokens[start], Token::Byte(0xC2..=0xF4) | Token::Lost) {
            return None;
        }
        let mut slots = Vec::new();
        // The last place where a UTF-8 character ends at a character boundary, and the last
        // such place after a line break (where a piece that gets too long is cut).
        let (mut best, mut best_line) = (None, None);
        let mut char_at = first;
        let mut t = start;
        while let Some((slot, next)) = self.slot_at(t) {
            let line_break = slot == Slot::Known('\n');
            slots.push((t, slot));
            t = next;
            // Move the character index up to the token reached.
            while char_at < self.chars() && self.starts[char_at + 1] <= t {
                char_at += 1;
            }
            if self.starts[char_at] == t || (char_at == self.chars() && t == self.tokens.len()) {
                best = Some((char_at, slots.len()));
                if line_break {
                    best_line = best;
                }
            }
            if char_at - first >= MAX_PIECE {
                best = best_line.or(best);
                break;
            }
            if t >= self.tokens.len() {
                break;
            }
        }
        let (end_char, slot_count) = best?;
        slots.truncate(slot_count);
        self.trimmed(Piece {
            slots,
            first_char: first,
            end_char,
        })
    }

    /// `piece` without the characters at either end that decode to a letter of another
    /// script (what a real Han character's bytes often spell: `息` = CF A2 = `Ϣ`), cut back
    /// further to character boundaries of the span: a piece starts and ends with Chinese,
    /// ASCII or a lost byte. `None` when nothing with a multi-byte character is left.
    fn trimmed(&self, piece: Piece) -> Option<Piece> {
        let foreign = |slot: &Slot| matches!(slot, Slot::Known(c) if class(*c) == CharClass::Odd);
        let (mut lo, mut hi) = (0, piece.slots.len());
        while piece.slots.get(lo).is_some_and(|(_, slot)| foreign(slot)) {
            lo += 1;
        }
        while lo < hi && !self.aligned(&piece, lo) {
            lo += 1;
        }
        while hi > lo && foreign(&piece.slots[hi - 1].1) {
            hi -= 1;
        }
        while hi > lo && !self.aligned(&piece, hi) {
            hi -= 1;
        }
        self.sub_piece(piece, lo, hi)
    }

    /// The slots of `piece` left without the dropped characters (`dropped`: their places)
    /// at either end, as far as that leaves it on character boundaries of the span.
    fn without_dropped_ends(&self, piece: &Piece, dropped: &[usize]) -> (usize, usize) {
        let (mut lo, mut hi) = (0, piece.slots.len());
        while lo < hi && dropped.contains(&lo) && self.aligned(piece, lo + 1) {
            lo += 1;
        }
        while hi > lo && dropped.contains(&(hi - 1)) && self.aligned(piece, hi - 1) {
            hi -= 1;
        }
        (lo, hi)
    }

    /// Whether the boundary before slot `k` of `piece` (`k` = its length: its end) is a
    /// character boundary of the span.
    fn aligned(&self, piece: &Piece, k: usize) -> bool {
        let token = piece
            .slots
            .get(k)
            .map_or(self.starts[piece.end_char], |(t, _)| *t);
        self.starts.binary_search(&token).is_ok()
    }

    /// The slots `lo..hi` of `piece`, both ends on character boundaries of the span.
    fn sub_piece(&self, mut piece: Piece, lo: usize, hi: usize) -> Option<Piece> {
        if hi <= lo || !self.aligned(&piece, lo) || !self.aligned(&piece, hi) {
            return None;
        }
        let char_at = |k: usize| {
            let token = piece
                .slots
                .get(k)
                .map_or(self.starts[piece.end_char], |(t, _)| *t);
            self.starts.binary_search(&token).ok()
        };
        let (first_char, end_char) = (char_at(lo)?, char_at(hi)?);
        piece.slots.truncate(hi);
        piece.slots.drain(..lo);
        let multi_byte = piece
            .slots
            .iter()
            .any(|(_, slot)| !matches!(slot, Slot::Known(c) if c.is_ascii()));
        (end_char > first_char && multi_byte).then_some(Piece {
            slots: piece.slots,
            first_char,
            end_char,
        })
    }

    /// The UTF-8 character starting at token `t`, and the token after it; `None` where the
    /// bytes cannot be UTF-8.
    fn slot_at(&self, t: usize) -> Option<(Slot, usize)> {
        let (len, pattern_start) = match *self.tokens.get(t)? {
            Token::Byte(b) if b < 0x80 => return Some((Slot::Known(char::from(b)), t + 1)),
            Token::Byte(b) => (utf8_len(b)?, Some(b)),
            Token::Lost => {
                // A lost first byte: the continuation bytes after it say how long the
                // character was. None at all: a lost byte that cannot be placed.
                let continuations = self.tokens[t + 1..]
                    .iter()
                    .take(3)
                    .take_while(|tok| matches!(tok, Token::Byte(0x80..=0xBF)))
                    .count();
                if continuations == 0 {
                    return Some((Slot::Unplaced, t + 1));
                }
                (continuations + 1, None)
            }
        };
        let mut bytes = [None; 4];
        bytes[0] = pattern_start;
        for (i, slot) in bytes.iter_mut().enumerate().take(len).skip(1) {
            *slot = match self.tokens.get(t + i)? {
                Token::Byte(b @ 0x80..=0xBF) => Some(*b),
                Token::Lost => None,
                Token::Byte(_) => return None,
            };
        }
        let next = t + len;
        if bytes[..len].iter().all(Option::is_some) {
            let known: Vec<u8> = bytes[..len].iter().flatten().copied().collect();
            let c = std::str::from_utf8(&known).ok()?.chars().next()?;
            return Some((Slot::Known(c), next));
        }
        let candidates = self.candidates(t, &bytes[..len]);
        Some((Slot::Guess(candidates), next))
    }

    /// The characters a UTF-8 sequence with lost bytes (`None`) starting at token `t` can
    /// have been: valid UTF-8, text (no controls, no private use), and every lost byte one
    /// a replacing decoder would have rejected in front of the byte that follows it.
    fn candidates(&self, t: usize, pattern: &[Option<u8>]) -> Vec<char> {
        let len = pattern.len();
        let choices = |i: usize| -> std::ops::RangeInclusive<u8> {
            match (pattern[i], i, len) {
                (Some(b), _, _) => b..=b,
                (None, 0, 2) => 0xC2..=0xDF,
                (None, 0, 3) => 0xE0..=0xEF,
                (None, 0, _) => 0xF0..=0xF4,
                (None, _, _) => 0x80..=0xBF,
            }
        };
        let lost: Vec<usize> = (0..len).filter(|&i| pattern[i].is_none()).collect();
        // Three or more lost bytes in one character: too many to choose from.
        if lost.len() > 2 {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut bytes = [0u8; 4];
        for (i, b) in pattern.iter().enumerate() {
            bytes[i] = b.unwrap_or(0);
        }
        let first = lost[0];
        let second = lost.get(1).copied();
        for a in choices(first) {
            bytes[first] = a;
            let seconds = second.map_or(0..=0, &choices);
            for b in seconds {
                if let Some(s) = second {
                    bytes[s] = b;
                }
                let Ok(text) = std::str::from_utf8(&bytes[..len]) else {
                    continue;
                };
                let Some(c) = text.chars().next() else {
                    continue;
                };
                if c.is_control() || matches!(c as u32, 0xE000..=0xF8FF | 0xFFFD) {
                    continue;
                }
                let rejected = lost.iter().all(|&i| {
                    let next = match self.next_byte(t + i) {
                        Some(next) => next,
                        // The next byte is lost too: inside this character it is known.
                        None if i + 1 < len => Some(bytes[i + 1]),
                        None => return true,
                    };
                    some_gbk_decoder_loses_one(bytes[i], next)
                });
                if rejected {
                    found.push(c);
                }
            }
        }
        found
    }
}

/// `c`'s GBK bytes as the wrong decoder read them: `encoding_rs`'s, or for the private-use
/// characters Java's GBK gives pairs that GB18030 assigned later, those pairs.
fn encode(c: char) -> Option<Vec<u8>> {
    match DoubleByte::Gbk.encode(c) {
        Some(encoded) => Some(encoded.as_slice().to_vec()),
        None => cp936_private_use_pair(c).map(|pair| pair.to_vec()),
    }
}

/// Whether the first `n` bytes of `chars` encoded back to GBK can be UTF-8 continuation
/// bytes (a lost byte or `€` can).
fn continues(chars: &[(usize, char)], n: usize) -> bool {
    let mut bytes = chars.iter().flat_map(|&(_, c)| match c {
        REPLACEMENT | '€' => vec![0x80],
        _ => encode(c).unwrap_or_default(),
    });
    (0..n).all(|_| bytes.next().is_some_and(|b| matches!(b, 0x80..=0xBF)))
}

/// The length of the UTF-8 sequence `lead` starts; `None` for a byte no sequence starts with.
fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// One UTF-8 character of a piece.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// All its bytes were there.
    Known(char),
    /// Some were lost: what it can have been (empty: nothing valid).
    Guess(Vec<char>),
    /// A lost byte no character can be built around.
    Unplaced,
}

/// A run of UTF-8 characters read from a span, ending at a character boundary.
struct Piece {
    /// The first token of each character, and the character.
    slots: Vec<(usize, Slot)>,
    /// The span's character indices where the piece starts and ends.
    first_char: usize,
    end_char: usize,
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

/// The characters of a piece chosen: the text, the text as scored (a dropped character as
/// the U+FFFD it was, so that dropping earns nothing), and per line of the piece how many
/// characters were guessed and dropped.
struct Guessed {
    text: String,
    scored: String,
    lines: Vec<Uncertain>,
    /// The places in the piece of the dropped characters.
    dropped_at: Vec<usize>,
}

/// Characters of one line chosen among candidates, and dropped.
#[derive(Debug, Clone, Copy, Default)]
struct Uncertain {
    guessed: usize,
    dropped: usize,
}

fn guess(
    slots: &[(usize, Slot)],
    before: Option<char>,
    after: Option<char>,
    m: &CharModel,
) -> Guessed {
    let chosen = choose_characters(slots, before, after, m);
    let mut out = Guessed {
        text: String::new(),
        scored: String::new(),
        lines: vec![Uncertain::default()],
        dropped_at: Vec::new(),
    };
    for (k, ((_, slot), chosen)) in slots.iter().zip(chosen).enumerate() {
        match slot {
            Slot::Known(c) => out.push_known(*c),
            Slot::Unplaced | Slot::Guess(_) => {
                if chosen.is_none() {
                    out.dropped_at.push(k);
                }
                out.push_chosen(chosen);
            }
        }
    }
    out
}

/// The character chosen for each slot with lost bytes (`None`: dropped; `None` too for the
/// other slots).
///
/// The model reads the piece with its pinyin annotations left out (`當(dāng)X` reads `當X`),
/// and an annotation narrows the candidates of the character it annotates. Runs of
/// characters with lost bytes next to each other in that reading are chosen together
/// ([`choose_run`]), between the known characters around them.
fn choose_characters(
    slots: &[(usize, Slot)],
    before: Option<char>,
    after: Option<char>,
    m: &CharModel,
) -> Vec<Option<char>> {
    // The slots the model reads, each with the syllable of the annotation after it.
    let mut read: Vec<(usize, Option<Reading>)> = Vec::with_capacity(slots.len());
    let mut i = 0;
    while i < slots.len() {
        let annotation = annotation_after(&slots[i + 1..]);
        let skip = annotation.as_ref().map_or(0, |(_, len)| *len);
        read.push((i, annotation.map(|(reading, _)| reading)));
        i += 1 + skip;
    }
    // Whether the piece is in traditional script: some known character folds to another
    // (simplified) form. A guess takes the form of the script around it.
    let traditional = slots
        .iter()
        .any(|(_, slot)| matches!(slot, Slot::Known(c) if m.fold(*c) != *c));
    let known = |r: usize| match read.get(r).map(|&(i, _)| &slots[i].1) {
        Some(Slot::Known(c)) => Some(*c),
        Some(_) => None,
        None if r == read.len() => after,
        None => before,
    };
    let mut chosen = vec![None; slots.len()];
    let mut r = 0;
    while r < read.len() {
        if !matches!(slots[read[r].0].1, Slot::Guess(_)) {
            r += 1;
            continue;
        }
        let end = read[r..]
            .iter()
            .position(|&(i, _)| !matches!(slots[i].1, Slot::Guess(_)))
            .map_or(read.len(), |n| r + n);
        let left = match r {
            0 => before,
            _ => known(r - 1),
        };
        let pools: Vec<Pool> = read[r..end]
            .iter()
            .map(|(i, reading)| {
                let candidates = match &slots[*i].1 {
                    Slot::Guess(candidates) => candidates.as_slice(),
                    _ => &[],
                };
                Pool::new(candidates, reading.as_ref(), m)
            })
            .collect();
        let run = choose_run(&pools, left, known(end), traditional, m);
        for (&(i, _), c) in read[r..end].iter().zip(run) {
            chosen[i] = c;
        }
        r = end;
    }
    chosen
}

impl Guessed {
    fn push_known(&mut self, c: char) {
        self.text.push(c);
        self.scored.push(c);
        if c == '\n' {
            self.lines.push(Uncertain::default());
        }
    }

    fn push_chosen(&mut self, chosen: Option<char>) {
        let mut line = Uncertain::default();
        match chosen {
            Some(c) => {
                self.text.push(c);
                self.scored.push(c);
                line.guessed = 1;
            }
            None => {
                self.scored.push(REPLACEMENT);
                line.dropped = 1;
            }
        }
        if let Some(last) = self.lines.last_mut() {
            last.guessed += line.guessed;
            last.dropped += line.dropped;
        }
    }

    fn dropped(&self) -> usize {
        self.lines.iter().map(|l| l.dropped).sum()
    }
}

/// The plain syllable of a pinyin annotation `(py)` that the slots start with, when every
/// character of it is known and it is a real syllable, and how many slots it takes.
fn annotation_after(slots: &[(usize, Slot)]) -> Option<(Reading, usize)> {
    let mut known = String::new();
    let mut iter = slots.iter();
    match iter.next() {
        Some((_, Slot::Known('(' | '（'))) => {}
        _ => return None,
    }
    for (_, slot) in iter.take(9) {
        match slot {
            Slot::Known(c) => known.push(*c),
            _ => break,
        }
    }
    let syllable = read_syllable(&known)?;
    let plain = syllable.plain().to_owned();
    let written = known[..syllable.len]
        .trim_end_matches([')', '）'])
        .to_lowercase();
    let len = 1 + known[..syllable.len].chars().count();
    is_syllable(&plain).then_some((Reading { written, plain }, len))
}

/// A pinyin annotation's syllable: as written (lowercase, tone mark or number if any) and
/// plain.
#[derive(Debug, Clone)]
struct Reading {
    written: String,
    plain: String,
}

impl Reading {
    /// Of `candidates`, those read this way: with this tone when one is, else in any tone.
    fn narrow(&self, candidates: &[char]) -> Vec<char> {
        let toned: Vec<char> = candidates
            .iter()
            .copied()
            .filter(|&c| {
                c.to_pinyin_multi().is_some_and(|readings| {
                    readings.into_iter().any(|r| {
                        r.with_tone() == self.written || r.with_tone_num_end() == self.written
                    })
                })
            })
            .collect();
        if !toned.is_empty() {
            return toned;
        }
        candidates
            .iter()
            .copied()
            .filter(|&c| is_reading_of(c, self.plain.as_bytes()))
            .collect()
    }
}

/// The candidates for one character with lost bytes, and the margin its choice needs.
struct Pool {
    candidates: Vec<char>,
    margin: f64,
}

/// Most candidate sets have at most 64 characters (one lost continuation byte); two lost
/// bytes give up to 4 096, pruned to the this many most frequent before the run is solved.
const MAX_POOL: usize = 64;

impl Pool {
    /// The candidates, narrowed to those read `reading` when a pinyin annotation of this
    /// character follows (and some are).
    fn new(candidates: &[char], reading: Option<&Reading>, m: &CharModel) -> Pool {
        let read = reading.map_or_else(Vec::new, |reading| reading.narrow(candidates));
        let (mut candidates, margin) = if read.is_empty() {
            (candidates.to_vec(), GUESS_MARGIN)
        } else {
            (read, READING_MARGIN)
        };
        if candidates.len() > MAX_POOL {
            let mut scored: Vec<(f64, char)> = candidates
                .iter()
                .map(|&c| (m.logp_char(None, c), c))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidates = scored.into_iter().take(MAX_POOL).map(|(_, c)| c).collect();
        }
        Pool { candidates, margin }
    }
}

/// Chooses a run of characters with lost bytes between `left` and `right` under the bigram
/// model: each position takes the character of the most probable reading of the whole run
/// (Viterbi), and keeps it only when every reading with another character there is at
/// least its pool's margin less probable (max-marginals); otherwise that position is
/// dropped (`None`).
fn choose_run(
    pools: &[Pool],
    left: Option<char>,
    right: Option<char>,
    traditional: bool,
    m: &CharModel,
) -> Vec<Option<char>> {
    let n = pools.len();
    // forward[k][j]: best log-probability of the run up to position k with candidate j there.
    let mut forward: Vec<Vec<f64>> = Vec::with_capacity(n);
    for (k, pool) in pools.iter().enumerate() {
        let row = pool
            .candidates
            .iter()
            .map(|&c| match k {
                0 => m.logp_char(left, c),
                _ => pools[k - 1]
                    .candidates
                    .iter()
                    .zip(&forward[k - 1])
                    .map(|(&p, &f)| f + m.logp_char(Some(p), c))
                    .fold(f64::NEG_INFINITY, f64::max),
            })
            .collect();
        forward.push(row);
    }
    // backward[k][j]: best log-probability of the rest of the run after candidate j at k.
    let mut backward: Vec<Vec<f64>> = vec![Vec::new(); n];
    for k in (0..n).rev() {
        backward[k] = pools[k]
            .candidates
            .iter()
            .map(|&c| match pools.get(k + 1) {
                None => right.map_or(0.0, |r| m.logp_char(Some(c), r)),
                Some(next) => next
                    .candidates
                    .iter()
                    .zip(&backward[k + 1])
                    .map(|(&q, &b)| m.logp_char(Some(c), q) + b)
                    .fold(f64::NEG_INFINITY, f64::max),
            })
            .collect();
    }
    (0..n)
        .map(|k| {
            let scores = forward[k].iter().zip(&backward[k]).map(|(f, b)| f + b);
            let scored: Vec<(char, f64)> =
                pools[k].candidates.iter().copied().zip(scores).collect();
            // A traditional character and its simplified form score the same (the model
            // folds one onto the other): the margin is between different characters, and
            // the form is the one of the script around it.
            let mut by_character: Vec<(char, f64)> = Vec::with_capacity(scored.len());
            for &(c, score) in &scored {
                let folded = m.fold(c);
                match by_character.iter_mut().find(|(f, _)| *f == folded) {
                    Some((_, best)) => *best = best.max(score),
                    None => by_character.push((folded, score)),
                }
            }
            let mut best = Best::default();
            for (c, score) in by_character {
                best.offer(c, score);
            }
            let (best, margin) = best.with_margin()?;
            if margin < pools[k].margin {
                return None;
            }
            let forms = scored
                .iter()
                .map(|&(c, _)| c)
                .filter(|&c| m.fold(c) == best);
            forms.max_by_key(|&c| (m.fold(c) != c) == traditional)
        })
        .collect()
}

/// Log-probability of `text` between `before` and `after`, with pinyin tone letters read as
/// the plain letters they carry (the model scores Latin-1 letters as odd; a repaired
/// annotation `(shì)` must not cost more than its mojibake `(sh矛)`).
fn score(text: &str, before: Option<char>, after: Option<char>, m: &CharModel) -> f64 {
    let plain: String = text.chars().map(plain_letter).collect();
    let last = plain.chars().next_back().or(before);
    m.logp(&plain, before) + after.map_or(0.0, |a| m.logp_char(last, a))
}

/// `c` without its pinyin tone mark (`ì` → `i`, `ü` → `u`); other characters unchanged.
fn plain_letter(c: char) -> char {
    match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'ê' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'u',
        _ => c,
    }
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
