//! Where the time goes: each pipeline stage timed over the pages of a JSONL file
//! (`{"text": …}` per line, e.g. the one `scripts/bench.sh` generates), on one thread,
//! next to bare jieba segmentation of the same paragraphs.
//!
//! ```text
//! cargo run --release --example stage_times -- pages.jsonl
//! ```

use std::io::BufRead;
use std::time::{Duration, Instant};

use zhclean::decode::{decode, Hint};
use zhclean::extract::TextExtractor;
use zhclean::repair::{Repairer, Script};
use zhclean::segment::{top_keywords, Segmenter};

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stage_times PAGES.jsonl");
        std::process::exit(2);
    };
    let pages: Vec<String> = std::io::BufReader::new(std::fs::File::open(path)?)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .filter_map(|record| record["text"].as_str().map(str::to_string))
        .collect();
    let repairer = Repairer::new(Script::Simplified);
    let extractor = TextExtractor::new();
    let Ok(segmenter) = Segmenter::new(None) else {
        return Ok(());
    };
    let jieba = jieba_rs::Jieba::new();
    // Load the IDF table before timing.
    let _ = top_keywords(&[vec!["预热".to_string()]], 1);

    let names = [
        "decode",
        "repair",
        "extract",
        "segment (cut + words + keywords)",
        "  keywords alone (part of segment)",
        "serialise words to JSON",
        "bare jieba cut, same paragraphs",
    ];
    let mut times = [Duration::ZERO; 7];
    for page in &pages {
        let mut clock = Instant::now();
        let mut lap = |slot: usize| {
            times[slot] += clock.elapsed();
            clock = Instant::now();
        };
        let Ok(decoded) = decode(page.as_bytes(), &Hint::default()) else {
            continue;
        };
        lap(0);
        let repaired = repairer.repair(&decoded.text);
        lap(1);
        let extracted = extractor.extract(&repaired.text);
        lap(2);
        let segmented = segmenter.segment(&extracted.paragraphs, false);
        lap(3);
        let keywords = top_keywords(&segmented.words, 10);
        lap(4);
        let json = serde_json::to_string(&segmented.words).unwrap_or_default();
        lap(5);
        let words: usize = extracted
            .paragraphs
            .iter()
            .map(|p| jieba.cut(p, true).len())
            .sum();
        lap(6);
        std::hint::black_box((keywords, json, words));
    }
    println!("{} pages", pages.len());
    for (name, time) in names.iter().zip(times) {
        println!("{name:>34}: {:.3} s", time.as_secs_f64());
    }
    Ok(())
}
