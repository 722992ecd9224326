//! Framing of WARC records: the input with its replay buffer, header lines up to a blank
//! line, the header fields zhclean reads, and the checks that a record ends where its
//! `Content-Length` says (with resynchronisation at the next record when it does not).

use std::io::{self, BufRead, Read};

use super::WarcRecords;
use crate::batch::stream::Stream;

/// The decompressed stream, with bytes given back ([`Input::unread`]) read again first: the
/// reader looks past a record's end to check it, and on a lie goes back into the block it
/// read to find the next record.
pub(super) struct Input {
    pub(super) stream: Stream,
    /// Bytes given back, read before the stream's, from `replay[at]` on.
    pub(super) replay: Vec<u8>,
    pub(super) at: usize,
    /// The stream offset of `replay[0]`.
    pub(super) replay_start: u64,
    /// A read error met while looking past a record's end: it belongs to the next record,
    /// and is given when that one is read.
    pub(super) deferred: Option<io::Error>,
}

impl Input {
    /// The offset (in the decompressed stream) of the next byte.
    pub(super) fn position(&self) -> u64 {
        if self.at < self.replay.len() {
            self.replay_start + self.at as u64
        } else {
            self.stream.position()
        }
    }

    /// Gives back `bytes`, the ones read just before the current position.
    pub(super) fn unread(&mut self, bytes: &[u8]) {
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
pub(super) enum Framing {
    /// Line ends, then the next record's `WARC/` or the end of the stream.
    Sound,
    /// Something else: the header's `Content-Length` is wrong (the problem, for messages).
    Broken(String),
    /// The stream ends within the block, and nothing after it looks like a next record.
    Cut,
}

/// Longest WARC header block read (real ones are well under 4 KiB); a longer one is malformed.
pub(super) const MAX_HEADER_BYTES: usize = 64 * 1024;

/// What [`read_header`] found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum HeaderBlock {
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
pub(super) fn skip_line_ends(reader: &mut impl BufRead) -> io::Result<bool> {
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
pub(super) fn read_header(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<HeaderBlock> {
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
pub(super) struct RecordHeader {
    /// `WARC-Type`.
    pub(super) kind: String,
    /// `Content-Type` of the block.
    pub(super) content_type: String,
    /// `WARC-Record-ID`.
    pub(super) id: Option<String>,
    /// `WARC-Target-URI`.
    pub(super) url: Option<String>,
    /// `WARC-Date`: when the page was fetched.
    pub(super) date: Option<String>,
}

/// The parsed header and its `Content-Length` (0 when absent), or `None` if it is malformed.
///
/// The `warc` crate parses the lines; only the five fields used are kept, matched as its
/// `RawRecordHeader` would key them (names case-insensitive, the last of a repeated name
/// wins), without building that map of every field for each record on the reading thread.
pub(super) fn parse_header(block: &[u8]) -> Option<(RecordHeader, u64)> {
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
    /// Whether the record that starts at `start` ends where its header says, its block (from
    /// `block_start`, `length` bytes said, `block` if it was kept) just read. Leaves the input
    /// right after what was read of the block.
    pub(super) fn check_framing(
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
    pub(super) fn resync(&mut self, start: u64, at_line_start: bool) -> io::Result<Option<u64>> {
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
}

/// How every WARC/1.x header begins; a resynchronisation point in a plain WARC.
const HEADER_LINE: &[u8] = b"WARC/1.";

/// The offset in `block` of the first line (at or after `from`) that starts with `WARC/1.`.
fn next_header_line(block: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find_iter(block.get(from.saturating_sub(1)..)?, b"\nWARC/1.")
        .next()
        .map(|at| from.saturating_sub(1) + at + 1)
}
