//! Sources: command-line paths in, a lazy stream of [`Item`]s out.
//!
//! A path is a file, a folder (walked recursively in file-name order, filtered by `--glob`),
//! or `-` for stdin. Every stream is sniffed for gzip (`1f 8b`, multi-member allowed, trailing
//! zeros or garbage after the last member ignored as `gzip -d` does) and decompressed
//! transparently. Its format is the one asked for, else chosen by extension
//! (`.jsonl`/`.ndjson`/`.jl` → JSONL, `.warc`/`.wet` → WARC, looked at under `.gz`), else a
//! stream starting with `WARC/` is WARC, else the whole stream is one page.
//!
//! Contract: nothing here is fatal. A file that cannot be opened or read, a symlink loop, a
//! dangling link, a page over the size limit or a gzip stream cut short each become one
//! [`Item::Failed`] naming the path, and the walk goes on. In a folder, an entry that is not
//! a regular file (a FIFO, socket or device, which could block or never end) becomes a skip
//! item (`not_regular_file`) without being opened; a FIFO named as an input is read as a
//! stream, like stdin.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use globset::GlobSet;

use super::gzip::{GzMembers, Member, Members};
use super::jsonl::{JsonlFields, JsonlReader};
use super::warc::WarcRecords;
use super::Item;
use crate::pipeline::InputMeta;

/// Read buffer size for input streams.
const BUF_SIZE: usize = 256 * 1024;

/// What the inputs hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// Decide per stream from the extension and the first bytes (see the module doc).
    #[default]
    Auto,
    /// The whole stream is one page.
    Page,
    /// One JSON object per line, the page in one of its fields.
    Jsonl,
    /// A WARC archive.
    Warc,
}

/// How sources read their inputs.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Format of every input, or [`Format::Auto`].
    pub format: Format,
    /// Only files under a folder whose path relative to that folder matches are read
    /// (paths named directly are always read).
    pub globs: Option<GlobSet>,
    /// Which JSONL fields hold the page, id and URL.
    pub jsonl: JsonlFields,
    /// Pages (and JSONL lines, and decompressed HTTP bodies) larger than this are errors of
    /// kind `too_large` rather than a memory spike.
    pub max_page_bytes: usize,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            format: Format::Auto,
            globs: None,
            jsonl: JsonlFields::default(),
            max_page_bytes: 64 * 1024 * 1024,
        }
    }
}

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

/// The stream of [`Item`]s from a list of paths; see the module doc.
pub struct Inputs {
    paths: VecDeque<PathBuf>,
    walk: Option<(PathBuf, walkdir::IntoIter)>,
    current: Option<Box<dyn Iterator<Item = Item> + Send>>,
    options: Arc<SourceOptions>,
    counters: Arc<Counters>,
}

impl Inputs {
    /// Items from `paths` (`-` is stdin; an empty list means stdin).
    pub fn new(paths: Vec<PathBuf>, options: SourceOptions) -> Inputs {
        let mut paths: VecDeque<PathBuf> = paths.into();
        if paths.is_empty() {
            paths.push_back(PathBuf::from("-"));
        }
        Inputs {
            paths,
            walk: None,
            current: None,
            options: Arc::new(options),
            counters: Arc::new(Counters::default()),
        }
    }

    /// The shared counters (bytes read, WARC records that are not pages).
    pub fn counters(&self) -> Arc<Counters> {
        Arc::clone(&self.counters)
    }

    /// Moves the folder walk on to its next file and opens it; `false` when the walk is over.
    fn step_walk(&mut self) -> bool {
        let Some((root, walk)) = self.walk.as_mut() else {
            return false;
        };
        for entry in walk.by_ref() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.current = Some(Box::new(std::iter::once(walk_error(&e))));
                    return true;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            if let Some(globs) = &self.options.globs {
                let relative = entry.path().strip_prefix(&*root).unwrap_or(entry.path());
                if !globs.is_match(relative) {
                    continue;
                }
            }
            if !entry.file_type().is_file() {
                // A FIFO would block the walk forever (and a device never end): a folder's
                // entries are pages only when they are regular files.
                let item = not_a_file(entry.path(), entry.file_type());
                self.current = Some(Box::new(std::iter::once(item)));
                return true;
            }
            let path = entry.into_path();
            self.current = Some(self.open_path(&path));
            return true;
        }
        self.walk = None;
        false
    }

    /// Opens one file (or stdin, for `-`): its items, lazily.
    fn open_path(&self, path: &Path) -> Box<dyn Iterator<Item = Item> + Send> {
        let stdin = path.as_os_str() == "-";
        let name = (!stdin).then(|| path.display().to_string());
        let meta = InputMeta {
            path: name.clone(),
            ..InputMeta::default()
        };
        // A small file gets a buffer its size: a 256 KiB buffer is zeroed on first read, which
        // for a folder of 4 KB pages cost more than reading them.
        let mut capacity = BUF_SIZE;
        let reader: Box<dyn Read + Send> = if stdin {
            Box::new(io::stdin())
        } else {
            match File::open(path) {
                Ok(file) => {
                    if let Ok(meta) = file.metadata() {
                        let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
                        capacity = len.saturating_add(1).clamp(8 * 1024, BUF_SIZE);
                    }
                    Box::new(file)
                }
                Err(e) => {
                    let message = format!("cannot open: {e}");
                    return Box::new(std::iter::once(Item::failed(meta, 0, "io", message)));
                }
            }
        };
        let counting = Counting {
            inner: reader,
            counters: Arc::clone(&self.counters),
        };
        let mut stream = match Stream::with_capacity(counting, capacity) {
            Ok(stream) => stream,
            Err(e) => {
                let message = read_error(&e, false);
                return Box::new(std::iter::once(Item::failed(meta, 0, "io", message)));
            }
        };
        let format = match self.options.format {
            Format::Auto => guess_format(path, stream.head()),
            format => format,
        };
        let options = Arc::clone(&self.options);
        match format {
            Format::Jsonl => Box::new(JsonlReader::new(stream, name, options)),
            Format::Warc => Box::new(WarcRecords::new(stream, name, options, self.counters())),
            Format::Page | Format::Auto => Box::new(std::iter::once(read_page(
                stream,
                meta,
                options.max_page_bytes,
            ))),
        }
    }
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            if self.step_walk() {
                continue;
            }
            let path = self.paths.pop_front()?;
            if path.as_os_str() != "-" && path.is_dir() {
                let walk = walkdir::WalkDir::new(&path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter();
                self.walk = Some((path, walk));
                continue;
            }
            self.current = Some(self.open_path(&path));
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
    fn head(&mut self) -> &[u8] {
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

/// Counts the bytes read through it into [`Counters::bytes_read`], and retries reads cut
/// short by a signal (`Interrupted`, e.g. Ctrl-C during a blocking read of stdin): the
/// runner decides what a signal means, not the reader.
struct Counting {
    inner: Box<dyn Read + Send>,
    counters: Arc<Counters>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                result => break result?,
            }
        };
        self.counters
            .bytes_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The format a path's name (under any `.gz`) or first bytes say it holds.
pub fn guess_format(path: &Path, head: &[u8]) -> Format {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let extension = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "jsonl" | "ndjson" | "jl" => Format::Jsonl,
        "warc" | "wet" => Format::Warc,
        _ if head.starts_with(b"WARC/") => Format::Warc,
        _ => Format::Page,
    }
}

/// Reads a whole stream as one page, at most `max` bytes.
fn read_page(stream: Stream, meta: InputMeta, max: usize) -> Item {
    let gzip = stream.is_gzip();
    let mut bytes = Vec::new();
    match stream.take(max as u64 + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() > max => {
            let message = format!("page is larger than the limit of {max} bytes");
            Item::failed(meta, bytes.len(), "too_large", message)
        }
        Ok(_) => Item::page(bytes, meta),
        Err(e) => {
            let kind = if gzip { "gzip" } else { "io" };
            let message = read_error(&e, gzip);
            Item::failed(meta, bytes.len(), kind, message)
        }
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

/// The skip item for a folder entry that is not a regular file (a FIFO, socket or device).
fn not_a_file(path: &Path, kind: std::fs::FileType) -> Item {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "FIFO"
        } else if kind.is_socket() {
            "socket"
        } else if kind.is_char_device() {
            "character device"
        } else if kind.is_block_device() {
            "block device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = kind;
        "not a regular file"
    };
    Item::Skipped {
        meta: InputMeta {
            path: Some(path.display().to_string()),
            ..InputMeta::default()
        },
        bytes: 0,
        reason: "not_regular_file",
        detail: Some(what.to_string()),
    }
}

/// The error item for a failed folder-walk entry (unreadable folder, symlink loop, dangling
/// link).
fn walk_error(error: &walkdir::Error) -> Item {
    let path = error.path().map(|p| p.display().to_string());
    let meta = InputMeta {
        path: path.clone(),
        ..InputMeta::default()
    };
    if let Some(ancestor) = error.loop_ancestor() {
        let message = format!(
            "symlink loop (points back to {}); not followed",
            ancestor.display()
        );
        return Item::failed(meta, 0, "symlink_loop", message);
    }
    let cause = error
        .io_error()
        .map_or_else(|| error.to_string(), ToString::to_string);
    Item::failed(meta, 0, "io", cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions_under_gz_then_from_the_first_bytes() {
        let guess = |name: &str, head: &[u8]| guess_format(Path::new(name), head);
        assert_eq!(guess("a/dump.jsonl", b""), Format::Jsonl);
        assert_eq!(guess("dump.NDJSON.gz", b""), Format::Jsonl);
        assert_eq!(guess("crawl.warc.gz", b""), Format::Warc);
        assert_eq!(guess("CC-MAIN-1.warc.wet.gz", b""), Format::Warc);
        assert_eq!(guess("noext", b"WARC/1.0\r\n"), Format::Warc);
        assert_eq!(guess("page.html.gz", b"<html>"), Format::Page);
        assert_eq!(guess("-", b"{\"html\":1}"), Format::Page);
    }

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

    #[test]
    fn a_truncated_gzip_page_is_an_error_that_says_so() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all("正文。".repeat(2000).as_bytes()).unwrap();
        let mut data = gz.finish().unwrap();
        data.truncate(data.len() / 2);
        let meta = InputMeta {
            path: Some("p.txt.gz".into()),
            ..InputMeta::default()
        };
        let item = read_page(Stream::open(io::Cursor::new(data)).unwrap(), meta, 1 << 20);
        match item {
            Item::Failed { error, .. } => {
                assert_eq!(error.kind, "gzip");
                assert_eq!(
                    error.message,
                    "gzip stream is truncated (cut off before its end)"
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}
