//! No false mojibake repairs on clean text: every page of `../shared/devset` (decoded the way
//! the pipeline decodes it), the gold texts, and the UTF-8 corpora must come through the
//! mojibake stage byte-identical. Then the lossy step alone, past the stage's gate, on clean
//! People's Daily and SogouCS lines as they are and with one to three U+FFFD put in at
//! pseudo-random places (as a replacing decoder would leave them): any change but the
//! removal of a U+FFFD is a false repair.
//! Not part of `cargo test` (the data is not in the repo).
//!
//! ```text
//! cargo run --release -p zhclean-tools --example mojibake_eval [-- SHARED_DIR]
//! ```

use std::path::{Path, PathBuf};

use zhclean::internals::decode::{decode, Hint};
use zhclean::internals::repair::lossy;
use zhclean::internals::repair::mojibake::repair;

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
    lossy_on_clean_lines(&shared);
}

fn lossy_on_clean_lines(shared: &Path) {
    let mut lines: Vec<String> = Vec::new();
    for corpus in ["peoples_daily_199801.txt", "sogoucs_mini_utf8.dat"] {
        let text = std::fs::read_to_string(shared.join("corpus").join(corpus)).unwrap_or_default();
        lines.extend(
            text.lines()
                .map(|l| l.trim().trim_end_matches('\u{FFFD}'))
                .filter(|l| l.chars().count() >= 20 && !l.contains('\u{FFFD}'))
                .map(String::from),
        );
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let (mut trials, mut changed) = (0, 0);
    for line in &lines {
        for marks in 0..=3 {
            let mut chars: Vec<char> = line.chars().collect();
            for _ in 0..marks {
                let at = next(chars.len());
                chars.insert(at, '\u{FFFD}');
            }
            let damaged: String = chars.into_iter().collect();
            trials += 1;
            let fixed = lossy::repair(&damaged);
            if fixed.text.replace('\u{FFFD}', "") != *line {
                changed += 1;
                if changed <= 10 {
                    println!("FALSE LOSSY REPAIR: {:?}", fixed.spans);
                }
            }
        }
    }
    println!("== Lossy step (past the gate) on clean lines, with 0 to 3 U+FFFD put in");
    println!("texts: {trials}, changed: {changed}");
}
