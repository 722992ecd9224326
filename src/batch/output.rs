//! Where output lines go: stdout, a device or pipe written directly, or a file written
//! through `FILE.partial`.
//!
//! [`Output::create`] looks at what the path names before writing anything ([`Destination`]):
//! - `-`, `/dev/stdout`, `/dev/stderr` (and `/dev/fd/1`, `/proc/self/fd/2`, …): the process's
//!   own standard output or error, as the shell set it up (a `>>` redirection still appends);
//! - a character or block device, a FIFO, another `/dev/fd/N`: written directly, never
//!   replaced (`-o /dev/null` leaves `/dev/null` a device);
//! - a symbolic link: followed to its target, which is then written by these same rules (the
//!   link stays a link);
//! - a folder: an error, at once;
//! - a regular file, or a path that does not exist yet: the lines go to `FILE.partial` in the
//!   same folder, which [`Output::finish`] renames to `FILE` when the run is done. An existing
//!   `FILE` keeps its permissions and (where allowed) its owner and group; one with other
//!   hard links is overwritten in place instead, so that the links still share it.
//!
//! Partial output: a run that does not finish (an error, a signal, [`Output::keep_partial`])
//! leaves `FILE` as it was and `FILE.partial` holding every record written so far, each a
//! complete line; a `.gz` one is a complete gzip stream. Dropping an unfinished output does
//! the same. (A process killed outright keeps what was flushed: the batch runner flushes
//! whenever it waits for the next record.) A name ending in `.gz` is gzip-compressed.
//!
//! Errors name the file: "cannot write out.jsonl.partial: No space left on device".
//!
//! ```
//! use std::io::Write;
//! use zhclean::internals::batch::output::Output;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("out.jsonl");
//! let mut out = Output::create(&path).unwrap();
//! writeln!(out, "{{}}").unwrap();
//! assert!(!path.exists(), "nothing there before finish");
//! assert!(dir.path().join("out.jsonl.partial").exists());
//! out.finish().unwrap();
//! assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
//! assert!(!dir.path().join("out.jsonl.partial").exists());
//! ```

use std::ffi::OsString;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// Size of the write buffer of every output.
const BUFFER: usize = 256 * 1024;

/// Most symbolic links followed from an output path (as the kernel's own limit, 40).
const MAX_LINKS: usize = 40;

/// What an output path names; see the module doc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The process's standard output.
    Stdout,
    /// The process's standard error.
    Stderr,
    /// A device, FIFO or inherited descriptor, written directly.
    Direct(PathBuf),
    /// A regular file (existing or new) at this path, links followed, written through
    /// `FILE.partial`.
    File(PathBuf),
}

impl Destination {
    /// What `path` names, symbolic links followed.
    ///
    /// # Errors
    /// A folder; an existing file that cannot be opened for writing; a symlink loop.
    pub fn of(path: &Path) -> io::Result<Destination> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout);
        }
        let shown = path.display();
        let mut current = path.to_path_buf();
        for _ in 0..MAX_LINKS {
            match standard_stream(&current) {
                Some(1) => return Ok(Destination::Stdout),
                Some(2) => return Ok(Destination::Stderr),
                // Another inherited descriptor (`>(…)`, `3>file`): opened as it is.
                Some(_) => return Ok(Destination::Direct(current)),
                None => {}
            }
            let link = match std::fs::symlink_metadata(&current) {
                Ok(meta) if meta.file_type().is_symlink() => std::fs::read_link(&current)?,
                Ok(meta) => return Destination::existing(current, &meta, path),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Ok(Destination::File(current))
                }
                Err(e) => return Err(io::Error::new(e.kind(), format!("{shown}: {e}"))),
            };
            current = match current.parent() {
                Some(folder) if link.is_relative() => folder.join(link),
                _ => link,
            };
        }
        Err(io::Error::other(format!(
            "{shown}: too many levels of symbolic links"
        )))
    }

    /// The destination for `path`, which exists as `meta` (not a link); `given` is the path
    /// the user gave, for messages.
    fn existing(path: PathBuf, meta: &Metadata, given: &Path) -> io::Result<Destination> {
        let kind = meta.file_type();
        if kind.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{} is a folder, not a file", given.display()),
            ));
        }
        if !kind.is_file() {
            return Ok(Destination::Direct(path));
        }
        // Replacing a file one may not write would be a surprise: refuse at the start.
        if let Err(e) = OpenOptions::new().write(true).open(&path) {
            return Err(io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", path.display()),
            ));
        }
        Ok(Destination::File(path))
    }

    /// The file this destination replaces, as an absolute path with every link resolved,
    /// for telling whether two outputs would write the same file; `None` for streams and
    /// devices (writing them twice overwrites nothing).
    pub fn file_identity(&self) -> Option<PathBuf> {
        match self {
            Destination::File(path) => Some(absolute(path)),
            _ => None,
        }
    }

    /// The `FILE.partial` a file destination writes first.
    pub fn partial_path(&self) -> Option<PathBuf> {
        match self {
            Destination::File(path) => Some(partial_path(path)),
            _ => None,
        }
    }
}

/// `path` made absolute, its folder's links resolved (the file itself may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(folder), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}

/// `FILE` → `FILE.partial`.
fn partial_path(path: &Path) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// The descriptor number when `path` is one of the process's own descriptors: `/dev/stdout`
/// (1), `/dev/stderr` (2), `/dev/fd/N`, `/proc/self/fd/N`, `/proc/<our pid>/fd/N`.
fn standard_stream(path: &Path) -> Option<u32> {
    match path.to_str()? {
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let number: u32 = path.file_name()?.to_str()?.parse().ok()?;
    let folder = std::fs::canonicalize(path.parent()?).ok()?;
    let own = PathBuf::from(format!("/proc/{}/fd", std::process::id()));
    (folder == own).then_some(number)
}

/// What [`Output::finish`] must keep of the file it replaces.
#[derive(Debug, Clone, Copy)]
struct Previous {
    #[cfg(unix)]
    mode: u32,
    #[cfg(unix)]
    owner: (u32, u32),
    /// More than one name: overwrite in place rather than rename.
    shared: bool,
}

impl Previous {
    fn of(path: &Path) -> Option<Previous> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Previous {
                mode: meta.mode() & 0o7777,
                owner: (meta.uid(), meta.gid()),
                shared: meta.nlink() > 1,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            Some(Previous { shared: false })
        }
    }

    /// Gives `file` the permissions and, where allowed, the owner of the file it replaces.
    fn apply(&self, file: &File) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{fchown, PermissionsExt};
            // Only root may give a file away; for others this keeps at most the group.
            let _ = fchown(file, Some(self.owner.0), Some(self.owner.1));
            let _ = fchown(file, None, Some(self.owner.1));
            let _ = file.set_permissions(std::fs::Permissions::from_mode(self.mode));
        }
        #[cfg(not(unix))]
        let _ = file;
    }
}

/// An output stream; see the module doc.
pub struct Output {
    /// Always `Some` until [`Output::finish`] or [`Output::keep_partial`] takes it.
    kind: Option<Kind>,
    /// How messages name what is written: the path written to, or `stdout`.
    shown: String,
}

enum Kind {
    Stdout(BufWriter<io::Stdout>),
    Stderr(BufWriter<io::Stderr>),
    Direct(Box<dyn FileWriter>),
    File {
        writer: Box<dyn FileWriter>,
        partial: PathBuf,
        target: PathBuf,
        previous: Option<Previous>,
    },
}

/// A writer over a file that can be finished (gzip trailer) and gives the file back for
/// syncing.
trait FileWriter: Write + Send {
    fn finish(self: Box<Self>) -> io::Result<File>;
}

impl FileWriter for BufWriter<File> {
    fn finish(self: Box<Self>) -> io::Result<File> {
        self.into_inner().map_err(io::IntoInnerError::into_error)
    }
}

impl FileWriter for GzEncoder<BufWriter<File>> {
    fn finish(self: Box<Self>) -> io::Result<File> {
        let buffered = (*self).finish()?;
        buffered
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }
}

/// `file` buffered, and gzip-compressed when `path` ends in `.gz`.
fn file_writer(file: File, path: &Path) -> Box<dyn FileWriter> {
    let buffered = BufWriter::with_capacity(BUFFER, file);
    if path.extension().is_some_and(|ext| ext == "gz") {
        Box::new(GzEncoder::new(buffered, Compression::default()))
    } else {
        Box::new(buffered)
    }
}

impl Output {
    /// Standard output (buffered).
    pub fn stdout() -> Output {
        Output {
            kind: Some(Kind::Stdout(BufWriter::with_capacity(BUFFER, io::stdout()))),
            shown: "stdout".to_string(),
        }
    }

    /// An output to `path`, as the module doc says.
    ///
    /// # Errors
    /// When `path` is a folder, or cannot be written or created (missing folder, no
    /// permission); the message names it.
    pub fn create(path: &Path) -> io::Result<Output> {
        let destination = Destination::of(path)?;
        let kind = match destination {
            Destination::Stdout => return Ok(Output::stdout()),
            Destination::Stderr => {
                return Ok(Output {
                    kind: Some(Kind::Stderr(BufWriter::with_capacity(BUFFER, io::stderr()))),
                    shown: "stderr".to_string(),
                })
            }
            Destination::Direct(target) => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| named(e, "cannot open", &target))?;
                return Ok(Output {
                    kind: Some(Kind::Direct(file_writer(file, path))),
                    shown: target.display().to_string(),
                });
            }
            Destination::File(target) => {
                let partial = partial_path(&target);
                let file = create_partial(&partial)?;
                let previous = Previous::of(&target);
                if let Some(previous) = &previous {
                    previous.apply(&file);
                }
                Kind::File {
                    writer: file_writer(file, path),
                    partial,
                    target,
                    previous,
                }
            }
        };
        let shown = match &kind {
            Kind::File { partial, .. } => partial.display().to_string(),
            _ => String::new(),
        };
        Ok(Output {
            kind: Some(kind),
            shown,
        })
    }

    /// Flushes everything and, for a file, puts it in place of `FILE`.
    ///
    /// # Errors
    /// When flushing, syncing or renaming fails; `FILE.partial` is then left as it is.
    pub fn finish(mut self) -> io::Result<()> {
        let shown = std::mem::take(&mut self.shown);
        match self.kind.take() {
            None => Ok(()),
            Some(Kind::Stdout(mut out)) => out.flush().map_err(|e| named_str(e, &shown)),
            Some(Kind::Stderr(mut out)) => out.flush().map_err(|e| named_str(e, &shown)),
            Some(Kind::Direct(writer)) => writer
                .finish()
                .and_then(|mut file| file.flush())
                .map_err(|e| named_str(e, &shown)),
            Some(Kind::File {
                writer,
                partial,
                target,
                previous,
            }) => {
                let file = writer.finish().map_err(|e| named_str(e, &shown))?;
                file.sync_all().map_err(|e| named_str(e, &shown))?;
                match previous {
                    Some(previous) if previous.shared => overwrite(&partial, &target),
                    _ => std::fs::rename(&partial, &target)
                        .map_err(|e| named(e, "cannot rename into", &target)),
                }
            }
        }
    }

    /// Flushes everything and leaves the records written so far in `FILE.partial` (a `.gz`
    /// one with its gzip trailer), not touching `FILE`: for a run that did not finish.
    /// Returns the partial file's path (`None` for streams and devices).
    ///
    /// # Errors
    /// When flushing fails (the partial file then holds what reached it).
    pub fn keep_partial(mut self) -> io::Result<Option<PathBuf>> {
        let shown = std::mem::take(&mut self.shown);
        match self.kind.take() {
            Some(Kind::File {
                writer, partial, ..
            }) => {
                writer.finish().map_err(|e| named_str(e, &shown))?;
                Ok(Some(partial))
            }
            Some(kind) => {
                self.kind = Some(kind);
                self.shown = shown;
                self.finish().map(|()| None)
            }
            None => Ok(None),
        }
    }

    fn writer(&mut self) -> io::Result<&mut dyn Write> {
        match &mut self.kind {
            Some(Kind::Stdout(out)) => Ok(out),
            Some(Kind::Stderr(out)) => Ok(out),
            Some(Kind::Direct(writer)) => Ok(writer),
            Some(Kind::File { writer, .. }) => Ok(writer),
            None => Err(io::Error::other("output already finished")),
        }
    }
}

/// Creates `FILE.partial` afresh: a leftover of an earlier run is removed first (not
/// truncated: it may have other names), and anything else there is an error.
fn create_partial(partial: &Path) -> io::Result<File> {
    match std::fs::symlink_metadata(partial) {
        Ok(meta) if meta.file_type().is_file() => {
            std::fs::remove_file(partial).map_err(|e| named(e, "cannot replace", partial))?;
        }
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "cannot create {}: something other than a file is in the way",
                    partial.display()
                ),
            ))
        }
        Err(_) => {}
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(partial)
        .map_err(|e| named(e, "cannot create", partial))
}

/// Copies `partial` over `target` in place (keeping the file and its other names), then
/// removes `partial`.
fn overwrite(partial: &Path, target: &Path) -> io::Result<()> {
    let mut from = File::open(partial).map_err(|e| named(e, "cannot read", partial))?;
    let mut to = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)
        .map_err(|e| named(e, "cannot write", target))?;
    io::copy(&mut from, &mut to).map_err(|e| named(e, "cannot write", target))?;
    to.sync_all()
        .map_err(|e| named(e, "cannot write", target))?;
    std::fs::remove_file(partial).map_err(|e| named(e, "cannot remove", partial))
}

/// `error` with a message that says what was done to which file; the kind is kept (a
/// `BrokenPipe` stays one).
fn named(error: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{doing} {}: {error}", path.display()))
}

/// `error` while writing `shown`.
fn named_str(error: io::Error, shown: &str) -> io::Error {
    io::Error::new(error.kind(), format!("cannot write {shown}: {error}"))
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.writer()?.write(buf);
        result.map_err(|e| named_str(e, &self.shown))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = self.writer()?.write_all(buf);
        result.map_err(|e| named_str(e, &self.shown))
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.writer()?.flush();
        result.map_err(|e| named_str(e, &self.shown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn an_unfinished_output_leaves_the_target_alone_and_the_records_in_the_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        let mut out = Output::create(&path).unwrap();
        writeln!(out, "half").unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        let partial = dir.path().join("out.jsonl.partial");
        assert_eq!(std::fs::read_to_string(&partial).unwrap(), "half\n");
        // The next run starts afresh.
        let mut out = Output::create(&path).unwrap();
        writeln!(out, "whole").unwrap();
        out.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole\n");
        assert!(!partial.exists());
    }

    #[test]
    fn gz_outputs_are_compressed_and_a_kept_partial_one_is_whole_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl.gz");
        let mut out = Output::create(&path).unwrap();
        writeln!(out, "{{\"a\":1}}").unwrap();
        let kept = out.keep_partial().unwrap().unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(&kept).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "{\"a\":1}\n");
        assert!(!path.exists());

        let mut out = Output::create(&path).unwrap();
        writeln!(out, "{{\"a\":2}}").unwrap();
        out.finish().unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(&path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "{\"a\":2}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn destinations_follow_links_and_name_streams() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(
            Destination::of(Path::new("-")).unwrap(),
            Destination::Stdout
        );
        assert_eq!(
            Destination::of(Path::new("/dev/stdout")).unwrap(),
            Destination::Stdout
        );
        assert_eq!(
            Destination::of(Path::new("/dev/fd/2")).unwrap(),
            Destination::Stderr
        );
        assert_eq!(
            Destination::of(Path::new("/dev/null")).unwrap(),
            Destination::Direct(PathBuf::from("/dev/null"))
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("real.jsonl", d.join("link.jsonl")).unwrap();
            std::os::unix::fs::symlink(d.join("link.jsonl"), d.join("link2")).unwrap();
        }
        assert_eq!(
            Destination::of(&d.join("link2")).unwrap(),
            Destination::File(d.join("real.jsonl"))
        );
        let error = Destination::of(d).unwrap_err();
        assert!(error.to_string().contains("is a folder"), "{error}");
    }
}
