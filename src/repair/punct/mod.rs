//! Step 4: ASCII punctuation in Chinese context becomes full width.
//!
//! Owns the choice between `, : ; ! ? ( )` and `， ： ； ！ ？ （ ）`. Rules, applied per line:
//! - A `(`…`)` pair (matched, nesting allowed) becomes `（`…`）` when its content has a Han
//!   character or the last non-space character before `(` is CJK: `(記者孫紅麗)` →
//!   `（記者孫紅麗）`, `系統(5G)健康` → `系統（5G）健康`. A pair with one side already full width
//!   (`（5G)`) gets the other side converted. `(AI)` in an English sentence stays.
//! - `, : ; ! ?` becomes full width when the last non-space character before it is CJK (Han,
//!   CJK punctuation, `“ ”`), or when the character right after it is CJK (`GDP,增长`).
//!   Between ASCII characters nothing changes: `08:37`, `1,000`, `http://`, `What?`.
//!
//! Spaces around a converted mark are left as they are. Each converted character counts in
//! [`Repairs::punctuation`].
//!
//! ```
//! use zhclean::internals::repair::punct::to_full_width;
//! use zhclean::Repairs;
//!
//! let mut repairs = Repairs::default();
//! let text = to_full_width("據悉,系統(5G)健康 08:37", &mut repairs);
//! assert_eq!(text, "據悉，系統（5G）健康 08:37");
//! assert_eq!(repairs.punctuation, 3);
//! ```
//!
//! This file owns the public conversion, the text-wide loop over lines and what a candidate
//! is; `line.rs` owns the walk that decides the candidates of one line (one bit per
//! candidate, and the parenthesis matching); `tests.rs` holds the character-level
//! definition that walk must equal and the tests that compare them.

mod line;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use crate::article::Repairs;
use line::{Buffers, Line};

/// Converts ASCII punctuation in Chinese context to full width; adds to `repairs`.
#[cfg(any(test, feature = "internals"))]
pub fn to_full_width(text: &str, repairs: &mut Repairs) -> String {
    convert(text, repairs).into_owned()
}

/// [`to_full_width`], borrowing `text` back when nothing changes (the pipeline's form).
///
/// Works on the *candidates* of each line, its ASCII marks and parentheses, rather than on
/// its characters: only a candidate can change, and every decision reads the character
/// before or after one, or (for a pair) whether a Han character lies between two
/// parentheses. So lines without a candidate are skipped after SIMD byte searches. On the
/// others one walk decides every candidate ([`Line::decide`]): a byte scan that stops at the
/// candidates (in UTF-8 an ASCII byte is always that ASCII character) and decodes the
/// characters next to one where needed, or, on a line with an ASCII parenthesis, a walk over
/// the characters, for the Han characters inside its pairs and its full-width parentheses
/// (which can pair with ASCII ones). A second byte scan writes the converted line.
///
/// Memory: the decisions take one bit per candidate ([`line::Converted`]), and a line with
/// an ASCII parenthesis at most three bytes per parenthesis besides ([`Buffers`]). Nothing
/// is kept per character or per mark: a line of ten million `:` costs 1.25 MB here, besides
/// the text written.
///
/// The rules are those of the character-level definition kept in `tests.rs`
/// (`reference_convert_line`), which `marks_agree_with_the_character_level_definition`
/// compares on generated lines.
pub(crate) fn convert<'a>(text: &'a str, repairs: &mut Repairs) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    if !has_candidate(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    // Text before `copied` is in `out` (once something has changed).
    let mut copied = 0;
    let mut buffers = Buffers::default();
    let mut line_start = 0;
    while line_start <= bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |at| line_start + at);
        // Most lines of simplified pages have no ASCII mark: SIMD searches say so.
        if has_candidate(&bytes[line_start..line_end]) {
            let line = Line {
                text,
                start: line_start,
                end: line_end,
            };
            line.decide(&mut buffers);
            let converted = &buffers.converted;
            let count = converted.count();
            if count > 0 {
                repairs.punctuation += count;
                let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
                for (k, at) in line.candidates().enumerate() {
                    if converted.get(k) {
                        out.push_str(&text[copied..at]);
                        out.push(full_width(bytes[at]));
                        copied = at + 1;
                    }
                }
            }
        }
        line_start = line_end + 1;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Does `bytes` hold a candidate, one of the ASCII marks or parentheses this step converts?
/// Byte searches: in UTF-8 an ASCII byte is always that ASCII character, never part of
/// another one.
fn has_candidate(bytes: &[u8]) -> bool {
    memchr::memchr3(b',', b':', b';', bytes).is_some()
        || memchr::memchr3(b'!', b'?', b'(', bytes).is_some()
        || memchr::memchr(b')', bytes).is_some()
}

const fn is_candidate(byte: u8) -> bool {
    matches!(byte, b',' | b':' | b';' | b'!' | b'?' | b'(' | b')')
}

/// The full-width form of a candidate.
fn full_width(candidate: u8) -> char {
    match candidate {
        b'(' => '（',
        b')' => '）',
        mark => full_width_mark(char::from(mark)).unwrap_or(char::from(mark)),
    }
}

fn full_width_mark(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '!' => '！',
        '?' => '？',
        _ => return None,
    })
}
