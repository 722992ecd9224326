//! `clean` against bare jieba segmentation of the same body, on seed-like pages.
//!
//! Pages are built from `../shared/corpus/peoples_daily_199801.txt` (or, on a fresh clone
//! without `../shared`, from the shipped seed page) as `common/seed_like.rs` describes;
//! `cargo run --release --example seed_like_pages` writes the same pages as JSONL, for
//! profiling and for `examples/stage_times.rs`.
//! The ratio `clean / bare_cut` is the pipeline's overhead over segmentation.
//!
//! `clean_script_keep` is `clean` with `--script keep`: the difference is the cost of the
//! traditional → simplified conversion.
//!
//! Run: `cargo bench --bench clean` (criterion prints time and throughput per group).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zhclean::{Cleaner, InputMeta, Options};

// The allocator the `zhclean` binary uses, with its settings, so that figures match the
// command line.
#[path = "../src/allocator.rs"]
mod allocator;

#[path = "common/seed_like.rs"]
mod seed_like;
use seed_like::seed_like_pages;

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
    let no_segment = Cleaner::new(Options::default().segment(false)).expect("cleaner");
    // The script conversion's cost is `clean` minus this.
    let script_keep =
        Cleaner::new(Options::default().script(zhclean::Script::Keep)).expect("cleaner");
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
