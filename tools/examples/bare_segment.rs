//! The baseline of `scripts/bench.sh`: bare jieba segmentation of the same pages, nothing
//! else. Reads the benchmark's JSONL (`{"text": …}` per line), cuts every non-blank line of
//! every page with jieba-rs (precise mode, HMM on, as zhclean's segment stage does) on one
//! thread, and prints `pages seconds MB/s` (time after the dictionary is loaded).
//!
//! ```text
//! cargo run --release -p zhclean-tools --example bare_segment -- pages.jsonl
//! ```

use std::io::{BufRead, BufReader};
use std::time::Instant;

// The allocator the `zhclean` binary uses, with its settings, so that figures match the
// command line.
#[path = "../../src/allocator.rs"]
mod allocator;

fn main() -> std::io::Result<()> {
    allocator::keep_freed_memory();
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bare_segment PAGES.jsonl");
        std::process::exit(2);
    };
    let jieba = jieba_rs::Jieba::new();
    let started = Instant::now();
    let (mut pages, mut bytes, mut words) = (0u64, 0u64, 0usize);
    for line in BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(text) = record["text"].as_str() else {
            continue;
        };
        pages += 1;
        bytes += text.len() as u64;
        for paragraph in text.lines().filter(|l| !l.trim().is_empty()) {
            words += jieba.cut(paragraph, true).len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{pages} pages {seconds:.3} s {:.3} MB/s ({words} words)",
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
