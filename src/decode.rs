//! Decode stage: raw bytes in, Unicode text out, with a report of how it was decided.
//!
//! Evidence is weighed in this order:
//! 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) — final;
//! 2. a charset the caller passes from outside (HTTP `Content-Type`, e.g. from a WARC record);
//! 3. a charset declared inside the bytes (`<meta charset>` / `http-equiv` in the first 4 KiB);
//! 4. statistical detection with `chardetng` (no domain hint).
//!
//! Declarations lie on real pages, so a declaration is checked against the bytes: bytes that
//! are valid UTF-8 (with non-ASCII in them) are read as UTF-8 whatever was declared, and a
//! UTF-8 declaration over bytes that are not valid UTF-8 falls through to detection.
//! UTF-16 without a BOM is recognised by its pattern of NUL bytes.
//!
//! Contract: [`decode`] never panics. Malformed sequences become U+FFFD and are counted in
//! [`Decoded::malformed`]. Empty input and input that is clearly not text (image, archive or
//! executable signatures, a high share of NUL bytes) are errors, not empty text.
//!
//! ```
//! use zhclean::decode::{decode, Evidence, Hint};
//! let gbk = encoding_rs::GBK.encode("据住房和城乡建设部官网消息，按照完全自愿原则").0;
//! let decoded = decode(&gbk, &Hint::default()).unwrap();
//! assert_eq!(decoded.text, "据住房和城乡建设部官网消息，按照完全自愿原则");
//! assert_eq!(decoded.encoding.name(), "GBK");
//! assert_eq!(decoded.evidence, Evidence::Detected);
//! ```

use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use regex::bytes::Regex;

use crate::error::{Error, Result};

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
    /// UTF-16 recognised by its NUL-byte pattern, without a BOM.
    Utf16Pattern,
    /// `chardetng`'s statistical guess.
    Detected,
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
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], encoding, Evidence::Bom);
    }
    if let Some(encoding) = utf16_by_nul_pattern(bytes) {
        return finish(bytes, encoding, Evidence::Utf16Pattern);
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
        Some((e, _)) if e == UTF_8 => finish(bytes, detect(bytes), Evidence::Detected),
        Some((e, evidence)) => finish(bytes, e, evidence),
        None if utf8_valid => finish(bytes, UTF_8, Evidence::ValidUtf8),
        None => finish(bytes, detect(bytes), Evidence::Detected),
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

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, Utf8Detection::Allow)
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
    // Text in any encoding we read (UTF-16 is handled before this) has no NUL bytes; allow a few
    // for scraper debris, reject when they are more than 1% of a sample.
    let sample = &bytes[..bytes.len().min(65536)];
    let nuls = memchr::memchr_iter(0, sample).count();
    if nuls * 100 > sample.len() {
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
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GB18030, GBK};

    const SAMPLE: &str = "据住房和城乡建设部官网消息，按照完全自愿原则，在尊重有关各方意愿前提下。";
    const SAMPLE_TRAD: &str =
        "據住房和城鄉建設部官網消息，按照完全自願原則，在尊重有關各方意願前提下。";

    fn plain(bytes: &[u8]) -> Decoded {
        decode(bytes, &Hint::default()).expect("decodes")
    }

    #[test]
    fn utf8_validator_agrees_with_std() {
        // Every string of up to three bytes, and of four with a fixed continuation tail, each
        // alone and behind ASCII and CJK text (the validator's fast paths skip those).
        let mut samples: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            samples.push(vec![a]);
            for b in 0..=255u8 {
                samples.push(vec![a, b]);
                samples.push(vec![a, b, 0xBF, 0x80]);
                for c in [0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xE0, 0xF0, 0xFF] {
                    samples.push(vec![a, b, c]);
                }
            }
        }
        let prefixes = [
            &b""[..],
            b"0123456789abcdefghijklmnopqrstuvwxyz0123456789",
            "据住房和城乡建设部官网消息，按照完全自愿原则".as_bytes(),
        ];
        for sample in &samples {
            for prefix in prefixes {
                let bytes = [prefix, sample.as_slice()].concat();
                assert_eq!(
                    Encoding::utf8_valid_up_to(&bytes) == bytes.len(),
                    std::str::from_utf8(&bytes).is_ok(),
                    "{bytes:?}"
                );
            }
        }
    }

    #[test]
    fn nul_shortcuts_agree_with_counting() {
        let counted = |sample: &[u8]| {
            let pairs = sample.len() / 2;
            let even = sample.chunks_exact(2).filter(|p| p[0] == 0).count();
            let odd = sample.chunks_exact(2).filter(|p| p[1] == 0).count();
            if odd * 3 >= pairs && even * 20 <= pairs {
                Some(UTF_16LE)
            } else if even * 3 >= pairs && odd * 20 <= pairs {
                Some(UTF_16BE)
            } else {
                None
            }
        };
        for len in (0..64).step_by(2) {
            for fill in [b'a', 0u8, 0xE6] {
                let mut bytes = vec![fill; len];
                for nul_at in [None, Some(0), Some(1), Some(len / 2)] {
                    if let Some(at) = nul_at.filter(|&at| at < len) {
                        bytes[at] = 0;
                    }
                    let expected = if len < 8 { None } else { counted(&bytes) };
                    assert_eq!(utf16_by_nul_pattern(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn utf8_without_declaration() {
        let d = plain(SAMPLE.as_bytes());
        assert_eq!(d.text, SAMPLE);
        assert_eq!(
            (d.encoding, d.evidence, d.malformed),
            (UTF_8, Evidence::ValidUtf8, 0)
        );
    }

    #[test]
    fn gbk_and_gb18030_detected() {
        let d = plain(&GBK.encode(SAMPLE).0);
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, GBK));
        // GB18030 four-byte sequence (€ is 0x80 in GBK; U+20AC; 𠀀 needs four bytes).
        let text = format!("{SAMPLE}𠀀");
        let d = plain(&GB18030.encode(&text).0);
        assert_eq!(d.text, text);
        assert_eq!(d.malformed, 0);
    }

    #[test]
    fn big5_detected() {
        let d = plain(&BIG5.encode(SAMPLE_TRAD).0);
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE_TRAD, BIG5));
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(SAMPLE.encode_utf16().flat_map(u16::to_le_bytes));
        let d = plain(&le);
        assert_eq!((d.text.as_str(), d.evidence), (SAMPLE, Evidence::Bom));
        let mut be = vec![0xFE, 0xFF];
        be.extend(SAMPLE.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(plain(&be).text, SAMPLE);
        let ascii_heavy = "<html><body>新闻 news text</body></html>";
        let no_bom: Vec<u8> = ascii_heavy
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = plain(&no_bom);
        assert_eq!(
            (d.text.as_str(), d.evidence),
            (ascii_heavy, Evidence::Utf16Pattern)
        );
    }

    #[test]
    fn lying_meta_both_ways() {
        let utf8_page =
            format!("<html><head><meta charset=\"gb2312\"></head><body>{SAMPLE}</body>");
        let d = plain(utf8_page.as_bytes());
        assert_eq!((d.encoding, d.evidence), (UTF_8, Evidence::ValidUtf8));
        let gbk_page = GBK
            .encode(&format!("<meta charset=utf-8><p>{SAMPLE}{SAMPLE}</p>"))
            .0
            .into_owned();
        let d = plain(&gbk_page);
        assert_eq!((d.encoding, d.evidence), (GBK, Evidence::Detected));
        assert!(d.text.contains(SAMPLE));
    }

    #[test]
    fn honest_meta_and_content_type() {
        let page = GBK
            .encode(&format!(
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">{SAMPLE}"
            ))
            .0
            .into_owned();
        let d = plain(&page);
        assert_eq!((d.encoding, d.evidence), (GBK, Evidence::MetaCharset));
        let hint = Hint {
            content_type: Some("text/html; charset=GBK"),
        };
        let d = decode(&GBK.encode(SAMPLE).0, &hint).unwrap();
        assert_eq!((d.encoding, d.evidence), (GBK, Evidence::ContentType));
    }

    #[test]
    fn malformed_sequences_counted() {
        let mut bytes = GBK.encode(SAMPLE).0.into_owned();
        bytes.extend_from_slice(b"\xB5\x28ok\xFF\xFF");
        let d = decode(
            &bytes,
            &Hint {
                content_type: Some("gbk"),
            },
        )
        .unwrap();
        assert_eq!(d.malformed, 3);
        assert_eq!(d.text.matches('\u{FFFD}').count(), 3);
    }

    #[test]
    fn empty_and_binary_rejected() {
        assert!(matches!(
            decode(b"", &Hint::default()),
            Err(Error::EmptyInput)
        ));
        assert!(matches!(
            decode(b" \n\t", &Hint::default()),
            Err(Error::EmptyInput)
        ));
        for bin in [
            &b"\x89PNG\r\n\x1a\n0000"[..],
            b"PK\x03\x04zip",
            &[0u8; 100][..],
        ] {
            let err = decode(bin, &Hint::default()).unwrap_err();
            assert_eq!(err.kind(), "not_text", "{err}");
        }
    }

    #[test]
    fn content_type_parsing() {
        assert_eq!(
            charset_from_content_type("text/html; charset=\"gb2312\""),
            Some(GBK)
        );
        assert_eq!(charset_from_content_type("text/html"), None);
        assert_eq!(charset_from_content_type("big5"), Some(BIG5));
        assert_eq!(
            charset_from_content_type("text/html; charset=nonsense"),
            None
        );
    }
}
