//! WARC input (`.warc`, `.warc.gz`, Common Crawl WET): one item per page record.
//!
//! Records are framed here (header lines to a blank line, then `Content-Length` bytes) and
//! their headers parsed with the `warc` crate; gzip is peeled off before, by the source's
//! `MultiGzDecoder`, so per-record gzip members work. Which records are pages:
//! - `response`: the HTTP head is split off with `httparse`; a non-2xx status is skipped
//!   (`http_status`), a body that is not HTML or text is skipped (`not_html`, with the media
//!   type), chunked transfer coding and gzip/deflate content coding are undone, and the HTTP
//!   `Content-Type` goes to the decode stage as charset evidence and decides HTML or text;
//! - `resource` with an HTML content type, and `conversion` (WET plain text): the block is
//!   the page;
//! - everything else (`request`, `metadata`, `warcinfo`, `revisit`, …) is not a page: counted
//!   by type in [`Counters::not_pages`], no output line, its block skipped unread.
//!
//! `WARC-Target-URI` → `input.url`, `WARC-Record-ID` → `id`, and `input.record` numbers every
//! WARC record from 1.
//!
//! Contract: every WARC record is one item or one count in [`Counters::not_pages`]. A page
//! record longer than the page limit is a `too_large` error item, skipped by its length, and
//! reading goes on. A record cut off at the end of the file, a malformed header (or one with
//! no end within 64 KiB) or a read error becomes one error item and ends the file (after a bad
//! header there is no trustworthy next record boundary; the message says the rest was not
//! read). Memory per record is bounded by the page limit, whatever the `Content-Length` says.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::source::{read_error, Counters, SourceOptions, Stream};
use super::{Item, RawFormat};
use crate::extract::html::Format;
use crate::pipeline::InputMeta;

/// Media types cleaned as pages. Anything else is skipped.
const PAGE_TYPES: [&str; 4] = [
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/xml",
];

/// The page items of one WARC stream.
pub struct WarcRecords {
    stream: Stream,
    path: Option<String>,
    options: Arc<SourceOptions>,
    counters: Arc<Counters>,
    record: u64,
    done: bool,
}

impl WarcRecords {
    /// Reads `stream`, named `path` in messages (`None` for stdin).
    pub fn new(
        stream: Stream,
        path: Option<String>,
        options: Arc<SourceOptions>,
        counters: Arc<Counters>,
    ) -> WarcRecords {
        WarcRecords {
            stream,
            path,
            options,
            counters,
            record: 0,
            done: false,
        }
    }

    fn meta(&self) -> InputMeta {
        InputMeta {
            path: self.path.clone(),
            record: Some(self.record),
            ..InputMeta::default()
        }
    }

    /// Ends the stream with an error item.
    fn fail(&mut self, kind: &'static str, problem: &str) -> Item {
        self.done = true;
        let meta = self.meta();
        let message = format!("{problem}; the rest of this file was not read");
        Item::failed(meta, 0, kind, message)
    }
}

impl Iterator for WarcRecords {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            // Counted before looking: a read error here is about this next record, not the
            // last one (which already has its item).
            self.record += 1;
            match skip_line_ends(&mut self.stream) {
                Ok(true) => return None,
                Ok(false) => {}
                Err(e) => return Some(self.read_failed(&e)),
            }
            let mut block = Vec::new();
            match read_header(&mut self.stream, &mut block) {
                Ok(HeaderBlock::Complete) => {}
                Ok(HeaderBlock::Cut) => {
                    return Some(self.fail("warc_truncated", "file ends inside a WARC header"))
                }
                Ok(HeaderBlock::TooLong) => {
                    let problem = format!(
                        "malformed WARC record (no end of header in its first {} KiB)",
                        MAX_HEADER_BYTES / 1024
                    );
                    return Some(self.fail("warc_format", &problem));
                }
                Err(e) => return Some(self.read_failed(&e)),
            }
            let (header, length) = match parse_header(&block) {
                Some(parsed) => parsed,
                None => {
                    let first = block.split(|&b| b == b'\n').next().unwrap_or(&[]);
                    let first = String::from_utf8_lossy(&first[..first.len().min(60)]);
                    let problem = format!(
                        "malformed WARC record (header does not parse: {:?})",
                        first.trim_end()
                    );
                    return Some(self.fail("warc_format", &problem));
                }
            };
            match self.record_item(header, length) {
                Ok(Some(item)) => return Some(item),
                Ok(None) => {}
                Err(Body::Cut) => {
                    return Some(self.fail(
                        "warc_truncated",
                        "record is cut off (file ends before its Content-Length)",
                    ))
                }
                Err(Body::Read(e)) => return Some(self.read_failed(&e)),
            }
        }
        None
    }
}

/// Longest WARC header block read (real ones are well under 4 KiB); a longer one is malformed.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// What [`read_header`] found.
#[derive(Debug, PartialEq, Eq)]
enum HeaderBlock {
    /// The header lines and the blank line ending them are in the buffer.
    Complete,
    /// The stream ended first.
    Cut,
    /// No blank line within [`MAX_HEADER_BYTES`].
    TooLong,
}

/// Why a record's block could not be read.
enum Body {
    /// The stream ended before `Content-Length` bytes.
    Cut,
    /// A read error (e.g. corrupt gzip).
    Read(io::Error),
}

impl From<io::Error> for Body {
    fn from(e: io::Error) -> Body {
        Body::Read(e)
    }
}

// Records are framed here rather than by the `warc` crate's `RawRecordIter`, which panics on a
// `Content-Length` near `usize::MAX` (an overflowing `+ 4`, then a slice out of range: seen
// while writing the `warc_reader` fuzz target), buffers a header or body line of any length,
// and reads every block into memory. Framing is only this: header lines to a blank line, then
// `Content-Length` bytes. The crate still parses the header lines.

/// Skips the line ends between records (`\r\n\r\n` after each block, fewer from lax
/// writers). `true` at the end of the stream.
fn skip_line_ends(reader: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(true);
        }
        let ends = chunk
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let more = ends == chunk.len();
        reader.consume(ends);
        if !more {
            return Ok(false);
        }
    }
}

/// Reads header lines into `buf` up to and including the blank line that ends them, holding
/// at most [`MAX_HEADER_BYTES`].
fn read_header(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<HeaderBlock> {
    buf.clear();
    let mut line_start = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(HeaderBlock::Cut);
        }
        let (used, found) = match memchr::memchr(b'\n', chunk) {
            Some(at) => (at + 1, true),
            None => (chunk.len(), false),
        };
        if buf.len() + used > MAX_HEADER_BYTES {
            return Ok(HeaderBlock::TooLong);
        }
        buf.extend_from_slice(&chunk[..used]);
        reader.consume(used);
        if found {
            if matches!(&buf[line_start..], b"\r\n" | b"\n") {
                return Ok(HeaderBlock::Complete);
            }
            line_start = buf.len();
        }
    }
}

/// The header fields a record's item is made from (trimmed, lossily decoded).
#[derive(Debug, Default)]
struct RecordHeader {
    /// `WARC-Type`.
    kind: String,
    /// `Content-Type` of the block.
    content_type: String,
    /// `WARC-Record-ID`.
    id: Option<String>,
    /// `WARC-Target-URI`.
    url: Option<String>,
    /// `WARC-Date`: when the page was fetched.
    date: Option<String>,
}

/// The parsed header and its `Content-Length` (0 when absent), or `None` if it is malformed.
///
/// The `warc` crate parses the lines; only the five fields used are kept, matched as its
/// `RawRecordHeader` would key them (names case-insensitive, the last of a repeated name
/// wins), without building that map of every field for each record on the reading thread.
fn parse_header(block: &[u8]) -> Option<(RecordHeader, u64)> {
    let (_, (_version, fields, length)) = warc::parser::headers(block).ok()?;
    let (mut kind, mut content_type, mut id, mut url, mut date) = (None, None, None, None, None);
    for (name, value) in fields {
        let slot = if name.eq_ignore_ascii_case("WARC-Type") {
            &mut kind
        } else if name.eq_ignore_ascii_case("Content-Type") {
            &mut content_type
        } else if name.eq_ignore_ascii_case("WARC-Record-ID") {
            &mut id
        } else if name.eq_ignore_ascii_case("WARC-Target-URI") {
            &mut url
        } else if name.eq_ignore_ascii_case("WARC-Date") {
            &mut date
        } else {
            continue;
        };
        *slot = Some(value);
    }
    let text = |value: &[u8]| String::from_utf8_lossy(value).trim().to_string();
    let header = RecordHeader {
        kind: kind.map(text).unwrap_or_default(),
        content_type: content_type.map(text).unwrap_or_default(),
        id: id.map(text),
        url: url.map(text),
        date: date.map(text),
    };
    Some((header, u64::try_from(length).ok()?))
}

/// Skips `length` bytes of `reader`.
fn skip(reader: &mut impl Read, length: u64) -> Result<(), Body> {
    let skipped = io::copy(&mut reader.take(length), &mut io::sink())?;
    if skipped < length {
        return Err(Body::Cut);
    }
    Ok(())
}

impl WarcRecords {
    fn read_failed(&mut self, e: &io::Error) -> Item {
        let gzip = self.stream.is_gzip();
        let problem = read_error(e, gzip);
        self.fail(if gzip { "gzip" } else { "io" }, &problem)
    }

    /// Reads the block of a record whose header is read: the item for a page, `None` (counted,
    /// block skipped unread) for records that are not pages.
    fn record_item(&mut self, header: RecordHeader, length: u64) -> Result<Option<Item>, Body> {
        let RecordHeader {
            kind,
            content_type: block_type,
            id,
            url,
            date,
        } = header;
        let mut meta = self.meta();
        meta.id = id;
        meta.url = url;
        meta.fetched_at = date;
        let page = match kind.as_str() {
            "response" => block_type.is_empty() || block_type.starts_with("application/http"),
            "resource" => is_page_type(&block_type),
            "conversion" => true,
            _ => false,
        };
        if !page {
            skip(&mut self.stream, length)?;
            let kind = if kind.is_empty() { "unknown" } else { &kind };
            self.counters.not_page(kind);
            return Ok(None);
        }
        let max = self.options.max_page_bytes;
        if length > max as u64 {
            // Skipped by its length, so the records after it are still read.
            skip(&mut self.stream, length)?;
            let message = format!("record is larger than the page limit of {max} bytes");
            let bytes = usize::try_from(length).unwrap_or(usize::MAX);
            return Ok(Some(Item::failed(meta, bytes, "too_large", message)));
        }
        // Room for the block as its length says, up to 1 MiB: a length that lies (a file cut
        // short) costs at most that, and larger blocks grow as their bytes arrive.
        let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
        (&mut self.stream).take(length).read_to_end(&mut block)?;
        if (block.len() as u64) < length {
            return Err(Body::Cut);
        }
        Ok(Some(match kind.as_str() {
            // Parsed by the worker (`Item::parse`): this thread reads for all of them.
            "response" => Item::Raw {
                bytes: block,
                meta,
                format: RawFormat::HttpResponse {
                    max_page_bytes: max,
                },
            },
            "resource" => {
                meta.format = page_format(&block_type);
                Item::page(block, meta)
            }
            _ => {
                meta.format = Some(Format::Text);
                meta.content_type = (!block_type.is_empty()).then_some(block_type);
                Item::page(block, meta)
            }
        }))
    }
}

fn is_page_type(content_type: &str) -> bool {
    let media = media_type(content_type);
    PAGE_TYPES.contains(&media.as_str())
}

/// HTML or text, as a page's media type says (`None`: let the pipeline sniff).
fn page_format(content_type: &str) -> Option<Format> {
    match media_type(content_type).as_str() {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "text/plain" => Some(Format::Text),
        _ => None,
    }
}

/// `text/html; charset=gbk` → `text/html`.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// An HTTP response block → the page item, a skip or an error.
pub fn http_item(block: &[u8], mut meta: InputMeta, max: usize) -> Item {
    let mut storage = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut storage);
    let head_len = match response.parse(block) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => {
            let message = "HTTP response head is incomplete".to_string();
            return Item::failed(meta, block.len(), "http", message);
        }
        Err(e) => {
            let message = format!("HTTP response head is malformed: {e}");
            return Item::failed(meta, block.len(), "http", message);
        }
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let body = &block[head_len..];
    let status = response.code.unwrap_or(0);
    if !(200..300).contains(&status) {
        return Item::Skipped {
            meta,
            bytes: body.len(),
            reason: "http_status",
            detail: Some(status.to_string()),
        };
    }
    let content_type = header("content-type");
    if let Some(content_type) = &content_type {
        if !is_page_type(content_type) {
            return Item::Skipped {
                meta,
                bytes: body.len(),
                reason: "not_html",
                detail: Some(media_type(content_type)),
            };
        }
    }
    let chunked =
        header("transfer-encoding").is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    let coding = header("content-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    meta.format = content_type.as_deref().and_then(page_format);
    meta.content_type = content_type;
    // The server's `Date` when the WARC record gave no `WARC-Date`.
    if meta.fetched_at.is_none() {
        meta.fetched_at = header("date");
    }
    match decode_content(body, &coding, max) {
        Ok(bytes) if bytes.len() > max => {
            let message = format!("page is larger than the limit of {max} bytes");
            Item::failed(meta, bytes.len(), "too_large", message)
        }
        Ok(bytes) => Item::page(bytes, meta),
        Err(problem) => Item::failed(meta, block.len() - head_len, "content_encoding", problem),
    }
}

/// Undoes chunked transfer coding. Crawlers differ (some store bodies already de-chunked
/// under the original header), so a body that does not start with a chunk-size line is
/// returned as it is, and a chunk stream cut short keeps what arrived.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let (used, size) = match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete(found)) => found,
            _ if out.is_empty() && rest.len() == body.len() => return body.to_vec(),
            _ => return out,
        };
        rest = &rest[used..];
        if size == 0 {
            return out;
        }
        let take = usize::try_from(size).unwrap_or(usize::MAX).min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
    }
}

/// Undoes `Content-Encoding` (reading at most `max + 1` bytes, against decompression bombs).
/// A gzip or deflate stream cut short keeps what was decoded, as long as something was.
fn decode_content(body: Vec<u8>, coding: &str, max: usize) -> Result<Vec<u8>, String> {
    let read_all = |mut reader: Box<dyn Read + '_>| -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        match reader.by_ref().take(max as u64 + 1).read_to_end(&mut out) {
            Ok(_) => Ok(out),
            Err(_) if !out.is_empty() => Ok(out),
            Err(e) => Err(format!("cannot undo Content-Encoding {coding}: {e}")),
        }
    };
    match coding {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => read_all(Box::new(MultiGzDecoder::new(body.as_slice()))),
        // "deflate" is meant to be zlib-wrapped, but servers also send raw deflate.
        "deflate" => read_all(Box::new(ZlibDecoder::new(body.as_slice())))
            .or_else(|_| read_all(Box::new(DeflateDecoder::new(body.as_slice())))),
        other => Err(format!("unsupported Content-Encoding {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(data).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn chunked_gzip_responses_are_undone_and_charset_kept() {
        let page = "<html><body><p>新闻正文。</p></body></html>".as_bytes();
        let zipped = gzip(page);
        let (a, b) = zipped.split_at(10);
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
            Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
            .to_vec();
        for chunk in [a, b] {
            block.extend(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
            block.extend(chunk);
            block.extend(b"\r\n");
        }
        block.extend(b"0\r\n\r\n");
        match http_item(&block, InputMeta::default(), 1 << 20) {
            Item::Page { bytes, meta } => {
                assert_eq!(bytes, page);
                assert_eq!(
                    meta.content_type.as_deref(),
                    Some("text/html; charset=utf-8")
                );
                assert_eq!(meta.format, Some(Format::Html));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn images_and_redirects_are_skipped_with_their_reason() {
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/PNG\r\n\r\n\x89PNG";
        assert!(matches!(
            http_item(image, InputMeta::default(), 100),
            Item::Skipped { reason: "not_html", detail: Some(d), .. } if d == "image/png"
        ));
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert!(matches!(
            http_item(redirect, InputMeta::default(), 100),
            Item::Skipped { reason: "http_status", detail: Some(d), .. } if d == "301"
        ));
    }

    #[test]
    fn a_body_already_dechunked_is_kept_and_raw_deflate_is_accepted() {
        assert_eq!(
            dechunk(b"<html>already plain</html>"),
            b"<html>already plain</html>"
        );
        let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), Compression::fast());
        raw.write_all("正文".as_bytes()).unwrap();
        let raw = raw.finish().unwrap();
        assert_eq!(
            decode_content(raw, "deflate", 100).unwrap(),
            "正文".as_bytes()
        );
        assert_eq!(
            decode_content(b"x".to_vec(), "br", 100).unwrap_err(),
            "unsupported Content-Encoding br"
        );
    }

    fn conversion(n: usize, text: &str) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:{n}>\r\n\
             Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
            text.len()
        )
        .into_bytes();
        out.extend(text.as_bytes());
        out.extend(b"\r\n\r\n");
        out
    }

    /// Found by the `warc_reader` fuzz target: a gzip member that fails to decompress right
    /// after a good record gave an error item carrying the good record's number (two lines
    /// for `#1`, none for `#2`).
    #[test]
    fn a_corrupt_gzip_member_between_records_is_the_next_records_error() {
        let mut data = gzip(&conversion(1, "第一条。"));
        let mut second = gzip(&conversion(2, "第二条。"));
        for byte in &mut second[10..20] {
            *byte = 0xFF;
        }
        data.extend(second);
        let items = read_all(data);
        assert_eq!(
            items,
            [
                (1, "page", "第一条。".to_string()),
                (
                    2,
                    "gzip",
                    "gzip stream is corrupt: corrupt deflate stream; \
                     the rest of this file was not read"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn responses_are_left_to_the_worker_to_parse() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n\xe6\x96\xb0\xe9\x97\xbb";
        let mut record = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
             WARC-Target-URI: http://a.cn/1\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        record.extend_from_slice(block);
        record.extend_from_slice(b"\r\n\r\n");
        let stream = Stream::open(io::Cursor::new(record)).unwrap();
        let options = Arc::new(SourceOptions::default());
        let items: Vec<Item> = WarcRecords::new(stream, None, options, Arc::default()).collect();
        assert_eq!(items.len(), 1);
        let Item::Raw {
            bytes,
            meta,
            format,
        } = &items[0]
        else {
            panic!("{:?}", items[0]);
        };
        assert_eq!(bytes, block);
        assert_eq!(meta.url.as_deref(), Some("http://a.cn/1"));
        assert!(matches!(format, RawFormat::HttpResponse { .. }));
        match items.into_iter().next().map(Item::parse) {
            Some(Item::Page { bytes, meta }) => {
                assert_eq!(bytes, "新闻".as_bytes());
                assert_eq!(meta.id.as_deref(), Some("<urn:uuid:1>"));
                assert_eq!(meta.content_type.as_deref(), Some("text/plain"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_fields_are_matched_as_the_warc_crate_keys_them() {
        let block = b"WARC/1.1\r\nwarc-type: resource\r\nWARC-Target-URI: http://a.cn/1\r\n\
                      CONTENT-TYPE:  text/html \r\nWARC-Record-ID: <urn:uuid:1>\r\n\
                      WARC-Target-URI: http://a.cn/2\r\nContent-Length: 12\r\n\r\n";
        let (header, length) = parse_header(block).unwrap();
        assert_eq!(length, 12);
        assert_eq!(header.kind, "resource");
        assert_eq!(header.content_type, "text/html");
        assert_eq!(header.id.as_deref(), Some("<urn:uuid:1>"));
        // As in the crate's map of fields, the last of a repeated field wins.
        assert_eq!(header.url.as_deref(), Some("http://a.cn/2"));
        let (bare, _) = parse_header(b"WARC/1.0\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert_eq!((bare.kind.as_str(), bare.id, bare.url), ("", None, None));
        assert!(parse_header(b"not a warc header\r\n\r\n").is_none());
    }

    fn read_all(data: Vec<u8>) -> Vec<(u64, &'static str, String)> {
        let stream = Stream::open(io::Cursor::new(data)).unwrap();
        let options = Arc::new(SourceOptions::default());
        WarcRecords::new(stream, None, options, Arc::default())
            .map(|item| match item.parse() {
                Item::Page { bytes, meta } => (
                    meta.record.unwrap(),
                    "page",
                    String::from_utf8(bytes).unwrap(),
                ),
                Item::Failed { meta, error, .. } => {
                    (meta.record.unwrap(), error.kind, error.message)
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn lax_record_ends_are_accepted_and_an_endless_header_is_malformed() {
        let mut data = conversion(1, "甲。");
        data.truncate(data.len() - 3); // only `\n` after the block
        data.extend(conversion(2, "乙。"));
        data.extend(b"WARC/1.0\r\nX-Long: ");
        data.extend(vec![b'a'; MAX_HEADER_BYTES]);
        let items = read_all(data);
        assert_eq!(
            items[..2],
            [(1, "page", "甲。".into()), (2, "page", "乙。".into())]
        );
        assert_eq!(
            items[2..],
            [(
                3,
                "warc_format",
                "malformed WARC record (no end of header in its first 64 KiB); \
                 the rest of this file was not read"
                    .into()
            )]
        );
        let items = read_all(b"\r\nHTTP/1.1 200 OK\r\n\r\n".to_vec());
        assert_eq!(
            items,
            [(
                1,
                "warc_format",
                "malformed WARC record (header does not parse: \"HTTP/1.1 200 OK\"); \
                 the rest of this file was not read"
                    .into()
            )]
        );
    }

    #[test]
    fn bad_http_heads_are_errors() {
        match http_item(b"not http at all\r\n\r\n", InputMeta::default(), 100) {
            Item::Failed { error, .. } => assert_eq!(error.kind, "http"),
            other => panic!("{other:?}"),
        }
    }
}
