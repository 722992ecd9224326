//! How replacing decoders lose bytes: which byte pairs Python's, Java's and WHATWG's
//! (`encoding_rs`'s) GBK decoders reject, and how many bytes one U+FFFD stands for.
//!
//! Text decoded with the wrong double-byte encoding *and replacement* (Python
//! `bytes.decode("gbk", "replace")`, Java `new String(bytes, "GBK")`, a browser's `TextDecoder`)
//! has a U+FFFD wherever the decoder met a pair it could not map. [`lossy`](super::lossy)
//! re-encodes such text to get the original bytes back; every U+FFFD is then a gap of a known
//! length, and the bytes that can fill it are only those the decoder would have rejected in
//! front of the byte that follows. That is what this module answers.
//!
//! The conventions, measured on every pair `[0x80..=0xFF, 0x00..=0xFF]` against the real
//! decoders (CPython 3.11 `gbk`, OpenJDK 17 `GBK`, `encoding_rs` 0.8; the tables are in
//! `fixtures/decoders/`, made by `scripts/gen_decoder_tables.py`, and checked by this module's
//! tests):
//!
//! | decoder | maps | a rejected pair loses |
//! |---|---|---|
//! | Python `gbk` | CP936 without its private-use area: the user-defined rows (`AAA1`–`AFFE`, `F8A1`–`FEFE`, `A140`–`A7A0`), the pairs CP936 gives private-use code points that GB18030 later assigned (`A3A0`, `A6D9`…, `FE50`…) and `A2E3` are rejected; `0x80` and `0xFF` are rejected | its first byte (decoding goes on at the second) |
//! | Java `GBK` | everything `encoding_rs` maps, the user-defined area to private use; `0x80` and `0xFF` rejected | the first byte, or both when the second is `0xFF` |
//! | WHATWG `gbk` | GB18030's two-byte table (user-defined area to private use), `0x80` = `€` | the first byte when the second is ASCII, else both |
//!
//! UTF-8 text never holds `0xFF`, so in UTF-8 read as GBK every U+FFFD stands for one lost
//! byte, under all three conventions.

use super::codepage::DoubleByte;

/// A decoder whose replacement convention is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoder {
    /// CPython's `gbk` codec with `errors="replace"`.
    Python,
    /// Java's `GBK` charset (`new String(bytes, "GBK")`).
    Java,
    /// The WHATWG Encoding Standard's `gbk` decoder (`encoding_rs`, browsers).
    Whatwg,
}

impl Decoder {
    /// Every decoder whose convention is known.
    pub(crate) const ALL: [Decoder; 3] = [Decoder::Python, Decoder::Java, Decoder::Whatwg];
}

/// How many bytes `decoder`, reading GBK, replaces by one U+FFFD when it meets `lead` followed
/// by `next` (`None`: the input ends after `lead`); `None` when it decodes them. Only the
/// case of a byte that starts a character is asked: ASCII bytes always decode.
pub(crate) fn gbk_error_len(decoder: Decoder, lead: u8, next: Option<u8>) -> Option<u8> {
    if lead < 0x80 {
        return None;
    }
    match (decoder, lead) {
        // `€` in GB18030 and WHATWG; Python's and Java's GBK reject it.
        (Decoder::Whatwg, 0x80) => return None,
        (_, 0x80 | 0xFF) => return Some(1),
        _ => {}
    }
    let Some(next) = next else {
        // A lead byte at the end of the input.
        return Some(1);
    };
    let decoded = DoubleByte::Gbk.decode_pair(lead, next);
    let maps = match decoder {
        Decoder::Python => decoded.is_some_and(|c| {
            !is_private_use(c) && !cp936_private_use(lead, next) && (lead, next) != (0xA2, 0xE3)
        }),
        Decoder::Java | Decoder::Whatwg => decoded.is_some(),
    };
    if maps {
        return None;
    }
    let both = match decoder {
        Decoder::Python => false,
        Decoder::Java => next == 0xFF,
        Decoder::Whatwg => !next.is_ascii(),
    };
    Some(if both { 2 } else { 1 })
}

/// Whether some known decoder replaces `lead` alone by a U+FFFD when `next` follows it: the
/// test a byte must pass to fill a one-byte gap.
pub(crate) fn some_gbk_decoder_loses_one(lead: u8, next: Option<u8>) -> bool {
    Decoder::ALL
        .iter()
        .any(|&d| gbk_error_len(d, lead, next) == Some(1))
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF)
}

/// Pairs that CP936 (Python's and Java's GBK) maps to private-use code points and GB18030
/// (hence `encoding_rs`) to characters assigned later: vertical forms, ideographic description
/// characters, CJK radicals and a few extension-A characters. Java decodes them to private
/// use, Python rejects them.
fn cp936_private_use(lead: u8, trail: u8) -> bool {
    matches!(
        (lead, trail),
        (0xA3, 0xA0)
            | (0xA6, 0xD9..=0xDF | 0xEC | 0xED | 0xF3)
            | (0xA8, 0xBC | 0xBF)
            | (0xA9, 0x89..=0x95)
            | (0xFE, 0x50..=0xA0)
    )
}

/// The pair CP936 (Java's GBK) decodes to the private-use character `c`, for the characters
/// [`cp936_private_use`] covers: GB18030 assigned those pairs standard characters, so
/// `encoding_rs` does not write most of them back. Linear in the trail byte, as the
/// private-use area was laid out (0x7F is no trail byte).
pub(crate) fn cp936_private_use_pair(c: char) -> Option<[u8; 2]> {
    let code = c as u32;
    let (lead, first_trail, first_code) = match code {
        0xE5E5 => return Some([0xA3, 0xA0]),
        0xE78D..=0xE793 => (0xA6, 0xD9, 0xE78D),
        0xE794..=0xE795 => (0xA6, 0xEC, 0xE794),
        0xE796 => (0xA6, 0xF3, 0xE796),
        0xE7C7 => return Some([0xA8, 0xBC]),
        0xE7C8 => return Some([0xA8, 0xBF]),
        0xE7E7..=0xE7F3 => (0xA9, 0x89, 0xE7E7),
        0xE815..=0xE864 => (0xFE, 0x50, 0xE815),
        _ => return None,
    };
    let mut trail = first_trail + u8::try_from(code - first_code).ok()?;
    if first_trail < 0x7F && trail >= 0x7F {
        trail += 1;
    }
    Some([lead, trail])
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GBK;

    /// What a decoder did with every pair, in the format of `fixtures/decoders/` (see
    /// `scripts/gen_decoder_tables.py`): per first byte 0x80..=0xFF a line, per second byte
    /// a class: `.` one character, `1` U+FFFD then the second byte decoded again, `2` U+FFFD
    /// for both, `o` anything else.
    fn stored_table(file: &str) -> Vec<Vec<u8>> {
        let path = format!("{}/fixtures/decoders/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let rows: Vec<Vec<u8>> = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| line.as_bytes().to_vec())
            .collect();
        assert_eq!(rows.len(), 128, "{file}");
        assert!(rows.iter().all(|row| row.len() == 256), "{file}");
        rows
    }

    /// The same table for `encoding_rs`'s GBK decoder (the WHATWG one), made here.
    fn whatwg_table() -> Vec<Vec<u8>> {
        let decode = |bytes: &[u8]| GBK.decode_without_bom_handling(bytes).0.into_owned();
        (0x80..=0xFFu8)
            .map(|first| {
                (0..=0xFFu8)
                    .map(|second| {
                        let pair = decode(&[first, second, b'Z', b'Z']);
                        let alone = decode(&[second, b'Z', b'Z']);
                        let head = pair.strip_suffix("ZZ");
                        if pair == format!("\u{FFFD}{alone}") {
                            b'1'
                        } else if pair == "\u{FFFD}ZZ" {
                            b'2'
                        } else if head.is_some_and(|h| h.chars().count() == 1 && h != "\u{FFFD}") {
                            b'.'
                        } else {
                            b'o'
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn conventions_agree_with_the_real_decoders_on_every_pair() {
        for (decoder, table) in [
            (Decoder::Python, stored_table("gbk_python.txt")),
            (Decoder::Java, stored_table("gbk_java.txt")),
            (Decoder::Whatwg, whatwg_table()),
        ] {
            for (row, lead) in table.iter().zip(0x80..=0xFFu8) {
                for (&class, trail) in row.iter().zip(0..=0xFFu8) {
                    let expected = match class {
                        b'1' => Some(1),
                        b'2' => Some(2),
                        // `.` and WHATWG's `€` followed by the second byte (`o`).
                        _ => None,
                    };
                    assert_eq!(
                        gbk_error_len(decoder, lead, Some(trail)),
                        expected,
                        "{decoder:?} {lead:02X} {trail:02X} {}",
                        class as char
                    );
                }
            }
        }
    }

    /// Every private-use character Java's GBK decodes a pair to is encoded back to that pair,
    /// by `encoding_rs` or by [`cp936_private_use_pair`].
    #[test]
    fn java_private_use_characters_encode_back() {
        let path = format!(
            "{}/fixtures/decoders/gbk_java_private_use.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut rows = 0;
        for line in text.lines().filter(|line| !line.starts_with('#')) {
            let (pair, code) = line.split_once(' ').unwrap();
            let pair = u16::from_str_radix(pair, 16).unwrap().to_be_bytes();
            let c = char::from_u32(u32::from_str_radix(code, 16).unwrap()).unwrap();
            let encoded = DoubleByte::Gbk
                .encode(c)
                .and_then(|e| e.pair())
                .or_else(|| cp936_private_use_pair(c));
            assert_eq!(encoded, Some(pair), "U+{:04X}", c as u32);
            rows += 1;
        }
        assert!(rows > 2000, "{rows}");
    }

    #[test]
    fn utf8_continuation_bytes_are_lost_one_at_a_time() {
        // What UTF-8 read as GBK can meet: a continuation byte before a lead, another
        // continuation or ASCII. Python rejects the user-defined rows that Java and WHATWG
        // map to private use.
        assert_eq!(gbk_error_len(Decoder::Python, 0xAD, Some(0xE5)), Some(1));
        assert_eq!(gbk_error_len(Decoder::Java, 0xAD, Some(0xE5)), None);
        assert_eq!(gbk_error_len(Decoder::Whatwg, 0xAD, Some(b'(')), Some(1));
        assert_eq!(gbk_error_len(Decoder::Whatwg, 0x80, Some(b'(')), None);
        assert!(some_gbk_decoder_loses_one(0xAD, Some(0xE5)));
        assert!(!some_gbk_decoder_loses_one(0xB8, Some(0xAD)));
    }
}
