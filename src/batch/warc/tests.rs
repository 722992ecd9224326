//! Tests of the WARC reader: framing, resynchronisation, HTTP responses, limits.

use super::http::{dechunk, decode_content};
use super::*;
use crate::batch::stream::DEFAULT_MAX_PAGE_BYTES;
use crate::testing::gzip;
use flate2::Compression;
use std::io::Write;

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
    let items: Vec<Item> =
        WarcRecords::new(stream, None, DEFAULT_MAX_PAGE_BYTES, Arc::default()).collect();
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
    WarcRecords::new(stream, None, DEFAULT_MAX_PAGE_BYTES, Arc::default())
        .map(|item| match item.parse() {
            Item::Page { bytes, meta } => (
                meta.record.unwrap(),
                "page",
                String::from_utf8(bytes).unwrap(),
            ),
            Item::Failed { meta, error, .. } => (meta.record.unwrap(), error.kind, error.message),
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
            "malformed WARC record (no end of header in its first 64 KiB) at byte 237; \
             no record follows it"
                .into()
        )]
    );
}

#[test]
fn after_a_malformed_header_reading_goes_on_at_the_next_record() {
    let mut data = b"\r\nHTTP/1.1 200 OK\r\n\r\n<html>\r\n".to_vec();
    let next = data.len();
    data.extend(conversion(2, "乙。"));
    let items = read_all(data);
    assert_eq!(
        items,
        [
            (
                1,
                "warc_format",
                format!(
                    "malformed WARC record (header does not parse: \"HTTP/1.1 200 OK\") \
                     at byte 2; reading went on at the next record, at byte {next}"
                )
            ),
            (2, "page", "乙。".into()),
        ]
    );
}

/// `conversion(n, text)` whose header says `length` instead of the text's length.
fn lying(n: usize, text: &str, length: usize) -> Vec<u8> {
    let honest = format!("Content-Length: {}\r\n", text.len());
    let record = conversion(n, text);
    let at = memchr::memmem::find(&record, honest.as_bytes()).unwrap();
    let mut out = record[..at].to_vec();
    out.extend(format!("Content-Length: {length}\r\n").as_bytes());
    out.extend(&record[at + honest.len()..]);
    out
}

/// Records 1 and 3 honest, record 2 claiming `length` bytes for a 6-byte block; plain
/// (`gzip` 0), one gzip member per record (1) or one for the whole file (2).
fn archive(length: usize, gzip_mode: u8) -> (Vec<u8>, usize) {
    let records = [
        conversion(1, "甲。"),
        lying(2, "乙。", length),
        conversion(3, "丙。"),
    ];
    let second_at = records[0].len();
    let data = match gzip_mode {
        0 => records.concat(),
        1 => records.iter().flat_map(|r| gzip(r)).collect(),
        _ => gzip(&records.concat()),
    };
    (data, second_at)
}

#[test]
fn a_lying_content_length_is_one_error_record_and_the_next_record_is_still_read() {
    for gzip_mode in [0, 1, 2] {
        for length in [2, 5, 12, 40, 200, 5000] {
            let (data, second_at) = archive(length, gzip_mode);
            let items = read_all(data);
            let kinds: Vec<(u64, &str)> = items.iter().map(|i| (i.0, i.1)).collect();
            assert_eq!(
                kinds,
                [(1, "page"), (2, "warc_format"), (3, "page")],
                "length {length}, gzip mode {gzip_mode}: {items:?}"
            );
            assert_eq!(items[2].2, "丙。");
            let message = &items[1].2;
            assert!(
                message.starts_with(&format!("WARC record at byte {second_at}")),
                "{message}"
            );
            assert!(
                message.contains(&format!("\"Content-Length: {length}\" is wrong")),
                "{message}"
            );
            if gzip_mode == 1 {
                assert!(message.contains("next gzip member"), "{message}");
            }
        }
    }
}

#[test]
fn a_length_past_the_end_with_no_record_after_is_a_cut_record() {
    let mut data = conversion(1, "甲。");
    data.extend(lying(2, "乙。", 5000));
    let items = read_all(data);
    assert_eq!(items[1].1, "warc_truncated", "{items:?}");
}

#[test]
fn bad_http_heads_are_errors() {
    match http_item(b"not http at all\r\n\r\n", InputMeta::default(), 100) {
        Item::Failed { error, .. } => assert_eq!(error.kind, "http"),
        other => panic!("{other:?}"),
    }
}
