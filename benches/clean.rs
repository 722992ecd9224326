//! `clean` against bare jieba segmentation of the same body, on seed-like pages.
//!
//! Pages are built from `../shared/corpus/peoples_daily_199801.txt` (or, on a fresh clone
//! without `../shared`, from the shipped seed page): groups of paragraphs converted to
//! traditional script, with pinyin annotations on some characters, half-width punctuation, a
//! byline, a tag line, a disclaimer and a related-headline list, like the seed.
//! The ratio `clean / bare_cut` is the pipeline's overhead over segmentation.
//!
//! `clean_script_keep` is `clean` with `--script keep`: the difference is the cost of the
//! traditional → simplified conversion.
//!
//! Run: `cargo bench --bench clean` (criterion prints time and throughput per group).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pinyin::ToPinyin;
use zhclean::{Cleaner, InputMeta, Options};

// The allocator the `zhclean` binary uses, with its settings, so that figures match the
// command line.
#[path = "../src/allocator.rs"]
mod allocator;

const CORPUS: &str = "../shared/corpus/peoples_daily_199801.txt";
const SEED: &str = "fixtures/seed/000_f764d41b789eb620.txt";
const PAGES: usize = 200;
const PARAGRAPHS_PER_PAGE: usize = 8;

/// Paragraphs of plain simplified text to build pages from.
fn source_paragraphs() -> Vec<String> {
    let text = std::fs::read_to_string(CORPUS)
        .or_else(|_| std::fs::read_to_string(SEED))
        .expect("corpus or seed fixture readable");
    if !Path::new(CORPUS).exists() {
        eprintln!("note: {CORPUS} not found; building pages from the seed fixture");
    }
    text.lines()
        .map(|line| {
            // People's Daily lines start with an article id and a space-separated layout.
            line.split_whitespace()
                .filter(|w| !w.starts_with("1998"))
                .collect::<String>()
        })
        .filter(|line| line.chars().count() > 30)
        .take(PAGES * PARAGRAPHS_PER_PAGE)
        .collect()
}

/// Annotates every seventh Han character with its pinyin, the way the seed's converter did.
fn annotate(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len() * 2);
    for (i, c) in paragraph.chars().enumerate() {
        out.push(c);
        if i % 7 == 3 {
            if let Some(p) = c.to_pinyin() {
                out.push('(');
                out.push_str(p.with_tone());
                out.push(')');
            }
        }
    }
    out.replace('，', ",").replace('：', ":")
}

fn seed_like_pages() -> Vec<String> {
    let converter = opencc_fmmseg::OpenCC::new();
    let paragraphs = source_paragraphs();
    paragraphs
        .chunks(PARAGRAPHS_PER_PAGE)
        .map(|chunk| {
            let mut page = String::new();
            for p in chunk {
                page.push_str(&annotate(&converter.s2t(p, false)));
                page.push('\n');
            }
            page.push_str("(記者孫紅麗)\n標簽: 生活垃圾分類\n");
            page.push_str("凡本網注明“XXX(非現代青年網)提供”的作品,均轉載自其它媒體。\n");
            for p in chunk.iter().take(4) {
                let head: String = p.chars().take(40).collect();
                page.push_str(&converter.s2t(&head, false));
                page.push_str("\n2018-12-21 08:46\n");
            }
            page
        })
        .collect()
}

fn bench_clean(c: &mut Criterion) {
    allocator::keep_freed_memory();
    let pages = seed_like_pages();
    let bytes: usize = pages.iter().map(String::len).sum();
    let cleaner = Cleaner::new(Options::default()).expect("default cleaner");
    let meta = InputMeta::default();
    let bodies: Vec<String> = pages
        .iter()
        .map(|p| {
            cleaner
                .clean(p.as_bytes(), &meta)
                .expect("page cleans")
                .body
        })
        .collect();
    let body_bytes: usize = bodies.iter().map(String::len).sum();
    let no_segment = Cleaner::new(Options {
        segment: false,
        ..Options::default()
    })
    .expect("cleaner");
    // The script conversion's cost is `clean` minus this.
    let script_keep = Cleaner::new(Options {
        script: zhclean::Script::Keep,
        ..Options::default()
    })
    .expect("cleaner");
    let jieba = jieba_rs::Jieba::new();
    eprintln!(
        "{} pages, {:.1} KB/page raw, {:.1} KB/page body",
        pages.len(),
        bytes as f64 / pages.len() as f64 / 1024.0,
        body_bytes as f64 / pages.len() as f64 / 1024.0
    );

    summary(&pages, &bodies, &cleaner, &jieba);

    let mut group = c.benchmark_group("seed_like_pages");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("clean", |b| {
        b.iter(|| {
            for page in &pages {
                let _ = cleaner.clean(page.as_bytes(), &meta);
            }
        })
    });
    group.bench_function("clean_no_segment", |b| {
        b.iter(|| {
            for page in &pages {
                let _ = no_segment.clean(page.as_bytes(), &meta);
            }
        })
    });
    group.bench_function("clean_script_keep", |b| {
        b.iter(|| {
            for page in &pages {
                let _ = script_keep.clean(page.as_bytes(), &meta);
            }
        })
    });
    group.bench_function("bare_jieba_cut_of_body", |b| {
        b.iter(|| {
            for body in &bodies {
                for paragraph in body.lines() {
                    std::hint::black_box(jieba.cut(paragraph, true));
                }
            }
        })
    });
    group.finish();
}

/// One quick pass with plain timers, printing the figures the issue asks for in one place:
/// pages/s and MB/s of `clean`, and its cost relative to bare segmentation of the same body.
fn summary(pages: &[String], bodies: &[String], cleaner: &Cleaner, jieba: &jieba_rs::Jieba) {
    use std::time::Instant;
    const ROUNDS: usize = 5;
    let bytes: usize = pages.iter().map(String::len).sum::<usize>() * ROUNDS;
    let meta = InputMeta::default();
    let start = Instant::now();
    for _ in 0..ROUNDS {
        for page in pages {
            std::hint::black_box(cleaner.clean(page.as_bytes(), &meta).ok());
        }
    }
    let clean = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for _ in 0..ROUNDS {
        for body in bodies {
            for paragraph in body.lines() {
                std::hint::black_box(jieba.cut(paragraph, true));
            }
        }
    }
    let cut = start.elapsed().as_secs_f64();
    let n = (pages.len() * ROUNDS) as f64;
    eprintln!(
        "summary: clean {:.0} pages/s, {:.2} MB/s; bare jieba.cut {:.0} pages/s; clean/cut cost ratio {:.2}",
        n / clean,
        bytes as f64 / clean / 1e6,
        n / cut,
        clean / cut
    );
}

criterion_group!(benches, bench_clean);
criterion_main!(benches);
