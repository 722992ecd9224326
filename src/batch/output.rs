//! Where output lines go: stdout, or a file written atomically.
//!
//! A file output is written to a temporary file in the destination's folder and renamed into
//! place by [`Output::finish`] only; dropping an unfinished output (an error, Ctrl-C) deletes
//! the temporary file, so an interrupted run never leaves a half file that looks whole. A
//! name ending in `.gz` is gzip-compressed.
//!
//! ```
//! use std::io::Write;
//! use zhclean::batch::output::Output;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("out.jsonl");
//! let mut out = Output::create(&path).unwrap();
//! writeln!(out, "{{}}").unwrap();
//! assert!(!path.exists(), "nothing there before finish");
//! out.finish().unwrap();
//! assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
//! ```

use std::fs::File;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use flate2::write::GzEncoder;
use flate2::Compression;
use tempfile::TempPath;

/// Temporary files being written, so that a second Ctrl-C (which exits at once) can delete
/// them: see [`remove_unfinished`].
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Deletes every temporary output file not yet renamed into place. For a signal handler that
/// is about to exit the process without running destructors.
pub fn remove_unfinished() {
    if let Ok(paths) = UNFINISHED.lock() {
        for path in paths.iter() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn forget_unfinished(path: &Path) {
    if let Ok(mut paths) = UNFINISHED.lock() {
        paths.retain(|p| p != path);
    }
}

/// An output stream; see the module doc.
pub struct Output {
    /// Always `Some` until [`Output::finish`] takes it.
    kind: Option<Kind>,
}

enum Kind {
    Stdout(BufWriter<Stdout>),
    File {
        writer: Box<dyn FileWriter>,
        temp: TempPath,
        destination: PathBuf,
    },
}

/// A writer over the temporary file that can be finished (gzip trailer) and gives the file
/// back for syncing.
trait FileWriter: Write {
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

impl Output {
    /// Standard output (buffered).
    pub fn stdout() -> Output {
        Output {
            kind: Some(Kind::Stdout(BufWriter::with_capacity(
                256 * 1024,
                io::stdout(),
            ))),
        }
    }

    /// A temporary file next to `path`, renamed to `path` by [`Output::finish`].
    ///
    /// # Errors
    /// When the temporary file cannot be created (missing folder, no permission); the message
    /// names `path`.
    pub fn create(path: &Path) -> io::Result<Output> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let file_name = path.file_name().map_or_else(
            || "output".into(),
            |name| name.to_string_lossy().into_owned(),
        );
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{file_name}."))
            .suffix(".partial")
            .tempfile_in(folder)
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
            })?;
        let (file, temp) = temp.into_parts();
        if let Ok(mut paths) = UNFINISHED.lock() {
            paths.push(temp.to_path_buf());
        }
        let buffered = BufWriter::with_capacity(256 * 1024, file);
        let gz = path.extension().is_some_and(|ext| ext == "gz");
        let writer: Box<dyn FileWriter> = if gz {
            Box::new(GzEncoder::new(buffered, Compression::default()))
        } else {
            Box::new(buffered)
        };
        Ok(Output {
            kind: Some(Kind::File {
                writer,
                temp,
                destination: path.to_path_buf(),
            }),
        })
    }

    /// Flushes everything and, for a file, renames it into place.
    ///
    /// # Errors
    /// When flushing, syncing or renaming fails; the temporary file is then deleted.
    pub fn finish(mut self) -> io::Result<()> {
        match self.kind.take() {
            None => Ok(()),
            Some(Kind::Stdout(mut out)) => out.flush(),
            Some(Kind::File {
                writer,
                temp,
                destination,
            }) => {
                forget_unfinished(&temp);
                let file = writer.finish()?;
                file.sync_all()?;
                set_readable(&temp);
                temp.persist(&destination).map_err(|e| {
                    io::Error::new(
                        e.error.kind(),
                        format!("cannot rename into {}: {}", destination.display(), e.error),
                    )
                })
            }
        }
    }
}

/// Temporary files are created private (0600); the finished output gets the usual 0644.
fn set_readable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = path;
}

impl Output {
    fn writer(&mut self) -> io::Result<&mut dyn Write> {
        match &mut self.kind {
            Some(Kind::Stdout(out)) => Ok(out),
            Some(Kind::File { writer, .. }) => Ok(writer),
            None => Err(io::Error::other("output already finished")),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // An unfinished file: its `TempPath` deletes the temporary file as it drops.
        if let Some(Kind::File { temp, .. }) = &self.kind {
            forget_unfinished(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn an_unfinished_output_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut out = Output::create(&path).unwrap();
        writeln!(out, "half").unwrap();
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn gz_outputs_are_compressed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl.gz");
        let mut out = Output::create(&path).unwrap();
        writeln!(out, "{{\"a\":1}}").unwrap();
        out.finish().unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(&path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "{\"a\":1}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
