//! Where the time goes: each pipeline stage timed over the pages of a JSONL file
//! (`{"text": …}` per line, e.g. the one `scripts/bench.sh` generates), on one thread,
//! next to bare jieba segmentation of the same paragraphs.
//!
//! Stages run one after another on each page, so a later timing of the same data finds it in
//! the cache: the keyword line (ranking again the words `segment` just ranked) and the bare
//! cut (of the paragraphs `segment` just cut) are lower bounds. Run alone over the 12,000
//! bench pages, keywords cost about 0.3 s rather than the 0.17 s printed here.
//!
//! ```text
//! cargo run --release -p zhclean-tools --example stage_times -- pages.jsonl
//! ```

use std::time::{Duration, Instant};

use zhclean::internals::decode::{decode, Hint};
use zhclean::internals::extract::TextExtractor;
use zhclean::internals::repair::script::ToSimplified;
use zhclean::internals::repair::{Repairer, Script};
use zhclean::internals::segment::{top_keywords, Segmenter};
use zhclean::Repairs;

// The allocator the `zhclean` binary uses, with its settings, so that figures match the
// command line.
#[path = "../../src/allocator.rs"]
mod allocator;
#[path = "common/pages.rs"]
mod pages;

fn main() -> std::io::Result<()> {
    allocator::keep_freed_memory();
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stage_times PAGES.jsonl");
        std::process::exit(2);
    };
    let pages = pages::read_pages(&path)?;
    let repairer = Repairer::new(Script::Simplified);
    let repairer_keep = Repairer::new(Script::Keep);
    let to_simplified = ToSimplified::new();
    let extractor = TextExtractor::new();
    let Ok(segmenter) = Segmenter::new(None) else {
        return Ok(());
    };
    let jieba = jieba_rs::Jieba::new();
    // Load what the stages load on first use (IDF table, character model, code page tables)
    // before timing.
    let _ = top_keywords(["预热"], 1);
    for page in pages.iter().take(1) {
        let _ = repairer.repair(page);
        let _ = repairer_keep.repair(page);
    }

    let names = [
        "decode",
        "repair",
        "extract",
        "segment (cut + words + keywords)",
        "  keywords again, warm (in segment)",
        "serialise words to JSON",
        "bare jieba cut, same paragraphs",
        "  repair with --script keep",
        "  traditional → simplified of that",
    ];
    let mut times = [Duration::ZERO; 9];
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
        let keywords = top_keywords(segmented.words.iter(), 10);
        lap(4);
        let json = serde_json::to_string(&segmented.words).unwrap_or_default();
        lap(5);
        let words: usize = extracted
            .paragraphs
            .iter()
            .map(|p| jieba.cut(p, true).len())
            .sum();
        lap(6);
        // The script conversion on its own: repair again without it, then convert.
        let kept = repairer_keep.repair(&decoded.text);
        lap(7);
        let simplified = to_simplified.convert(&kept.text, &mut Repairs::default());
        lap(8);
        std::hint::black_box((keywords, json, words, simplified));
    }
    println!("{} pages", pages.len());
    for (name, time) in names.iter().zip(times) {
        println!("{name:>34}: {:.3} s", time.as_secs_f64());
    }

    Ok(())
}
