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
//! use zhclean::internals::extract::html::meta::{clean_title, clean_title_for, normalize_date, Site};
//! assert_eq!(clean_title("城市有轨电车之困|有轨电车|珠海市_新浪新闻"), "城市有轨电车之困");
//! let site = Site::default();
//! assert_eq!(clean_title_for("新华视界｜河北遵化：数字农机助力农业生产-新华网", &site),
//!            "新华视界｜河北遵化：数字农机助力农业生产");
//! assert_eq!(normalize_date("2024-05-10T08:46:00+08:00").as_deref(), Some("2024-05-10T08:46:00+08:00"));
//! assert_eq!(normalize_date("2018年12月21日 08:46").as_deref(), Some("2018-12-21T08:46:00+08:00"));
//! ```

use std::sync::LazyLock;

use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{Html, Node};

use crate::extract::fields::{Candidate, Facts, Field, Zone};

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
    /// Names the page gives its site (`og:site_name`, the `<title>`'s site suffixes).
    pub site_names: Vec<String>,
    /// Every field candidate of the markup, for [`crate::extract::fields::decide`].
    pub candidates: Vec<Candidate>,
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

/// `<meta>` names of the publication time, in order of preference, with the rule each
/// candidate is recorded under.
const PUBLISHED_METAS: &[(&str, &str)] = &[
    ("article:published_time", "meta:article:published_time"),
    (
        "og:article:published_time",
        "meta:og:article:published_time",
    ),
    ("og:release_date", "meta:og:release_date"),
    ("og:time", "meta:og:time"),
    ("datePublished", "meta:datePublished"),
    ("publishdate", "meta:publishdate"),
    ("PubDate", "meta:PubDate"),
    ("pubdate", "meta:pubdate"),
    ("publish_time", "meta:publish_time"),
    ("publishtime", "meta:publishtime"),
    ("apub:time", "meta:apub:time"),
    ("weibo: article:create_at", "meta:weibo:article:create_at"),
    ("sailthru.date", "meta:sailthru.date"),
    ("dc.date", "meta:dc.date"),
    ("dc.date.issued", "meta:dc.date.issued"),
    ("date", "meta:date"),
];

/// `<meta>` names of the modification time: a last resort (a page edited later than
/// published is still dated better by it than by nothing; trafilatura does the same).
const MODIFIED_METAS: &[(&str, &str)] = &[
    ("article:modified_time", "modified:article:modified_time"),
    ("dateModified", "modified:dateModified"),
    ("dateUpdate", "modified:dateUpdate"),
    ("og:updated_time", "modified:og:updated_time"),
];

/// Reads the metadata candidates of a parsed page. `h1` is the text of the first `<h1>`.
///
/// Every value found becomes a [`Candidate`] (zone [`Zone::Markup`]) in
/// [`HtmlMeta::candidates`]; the summary fields (`title`, `published_at`, `authors`) are what
/// [`crate::extract::fields::decide`] makes of these candidates alone.
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
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut add = |field: Field, value: &str, rule: &'static str, evidence: &str| {
        candidates.push(Candidate::new(field, value, Zone::Markup, rule, evidence));
    };

    let mut meta = HtmlMeta::default();
    let site_name = meta_value(&["og:site_name"]);
    let url = raw.canonical.clone().or_else(|| meta_value(&["og:url"]));
    let h1 = h1.map(collapse);
    let site = Site {
        name: site_name.as_deref(),
        host: url.as_deref().and_then(host_of),
        h1: h1.as_deref(),
    };
    let og_title = meta_value(&["og:title", "twitter:title"]);
    for (field, value, rule) in title_candidates(
        &site,
        og_title.as_deref(),
        ld.headline.as_deref(),
        raw.title.as_deref(),
    ) {
        add(field, &value, rule, &value);
    }
    meta.site_names = site_names(&site, raw.title.as_deref());

    for (name, rule) in PUBLISHED_METAS {
        if let Some(v) = meta_value(&[name]) {
            if let Some(d) = normalize_date(&v) {
                add(Field::PublishedAt, &d, rule, &v);
            }
        }
    }
    if let Some(v) = &ld.date {
        if let Some(d) = normalize_date(v) {
            add(Field::PublishedAt, &d, "json-ld:datePublished", v);
        }
    }
    if let Some((t, d)) = raw
        .times
        .iter()
        .find_map(|t| normalize_date(t).map(|d| (t, d)))
    {
        add(Field::PublishedAt, &d, "time", t);
    }
    for (name, rule) in MODIFIED_METAS {
        if let Some(v) = meta_value(&[name]) {
            if let Some(d) = normalize_date(&v) {
                add(Field::PublishedAt, &d, rule, &v);
            }
        }
    }

    // (`史蒂文的家_藍天 (stevenhgm)`: a handle in brackets after the name is not part of it.)
    static HANDLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*[（(][A-Za-z0-9_.-]{2,30}[）)]$").expect("static regex"));
    let names = |value: &str| -> Vec<String> {
        HANDLE
            .replace(value, "")
            .split(['、', ',', '，', ';', '；', '/', '|'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect()
    };
    for (name, rule) in [
        ("article:author", "meta:article:author"),
        ("author", "meta:author"),
        ("dc.creator", "meta:dc.creator"),
    ] {
        if let Some(v) = meta_value(&[name]) {
            for n in names(&v) {
                add(Field::Authors, &n, rule, &v);
            }
        }
    }
    for v in &ld.authors {
        for n in names(v) {
            add(Field::Authors, &n, "json-ld:author", v);
        }
    }
    if let Some(v) = meta_value(&[
        "source",
        "ContentSource",
        "og:site_name_source",
        "article:source",
    ]) {
        add(Field::Source, &v, "meta:source", &v);
    }
    for v in raw
        .metas
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("article:tag"))
        .map(|(_, v)| collapse(v))
    {
        add(Field::Tags, &v, "meta:article:tag", &v);
    }
    for v in &raw.rel_tags {
        add(Field::Tags, v, "rel=tag", v);
    }
    if let Some(v) = meta_value(&["keywords", "news_keywords"]) {
        for k in v
            .split([',', '，', ';', '；', '、', '|', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            add(Field::Tags, k, "keywords", &v);
        }
    }

    let decided = crate::extract::fields::decide(candidates.clone(), &Facts::default()).values;
    meta.title = decided.title;
    meta.title_from = candidates
        .iter()
        .find(|c| c.field == Field::Title && Some(&c.value) == meta.title.as_ref())
        .map(|c| c.rule);
    meta.published_at = decided.published_at;
    meta.authors = decided.authors;
    meta.source = decided.source;
    meta.tags = candidates
        .iter()
        .filter(|c| c.field == Field::Tags && c.rule != "keywords")
        .map(|c| c.value.clone())
        .collect();
    dedup(&mut meta.tags);
    meta.keywords = candidates
        .iter()
        .filter(|c| c.rule == "keywords")
        .map(|c| c.value.clone())
        .collect();
    meta.description =
        meta_value(&["og:description", "description", "twitter:description"]).or(ld.description);
    meta.canonical_url = raw
        .canonical
        .or_else(|| meta_value(&["og:url"]))
        .filter(|u| u.starts_with("http"));
    meta.candidates = candidates;
    meta
}

/// Names in the text of an author element (`<span class="author">王帆</span>`,
/// `<span class="author">作者：曹磊</span>`): the value after an author label, or the whole
/// text when it has no label; nothing when it carries another label (`责任编辑：`).
pub fn author_element_names(text: &str) -> Vec<String> {
    const AUTHOR_LABELS: &[&str] = &["作者", "文", "撰文", "记者", "記者", "博主", "发布者"];
    let text = text.trim();
    // A blog's `X 发表在 痞客邦`: the writer is before the verb.
    let text = [
        "发表在",
        "發表在",
        "发表于",
        "發表於",
        "发布于",
        "發佈於",
        "发出",
        "發出",
    ]
    .iter()
    .find_map(|v| text.split_once(v).map(|(name, _)| name.trim()))
    .unwrap_or(text);
    let value = match text.split_once(['：', ':']) {
        Some((label, value)) if AUTHOR_LABELS.contains(&label.trim()) => value,
        Some(_) => return Vec::new(),
        None => text,
    };
    // A slogan or a sentence is not a credit.
    if value.contains(['!', '！', '。', '?', '？']) {
        return Vec::new();
    }
    crate::extract::meta::parse_names(value)
}

/// The names a page gives its site: `og:site_name` and the segments [`clean_title_for`]
/// strips from the `<title>` (`_新浪财经_新浪网`). A markup author equal to one is the site.
fn site_names(site: &Site, title: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = site.name.map(str::to_string).into_iter().collect();
    if let Some(title) = title {
        let title = collapse(title);
        let kept = clean_title_for(&title, site);
        if let Some(rest) = title.strip_prefix(kept.as_str()) {
            for (start, end) in split_title(rest) {
                let seg = rest[start..end].trim();
                if seg.chars().count() >= 2 && !out.iter().any(|o| o == seg) {
                    out.push(seg.to_string());
                }
            }
        }
    }
    out
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
                // (Baidu's `cambrian` JSON-LD, on many Chinese sites, has `title` and
                // `pubDate` and no `@type`.)
                let cambrian = map.contains_key("pubDate");
                let is_article = map.contains_key("headline")
                    || cambrian
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
                if cambrian {
                    out.headline = out.headline.take().or_else(|| text("title"));
                }
                out.date = out
                    .date
                    .take()
                    .or_else(|| text("datePublished"))
                    .or_else(|| text("pubDate"));
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

/// The title candidates of the markup, in the order [`crate::extract::fields`] ranks them:
/// an `<h1>` that the `<title>` or `og:title` confirms (it is contained in one of them once
/// their site suffixes are stripped, or, when shorter than 4 characters, equal to one; so a
/// site-name `<h1>` is not confirmed) as `h1+title`; `og:title`, JSON-LD `headline` and
/// `<title>`, each with site suffixes stripped ([`clean_title_for`]); and an unconfirmed
/// `<h1>` as `h1` when some title markup exists (the titles may name only the site).
fn title_candidates(
    site: &Site,
    og: Option<&str>,
    ld: Option<&str>,
    title: Option<&str>,
) -> Vec<(Field, String, &'static str)> {
    let mut out = Vec::new();
    let mut confirmed = false;
    if let Some(h1) = site.h1 {
        let k = key(h1);
        let n = k.chars().count();
        confirmed = n >= 2
            && [og, ld, title].into_iter().flatten().any(|t| {
                let cleaned = key(&clean_title_for(t, site));
                if n >= 4 {
                    cleaned.contains(&k)
                } else {
                    cleaned == k
                }
            });
        if confirmed {
            out.push((Field::Title, h1.to_string(), "h1+title"));
        }
    }
    for (candidate, from) in [(og, "og:title"), (ld, "json-ld:headline"), (title, "title")] {
        if let Some(c) = candidate {
            let cleaned = clean_title_for(c, site);
            if cleaned.chars().count() >= 2 {
                out.push((Field::Title, cleaned, from));
            }
        }
    }
    if let Some(h1) = site.h1.filter(|h| h.chars().count() >= 2) {
        if !confirmed && [og, ld, title].into_iter().any(|t| t.is_some()) {
            out.push((Field::Title, h1.to_string(), "h1"));
        }
    }
    out
}

/// What a page says about its site and headline, used to tell a title's site suffix from a
/// separator inside the headline.
#[derive(Debug, Clone, Copy, Default)]
pub struct Site<'a> {
    /// `og:site_name`.
    pub name: Option<&'a str>,
    /// Host of the page's canonical URL (`www.example.com`).
    pub host: Option<&'a str>,
    /// Text of the first `<h1>`.
    pub h1: Option<&'a str>,
}

/// The host of an `http(s)` URL, lowercase ASCII as written.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.trim().split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    (!host.is_empty()).then_some(host)
}

/// Alphanumeric characters only (how titles and headlines are compared).
fn key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Strips the site part from a page title, keeping separators that belong to the headline.
///
/// The title is split into segments at separators (`_`, `|`, `｜`, ` - `, `--`, `——`, ` :: `,
/// ` @ `, and a bare `-` unless it joins two ASCII letters or digits as in `COVID-19`). Then
/// segments are dropped from the end while they are the site part:
/// * *site evidence*: the segment is or contains `og:site_name` (or a run of segments spells
///   it: `史蒂文的家_藍天`), names a label of the page's host (`CSDN博客` on `blog.csdn.net`),
///   looks like a domain (`CAIJING.COM.CN`), is a short name ending in a site word (`人民网`,
///   `新闻频道`, `百度百科`, `CSDN博客`) or is bracketed (`【快资讯】`);
/// * *headline evidence*: when the `<h1>` matches the title's start, a segment the `<h1>` does
///   not contain is dropped and one it contains stops the stripping (`A | B - 人民网` with
///   `<h1>A | B</h1>` keeps `A | B`);
/// * channel and keyword segments (`|有轨电车|珠海市_新浪新闻`, `--健康·生活--人民网`): at most 8
///   letters, no digits or punctuation, dropped on the way to the headline.
///
/// When no segment was dropped on site or headline evidence, the old rule applies
/// ([`clean_title`]): cut at the first separator with at least 4 characters before it. A title
/// that is only the site's name (`-铜雀历史网`) gives an empty string.
pub fn clean_title_for(title: &str, site: &Site) -> String {
    let title = collapse(title);
    let segments = split_title(&title);
    if segments.len() < 2 {
        return clean_title(&title);
    }
    let site_key = site.name.map(key).filter(|k| k.chars().count() >= 2);
    let h1_key = site.h1.map(key).filter(|h| {
        let first = key(&title[segments[0].0..segments[0].1]);
        !h.is_empty() && !first.is_empty() && (h.starts_with(&first) || first.starts_with(h))
    });
    let mut keep = segments.len();
    let mut evidence = false;
    while keep > 1 {
        let (start, end) = segments[keep - 1];
        let seg = title[start..end].trim();
        let k = key(seg);
        if k.is_empty() {
            keep -= 1;
            continue;
        }
        // A run of segments spelling the site name (it may hold a separator itself).
        if let Some(site_key) = &site_key {
            let spelled = (0..keep)
                .rev()
                .take(4)
                .find(|&j| j > 0 && key(&title[segments[j].0..end]) == *site_key);
            if let Some(j) = spelled {
                keep = j;
                evidence = true;
                continue;
            }
        }
        if site_segment(seg, &k, site_key.as_deref(), site.host) {
            keep -= 1;
            evidence = true;
            continue;
        }
        if let Some(h1) = &h1_key {
            evidence = true;
            if h1.contains(&k) {
                break;
            }
            keep -= 1;
            continue;
        }
        if keyword_segment(seg) {
            keep -= 1;
            continue;
        }
        break;
    }
    let kept = title[..segments[keep - 1].1]
        .trim_end_matches(|c: char| c.is_whitespace() || "_|｜-–—:@".contains(c));
    if evidence && kept.is_empty() {
        // The title is only the site's name (`-铜雀历史网`).
        return String::new();
    }
    if !evidence || kept.chars().count() < 2 {
        return clean_title(&title);
    }
    kept.to_string()
}

/// Byte ranges of the segments of `title` between separators (see [`clean_title_for`]).
fn split_title(title: &str) -> Vec<(usize, usize)> {
    static SEP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*(?:_|\||｜|\s[-–—@]\s|--|——|::|-)\s*").expect("static regex")
    });
    let mut segments = Vec::new();
    let mut from = 0;
    for m in SEP.find_iter(title) {
        let sep = m.as_str().trim();
        if sep == "-" {
            let before = title[..m.start()].chars().next_back();
            let after = title[m.end()..].chars().next();
            let joins = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if m.as_str() == "-" && joins(before) && joins(after) {
                continue;
            }
        }
        segments.push((from, m.start()));
        from = m.end();
    }
    segments.push((from, title.len()));
    segments
}

/// A title segment that names the site (see [`clean_title_for`]).
fn site_segment(seg: &str, k: &str, site_key: Option<&str>, host: Option<&str>) -> bool {
    const SITE_WORDS: &[&str] = &[
        "网",
        "網",
        "频道",
        "頻道",
        "新闻",
        "新聞",
        "报",
        "報",
        "在线",
        "首页",
        "首頁",
        "百科",
        "博客",
        "客户端",
        "官网",
        "门户",
        "头条",
        "頭條",
    ];
    static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|cc|tv|hk|tw)$")
            .expect("static regex")
    });
    if let Some(site_key) = site_key {
        if k.contains(site_key) || site_key.contains(k) {
            return true;
        }
    }
    if let Some(host) = host {
        let ascii: String = seg
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let generic = ["www", "com", "net", "org", "cn", "html"];
        if ascii.len() >= 3
            && host
                .to_ascii_lowercase()
                .split('.')
                .any(|label| label == ascii && !generic.contains(&label))
        {
            return true;
        }
    }
    let n = k.chars().count();
    DOMAIN.is_match(seg)
        || (n <= 12 && SITE_WORDS.iter().any(|w| k.ends_with(w)))
        || (n <= 12 && seg.starts_with('【') && seg.ends_with('】'))
}

/// A channel or keyword segment: at most 8 letters (spaces and `·` allowed), no digits or
/// other punctuation.
fn keyword_segment(seg: &str) -> bool {
    let letters = seg.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 8
        && seg
            .chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace() || c == '·' || c == '•')
}

/// Strips site suffixes from a page title without other evidence: the title is cut at the
/// first separator (`_`, `|`, `｜`, ` - `, ` – `, ` — `, `--`, `-`+site name) whose left part
/// has at least 4 characters. A separator inside the headline itself (`新华视界｜河北遵化…`)
/// cuts there too; [`clean_title_for`] uses the page's site and `<h1>` to avoid that.
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
    fn titles_with_separators_inside_lose_only_the_site_part() {
        let none = Site::default();
        let h1 = |h: &'static str| Site {
            h1: Some(h),
            ..Site::default()
        };
        // Site-word suffixes: the headline's own `|` and `-` stay.
        assert_eq!(
            clean_title_for(
                "新华视界｜河北遵化：数字农机服务助力农业生产-新华网河北频道-新华网",
                &none
            ),
            "新华视界｜河北遵化：数字农机服务助力农业生产"
        );
        assert_eq!(
            clean_title_for("两会观察 | 代表委员谈民生热点问题 - 人民网", &none),
            "两会观察 | 代表委员谈民生热点问题"
        );
        assert_eq!(
            clean_title_for(
                "积极因素不断增多-前4个月外贸向好态势进一步巩固-今日头条",
                &none
            ),
            "积极因素不断增多-前4个月外贸向好态势进一步巩固"
        );
        // Channels and keywords before the site name go too.
        assert_eq!(
            clean_title_for(
                "城市有轨电车之困：一边上马一边叫停|有轨电车|珠海市_新浪新闻",
                &none
            ),
            "城市有轨电车之困：一边上马一边叫停"
        );
        assert_eq!(
            clean_title_for("关注青少年心理健康--健康·生活--人民网", &none),
            "关注青少年心理健康"
        );
        // og:site_name, also when it holds a separator itself; a domain; a host label.
        let pixnet = Site {
            name: Some("史蒂文的家_藍天"),
            host: Some("steven.pixnet.net"),
            ..Site::default()
        };
        assert_eq!(
            clean_title_for(
                "新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::",
                &pixnet
            ),
            "新竹尖石_美樹營地賞楓 (2)"
        );
        assert_eq!(
            clean_title_for(
                "5月LPR按兵不动：1年期为3.45%_经济_宏观频道首页_财经网 - CAIJING.COM.CN",
                &none
            ),
            "5月LPR按兵不动：1年期为3.45%"
        );
        let douban = Site {
            name: Some("豆瓣小组"),
            ..Site::default()
        };
        assert_eq!(
            clean_title_for("月亮的故事 | 两万字长文，多图 - 豆瓣小组", &douban),
            "月亮的故事 | 两万字长文，多图"
        );
        // Known ambiguity: a short letters-only segment after the headline's own separator
        // reads as a channel name.
        assert_eq!(
            clean_title_for("月亮的故事 | 两万字长文 - 豆瓣小组", &douban),
            "月亮的故事"
        );
        // The h1 tells headline segments from the rest.
        assert_eq!(
            clean_title_for(
                "第二章 失乡号的船长 _《深海余烬》小说在线阅读 - 起点中文网",
                &h1("第二章 失乡号的船长")
            ),
            "第二章 失乡号的船长"
        );
        assert_eq!(
            clean_title_for(
                "两万字长文 | 月亮的100个故事 (多图)",
                &h1("两万字长文 | 月亮的100个故事 (多图)")
            ),
            "两万字长文 | 月亮的100个故事 (多图)"
        );
        assert_eq!(
            clean_title_for("夜雨_原文、翻译及赏析_白居易诗词_读古诗词网", &h1("夜雨")),
            "夜雨"
        );
        // An h1 that does not start the title (a site-name h1) is no evidence.
        assert_eq!(
            clean_title_for(
                "被控受贿超5亿 原主席受审|山东省|青岛市_新浪新闻",
                &h1("新闻中心")
            ),
            "被控受贿超5亿 原主席受审"
        );
        // Without site or headline evidence: the old first-separator cut.
        assert_eq!(
            clean_title_for("雄安新区 - 维基百科，自由的百科全书", &none),
            "雄安新区"
        );
        assert_eq!(
            clean_title_for("两万字长文 | 月亮的100个故事 (多图)", &none),
            "两万字长文"
        );
        // Hyphens inside words are not separators.
        assert_eq!(
            clean_title_for("COVID-19疫苗接种进展顺利_中国网", &none),
            "COVID-19疫苗接种进展顺利"
        );
        // Only the site's name: nothing.
        assert_eq!(clean_title_for("-铜雀历史网", &none), "");
        assert_eq!(clean_title_for("没有后缀的标题", &none), "没有后缀的标题");
    }

    /// The title [`crate::extract::fields::decide`] makes of the markup's candidates, and
    /// the rule that won.
    fn choose_title(
        site: &Site,
        og: Option<&str>,
        ld: Option<&str>,
        title: Option<&str>,
    ) -> (Option<String>, Option<&'static str>) {
        let candidates = title_candidates(site, og, ld, title)
            .into_iter()
            .map(|(f, v, rule)| Candidate::new(f, &v, Zone::Markup, rule, &v))
            .collect();
        let report = crate::extract::fields::decide(candidates, &Facts::default());
        let rule = report.chosen(Field::Title).first().map(|c| c.rule);
        (report.values.title, rule)
    }

    #[test]
    fn title_choice_uses_h1_evidence() {
        let site = |h1: &'static str| Site {
            h1: Some(h1),
            ..Site::default()
        };
        let title = Some("两会观察 | 代表委员谈民生 - 人民网");
        assert_eq!(
            choose_title(&site("两会观察 | 代表委员谈民生"), None, None, title),
            (
                Some("两会观察 | 代表委员谈民生".to_string()),
                Some("h1+title")
            )
        );
        // A site-name h1 is not confirmed (and the short segment reads as a channel).
        assert_eq!(
            choose_title(&site("人民网"), None, None, title),
            (Some("两会观察".to_string()), Some("title"))
        );
        assert_eq!(
            choose_title(
                &site("人民网"),
                None,
                None,
                Some("两会观察 | 代表委员谈民生：就业 - 人民网")
            ),
            (
                Some("两会观察 | 代表委员谈民生：就业".to_string()),
                Some("title")
            )
        );
        // A title that names only the site falls back to the h1.
        assert_eq!(
            choose_title(&site("疫情政策怎么投诉"), None, None, Some("-铜雀历史网")),
            (Some("疫情政策怎么投诉".to_string()), Some("h1"))
        );
        assert_eq!(
            choose_title(&site("疫情政策怎么投诉"), None, None, None),
            (None, None)
        );
        // A breadcrumb `<title>` is not a title; the h1 is.
        assert_eq!(
            choose_title(&site("我市启动老旧小区改造"), None, None, Some("站名>栏目")),
            (Some("我市启动老旧小区改造".to_string()), Some("h1"))
        );
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
}
