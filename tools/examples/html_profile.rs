//! Cleans the given pages (with segmentation) a number of times: a small, deterministic
//! workload for `valgrind --tool=callgrind` or `perf stat -e instructions`.
//!
//! ```text
//! CARGO_PROFILE_RELEASE_DEBUG=1 cargo build --release -p zhclean-tools --example html_profile
//! valgrind --tool=callgrind target/release/examples/html_profile PAGE...
//! ZHCLEAN_REPEAT=10 perf stat -e instructions target/release/examples/html_profile PAGE...
//! ```
//!
//! `ZHCLEAN_REPEAT` (default 1) repeats the whole set; `ZHCLEAN_DOM_ONLY=1` runs only the DOM
//! extraction (`html::parse_page`). Building the cleaner (jieba's dictionary) is a fixed cost:
//! subtract a run without pages to get the per-page figure.

use zhclean::internals::extract::html;
use zhclean::{Cleaner, InputMeta, Options};

fn main() {
    let repeat: usize = std::env::var("ZHCLEAN_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let dom_only = std::env::var_os("ZHCLEAN_DOM_ONLY").is_some();
    let pages: Vec<Vec<u8>> = std::env::args()
        .skip(1)
        .filter_map(|p| match std::fs::read(&p) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("html_profile: {p}: {e}");
                None
            }
        })
        .collect();
    let cleaner = match Cleaner::new(Options::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("html_profile: {e}");
            std::process::exit(2);
        }
    };
    let meta = InputMeta::default();
    let mut chars = 0usize;
    for _ in 0..repeat {
        for page in &pages {
            if dom_only {
                let text = String::from_utf8_lossy(page);
                chars += html::parse_page(&text).content.paragraphs.len();
            } else if let Ok(article) = cleaner.clean(page, &meta) {
                chars += article.body.len() + article.words.len();
            }
        }
    }
    println!("{} pages x {repeat}: {chars}", pages.len());
}
