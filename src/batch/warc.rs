//! WARC input (`.warc`, `.warc.gz`, Common Crawl WET): one item per page record.
//!
//! Records are read with the `warc` crate (gzip is peeled off before, by the source's
//! `MultiGzDecoder`, so per-record gzip members work). Which records are pages:
//! - `response`: the HTTP head is split off with `httparse`; a non-2xx status is skipped
//!   (`http_status`), a body that is not HTML or text is skipped (`not_html`, with the media
//!   type), chunked transfer coding and gzip/deflate content coding are undone, and the HTTP
//!   `Content-Type` goes to the decode stage as charset evidence and decides HTML or text;
//! - `resource` with an HTML content type, and `conversion` (WET plain text): the block is
//!   the page;
//! - everything else (`request`, `metadata`, `warcinfo`, `revisit`, …) is not a page: counted
//!   by type in [`Counters::not_pages`], no output line.
//!
//! `WARC-Target-URI` → `input.url`, `WARC-Record-ID` → `id`, and `input.record` numbers every
//! WARC record from 1.
//!
//! Contract: a record cut off at the end of the file, or a malformed record, becomes one error
//! item and ends the file (the `warc` crate cannot find the next record boundary after a bad
//! one; the message says the rest was not read).

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};
use warc::{RawRecordHeader, WarcHeader, WarcReader};

use super::source::{Counters, SourceOptions, Stream};
use super::Item;
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
            match self.stream.fill_buf().map(|head| head.is_empty()) {
                Ok(true) => return None,
                Ok(false) => {}
                Err(e) => return Some(self.read_failed(&e)),
            }
            self.record += 1;
            // A fresh iterator per record: it holds no state but the reader, and this way we
            // can look at the reader between records (to tell a clean end from a cut one).
            let next = WarcReader::new(&mut self.stream).iter_raw_records().next();
            let (header, body) = match next {
                Some(Ok(record)) => record,
                None => return Some(self.fail("warc_truncated", "file ends inside a WARC header")),
                Some(Err(warc::Error::UnexpectedEOB)) => {
                    return Some(self.fail(
                        "warc_truncated",
                        "record is cut off (file ends before its Content-Length)",
                    ))
                }
                Some(Err(warc::Error::ReadData(e))) => return Some(self.read_failed(&e)),
                Some(Err(e)) => {
                    let problem = format!("malformed WARC record ({e})");
                    return Some(self.fail("warc_format", &problem));
                }
            };
            if let Some(item) = self.page_item(&header, body) {
                return Some(item);
            }
        }
        None
    }
}

impl WarcRecords {
    fn read_failed(&mut self, e: &io::Error) -> Item {
        let gzip = self.stream.is_gzip();
        let problem = if gzip && e.kind() == io::ErrorKind::UnexpectedEof {
            "gzip stream is truncated (cut off before its end)".to_string()
        } else {
            format!("read failed: {e}")
        };
        self.fail(if gzip { "gzip" } else { "io" }, &problem)
    }

    /// The item for a record, or `None` (counted) for records that are not pages.
    fn page_item(&mut self, header: &RawRecordHeader, block: Vec<u8>) -> Option<Item> {
        let field = |name: WarcHeader| {
            header
                .headers
                .get(&name)
                .map(|v| String::from_utf8_lossy(v).trim().to_string())
        };
        let kind = field(WarcHeader::WarcType).unwrap_or_default();
        let block_type = field(WarcHeader::ContentType).unwrap_or_default();
        let mut meta = self.meta();
        meta.id = field(WarcHeader::RecordID);
        meta.url = field(WarcHeader::TargetURI);
        let max = self.options.max_page_bytes;
        match kind.as_str() {
            "response" if block_type.is_empty() || block_type.starts_with("application/http") => {
                Some(http_item(&block, meta, max))
            }
            "resource" if is_page_type(&block_type) => {
                meta.format = page_format(&block_type);
                Some(Item::page(block, meta))
            }
            "conversion" => {
                meta.format = Some(Format::Text);
                meta.content_type = (!block_type.is_empty()).then_some(block_type);
                Some(Item::page(block, meta))
            }
            _ => {
                self.counters
                    .not_page(if kind.is_empty() { "unknown" } else { &kind });
                None
            }
        }
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

    #[test]
    fn bad_http_heads_are_errors() {
        match http_item(b"not http at all\r\n\r\n", InputMeta::default(), 100) {
            Item::Failed { error, .. } => assert_eq!(error.kind, "http"),
            other => panic!("{other:?}"),
        }
    }
}
