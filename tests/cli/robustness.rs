//! Pathological inputs (generated here, never stored): each must finish and yield exactly one
//! record, an article or an error record. No timing asserts: speed is for benchmarks; these
//! catch panics, stack overflows and runaway (quadratic) work that would never finish.

use std::sync::LazyLock;

use zhclean::{Cleaner, InputMeta, Options};

static CLEANER: LazyLock<Cleaner> =
    LazyLock::new(|| Cleaner::new(Options::default().segment(false)).expect("cleaner builds"));

/// Cleans `bytes` and returns a one-word description of the record it gave.
fn record(bytes: &[u8]) -> String {
    match CLEANER.clean_record(bytes, &InputMeta::default()) {
        Ok(article) => format!("article:{}", article.body.chars().count()),
        Err(record) => format!("error:{}", record.error.kind),
    }
}

/// Heavy in a debug build: run with `cargo test --release --test cli -- --ignored`
/// (scripts/ci-forensics.sh robustness).
#[test]
#[ignore]
fn twenty_megabyte_single_line() {
    let unit = "中文测试?ab(c)，數據";
    let line = unit.repeat(20 * 1024 * 1024 / unit.len());
    assert!(record(line.as_bytes()).starts_with("article:"));
}

/// Linear since the HTML path caps nesting depth before parsing (`extract::html::depth`).
#[test]
fn hundred_thousand_nested_divs() {
    nested_divs(100_000);
}

#[test]
fn hundred_thousand_unclosed_div_span_pairs() {
    let page = format!(
        "<html><body>{}新闻正文在这里。</body></html>",
        "<div><span>".repeat(100_000)
    );
    let _ = record(page.as_bytes());
}

#[test]
fn ten_thousand_nested_divs() {
    nested_divs(10_000);
}

fn nested_divs(n: usize) {
    let page = format!(
        "<html><body>{}新闻正文在这里。{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let _ = record(page.as_bytes());
}

#[test]
fn a_megabyte_of_open_parentheses() {
    let _ = record(&b"(".repeat(1024 * 1024));
    let _ = record("（".repeat(300_000).as_bytes());
    let _ = record("中(".repeat(300_000).as_bytes());
}

#[test]
fn one_huge_pre() {
    let page = format!(
        "<html><body><pre>{}</pre></body></html>",
        "第一行文字。\n    缩进的代码 <b>粗体</b> &amp; 实体\n".repeat(100_000)
    );
    let _ = record(page.as_bytes());
}

/// CJK text without ASCII has no NUL pattern: recognised by its high bytes, and decoded (this
/// test once passed on mojibake: it only checked that an article came out).
#[test]
fn utf16_without_bom() {
    let text = "据住房和城乡建设部官网消息，按照完全自愿原则。".repeat(50);
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (bytes, encoding) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
        let article = CLEANER
            .clean(&bytes, &InputMeta::default())
            .unwrap_or_else(|e| panic!("{encoding}: {e}"));
        assert_eq!(article.input.encoding, encoding);
        assert_eq!(article.body, text, "{encoding}");
    }
}

#[test]
fn a_file_of_nuls() {
    assert_eq!(record(&vec![0u8; 1024 * 1024]), "error:not_text");
    let _ = record(&[0u8]);
}

#[test]
fn many_question_marks_and_shift_lookalikes() {
    shift_lookalikes(20_000);
}

/// Heavy in a debug build (see above).
#[test]
#[ignore]
fn a_million_question_marks_and_shift_lookalikes() {
    shift_lookalikes(300_000);
}

fn shift_lookalikes(n: usize) {
    // Every `?` starts a recovery attempt; runs never overlap, so this stays linear.
    let _ = record("?".repeat(3 * n).as_bytes());
    let _ = record("?中".repeat(n).as_bytes());
    let _ = record("?shù)".repeat(n).as_bytes());
    let _ = record("æ•°".repeat(n).as_bytes());
    let _ = record("鍦版柟".repeat(n).as_bytes());
}
