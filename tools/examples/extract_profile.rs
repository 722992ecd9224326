//! The text extract stage alone, over pages repaired beforehand: a deterministic workload for
//! `valgrind --tool=callgrind`, and a dump of its output for differential checks.
//!
//! ```text
//! extract_profile bench PAGES.jsonl [REPEAT]   # repair every page, then extract each REPEAT times
//! extract_profile dump PATH...                # Debug of `Extracted` for every page (JSONL or files)
//! ```
//!
//! A JSONL path gives one page per line (`text` field); any other path is read as one page
//! (folders recursively), decoded and repaired, HTML or not (markup lines are a good stress).

use std::io::{BufRead, Write};

use zhclean::internals::decode::{decode, Hint};
use zhclean::internals::extract::TextExtractor;
use zhclean::internals::repair::{Repairer, Script};

// The allocator the `zhclean` binary uses, with its settings.
#[path = "../../src/allocator.rs"]
mod allocator;

fn pages(path: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let p = std::path::Path::new(path);
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            pages(&e.to_string_lossy(), out);
        }
    } else if path.ends_with(".jsonl") {
        let Ok(f) = std::fs::File::open(p) else {
            return;
        };
        for (i, line) in std::io::BufReader::new(f)
            .lines()
            .map_while(Result::ok)
            .enumerate()
        {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                if let Some(t) = v["text"].as_str() {
                    out.push((format!("{path}:{i}"), t.as_bytes().to_vec()));
                }
            }
        }
    } else if let Ok(b) = std::fs::read(p) {
        out.push((path.to_string(), b));
    }
}

fn main() {
    allocator::keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = args.first() else {
        eprintln!("usage: extract_profile bench|dump PATH...");
        std::process::exit(2);
    };
    let extractor = TextExtractor::new();
    let mut texts = Vec::new();
    for script in [Script::Simplified, Script::Keep] {
        let repairer = Repairer::new(script);
        let mut raw = Vec::new();
        let paths = if mode == "bench" {
            &args[1..2]
        } else {
            &args[1..]
        };
        for p in paths {
            pages(p, &mut raw);
        }
        for (name, bytes) in raw {
            let Ok(decoded) = decode(&bytes, &Hint::default()) else {
                continue;
            };
            // Extract on both the raw decoded text and the repaired text.
            texts.push((name.clone(), repairer.repair(&decoded.text).text));
            if mode != "bench" {
                texts.push((format!("{name} (unrepaired)"), decoded.text));
            }
        }
        if mode == "bench" {
            break;
        }
    }
    if mode == "bench" {
        let repeat: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
        // Warm-up pages (other ones): the regexes' lazy DFAs fill their caches as a long run
        // does, so that `measured` shows the steady state.
        if let Some(warm) = args.get(3) {
            let mut raw = Vec::new();
            pages(warm, &mut raw);
            let repairer = Repairer::new(Script::Simplified);
            for (_, bytes) in raw {
                if let Ok(d) = decode(&bytes, &Hint::default()) {
                    std::hint::black_box(extractor.extract(&repairer.repair(&d.text).text));
                }
            }
        }
        let n = measured(&extractor, &texts, repeat);
        println!("{} pages x {repeat}: {n}", texts.len());
    } else {
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        for (name, t) in &texts {
            let _ = writeln!(w, "== {name}\n{:?}", extractor.extract(t));
        }
    }
}

/// The measured part (`valgrind --tool=callgrind --toggle-collect='*measured*'`).
#[inline(never)]
fn measured(extractor: &TextExtractor, texts: &[(String, String)], repeat: usize) -> usize {
    let mut n = 0usize;
    for _ in 0..repeat {
        for (_, t) in texts {
            let e = extractor.extract(t);
            n += e.paragraphs.len() + e.removed.len();
        }
    }
    n
}
