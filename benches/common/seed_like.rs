//! Seed-like pages for the `clean` benchmark and for profiling (`examples/seed_like_pages.rs`).
//!
//! Pages are built from `../shared/corpus/peoples_daily_199801.txt` (or, on a fresh clone
//! without `../shared`, from the shipped seed page): groups of paragraphs converted to
//! traditional script, with pinyin annotations on some characters, half-width punctuation, a
//! byline, a tag line, a disclaimer and a related-headline list, like the seed.
//! Paths are relative to the crate root, where cargo runs benches and examples.

use std::path::Path;

use pinyin::ToPinyin;

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

/// The benchmark's pages, in a fixed order.
pub fn seed_like_pages() -> Vec<String> {
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
