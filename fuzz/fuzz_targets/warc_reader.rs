//! The WARC reader (`batch::warc`) over arbitrary bytes and over well-formed archives built
//! from arbitrary records, plain or gzip-wrapped: it must not panic, every WARC record must be
//! accounted for exactly once (an item, or counted as not a page), and every item must give
//! exactly one output record (article, error or skip).
//!
//! Input layout: byte 0 is a mode, the rest is the payload.
//! - bit 0: build mode. The payload is split at `0xFF` into records; in each, byte 0 picks
//!   the WARC type and how the block is made, the rest is the block (or HTTP body). Without
//!   bit 0 the payload is the stream, as it is.
//! - bit 1: gzip, one member per record in build mode (like `.warc.gz`), the whole stream
//!   otherwise;
//! - bit 2: cut the stream short (byte 1 of the payload says where);
//! - bit 3: a page limit of 256 bytes, so big pages take the `too_large` path.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use std::io::{Cursor, Write};
use std::sync::Arc;

use flate2::{write::GzEncoder, Compression};
use libfuzzer_sys::fuzz_target;
use zhclean::internals::batch::stream::{Counters, Stream, DEFAULT_MAX_PAGE_BYTES};
use zhclean::internals::batch::warc::WarcRecords;
use zhclean::internals::batch::Item;

use common::assert_one_json_line_each;

const TYPES: [&str; 8] = [
    "response",
    "resource",
    "conversion",
    "request",
    "metadata",
    "warcinfo",
    "revisit",
    "response",
];

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// One well-formed WARC record of type `kind` around `block`.
fn record(kind: &str, n: usize, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{n}>\r\n\
         WARC-Target-URI: http://a.cn/{n}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response around `body`, its head chosen by `pick`.
fn http(pick: u8, body: &[u8]) -> Vec<u8> {
    let status = ["200 OK", "404 Not Found", "301 Moved", "200 OK"][(pick & 3) as usize];
    let media = [
        "text/html; charset=gbk",
        "text/plain",
        "image/png",
        "text/html",
    ][((pick >> 2) & 3) as usize];
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {media}\r\n");
    let body = match (pick >> 4) & 3 {
        1 => {
            head.push_str("Content-Encoding: gzip\r\n");
            gzip(body)
        }
        2 => {
            head.push_str("Transfer-Encoding: chunked\r\n");
            let mut out = Vec::new();
            for chunk in body.chunks(7) {
                out.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
            out
        }
        3 => {
            head.push_str("Content-Encoding: deflate\r\n");
            body.to_vec()
        }
        _ => body.to_vec(),
    };
    let mut out = head.into_bytes();
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, payload)) = data.split_first() else {
        return;
    };
    let build = mode & 1 != 0;
    let zip = mode & 2 != 0;
    let cut = mode & 4 != 0;
    let max_page_bytes = if mode & 8 != 0 {
        256
    } else {
        DEFAULT_MAX_PAGE_BYTES
    };

    // Build mode: a well-formed archive of `records` records.
    let mut records = 0usize;
    let mut stream = Vec::new();
    if build {
        for (n, part) in payload.split(|&b| b == 0xFF).enumerate() {
            let (&pick, body) = part.split_first().unwrap_or((&0, &[]));
            let kind = TYPES[(pick & 7) as usize];
            let (content_type, block) = match kind {
                "response" if pick & 8 != 0 => (
                    "application/http; msgtype=response",
                    http(pick >> 4 | body.first().copied().unwrap_or(0) << 4, body),
                ),
                "response" => ("application/http; msgtype=response", body.to_vec()),
                "resource" if pick & 8 != 0 => ("text/plain", body.to_vec()),
                "resource" => ("text/html; charset=utf-8", body.to_vec()),
                "conversion" => ("text/plain", body.to_vec()),
                _ => ("application/warc-fields", body.to_vec()),
            };
            let one = record(kind, n, content_type, &block);
            stream.extend(if zip { gzip(&one) } else { one });
            records += 1;
        }
    } else {
        stream = if zip { gzip(payload) } else { payload.to_vec() };
    }
    if cut && !stream.is_empty() {
        let at = payload.get(1).map_or(0, |&b| b as usize * 31) % stream.len();
        stream.truncate(at);
    }
    let exact = build && !cut;

    let counters = Arc::new(Counters::default());
    let Ok(stream) = Stream::open(Cursor::new(stream)) else {
        return;
    };
    let items: Vec<Item> = WarcRecords::new(
        stream,
        Some("f.warc".into()),
        max_page_bytes,
        Arc::clone(&counters),
    )
    .collect();

    let numbers: Vec<u64> = items
        .iter()
        .map(|item| record_of(item).expect("every item has its record number"))
        .collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "record numbers go up: {numbers:?}"
    );
    let not_pages: u64 = counters.not_pages.lock().unwrap().values().sum();
    let seen = numbers.last().copied().unwrap_or(0);
    assert!(
        seen <= items.len() as u64 + not_pages,
        "records {numbers:?} with {not_pages} non-pages leave one unaccounted for"
    );
    for (i, item) in items.iter().enumerate() {
        if let Item::Failed { error, .. } = item {
            // (`warc_format`, a lying length or header, no longer ends the stream: reading
            // goes on at the next record.)
            if matches!(error.kind, "io" | "gzip" | "warc_truncated") {
                assert_eq!(i + 1, items.len(), "{} ends the stream", error.kind);
            }
        }
    }
    if exact {
        assert_eq!(
            items.len() as u64 + not_pages,
            records as u64,
            "each of {records} records is an item or a non-page: {items:?}"
        );
        for item in &items {
            if let Item::Failed { error, .. } = item {
                assert!(
                    !matches!(error.kind, "io" | "gzip" | "warc_truncated" | "warc_format"),
                    "a well-formed archive reads whole: {error:?}"
                );
            }
        }
    }

    assert_one_json_line_each(items);
});

fn record_of(item: &Item) -> Option<u64> {
    match item {
        Item::Page { meta, .. }
        | Item::Failed { meta, .. }
        | Item::Skipped { meta, .. }
        | Item::Raw { meta, .. } => meta.record,
    }
}
