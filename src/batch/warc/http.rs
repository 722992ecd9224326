//! The HTTP side of a WARC `response` record: status, media type, transfer and content
//! codings, and the page item made of its body.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::is_page_type;
use crate::batch::Item;
use crate::extract::html::Format;
use crate::pipeline::InputMeta;

/// HTML or text, as a page's media type says (`None`: let the pipeline sniff).
pub(super) fn page_format(content_type: &str) -> Option<Format> {
    match media_type(content_type).as_str() {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "text/plain" => Some(Format::Text),
        _ => None,
    }
}

/// `text/html; charset=gbk` → `text/html`.
pub(super) fn media_type(content_type: &str) -> String {
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
pub(super) fn dechunk(body: &[u8]) -> Vec<u8> {
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
pub(super) fn decode_content(body: Vec<u8>, coding: &str, max: usize) -> Result<Vec<u8>, String> {
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
