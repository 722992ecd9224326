//! Reads the pages of a benchmark JSONL file (`{"text": …}` per line, as
//! `tools/examples/bench_corpus.rs` and `tools/examples/seed_like_pages.rs` write them), for the profiling
//! examples. Lines that are not JSON or have no `text` string are left out.

use std::io::BufRead;

/// Every page's text, in file order.
pub fn read_pages(path: &str) -> std::io::Result<Vec<String>> {
    Ok(std::io::BufReader::new(std::fs::File::open(path)?)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .filter_map(|record| record["text"].as_str().map(str::to_string))
        .collect())
}
