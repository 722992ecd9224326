//! Titles from markup: the candidates (`<h1>`, `og:title`, JSON-LD `headline`, `<title>`)
//! and the site name stripped from them (`标题_频道_站名` → `标题`, [`clean_title_for`]).

use std::sync::LazyLock;

use regex::Regex;

use super::collapse;
use crate::extract::fields::Field;

/// The title candidates of the markup, in the order [`crate::extract::fields`] ranks them:
/// an `<h1>` that the `<title>` or `og:title` confirms (it is contained in one of them once
/// their site suffixes are stripped, or, when shorter than 4 characters, equal to one; so a
/// site-name `<h1>` is not confirmed) as `h1+title`; `og:title`, JSON-LD `headline` and
/// `<title>`, each with site suffixes stripped ([`clean_title_for`]); and an unconfirmed
/// `<h1>` as `h1` when some title markup exists (the titles may name only the site).
pub(super) fn title_candidates(
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
pub(super) fn host_of(url: &str) -> Option<&str> {
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
/// When no segment was dropped on site or headline evidence, the plain rule applies
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
pub(super) fn split_title(title: &str) -> Vec<(usize, usize)> {
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
