//! Runs of characters whose bytes in the wrong encoding (GBK, windows-1252) are valid UTF-8:
//! where UTF-8 text read with that encoding can be undone. [`utf8_subruns`] cuts a span into
//! them for the repair; [`Utf8Validator`] checks UTF-8 one byte at a time for them and for
//! [`super::gate`].

use encoding_rs::{Encoding, GBK};

use super::{encode_char, MAX_SPAN};

/// Sub-runs of a span read wrongly as `wrong` (GBK or windows-1252) whose `wrong` bytes are
/// valid UTF-8: `(start, end)` byte offsets into `span`, non-overlapping, in order.
pub(super) fn utf8_subruns(span: &str, wrong: &'static Encoding) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut from = 0;
    while let Some(run) = first_utf8_subrun(span, wrong, from, 2) {
        runs.push((run.start, run.end));
        from = run.end;
    }
    runs
}

/// A run of characters whose bytes in the wrong encoding are valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Utf8Run {
    /// Byte offsets into the text.
    pub(super) start: usize,
    pub(super) end: usize,
    /// CJK characters (U+2E80–U+9FFF, U+F900–U+FAFF, U+FF00–U+FFEF) the bytes spell.
    pub(super) cjk: usize,
}

/// The first sub-run at or after byte `from` of at least `min_chars` characters whose `wrong`
/// bytes are valid UTF-8 (the longest one starting there). Linear per start: a start that
/// fails is skipped by one character; most fail on their first byte.
pub(super) fn first_utf8_subrun(
    span: &str,
    wrong: &'static Encoding,
    from: usize,
    min_chars: usize,
) -> Option<Utf8Run> {
    for (offset, first) in span[from..].char_indices() {
        let starts_utf8 = encode_char(wrong, first)
            .is_some_and(|e| matches!(e.as_slice().first(), Some(0xC2..=0xF4)));
        if starts_utf8 {
            if let Some(run) = utf8_run_from(span, from + offset, wrong, min_chars) {
                return Some(run);
            }
        }
    }
    None
}

/// The longest run of at least `min_chars` characters from byte `start` whose `wrong` bytes
/// are valid UTF-8 (ending on a whole sequence).
fn utf8_run_from(
    span: &str,
    start: usize,
    wrong: &'static Encoding,
    min_chars: usize,
) -> Option<Utf8Run> {
    let mut utf8 = Utf8Validator::default();
    // (end byte offset, characters, CJK spelled) of the longest whole run so far.
    let mut best = None;
    for (n, (at, c)) in span[start..].char_indices().enumerate() {
        // UTF-8 read as GBK has no ASCII inside a multi-byte character, and CJK spans never
        // hold ASCII: stopping there keeps plain ASCII (`(shù)`) from passing as a "run".
        if c.is_ascii() && wrong == GBK {
            break;
        }
        let Some(encoded) = encode_char(wrong, c) else {
            break;
        };
        if !encoded.as_slice().iter().all(|&b| utf8.push(b)) {
            break;
        }
        if utf8.at_boundary() {
            best = Some((start + at + c.len_utf8(), n + 1, utf8.cjk));
        }
        if n + 1 >= MAX_SPAN {
            break;
        }
    }
    let (end, chars, cjk) = best?;
    (chars >= min_chars).then_some(Utf8Run { start, end, cjk })
}

/// A byte-at-a-time UTF-8 validator (the rules of `std::str::from_utf8`: no overlong forms,
/// no surrogates, nothing above U+10FFFF), counting the CJK characters it has seen. Written
/// here because the standard library validates whole slices only, and this runs per byte on
/// every page the gate scans.
#[derive(Debug, Default)]
pub(super) struct Utf8Validator {
    /// Continuation bytes still expected.
    need: u8,
    /// The allowed range of the next byte when it is the first continuation byte.
    next: Option<(u8, u8)>,
    code_point: u32,
    /// CJK characters (as [`Utf8Run::cjk`]) among the whole characters fed so far.
    pub(super) cjk: usize,
}

impl Utf8Validator {
    /// Feeds one byte; false when the bytes so far cannot be UTF-8.
    pub(super) fn push(&mut self, b: u8) -> bool {
        if self.need == 0 {
            let (need, next, bits) = match b {
                0x00..=0x7F => (0, None, u32::from(b)),
                0xC2..=0xDF => (1, None, u32::from(b & 0x1F)),
                0xE0 => (2, Some((0xA0, 0xBF)), 0),
                0xED => (2, Some((0x80, 0x9F)), 0xD),
                0xE1..=0xEF => (2, None, u32::from(b & 0x0F)),
                0xF0 => (3, Some((0x90, 0xBF)), 0),
                0xF1..=0xF3 => (3, None, u32::from(b & 0x07)),
                0xF4 => (3, Some((0x80, 0x8F)), 4),
                _ => return false,
            };
            self.need = need;
            self.next = next;
            self.code_point = bits;
            return true;
        }
        let (low, high) = self.next.take().unwrap_or((0x80, 0xBF));
        if !(low..=high).contains(&b) {
            return false;
        }
        self.code_point = (self.code_point << 6) | u32::from(b & 0x3F);
        self.need -= 1;
        if self.need == 0
            && matches!(self.code_point, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
        {
            self.cjk += 1;
        }
        true
    }

    /// Whether the bytes so far end on a whole character.
    pub(super) fn at_boundary(&self) -> bool {
        self.need == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_validator_agrees_with_std() {
        let samples: [&[u8]; 9] = [
            "数据".as_bytes(),
            b"\xE0\x80\x80",
            b"\xED\xA0\x80",
            b"\xF0\x8F\xBF\xBF",
            b"\xF4\x90\x80\x80",
            "😀，".as_bytes(),
            b"\xC0\xAF",
            b"\xE6\x95",
            b"a\xC2\xA9",
        ];
        for bytes in samples {
            let mut v = Utf8Validator::default();
            let ok = bytes.iter().all(|&b| v.push(b)) && v.at_boundary();
            assert_eq!(ok, std::str::from_utf8(bytes).is_ok(), "{bytes:?}");
        }
        // Every two-byte string, and every three- and four-byte string with a fixed tail.
        let mut all: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                all.push(vec![a, b]);
                all.push(vec![a, b, 0x80]);
                all.push(vec![a, b, 0xBF, 0x80]);
            }
        }
        for bytes in all {
            let mut v = Utf8Validator::default();
            let ok = bytes.iter().all(|&b| v.push(b)) && v.at_boundary();
            assert_eq!(ok, std::str::from_utf8(&bytes).is_ok(), "{bytes:?}");
        }
        let mut v = Utf8Validator::default();
        assert!("数据，a".bytes().all(|b| v.push(b)));
        assert_eq!(v.cjk, 3);
    }
}
