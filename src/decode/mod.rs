//! Decode stage: raw bytes in, Unicode text out, with a report of how it was decided.
//!
//! Evidence is weighed in this order:
//! 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE);
//! 2. a charset the caller passes from outside (HTTP `Content-Type`, e.g. from a WARC record);
//! 3. a charset declared inside the bytes (`<meta charset>` / `http-equiv` in the first 4 KiB);
//! 4. statistical detection with `chardetng` (no domain hint);
//! 5. where those are not reliable, the candidates' own reading: how many malformed sequences
//!    each decoding has and how Chinese its text is under [`crate::model`].
//!
//! Declarations lie on real pages, so a declaration is checked against the bytes: bytes that
//! are valid UTF-8 (with non-ASCII in them) are read as UTF-8 whatever was declared, and a
//! UTF-8 declaration over bytes that are not valid UTF-8 falls through to detection. A
//! declaration (or a UTF-8 BOM) whose decoding has malformed sequences, and a `chardetng` guess
//! that is a single-byte encoding or has malformed sequences (`chardetng` drops a candidate at
//! its first error, so a GBK page with one cut character comes back as windows-1252), are
//! weighed against GBK, Big5, UTF-8 and UTF-16 ([`Evidence::Weighed`]): another candidate
//! wins when at most one character in [`MAX_MALFORMED_SHARE`] of it is malformed, its Han
//! characters are common ones (mojibake is made of rare ones), and it is more probable text
//! per byte under the model. UTF-16 without a BOM is recognised by its pattern of NUL bytes
//! (ASCII-heavy text), or by the high bytes of CJK text and then weighed the same way.
//!
//! Contract: [`decode`] never panics. Malformed sequences become U+FFFD and are counted in
//! [`Decoded::malformed`]. Empty input and input that is clearly not text (image, archive or
//! executable signatures, a high share of NUL or other control bytes) are errors, not empty
//! text. NUL bytes padding the end of the input are not part of it.
//!
//! ```
//! use zhclean::internals::decode::{decode, Evidence, Hint};
//! let gbk = encoding_rs::GBK.encode("据住房和城乡建设部官网消息，按照完全自愿原则").0;
//! let decoded = decode(&gbk, &Hint::default()).unwrap();
//! assert_eq!(decoded.text, "据住房和城乡建设部官网消息，按照完全自愿原则");
//! assert_eq!(decoded.encoding.name(), "GBK");
//! assert_eq!(decoded.evidence, Evidence::Detected);
//! ```

use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, BIG5, GBK, UTF_16BE, UTF_16LE, UTF_8};
use regex::bytes::Regex;

use crate::error::{Error, Result};
use crate::model::{is_han, model};

/// How many leading bytes are searched for a `<meta charset>` declaration. Browsers use 1024;
/// scraped pages often carry long comment or script blocks first, so we look a little further.
const META_SCAN_BYTES: usize = 4096;

/// Evidence from outside the bytes that the caller can pass in.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hint<'a> {
    /// An HTTP `Content-Type` header value (`text/html; charset=gbk`) or a bare charset label.
    pub content_type: Option<&'a str>,
}

/// Which piece of evidence decided the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// A byte-order mark.
    Bom,
    /// The caller's `Content-Type` charset.
    ContentType,
    /// A `<meta>` charset declaration in the bytes.
    MetaCharset,
    /// Bytes are valid UTF-8, overriding a declaration that said otherwise (or confirming no
    /// declaration was needed).
    ValidUtf8,
    /// UTF-16 recognised by its byte pattern (NULs of ASCII, or the high bytes of CJK text),
    /// without a BOM.
    Utf16Pattern,
    /// `chardetng`'s statistical guess.
    Detected,
    /// Candidates weighed by their malformed sequences and how Chinese their text reads,
    /// where neither a declaration nor `chardetng` was reliable (see the module doc).
    Weighed,
}

/// Text decoded from bytes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, BOM removed.
    pub text: String,
    /// The encoding actually used.
    pub encoding: &'static Encoding,
    /// What decided it.
    pub evidence: Evidence,
    /// Number of malformed byte sequences (each replaced by one U+FFFD).
    pub malformed: usize,
}

/// Decodes `bytes` to text, weighing the evidence as described in the module doc.
///
/// # Errors
/// [`Error::EmptyInput`] for empty or all-whitespace input; [`Error::NotText`] for binary data.
pub fn decode(bytes: &[u8], hint: &Hint<'_>) -> Result<Decoded> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyInput);
    }
    let input = Unpadded::new(bytes)?;
    let bytes = input.bytes;
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        if encoding != UTF_8 {
            return finish(&input.utf16[bom_len..], encoding, Evidence::Bom);
        }
        let rest = &bytes[bom_len..];
        let decoded = finish(rest, encoding, Evidence::Bom)?;
        // A UTF-8 BOM in front of bytes that are not UTF-8: a converter added it without
        // converting (GBK with a BOM gives thousands of malformed sequences).
        if decoded.malformed > 0 {
            return weigh(rest, &input.utf16[bom_len..], decoded);
        }
        return Ok(decoded);
    }
    if let Some(encoding) = utf16_by_nul_pattern(input.utf16) {
        return finish(input.utf16, encoding, Evidence::Utf16Pattern);
    }
    reject_binary(bytes)?;

    let declared = hint
        .content_type
        .and_then(charset_from_content_type)
        .map(|e| (e, Evidence::ContentType))
        .or_else(|| meta_charset(bytes).map(|e| (e, Evidence::MetaCharset)));

    // `encoding_rs`'s validator (SIMD, via simdutf8) gives the same answer as
    // `std::str::from_utf8(bytes).is_ok()` at a tenth of the cost on CJK text.
    let utf8_valid =
        Encoding::utf8_valid_up_to(bytes) == bytes.len() || valid_utf8_but_truncated(bytes);
    let has_non_ascii = !bytes.is_ascii();
    match declared {
        // A declaration of UTF-8 that the bytes honour, or any declaration over pure ASCII.
        Some((e, evidence)) if e == UTF_8 && utf8_valid => finish(bytes, e, evidence),
        // Valid UTF-8 with non-ASCII bytes cannot plausibly be GBK or Big5 text: the bytes win.
        Some(_) if utf8_valid && has_non_ascii => finish(bytes, UTF_8, Evidence::ValidUtf8),
        // A UTF-8 declaration the bytes break: fall through to detection.
        Some((e, _)) if e == UTF_8 => detect(&input),
        // Another declaration: trusted while its decoding has no malformed sequence.
        Some((e, evidence)) => {
            let decoded = finish(bytes, e, evidence)?;
            if decoded.malformed > 0 {
                return weigh(bytes, input.utf16, decoded);
            }
            Ok(decoded)
        }
        None if utf8_valid => finish(bytes, UTF_8, Evidence::ValidUtf8),
        None => detect(&input),
    }
}

/// `chardetng`'s guess, kept when it is a multi-byte encoding that decodes the bytes without
/// a malformed sequence; otherwise weighed against the other candidates.
fn detect(input: &Unpadded<'_>) -> Result<Decoded> {
    let bytes = input.bytes;
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    let decoded = finish(bytes, guess, Evidence::Detected)?;
    if decoded.malformed == 0 && !guess.is_single_byte() {
        return Ok(decoded);
    }
    weigh(bytes, input.utf16, decoded)
}

/// At most one malformed sequence per this many non-ASCII characters of a candidate that is
/// to replace the decoding the evidence before gave (a page with a few cut characters
/// among thousands is still the encoding it was written in).
pub const MAX_MALFORMED_SHARE: usize = 50;
/// A candidate that replaces another must read as Chinese: at least this many Han
/// characters in the sample...
const MIN_HAN: usize = 10;
/// ... of which at most one in this many is rare in jieba's dictionary (real text has about
/// one in two hundred; a double-byte encoding misread has most of them rare).
const MAX_RARE_SHARE: usize = 10;
/// How many leading bytes the candidates are compared on.
const WEIGH_BYTES: usize = 16 * 1024;

/// `prior` (what the declaration, BOM or `chardetng` gave) or a candidate that reads clearly
/// better: see the module doc. Binary data (many control bytes) is rejected here, where no
/// reliable evidence has vouched for the bytes. `utf16_bytes` are the same bytes as UTF-16
/// reads them ([`Unpadded::utf16`]).
fn weigh(bytes: &[u8], utf16_bytes: &[u8], prior: Decoded) -> Result<Decoded> {
    let utf16 = utf16_by_cjk_pattern(utf16_bytes);
    if utf16.is_none() {
        reject_control_bytes(bytes)?;
    }
    let sample = &bytes[..bytes.len().min(WEIGH_BYTES) & !1];
    let prior_reading = Reading::of(sample, prior.encoding);
    let best = [GBK, BIG5, UTF_8]
        .into_iter()
        .chain(utf16)
        .filter(|&e| e != prior.encoding)
        .map(|e| {
            let sample = match Some(e) == utf16 {
                true => &utf16_bytes[..utf16_bytes.len().min(WEIGH_BYTES) & !1],
                false => sample,
            };
            (e, Reading::of(sample, e))
        })
        .filter(|(_, reading)| reading.is_chinese())
        .max_by(|a, b| a.1.logp_per_byte.total_cmp(&b.1.logp_per_byte));
    match best {
        Some((encoding, reading)) if reading.logp_per_byte > prior_reading.logp_per_byte => {
            if Some(encoding) == utf16 {
                return finish(utf16_bytes, encoding, Evidence::Utf16Pattern);
            }
            finish(bytes, encoding, Evidence::Weighed)
        }
        _ => Ok(prior),
    }
}

/// How a sample of bytes reads in one candidate encoding.
#[derive(Debug, Clone, Copy)]
struct Reading {
    malformed: usize,
    non_ascii: usize,
    han: usize,
    rare: usize,
    /// Log-probability of the decoded text under the character model, per input byte
    /// (U+FFFD and mojibake cost the most).
    logp_per_byte: f64,
}

impl Reading {
    fn of(sample: &[u8], encoding: &'static Encoding) -> Reading {
        let m = model();
        let (text, malformed) = decode_counting(sample, encoding);
        let (mut non_ascii, mut han, mut rare) = (0, 0, 0);
        for c in text.chars().filter(|c| !c.is_ascii()) {
            non_ascii += 1;
            if is_han(c) {
                han += 1;
                rare += usize::from(m.is_rare(c));
            }
        }
        Reading {
            malformed,
            non_ascii,
            han,
            rare,
            logp_per_byte: m.logp(&text, None) / sample.len().max(1) as f64,
        }
    }

    /// Few malformed sequences, and Han characters that are mostly common ones.
    fn is_chinese(&self) -> bool {
        self.malformed * MAX_MALFORMED_SHARE <= self.non_ascii
            && self.han >= MIN_HAN
            && self.rare * MAX_RARE_SHARE <= self.han
    }
}

/// The input without the NUL bytes that pad its end (pre-allocated files, fixed-size
/// records): they are not part of the text.
struct Unpadded<'a> {
    /// Every trailing NUL byte removed.
    bytes: &'a [u8],
    /// The same for UTF-16, which can end in a NUL byte (the high byte of an ASCII character
    /// in UTF-16LE, the low byte of `一` in UTF-16BE): one NUL back when that makes the length
    /// even.
    utf16: &'a [u8],
}

impl Unpadded<'_> {
    /// Input of nothing but NULs is binary.
    fn new(full: &[u8]) -> Result<Unpadded<'_>> {
        let end = full
            .iter()
            .rposition(|&b| b != 0)
            .map_or(0, |last| last + 1);
        if end == 0 {
            return Err(Error::NotText {
                reason: format!("{} NUL bytes and nothing else (binary data)", full.len()),
            });
        }
        Ok(Unpadded {
            bytes: &full[..end],
            utf16: &full[..(end + (end & 1)).min(full.len())],
        })
    }
}

fn finish(bytes: &[u8], encoding: &'static Encoding, evidence: Evidence) -> Result<Decoded> {
    let (text, malformed) = decode_counting(bytes, encoding);
    if text.trim().is_empty() {
        return Err(Error::EmptyInput);
    }
    Ok(Decoded {
        text,
        encoding,
        evidence,
        malformed,
    })
}

/// Decodes without BOM sniffing, counting malformed sequences (encoding_rs's replacing decode
/// only says whether there were any).
fn decode_counting(bytes: &[u8], encoding: &'static Encoding) -> (String, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3))
        + 16;
    let mut text = String::with_capacity(capacity);
    let mut malformed = 0;
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::Malformed(_, _) => {
                malformed += 1;
                text.push('\u{FFFD}');
            }
            // Cannot happen with the capacity above, but reserving is always correct.
            DecoderResult::OutputFull => text.reserve(rest.len().saturating_mul(3) + 16),
        }
    }
    (text, malformed)
}

/// Valid UTF-8 except for a character cut off at the very end (a truncated download).
fn valid_utf8_but_truncated(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// The encoding named by the `charset` parameter of a Content-Type value, or by a bare label.
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let label = match lower.find("charset=") {
        Some(at) => &lower[at + "charset=".len()..],
        None if !lower.contains('/') && !lower.contains(';') => lower.as_str(),
        None => return None,
    };
    let label = label
        .trim_start_matches(['"', '\'', ' '])
        .split(['"', '\'', ';', ' ', ','])
        .next()
        .unwrap_or("");
    Encoding::for_label(label.as_bytes())
}

/// The encoding declared by a `<meta charset>` or `<meta http-equiv content="…charset=…">` in
/// the first `META_SCAN_BYTES` (4 KiB) bytes. UTF-16 declarations are read as UTF-8, as browsers do:
/// a page whose meta tag is readable as ASCII is not UTF-16.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static META: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i-u)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)"#)
            .expect("static regex")
    });
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    let label = META.captures(head)?.get(1)?.as_bytes();
    Encoding::for_label(label).map(Encoding::output_encoding)
}

/// UTF-16 without a BOM: mostly-ASCII UTF-16 has a NUL in every other byte, and CJK UTF-16
/// has no NULs but is never valid in the other checks. We only claim the NUL pattern, which is
/// unambiguous: at least a third of the bytes on one parity are NUL and almost none on the other.
fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    // Without a NUL both counts are 0 and neither pattern holds (`pairs` ≥ 4): one SIMD
    // search instead of the count, for the usual text.
    memchr::memchr(0, sample)?;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    let pairs = sample.len() / 2;
    // An all-NUL file matches both parities; it is binary, not UTF-16.
    if odd_nul * 3 >= pairs && even_nul * 20 <= pairs {
        Some(UTF_16LE)
    } else if even_nul * 3 >= pairs && odd_nul * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-16 without a BOM and without NULs: CJK text, whose high bytes are those of the CJK
/// blocks (`0x4E..=0x9F`), CJK punctuation (`0x30`), full-width forms (`0xFF`), general
/// punctuation (`0x20`) or ASCII (`0x00`). A candidate for [`weigh`] when nine in ten code
/// units of a sample have such a high byte on one side; the model decides.
fn utf16_by_cjk_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 8 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let cjk_high = |b: u8| matches!(b, 0x4E..=0x9F | 0x30 | 0xFF | 0x20 | 0x00);
    let (mut low_first, mut high_first) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        low_first += usize::from(cjk_high(pair[1]));
        high_first += usize::from(cjk_high(pair[0]));
    }
    let units = sample.len() / 2;
    if low_first * 10 >= units * 9 && low_first > high_first {
        Some(UTF_16LE)
    } else if high_first * 10 >= units * 9 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text in the encodings [`weigh`] considers has no C0 control bytes but whitespace (and ESC,
/// which ISO-2022 encodings use): binary data has one byte in ten. More than one in a
/// hundred of the first 64 KiB is binary.
fn reject_control_bytes(bytes: &[u8]) -> Result<()> {
    let sample = &bytes[..bytes.len().min(65536)];
    let controls = sample
        .iter()
        .filter(|&&b| matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F))
        .count();
    if controls * 100 > sample.len() {
        return Err(Error::NotText {
            reason: format!(
                "{controls} control bytes in the first {} bytes (binary data)",
                sample.len()
            ),
        });
    }
    Ok(())
}

/// Magic numbers of formats users commonly find in crawls by mistake.
const BINARY_SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image signature"),
    (b"\xFF\xD8\xFF", "JPEG image signature"),
    (b"GIF87a", "GIF image signature"),
    (b"GIF89a", "GIF image signature"),
    (b"PK\x03\x04", "ZIP archive signature"),
    (b"%PDF-", "PDF document signature"),
    (b"\x1F\x8B", "gzip signature (decompress it first)"),
    (b"\x7FELF", "ELF executable signature"),
    (b"BZh", "bzip2 signature (decompress it first)"),
    (b"\x28\xB5\x2F\xFD", "zstd signature (decompress it first)"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive signature"),
];

fn reject_binary(bytes: &[u8]) -> Result<()> {
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Err(Error::NotText {
            reason: "WebP image signature".into(),
        });
    }
    for (signature, what) in BINARY_SIGNATURES {
        if bytes.starts_with(signature) {
            return Err(Error::NotText {
                reason: (*what).into(),
            });
        }
    }
    // Text in any encoding we read has no NUL bytes, except UTF-16: ASCII-heavy UTF-16 was
    // recognised before this, CJK UTF-16 has a NUL in a few code units (`一` is U+4E00) and is
    // recognised here. Allow a few for scraper debris, reject when they are more than 1% of a
    // sample.
    let sample = &bytes[..bytes.len().min(65536)];
    let nuls = memchr::memchr_iter(0, sample).count();
    if nuls * 100 > sample.len() && utf16_by_cjk_pattern(bytes).is_none() {
        return Err(Error::NotText {
            reason: format!(
                "{nuls} NUL bytes in the first {} bytes (binary data)",
                sample.len()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
