//! Main content: the DOM flattened to text blocks, the best container chosen by a density
//! score, its blocks turned into paragraphs.
//!
//! **Blocks.** One walk over the tree (iterative, so deep nesting cannot overflow the stack)
//! turns the page into *text blocks*: runs of text between block-level boundaries (`p`, `div`,
//! `li`, `br`, headings, table cells, …). `script`, `style`, `noscript`, `template`, form
//! controls, `iframe`, `svg`, comments and hidden elements (`hidden`, `display:none`,
//! `visibility:hidden`) contribute nothing. Each block counts its visible characters, the
//! characters inside links and the sentence punctuation outside links (Chinese and ASCII, as
//! GNE counts it). Each element remembers the range of blocks it holds, so any element's
//! totals are a difference of prefix sums: no quadratic walks.
//!
//! **Block value.** Each block gets a signed value saying how article-like it is:
//! * sentence text (at least [`SENTENCE_MIN_CHARS`] characters outside links, with sentence
//!   punctuation, and less than half of it link text): `+` its character count;
//! * link-dominated text (navigation, related headlines, tag clouds) and truncated teasers
//!   (`…`, `【详细】` at the end): `−` half its length;
//! * a line of a long run of `<br>`-separated non-link lines (lyrics, poems; see
//!   [`mark_line_runs`]): `+` half its character count, though it has no punctuation;
//! * short unpunctuated text (labels, dates, buttons): a small constant `−1`;
//! * text inside an element whose class/id/tag says boilerplate (`nav`, `footer`, `comment`,
//!   `related`, `share`, `recommend`, `sidebar`, `copyright`, `breadcrumb`, …; see [`hint`]):
//!   always negative.
//!
//! **Container.** The main content is the element whose blocks have the largest total value,
//! plus a bonus for positive hints (`itemprop=articleBody`, `<article>`, class/id words such
//! as `content`, `article`, `text`, `main`, `post`). This is the maximum-weight subtree of the
//! page: growing the container to an ancestor pays for every navigation list and footer it
//! takes in, so it stops where the article stops. It combines readability's paragraph scoring
//! and class weights with GNE's text and punctuation density, in one linear pass. Sibling
//! elements with substantial article-like text of their own are added back (an article split
//! around an advertisement), as readability does.
//!
//! **Paragraphs.** Inside the container, blocks that are link-dominated or inside a
//! boilerplate element are dropped and reported (a tag line such as `标签：<a>…</a>` is kept for
//! the text stage, which turns it into tags). The rest are the paragraphs, in page order.
//!
//! Files: this one scores the blocks and picks the container and its paragraphs;
//! `flatten.rs` turns the DOM into blocks; `hints.rs` reads what an element's tag, class, id
//! and style say about it.

use crate::article::{Removed, RemovedKind};
use crate::extract::fields::Zone;

use flatten::El;
pub use flatten::{flatten, Block, Flat};
#[cfg(any(test, feature = "internals"))]
pub use hints::hint;
pub(crate) use hints::{author_page, style_hides};

mod flatten;
mod hints;

/// A block needs this many characters outside links to count as sentence text.
pub const SENTENCE_MIN_CHARS: u32 = 8;

/// Alphanumeric characters of the meta description that must reappear in a block for it to
/// be the article's anchor.
const ANCHOR_CHARS: usize = 16;

/// Bonus, as a share of the container's positive value, for a positive class/id/tag hint.
const POSITIVE_HINT_BONUS: f64 = 0.25;

/// A sibling of the container joins it when its positive value is at least this share of the
/// container's value.
const SIBLING_SHARE: f64 = 0.2;

/// How many short blocks before the container (up to the headline) are kept as context for
/// metadata (dates, bylines, sources).
const HEAD_CONTEXT_BLOCKS: usize = 12;

/// How many blocks after the container are kept as context for metadata (editor lines).
const TAIL_CONTEXT_BLOCKS: usize = 6;

/// Context blocks longer than this are not metadata lines.
const CONTEXT_MAX_CHARS: u32 = 160;

/// A run of `<br>`-separated lines counts as text when it has at least this many lines that
/// are not link-dominated ...
pub const LINE_RUN_MIN_LINES: usize = 8;

/// ... and at least this many characters outside links in them.
pub const LINE_RUN_MIN_CHARS: u32 = 120;

/// Value per character of a line in such a run (a sentence counts 1 per character).
pub const LINE_RUN_WEIGHT: f64 = 0.5;

/// The main content found in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// Article paragraphs, in page order.
    pub paragraphs: Vec<String>,
    /// Short blocks between the headline and the container (metadata context).
    pub head_context: Vec<String>,
    /// Short blocks right after the container (metadata context).
    pub tail_context: Vec<String>,
    /// What was dropped inside the container.
    pub removed: Vec<Removed>,
    /// Texts of author elements (`<span class="author">`) in the zones around the article —
    /// under the headline, in the container, right after it — with their zone.
    pub author_texts: Vec<(Zone, String)>,
    /// Text blocks on the whole page.
    pub blocks_total: usize,
}

/// The first sentence block that holds the start of `description` (the page's meta
/// description, which CMSs usually fill with the article's lead): the article's anchor.
pub fn find_anchor(flat: &Flat, description: Option<&str>) -> Option<usize> {
    let key: String = description?
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(ANCHOR_CHARS)
        .collect();
    if key.chars().count() < ANCHOR_CHARS {
        return None;
    }
    flat.blocks.iter().position(|b| {
        b.sentence() && {
            let text: String = b.text.chars().filter(|c| c.is_alphanumeric()).collect();
            text.contains(&key)
        }
    })
}

/// Marks blocks inside boilerplate-hinted elements, except where the "boilerplate" element
/// holds the article: it contains the `anchor` block, or, without an anchor, most of the
/// page's sentence text (line-run lines count at half weight) (a page wrapped in `<div class="wrap hidden-xs">`, or WeChat's article
/// hidden until a script shows it, is not boilerplate).
pub fn mark_boilerplate(flat: &mut Flat, anchor: Option<usize>) {
    let n = flat.blocks.len();
    let mut sentence_prefix = vec![0u64; n + 1];
    for (i, block) in flat.blocks.iter().enumerate() {
        let s = if block.sentence() {
            u64::from(block.chars - block.link_chars)
        } else if block.line_run {
            u64::from(block.chars - block.link_chars) / 2
        } else {
            0
        };
        sentence_prefix[i + 1] = sentence_prefix[i] + s;
    }
    let total = sentence_prefix[n];
    let mut diff = vec![0i64; n + 1];
    let mut comment_diff = vec![0i64; n + 1];
    for el in flat.els.iter().filter(|e| e.hint < 0 && e.start < e.end) {
        let holds_article = match anchor {
            Some(a) => (el.start..el.end).contains(&a),
            None => {
                let inside = sentence_prefix[el.end] - sentence_prefix[el.start];
                inside * 2 > total && total > 0
            }
        };
        if holds_article {
            continue;
        }
        diff[el.start] += 1;
        diff[el.end] -= 1;
        if el.comment {
            comment_diff[el.start] += 1;
            comment_diff[el.end] -= 1;
        }
    }
    let (mut depth, mut comment_depth) = (0i64, 0i64);
    for (i, block) in flat.blocks.iter_mut().enumerate() {
        depth += diff[i];
        comment_depth += comment_diff[i];
        block.boilerplate = depth > 0 && block.neg_chars * 2 >= block.chars;
        block.in_comment = comment_depth > 0;
    }
}

/// Marks the lines of long runs of `<br>`-separated lines as text ([`Block::line_run`]): poems,
/// lyrics and verse-like posts put each line in its own block without punctuation, so no block
/// looks like a sentence, yet the run as a whole is the page's text. A run counts when it has
/// at least [`LINE_RUN_MIN_LINES`] lines that are not link-dominated, holding at least
/// [`LINE_RUN_MIN_CHARS`] characters outside links. Navigation (links) never qualifies;
/// lines in boilerplate elements are marked but stay negative (a block's value looks at
/// `boilerplate` first). Call before [`mark_boilerplate`], which counts these lines
/// (at [`LINE_RUN_WEIGHT`]) as article text when it rescues a wrapper holding the article.
pub fn mark_line_runs(flat: &mut Flat) {
    let text_line = |b: &Block| !b.link_dominated();
    let mut start = 0;
    let n = flat.blocks.len();
    while start < n {
        let mut end = start + 1;
        while end < n && flat.blocks[end - 1].br_after && flat.blocks[end].br_before {
            end += 1;
        }
        let run = &flat.blocks[start..end];
        let lines = run.iter().filter(|b| text_line(b)).count();
        let chars: u32 = run
            .iter()
            .filter(|b| text_line(b))
            .map(|b| b.chars - b.link_chars)
            .sum();
        if lines >= LINE_RUN_MIN_LINES && chars >= LINE_RUN_MIN_CHARS {
            for block in &mut flat.blocks[start..end] {
                block.line_run = text_line(block);
            }
        }
        start = end;
    }
}

/// Finds the main content of a flattened page.
///
/// About 100 lines in steps that feed each other (score the elements, pick the container,
/// add article-like siblings, mark the metadata context around them), each commented.
pub fn main_content(flat: &Flat) -> Content {
    let n = flat.blocks.len();
    let Prefixes {
        value: value_prefix,
        positive: positive_prefix,
    } = Prefixes::of(flat);
    let score = |el: &El| score(el, &value_prefix, &positive_prefix);

    // Deepest element with the best score (later in pre-order = deeper among equals).
    let mut best: Option<(usize, f64)> = None;
    for (i, el) in flat.els.iter().enumerate() {
        if !el.block_level || el.start == el.end {
            continue;
        }
        let s = score(el);
        if best.is_none_or(|(_, b)| s >= b) {
            best = Some((i, s));
        }
    }
    let Some((best, best_score)) = best else {
        return Content {
            blocks_total: n,
            ..Content::default()
        };
    };
    let container = &flat.els[best];

    // Siblings with substantial article-like text of their own.
    let mut ranges = vec![(container.start, container.end)];
    if container.parent != usize::MAX {
        for el in flat.els.iter().filter(|e| {
            e.parent == container.parent && e.block_level && e.start < e.end && e.hint >= 0
        }) {
            if el.start == container.start {
                continue;
            }
            let positive = positive_prefix[el.end] - positive_prefix[el.start];
            let value = value_prefix[el.end] - value_prefix[el.start];
            if positive >= SIBLING_SHARE * best_score && value >= 0.5 * positive {
                ranges.push((el.start, el.end));
            }
        }
        ranges.sort_unstable();
    }

    let mut content = Content {
        blocks_total: n,
        ..Content::default()
    };
    let (first, last) = (ranges[0].0, ranges[ranges.len() - 1].1);
    for &(start, end) in &ranges {
        let mut previous = None;
        for block in &flat.blocks[start..end] {
            previous = keep_or_drop(block, previous, &mut content);
        }
    }

    // Metadata context: short blocks from the headline (or a few blocks back) to the container,
    // and a few after it.
    let head_from = match flat.first_h1 {
        Some(h1) if h1 < first => h1.max(first.saturating_sub(HEAD_CONTEXT_BLOCKS)),
        _ => first.saturating_sub(HEAD_CONTEXT_BLOCKS),
    };
    content.head_context = flat.blocks[head_from..first]
        .iter()
        .filter(|b| b.chars <= CONTEXT_MAX_CHARS && !b.link_dominated())
        .map(|b| b.text.clone())
        .collect();
    let tail_end = n.min(last + TAIL_CONTEXT_BLOCKS);
    // Author elements count in the zones around the article; a publisher's card also
    // anywhere before it (platforms put it in a column beside the article).
    content.author_texts = flat
        .authors
        .iter()
        .filter(|a| (head_from..tail_end).contains(&a.block) || (a.card && a.block < first))
        .map(|a| {
            let zone = if a.block < first {
                Zone::Header
            } else if a.block >= last {
                Zone::Footer
            } else {
                Zone::Body
            };
            (zone, a.text.clone())
        })
        .collect();
    content.tail_context = flat.blocks[last..tail_end]
        .iter()
        .filter(|b| b.chars <= CONTEXT_MAX_CHARS)
        .map(|b| b.text.clone())
        .collect();
    content
}

/// Prefix sums of the block values (and of their positive parts) over a flattened page.
struct Prefixes {
    value: Vec<f64>,
    positive: Vec<f64>,
}

impl Prefixes {
    fn of(flat: &Flat) -> Prefixes {
        let n = flat.blocks.len();
        let mut value = vec![0f64; n + 1];
        let mut positive = vec![0f64; n + 1];
        for (i, block) in flat.blocks.iter().enumerate() {
            let v = block.value();
            value[i + 1] = value[i] + v;
            positive[i + 1] = positive[i] + v.max(0.0);
        }
        Prefixes { value, positive }
    }
}

/// An element's container score: the value of its blocks, plus the bonus for a positive hint.
fn score(el: &El, value_prefix: &[f64], positive_prefix: &[f64]) -> f64 {
    let value = value_prefix[el.end] - value_prefix[el.start];
    let positive = positive_prefix[el.end] - positive_prefix[el.start];
    if el.hint > 0 {
        value + POSITIVE_HINT_BONUS * positive
    } else {
        value
    }
}

/// One candidate container and its score, for the explain page ([`ranked_containers`]).
#[cfg(feature = "cli")]
#[derive(Debug, Clone, PartialEq)]
pub struct RankedContainer {
    /// Its score (see the module doc, "Container").
    pub score: f64,
    /// The blocks it holds, `start..end` in page order.
    pub blocks: std::ops::Range<usize>,
    /// Visible characters in those blocks, and of them inside links.
    pub chars: u32,
    /// Characters inside links.
    pub link_chars: u32,
    /// Whether it is the container [`main_content`] chose.
    pub chosen: bool,
}

/// The `top` best-scoring block-level elements, best first, each also as the set of blocks
/// it holds (an element and its only child holding the same blocks are listed once). The one
/// [`main_content`] picks is marked `chosen`. For the explain page: linear, and not on the
/// cleaning path.
#[cfg(feature = "cli")]
pub fn ranked_containers(flat: &Flat, top: usize) -> Vec<RankedContainer> {
    let prefixes = Prefixes::of(flat);
    let mut scored: Vec<(usize, f64)> = Vec::new();
    let mut best: Option<(usize, f64)> = None;
    for (i, el) in flat.els.iter().enumerate() {
        if !el.block_level || el.start == el.end {
            continue;
        }
        let s = score(el, &prefixes.value, &prefixes.positive);
        if best.is_none_or(|(_, b)| s >= b) {
            best = Some((i, s));
        }
        scored.push((i, s));
    }
    // Best first; among equals the deeper (later) element, as `main_content` picks it.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut ranked: Vec<RankedContainer> = Vec::new();
    for (i, s) in scored {
        let el = &flat.els[i];
        let chosen = best.is_some_and(|(b, _)| b == i);
        if let Some(same) = ranked.iter_mut().find(|r| r.blocks == (el.start..el.end)) {
            same.chosen |= chosen;
            continue;
        }
        if ranked.len() == top {
            if chosen {
                ranked.pop();
            } else {
                continue;
            }
        }
        let blocks = &flat.blocks[el.start..el.end];
        ranked.push(RankedContainer {
            score: s,
            blocks: el.start..el.end,
            chars: blocks.iter().map(|b| b.chars).sum(),
            link_chars: blocks.iter().map(|b| b.link_chars).sum(),
            chosen,
        });
    }
    ranked
}

/// A link-dominated block that is a labelled tag line (`标签：<a>…</a>`): kept for the text
/// stage, which turns it into tags.
fn tag_line(block: &Block) -> bool {
    const LABELS: &[&str] = &[
        "标签",
        "標簽",
        "標籤",
        "关键词",
        "關鍵詞",
        "关键字",
        "tag",
        "Tag",
        "TAG",
    ];
    let head: String = block.text.chars().take(6).collect();
    LABELS.iter().any(|l| head.starts_with(l))
}

/// Keeps `block` as a paragraph or records it as removed, joined to the previous removal when
/// that was the block just before and of the same kind. Returns the kind it was removed as.
fn keep_or_drop(
    block: &Block,
    previous: Option<RemovedKind>,
    content: &mut Content,
) -> Option<RemovedKind> {
    let kind = if block.boilerplate && block.in_comment {
        Some(RemovedKind::Comments)
    } else if block.boilerplate {
        Some(RemovedKind::Other)
    } else if block.link_dominated() && !tag_line(block) {
        Some(RemovedKind::RelatedHeadlines)
    } else {
        None
    };
    match kind {
        None => content.paragraphs.push(block.text.trim().to_string()),
        Some(kind) => match content.removed.last_mut() {
            Some(last) if previous == Some(kind) => {
                last.text.push('\n');
                last.text.push_str(block.text.trim());
            }
            _ => content.removed.push(Removed {
                kind,
                text: block.text.trim().to_string(),
            }),
        },
    }
    kind
}

#[cfg(test)]
mod tests;
