//! The fields users store: credits, dates, sources and editors right or null on pages in the
//! forms real sites use, comments out of the body, and the fetch date as a bound.
//!
//! The fixtures in `fixtures/html/` are pages we wrote in those forms; each is pinned as
//! golden JSON (`--no-segment`). Regenerate deliberately with
//! `ZHCLEAN_BLESS=1 cargo test --test cli fields` and review the diff.

use crate::gen::{http, warc_record};
use crate::html::{golden, removed_texts as removed};
use crate::{assert_cli, json_lines, zhclean};

#[test]
fn a_blog_post_keeps_its_credit_and_loses_its_comments() {
    let a = golden("blog_comments");
    assert_eq!(a["title"], "周末去西湖看荷花");
    assert_eq!(a["authors"], serde_json::json!(["小王"]));
    assert_eq!(a["published_at"], "2005-07-16T21:08:00+08:00");
    let body = a["body"].as_str().unwrap();
    assert_eq!(body.lines().count(), 3, "{body}");
    assert!(body.starts_with("周六一早") && body.ends_with("最难忘的时候。"));
    for unwanted in ["re:", "醋鱼价格", "字体", "阅读(1660)"] {
        assert!(!body.contains(unwanted), "{unwanted} in body");
    }
    let comments = removed(&a, "comments").join("\n");
    assert!(comments.contains("# re: 周末去西湖看荷花 2005-7-16 22:15 小李"));
    assert!(comments.contains("照片过两天就发"));
    // A commenter is not an author, a comment's time is not the date.
    assert!(!a["authors"].to_string().contains("小李"));
}

#[test]
fn an_old_portal_byline_and_date_without_a_breadcrumb_title() {
    let a = golden("portal_2005");
    // The `<title>` is a breadcrumb (`站名>栏目`): the headline comes from the `<h1>`.
    assert_eq!(a["title"], "我省今年将新建农村公路一万公里");
    assert_eq!(a["authors"], serde_json::json!(["王明"]));
    assert_eq!(a["source"], "示例日报");
    assert_eq!(a["published_at"], "2005-05-17T22:11:42+08:00");
    let body = a["body"].as_str().unwrap();
    assert!(body.starts_with("本报讯"), "{body}");
    for unwanted in ["小字号", "打印本页", "2005-05-10", "Copyright"] {
        assert!(!body.contains(unwanted), "{unwanted} in body");
    }
}

#[test]
fn a_government_notice_dated_by_publication_with_its_issuer() {
    let a = golden("gov_notice");
    assert_eq!(
        a["title"],
        "某某市人民政府办公室关于做好2019年春节期间安全生产工作的通知"
    );
    // 发布日期 (published) wins over 成文日期 (written).
    assert_eq!(a["published_at"], "2019-01-05");
    // An organisation is a credited writer after 发文机关.
    assert_eq!(a["authors"], serde_json::json!(["某某市人民政府办公室"]));
    let body = a["body"].as_str().unwrap();
    assert!(body.starts_with("各区人民政府"), "{body}");
    assert!(!body.contains("成文日期"));
}

// Regression: an unclosed `<title>` gave a 60,000-character title of markup and an empty
// body (the HTML algorithm reads the rest of the page as the title's text).
#[test]
fn an_unclosed_title_gives_the_title_and_the_page() {
    let paragraph =
        "<p>据住房和城乡建设部官网消息，按照完全自愿原则，各地推进生活垃圾分类工作。</p>";
    let page = format!(
        "<html><head><meta charset=utf-8><title>垃圾分类取得进展</head><body>\
         <h1>垃圾分类取得进展</h1>{}</body></html>",
        paragraph.repeat(200)
    );
    let (_, lines) = assert_cli!(
        &["--no-segment", "--format", "html"],
        stdin = page.as_bytes(),
        exit = 0,
        lines = 1
    );
    let a = &lines[0];
    assert_eq!(a["title"], "垃圾分类取得进展");
    let body = a["body"].as_str().unwrap();
    assert_eq!(body.lines().count(), 200);
    assert!(!body.contains('<'));
}

#[test]
fn a_date_after_the_warc_fetch_date_is_not_taken() {
    // `WARC-Date` is 2018-12-24 (see `gen::warc_record`): the meta tag's 2019 date is
    // rejected, and the page's URL dates it.
    let page = "<html><head><meta charset=utf-8><title>垃圾分类取得进展</title>\
        <meta property=\"article:published_time\" content=\"2019-03-01T08:00:00+08:00\"></head>\
        <body><h1>垃圾分类取得进展</h1><p>据住房和城乡建设部官网消息，按照完全自愿原则，各地推进生活垃圾分类工作，居民参与率明显提高。</p></body></html>";
    let record = warc_record(
        "response",
        1,
        Some("http://news.example.cn/2018-12/20/c_1.htm"),
        "application/http; msgtype=response",
        &http(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8")],
            page.as_bytes(),
        ),
    );
    let output = zhclean(&["--no-segment", "--warc", "-"], &record);
    let lines = json_lines(&output);
    assert_eq!(
        lines.len(),
        1,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(lines[0]["published_at"], "2018-12-20");
}

#[test]
fn published_at_values_match_the_schema_pattern() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/article.schema.json"
    ))
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pattern = schema["$defs"]["article"]["properties"]["published_at"]["pattern"]
        .as_str()
        .unwrap();
    let re = regex::Regex::new(pattern).unwrap();
    // Every precision zhclean writes, reduced ones included.
    for value in [
        "1998-03",
        "2005-05-07",
        "2005-05-17T22:11:42+08:00",
        "2024-05-22T00:21:04Z",
    ] {
        assert!(re.is_match(value), "{value}");
    }
    for value in ["2005-5-7", "2005-05-17 22:11", "1998年3月"] {
        assert!(!re.is_match(value), "{value}");
    }
    for name in ["blog_comments", "portal_2005", "gov_notice", "bylines"] {
        let a: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(crate::fixture(&format!("html/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert!(re.is_match(a["published_at"].as_str().unwrap()), "{name}");
    }
}
