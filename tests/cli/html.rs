//! HTML pages: format sniffing, charsets that lie, main content, metadata, removals.
//!
//! Each fixture in `fixtures/html/` (pages we wrote ourselves) is pinned as golden JSON
//! (`--no-segment`, to keep the files readable). Regenerate deliberately with
//! `ZHCLEAN_BLESS=1 cargo test --test cli html` and review the diff.

use crate::seed::assert_golden;
use crate::{assert_cli, fixture};

/// Runs `zhclean --no-segment` on `fixtures/html/<name>.html`, compares with `<name>.json`,
/// and returns the article. The `path` field is dropped so goldens do not depend on it.
pub(crate) fn golden(name: &str) -> serde_json::Value {
    let input = format!("fixtures/html/{name}.html");
    let (_, lines) = assert_cli!(&["--no-segment", &input], stdin = b"", exit = 0, lines = 1);
    let mut article = lines.into_iter().next().unwrap();
    article["input"]["path"] = serde_json::Value::Null;
    assert_golden(&format!("html/{name}.json"), &article);
    article
}

fn body_lines(article: &serde_json::Value) -> Vec<String> {
    article["body"]
        .as_str()
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

pub(crate) fn removed_texts(article: &serde_json::Value, kind: &str) -> Vec<String> {
    article["removed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == kind)
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn related_list_and_copyright_inside_the_container_are_removed() {
    let a = golden("news_related_footer");
    assert_eq!(a["input"]["format"], "html");
    assert_eq!(a["title"], "我市启动老旧小区改造三年行动");
    assert_eq!(a["published_at"], "2024-03-18T09:30:00+08:00");
    assert_eq!(a["authors"], serde_json::json!(["王小明"]));
    assert_eq!(a["source"], "示例日报");
    assert_eq!(a["editor"], "李华");
    assert_eq!(a["tags"], serde_json::json!(["老旧小区", "城市更新"]));
    assert_eq!(
        a["canonical_url"],
        "https://news.example.cn/2024/03/18/12345.html"
    );
    let body = a["body"].as_str().unwrap();
    assert_eq!(body_lines(&a).len(), 3);
    for unwanted in [
        "相关新闻",
        "加装电梯补贴标准公布",
        "凡本网注明",
        "热点排行",
        "首页",
        "版权所有",
        "ICP",
    ] {
        assert!(!body.contains(unwanted), "{unwanted} in body");
    }
    let other = removed_texts(&a, "other").join("\n");
    assert!(other.contains("加装电梯补贴标准公布") && other.contains("凡本网注明"));
    // Site stock keywords are not tags.
    assert!(!a["tags"].as_array().unwrap().iter().any(|t| t == "资讯"));
}

#[test]
fn body_in_nested_divs_without_p() {
    let a = golden("nested_divs_no_p");
    assert_eq!(a["title"], "山区学校开通远程课堂");
    let lines = body_lines(&a);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("本报讯"));
    assert!(lines[2].ends_with("一起讨论问题。”"));
    assert!(!a["body"].as_str().unwrap().contains("热门文章"));
}

#[test]
fn bylines_editor_and_source_go_to_their_fields() {
    let a = golden("bylines");
    assert_eq!(a["authors"], serde_json::json!(["陈思远", "刘洋"]));
    assert_eq!(a["editor"], "赵敏");
    assert_eq!(a["source"], "新华社");
    assert_eq!(a["published_at"], "2023-05-06T14:20:00+08:00");
    // `<meta name=author>` naming the site is not an author; the editor is not one either.
    let authors = a["authors"].as_array().unwrap();
    assert!(!authors.iter().any(|x| x == "示例港口报" || x == "赵敏"));
    assert!(a["body"].as_str().unwrap().starts_with("5日上午"));
}

#[test]
fn utf8_bytes_under_a_gb2312_declaration_are_read_as_utf8() {
    let a = golden("charset_utf8_meta_gb2312");
    assert_eq!(a["input"]["encoding"], "UTF-8");
    assert_eq!(a["input"]["charset_evidence"], "valid_utf8");
    assert!(a["body"].as_str().unwrap().starts_with("记者从省粮食"));
}

#[test]
fn gbk_bytes_under_a_utf8_declaration_are_detected() {
    let a = golden("charset_gbk_meta_utf8");
    assert_eq!(a["input"]["encoding"], "GBK");
    assert_eq!(a["input"]["charset_evidence"], "detected");
    assert_eq!(a["input"]["malformed"], 0);
    assert_eq!(a["title"], "秋粮收购进度过半");
}

#[test]
fn gbk_page_without_any_declaration() {
    let a = golden("charset_gbk_undeclared");
    assert_eq!(a["input"]["encoding"], "GBK");
    assert_eq!(a["input"]["charset_evidence"], "detected");
    assert_eq!(body_lines(&a).len(), 2);
}

#[test]
fn format_flag_overrides_sniffing() {
    let page = std::fs::read(fixture("html/nested_divs_no_p.html")).unwrap();
    let (_, lines) = assert_cli!(
        &["--no-segment", "--format", "text"],
        stdin = &page,
        exit = 0,
        lines = 1
    );
    assert_eq!(lines[0]["input"]["format"], "text");
    // Read as text, the markup stays in the body.
    assert!(lines[0]["body"].as_str().unwrap().contains('<'));
    let (_, lines) = assert_cli!(&["--no-segment"], stdin = &page, exit = 0, lines = 1);
    assert_eq!(lines[0]["input"]["format"], "html");
}

#[test]
fn text_input_is_still_text() {
    let (_, lines) = assert_cli!(
        &["--no-segment"],
        stdin = "据悉，生活垃圾分类工作取得进展。\n标签: 生活垃圾分类".as_bytes(),
        exit = 0,
        lines = 1
    );
    assert_eq!(lines[0]["input"]["format"], "text");
    assert_eq!(lines[0]["body"], "据悉，生活垃圾分类工作取得进展。");
}

#[test]
fn broken_html_parses() {
    let page =
        "<html><body><div class=content><p>第一段文字，内容完整而且有标点。<p>第二段<b>没有闭合，\
                但也应当保留下来。</div></html></html>\u{1}<div>";
    let (_, lines) = assert_cli!(
        &["--no-segment", "--format", "html"],
        stdin = page.as_bytes(),
        exit = 0,
        lines = 1
    );
    assert_eq!(
        lines[0]["body"],
        "第一段文字，内容完整而且有标点。\n第二段没有闭合，但也应当保留下来。"
    );
}

#[test]
fn html_without_text_is_an_empty_body_not_an_error() {
    let (_, lines) = assert_cli!(
        &["--no-segment"],
        stdin = b"<!doctype html><html><head><title></title></head><body><script>x()</script></body></html>",
        exit = 0,
        lines = 1
    );
    assert_eq!(lines[0]["body"], "");
}
