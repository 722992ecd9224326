//! Character ↔ bytes tables for GBK and Big5, for the forensics steps.
//!
//! [`recover`](super::recover) and [`mojibake`](super::mojibake) ask "what are this
//! character's GBK (or Big5) bytes?" for every character of every page they scan. Asking
//! `encoding_rs` one character at a time costs about 3 000 instructions a call (its encoders
//! are built for long strings and small tables: a call sets up an encoder, allocates the
//! output, and searches its index), which made those two steps cost ten times the rest of the
//! pipeline. `encoding_rs` has no per-character API, so this module builds the reverse table
//! once, by *decoding* every double-byte pair (cheap), and answers with one array lookup.
//!
//! Contract: [`encode`] gives exactly the bytes `encoding_rs`'s GBK or Big5 encoder gives for
//! a single character, and `None` exactly where that encoder reports the character
//! unmappable (a test checks every Unicode scalar value of the BMP). Where two byte pairs
//! decode to the same character, the encoder's own answer is taken.

use std::collections::HashMap;
use std::sync::LazyLock;

use encoding_rs::{Encoding, BIG5, GBK};

/// One encoded character: one or two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Encoded {
    bytes: [u8; 2],
    len: u8,
}

impl Encoded {
    /// A one-byte character.
    pub(crate) fn single(byte: u8) -> Encoded {
        Encoded {
            bytes: [byte, 0],
            len: 1,
        }
    }

    /// The bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The two bytes of a double-byte character; `None` for a single byte.
    pub(crate) fn pair(&self) -> Option<[u8; 2]> {
        (self.len == 2).then_some(self.bytes)
    }
}

/// A double-byte encoding's reverse table.
struct Table {
    /// `[lead, trail]` as a big-endian `u16` per BMP code point; 0 = not a double-byte
    /// character of the encoding.
    bmp: Box<[u16]>,
    /// The few characters beyond the BMP (GB18030-2022 and HKSCS additions).
    astral: HashMap<char, u16>,
    /// GBK's one single-byte non-ASCII character: `€` = 0x80.
    single: Option<(char, u8)>,
    /// What every pair `[0x81..=0xFE, 0x40..=0xFE]` decodes to, strictly, when it is one
    /// non-ASCII character (`'\0'` otherwise): byte-shift recovery tries every trail byte
    /// after a lead, and a decoder call per pair costs ~8 000 instructions.
    decoded: Box<[char]>,
}

/// Index of a pair in [`Table::decoded`].
fn pair_index(lead: u8, trail: u8) -> Option<usize> {
    match (lead, trail) {
        (0x81..=0xFE, 0x40..=0xFE) => {
            Some(usize::from(lead - 0x81) * 191 + usize::from(trail - 0x40))
        }
        _ => None,
    }
}

static GBK_TABLE: LazyLock<Table> =
    LazyLock::new(|| Table::build(GBK, 0x81, &[(0x40, 0x7E), (0x80, 0xFE)]));
// The Big5 encoder never produces HKSCS pointers below lead 0xA1 (WHATWG Encoding, "big5
// encoder"), so only leads 0xA1..=0xFE are tabled.
static BIG5_TABLE: LazyLock<Table> =
    LazyLock::new(|| Table::build(BIG5, 0xA1, &[(0x40, 0x7E), (0xA1, 0xFE)]));

impl Table {
    fn build(encoding: &'static Encoding, first_lead: u8, trails: &[(u8, u8)]) -> Table {
        let mut decoded = vec!['\0'; 126 * 191].into_boxed_slice();
        for lead in 0x81..=0xFE {
            for trail in 0x40..=0xFE {
                if let (Some(i), Some(c)) = (
                    pair_index(lead, trail),
                    decode_one(encoding, &[lead, trail]),
                ) {
                    decoded[i] = c;
                }
            }
        }
        let mut table = Table {
            bmp: vec![0u16; 0x1_0000].into_boxed_slice(),
            astral: HashMap::new(),
            single: None,
            decoded,
        };
        let mut duplicates = Vec::new();
        for lead in first_lead..=0xFE {
            for &(low, high) in trails {
                for trail in low..=high {
                    let Some(c) = table.decode_pair(lead, trail) else {
                        continue;
                    };
                    let code = u16::from_be_bytes([lead, trail]);
                    let slot = match u16::try_from(u32::from(c)) {
                        Ok(bmp) => &mut table.bmp[usize::from(bmp)],
                        Err(_) => table.astral.entry(c).or_insert(0),
                    };
                    if *slot == 0 {
                        *slot = code;
                    } else {
                        duplicates.push(c);
                    }
                }
            }
        }
        // Several pairs decode to this character: ask the encoder which one it writes (or
        // whether it refuses, as for U+E5E5 in GBK). A few dozen characters.
        for c in duplicates {
            let answer = encode_slowly(encoding, c)
                .and_then(|e| e.pair())
                .map_or(0, u16::from_be_bytes);
            match u16::try_from(u32::from(c)) {
                Ok(bmp) => table.bmp[usize::from(bmp)] = answer,
                Err(_) => {
                    table.astral.insert(c, answer);
                }
            }
        }
        // Single-pair characters the encoder still refuses (U+E5E5 in GBK).
        for c in ['\u{E5E5}'] {
            if encode_slowly(encoding, c).is_none() {
                table.bmp[c as usize] = 0;
            }
        }
        if encoding == GBK {
            table.single = Some(('€', 0x80));
            // GB18030-2022 moved 18 pairs from private-use code points to standard ones; the
            // decoder gives the new ones, the encoder still writes the pairs for the old
            // private-use code points too.
            for c in ('\u{E78D}'..='\u{E796}').chain('\u{E81E}'..='\u{E864}') {
                if table.bmp[c as usize] == 0 {
                    if let Some(pair) = encode_slowly(encoding, c).and_then(|e| e.pair()) {
                        table.bmp[c as usize] = u16::from_be_bytes(pair);
                    }
                }
            }
        }
        table
    }

    fn decode_pair(&self, lead: u8, trail: u8) -> Option<char> {
        let c = self.decoded[pair_index(lead, trail)?];
        (c != '\0').then_some(c)
    }

    #[inline]
    fn encode(&self, c: char) -> Option<Encoded> {
        if c.is_ascii() {
            return Some(Encoded {
                bytes: [c as u8, 0],
                len: 1,
            });
        }
        if let Some((single, byte)) = self.single {
            if c == single {
                return Some(Encoded {
                    bytes: [byte, 0],
                    len: 1,
                });
            }
        }
        let code = match u16::try_from(u32::from(c)) {
            Ok(bmp) => self.bmp[usize::from(bmp)],
            Err(_) => self.astral.get(&c).copied().unwrap_or(0),
        };
        (code != 0).then(|| Encoded {
            bytes: code.to_be_bytes(),
            len: 2,
        })
    }
}

/// Which double-byte encoding to encode to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DoubleByte {
    /// GBK (`encoding_rs::GBK`; the GB18030 four-byte forms are not produced).
    Gbk,
    /// Big5 (`encoding_rs::BIG5`, without HKSCS).
    Big5,
}

impl DoubleByte {
    /// The table for `encoding`, if it is GBK or Big5.
    pub(crate) fn of(encoding: &'static Encoding) -> Option<DoubleByte> {
        if encoding == GBK {
            Some(DoubleByte::Gbk)
        } else if encoding == BIG5 {
            Some(DoubleByte::Big5)
        } else {
            None
        }
    }

    /// The one non-ASCII character the pair `[lead, trail]` decodes to (strictly, exactly as
    /// `encoding_rs` decodes the two bytes alone); `None` when they are not one character.
    pub(crate) fn decode_pair(self, lead: u8, trail: u8) -> Option<char> {
        match self {
            DoubleByte::Gbk => GBK_TABLE.decode_pair(lead, trail),
            DoubleByte::Big5 => BIG5_TABLE.decode_pair(lead, trail),
        }
    }

    /// `c`'s bytes in this encoding, exactly as `encoding_rs` encodes it; `None` when the
    /// encoding cannot represent `c`. The first call builds the table (a few milliseconds).
    #[inline]
    pub(crate) fn encode(self, c: char) -> Option<Encoded> {
        match self {
            DoubleByte::Gbk => GBK_TABLE.encode(c),
            DoubleByte::Big5 => BIG5_TABLE.encode(c),
        }
    }
}

/// The one non-ASCII character `bytes` decode to, strictly.
fn decode_one(encoding: &'static Encoding, bytes: &[u8]) -> Option<char> {
    let s = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_ascii() => Some(c),
        _ => None,
    }
}

/// `encoding_rs`'s own answer for one character (the slow path the table replaces); `None`
/// when unmappable or longer than two bytes.
pub(crate) fn encode_slowly(encoding: &'static Encoding, c: char) -> Option<Encoded> {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
    match (unmappable, bytes.as_ref()) {
        (false, &[a]) => Some(Encoded {
            bytes: [a, 0],
            len: 1,
        }),
        (false, &[a, b]) => Some(Encoded {
            bytes: [a, b],
            len: 2,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table agrees with `encoding_rs` on every BMP scalar value and on the astral
    /// characters the decoders produce.
    #[test]
    fn table_matches_the_encoder_everywhere() {
        for (kind, encoding) in [(DoubleByte::Gbk, GBK), (DoubleByte::Big5, BIG5)] {
            let astral = match kind {
                DoubleByte::Gbk => GBK_TABLE.astral.keys().copied().collect::<Vec<_>>(),
                DoubleByte::Big5 => BIG5_TABLE.astral.keys().copied().collect(),
            };
            let chars = (0..=0xFFFFu32)
                .filter_map(char::from_u32)
                .chain(astral)
                .chain(['\u{20087}', '\u{1F600}']);
            for c in chars {
                let slow = encode_slowly(encoding, c);
                // The slow path reports multi-byte (GB18030 four-byte) output as unmappable
                // too: GBK never writes it.
                assert_eq!(
                    kind.encode(c),
                    slow,
                    "{} U+{:04X}",
                    encoding.name(),
                    c as u32
                );
            }
        }
    }

    #[test]
    fn pair_decoding_matches_the_decoder_everywhere() {
        for (kind, encoding) in [(DoubleByte::Gbk, GBK), (DoubleByte::Big5, BIG5)] {
            for lead in 0..=255u8 {
                for trail in 0..=255u8 {
                    assert_eq!(
                        kind.decode_pair(lead, trail),
                        decode_one(encoding, &[lead, trail]),
                        "{} {lead:02X} {trail:02X}",
                        encoding.name()
                    );
                }
            }
        }
    }

    #[test]
    fn examples() {
        assert_eq!(
            DoubleByte::Gbk.encode('數').map(|e| e.as_slice().to_vec()),
            Some(vec![0x94, 0xB5])
        );
        assert_eq!(
            DoubleByte::Big5.encode('數').map(|e| e.as_slice().to_vec()),
            Some(vec![0xBC, 0xC6])
        );
        assert_eq!(DoubleByte::Big5.encode('数'), None);
        assert_eq!(DoubleByte::Gbk.encode('€').map(|e| e.len), Some(1));
    }
}
