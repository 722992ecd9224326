//! Tests of main-content extraction.

use super::hints::words_inside_tokens;
use super::*;
use aho_corasick::AhoCorasick;
use scraper::Html;

/// The word matching as first written (lowercase copy, split, a substring search per word
/// and token), kept to check that the one-pass matcher gives the same answers.
fn words_reference(value: &str, pos_sub: &[&str], neg_sub: &[&str]) -> (bool, bool) {
    let lower = value.to_ascii_lowercase();
    let (mut pos, mut neg) = (false, false);
    for token in lower
        .split(|c: char| c.is_ascii_whitespace() || c == '-' || c == '_')
        .filter(|t| !t.is_empty())
    {
        pos |= pos_sub.iter().any(|w| token.contains(w));
        neg |= neg_sub.iter().any(|w| token.contains(w));
    }
    (pos, neg)
}

fn hint_of_class(class: &str) -> i8 {
    let html = Html::parse_fragment(&format!("<div class=\"{class}\"></div>"));
    let div = html
        .tree
        .nodes()
        .filter_map(|n| n.value().as_element())
        .find(|e| e.name() == "div")
        .expect("div parsed");
    hint(div)
}

fn flat_of(page: &str) -> Flat {
    let mut flat = flatten(&Html::parse_document(page));
    mark_line_runs(&mut flat);
    mark_boilerplate(&mut flat, None);
    flat
}

#[test]
fn ascii_punctuation_after_letters_counts() {
    let flat = flat_of(
        "<p>We thank all readers, and we hope you enjoy it. Really?</p><p>19,220.62 -0.53%</p>",
    );
    assert_eq!(flat.blocks[0].punct, 3);
    assert!(flat.blocks[0].sentence());
    // Digits before `,` and `.`: a ticker, not a sentence.
    assert_eq!(flat.blocks[1].punct, 0);
    assert!(!flat.blocks[1].sentence());
}

/// `n` lines of verse (no punctuation) separated by `<br>`, some by `<br><br>`.
fn verse(n: usize) -> String {
    (0..n)
        .map(|i| format!("第{i}行歌词没有标点符号但是这一行比较长"))
        .collect::<Vec<_>>()
        .join("<br/>\n")
        .replacen("<br/>", "<br/><br/>", 1)
}

#[test]
fn long_br_runs_count_as_text_short_ones_and_links_do_not() {
    let page = format!(
        "<div class=post>{}</div><div>这是一段旁边的文字，有标点。</div>",
        verse(10)
    );
    let flat = flat_of(&page);
    assert_eq!(flat.blocks.iter().filter(|b| b.line_run).count(), 10);
    assert!(flat.blocks[0].value() > 0.0);
    let content = main_content(&flat);
    assert_eq!(content.paragraphs.len(), 10);
    assert_eq!(
        content.paragraphs[9],
        "第9行歌词没有标点符号但是这一行比较长"
    );

    // Too few lines: each stays a short unpunctuated label.
    let flat = flat_of(&format!("<div>{}</div>", verse(LINE_RUN_MIN_LINES - 1)));
    assert!(flat.blocks.iter().all(|b| !b.line_run && b.value() < 0.0));

    // Lines of links (a navigation column) never form a run.
    let links = (0..12)
        .map(|i| format!("<a href=/{i}>栏目链接第{i}个</a>"))
        .collect::<Vec<_>>()
        .join("<br>");
    let flat = flat_of(&format!("<div>{links}</div>"));
    assert!(flat.blocks.iter().all(|b| !b.line_run));

    // Lines in separate block elements are not a `<br>` run.
    let divs = (0..12)
        .map(|i| format!("<div>第{i}行没有标点符号的文字</div>"))
        .collect::<String>();
    let flat = flat_of(&divs);
    assert!(flat.blocks.iter().all(|b| !b.line_run));

    // In a boilerplate element the lines stay negative.
    let flat = flat_of(&format!(
        "<div class=footer>{}</div>{}",
        verse(10),
        "<p>正文的一段，有标点，有内容，足够长，比页脚的诗行更多。</p>".repeat(8)
    ));
    assert!(flat.blocks[..10]
        .iter()
        .all(|b| b.line_run && b.value() < 0.0));
}

#[test]
fn class_words_match_inside_tokens_only() {
    for (class, want) in [
        ("article-content", 1),
        ("ArticleContent", 1),
        ("detail-content__recommend", -1),
        ("newsComment", -1),
        ("comm-ent", 0),
        ("rich_media_content", 1),
        ("rich_media", 0),
        ("rich media", 0),
        ("post-share", -1),
        ("NAV", -1),
        ("navigation", 0),
        ("head photo load", 0),
        ("main", 1),
        ("con_box", 1),
        ("side\tbar", -1),
        ("textfooter", -1),
        ("", 0),
        ("正文 content", 1),
    ] {
        assert_eq!(hint_of_class(class), want, "{class:?}");
    }
}

#[test]
fn one_pass_matcher_agrees_with_per_word_search() {
    let pos_sub = ["article", "content", "text", "rich_media", "post"];
    let neg_sub = ["comment", "share", "related", "more"];
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(pos_sub.iter().chain(&neg_sub))
        .expect("patterns");
    let parts = [
        "", "a", "Art", "icle", "article", "-", "_", " ", "con", "tent", "CONTENT", "rich",
        "media", "comment", "share", "mo", "re", "post", "text", "\t",
    ];
    for a in parts {
        for b in parts {
            for c in parts {
                let value = format!("{a}{b}{c}");
                let want = words_reference(&value, &pos_sub, &neg_sub);
                let got = words_inside_tokens(&ac, pos_sub.len(), &value);
                assert_eq!(got, want, "{value:?}");
            }
        }
    }
}
