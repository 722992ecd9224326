//! Step 2 of the repair, *parse*: a span encoded back to GBK ([`Encoded`], a lost byte where
//! each U+FFFD stood) read as UTF-8 with the lost bytes as wildcards, into pieces of
//! characters and slots (a character whose bytes are known, or one with candidates).

use super::*;

/// A span encoded back: its tokens and where each of its characters starts.
pub(super) struct Encoded {
    pub(super) tokens: Vec<Token>,
    /// Per character of the span (and one more for its end): the first token.
    pub(super) starts: Vec<usize>,
    /// Per character (and the end): its byte offset in the text.
    pub(super) offsets: Vec<usize>,
}

impl Encoded {
    pub(super) fn new(text: &str, (from, to): (usize, usize)) -> Encoded {
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

    pub(super) fn chars(&self) -> usize {
        self.starts.len() - 1
    }

    pub(super) fn offset(&self, char_index: usize) -> usize {
        self.offsets[char_index]
    }

    /// The byte after token `at` as the wrong decoder saw it: `None` when unknown (lost too)
    /// or at the end of the span.
    pub(super) fn next_byte(&self, at: usize) -> Option<Option<u8>> {
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
    pub(super) fn piece_from(&self, first: usize) -> Option<Piece> {
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
    pub(super) fn trimmed(&self, piece: Piece) -> Option<Piece> {
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
    pub(super) fn without_dropped_ends(&self, piece: &Piece, dropped: &[usize]) -> (usize, usize) {
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
    pub(super) fn aligned(&self, piece: &Piece, k: usize) -> bool {
        let token = piece
            .slots
            .get(k)
            .map_or(self.starts[piece.end_char], |(t, _)| *t);
        self.starts.binary_search(&token).is_ok()
    }

    /// The slots `lo..hi` of `piece`, both ends on character boundaries of the span.
    pub(super) fn sub_piece(&self, mut piece: Piece, lo: usize, hi: usize) -> Option<Piece> {
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
    pub(super) fn slot_at(&self, t: usize) -> Option<(Slot, usize)> {
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
    pub(super) fn candidates(&self, t: usize, pattern: &[Option<u8>]) -> Vec<char> {
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
pub(super) fn encode(c: char) -> Option<Vec<u8>> {
    match DoubleByte::Gbk.encode(c) {
        Some(encoded) => Some(encoded.as_slice().to_vec()),
        None => cp936_private_use_pair(c).map(|pair| pair.to_vec()),
    }
}

/// Whether the first `n` bytes of `chars` encoded back to GBK can be UTF-8 continuation
/// bytes (a lost byte or `€` can).
pub(super) fn continues(chars: &[(usize, char)], n: usize) -> bool {
    let mut bytes = chars.iter().flat_map(|&(_, c)| match c {
        REPLACEMENT | '€' => vec![0x80],
        _ => encode(c).unwrap_or_default(),
    });
    (0..n).all(|_| bytes.next().is_some_and(|b| matches!(b, 0x80..=0xBF)))
}

/// The length of the UTF-8 sequence `lead` starts; `None` for a byte no sequence starts with.
pub(super) fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// One UTF-8 character of a piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Slot {
    /// All its bytes were there.
    Known(char),
    /// Some were lost: what it can have been (empty: nothing valid).
    Guess(Vec<char>),
    /// A lost byte no character can be built around.
    Unplaced,
}

/// A run of UTF-8 characters read from a span, ending at a character boundary.
pub(super) struct Piece {
    /// The first token of each character, and the character.
    pub(super) slots: Vec<(usize, Slot)>,
    /// The span's character indices where the piece starts and ends.
    pub(super) first_char: usize,
    pub(super) end_char: usize,
}
