//! Extract stage, HTML path: a decoded HTML page in, main-content paragraphs and metadata
//! candidates out, as plain data.
//!
//! * [`sniff`](mod@sniff) decides whether an input is HTML or text.
//! * [`content`] flattens the DOM to text blocks and picks the main-content container by a
//!   density score (the algorithm is described there).
//! * [`markup`] reads structured metadata: `<title>`/`<h1>`, Open Graph and `article:*`
//!   `<meta>` tags, JSON-LD, `<link rel=canonical>`, `<time>`.
//! * [`slim`](mod@slim) drops what the parser would spend most time on and the extractor
//!   never reads (unread attributes, script and style bodies) before parsing; [`depth`] caps
//!   element nesting on deep pages.
//!
//! The page is parsed with `scraper` (html5ever, the HTML5 parsing algorithm, so broken markup
//! parses the way browsers parse it). `scraper::Html` is not `Send`; it lives only inside
//! [`parse_page`], which returns owned strings. The paragraphs then go through the same repair and
//! text-extract stages as text input (see [`crate::pipeline`]).
//!
//! ```
//! use zhclean::internals::extract::html;
//! let page = r#"<html><head><title>垃圾分类取得进展_新闻中心_某某网</title></head><body>
//!   <div class="nav"><a href="/">首页</a> <a href="/n">新闻</a> <a href="/s">体育</a></div>
//!   <div class="article"><h1>垃圾分类取得进展</h1>
//!     <p>据住房和城乡建设部官网消息，按照完全自愿原则，各地推进生活垃圾分类。</p>
//!     <p>目前，全国已有多个城市出台相关条例，居民参与率明显提高。</p></div>
//!   <div class="footer">版权所有 © 某某网</div></body></html>"#;
//! let out = html::parse_page(page);
//! assert_eq!(out.meta.title.as_deref(), Some("垃圾分类取得进展"));
//! assert_eq!(out.content.paragraphs.len(), 2);
//! assert!(out.content.paragraphs[0].starts_with("据住房和城乡建设部"));
//! ```

use scraper::Html;

use crate::article::{Removed, RemovedKind};
use crate::extract::fields::{Candidate, Field, Zone};

pub mod content;
pub mod depth;
pub mod markup;
pub mod slim;
pub mod sniff;

pub use content::Content;
pub use markup::HtmlMeta;
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
pub fn parse_page(text: &str) -> HtmlPage {
    let (flat, meta) = analyse(text);
    let mut content = content::main_content(&flat);
    drop_title(&mut content, meta.title.as_deref());
    HtmlPage { content, meta }
}

/// What [`extract_explained`] shows of the main-content decision.
#[cfg(feature = "cli")]
#[derive(Debug, Clone, Default)]
pub struct BlockReport {
    /// Every text block of the page, in page order.
    pub blocks: Vec<content::Block>,
    /// The best-scoring candidate containers, best first; the chosen one is marked.
    pub containers: Vec<content::RankedContainer>,
}

/// [`parse_page`], and the blocks and the `top` candidate containers with their scores (for the
/// explain page; the cleaning path does not build them).
#[cfg(feature = "cli")]
pub fn extract_explained(text: &str, top: usize) -> (HtmlPage, BlockReport) {
    let (flat, meta) = analyse(text);
    let containers = content::ranked_containers(&flat, top);
    let mut content = content::main_content(&flat);
    drop_title(&mut content, meta.title.as_deref());
    let report = BlockReport {
        blocks: flat.blocks,
        containers,
    };
    (HtmlPage { content, meta }, report)
}

/// Parses the page and flattens it to blocks, marked as `main_content` reads them.
fn analyse(text: &str) -> (content::Flat, HtmlMeta) {
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
    let meta = markup::read(&html, h1);
    let anchor = content::find_anchor(&flat, meta.description.as_deref());
    content::mark_line_runs(&mut flat);
    content::mark_boilerplate(&mut flat, anchor);
    (flat, meta)
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
#[cfg(feature = "internals")]
pub fn visible_text(text: &str) -> String {
    let html = Html::parse_document(text);
    let flat = content::flatten(&html);
    let lines: Vec<&str> = flat.blocks.iter().map(|b| b.text.as_str()).collect();
    lines.join("\n")
}

/// Date candidates from the page's layout that no line rule claims: a date in a short block
/// under the headline (`（ 2012-06-04 09:20:26 ）` inside a channel line), or a short line
/// with a date and a time at the top of the container. `head_context` and `paragraphs` are
/// repaired text.
pub fn layout_candidates(head_context: &[String], paragraphs: &[String]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for line in head_context {
        if let Some(d) = markup::normalize_date(line) {
            out.push(Candidate::new(
                Field::PublishedAt,
                &d,
                Zone::Header,
                "header_date",
                line,
            ));
            break;
        }
    }
    for p in paragraphs
        .iter()
        .take(3)
        .filter(|p| p.chars().count() <= 80)
    {
        if let Some(d) = markup::normalize_date(p).filter(|d| d.contains('T')) {
            out.push(Candidate::new(
                Field::PublishedAt,
                &d,
                Zone::Header,
                "container_top_date",
                p,
            ));
            break;
        }
    }
    out
}
