//! An ingestion job calling the library: clean every page given on the command line (files or
//! folders, one page per file), keep the ones with a body, and write them as JSON Lines.
//!
//! ```text
//! cargo run --release --example ingest -- fixtures/seed out.jsonl
//! ```
//!
//! One `Cleaner` is built once and shared by all threads (it is `Send + Sync`): loading jieba's
//! dictionary and the OpenCC tables is the expensive part, cleaning a page is cheap.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zhclean::{Cleaner, InputMeta, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (inputs, output) = match args.split_last() {
        Some((output, inputs)) if !inputs.is_empty() => (inputs, output),
        _ => return Err("usage: ingest INPUT... OUTPUT.jsonl".into()),
    };
    let mut files = Vec::new();
    for input in inputs {
        collect_files(Path::new(input), &mut files)?;
    }
    let cleaner = Cleaner::new(Options::default())?;
    let writer = Mutex::new(std::io::BufWriter::new(std::fs::File::create(output)?));
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = files.len().div_ceil(threads).max(1);

    // Scoped threads borrow the one cleaner; each writes whole lines under the lock.
    let (kept, failed) = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                let (cleaner, writer) = (&cleaner, &writer);
                scope.spawn(move || {
                    let (mut kept, mut failed) = (0usize, 0usize);
                    for path in part {
                        let meta = InputMeta::default().path(path.display().to_string());
                        let article =
                            std::fs::read(path)
                                .map_err(|e| e.to_string())
                                .and_then(|bytes| {
                                    cleaner.clean(&bytes, &meta).map_err(|e| e.to_string())
                                });
                        match article {
                            Ok(article) if !article.body.is_empty() => {
                                let line = serde_json::to_string(&article).unwrap_or_default();
                                if let Ok(mut w) = writer.lock() {
                                    let _ = writeln!(w, "{line}");
                                }
                                kept += 1;
                            }
                            Ok(_) => {}
                            Err(e) => {
                                eprintln!("{}: {e}", path.display());
                                failed += 1;
                            }
                        }
                    }
                    (kept, failed)
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .fold((0, 0), |(k, f), (k2, f2)| (k + k2, f + f2))
    });
    writer
        .into_inner()
        .map_err(|_| "writer lock poisoned")?
        .flush()?;
    eprintln!(
        "{} pages: {kept} kept, {failed} failed -> {output}",
        files.len()
    );
    Ok(())
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect_files(&entry?.path(), files)?;
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}
