//! The JSONL reader (`batch::jsonl`) over arbitrary bytes, plain or gzip-wrapped: it must not
//! panic, and every non-blank line must give exactly one item, which gives exactly one output
//! record (article, error or skip).
//!
//! Input layout: byte 0 is a mode, the rest is the stream.
//! - bit 0: gzip the stream (the source sniffs `1f 8b` and decompresses);
//! - bit 1: with bit 0, cut the compressed stream short (byte 1 says where);
//! - bit 2: a page limit of 64 bytes, so long lines take the `too_large` path.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use std::io::{Cursor, Write};

use flate2::{write::GzEncoder, Compression};
use libfuzzer_sys::fuzz_target;
use zhclean::internals::batch::jsonl::{JsonlFields, JsonlReader};
use zhclean::internals::batch::stream::{Stream, DEFAULT_MAX_PAGE_BYTES};
use zhclean::internals::batch::Item;

use common::assert_one_json_line_each;

const SMALL_LIMIT: usize = 64;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, payload)) = data.split_first() else {
        return;
    };
    let gzip = mode & 1 != 0;
    let truncate = gzip && mode & 2 != 0;
    let max_page_bytes = if mode & 4 != 0 {
        SMALL_LIMIT
    } else {
        DEFAULT_MAX_PAGE_BYTES
    };
    let mut stream = payload.to_vec();
    if gzip {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(payload).unwrap();
        stream = gz.finish().unwrap();
        if truncate {
            let cut = payload.first().map_or(0, |&b| b as usize) % stream.len();
            stream.truncate(cut.max(2));
        }
    }
    // Exact expectations hold when the reader sees `payload` itself: a plain stream that does
    // not look like gzip, or a whole gzip stream.
    let exact = if gzip {
        !truncate
    } else {
        !payload.starts_with(&[0x1f, 0x8b])
    };

    let Ok(stream) = Stream::open(Cursor::new(stream)) else {
        return;
    };
    let items: Vec<Item> = JsonlReader::new(
        stream,
        Some("f.jsonl".into()),
        JsonlFields::default(),
        max_page_bytes,
    )
        .map(Item::parse)
        .collect();

    let lines: Vec<u64> = items
        .iter()
        .map(|item| line_of(item).expect("every item has its line number"))
        .collect();
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "line numbers go up: {lines:?}"
    );
    for (i, item) in items.iter().enumerate() {
        if let Item::Failed { error, .. } = item {
            if matches!(error.kind, "io" | "gzip") {
                assert_eq!(i + 1, items.len(), "a read error ends the stream");
            }
        }
    }
    if exact {
        assert_eq!(
            lines,
            expected_lines(payload, max_page_bytes),
            "one item per non-blank line"
        );
        assert!(items.iter().all(|item| !matches!(item, Item::Failed { error, .. } if matches!(error.kind, "io" | "gzip"))));
    }

    assert_one_json_line_each(items);
});

fn line_of(item: &Item) -> Option<u64> {
    match item {
        Item::Page { meta, .. }
        | Item::Failed { meta, .. }
        | Item::Skipped { meta, .. }
        | Item::Raw { meta, .. } => meta.line,
    }
}

/// The reader's contract, written out independently: the lines (split at `\n`, a final
/// empty piece is not a line) that are over the limit, or not blank once a first-line BOM is
/// dropped.
fn expected_lines(payload: &[u8], max: usize) -> Vec<u64> {
    let mut pieces: Vec<&[u8]> = payload.split(|&b| b == b'\n').collect();
    if pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    let mut out = Vec::new();
    for (i, piece) in pieces.into_iter().enumerate() {
        if piece.len() > max {
            out.push(i as u64 + 1);
            continue;
        }
        let piece = if i == 0 {
            piece.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(piece)
        } else {
            piece
        };
        if !piece.iter().all(u8::is_ascii_whitespace) {
            out.push(i as u64 + 1);
        }
    }
    out
}
