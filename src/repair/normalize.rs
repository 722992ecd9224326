//! Step 1: character-level normalization and layout.
//!
//! Owns everything that is about *which characters* and *which whitespace* the text is made
//! of, before any Chinese-specific repair looks at it:
//! - HTML entities (`&nbsp;` `&quot;` `&#8226;` `&amp;`, also double-escaped `&amp;quot;`)
//!   are decoded; each counts in [`Repairs::punctuation`]. Only `;`-terminated entities are
//!   decoded, so `?a=1&copy=2` in a URL stays as it is.
//! - Control characters are dropped (`\n` kept, `\t` `\r` `\x0B` `\x0C` become spaces,
//!   `\r\n` becomes `\n`), as are zero-width / invisible formatting characters (U+200B–U+200F,
//!   U+2060, U+FEFF, soft hyphen, bidi controls) and private-use characters; each counts in
//!   [`Repairs::dropped_chars`]. U+E40C, which the Sogou corpus uses as a paragraph mark, is
//!   dropped *and* becomes a paragraph break so that paragraphs do not run together.
//! - U+3000, NBSP and the other Unicode spaces become ASCII spaces (layout: not counted).
//! - Full-width digits and Latin letters (`２０１８`, `ＶＩＰ`) become ASCII; each counts in
//!   [`Repairs::punctuation`]. Full-width punctuation (`，`) is left alone: no NFKC.
//! - Runs of spaces collapse to one space, lines are trimmed, empty lines are dropped; the
//!   result is paragraphs joined by single `\n`. A single space between two Han characters is
//!   kept (`陈文 任冠元` are two names).
//!
//! ```
//! use zhclean::internals::repair::normalize::normalize;
//! use zhclean::Repairs;
//!
//! let mut repairs = Repairs::default();
//! let text = normalize("  ２０１８年&nbsp;\u{200B}ＶＩＰ\r\n\r\n第二段 ", &mut repairs);
//! assert_eq!(text, "2018年 VIP\n第二段");
//! assert_eq!(repairs.dropped_chars, 1);
//! ```

use std::borrow::Cow;

use crate::article::Repairs;

/// Normalizes characters and layout of `text` (see the module doc); adds to `repairs`.
pub fn normalize(text: &str, repairs: &mut Repairs) -> String {
    let mapped = map_chars(text, repairs);
    let decoded = decode_entities(&mapped, repairs);
    layout(&decoded)
}

/// What one input character becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mapped {
    /// Kept as it is.
    Same(char),
    /// Replaced by another character (counted as indicated by the caller's match arm).
    Replaced(char),
    /// Dropped and counted.
    Dropped,
    /// Whitespace or line structure, not counted.
    Layout(char),
}

/// Classifies one character. `\r` is handled by the caller because it needs lookahead.
#[inline]
fn classify(c: char) -> Mapped {
    match c {
        '\n' => Mapped::Same('\n'),
        ' ' => Mapped::Same(' '),
        '\t' | '\u{0B}' | '\u{0C}' => Mapped::Layout(' '),
        // Line and paragraph separators are line breaks in any sane reading.
        '\u{2028}' | '\u{2029}' => Mapped::Layout('\n'),
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Mapped::Layout(' ')
        }
        '\u{00}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Mapped::Dropped,
        // Zero-width and invisible formatting characters.
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => Mapped::Dropped,
        '０'..='９' => Mapped::Replaced(shift_full_width(c, '０', '0')),
        'Ａ'..='Ｚ' => Mapped::Replaced(shift_full_width(c, 'Ａ', 'A')),
        'ａ'..='ｚ' => Mapped::Replaced(shift_full_width(c, 'ａ', 'a')),
        _ if is_private_use(c) => Mapped::Dropped,
        _ => Mapped::Same(c),
    }
}

/// Maps a full-width character to its ASCII counterpart, given the first of each range.
fn shift_full_width(c: char, full_base: char, ascii_base: char) -> char {
    let offset = u32::from(c) - u32::from(full_base);
    char::from_u32(u32::from(ascii_base) + offset).unwrap_or(c)
}

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// The Sogou corpus writes its paragraph breaks as this private-use character.
const SOGOU_PARAGRAPH_MARK: char = '\u{E40C}';

/// Pushes the normalized form of `c` onto `out`. `\r` must not reach here.
fn push_mapped(c: char, out: &mut String, repairs: &mut Repairs) {
    match classify(c) {
        Mapped::Same(c) | Mapped::Layout(c) => out.push(c),
        Mapped::Replaced(c) => {
            repairs.punctuation += 1;
            out.push(c);
        }
        Mapped::Dropped => {
            repairs.dropped_chars += 1;
            if c == SOGOU_PARAGRAPH_MARK {
                out.push('\n');
            }
        }
    }
}

/// For each byte that starts a character: how many bytes to skip when that character is
/// certainly kept as it is, and 0 when [`classify`] may change it (or it is `\r`). The 0s are
/// the ASCII controls and the UTF-8 lead bytes of the blocks holding the non-ASCII characters
/// `classify` maps (U+0080–U+00BF, U+1680, U+2000–U+206F, U+3000, private use U+E000–U+F8FF
/// and planes 15–16, U+FEFF, the full-width digits and letters); every other lead byte gives
/// its sequence length, so [`map_chars`] steps over those characters without decoding them.
/// `classify_agrees_with_the_byte_tables` checks this against every character.
const SKIP: [u8; 256] = {
    let mut table = [1u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b {
            0x00..=0x1F | 0x7F => 0,
            0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEE | 0xEF | 0xF3 | 0xF4 => 0,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            // ASCII; continuation bytes and invalid bytes never start a character of a `str`.
            _ => 1,
        };
        b += 1;
    }
    table
};

/// The length of the character at byte `at` of `bytes` (a `str`'s bytes, `at` a character
/// boundary) when it is certainly kept as it is; 0 when [`classify`] has to decide. [`SKIP`]
/// by the first byte, and for the CJK punctuation that Chinese text is full of (`、。「」`
/// under `0xE3`, `“”—…` under `0xE2`, `，：（）！？` under `0xEF`) by the next two bytes.
#[inline]
fn kept_len(bytes: &[u8], at: usize) -> usize {
    let first = bytes[at];
    let skip = usize::from(SKIP[usize::from(first)]);
    if skip != 0 {
        return skip;
    }
    let next = (
        bytes.get(at + 1).copied().unwrap_or(0),
        bytes.get(at + 2).copied().unwrap_or(0),
    );
    let kept = match (first, next) {
        // U+3001..=U+3FFF: all but U+3000.
        (0xE3, (second, third)) => (second, third) != (0x80, 0x80),
        // U+2010..=U+2027, U+2030..=U+203F, U+2080..=U+2FFF.
        (0xE2, (0x80, 0x90..=0xA7 | 0xB0..=0xBF) | (0x82..=0xBF, _)) => true,
        // U+F900..=U+FEBF, U+FF00..=U+FF0F, U+FF1A..=U+FF20, U+FF3B..=U+FF40,
        // U+FF5B..=U+FFFF.
        (
            0xEF,
            (0xA4..=0xBA, _)
            | (0xBC, 0x80..=0x8F | 0x9A..=0xA0 | 0xBB..=0xBF)
            | (0xBD, 0x80 | 0x9B..=0xBF)
            | (0xBE..=0xBF, _),
        ) => true,
        _ => false,
    };
    if kept {
        3
    } else {
        0
    }
}

fn map_chars<'a>(text: &'a str, repairs: &mut Repairs) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    // Text up to `copied` is in `out`; runs of characters that stay as they are are copied
    // as slices (most characters of most pages), and a text that keeps every character is
    // returned as it is.
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // `at` is always a character boundary: it moves by whole characters.
        let skip = kept_len(bytes, at);
        if skip != 0 {
            at += skip;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let i = at;
        at += c.len_utf8();
        if c != '\r' && classify(c) == Mapped::Same(c) {
            continue;
        }
        out.push_str(&text[copied..i]);
        copied = at;
        if c == '\r' {
            // `\r\n` is one line break (the `\n` comes next); a lone `\r` is whitespace.
            if bytes.get(at) != Some(&b'\n') {
                out.push(' ');
            }
            continue;
        }
        push_mapped(c, &mut out, repairs);
    }
    if copied == 0 && out.is_empty() {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Longest entity body we try (`&CounterClockwiseContourIntegral;` is 32 bytes).
const MAX_ENTITY_LEN: usize = 40;

/// If `after_amp` (the text right after a `&`) starts with `name;`, `#123;` or `#x1F;` that
/// decodes to something, returns the decoded text and the number of bytes consumed.
fn entity_after_amp(after_amp: &str) -> Option<(String, usize)> {
    let body_len = after_amp
        .bytes()
        .take(MAX_ENTITY_LEN)
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'#'))?;
    if body_len == 0 || after_amp.as_bytes().get(body_len) != Some(&b';') {
        return None;
    }
    let consumed = body_len + 1;
    let candidate = format!("&{}", after_amp.get(..consumed)?);
    let decoded = html_escape::decode_html_entities(&candidate);
    if decoded == candidate {
        return None;
    }
    Some((decoded.into_owned(), consumed))
}

fn decode_entities<'a>(text: &'a str, repairs: &mut Repairs) -> Cow<'a, str> {
    if memchr::memchr(b'&', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        // A decoded `&` may start another entity (`&amp;quot;`): decode the chain so that a
        // second repair finds nothing left to do.
        loop {
            match entity_after_amp(rest) {
                Some((decoded, consumed)) => {
                    repairs.punctuation += 1;
                    rest = &rest[consumed..];
                    if decoded != "&" {
                        for c in decoded.chars() {
                            if c != '\r' {
                                push_mapped(c, &mut out, repairs);
                            }
                        }
                        break;
                    }
                }
                None => {
                    out.push('&');
                    break;
                }
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Collapses space runs, trims lines and drops empty ones: each line's non-empty pieces
/// between spaces, joined by one space; lines without any left out.
fn layout(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in split_at_byte(text, b'\n') {
        let mut pieces = split_at_byte(line, b' ').filter(|piece| !piece.is_empty());
        let Some(first) = pieces.next() else {
            continue;
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(first);
        for piece in pieces {
            out.push(' ');
            out.push_str(piece);
        }
    }
    out
}

/// `text.split(byte as char)` for an ASCII `byte`, found with `memchr` (the standard
/// library's `split` searches a word at a time; this runs over every page twice).
fn split_at_byte(text: &str, byte: u8) -> impl Iterator<Item = &str> {
    let ends = memchr::memchr_iter(byte, text.as_bytes()).chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.map(move |end| {
        // `byte` is ASCII, so `start` and `end` are character boundaries.
        let piece = &text[start..end];
        start = end + 1;
        piece
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, Repairs) {
        let mut repairs = Repairs::default();
        let out = normalize(text, &mut repairs);
        (out, repairs)
    }

    #[test]
    fn decodes_entities_and_counts_them() {
        let (out, repairs) = run("他说&quot;好&quot;&nbsp;&#8226;A&amp;B");
        assert_eq!(out, "他说\"好\" •A&B");
        assert_eq!(repairs.punctuation, 5);
    }

    #[test]
    fn decodes_double_escaped_entities_in_one_go() {
        let (out, repairs) = run("a&amp;quot;b&amp;amp;c");
        assert_eq!(out, "a\"b&c");
        assert_eq!(repairs.punctuation, 4);
        assert_eq!(run(&out).0, out);
    }

    #[test]
    fn leaves_non_entities_alone() {
        for text in [
            "http://x.cn/?a=1&copy=2",
            "A & B",
            "&&",
            "&;",
            "&unknownname;",
            "末尾&",
        ] {
            let (out, repairs) = run(text);
            assert_eq!(out, text);
            assert_eq!(repairs, Repairs::default(), "{text}");
        }
    }

    #[test]
    fn entity_output_is_normalized_too() {
        // U+3000 and a zero-width space, written as entities.
        let (out, repairs) = run("甲&#12288;乙&#8203;丙&#65297;");
        assert_eq!(out, "甲 乙丙1");
        assert_eq!(repairs.dropped_chars, 1);
        assert_eq!(repairs.punctuation, 3 + 1);
    }

    #[test]
    fn drops_control_zero_width_and_private_use() {
        let (out, repairs) =
            run("据\u{0}悉\u{7}，\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}各地\u{E000}");
        assert_eq!(out, "据悉，各地");
        assert_eq!(repairs.dropped_chars, 8);
    }

    #[test]
    fn sogou_paragraph_mark_becomes_a_break() {
        let (out, repairs) = run("ＶＩＰ车厢等。\u{E40C}论坛上，深圳");
        assert_eq!(out, "VIP车厢等。\n论坛上，深圳");
        assert_eq!(repairs.dropped_chars, 1);
        assert_eq!(repairs.punctuation, 3);
    }

    #[test]
    fn full_width_alphanumerics_to_ascii_but_not_punctuation() {
        let (out, repairs) = run("２０１２年２月，ｇｏｏｇｌｅ：Ｚ（９）");
        assert_eq!(out, "2012年2月，google：Z（9）");
        assert_eq!(repairs.punctuation, 4 + 1 + 6 + 1 + 1);
    }

    #[test]
    fn whitespace_layout() {
        let (out, repairs) =
            run(" \t第一段\u{3000}\u{3000}正文\u{A0} \r\n\r\n  \n第二段\r第三\t\t句\n\n");
        assert_eq!(out, "第一段 正文\n第二段 第三 句");
        assert_eq!(repairs, Repairs::default());
    }

    #[test]
    fn single_space_between_names_is_kept() {
        let (out, _) = run("(陈文 任冠元  蒋磊)");
        assert_eq!(out, "(陈文 任冠元 蒋磊)");
    }

    #[test]
    fn body_text_and_times_survive_unchanged() {
        let text = "2018-12-24 08:37\n中新網12月21日電 12月20日，1,000元 3.5% http://a.cn/b?c=d";
        let (out, repairs) = run(text);
        assert_eq!(out, text);
        assert_eq!(repairs, Repairs::default());
    }

    #[test]
    fn empty_and_blank_inputs() {
        assert_eq!(run("").0, "");
        assert_eq!(run(" \n\r\n\u{3000}\t").0, "");
    }

    #[test]
    fn classify_agrees_with_the_byte_tables() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10_FFFFu32).filter_map(char::from_u32) {
            let skip = kept_len(c.encode_utf8(&mut buf).as_bytes(), 0);
            if skip != 0 {
                assert_eq!(skip, c.len_utf8(), "U+{:04X}", c as u32);
                assert!(
                    c != '\r' && classify(c) == Mapped::Same(c),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn layout_agrees_with_the_character_loop() {
        fn reference(text: &str) -> String {
            let mut out = String::new();
            for line in text.split('\n') {
                let line = line.trim_matches(' ');
                if line.is_empty() {
                    continue;
                }
                if !out.is_empty() {
                    out.push('\n');
                }
                let mut after_space = false;
                for c in line.chars() {
                    if c == ' ' {
                        if !after_space {
                            out.push(' ');
                        }
                        after_space = true;
                    } else {
                        out.push(c);
                        after_space = false;
                    }
                }
            }
            out
        }
        let awkward = "  a  b \n\n \n中 文  x\n \n  \n末 ";
        for text in ["", " ", "\n", "a\n", "\na", "a b", "a\n\nb"] {
            let pieces: Vec<&str> = split_at_byte(text, b'\n').collect();
            assert_eq!(pieces, text.split('\n').collect::<Vec<_>>(), "{text:?}");
        }
        for at in 0..awkward.len() {
            if let Some(tail) = awkward.get(at..) {
                assert_eq!(layout(tail), reference(tail), "{tail:?}");
            }
        }
    }

    #[test]
    fn idempotent() {
        let text = "Ａ&amp;lt;\u{E40C}\u{3000}x &#12288; y\r\n\u{200B}z";
        let once = run(text).0;
        let (twice, repairs) = run(&once);
        assert_eq!(twice, once);
        assert_eq!(repairs, Repairs::default());
    }
}
