//! HTML pages through the whole pipeline (decode, DOM extraction, repair, text stage,
//! segmentation), against the DOM extraction alone.
//!
//! Pages are the magic-html devset pages of 50–150 KB (typical news pages) when
//! `../shared/devset/magic-html` exists; on a fresh clone, the fixture
//! `fixtures/html/news_related_footer.html` padded with navigation and paragraphs to ~60 KB.
//! Throughput is reported in bytes; pages/s = 1 / (time per page).
//!
//! Run: `cargo bench --bench html --features internals`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zhclean::internals::extract::html;
use zhclean::{Cleaner, InputMeta, Options};

// The allocator the `zhclean` binary uses, with its settings, so that figures match the
// command line.
#[path = "../src/allocator.rs"]
mod allocator;

const DEVSET: &str = "../shared/devset/magic-html/htmls";
const FIXTURE: &str = "fixtures/html/news_related_footer.html";

fn pages() -> Vec<Vec<u8>> {
    let mut pages: Vec<Vec<u8>> = std::fs::read_dir(DEVSET)
        .map(|dir| {
            dir.flatten()
                .filter_map(|e| std::fs::read(e.path()).ok())
                .filter(|b| (50_000..=150_000).contains(&b.len()))
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    if pages.is_empty() {
        eprintln!("note: {DEVSET} not found; using a padded fixture page");
        let page = std::fs::read_to_string(FIXTURE).expect("fixture readable");
        let nav = "<li><a href=\"/n\">导航链接示例</a></li>".repeat(400);
        let para =
            "<p>记者从市住建局获悉，我市今年将启动老旧小区改造三年行动，惠及居民四万余户。</p>"
                .repeat(40);
        let padded = page
            .replace(
                "<div class=\"main\">",
                &format!("<ul class=\"nav\">{nav}</ul><div class=\"main\">"),
            )
            .replace(
                "<div class=\"related\">",
                &format!("{para}<div class=\"related\">"),
            );
        pages.push(padded.into_bytes());
    }
    pages
}

fn bench(c: &mut Criterion) {
    allocator::keep_freed_memory();
    let pages = pages();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let cleaner = Cleaner::new(Options::default()).expect("cleaner");
    let meta = InputMeta::default();
    let mut group = c.benchmark_group(format!("html_{}_pages", pages.len()));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("clean_with_segmentation", |b| {
        b.iter(|| {
            for page in &pages {
                let _ = cleaner.clean(page, &meta);
            }
        })
    });
    group.bench_function("dom_extraction_only", |b| {
        b.iter(|| {
            for page in &pages {
                if let Ok(text) = std::str::from_utf8(page) {
                    let _ = html::parse_page(text);
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
