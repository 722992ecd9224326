//! Metadata from the HTML itself: `<title>`, `<h1>`, `<meta>` tags (Open Graph, `article:*`,
//! the Chinese CMS names `publishdate`, `pubdate`, `ContentSource`, …), `<link rel=canonical>`,
//! JSON-LD (`headline`, `datePublished`, `author`), `<time datetime>` and `rel=tag` links.
//!
//! Values here are *structured* candidates: the pipeline lets them win over what the text stage
//! finds in the body, and fills the gaps with the text stage's values. Authors are taken only
//! from author-specific markup and must look like names (a site name or URL in `<meta
//! name=author>` is dropped); editors and sources never become authors.
//!
//! ```
//! use zhclean::extract::html::meta::{clean_title, normalize_date};
//! assert_eq!(clean_title("城市有轨电车之困|有轨电车|珠海市_新浪新闻"), "城市有轨电车之困");
//! assert_eq!(normalize_date("2024-05-10T08:46:00+08:00").as_deref(), Some("2024-05-10T08:46:00+08:00"));
//! assert_eq!(normalize_date("2018年12月21日 08:46").as_deref(), Some("2018-12-21T08:46:00+08:00"));
//! ```

use std::sync::LazyLock;

use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{Html, Node};

/// Metadata candidates read from the markup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlMeta {
    /// The headline, site suffixes stripped.
    pub title: Option<String>,
    /// Where the title came from: `"h1"`, `"og:title"`, `"json-ld"`, `"title"`.
    pub title_from: Option<&'static str>,
    /// ISO 8601 publication time from structured markup.
    pub published_at: Option<String>,
    /// Authors from author markup (`<meta name=author>`, `article:author`, JSON-LD).
    pub authors: Vec<String>,
    /// `og:description` / `<meta name=description>`.
    pub description: Option<String>,
    /// `<link rel=canonical>` / `og:url`.
    pub canonical_url: Option<String>,
    /// Tags from `article:tag` and `rel=tag` links.
    pub tags: Vec<String>,
    /// `<meta name=keywords>` values (site stock keywords are common: used only as a fallback).
    pub keywords: Vec<String>,
    /// Source from `<meta name=source|ContentSource>`.
    pub source: Option<String>,
}

/// Raw values collected in one walk.
#[derive(Default)]
struct Raw {
    title: Option<String>,
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    json_ld: Vec<String>,
    times: Vec<String>,
    rel_tags: Vec<String>,
}

/// Reads the metadata candidates of a parsed page. `h1` is the text of the first `<h1>`.
pub fn read(html: &Html, h1: Option<&str>) -> HtmlMeta {
    let raw = collect(html);
    let meta_value = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|want| {
            raw.metas
                .iter()
                .find(|(k, v)| k.eq_ignore_ascii_case(want) && !v.trim().is_empty())
                .map(|(_, v)| collapse(v))
        })
    };
    let ld = parse_json_ld(&raw.json_ld);

    let mut meta = HtmlMeta::default();
    let (title, from) = choose_title(
        h1,
        meta_value(&["og:title", "twitter:title"]).as_deref(),
        ld.headline.as_deref(),
        raw.title.as_deref(),
    );
    meta.title = title;
    meta.title_from = from;

    meta.published_at = meta_value(&[
        "article:published_time",
        "og:article:published_time",
        "og:release_date",
        "datePublished",
        "publishdate",
        "PubDate",
        "pubdate",
        "publish_time",
        "publishtime",
        "apub:time",
        "weibo: article:create_at",
        "sailthru.date",
        "dc.date",
        "dc.date.issued",
        "date",
    ])
    .and_then(|v| normalize_date(&v))
    .or_else(|| ld.date.as_deref().and_then(normalize_date))
    .or_else(|| raw.times.iter().find_map(|t| normalize_date(t)))
    // Last resort: the modification time (a page edited later than published is still dated
    // better by it than by nothing; trafilatura does the same).
    .or_else(|| {
        meta_value(&[
            "article:modified_time",
            "dateModified",
            "dateUpdate",
            "og:updated_time",
        ])
        .and_then(|v| normalize_date(&v))
    });

    let mut authors: Vec<String> = Vec::new();
    for candidate in meta_value(&["article:author", "author", "dc.creator"])
        .into_iter()
        .chain(ld.authors)
    {
        for name in candidate.split(['、', ',', '，', ';', '；', '/']) {
            let name = name.trim();
            if looks_like_name(name) && !authors.iter().any(|a| a == name) {
                authors.push(name.to_string());
            }
        }
    }
    meta.authors = authors;
    meta.description =
        meta_value(&["og:description", "description", "twitter:description"]).or(ld.description);
    meta.canonical_url = raw
        .canonical
        .or_else(|| meta_value(&["og:url"]))
        .filter(|u| u.starts_with("http"));
    let mut tags: Vec<String> = raw
        .metas
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("article:tag"))
        .map(|(_, v)| collapse(v))
        .chain(raw.rel_tags)
        .filter(|t| !t.is_empty() && t.chars().count() <= 20)
        .collect();
    dedup(&mut tags);
    meta.tags = tags;
    meta.keywords = meta_value(&["keywords", "news_keywords"])
        .map(|k| {
            k.split([',', '，', ';', '；', '、', '|', ' '])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    meta.source = meta_value(&[
        "source",
        "ContentSource",
        "og:site_name_source",
        "article:source",
    ])
    .filter(|s| s.chars().count() <= 30 && !s.contains("://"));
    meta
}

fn collect(html: &Html) -> Raw {
    let mut raw = Raw::default();
    let mut in_title = false;
    let mut in_json_ld = false;
    let mut in_tag_link = false;
    let mut buf = String::new();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => match el.name() {
                    "title" if raw.title.is_none() => {
                        in_title = true;
                        buf.clear();
                    }
                    "meta" => {
                        let key = el
                            .attr("property")
                            .or_else(|| el.attr("name"))
                            .or_else(|| el.attr("itemprop"));
                        if let (Some(key), Some(value)) = (key, el.attr("content")) {
                            raw.metas.push((key.trim().to_string(), value.to_string()));
                        }
                    }
                    "link" => {
                        let rel = el.attr("rel").unwrap_or("");
                        if rel.eq_ignore_ascii_case("canonical") && raw.canonical.is_none() {
                            raw.canonical = el.attr("href").map(|h| h.trim().to_string());
                        }
                    }
                    "script"
                        if el
                            .attr("type")
                            .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
                    {
                        in_json_ld = true;
                        buf.clear();
                    }
                    "time" => {
                        if let Some(dt) = el.attr("datetime").or_else(|| el.attr("pubdate")) {
                            raw.times.push(dt.to_string());
                        }
                    }
                    "a" if el
                        .attr("rel")
                        .is_some_and(|r| r.split_whitespace().any(|r| r == "tag")) =>
                    {
                        in_tag_link = true;
                        buf.clear();
                    }
                    _ => {}
                },
                Node::Text(text) if in_title || in_json_ld || in_tag_link => buf.push_str(text),
                _ => {}
            },
            Edge::Close(node) => {
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                match el.name() {
                    "title" if in_title => {
                        in_title = false;
                        raw.title = Some(collapse(&buf));
                    }
                    "script" if in_json_ld => {
                        in_json_ld = false;
                        raw.json_ld.push(std::mem::take(&mut buf));
                    }
                    "a" if in_tag_link => {
                        in_tag_link = false;
                        raw.rel_tags.push(collapse(&buf));
                    }
                    _ => {}
                }
            }
        }
    }
    raw
}

#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    date: Option<String>,
    authors: Vec<String>,
    description: Option<String>,
}

/// Reads `headline`, `datePublished`, `author` and `description` of the first article-like
/// object (`NewsArticle`, `Article`, `BlogPosting`, … or any object with a `headline`) in the
/// JSON-LD scripts, looking inside arrays and `@graph`.
fn parse_json_ld(scripts: &[String]) -> JsonLd {
    fn walk(value: &serde_json::Value, out: &mut JsonLd, depth: usize) {
        if depth > 6 {
            return;
        }
        match value {
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out, depth + 1)),
            serde_json::Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    walk(graph, out, depth + 1);
                }
                let is_article = map.contains_key("headline")
                    || map.get("@type").and_then(|t| t.as_str()).is_some_and(|t| {
                        t.ends_with("Article") || t == "BlogPosting" || t == "Report"
                    });
                if !is_article {
                    return;
                }
                let text = |key: &str| {
                    map.get(key)
                        .and_then(|v| v.as_str())
                        .map(collapse)
                        .filter(|s| !s.is_empty())
                };
                out.headline = out.headline.take().or_else(|| text("headline"));
                out.date = out.date.take().or_else(|| text("datePublished"));
                out.description = out.description.take().or_else(|| text("description"));
                if out.authors.is_empty() {
                    let mut names = Vec::new();
                    author_names(map.get("author"), &mut names);
                    out.authors = names;
                }
            }
            _ => {}
        }
    }
    fn author_names(value: Option<&serde_json::Value>, out: &mut Vec<String>) {
        match value {
            Some(serde_json::Value::String(s)) => out.push(collapse(s)),
            Some(serde_json::Value::Array(items)) => {
                items.iter().for_each(|v| author_names(Some(v), out));
            }
            Some(serde_json::Value::Object(map)) => {
                let is_org = map
                    .get("@type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t == "Organization");
                if !is_org {
                    author_names(map.get("name"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = JsonLd::default();
    for script in scripts {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(script.trim()) {
            walk(&value, &mut out, 0);
        }
    }
    out
}

/// Picks the headline: an `<h1>` that the `<title>` or `og:title` confirms (it is contained in
/// one of them once their site suffixes are stripped, so a site-name `<h1>` is not taken), else `og:title` / JSON-LD `headline`, else `<title>`, each with site suffixes
/// stripped ([`clean_title`]).
fn choose_title(
    h1: Option<&str>,
    og: Option<&str>,
    ld: Option<&str>,
    title: Option<&str>,
) -> (Option<String>, Option<&'static str>) {
    let key = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    if let Some(h1) = h1.map(collapse) {
        let k = key(&h1);
        let confirmed = k.chars().count() >= 4
            && [og, ld, title]
                .into_iter()
                .flatten()
                .any(|t| key(&clean_title(t)).contains(&k));
        if confirmed {
            return (Some(h1), Some("h1"));
        }
    }
    for (candidate, from) in [(og, "og:title"), (ld, "json-ld"), (title, "title")] {
        if let Some(c) = candidate {
            let cleaned = clean_title(c);
            if cleaned.chars().count() >= 2 {
                return (Some(cleaned), Some(from));
            }
        }
    }
    (None, None)
}

/// Strips site suffixes from a page title: the title is cut at the first separator (`_`, `|`,
/// `｜`, ` - `, ` – `, ` — `, `--`, `-`+site name) whose left part has at least 4 characters.
/// Known limit: a separator inside the headline itself (`新华视界｜河北遵化…`) cuts there too;
/// an `<h1>` confirmed by the title is preferred over this for that reason.
pub fn clean_title(title: &str) -> String {
    static SEP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*(?:_|\||｜|\s-\s|\s–\s|\s—\s|--|——|-\s*[^-\s]{1,12}(?:网|網|频道|頻道|新闻|新聞|报|報|在线|首页)\s*$|\s-\S|:: )\s*")
            .expect("static regex")
    });
    let title = collapse(title);
    for m in SEP.find_iter(&title) {
        let left = title[..m.start()].trim();
        if left.chars().count() >= 4 {
            return left.to_string();
        }
    }
    title
}

/// Normalizes a machine or Chinese date (`2024-05-10T08:46:00+08:00`, `2024-05-10 08:46`,
/// `2024/5/10`, `2018年12月21日 08:46`, `20240510`) to ISO 8601: `YYYY-MM-DDTHH:MM:SS+08:00`
/// with a time (`+08:00` when no zone is given), `YYYY-MM-DD` without. Years outside
/// 1990–2100 and impossible dates give `None`.
pub fn normalize_date(value: &str) -> Option<String> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(\d{2})(\d{2}))(?:\s*日)?(?:[T\s]*(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?")
            .expect("static regex")
    });
    let caps = DATE.captures(value)?;
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = num(1)?;
    let month = num(2).or_else(|| num(4))?;
    let day = num(3).or_else(|| num(5))?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if !(1990..=2100).contains(&year) || day == 0 || day > days_in_month {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    let Some(hour) = num(6) else {
        return Some(date);
    };
    let minute = num(7)?;
    let second = num(8).unwrap_or(0);
    if hour > 23 || minute > 59 || second > 59 {
        return Some(date);
    }
    let zone = match caps.get(9).map(|m| m.as_str()) {
        None => "+08:00".to_string(),
        Some("Z") => "Z".to_string(),
        Some(z) if z.len() == 5 => format!("{}:{}", &z[..3], &z[3..]),
        Some(z) => z.to_string(),
    };
    Some(format!("{date}T{hour:02}:{minute:02}:{second:02}{zone}"))
}

/// A person's name, not a site, organisation or URL: 2–20 characters, no URL or domain, no
/// words that name organisations or roles (`网`, `报`, `编辑`, `新闻`, …).
fn looks_like_name(s: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "网",
        "網",
        "报",
        "報",
        "社",
        "台",
        "中心",
        "新闻",
        "新聞",
        "编辑",
        "編輯",
        "责编",
        "来源",
        "來源",
        "公司",
        "集团",
        "频道",
        "官方",
        "客户端",
        "日报",
        "media",
        "Media",
        "news",
        "News",
        "admin",
        "www",
        "http",
        ".com",
        ".cn",
    ];
    let n = s.chars().count();
    (2..=20).contains(&n) && !NOT_NAMES.iter().any(|w| s.contains(w))
}

/// Collapses whitespace runs to one space and trims.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn dedup(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|t| seen.insert(t.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_site_suffixes() {
        assert_eq!(
            clean_title("人民币中间价创逾五年新低|金融改革|黄益平_新浪财经"),
            "人民币中间价创逾五年新低"
        );
        assert_eq!(
            clean_title("关注青少年心理健康--健康·生活--人民网"),
            "关注青少年心理健康"
        );
        assert_eq!(
            clean_title("习近平主持召开座谈会-中国科普网"),
            "习近平主持召开座谈会"
        );
        assert_eq!(
            clean_title("雄安新区 - 维基百科，自由的百科全书"),
            "雄安新区"
        );
        assert_eq!(clean_title("没有后缀的标题"), "没有后缀的标题");
    }

    #[test]
    fn dates_normalize_or_fail() {
        assert_eq!(normalize_date("2020-02-19").as_deref(), Some("2020-02-19"));
        assert_eq!(normalize_date("20200219").as_deref(), Some("2020-02-19"));
        assert_eq!(
            normalize_date("2020/2/19 9:05:07").as_deref(),
            Some("2020-02-19T09:05:07+08:00")
        );
        assert_eq!(
            normalize_date("2020-02-19T01:05:07Z").as_deref(),
            Some("2020-02-19T01:05:07Z")
        );
        assert_eq!(
            normalize_date("2020-02-19T01:05:07+0800").as_deref(),
            Some("2020-02-19T01:05:07+08:00")
        );
        assert_eq!(normalize_date("2020-02-30"), None);
        assert_eq!(normalize_date("1789-07-14"), None);
        assert_eq!(normalize_date("不是日期"), None);
    }

    #[test]
    fn names_exclude_sites() {
        assert!(looks_like_name("张三"));
        assert!(!looks_like_name("新华网"));
        assert!(!looks_like_name("http://x.cn"));
        assert!(!looks_like_name("某"));
    }
}
