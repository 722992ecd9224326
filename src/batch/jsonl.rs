//! JSONL input: one JSON object per line, the page in one of its fields.
//!
//! The page field is `--field`, else the first of `html`, `content`, `text`, `raw` holding a
//! string. The id is `--id-field`, else `id`, else the URL; the URL is `--url-field`
//! (default `url`). Every field except the page passes through unchanged under `"meta"`.
//!
//! Contract: each non-blank line yields exactly one [`Item`], an [`Item::Raw`] that
//! [`Item::parse`] (run by the worker) turns into a page or an error item. A line that is not a JSON
//! object, lacks the page field, or is longer than the page limit becomes an error item
//! naming the file and line number (a long line is skipped without being held in memory).
//! A read error (e.g. a gzip stream cut short) becomes one error item and ends the stream.
//! Blank lines are not records and are ignored; `\r\n` endings and a UTF-8 BOM are accepted.

use std::io::{self, BufRead};
use std::sync::Arc;

use serde_json::Value;

pub use super::record_fields::{record_meta, JsonlFields, DEFAULT_PAGE_FIELDS};
use super::stream::{read_error, Stream};
use super::{Item, RawFormat};
use crate::article::Passthrough;
use crate::pipeline::InputMeta;

/// The items of one JSONL stream.
pub struct JsonlReader {
    stream: Stream,
    path: Option<String>,
    /// Lines (pages) longer than this are `too_large` errors.
    max_page_bytes: usize,
    fields: Arc<JsonlFields>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    /// Reads `stream`, named `path` in messages (`None` for stdin), the page, id and URL in
    /// `fields`; a line longer than `max_page_bytes` is a `too_large` error.
    pub fn new(
        stream: Stream,
        path: Option<String>,
        fields: JsonlFields,
        max_page_bytes: usize,
    ) -> JsonlReader {
        JsonlReader {
            stream,
            path,
            fields: Arc::new(fields),
            max_page_bytes,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    fn meta(&self) -> InputMeta {
        InputMeta {
            path: self.path.clone(),
            line: Some(self.line),
            ..InputMeta::default()
        }
    }
}

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.line += 1;
            let max = self.max_page_bytes;
            match read_line(&mut self.stream, &mut self.buf, max) {
                Ok(Line::End) => self.done = true,
                Ok(Line::TooLong(length)) => {
                    let meta = self.meta();
                    let message = format!("line is longer than the page limit of {max} bytes");
                    return Some(Item::failed(meta, length, "too_large", message));
                }
                Ok(Line::Complete) => {
                    // A byte-order mark starts the file, or each of several files joined by
                    // `cat`: it is not part of the JSON.
                    if self.buf.starts_with(b"\xEF\xBB\xBF") {
                        self.buf.drain(..3);
                    }
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // Parsed by the worker (`Item::parse`): this thread reads for all of them.
                    return Some(Item::Raw {
                        bytes: std::mem::take(&mut self.buf),
                        meta: self.meta(),
                        format: RawFormat::JsonlLine(Arc::clone(&self.fields)),
                    });
                }
                Err(e) => {
                    self.done = true;
                    let meta = self.meta();
                    let gzip = self.stream.is_gzip();
                    let message = read_error(&e, gzip);
                    let kind = if gzip { "gzip" } else { "io" };
                    return Some(Item::failed(meta, self.buf.len(), kind, message));
                }
            }
        }
        None
    }
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line is in the buffer (newline and `\r` stripped).
    Complete,
    /// The line was longer than the limit; it was skipped. Holds its length.
    TooLong(usize),
    /// End of stream.
    End,
}

/// Reads one line into `buf` without ever holding more than `max` bytes of it: a longer line
/// is consumed and reported. (`BufRead::read_until` would buffer the whole line first.)
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut length = 0usize;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (used, found) = match memchr::memchr(b'\n', chunk) {
            Some(at) => (at + 1, true),
            None => (chunk.len(), false),
        };
        let content = &chunk[..if found { used - 1 } else { used }];
        length += content.len();
        if length <= max {
            buf.extend_from_slice(content);
        }
        reader.consume(used);
        if found {
            break;
        }
    }
    if !any {
        return Ok(Line::End);
    }
    if length > max {
        buf.clear();
        return Ok(Line::TooLong(length));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Complete)
}

/// One line → a page item, or an error item naming the line.
pub(super) fn parse_line(line: &[u8], mut meta: InputMeta, fields: &JsonlFields) -> Item {
    // A page is kilobytes of mostly non-ASCII text, which serde_json checks for UTF-8 a byte
    // at a time when reading bytes; from a `&str` it checks nothing. simdutf8 checks the line
    // first, many bytes at a time.
    let parsed = match simdutf8::basic::from_utf8(line) {
        Ok(text) => serde_json::from_str::<Value>(text),
        Err(_) => {
            let at = std::str::from_utf8(line)
                .err()
                .map_or(0, |e| e.valid_up_to());
            let message = format!(
                "line is not UTF-8 (byte 0x{:02X} at byte {} of the line): JSON Lines must \
                 be UTF-8; convert the file first (e.g. `iconv -f GB18030 -t UTF-8`), or \
                 put each page in a file of its own, in any encoding",
                line.get(at).copied().unwrap_or(0),
                at + 1
            );
            return Item::failed(meta, line.len(), "not_json", message);
        }
    };
    let mut object: Passthrough = match parsed {
        Ok(Value::Object(object)) => object,
        Ok(other) => {
            let message = format!(
                "line is JSON but not an object (found {})",
                json_kind(&other)
            );
            return Item::failed(meta, line.len(), "not_json", message);
        }
        Err(e) => {
            let message = format!("line is not valid JSON: {e}");
            return Item::failed(meta, line.len(), "not_json", message);
        }
    };
    let page_field = match &fields.page {
        Some(name) => Some(name.as_str()),
        None => DEFAULT_PAGE_FIELDS
            .into_iter()
            .find(|name| object.get(*name).is_some_and(Value::is_string)),
    };
    let page = page_field.and_then(|name| object.remove(name).map(|value| (name, value)));
    match page {
        Some((_, Value::String(page))) => {
            record_meta(object, fields, &mut meta);
            Item::page(page.into_bytes(), meta)
        }
        Some((name, other)) => {
            let message = format!("field \"{name}\" holds {}, not a string", json_kind(&other));
            object.insert(name.to_string(), other);
            record_meta(object, fields, &mut meta);
            Item::failed(meta, line.len(), "missing_field", message)
        }
        None => {
            let wanted = match &fields.page {
                Some(name) => format!("\"{name}\""),
                None => "any of \"html\", \"content\", \"text\", \"raw\"".to_string(),
            };
            let message =
                format!("line has no string field {wanted} holding the page (use --field)");
            record_meta(object, fields, &mut meta);
            Item::failed(meta, line.len(), "missing_field", message)
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::stream::DEFAULT_MAX_PAGE_BYTES as MAX;

    /// The reader's items, parsed as the worker parses them.
    fn items(text: &str, fields: JsonlFields, max_page_bytes: usize) -> Vec<Item> {
        let stream = Stream::open(io::Cursor::new(text.as_bytes().to_vec())).unwrap();
        JsonlReader::new(stream, Some("d.jsonl".into()), fields, max_page_bytes)
            .map(Item::parse)
            .collect()
    }

    #[test]
    fn lines_are_left_to_the_worker_to_parse() {
        let text = "\u{FEFF}{\"text\": \"甲\"}\r\n\n{\"id\": 1}\n";
        let stream = Stream::open(io::Cursor::new(text.as_bytes().to_vec())).unwrap();
        let raw: Vec<Item> = JsonlReader::new(stream, None, JsonlFields::default(), MAX).collect();
        assert_eq!(raw.len(), 2);
        assert!(
            matches!(&raw[0], Item::Raw { bytes, meta, .. } if bytes == r#"{"text": "甲"}"#.as_bytes() && meta.line == Some(1)),
            "BOM and CR stripped, not parsed: {:?}",
            raw[0]
        );
        assert!(matches!(&raw[1], Item::Raw { meta, .. } if meta.line == Some(3)));
        let parsed: Vec<Item> = raw.into_iter().map(Item::parse).collect();
        assert!(matches!(&parsed[0], Item::Page { bytes, .. } if bytes == "甲".as_bytes()));
        assert!(matches!(&parsed[1], Item::Failed { error, .. } if error.kind == "missing_field"));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_an_error_naming_where() {
        let fields = JsonlFields::default();
        let mut line = r#"{"text": "甲"#.as_bytes().to_vec();
        line.push(0xFF);
        line.extend_from_slice(r#"乙"}"#.as_bytes());
        let item = parse_line(&line, InputMeta::default(), &fields);
        let (kind, message, _) = failure(&item);
        assert_eq!(kind, "not_json");
        assert_eq!(
            message,
            "line is not UTF-8 (byte 0xFF at byte 14 of the line): JSON Lines must be UTF-8; \
             convert the file first (e.g. `iconv -f GB18030 -t UTF-8`), or put each page in a \
             file of its own, in any encoding"
        );
        // The same line, valid: parsed from the checked text.
        let good = parse_line(
            r#"{"text": "甲乙"}"#.as_bytes(),
            InputMeta::default(),
            &fields,
        );
        assert!(matches!(good, Item::Page { bytes, .. } if bytes == "甲乙".as_bytes()));
    }

    fn failure(item: &Item) -> (&'static str, &str, Option<u64>) {
        match item {
            Item::Failed { error, meta, .. } => (error.kind, &error.message, meta.line),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn each_non_blank_line_gives_one_item_and_bad_lines_name_their_number() {
        let text = "\u{feff}{\"id\":7,\"url\":\"http://a.cn/1\",\"html\":\"<p>甲</p>\",\"site\":\"a\"}\r\n\
                    \n\
                    not json\n\
                    {\"url\":\"http://a.cn/2\",\"title\":\"无正文\"}\n\
                    [1,2]\n\
                    {\"content\":\"乙\"}";
        let items = items(text, JsonlFields::default(), MAX);
        assert_eq!(items.len(), 5);
        match &items[0] {
            Item::Page { bytes, meta } => {
                assert_eq!(bytes, "<p>甲</p>".as_bytes());
                assert_eq!(meta.id.as_deref(), Some("7"));
                assert_eq!(meta.url.as_deref(), Some("http://a.cn/1"));
                assert_eq!(meta.line, Some(1));
                let passed = serde_json::to_string(&meta.meta).unwrap();
                assert_eq!(passed, r#"{"id":7,"site":"a","url":"http://a.cn/1"}"#);
            }
            other => panic!("{other:?}"),
        }
        let (kind, message, line) = failure(&items[1]);
        assert_eq!((kind, line), ("not_json", Some(3)));
        assert!(message.starts_with("line is not valid JSON: "), "{message}");
        let (kind, message, line) = failure(&items[2]);
        assert_eq!((kind, line), ("missing_field", Some(4)));
        assert_eq!(
            message,
            "line has no string field any of \"html\", \"content\", \"text\", \
             \"raw\" holding the page (use --field)"
        );
        if let Item::Failed { meta, .. } = &items[2] {
            assert_eq!(
                meta.id.as_deref(),
                Some("http://a.cn/2"),
                "id falls back to url"
            );
            assert!(meta.meta.as_ref().unwrap().contains_key("title"));
        }
        assert_eq!(failure(&items[3]).0, "not_json");
        assert!(
            matches!(&items[4], Item::Page { bytes, meta } if bytes == "乙".as_bytes() && meta.line == Some(6) && meta.meta.is_none())
        );
    }

    #[test]
    fn chosen_fields_are_used_and_a_non_string_page_is_an_error() {
        let fields = JsonlFields {
            page: Some("body".into()),
            id: Some("key".into()),
            url: "link".into(),
        };
        let items = items(
            "{\"key\":\"k1\",\"link\":\"http://b.cn\",\"body\":\"丙\",\"html\":\"x\"}\n{\"body\":3}\n",
            fields,
            MAX,
        );
        match &items[0] {
            Item::Page { bytes, meta } => {
                assert_eq!(bytes, "丙".as_bytes());
                assert_eq!(meta.id.as_deref(), Some("k1"));
                assert_eq!(meta.url.as_deref(), Some("http://b.cn"));
            }
            other => panic!("{other:?}"),
        }
        let (kind, message, _) = failure(&items[1]);
        assert_eq!(kind, "missing_field");
        assert_eq!(message, "field \"body\" holds a number, not a string");
    }

    #[test]
    fn an_overlong_line_is_skipped_without_losing_the_next_one() {
        let long = format!("{{\"html\":\"{}\"}}", "长".repeat(100));
        let items = items(
            &format!("{long}\n{{\"html\":\"短\"}}\n"),
            JsonlFields::default(),
            40,
        );
        assert_eq!(items.len(), 2);
        assert_eq!(failure(&items[0]).0, "too_large");
        assert!(matches!(&items[1], Item::Page { meta, .. } if meta.line == Some(2)));
    }

    #[test]
    fn read_line_handles_lines_spanning_buffer_refills() {
        let data = format!("{}\n{}", "a".repeat(10), "b".repeat(5));
        let mut reader = io::BufReader::with_capacity(3, data.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut reader, &mut buf, 100).unwrap(),
            Line::Complete
        );
        assert_eq!(buf, b"aaaaaaaaaa");
        assert_eq!(
            read_line(&mut reader, &mut buf, 100).unwrap(),
            Line::Complete
        );
        assert_eq!(buf, b"bbbbb");
        assert_eq!(read_line(&mut reader, &mut buf, 100).unwrap(), Line::End);
    }
}
