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
//! use zhclean::internals::extract::html::markup::{clean_title, clean_title_for, normalize_date, Site};
//! assert_eq!(clean_title("城市有轨电车之困|有轨电车|珠海市_新浪新闻"), "城市有轨电车之困");
//! let site = Site::default();
//! assert_eq!(clean_title_for("新华视界｜河北遵化：数字农机助力农业生产-新华网", &site),
//!            "新华视界｜河北遵化：数字农机助力农业生产");
//! assert_eq!(normalize_date("2024-05-10T08:46:00+08:00").as_deref(), Some("2024-05-10T08:46:00+08:00"));
//! assert_eq!(normalize_date("2018年12月21日 08:46").as_deref(), Some("2018-12-21T08:46:00+08:00"));
//! ```
//!
//! Files: this one reads `<meta>` tags, `<time>`, `rel=tag` and author elements into
//! candidates; `title.rs` the title candidates and site-name stripping; `json_ld.rs` JSON-LD.

use std::sync::LazyLock;

use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{Html, Node};

use crate::extract::fields::{Candidate, Facts, Field, Zone};

use json_ld::parse_json_ld;
#[cfg(any(test, feature = "internals"))]
pub use title::clean_title;
pub use title::{clean_title_for, Site};
use title::{host_of, split_title, title_candidates};

mod json_ld;
mod title;

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
///
/// About 150 lines, flat: one short block per field and source of markup, in field order.
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
    crate::extract::values::parse_names(value)
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
mod tests;
