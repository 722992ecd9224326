//! Extract stage, HTML path: a decoded HTML page in, main-content paragraphs and metadata
//! candidates out, as plain data.
//!
//! * [`sniff`](mod@sniff) decides whether an input is HTML or text.
//! * [`content`] flattens the DOM to text blocks and picks the main-content container by a
//!   density score (the algorithm is described there).
//! * [`meta`] reads structured metadata: `<title>`/`<h1>`, Open Graph and `article:*`
//!   `<meta>` tags, JSON-LD, `<link rel=canonical>`, `<time>`.
//! * [`slim`](mod@slim) drops what the parser would spend most time on and the extractor
//!   never reads (unread attributes, script and style bodies) before parsing; [`depth`] caps
//!   element nesting on deep pages.
//!
//! The page is parsed with `scraper` (html5ever, the HTML5 parsing algorithm, so broken markup
//! parses the way browsers parse it). `scraper::Html` is not `Send`; it lives only inside
//! [`extract`], which returns owned strings. The paragraphs then go through the same repair and
//! text-extract stages as text input (see [`crate::pipeline`]).
//!
//! ```
//! use zhclean::extract::html;
//! let page = r#"<html><head><title>垃圾分类取得进展_新闻中心_某某网</title></head><body>
//!   <div class="nav"><a href="/">首页</a> <a href="/n">新闻</a> <a href="/s">体育</a></div>
//!   <div class="article"><h1>垃圾分类取得进展</h1>
//!     <p>据住房和城乡建设部官网消息，按照完全自愿原则，各地推进生活垃圾分类。</p>
//!     <p>目前，全国已有多个城市出台相关条例，居民参与率明显提高。</p></div>
//!   <div class="footer">版权所有 © 某某网</div></body></html>"#;
//! let out = html::extract(page);
//! assert_eq!(out.meta.title.as_deref(), Some("垃圾分类取得进展"));
//! assert_eq!(out.content.paragraphs.len(), 2);
//! assert!(out.content.paragraphs[0].starts_with("据住房和城乡建设部"));
//! ```

use scraper::Html;

use crate::article::{Removed, RemovedKind};
use crate::extract::Extracted;

pub mod content;
pub mod depth;
pub mod meta;
pub mod slim;
pub mod sniff;

pub use content::Content;
pub use meta::HtmlMeta;
pub use sniff::{sniff, Format};

/// What the HTML extractor found in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlPage {
    /// Main content and metadata context.
    pub content: Content,
    /// Structured metadata candidates.
    pub meta: HtmlMeta,
}

/// Parses `text` as HTML and extracts its main content and metadata. Never panics; a page
/// without any text gives empty paragraphs.
pub fn extract(text: &str) -> HtmlPage {
    // Slimming also counts the nesting; the depth cap needs its own scan only for deep pages
    // (the count is an estimate of the same rule, so the cap keeps a wide margin).
    let (slim, deepest) = slim::slim_and_depth(text);
    let html = if deepest > depth::MAX_DEPTH / 2 {
        Html::parse_document(&depth::limit_nesting(&slim))
    } else {
        Html::parse_document(&slim)
    };
    let mut flat = content::flatten(&html);
    let h1 = flat.first_h1.map(|i| flat.blocks[i].text.as_str());
    let meta = meta::read(&html, h1);
    let anchor = content::find_anchor(&flat, meta.description.as_deref());
    content::mark_line_runs(&mut flat);
    content::mark_boilerplate(&mut flat, anchor);
    let mut content = content::main_content(&flat);
    drop_title(&mut content, meta.title.as_deref());
    HtmlPage { content, meta }
}

/// Removes the headline from the head of the paragraphs (it is in `title`), recording it.
fn drop_title(content: &mut Content, title: Option<&str>) {
    let Some(title) = title else { return };
    let key = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let title_key = key(title);
    if title_key.is_empty() {
        return;
    }
    let head = content.paragraphs.len().min(3);
    if let Some(i) = (0..head).find(|&i| key(&content.paragraphs[i]) == title_key) {
        let text = content.paragraphs.remove(i);
        content.removed.insert(
            0,
            Removed {
                kind: RemovedKind::Title,
                text,
            },
        );
    }
}

/// All visible text of an HTML document or fragment, one block per line (used to read gold
/// bodies given as HTML).
pub fn visible_text(text: &str) -> String {
    let html = Html::parse_document(text);
    let flat = content::flatten(&html);
    let lines: Vec<&str> = flat.blocks.iter().map(|b| b.text.as_str()).collect();
    lines.join("\n")
}

/// The HTML-only fields of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// `og:description` / `<meta name=description>`, repaired.
    pub description: Option<String>,
    /// `<link rel=canonical>` / `og:url`.
    pub canonical_url: Option<String>,
}

/// Merges what the HTML extractor found into what the text stage found in its paragraphs.
///
/// * `body` is the text stage's result on the HTML title line followed by the paragraphs;
///   `context` its result on the short blocks around the container (date, source and byline
///   lines under the headline; editor lines after the body), of which only metadata is used.
/// * Structured markup wins (`og:title`/`<h1>`, `article:published_time`, JSON-LD, author
///   markup); text-found values fill the gaps, body first, then context. Editors and sources
///   never become authors (the text stage keeps them apart; markup authors are name-checked).
/// * Tags: tag lines, then `article:tag` / `rel=tag`; `<meta name=keywords>` only when most of
///   them occur in the title or body (site stock keywords do not).
/// * `repair` is applied to metadata strings so they get the same T→S and punctuation repairs.
pub fn merge(
    page: HtmlPage,
    body: &mut Extracted,
    context: &Extracted,
    repair: &mut dyn FnMut(&str) -> String,
) -> Extras {
    let HtmlPage { content, meta } = page;
    // The text stage took the title from the line we put first; if it took another line, that
    // line was body text.
    let html_title = meta.title.as_deref().map(&mut *repair);
    if let (Some(ours), Some(theirs)) = (&html_title, &body.title) {
        if ours != theirs {
            body.paragraphs.insert(0, theirs.clone());
            if let Some(i) = body
                .removed
                .iter()
                .position(|r| r.kind == RemovedKind::Title && &r.text == theirs)
            {
                body.removed.remove(i);
            }
        }
    }
    if let Some(title) = &html_title {
        // A title too long for the text stage's title rule stayed in the body: take it out.
        if body.paragraphs.first() == Some(title) {
            body.paragraphs.remove(0);
        }
        // The title line we added is not a removal from the page; the HTML one is recorded.
        if let Some(i) = body
            .removed
            .iter()
            .position(|r| r.kind == RemovedKind::Title)
        {
            body.removed.remove(i);
        }
        body.title = html_title;
    }
    let mut removed: Vec<Removed> = content.removed.clone();
    removed.append(&mut body.removed);
    body.removed = removed;

    body.published_at = meta
        .published_at
        .or_else(|| body.published_at.take())
        .or_else(|| context.published_at.clone())
        // A date the text stage's line rules did not claim (`（ 2012-06-04 09:20:26 ）` inside
        // a channel line) under the headline.
        .or_else(|| {
            content
                .head_context
                .iter()
                .find_map(|line| meta::normalize_date(line))
        })
        // Or such a line at the top of the container: short, with a date and a time.
        .or_else(|| {
            body.paragraphs
                .iter()
                .take(3)
                .filter(|p| p.chars().count() <= 80)
                .filter_map(|p| meta::normalize_date(p))
                .find(|d| d.contains('T'))
        });
    if !meta.authors.is_empty() {
        body.authors = meta.authors.iter().map(|a| repair(a)).collect();
    } else if body.authors.is_empty() {
        body.authors = context.authors.clone();
    }
    body.source = body
        .source
        .take()
        .or_else(|| context.source.clone())
        .or_else(|| meta.source.as_deref().map(&mut *repair));
    body.editor = body.editor.take().or_else(|| context.editor.clone());
    body.original_title = body
        .original_title
        .take()
        .or_else(|| context.original_title.clone());
    for tag in meta.tags.iter().map(|t| repair(t)) {
        if !body.tags.contains(&tag) {
            body.tags.push(tag);
        }
    }
    if body.tags.is_empty() && !meta.keywords.is_empty() {
        let keywords: Vec<String> = meta.keywords.iter().map(|k| repair(k)).collect();
        let haystack = format!(
            "{}\n{}",
            body.title.as_deref().unwrap_or(""),
            body.paragraphs.join("\n")
        );
        let specific = keywords
            .iter()
            .filter(|k| haystack.contains(k.as_str()))
            .count();
        if specific * 2 > keywords.len() {
            body.tags = keywords;
        }
    }
    Extras {
        description: meta.description.as_deref().map(&mut *repair),
        canonical_url: meta.canonical_url,
    }
}
