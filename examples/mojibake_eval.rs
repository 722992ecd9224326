//! No false mojibake repairs on clean text: every page of `../shared/devset` (decoded the way
//! the pipeline decodes it), the gold texts, and the UTF-8 corpora must come through the
//! mojibake stage byte-identical. Not part of `cargo test` (the data is not in the repo).
//!
//! ```text
//! cargo run --release --example mojibake_eval [-- SHARED_DIR]
//! ```

use std::path::{Path, PathBuf};

use zhclean::decode::{decode, Hint};
use zhclean::repair::mojibake::repair;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    let mut paths = Vec::new();
    files(&shared.join("devset"), &mut paths);
    for corpus in ["peoples_daily_199801.txt", "sogoucs_mini_utf8.dat"] {
        paths.push(shared.join("corpus").join(corpus));
    }
    paths.sort();
    let (mut texts, mut changed) = (0, 0);
    for path in &paths {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(decoded) = decode(&bytes, &Hint::default()) else {
            continue;
        };
        texts += 1;
        let fixed = repair(&decoded.text);
        if fixed.text != decoded.text {
            changed += 1;
            println!(
                "CHANGED {}: {:?}",
                path.display(),
                &fixed.spans[..fixed.spans.len().min(5)]
            );
        }
    }
    println!("== Mojibake stage on clean text");
    println!("files: {texts}, changed: {changed}");
}
