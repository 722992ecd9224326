//! Decode, repair and quality assessment over the pages of a JSONL file (`{"text": …}` per
//! line), on one thread, for instruction counts under callgrind: everything loaded on first
//! use is warmed up before [`measured`], so
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='repair_profile::measured' \
//!     target/release/examples/repair_profile pages.jsonl [keep]
//! ```
//!
//! counts the per-page work only (divide by the page count printed).

use encoding_rs::{Encoding, BIG5, GBK};
use zhclean::internals::decode::{decode, Hint};
use zhclean::internals::repair::{Repairer, Script};

#[path = "../../src/allocator.rs"]
mod allocator;
#[path = "common/pages.rs"]
mod pages;

#[inline(never)]
fn measured(pages: &[String], repairer: &Repairer) -> usize {
    let mut total = 0;
    for page in pages {
        let Ok(decoded) = decode(page.as_bytes(), &Hint::default()) else {
            continue;
        };
        let repaired = repairer.repair_decoded(&decoded.text, decoded.encoding);
        let quality = zhclean::internals::quality::assess(&repaired.text);
        total += repaired.text.len() + usize::from(quality.score > 0.5);
    }
    total
}

fn main() -> std::io::Result<()> {
    allocator::keep_freed_memory();
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: repair_profile PAGES.jsonl [keep]");
        std::process::exit(2);
    };
    let script = match args.next().as_deref() {
        Some("keep") => Script::Keep,
        _ => Script::Simplified,
    };
    let pages = pages::read_pages(&path)?;
    let repairer = Repairer::new(script);
    // Load the tables (character model, code pages both ways, pinyin) before measuring: the
    // GBK/Big5 confusions encode to Big5 and GBK, byte-shift recovery of Big5 sources too.
    let misdecode = |text: &str, right: &'static Encoding, wrong: &'static Encoding| {
        wrong.decode(&right.encode(text).0).0.into_owned()
    };
    let warm_up = [
        "據(jù)悉,當?shù)貤l件 鍦版柟 æ•°æ®".to_string(),
        misdecode("北京市政府今天召开新闻发布会", GBK, BIG5),
        misdecode("台北市政府今天召開記者會說明", BIG5, GBK),
    ];
    for text in &warm_up {
        let _ = repairer.repair_decoded(text, BIG5);
        let _ = zhclean::internals::quality::assess(text);
    }
    let total = measured(&pages, &repairer);
    println!("{} pages, {total}", pages.len());
    Ok(())
}
