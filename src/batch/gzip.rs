//! Gzip input: members decoded one after another, and where each one starts.
//!
//! [`GzMembers`] reads a gzip file of one or more members as one stream, as `gzip -d` does
//! (and `flate2::read::MultiGzDecoder`), with two differences that matter for page dumps:
//! - bytes after a complete member that do not start another one (the zeros some tools pad
//!   files with, or other trailing garbage) end the stream instead of failing it: the members
//!   before them were whole, and `gzip -d` too only warns ("trailing garbage ignored");
//! - it records where each member starts, in the decompressed stream and in the file
//!   ([`Member`]), so that a WARC reader can go on at the next member when a record lies
//!   about its length (each record of a `.warc.gz` is a member of its own).
//!
//! A member cut short or corrupt is still an error (`UnexpectedEof`, `InvalidData`…).

use std::io::{self, BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

use flate2::bufread::GzDecoder;

/// Where a member starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Offset of its first byte in the decompressed stream.
    pub decoded: u64,
    /// Offset of its header in the file.
    pub file: u64,
}

/// The starts of the members met so far, shared between the decoder and its reader.
pub type Members = Arc<Mutex<Vec<Member>>>;

/// A reader counting the bytes read through it; `None` stands in while the decoder is reset.
struct Tally<R> {
    inner: Option<R>,
    count: u64,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(inner) = self.inner.as_mut() else {
            return Ok(0);
        };
        let n = inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// The decompressed bytes of every member of a gzip stream; see the module doc.
pub struct GzMembers<R: Read> {
    decoder: GzDecoder<BufReader<Tally<R>>>,
    /// Decompressed bytes handed out.
    decoded: u64,
    members: Members,
    ended: bool,
}

impl<R: Read> GzMembers<R> {
    /// Decodes `reader`, which starts with a gzip member, through a buffer of `capacity`
    /// bytes.
    pub fn new(reader: R, capacity: usize) -> GzMembers<R> {
        let tally = Tally {
            inner: Some(reader),
            count: 0,
        };
        GzMembers {
            decoder: GzDecoder::new(BufReader::with_capacity(capacity, tally)),
            decoded: 0,
            members: Arc::new(Mutex::new(vec![Member {
                decoded: 0,
                file: 0,
            }])),
            ended: false,
        }
    }

    /// The member starts met so far (shared: they keep growing as the stream is read).
    pub fn members(&self) -> Members {
        Arc::clone(&self.members)
    }

    /// After a member's end: moves on to the next member if one follows; `false` at the end
    /// of the input or before trailing bytes that are no gzip member.
    fn next_member(&mut self) -> io::Result<bool> {
        let buffered = self.decoder.get_mut();
        let next = buffered.fill_buf()?;
        // The gzip magic is 1f 8b; a buffer may end after the first byte.
        if next.first() != Some(&0x1f) {
            return Ok(false);
        }
        let file = buffered.get_ref().count - buffered.buffer().len() as u64;
        // `reset` swaps the reader: take ours out and put it back, the decoder's tables kept.
        let placeholder = BufReader::with_capacity(
            0,
            Tally {
                inner: None,
                count: 0,
            },
        );
        let reader = self.decoder.reset(placeholder);
        self.decoder.reset(reader);
        if let Ok(mut members) = self.members.lock() {
            members.push(Member {
                decoded: self.decoded,
                file,
            });
        }
        Ok(true)
    }
}

impl<R: Read> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while !self.ended {
            let n = self.decoder.read(buf)?;
            if n > 0 {
                self.decoded += n as u64;
                return Ok(n);
            }
            // The member ended, its trailer checked.
            self.ended = !self.next_member()?;
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::gzip;

    fn read(data: Vec<u8>) -> (io::Result<String>, Vec<Member>) {
        let mut members = GzMembers::new(io::Cursor::new(data), 7);
        let mut text = String::new();
        let result = members.read_to_string(&mut text).map(|_| text);
        let starts = members.members().lock().unwrap().clone();
        (result, starts)
    }

    #[test]
    fn members_are_read_in_turn_and_their_starts_kept() {
        let (a, b) = (gzip("第一段。".as_bytes()), gzip("第二段。".as_bytes()));
        let mut data = a.clone();
        data.extend(&b);
        data.extend(gzip(b""));
        let (text, starts) = read(data);
        assert_eq!(text.unwrap(), "第一段。第二段。");
        let second = a.len() as u64;
        let third = second + b.len() as u64;
        assert_eq!(
            starts,
            [
                Member {
                    decoded: 0,
                    file: 0
                },
                Member {
                    decoded: 12,
                    file: second
                },
                Member {
                    decoded: 24,
                    file: third
                },
            ]
        );
    }

    #[test]
    fn trailing_zeros_or_garbage_after_a_whole_member_are_ignored() {
        for tail in [&[0u8; 4096][..], b"\n", b"garbage that is not gzip"] {
            let mut data = gzip("正文。".as_bytes());
            data.extend(tail);
            assert_eq!(read(data).0.unwrap(), "正文。", "{tail:?}");
        }
    }

    #[test]
    fn a_member_cut_short_or_corrupt_is_still_an_error() {
        let whole = gzip("正文。".repeat(500).as_bytes());
        let mut cut = gzip(b"first");
        cut.extend(&whole[..whole.len() / 2]);
        assert_eq!(
            read(cut).0.unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        let mut corrupt = gzip(b"first");
        let mut second = whole.clone();
        for byte in &mut second[12..30] {
            *byte ^= 0x55;
        }
        corrupt.extend(second);
        assert!(read(corrupt).0.is_err());
    }
}
