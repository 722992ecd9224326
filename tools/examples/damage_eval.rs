//! Scores a zhclean binary on the damaged seed-like pages of `scripts/damage-eval.sh` (not part
//! of `cargo test`: the pages are made from `../shared/corpus`).
//!
//! ```text
//! cargo run --release -p zhclean-tools --example damage_eval -- PAGES_DIR [BINARY]
//! ```
//!
//! For each damage kind (a folder of `PAGES_DIR` next to `clean/` and `gold/`), runs BINARY
//! (default `target/release/zhclean`) over the folder without segmentation and prints, per
//! kind: the body F1 against the gold text (mean and minimum, the metric of
//! [`zhclean_tools::eval::BodyMetric`]) and against the body the same binary gives for the
//! undamaged page (`clean/`: what the damage alone cost), how many bodies still hold a `?`,
//! a U+FFFD or a mojibake pair, the mean `quality.score`, and the repair counts. A *mojibake pair* is two adjacent
//! characters whose GBK (or Big5) bytes spell a CJK character in UTF-8, with at least one
//! of the two rare in jieba's dictionary (common pairs such as `涓嶅` can occur in clean text;
//! mojibake is made of rare ones).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use encoding_rs::{Encoding, BIG5, GBK};
use zhclean::internals::model::model;
use zhclean_tools::eval::BodyMetric;

#[derive(Default)]
struct KindScore {
    pages: usize,
    f1_sum: f64,
    f1_min: f64,
    vs_clean_sum: f64,
    vs_clean_min: f64,
    with_question_mark: usize,
    with_replacement: usize,
    with_mojibake: usize,
    errors: usize,
    quality_sum: f64,
    dropped: u64,
    mojibake_spans: u64,
    malformed: u64,
    examples: Vec<String>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: damage_eval PAGES_DIR [BINARY]");
        std::process::exit(2);
    };
    let binary = args
        .next()
        .unwrap_or_else(|| "target/release/zhclean".to_string());
    let metric = BodyMetric::new();
    let mut kinds: Vec<String> = std::fs::read_dir(&dir)
        .expect("pages folder readable")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|k| k != "gold")
        .collect();
    kinds.sort();
    let clean = bodies(&run(&dir, "clean", &binary));
    println!(
        "{:<16} {:>5} {:>7} {:>7} {:>7} {:>7} {:>5} {:>5} {:>5} {:>5} {:>7} {:>8} {:>8} {:>9}",
        "kind",
        "pages",
        "F1",
        "min F1",
        "~clean",
        "min",
        "?",
        "\u{FFFD}",
        "moji",
        "err",
        "quality",
        "dropped",
        "mojibake",
        "malformed"
    );
    for kind in &kinds {
        let score = score_kind(&dir, kind, &binary, &metric, &clean);
        let pages = score.pages.max(1) as f64;
        println!(
            "{:<16} {:>5} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>5} {:>5} {:>5} {:>5} {:>7.3} {:>8} {:>8} {:>9}",
            kind,
            score.pages,
            score.f1_sum / pages,
            score.f1_min,
            score.vs_clean_sum / pages,
            score.vs_clean_min,
            score.with_question_mark,
            score.with_replacement,
            score.with_mojibake,
            score.errors,
            score.quality_sum / pages,
            score.dropped,
            score.mojibake_spans,
            score.malformed,
        );
        if std::env::var_os("SHOW").is_some() {
            for example in &score.examples {
                println!("    {example}");
            }
        }
    }
}

/// The records BINARY writes for the pages of one kind, by file name.
fn run(dir: &Path, kind: &str, binary: &str) -> BTreeMap<String, serde_json::Value> {
    let output = Command::new(binary)
        .args(["-q", "--no-segment", "-j", "2"])
        .arg(dir.join(kind))
        .output()
        .expect("binary runs");
    let mut records: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(record) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let path = record["input"]["path"].as_str().unwrap_or("").to_string();
        let name = Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        records.insert(name, record);
    }
    records
}

fn bodies(records: &BTreeMap<String, serde_json::Value>) -> BTreeMap<String, String> {
    records
        .iter()
        .map(|(name, r)| (name.clone(), r["body"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn score_kind(
    dir: &Path,
    kind: &str,
    binary: &str,
    metric: &BodyMetric,
    clean: &BTreeMap<String, String>,
) -> KindScore {
    let records = run(dir, kind, binary);
    let mut score = KindScore {
        f1_min: 1.0,
        vs_clean_min: 1.0,
        ..KindScore::default()
    };
    for (name, record) in &records {
        let Ok(gold) = std::fs::read_to_string(dir.join("gold").join(name)) else {
            continue;
        };
        score.pages += 1;
        if record.get("error").is_some() {
            score.errors += 1;
            score.f1_min = 0.0;
            score.vs_clean_min = 0.0;
            continue;
        }
        let body = record["body"].as_str().unwrap_or("");
        let f1 = metric.f1(body, &gold);
        score.f1_sum += f1;
        score.f1_min = score.f1_min.min(f1);
        let vs_clean = metric.f1(body, clean.get(name).map_or("", String::as_str));
        score.vs_clean_sum += vs_clean;
        score.vs_clean_min = score.vs_clean_min.min(vs_clean);
        let question = body.contains('?');
        let replacement = body.contains('\u{FFFD}');
        let mojibake = mojibake_pairs(body);
        score.with_question_mark += usize::from(question);
        score.with_replacement += usize::from(replacement);
        score.with_mojibake += usize::from(!mojibake.is_empty());
        score.quality_sum += record["quality"]["score"].as_f64().unwrap_or(0.0);
        score.dropped += record["repairs"]["dropped_chars"].as_u64().unwrap_or(0);
        score.mojibake_spans += record["repairs"]["mojibake"].as_u64().unwrap_or(0);
        score.malformed += record["input"]["malformed"].as_u64().unwrap_or(0);
        if (question || replacement || !mojibake.is_empty() || vs_clean < 0.97)
            && score.examples.len() < 6
        {
            let at = body
                .find(['?', '\u{FFFD}'])
                .or_else(|| mojibake.first().and_then(|m| body.find(m.as_str())))
                .unwrap_or(0);
            let from = body[..at]
                .char_indices()
                .rev()
                .nth(12)
                .map_or(0, |(i, _)| i);
            let excerpt: String = body[from..].chars().take(40).collect();
            score
                .examples
                .push(format!("{name} f1={f1:.3} {mojibake:?}: …{excerpt}…"));
        }
    }
    score
}

/// Adjacent character pairs of `body` whose GBK or Big5 bytes are a UTF-8 CJK character
/// (possibly with a byte to spare on either side), one of the two rare.
fn mojibake_pairs(body: &str) -> Vec<String> {
    let m = model();
    let chars: Vec<char> = body.chars().collect();
    let mut found = Vec::new();
    for pair in chars.windows(2) {
        if !(m.is_rare(pair[0]) || m.is_rare(pair[1])) {
            continue;
        }
        let text: String = pair.iter().collect();
        for encoding in [GBK, BIG5] {
            if spells_cjk(encoding, &text) {
                found.push(text.clone());
                break;
            }
        }
    }
    found
}

fn spells_cjk(encoding: &'static Encoding, text: &str) -> bool {
    let (bytes, _, unmappable) = encoding.encode(text);
    if unmappable || bytes.len() != 4 {
        return false;
    }
    // A three-byte UTF-8 CJK character at offset 0 or 1.
    [0, 1].iter().any(|&at| {
        std::str::from_utf8(&bytes[at..at + 3]).is_ok_and(|s| {
            s.chars()
                .next()
                .is_some_and(|c| matches!(c as u32, 0x3000..=0x9FFF | 0xFF00..=0xFFEF))
        })
    })
}
