//! WARC input (`.warc`, `.warc.gz`, Common Crawl WET): one item per page record.
//!
//! Records are framed here (header lines to a blank line, then `Content-Length` bytes) and
//! their headers parsed with the `warc` crate; gzip is peeled off before, by the source
//! ([`super::gzip`], which also says where each member starts), so per-record gzip members
//! work. Which records are pages:
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
//! Framing is checked: after each block must come line ends (the standard's `\r\n\r\n`;
//! lax writers' fewer are accepted) and the next `WARC/` header or the end of the stream, and
//! in a `.warc.gz` of one gzip member per record no member may start inside a block. A
//! record that fails this has a `Content-Length` that lies: it becomes one `warc_format` error
//! item naming its offset and that header, and reading goes on at the next record, which is
//! the next gzip member in a `.warc.gz` of one member per record, and otherwise the next line
//! starting with `WARC/1.` (looked for from the bad record's block on, so that a record its
//! length swallowed is still read). A malformed header (or one with no end within 64 KiB) is
//! handled the same way.
//!
//! Contract: every WARC record is one item or one count in [`Counters::not_pages`] (a record
//! whose framing lies is an item, whatever its type). A page record longer than the page
//! limit is a `too_large` error item, skipped by its length, and reading goes on. A record
//! cut off at the end of the file (with no next record inside what was read of it) or a read
//! error becomes one error item and ends the file. Memory per record is bounded by the page
//! limit, whatever the `Content-Length` says: blocks up to the limit are read (to look for
//! the next record in them if the length lies), longer ones skipped.
//!
//! Files: this one reads record after record and makes their items; `framing.rs` reads
//! headers and checks and recovers framing; `http.rs` turns a `response` block into a page.

use std::io::{self, Read};
use std::sync::Arc;

use super::stream::{read_error, Counters, Stream};
use super::{Item, RawFormat};
use crate::extract::html::Format;
use crate::pipeline::InputMeta;

use framing::{
    parse_header, read_header, skip_line_ends, Framing, HeaderBlock, Input, RecordHeader,
    MAX_HEADER_BYTES,
};
pub use http::http_item;
use http::{media_type, page_format};

mod framing;
mod http;

/// Media types cleaned as pages. Anything else is skipped.
const PAGE_TYPES: [&str; 4] = [
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/xml",
];

/// The page items of one WARC stream.
pub struct WarcRecords {
    input: Input,
    path: Option<String>,
    /// HTTP bodies (decompressed) larger than this are `too_large` errors.
    max_page_bytes: usize,
    counters: Arc<Counters>,
    record: u64,
    done: bool,
}

impl WarcRecords {
    /// Reads `stream`, named `path` in messages (`None` for stdin); a page larger than
    /// `max_page_bytes` is a `too_large` error; records that are not pages are counted in
    /// `counters`.
    pub fn new(
        stream: Stream,
        path: Option<String>,
        max_page_bytes: usize,
        counters: Arc<Counters>,
    ) -> WarcRecords {
        WarcRecords {
            input: Input {
                stream,
                replay: Vec::new(),
                at: 0,
                replay_start: 0,
                deferred: None,
            },
            path,
            max_page_bytes,
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
            match skip_line_ends(&mut self.input) {
                Ok(true) => return None,
                Ok(false) => {}
                Err(e) => return Some(self.read_failed(&e)),
            }
            let start = self.input.position();
            self.input.stream.forget_members_before(start);
            let mut head = Vec::new();
            let problem = match read_header(&mut self.input, &mut head) {
                Ok(HeaderBlock::Complete) => match parse_header(&head) {
                    Some((header, length)) => {
                        match self.record_item(start, head.len(), header, length) {
                            Ok(Some(item)) => return Some(item),
                            Ok(None) => continue,
                            Err(e) => return Some(self.read_failed(&e)),
                        }
                    }
                    None => {
                        let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
                        let first = String::from_utf8_lossy(&first[..first.len().min(60)]);
                        format!(
                            "malformed WARC record (header does not parse: {:?})",
                            first.trim_end()
                        )
                    }
                },
                Ok(HeaderBlock::Cut) => {
                    return Some(self.fail("warc_truncated", "file ends inside a WARC header"))
                }
                Ok(HeaderBlock::TooLong) => format!(
                    "malformed WARC record (no end of header in its first {} KiB)",
                    MAX_HEADER_BYTES / 1024
                ),
                Err(e) => return Some(self.read_failed(&e)),
            };
            // Go on at the next record: from the byte after this one's start.
            self.input.unread(&head[1.min(head.len())..]);
            return Some(match self.resync(start, false) {
                Ok(next) => {
                    let message = format!(
                        "{problem} at {}; {}",
                        self.offset(start),
                        self.went_on(next)
                    );
                    Item::failed(self.meta(), head.len(), "warc_format", message)
                }
                Err(e) => self.read_failed(&e),
            });
        }
        None
    }
}

fn is_page_type(content_type: &str) -> bool {
    let media = media_type(content_type);
    PAGE_TYPES.contains(&media.as_str())
}

impl WarcRecords {
    fn read_failed(&mut self, e: &io::Error) -> Item {
        let gzip = self.input.stream.is_gzip();
        let problem = read_error(e, gzip);
        self.fail(if gzip { "gzip" } else { "io" }, &problem)
    }

    /// Reads the block of a record whose header (`head_len` bytes from offset `start`) is
    /// read and checks that the record ends where the header says: the item for a page,
    /// `None` (counted) for records that are not pages, an error item for a record whose
    /// length lies (reading then goes on at the next record). About 100 lines: the cases of
    /// one record (too large, not a page, framing, response or resource) in the order they are
    /// told apart.
    fn record_item(
        &mut self,
        start: u64,
        head_len: usize,
        header: RecordHeader,
        length: u64,
    ) -> io::Result<Option<Item>> {
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
        let max = self.max_page_bytes;
        let block_start = self.input.position();
        // Blocks up to the page limit are read, also those of records that are not pages:
        // if the length lies, the next record may be inside, and is found there again. Room
        // for the block as its length says, up to 1 MiB: a length that lies costs at most
        // that, and larger blocks grow as their bytes arrive.
        let kept = length <= max as u64;
        let (block, got) = if kept {
            let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
            (&mut self.input).take(length).read_to_end(&mut block)?;
            let got = block.len() as u64;
            (Some(block), got)
        } else {
            let got = io::copy(&mut (&mut self.input).take(length), &mut io::sink())?;
            (None, got)
        };
        let bytes = usize::try_from(got).unwrap_or(usize::MAX);
        match self.check_framing(start, block_start, length, block.as_deref())? {
            Framing::Sound => {}
            Framing::Cut => {
                self.done = true;
                let message = "record is cut off (file ends before its Content-Length); \
                               the rest of this file was not read";
                return Ok(Some(Item::failed(
                    meta,
                    bytes,
                    "warc_truncated",
                    message.to_string(),
                )));
            }
            Framing::Broken(problem) => {
                if let Some(block) = &block {
                    self.input.unread(block);
                }
                let next = self.resync(start, true)?;
                let message = format!(
                    "WARC record at {} {problem}: its header's \"Content-Length: {length}\" is \
                     wrong; {}",
                    self.offset(start),
                    self.went_on(next)
                );
                let size = head_len.saturating_add(bytes);
                return Ok(Some(Item::failed(meta, size, "warc_format", message)));
            }
        }
        if !page {
            let kind = if kind.is_empty() { "unknown" } else { &kind };
            self.counters.not_page(kind);
            return Ok(None);
        }
        let Some(block) = block else {
            // Skipped by its length, so the records after it are still read.
            let message = format!("record is larger than the page limit of {max} bytes");
            return Ok(Some(Item::failed(meta, bytes, "too_large", message)));
        };
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

    /// Where the stream offset `at` is, for messages: the byte, and in a gzip file the member.
    fn offset(&self, at: u64) -> String {
        match self.input.stream.member_at(at) {
            Some(member) => format!(
                "byte {at} of the decompressed stream (in the gzip member at byte {} of the file)",
                member.file
            ),
            None => format!("byte {at}"),
        }
    }

    /// What happened after a bad record, for its message.
    fn went_on(&self, next: Option<u64>) -> String {
        match next {
            None => "no record follows it".to_string(),
            Some(at) => match self.input.stream.member_at(at) {
                Some(member) if member.decoded == at => format!(
                    "reading went on at the next gzip member (byte {} of the file)",
                    member.file
                ),
                _ => format!("reading went on at the next record, at byte {at}"),
            },
        }
    }
}

#[cfg(test)]
mod tests;
