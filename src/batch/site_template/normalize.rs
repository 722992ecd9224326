//! What the stage compares: each body line normalised (whitespace dropped, ASCII
//! lower-cased, ASCII digits folded to `0`) and hashed. The normalisation is the stage's
//! hot loop, so [`push_normalized`] is written for speed; its plain definition (one character
//! at a time) and the plain test of which bytes it looks at stand in the tests, which compare
//! them on every character in context.

use std::hash::Hasher;

/// The hash of the whole `body` and of each of its `\n`-separated lines (`None` for a blank
/// line), of the text normalised once by [`push_normalized`].
pub(super) fn body_hashes(body: &str) -> (u64, Vec<Option<u64>>) {
    let bytes = body.as_bytes();
    let mut normalized = Vec::with_capacity(bytes.len());
    let mut lines = Vec::new();
    let mut line_start = 0;
    // The lines `str::split('\n')` gives, ends found by memchr (many bytes at a time).
    for line_end in memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]) {
        let start = normalized.len();
        push_normalized(&body[line_start..line_end], &mut normalized);
        // Normalising drops exactly the whitespace, so nothing is left of a blank line.
        lines.push((normalized.len() > start).then(|| hash_bytes(&normalized[start..])));
        line_start = line_end + 1;
    }
    // Line breaks are whitespace: the lines' normalised bytes, back to back, are the body's.
    (hash_bytes(&normalized), lines)
}

/// The content hash of normalised text: foldhash's quality variant with a fixed seed.
///
/// Two different paragraphs with the same hash would make one stand for the other (a real
/// paragraph removed as a template), so the hash must not collide by accident across
/// millions of paragraphs: foldhash-q is strong on its full 64 bits (it passes SMHasher3)
/// and reads 16–96 bytes per step, where SipHash (std's `DefaultHasher`, used before) reads
/// 8 and cost a third of this stage. foldhash is already in the build (through hashbrown).
/// The seed is fixed, so runs are reproducible; like `DefaultHasher::new()`'s fixed keys,
/// that leaves deliberate collisions possible, which give a page author no power they lack:
/// repeating a paragraph on K pages of a host makes it a template anyway. The values are
/// only compared within one run, never written out.
pub(super) fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    const STATE: foldhash::quality::FixedState =
        foldhash::quality::FixedState::with_seed(0x7a68_636c_6561_6e00);
    let mut hasher = STATE.build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

/// Appends `text` to `out` normalised for matching: whitespace dropped, ASCII lower-cased,
/// ASCII digits folded to `0` (so "© 2018" and "© 2019" footers match).
///
/// Most bytes are copied as they are, so only the bytes that may change are looked at and
/// the runs between them are copied whole. The text goes 16 bytes at a time: a chunk with no
/// candidates at all (`tests::candidates`; most chunks of Chinese text) is passed in a few
/// vector instructions ([`any_candidate`]); in the others the candidates' positions come from
/// [`candidate_flags`], and each is checked exactly. A lead byte that may start a whitespace
/// character is checked against the few byte sequences that are whitespace
/// ([`unicode_whitespace_len`]) without decoding the character. Continuation bytes are never
/// candidates, so the tail of a whitespace character, even in the next chunk, is never one.
pub(super) fn push_normalized(text: &str, out: &mut Vec<u8>) {
    let text = text.as_bytes();
    let mut copied_to = 0;
    let (chunks, rest) = text.as_chunks::<CHUNK>();
    let mut chunk_start = 0;
    for chunk in chunks {
        if any_candidate(chunk) {
            normalize_chunk(text, chunk, chunk_start, &mut copied_to, out);
        }
        chunk_start += CHUNK;
    }
    // The last, short chunk, padded with a byte that is no candidate.
    let mut last = [b'a'; CHUNK];
    last[..rest.len()].copy_from_slice(rest);
    normalize_chunk(text, &last, chunk_start, &mut copied_to, out);
    out.extend_from_slice(&text[copied_to..]);
}

/// [`push_normalized`]'s work on the chunk of `text` at `chunk_start` (`chunk`, its bytes)
/// that holds a candidate: each candidate that changes is written to `out` after the bytes
/// before it not yet copied, and `copied_to` moves past it.
fn normalize_chunk(
    text: &[u8],
    chunk: &[u8; CHUNK],
    chunk_start: usize,
    copied_to: &mut usize,
    out: &mut Vec<u8>,
) {
    for (half, word) in chunk.as_chunks::<8>().0.iter().enumerate() {
        let mut flags = candidate_flags(u64::from_le_bytes(*word));
        while flags != 0 {
            let at = chunk_start + half * 8 + flags.trailing_zeros() as usize / 8;
            flags &= flags - 1;
            let byte = text[at];
            let (width, replacement) = match byte {
                // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed,
                // carriage return, space.
                b'\t'..=b'\r' | b' ' => (1, None),
                b'0'..=b'9' => (1, Some(b'0')),
                b'A'..=b'Z' => (1, Some(byte.to_ascii_lowercase())),
                _ => match unicode_whitespace_len(&text[at..]) {
                    // Kept as it is (other ASCII, a character that is not whitespace).
                    0 => continue,
                    width => (width, None),
                },
            };
            out.extend_from_slice(&text[*copied_to..at]);
            out.extend(replacement);
            *copied_to = at + width;
        }
    }
}

/// Bytes [`push_normalized`] takes at a time.
const CHUNK: usize = 16;

/// Whether any byte of `chunk` is one of the candidates (`tests::candidates`); written as comparisons over a
/// fixed array, which the compiler makes a few vector instructions of.
fn any_candidate(chunk: &[u8; CHUNK]) -> bool {
    chunk.iter().fold(false, |any, &byte| {
        any | (byte < b'[') | (byte ^ 0xE0 < 4) | (byte == 0xC2)
    })
}

/// The high bit of each byte of `word` that is one of the candidates (`tests::candidates`), and no other bit.
/// Each test works within each byte, with no carry or borrow between them: for `n <= 0x80`,
/// `((b & 0x7F) | 0x80) - n` keeps its high bit exactly when `b & 0x7F >= n`, so a clear high
/// bit there and in `b` itself means `b < n`.
fn candidate_flags(word: u64) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    let below = |x: u64, n: u8| !((((x & !HIGH) | HIGH) - ONES * u64::from(n)) | x) & HIGH;
    below(word, b'[') | below(word ^ (ONES * 0xE0), 4) | below(word ^ (ONES * 0xC2), 1)
}

/// The length of the whitespace character `text` starts with, if it starts with a non-ASCII
/// one (`char::is_whitespace`: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000), else 0. `text` is UTF-8 from a character boundary, so a lead
/// byte is followed by its continuation bytes.
fn unicode_whitespace_len(text: &[u8]) -> usize {
    match text {
        [0xC2, 0x85 | 0xA0, ..] => 2,
        [0xE1, 0x9A, 0x80, ..]
        | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
        | [0xE2, 0x81, 0x9F, ..]
        | [0xE3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Hash of a paragraph after normalisation.
    pub(crate) fn hash_text(text: &str) -> u64 {
        let mut normalized = Vec::with_capacity(text.len());
        push_normalized(text, &mut normalized);
        hash_bytes(&normalized)
    }

    /// The bytes that may be ones [`push_normalized`] changes: every ASCII byte below `[`
    /// (controls, space, digits, capitals, some punctuation) and the lead bytes that may start a
    /// non-ASCII whitespace character (0xC2 and 0xE1–0xE3, see
    /// [`crate::model::may_start_whitespace`]; 0xE0 comes along, being cheaper to include than
    /// to leave out). A superset of what changes, with no continuation byte (0x80–0xBF).
    fn candidates(byte: u8) -> bool {
        byte < b'[' || byte ^ 0xE0 < 4 || byte == 0xC2
    }

    /// [`push_normalized`] by its definition: one character at a time.
    fn push_normalized_slowly(text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            if c.is_whitespace() {
                continue;
            }
            let c = if c.is_ascii_digit() {
                '0'
            } else {
                c.to_ascii_lowercase()
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    #[test]
    fn fast_normalisation_matches_one_character_at_a_time_for_every_character() {
        let mut text = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            // At every offset in its 32-byte chunk, and across chunk ends.
            text.clear();
            text.push_str(&"a".repeat(u32::from(c) as usize % 37));
            text.push('A');
            text.push(c);
            text.push_str("中 1");
            text.push(c);
            text.push_str("中文。");
            text.push(c);
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            push_normalized(&text, &mut fast);
            push_normalized_slowly(&text, &mut slow);
            assert_eq!(fast, slow, "{c:?} (U+{:04X})", u32::from(c));
        }
    }

    #[test]
    fn fast_normalisation_matches_at_every_place_in_and_across_chunks() {
        // Every whitespace character, the characters sharing their lead bytes, and the
        // bytes normalisation changes, at every offset of two chunks and on chunk ends.
        let specials = (0..0x100u32)
            .chain(0x1600..0x1700)
            .chain(0x2000..0x2100)
            .chain(0x3000..0x3040)
            .chain([0x4E2D, 0xFF0C, 0xFFFF, 0x1_0000, 0x10_FFFF])
            .filter_map(char::from_u32);
        for c in specials {
            for at in 0..2 * CHUNK + 3 {
                let mut text = "中".repeat(at / 3) + &"a".repeat(at % 3);
                text.push(c);
                text.push_str("中文");
                text.push(c);
                text.push_str(&"中".repeat(at % 13));
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                push_normalized(&text, &mut fast);
                push_normalized_slowly(&text, &mut slow);
                assert_eq!(fast, slow, "{c:?} (U+{:04X}) at {at}", u32::from(c));
            }
        }
    }

    #[test]
    fn candidates_cover_every_byte_that_may_change_and_no_continuation_byte() {
        for byte in 0..=u8::MAX {
            let may_change = byte.is_ascii_digit()
                || byte.is_ascii_uppercase()
                || crate::model::may_start_whitespace(byte);
            assert!(!may_change || candidates(byte), "{byte:#04x}");
            assert!(
                !(0x80..0xC0).contains(&byte) || !candidates(byte),
                "{byte:#04x}"
            );
        }
    }

    #[test]
    fn candidates_are_found_in_any_company_at_every_place() {
        let expected = |bytes: &[u8]| -> u64 {
            bytes.iter().enumerate().fold(0, |flags, (index, &byte)| {
                flags | u64::from(candidates(byte)) << (8 * index + 7)
            })
        };
        crate::testing::for_each_byte_among_others::<CHUNK>(|chunk, byte, other| {
            assert_eq!(
                any_candidate(chunk),
                chunk.iter().any(|&b| candidates(b)),
                "{byte:#04x} among {other:#04x}"
            );
            for word in chunk.chunks_exact(8) {
                let flags = candidate_flags(u64::from_le_bytes(word.try_into().unwrap()));
                assert_eq!(flags, expected(word), "{byte:#04x} among {other:#04x}");
            }
        });
    }

    #[test]
    fn hashes_ignore_whitespace_case_and_digits() {
        assert_eq!(hash_text("© 2018 Sina"), hash_text("©2019\tsina\u{3000}"));
        assert_ne!(hash_text("关注我们"), hash_text("关注他们"));
        let (body, lines) = body_hashes("关注我们 2018\n \u{3000}\n\n正文。");
        assert_eq!(body, hash_text("关注我们2019正文。"));
        assert_eq!(
            lines,
            [
                Some(hash_text("关注我们 2019")),
                None,
                None,
                Some(hash_text("正文。"))
            ]
        );
    }
}
