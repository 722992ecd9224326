//! An article as one compact JSON line: the bytes `serde_json::to_writer` writes, faster.
//!
//! Body and words are most of a record (about 3 KB of body and 700 words on a news page), and
//! serde_json writes every string a byte at a time, with a formatter call per word. Here the
//! article's top-level fields are written in place: strings through [`write_str`], which
//! copies runs of bytes that need no escape, and words, most of which need none, after one
//! check each. The small nested values (input report, removed items, repairs, quality, meta)
//! still go through serde_json.
//!
//! The field list mirrors [`Article`]'s derived `Serialize` (same order, same skipped empty
//! fields). The tests compare the two on articles with every field filled and on the
//! fixtures, and count the fields, so a field added to [`Article`] but not here fails them.

use crate::article::Article;
use crate::words::Words;

/// Appends `article` to `out` as compact JSON, exactly as `serde_json::to_writer` would.
///
/// # Errors
/// Only what serde_json reports for the nested values (which cannot fail for our types).
pub fn write_article(article: &Article, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let mut fields = Fields { out, first: true };
    fields.key("id");
    write_opt_str(fields.out, article.id.as_deref());
    fields.key("input");
    serde_json::to_writer(&mut *fields.out, &article.input)?;
    fields.key("title");
    write_opt_str(fields.out, article.title.as_deref());
    fields.key("published_at");
    write_opt_str(fields.out, article.published_at.as_deref());
    fields.key("authors");
    write_str_list(fields.out, &article.authors);
    fields.key("source");
    write_opt_str(fields.out, article.source.as_deref());
    fields.key("editor");
    write_opt_str(fields.out, article.editor.as_deref());
    fields.key("original_title");
    write_opt_str(fields.out, article.original_title.as_deref());
    fields.key("tags");
    write_str_list(fields.out, &article.tags);
    if let Some(description) = &article.description {
        fields.key("description");
        write_str(fields.out, description);
    }
    if let Some(canonical_url) = &article.canonical_url {
        fields.key("canonical_url");
        write_str(fields.out, canonical_url);
    }
    fields.key("keywords");
    write_str_list(fields.out, &article.keywords);
    fields.key("body");
    write_str(fields.out, &article.body);
    fields.key("words");
    write_words(fields.out, &article.words);
    if let Some(pos) = &article.pos {
        fields.key("pos");
        serde_json::to_writer(&mut *fields.out, pos)?;
    }
    fields.key("removed");
    serde_json::to_writer(&mut *fields.out, &article.removed)?;
    fields.key("repairs");
    serde_json::to_writer(&mut *fields.out, &article.repairs)?;
    if let Some(meta) = &article.meta {
        fields.key("meta");
        serde_json::to_writer(&mut *fields.out, meta)?;
    }
    if !article.repaired.is_empty() {
        fields.key("repaired");
        serde_json::to_writer(&mut *fields.out, &article.repaired)?;
    }
    fields.key("quality");
    serde_json::to_writer(&mut *fields.out, &article.quality)?;
    fields.out.push(b'}');
    Ok(())
}

/// The object being written: `{` before the first key, `,` before the others.
struct Fields<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Fields<'_> {
    /// Writes the key `name`, one of the field names above: plain ASCII letters and `_`,
    /// which need no escape (the tests against serde_json would show one that did).
    fn key(&mut self, name: &str) {
        self.out
            .extend_from_slice(if self.first { b"{\"" } else { b",\"" });
        self.first = false;
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }
}

fn write_opt_str(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

fn write_str_list(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_str(out, item);
    }
    out.push(b']');
}

/// `[["word",…],…]`, one array per paragraph.
fn write_words(out: &mut Vec<u8>, words: &Words) {
    let (text, paragraphs) = words.text_and_spans();
    let bytes = text.as_bytes();
    // Words rarely hold a byte to escape: when the whole text has none, each word is copied
    // between quotes as it is.
    let escape_free = first_escape(bytes, 0).is_none();
    out.reserve(bytes.len() + 3 * words.word_count() + 3 * words.len() + 2 + WORD_COPY);
    out.push(b'[');
    for (index, spans) in paragraphs.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        let Some((&first, rest)) = spans.split_first() else {
            out.extend_from_slice(b"[]");
            continue;
        };
        out.extend_from_slice(b"[\"");
        if escape_free {
            push_word(out, bytes, first);
            for &span in rest {
                out.extend_from_slice(b"\",\"");
                push_word(out, bytes, span);
            }
        } else {
            // Spans are on character boundaries (`WordsBuilder::push_word` and `push_paragraph`
            // store no other).
            let word = |(start, end): (u32, u32)| text.get(start as usize..end as usize);
            write_str_contents(out, word(first).unwrap_or_default());
            for &span in rest {
                out.extend_from_slice(b"\",\"");
                write_str_contents(out, word(span).unwrap_or_default());
            }
        }
        out.extend_from_slice(b"\"]");
    }
    out.push(b']');
}

/// Bytes [`push_word`] copies at once: most words (one to five Chinese characters) fit.
const WORD_COPY: usize = 16;

/// Appends `bytes[start..end]` (a word, no byte of which needs an escape) to `out`.
///
/// A word of up to [`WORD_COPY`] bytes is copied as [`WORD_COPY`] bytes (a fixed-size copy,
/// a couple of instructions, where a copy of the word's own length is a call to `memcpy`),
/// and the bytes past its end are cut off again; a longer word, or one too near the end of
/// the text, is copied as it is.
fn push_word(out: &mut Vec<u8>, bytes: &[u8], (start, end): (u32, u32)) {
    let (start, end) = (start as usize, end as usize);
    let word_len = end.saturating_sub(start);
    match bytes.get(start..start + WORD_COPY) {
        Some(window) if word_len <= WORD_COPY => {
            let len = out.len();
            out.extend_from_slice(window);
            out.truncate(len + word_len);
        }
        _ => out.extend_from_slice(bytes.get(start..end).unwrap_or_default()),
    }
}

/// Writes `text` as a JSON string the way serde_json does: `"` and `\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00xx` (lower-case hex), everything else (DEL and
/// non-ASCII included) as it is.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    write_str_contents(out, text);
    out.push(b'"');
}

/// [`write_str`] without the quotes.
fn write_str_contents(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut copied_to = 0;
    while let Some(at) = first_escape(bytes, copied_to) {
        out.extend_from_slice(&bytes[copied_to..at]);
        write_escape(out, bytes[at]);
        copied_to = at + 1;
    }
    out.extend_from_slice(&bytes[copied_to..]);
}

/// Bytes [`first_escape`] checks at once.
const CHUNK: usize = 16;

/// The index of the first byte at or after `from` that [`needs_escape`].
fn first_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let (chunks, rest) = bytes.get(from..)?.as_chunks::<CHUNK>();
    let mut at = from;
    // Sixteen bytes at a time (most text has nothing to escape); a flagged chunk is looked
    // at byte by byte.
    for chunk in chunks {
        if chunk_needs_escape(chunk) {
            return chunk
                .iter()
                .position(|&byte| needs_escape(byte))
                .map(|offset| at + offset);
        }
        at += CHUNK;
    }
    rest.iter()
        .position(|&byte| needs_escape(byte))
        .map(|offset| at + offset)
}

/// Whether any byte of `chunk` [`needs_escape`]: the same comparisons over a fixed array,
/// which the compiler makes a few vector instructions of.
fn chunk_needs_escape(chunk: &[u8; CHUNK]) -> bool {
    chunk.iter().fold(false, |any, &byte| {
        any | (byte < 0x20) | (byte == b'"') | (byte == b'\\')
    })
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn write_escape(out: &mut Vec<u8>, byte: u8) {
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0C => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xF)]);
            return;
        }
    };
    out.push(b'\\');
    out.push(short);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{InputReport, Removed, RemovedKind, RepairKind, RepairedSpan, Repairs};
    use crate::quality::Quality;
    use serde::de::{self, Deserialize, Deserializer, Visitor};

    fn ours(text: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does_for_every_character() {
        let mut text = String::new();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            assert_eq!(ours(&text), serde_json::to_string(&text).unwrap(), "{c:?}");
        }
    }

    #[test]
    fn escapes_are_found_at_every_place_in_and_across_chunks() {
        let specials = [
            "\"", "\\", "\n", "\u{1}", "\u{1f}", " ", "\u{7f}", "中", "\u{80}",
        ];
        for len in 0..3 * CHUNK {
            for at in 0..len {
                for special in specials {
                    let mut text: String = "a".repeat(at);
                    text.push_str(special);
                    text.push_str(&"é".repeat(len - at));
                    text.push_str(special);
                    assert_eq!(
                        ours(&text),
                        serde_json::to_string(&text).unwrap(),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn chunks_need_an_escape_exactly_when_a_byte_does() {
        crate::testing::for_each_byte_among_others::<CHUNK>(|chunk, byte, other| {
            assert_eq!(
                chunk_needs_escape(chunk),
                needs_escape(byte) || needs_escape(other),
                "{byte:#04x} among {other:#04x}"
            );
        });
    }

    #[test]
    fn words_of_every_length_are_written_as_serde_json_writes_them() {
        // Words from 0 to 40 bytes, at every place relative to the end of the text (where
        // a word is too near the end to be copied in one fixed-size piece), in paragraphs
        // with and without a word to escape, and empty paragraphs.
        let pieces = ["中", "a", "é", "𝄞"];
        for escape in ["", "\""] {
            for count in 0..12 {
                let paragraphs: Vec<Vec<String>> = (0..count)
                    .map(|p| {
                        (0..p % 4)
                            .map(|w| pieces[(p + w) % 4].repeat((p * 7 + w * 5) % 15))
                            .chain((p == 3).then(|| escape.to_string()))
                            .collect()
                    })
                    .collect();
                let words = Words::from_paragraphs(&paragraphs);
                let mut out = Vec::new();
                write_words(&mut out, &words);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    serde_json::to_string(&words).unwrap(),
                    "{paragraphs:?}"
                );
            }
        }
    }

    /// An article with every field set, escapes in its strings.
    fn full_article() -> Article {
        let mut meta = crate::article::Passthrough::new();
        meta.insert(
            "site".into(),
            serde_json::json!({"name": "新闻\"网", "n": [1, 2.5]}),
        );
        Article {
            id: Some("id-\u{1}1".into()),
            input: InputReport {
                path: Some("a\\b.txt".into()),
                url: Some("http://example.com/x?a=1".into()),
                encoding: "GBK".into(),
                malformed: 2,
                bytes: 5269,
                charset_evidence: Some(crate::decode::Evidence::MetaCharset),
                format: Some("warc".into()),
                line: Some(7),
                record: Some(3),
            },
            title: Some("标题\t\"一\"".into()),
            published_at: Some("2018-12-24T08:37:00+08:00".into()),
            authors: vec!["孙红丽".into(), "张三".into()],
            source: Some("人民网".into()),
            editor: Some("李四".into()),
            original_title: Some("原标题".into()),
            tags: vec!["生活垃圾分类".into()],
            description: Some("描述\r\n".into()),
            canonical_url: Some("https://example.com/a".into()),
            keywords: vec!["垃圾".into(), "分类".into()],
            body: "第一段，\"引号\"\\。\n第二段\u{8}\u{c}。".into(),
            words: Words::from_paragraphs([vec!["第一", "段", "\"", "\\"], vec![], vec!["第二"]]),
            pos: Some(vec![vec!["m".into(), "q".into()]]),
            removed: vec![Removed {
                kind: RemovedKind::Disclaimer,
                text: "凡本网注明".into(),
            }],
            repairs: Repairs {
                pinyin_annotations: 1,
                to_simplified: 2,
                punctuation: 3,
                garbled: 4,
                dropped_chars: 5,
                recovered: 6,
                mojibake: 7,
            },
            meta: Some(meta),
            repaired: vec![
                RepairedSpan::new(RepairKind::ByteShift, "當?shù)".into(), "当地".into()),
                RepairedSpan {
                    kind: RepairKind::Utf8AsGbk,
                    before: "榛\u{FFFD}(d菐ng)".into(),
                    after: "黨(dǎng)".into(),
                    guessed: 1,
                    dropped: 2,
                },
            ],
            quality: Quality {
                score: 0.875,
                han_share: 0.1,
                rare_share: 1e-7,
                garbled: 1,
                avg_paragraph_chars: 42.0,
                pinyin_remnants: 0,
                mojibake: 2,
                guessed: 3,
                lost: 1,
            },
        }
    }

    fn written(article: &Article) -> String {
        let mut out = Vec::new();
        write_article(article, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn articles_are_written_as_serde_json_writes_them() {
        let full = full_article();
        assert_eq!(written(&full), serde_json::to_string(&full).unwrap());
        let empty = Article::default();
        assert_eq!(written(&empty), serde_json::to_string(&empty).unwrap());
    }

    #[test]
    fn cleaned_fixtures_are_written_as_serde_json_writes_them() {
        let cleaner = crate::Cleaner::new(crate::Options {
            pos: true,
            ..crate::Options::default()
        })
        .unwrap();
        let mut checked = 0;
        for entry in walkdir::WalkDir::new("fixtures").sort_by_file_name() {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = std::fs::read(entry.path()).unwrap();
            if let Ok(article) = cleaner.clean(&bytes, &crate::InputMeta::default()) {
                assert_eq!(
                    written(&article),
                    serde_json::to_string(&article).unwrap(),
                    "{}",
                    entry.path().display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 10, "only {checked} fixtures cleaned");
    }

    /// The field names `Article`'s derived `Deserialize` knows: recorded by a deserializer
    /// that only answers `deserialize_struct`.
    fn article_fields() -> &'static [&'static str] {
        struct Probe(Option<&'static [&'static str]>);
        impl<'de> Deserializer<'de> for &mut Probe {
            type Error = de::value::Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
                Err(de::Error::custom("not a struct"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Self::Error> {
                self.0 = Some(fields);
                Err(de::Error::custom("probed"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
                enum identifier ignored_any
            }
        }
        let mut probe = Probe(None);
        let _ = Article::deserialize(&mut probe);
        probe.0.expect("Article deserialises as a struct")
    }

    #[test]
    fn every_article_field_is_written() {
        let json: serde_json::Value = serde_json::from_str(&written(&full_article())).unwrap();
        let object = json.as_object().unwrap();
        for field in article_fields() {
            assert!(
                object.contains_key(*field),
                "`{field}` is not written: add it to write_article and to full_article"
            );
        }
        assert_eq!(object.len(), article_fields().len());
    }
}
