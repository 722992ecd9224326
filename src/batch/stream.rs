//! An input stream as the readers see it: bytes with gzip peeled off (every member, see
//! [`super::gzip`]) and the position reached, plus the counters the sources keep while
//! reading. The readers ([`super::jsonl`], [`super::warc`]) and [`super::source`], which
//! composes them, all build on this module; it depends on none of them.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

use super::gzip::{GzMembers, Member, Members};

/// Read buffer size for input streams.
pub(super) const BUF_SIZE: usize = 256 * 1024;

/// The default page limit of the readers (see `SourceOptions::max_page_bytes`).
pub const DEFAULT_MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// Counters the sources keep while reading, shared with progress and stats.
#[derive(Debug, Default)]
pub struct Counters {
    /// Bytes read from the inputs as stored (before decompression).
    pub bytes_read: AtomicU64,
    /// WARC records that are not pages (`request`, `metadata`, `warcinfo`, …), by type.
    pub not_pages: Mutex<BTreeMap<String, u64>>,
}

impl Counters {
    /// Counts one WARC record of `kind` that is not a page.
    pub fn not_page(&self, kind: &str) {
        if let Ok(mut map) = self.not_pages.lock() {
            *map.entry(kind.to_string()).or_default() += 1;
        }
    }
}

/// An input stream with gzip already peeled off (all its members, see [`super::gzip`]).
pub struct Stream {
    reader: Box<dyn BufRead + Send>,
    /// For a gzip stream: where its members start.
    members: Option<Members>,
    /// Bytes read or consumed so far (after decompression).
    position: u64,
}

impl Stream {
    /// Wraps `reader`, decompressing it if it starts with the gzip magic bytes.
    #[cfg(any(test, feature = "internals"))]
    pub fn open(reader: impl Read + Send + 'static) -> io::Result<Stream> {
        Stream::with_capacity(reader, BUF_SIZE)
    }

    /// [`Stream::open`] with a read buffer of `capacity` bytes (a gzip stream still gets the
    /// full-size buffer for its decompressed side).
    pub fn with_capacity(
        reader: impl Read + Send + 'static,
        capacity: usize,
    ) -> io::Result<Stream> {
        let mut buffered = BufReader::with_capacity(capacity, reader);
        let gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let (reader, members): (Box<dyn BufRead + Send>, _) = if gzip {
            let decoder = GzMembers::new(buffered, 32 * 1024);
            let members = decoder.members();
            (
                Box::new(BufReader::with_capacity(BUF_SIZE, decoder)),
                Some(members),
            )
        } else {
            (Box::new(buffered), None)
        };
        Ok(Stream {
            reader,
            members,
            position: 0,
        })
    }

    /// Whether the stream was gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.members.is_some()
    }

    /// Bytes read so far (after decompression): the offset of the next byte.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// The first gzip member known to start after decompressed offset `after` (members are
    /// known once the decoder reached them: up to a buffer ahead of [`Stream::position`]).
    pub fn member_after(&self, after: u64) -> Option<Member> {
        let members = self.members.as_ref()?.lock().ok()?;
        members.iter().find(|m| m.decoded > after).copied()
    }

    /// The member holding decompressed offset `at` (the last one starting at or before it).
    pub fn member_at(&self, at: u64) -> Option<Member> {
        let members = self.members.as_ref()?.lock().ok()?;
        members.iter().rev().find(|m| m.decoded <= at).copied()
    }

    /// Forgets the starts of members before the one holding `at` (they are no longer asked
    /// about), so that the list stays short on archives of millions of records.
    pub fn forget_members_before(&self, at: u64) {
        if let Some(Ok(mut members)) = self.members.as_ref().map(|m| m.lock()) {
            let keep_from = members.iter().rposition(|m| m.decoded <= at).unwrap_or(0);
            members.drain(..keep_from);
        }
    }

    /// The first buffered bytes (after decompression), for sniffing. Empty on a read error:
    /// the error shows up again on the first real read.
    pub(super) fn head(&mut self) -> &[u8] {
        self.reader.fill_buf().unwrap_or(&[])
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.reader.read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl BufRead for Stream {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.reader.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.position += amount as u64;
        self.reader.consume(amount)
    }
}

/// A read error message; gzip streams that end early say so.
pub fn read_error(error: &io::Error, gzip: bool) -> String {
    if gzip && error.kind() == io::ErrorKind::UnexpectedEof {
        "gzip stream is truncated (cut off before its end)".to_string()
    } else if gzip {
        format!("gzip stream is corrupt: {error}")
    } else {
        format!("read failed: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_sniffed_and_multi_member_streams_are_read_whole() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut data = Vec::new();
        for part in ["第一段。", "第二段。"] {
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            gz.write_all(part.as_bytes()).unwrap();
            data.extend(gz.finish().unwrap());
        }
        let mut stream = Stream::open(io::Cursor::new(data)).unwrap();
        assert!(stream.is_gzip());
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        assert_eq!(text, "第一段。第二段。");
    }
}
