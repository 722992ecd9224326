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

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::stream::{read_error, Counters, Stream};
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

/// The decompressed stream, with bytes given back ([`Input::unread`]) read again first: the
/// reader looks past a record's end to check it, and on a lie goes back into the block it
/// read to find the next record.
struct Input {
    stream: Stream,
    /// Bytes given back, read before the stream's, from `replay[at]` on.
    replay: Vec<u8>,
    at: usize,
    /// The stream offset of `replay[0]`.
    replay_start: u64,
    /// A read error met while looking past a record's end: it belongs to the next record,
    /// and is given when that one is read.
    deferred: Option<io::Error>,
}

impl Input {
    /// The offset (in the decompressed stream) of the next byte.
    fn position(&self) -> u64 {
        if self.at < self.replay.len() {
            self.replay_start + self.at as u64
        } else {
            self.stream.position()
        }
    }

    /// Gives back `bytes`, the ones read just before the current position.
    fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let position = self.position();
        let mut replay = Vec::with_capacity(bytes.len() + self.replay.len() - self.at);
        replay.extend_from_slice(bytes);
        replay.extend_from_slice(&self.replay[self.at..]);
        self.replay = replay;
        self.at = 0;
        self.replay_start = position - bytes.len() as u64;
    }

    /// Up to `n` next bytes, left unread.
    fn peek(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(n);
        while bytes.len() < n {
            let chunk = self.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let take = chunk.len().min(n - bytes.len());
            bytes.extend_from_slice(&chunk[..take]);
            self.consume(take);
        }
        self.unread(&bytes);
        Ok(bytes)
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.replay.len() {
            let n = buf.len().min(self.replay.len() - self.at);
            buf[..n].copy_from_slice(&self.replay[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        if let Some(e) = self.deferred.take() {
            return Err(e);
        }
        self.stream.read(buf)
    }
}

impl BufRead for Input {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.replay.len() {
            return Ok(&self.replay[self.at..]);
        }
        if !self.replay.is_empty() {
            self.replay = Vec::new();
            self.at = 0;
        }
        if let Some(e) = self.deferred.take() {
            return Err(e);
        }
        self.stream.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if self.at < self.replay.len() {
            self.at = (self.at + amount).min(self.replay.len());
        } else {
            self.stream.consume(amount);
        }
    }
}

/// How a record's block ended, checked against what its header said.
enum Framing {
    /// Line ends, then the next record's `WARC/` or the end of the stream.
    Sound,
    /// Something else: the header's `Content-Length` is wrong (the problem, for messages).
    Broken(String),
    /// The stream ends within the block, and nothing after it looks like a next record.
    Cut,
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

impl WarcRecords {
    fn read_failed(&mut self, e: &io::Error) -> Item {
        let gzip = self.input.stream.is_gzip();
        let problem = read_error(e, gzip);
        self.fail(if gzip { "gzip" } else { "io" }, &problem)
    }

    /// Reads the block of a record whose header (`head_len` bytes from offset `start`) is
    /// read and checks that the record ends where the header says: the item for a page,
    /// `None` (counted) for records that are not pages, an error item for a record whose
    /// length lies (reading then goes on at the next record).
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

    /// Whether the record that starts at `start` ends where its header says, its block (from
    /// `block_start`, `length` bytes said, `block` if it was kept) just read. Leaves the input
    /// right after what was read of the block.
    fn check_framing(
        &mut self,
        start: u64,
        block_start: u64,
        length: u64,
        block: Option<&[u8]>,
    ) -> io::Result<Framing> {
        let end = self.input.position();
        // In a `.warc.gz` of one member per record, a member starting inside the block with a
        // WARC header is the next record: the length is too long.
        if self.member_per_record(start) {
            if let Some(member) = self.input.stream.member_after(block_start) {
                let inside = member.decoded < end;
                let at = (member.decoded - block_start) as usize;
                let header =
                    block.is_some_and(|b| b.get(at..).is_some_and(|b| b.starts_with(b"WARC/")));
                if inside && (header || block.is_none()) {
                    return Ok(Framing::Broken(format!(
                        "runs into the next gzip member (at byte {} of the file)",
                        member.file
                    )));
                }
            }
        }
        if end - block_start < length {
            // The stream ended inside the block: a lie if the next record is in what was read.
            let next = block.and_then(|b| next_header_line(b, 1));
            return Ok(match next {
                Some(at) => Framing::Broken(format!(
                    "holds the next record's header (at byte {}) within its length",
                    block_start + at as u64
                )),
                None => Framing::Cut,
            });
        }
        // Line ends (`\r\n\r\n` by the standard), then the next record or the end. A read
        // error there (a corrupt next gzip member) is the next record's, reported with it.
        let mut ends = Vec::new();
        let next = self.line_ends_then(&mut ends, 24);
        self.input.unread(&ends);
        let next = match next {
            Ok(next) => next,
            Err(e) => {
                self.input.deferred = Some(e);
                return Ok(Framing::Sound);
            }
        };
        if next.is_empty() || next.starts_with(b"WARC/") {
            return Ok(Framing::Sound);
        }
        let mut after = ends.clone();
        after.extend_from_slice(&next);
        after.truncate(24);
        Ok(Framing::Broken(format!(
            "is followed by {:?} where a blank line and the next \"WARC/\" header belong",
            String::from_utf8_lossy(&after)
        )))
    }

    /// Reads the line ends at the input into `ends` and returns (unread) up to `n` bytes
    /// after them.
    fn line_ends_then(&mut self, ends: &mut Vec<u8>, n: usize) -> io::Result<Vec<u8>> {
        loop {
            let chunk = self.input.fill_buf()?;
            let count = chunk
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            ends.extend_from_slice(&chunk[..count]);
            let more = count > 0 && count == chunk.len();
            self.input.consume(count);
            if !more || ends.len() > 64 {
                break;
            }
        }
        self.input.peek(n)
    }

    /// Whether the record at `start` began a gzip member (as in a `.warc.gz` of one member
    /// per record, where the next member is the next record).
    fn member_per_record(&self, start: u64) -> bool {
        self.input
            .stream
            .member_at(start)
            .is_some_and(|member| member.decoded == start)
    }

    /// Moves the input to the next record after the bad one at `start`, looking from the
    /// current position (`at_line_start`: whether that begins a line). In a `.warc.gz` of one
    /// member per record that is the next member; otherwise the next line starting with
    /// `WARC/1.`. Returns its offset, or `None` (and ends the stream) when none follows.
    fn resync(&mut self, start: u64, at_line_start: bool) -> io::Result<Option<u64>> {
        let next = if self.member_per_record(start) {
            self.next_member(start)?
        } else {
            self.next_header_line(at_line_start)?
        };
        self.done |= next.is_none();
        Ok(next)
    }

    /// Skips to the first gzip member starting after `start` (and not before the current
    /// position).
    fn next_member(&mut self, start: u64) -> io::Result<Option<u64>> {
        loop {
            let position = self.input.position();
            let target = self
                .input
                .stream
                .member_after(start.max(position.saturating_sub(1)))
                .filter(|member| member.decoded >= position);
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let len = chunk.len() as u64;
            match target {
                Some(member) if member.decoded < position + len => {
                    self.input.consume((member.decoded - position) as usize);
                    return Ok(Some(member.decoded));
                }
                _ => self.input.consume(len as usize),
            }
        }
    }

    /// Skips to the next line that starts with `WARC/1.`.
    fn next_header_line(&mut self, mut at_line_start: bool) -> io::Result<Option<u64>> {
        loop {
            if at_line_start {
                let head = self.input.peek(HEADER_LINE.len())?;
                if head.is_empty() {
                    return Ok(None);
                }
                if head == HEADER_LINE {
                    return Ok(Some(self.input.position()));
                }
            }
            // To the byte after the next `\n`.
            loop {
                let chunk = self.input.fill_buf()?;
                if chunk.is_empty() {
                    return Ok(None);
                }
                match memchr::memchr(b'\n', chunk) {
                    Some(at) => {
                        self.input.consume(at + 1);
                        break;
                    }
                    None => {
                        let len = chunk.len();
                        self.input.consume(len);
                    }
                }
            }
            at_line_start = true;
        }
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

/// How every WARC/1.x header begins; a resynchronisation point in a plain WARC.
const HEADER_LINE: &[u8] = b"WARC/1.";

/// The offset in `block` of the first line (at or after `from`) that starts with `WARC/1.`.
fn next_header_line(block: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find_iter(block.get(from.saturating_sub(1)..)?, b"\nWARC/1.")
        .next()
        .map(|at| from.saturating_sub(1) + at + 1)
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
}
