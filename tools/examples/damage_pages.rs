//! Writes seed-like pages made from `../shared/corpus` text, their gold bodies, and the damage
//! kinds that `encoding_rs` (the WHATWG decoders) makes; `scripts/damage_pages.py` adds the
//! kinds made by Python's and Java's decoders. Not part of `cargo test` (the corpus is not in
//! the repository). Run through `scripts/damage-eval.sh`, which scores them all.
//!
//! ```text
//! cargo run --release -p zhclean-tools --example damage_pages -- OUT_DIR [SHARED_DIR]
//! cargo run --release -p zhclean-tools --example damage_pages -- --seed-like SOURCE OUT   (one page, from
//!     the paragraphs of SOURCE; for fixtures/damaged/)
//! cargo run --release -p zhclean-tools --example damage_pages -- --decode LABEL IN OUT    (IN's bytes decoded
//!     with encoding_rs's LABEL decoder, with replacement, written as UTF-8)
//! ```
//!
//! Each page is built like the seed (`fixtures/seed/`): paragraphs of real news converted to
//! traditional script, every character whose traditional form differs followed by its pinyin
//! in half-width parentheses (`據(jù)`), half-width `, : ( )`, a reporter byline, a tag line,
//! a disclaimer and a list of truncated related headlines with timestamps. Deterministic: the
//! same corpus gives the same pages, byte for byte.
//!
//! Written under `OUT_DIR`:
//! * `clean/NNN.txt` — the page in UTF-8; `gold/NNN.txt` — its body, simplified, as the
//!   metric reads it (the source paragraphs);
//! * `whatwg_gbk/NNN.txt` — UTF-8 bytes decoded as GBK by `encoding_rs` with replacement, saved
//!   as UTF-8 (the WHATWG convention: an invalid pair with an ASCII second byte loses one
//!   byte, and the user-defined area decodes to private use rather than U+FFFD);
//! * `whatwg_big5/NNN.txt` — the same with Big5 (an invalid pair with a non-ASCII second byte
//!   loses both bytes).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pinyin::ToPinyin;

/// Pages from People's Daily, then from SogouCS (a different site, style and year).
const PEOPLES_DAILY_PAGES: usize = 100;
const SOGOU_PAGES: usize = 50;
const PARAGRAPHS_PER_PAGE: usize = 6;
/// People's Daily lines before this one are what the `clean` benchmark's pages are made of.
const PEOPLES_DAILY_FIRST_LINE: usize = 10_000;

const REPORTERS: [&str; 6] = [
    "孫紅麗",
    "王曉東",
    "李 明",
    "陳文 任冠元",
    "張建國",
    "劉 芳",
];
const TAGS: [&str; 5] = ["生活垃圾分類", "經濟", "農業 改革", "教育", "城市建設"];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--seed-like", source, out] => {
            let source = std::fs::read_to_string(source)?;
            let paragraphs: Vec<String> = source.lines().map(String::from).collect();
            let page = seed_like_page(&opencc_fmmseg::OpenCC::new(), &paragraphs, 0);
            return std::fs::write(out, page);
        }
        ["--decode", label, input, out] => {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
                .unwrap_or_else(|| panic!("no encoding {label}"));
            let bytes = std::fs::read(input)?;
            let text = encoding.decode_without_bom_handling(&bytes).0;
            return std::fs::write(out, text.as_bytes());
        }
        _ => {}
    }
    let mut args = args.into_iter();
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: damage_pages OUT_DIR [SHARED_DIR] (see the module doc)");
        std::process::exit(2);
    };
    let shared = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    let converter = opencc_fmmseg::OpenCC::new();
    let sources = page_sources(&shared)?;
    for dir in ["clean", "gold", "whatwg_gbk", "whatwg_big5"] {
        std::fs::create_dir_all(out.join(dir))?;
    }
    for (n, paragraphs) in sources.iter().enumerate() {
        let page = seed_like_page(&converter, paragraphs, n);
        let name = format!("{n:03}.txt");
        std::fs::write(out.join("clean").join(&name), &page)?;
        std::fs::write(out.join("gold").join(&name), paragraphs.join("\n"))?;
        for (dir, encoding) in [
            ("whatwg_gbk", encoding_rs::GBK),
            ("whatwg_big5", encoding_rs::BIG5),
        ] {
            let damaged = encoding.decode_without_bom_handling(page.as_bytes()).0;
            std::fs::write(out.join(dir).join(&name), damaged.as_bytes())?;
        }
    }
    eprintln!("{} pages in {}", sources.len(), out.display());
    Ok(())
}

/// The paragraphs of each page: People's Daily articles (lines grouped in order), then
/// SogouCS contents split at their paragraph marks.
fn page_sources(shared: &Path) -> std::io::Result<Vec<Vec<String>>> {
    let daily = std::fs::read_to_string(shared.join("corpus/peoples_daily_199801.txt"))?;
    let daily_paragraphs: Vec<String> = daily
        .lines()
        .skip(PEOPLES_DAILY_FIRST_LINE)
        .map(source_paragraph)
        .filter(|line| line.chars().count() > 30)
        .map(String::from)
        .collect();
    let mut pages: Vec<Vec<String>> = daily_paragraphs
        .chunks(PARAGRAPHS_PER_PAGE)
        .take(PEOPLES_DAILY_PAGES)
        .map(<[String]>::to_vec)
        .collect();
    let sogou = std::fs::read_to_string(shared.join("corpus/sogoucs_mini_utf8.dat"))?;
    let contents = sogou
        .split("<content>")
        .skip(1)
        .filter_map(|s| s.split("</content>").next());
    for content in contents {
        if pages.len() >= PEOPLES_DAILY_PAGES + SOGOU_PAGES {
            break;
        }
        let paragraphs: Vec<String> = content
            .split(['\u{E40C}', '\n'])
            .map(source_paragraph)
            .filter(|p| p.chars().count() > 30)
            .take(PARAGRAPHS_PER_PAGE)
            .map(String::from)
            .collect();
        if paragraphs.len() >= 2 {
            pages.push(paragraphs);
        }
    }
    Ok(pages)
}

/// A corpus paragraph without surrounding spaces and without the U+FFFD that ends lines the
/// corpus cut inside a character (an artefact of the corpus files, not damage under test).
fn source_paragraph(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FFFD}')
}

/// One page laid out like the seed.
fn seed_like_page(converter: &opencc_fmmseg::OpenCC, paragraphs: &[String], n: usize) -> String {
    let mut page = String::new();
    for p in paragraphs {
        page.push_str(&annotate(p, &converter.s2t(p, false)));
        page.push('\n');
    }
    let _ = writeln!(page, "(記者{})", REPORTERS[n % REPORTERS.len()]);
    let _ = writeln!(page, "標簽: {}", TAGS[n % TAGS.len()]);
    page.push_str(
        "凡本網注明“XXX(非現代青年網)提供”的作品,均轉載自其它媒體,轉載目的在於傳遞更多信息。\n",
    );
    for (i, p) in paragraphs.iter().enumerate().take(4) {
        let head: String = p.chars().take(18 + (n + i) % 9).collect();
        let _ = writeln!(page, "{}", converter.s2t(&head, false));
        let _ = writeln!(
            page,
            "2018-12-{:02} {:02}:{:02}",
            20 + i,
            8 + i,
            (n * 7) % 60
        );
    }
    page
}

/// `traditional` with the pinyin of every character that differs from its simplified form
/// (the seed's converter annotated exactly those) in half-width parentheses, and the seed's
/// half-width punctuation.
fn annotate(simplified: &str, traditional: &str) -> String {
    let mut out = String::with_capacity(traditional.len() * 2);
    let same_length = simplified.chars().count() == traditional.chars().count();
    let mut source = simplified.chars();
    for (i, t) in traditional.chars().enumerate() {
        let s = source.next();
        out.push(match t {
            '，' => ',',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            _ => t,
        });
        let changed = if same_length {
            s != Some(t)
        } else {
            i % 7 == 3
        };
        if changed {
            let reading = t.to_pinyin().or_else(|| s.and_then(|s| s.to_pinyin()));
            if let Some(reading) = reading {
                let _ = write!(out, "({})", reading.with_tone());
            }
        }
    }
    out
}
