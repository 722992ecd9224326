//! Tests of decoding: encodings, evidence, BOMs, UTF-16, malformed input.

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
    let utf8_page = format!("<html><head><meta charset=\"gb2312\"></head><body>{SAMPLE}</body>");
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

/// A page of our own text, long enough to weigh: the sample sentences many times over.
fn page(text: &str) -> String {
    (0..30).map(|i| format!("第{i}段：{text}\n")).collect()
}

#[test]
fn gbk_with_cut_characters_and_no_declaration_is_gbk() {
    let text = page(SAMPLE);
    let mut bytes = GBK.encode(&text).0.into_owned();
    // Three characters cut in half before an ASCII byte (the `\n` and a quote).
    for at in [700, 300, 100] {
        let line_end = bytes[at..].iter().position(|&b| b == b'\n').unwrap() + at;
        bytes.remove(line_end - 1);
    }
    bytes.extend_from_slice(b"<a title=\"");
    bytes.push(GBK.encode("据").0[0]);
    bytes.extend_from_slice(b"\">");
    let d = plain(&bytes);
    assert_eq!(
        (d.encoding, d.evidence, d.malformed),
        (GBK, Evidence::Weighed, 4)
    );
    assert!(
        d.text.starts_with("第0段：据住房和城乡建设部官网消息"),
        "{}",
        d.text
    );
}

#[test]
fn big5_with_a_cut_character_is_big5() {
    let text = page(SAMPLE_TRAD);
    let mut bytes = BIG5.encode(&text).0.into_owned();
    let line_end = bytes.iter().position(|&b| b == b'\n').unwrap();
    bytes.remove(line_end - 1);
    let d = plain(&bytes);
    assert_eq!(
        (d.encoding, d.evidence, d.malformed),
        (BIG5, Evidence::Weighed, 1)
    );
    assert!(d
        .text
        .ends_with(&page(SAMPLE_TRAD)[text.find('\n').unwrap()..]));
}

#[test]
fn utf8_bom_in_front_of_gbk_bytes() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&GBK.encode(&page(SAMPLE)).0);
    let d = plain(&bytes);
    assert_eq!(
        (d.encoding, d.evidence, d.malformed),
        (GBK, Evidence::Weighed, 0)
    );
    assert!(d.text.starts_with("第0段：据住房"), "{}", d.text);
    // A BOM over UTF-8 is still the BOM.
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice(SAMPLE.as_bytes());
    assert_eq!(plain(&utf8).evidence, Evidence::Bom);
}

#[test]
fn cjk_utf16_without_bom_either_way() {
    // CJK text, full-width punctuation, no ASCII: no NUL pattern, a NUL only in `一`.
    let text = format!("{SAMPLE}一{SAMPLE_TRAD}").repeat(4);
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (bytes, encoding) in [(le, UTF_16LE), (be, UTF_16BE)] {
        let d = plain(&bytes);
        assert_eq!((d.encoding, d.evidence), (encoding, Evidence::Utf16Pattern));
        assert_eq!(d.text, text);
    }
}

#[test]
fn random_bytes_are_not_text() {
    let mut rng = crate::testing::XorShift::new(0x1234_5678_9ABC_DEF1);
    let bytes: Vec<u8> = (0..1 << 20).map(|_| rng.next_u64() as u8).collect();
    let err = decode(&bytes, &Hint::default()).unwrap_err();
    assert_eq!(err.kind(), "not_text", "{err}");
    assert!(err.to_string().contains("control bytes"), "{err}");
}

#[test]
fn nul_padding_after_a_page_is_not_part_of_it() {
    let mut bytes = page(SAMPLE).into_bytes();
    bytes.extend_from_slice(&[0; 4096]);
    let d = plain(&bytes);
    assert_eq!((d.encoding, d.malformed), (UTF_8, 0));
    assert_eq!(d.text, page(SAMPLE));
    // UTF-16 keeps the high byte of its last code unit.
    let mut le: Vec<u8> = "新闻 news"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    le.splice(0..0, [0xFF, 0xFE]);
    le.extend_from_slice(&[0; 7]);
    assert_eq!(plain(&le).text, "新闻 news");
}

#[test]
fn european_text_is_not_taken_for_gbk() {
    // windows-1252 bytes with accented letters before ASCII ones (each such pair is a
    // valid GBK character): the candidates' Han characters would be rare ones.
    let french =
        "Le café était fermé. Où est la clé? Ça dépend: élève, âge, être, naïveté. ".repeat(20);
    let bytes = encoding_rs::WINDOWS_1252.encode(&french).0.into_owned();
    let d = plain(&bytes);
    assert_eq!(d.encoding, encoding_rs::WINDOWS_1252);
    assert_eq!(d.text, french);
}

#[test]
fn a_declaration_with_malformed_bytes_stays_unless_another_reads_better() {
    let mut bytes = GBK.encode(&page(SAMPLE)).0.into_owned();
    bytes.extend_from_slice(b"\xB5\x28");
    let hint = Hint {
        content_type: Some("text/html; charset=gbk"),
    };
    let d = decode(&bytes, &hint).unwrap();
    assert_eq!(
        (d.encoding, d.evidence, d.malformed),
        (GBK, Evidence::ContentType, 1)
    );
    // Declared Big5 over the same bytes: GBK reads clearly better.
    let hint = Hint {
        content_type: Some("text/html; charset=big5"),
    };
    let d = decode(&bytes, &hint).unwrap();
    assert_eq!(
        (d.encoding, d.evidence, d.malformed),
        (GBK, Evidence::Weighed, 1)
    );
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
