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

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};

use crate::article::{Removed, RemovedKind};
use crate::extract::fields::Zone;

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

/// One run of text between block-level boundaries.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// The text, whitespace collapsed, trimmed.
    pub text: String,
    /// Visible non-whitespace characters.
    pub chars: u32,
    /// Of those, characters inside links.
    pub link_chars: u32,
    /// Sentence punctuation outside links.
    pub punct: u32,
    /// Characters inside boilerplate-hinted elements.
    neg_chars: u32,
    /// The block is inside a comment thread that does not hold the article (set by
    /// [`mark_boilerplate`]): removed as `comments`.
    in_comment: bool,
    /// 1–6 when the block is a heading `h1`–`h6`, else 0.
    pub heading: u8,
    /// Whether the block sits in a boilerplate-hinted element (set after the walk).
    pub boilerplate: bool,
    /// The block is a line of a run of `<br>`-separated lines (a poem, lyrics, an address
    /// list) long enough to count as text though its lines have no punctuation (set after the
    /// walk, see [`mark_line_runs`]).
    pub line_run: bool,
    /// A `<br>` ends the block / started it (links consecutive lines into runs).
    br_after: bool,
    br_before: bool,
}

impl Block {
    /// Most of the text is link text.
    pub fn link_dominated(&self) -> bool {
        self.link_chars * 2 > self.chars
    }

    /// A truncated summary of another page (`…`, `...`, `【详细】` at the end of a short
    /// block): counts against a container, but is left for the text stage to judge.
    fn teaser(&self) -> bool {
        const ENDS: &[&str] = &["...", "…", "【详细】", "[详细]", "详细>>", "全文>>", ">>"];
        self.chars <= 160 && ENDS.iter().any(|e| self.text.ends_with(e))
    }

    /// Sentence-like article text.
    fn sentence(&self) -> bool {
        !self.link_dominated()
            && self.punct > 0
            && self.chars - self.link_chars >= SENTENCE_MIN_CHARS
    }

    /// The signed article-likeness described in the module doc.
    pub fn value(&self) -> f64 {
        if self.boilerplate {
            -(0.5 * f64::from(self.chars) + 1.0)
        } else if self.link_dominated() || self.teaser() {
            -(0.5 * f64::from(self.chars)) - 1.0
        } else if self.sentence() {
            f64::from(self.chars - self.link_chars)
        } else if self.line_run {
            LINE_RUN_WEIGHT * f64::from(self.chars - self.link_chars)
        } else {
            -1.0
        }
    }
}

/// Per-element record of the walk.
#[derive(Debug, Clone)]
struct El {
    parent: usize,
    /// Blocks `start..end` lie inside the element.
    start: usize,
    end: usize,
    hint: i8,
    block_level: bool,
    /// The element is a comment thread (see [`hint_of`]).
    comment: bool,
}

/// The page flattened: blocks in page order and element ranges over them.
#[derive(Debug, Default)]
pub struct Flat {
    /// Text blocks in page order.
    pub blocks: Vec<Block>,
    els: Vec<El>,
    /// Block index of the first `h1` with text, if any.
    pub first_h1: Option<usize>,
    /// Author elements outside comment threads and feeds (class/id `author`, `byline`, …).
    pub authors: Vec<AuthorText>,
}

/// The text of an author element.
#[derive(Debug, Clone)]
pub struct AuthorText {
    /// Index of the block where the element starts.
    pub block: usize,
    /// Its text (a card's: the first text only).
    pub text: String,
    /// A publisher's card (`user-info`) rather than a byline element.
    pub card: bool,
}

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

/// Elements whose whole subtree contributes no text.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "select"
            | "option"
            | "textarea"
            | "button"
            | "input"
            | "audio"
            | "video"
            | "map"
    )
}

/// Elements that start and end a block of text.
fn block_level(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "hr"
            | "address"
            | "center"
            | "form"
            | "fieldset"
            | "legend"
            | "details"
            | "summary"
            | "body"
            | "html"
    )
}

/// The attributes the hints read, found in one pass over the element's attributes (each
/// `Element::attr` call interns its argument and binary-searches; six of them per element
/// showed up in profiles). Only attributes without a namespace count, as with `attr`.
#[derive(Default)]
struct HintAttrs<'a> {
    hidden: bool,
    style: Option<&'a str>,
    class: Option<&'a str>,
    id: Option<&'a str>,
    itemprop: Option<&'a str>,
    role: Option<&'a str>,
    rel: Option<&'a str>,
    href: Option<&'a str>,
}

impl<'a> HintAttrs<'a> {
    fn of(el: &'a Element) -> Self {
        let mut out = HintAttrs::default();
        for (name, value) in &el.attrs {
            if !name.ns.is_empty() {
                continue;
            }
            let value: &str = value;
            match &*name.local {
                "hidden" => out.hidden = true,
                "style" => out.style = Some(value),
                "class" => out.class = Some(value),
                "id" => out.id = Some(value),
                "itemprop" => out.itemprop = Some(value),
                "role" => out.role = Some(value),
                "rel" => out.rel = Some(value),
                "href" => out.href = Some(value),
                _ => {}
            }
        }
        out
    }
}

fn hidden(attrs: &HintAttrs) -> bool {
    if attrs.hidden {
        return true;
    }
    attrs.style.is_some_and(style_hides)
}

/// Whether an inline `style` hides its element (`display:none`, `visibility:hidden`).
pub(crate) fn style_hides(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// Class/id/tag hints: `> 0` article-like, `< 0` boilerplate, `0` neither.
///
/// Words are matched against the class and id split on whitespace, `-` and `_`. Long,
/// distinctive words match inside a token (`newsComment`), short ones only as whole tokens
/// (`ad`, `nav`, `hot`), so `head`/`load`/`photo` do not trip them.
#[cfg(any(test, feature = "internals"))]
pub fn hint(el: &Element) -> i8 {
    hint_of(el.name(), &HintAttrs::of(el)).hint
}

/// Words of class/id that name a comment thread (the first [`COMMENT_SUB_WORDS`] of them) or
/// a feed of other items: an author element inside names a commenter or another article's
/// writer, and the thread's text is removed as `comments`.
const THREAD_SUB: &[&str] = &[
    "comment",
    "cmmt",
    "pinglun",
    "discuss",
    "feed",
    "recommend",
    "related",
];
const COMMENT_SUB_WORDS: usize = 4;
/// Whole class/id tokens naming a comment thread.
const COMMENT_TOKEN: &[&str] = &["cmt", "reply", "replies", "tie"];

/// What the class/id/tag of an element says.
#[derive(Debug, Clone, Copy, Default)]
struct Hints {
    /// `> 0` article-like, `< 0` boilerplate, `0` neither (see [`hint`]).
    hint: i8,
    /// A comment thread or a feed of other items.
    thread: bool,
    /// A comment thread.
    comment: bool,
}

/// [`hint`], and whether the element holds a comment thread or a feed (see [`THREAD_SUB`]).
fn hint_of(name: &str, attrs: &HintAttrs) -> Hints {
    const POS_SUB: &[&str] = &[
        "article",
        "content",
        "artibody",
        "zhengwen",
        "detail",
        "story",
        "entry",
        "richtext",
        "rich_media",
        "maintext",
        "post",
        "text",
        "body",
    ];
    const POS_TOKEN: &[&str] = &["main", "zw", "con", "cont", "txt", "trs", "news", "arti"];
    const NEG_SUB: &[&str] = &[
        "comment",
        "footer",
        "sidebar",
        "related",
        "recommend",
        "share",
        "breadcrumb",
        "crumb",
        "copyright",
        "banner",
        "navbar",
        "menu",
        "toolbar",
        "social",
        "sponsor",
        "promo",
        "widget",
        "popup",
        "modal",
        "pagination",
        "pager",
        "qrcode",
        "erweima",
        "download",
        "login",
        "advert",
        "tuijian",
        "xiangguan",
        "pinglun",
        "cmmt",
        "discuss",
        "hotnews",
        "ranking",
        "friendlink",
        "disclaimer",
        "statement",
        "shengming",
        "more",
        "feed",
        "stream",
    ];
    const NEG_TOKEN: &[&str] = &[
        "nav", "ad", "ads", "foot", "side", "hot", "rank", "cmt", "tags", "tag", "header", "top",
        "more", "links", "hidden", "hide", "aside", "recom", "xgxw", "xgyd", "reply", "replies",
        "dialog", "mask", "gotop", "backtop", "tie",
    ];
    let mut pos = matches!(name, "article" | "main")
        || attrs
            .itemprop
            .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
    let mut neg = matches!(name, "nav" | "footer" | "aside" | "header")
        || attrs.role.is_some_and(|r| {
            matches!(r, "navigation" | "contentinfo" | "complementary" | "banner")
        });
    // The word lists are matched in one Aho-Corasick pass over the whole value (ASCII case
    // folded, as the lists are lowercase ASCII) instead of a substring search per word and
    // token; a match counts only when no separator lies inside it, i.e. inside one token.
    static SUB: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(POS_SUB.iter().chain(NEG_SUB))
            .expect("static word lists")
    });
    let (mut thread, mut comment) = (false, false);
    for attr in [attrs.class, attrs.id].into_iter().flatten() {
        if !(pos && neg) {
            let (p, n) = words_inside_tokens(&SUB, POS_SUB.len(), attr);
            pos |= p;
            neg |= n;
        }
        for token in attr
            .split(|c: char| c.is_ascii_whitespace() || c == '-' || c == '_')
            .filter(|t| !t.is_empty())
        {
            pos |= POS_TOKEN.iter().any(|w| token.eq_ignore_ascii_case(w));
            if NEG_TOKEN.iter().any(|w| token.eq_ignore_ascii_case(w)) {
                neg = true;
                if COMMENT_TOKEN.iter().any(|w| token.eq_ignore_ascii_case(w)) {
                    (thread, comment) = (true, true);
                }
            }
        }
        // (Only a boilerplate word can name a thread: skip the search on other elements.)
        if neg && !comment {
            static THREAD: LazyLock<AhoCorasick> = LazyLock::new(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(THREAD_SUB)
                    .expect("static word list")
            });
            for m in THREAD.find_overlapping_iter(attr) {
                thread = true;
                comment |= m.pattern().as_usize() < COMMENT_SUB_WORDS;
            }
        }
    }
    // The boilerplate word wins: in compound names it is the specific part
    // (`detail-content__recommend`, `article-share`, `comment-content`). A wrapper named both
    // ways that holds the article is rescued by `mark_boilerplate`.
    let hint = if neg { -1 } else { i8::from(pos) };
    // (Words on `<html>`/`<body>` are the page's feature flags, `comment_feature`, not a
    // thread holding everything.)
    let page = matches!(name, "html" | "body");
    Hints {
        hint,
        thread: thread && !page,
        comment: comment && !page,
    }
}

/// Whether an element marks its text as the article's author (see [`AuthorMark`]): a
/// publisher's card (`user-info`, `author-info`), or a class or id token such as
/// `author`, `author-name`, `byline`, `author_baidu`, one with `author` ending in `name`
/// (`author-info__name`) or holding `nickname` (a blog's `follow-nickName`);
/// `itemprop=author`, `rel=author`, or a link to an author's page (`href=…/author/…`).
fn author_marker(attrs: &HintAttrs) -> AuthorMark {
    const CARDS: &[&str] = &[
        "user-info",
        "userinfo",
        "author-info",
        "authorinfo",
        "author-card",
        "user-card",
    ];
    let card = [attrs.class, attrs.id].into_iter().flatten().any(|v| {
        v.contains("nfo")
            && v.split_ascii_whitespace()
                .any(|t| CARDS.iter().any(|c| t.eq_ignore_ascii_case(c)))
    });
    if card {
        return AuthorMark::Card;
    }
    if author_element(attrs) {
        AuthorMark::Element
    } else {
        AuthorMark::None
    }
}

/// What [`author_marker`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthorMark {
    None,
    /// The element's text is the credit.
    Element,
    /// A publisher's card (`user-info`, `author-info`: avatar, name, follow button, counts):
    /// its first text is the name.
    Card,
}

fn author_element(attrs: &HintAttrs) -> bool {
    const TOKENS: &[&str] = &[
        "author",
        "author_baidu",
        "note-author",
        "post-author",
        "entry-author",
        "article-author",
        "byline",
        "writer",
    ];
    let token = |t: &str| {
        let t = t.to_ascii_lowercase();
        TOKENS.contains(&t.as_str())
            || (t.contains("author") && t.ends_with("name"))
            || t.contains("nickname")
    };
    // (One pass of an automaton finds the elements worth a look at their tokens.)
    static WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["author", "byline", "writer", "nickname"])
            .expect("static word list")
    });
    [attrs.class, attrs.id]
        .into_iter()
        .flatten()
        .any(|v| WORDS.is_match(v) && v.split_ascii_whitespace().any(token))
        || [attrs.itemprop, attrs.rel]
            .into_iter()
            .flatten()
            .any(|v| v.eq_ignore_ascii_case("author"))
        || attrs.href.is_some_and(author_page)
}

/// Whether a link goes to an author's page (`/author/4362948/`, `?author=…`): what it
/// links is the author's name.
pub(crate) fn author_page(href: &str) -> bool {
    // (Every link of a page passes here while slimming: a byte search for `a`, then a look,
    // costs less than setting up a substring search per link.)
    let bytes = href.as_bytes();
    memchr::memchr_iter(b'a', bytes).any(|i| {
        i > 0
            && matches!(bytes[i - 1], b'/' | b'?')
            && bytes[i..].starts_with(b"author")
            && bytes.get(i + 6).is_some_and(|&b| {
                if bytes[i - 1] == b'/' {
                    b == b'/'
                } else {
                    b == b'='
                }
            })
    })
}

/// Whether `value` has, inside one of its tokens (split on ASCII whitespace, `-`, `_`), a word
/// of `words` numbered below `first_neg` (first result) or from it on (second).
fn words_inside_tokens(words: &AhoCorasick, first_neg: usize, value: &str) -> (bool, bool) {
    let (mut pos, mut neg) = (false, false);
    for m in words.find_overlapping_iter(value) {
        let inside = &value.as_bytes()[m.start()..m.end()];
        if inside
            .iter()
            .any(|&b| b.is_ascii_whitespace() || b == b'-' || b == b'_')
        {
            continue;
        }
        if m.pattern().as_usize() < first_neg {
            pos = true;
        } else {
            neg = true;
        }
    }
    (pos, neg)
}

/// Sentence punctuation: Chinese full-width marks always; ASCII `, . ; : ! ? "` only after a
/// letter (so `19,220.62` and `-0.53%` in a stock ticker are not sentences).
fn is_punct(c: char, prev: char) -> bool {
    match c {
        '，' | '。' | '！' | '？' | '、' | '；' | '：' | '“' | '”' | '‘' | '’' | '《' | '》'
        | '（' | '）' | '…' | '—' => true,
        ',' | '.' | '?' | '!' | ';' | ':' | '"' => prev.is_alphabetic(),
        _ => false,
    }
}

/// Builds blocks while walking.
struct Builder {
    blocks: Vec<Block>,
    cur: Block,
    pending_space: bool,
    /// The last thing appended was the end of a link (adjacent links get a space between them,
    /// so tag clouds keep their words apart).
    after_link: bool,
    /// The previous visible character.
    prev: char,
}

impl Builder {
    fn push_text(&mut self, text: &str, link: bool, neg: bool, pre: bool) {
        for c in text.chars() {
            if pre && c == '\n' {
                self.flush(0);
                continue;
            }
            if c.is_whitespace() {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.cur.text.is_empty() {
                self.cur.text.push(' ');
            }
            self.pending_space = false;
            self.after_link = false;
            self.cur.text.push(c);
            self.cur.chars += 1;
            if link {
                self.cur.link_chars += 1;
            } else if is_punct(c, self.prev) {
                self.cur.punct += 1;
            }
            self.prev = c;
            if neg {
                self.cur.neg_chars += 1;
            }
        }
    }

    fn flush(&mut self, heading: u8) {
        self.pending_space = false;
        self.after_link = false;
        if self.cur.chars == 0 {
            self.cur = Block::default();
            return;
        }
        let mut block = std::mem::take(&mut self.cur);
        block.heading = heading;
        self.blocks.push(block);
    }
}

/// Flattens a parsed document into blocks and element ranges.
pub fn flatten(html: &Html) -> Flat {
    struct Frame {
        el: usize,
        link: bool,
        pre: bool,
        neg: bool,
        br: bool,
        heading: u8,
        thread: bool,
        author: bool,
    }
    let mut b = Builder {
        blocks: Vec::new(),
        cur: Block::default(),
        pending_space: false,
        after_link: false,
        prev: ' ',
    };
    let mut els: Vec<El> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut skip_depth = 0usize;
    let (mut link_depth, mut pre_depth, mut neg_depth) = (0usize, 0usize, 0usize);
    let mut headings: Vec<u8> = Vec::new();
    let mut first_h1 = None;
    let mut thread_depth = 0usize;
    // The author element being read (block index where it starts, its text), and those read.
    let mut author: Option<(usize, String)> = None;
    let mut author_card = false;
    let mut authors: Vec<AuthorText> = Vec::new();

    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    if skip_depth > 0 {
                        skip_depth += 1;
                        continue;
                    }
                    let name = el.name();
                    if skipped(name) {
                        skip_depth = 1;
                        continue;
                    }
                    let is_block = block_level(name);
                    let heading = match name.as_bytes() {
                        [b'h', d @ b'1'..=b'6'] => d - b'0',
                        _ => 0,
                    };
                    if is_block {
                        if name == "br" {
                            b.cur.br_after = true;
                        }
                        b.flush(headings.last().copied().unwrap_or(0));
                    }
                    let link = name == "a";
                    if link && b.after_link {
                        b.pending_space = true;
                    }
                    // Hidden elements count as boilerplate rather than being skipped: pages
                    // such as WeChat's hide the whole article until a script reveals it, and
                    // the majority rule in `mark_boilerplate` keeps such a page readable.
                    let attrs = HintAttrs::of(el);
                    let Hints {
                        hint,
                        thread,
                        comment,
                    } = if hidden(&attrs) {
                        Hints {
                            hint: -1,
                            ..Hints::default()
                        }
                    } else {
                        hint_of(name, &attrs)
                    };
                    thread_depth += usize::from(thread);
                    let mark = if author.is_none() && thread_depth == 0 {
                        author_marker(&attrs)
                    } else {
                        AuthorMark::None
                    };
                    let author_start = mark != AuthorMark::None;
                    if author_start {
                        author = Some((b.blocks.len(), String::new()));
                        author_card = mark == AuthorMark::Card;
                    }
                    let parent = stack.last().map_or(usize::MAX, |f| f.el);
                    els.push(El {
                        parent,
                        start: b.blocks.len(),
                        end: b.blocks.len(),
                        hint,
                        block_level: is_block,
                        comment,
                    });
                    let frame = Frame {
                        el: els.len() - 1,
                        link,
                        pre: name == "pre",
                        neg: hint < 0,
                        br: name == "br",
                        heading,
                        thread,
                        author: author_start,
                    };
                    link_depth += usize::from(frame.link);
                    pre_depth += usize::from(frame.pre);
                    neg_depth += usize::from(frame.neg);
                    if heading > 0 {
                        headings.push(heading);
                    }
                    stack.push(frame);
                }
                Node::Text(text) if skip_depth == 0 => {
                    b.push_text(text, link_depth > 0, neg_depth > 0, pre_depth > 0);
                    if let Some((_, buf)) = &mut author {
                        // (A card's name is its first text.)
                        let full = author_card && !buf.trim().is_empty();
                        if buf.len() < 400 && !full {
                            buf.push_str(text);
                            buf.push(' ');
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if !node.value().is_element() {
                    continue;
                }
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let Some(frame) = stack.pop() else { continue };
                let is_block = els[frame.el].block_level;
                if is_block {
                    let level = headings.last().copied().unwrap_or(0);
                    let before = b.blocks.len();
                    b.flush(level);
                    if frame.heading == 1 && first_h1.is_none() && b.blocks.len() > before {
                        first_h1 = Some(before);
                    }
                }
                if frame.br {
                    b.cur.br_before = true;
                }
                if frame.link {
                    b.after_link = true;
                }
                if frame.heading > 0 {
                    headings.pop();
                }
                link_depth -= usize::from(frame.link);
                pre_depth -= usize::from(frame.pre);
                neg_depth -= usize::from(frame.neg);
                thread_depth -= usize::from(frame.thread);
                if frame.author {
                    if let Some((block, text)) = author.take() {
                        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !text.is_empty() && text.chars().count() <= 40 {
                            authors.push(AuthorText {
                                block,
                                text,
                                card: author_card,
                            });
                        }
                    }
                }
                els[frame.el].end = b.blocks.len();
            }
        }
    }
    b.flush(0);
    Flat {
        blocks: b.blocks,
        els,
        first_h1,
        authors,
    }
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

#[cfg(feature = "cli")] // for the explain page
/// One candidate container and its score, for the explain page ([`ranked_containers`]).
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

#[cfg(feature = "cli")] // for the explain page
/// The `top` best-scoring block-level elements, best first, each also as the set of blocks
/// it holds (an element and its only child holding the same blocks are listed once). The one
/// [`main_content`] picks is marked `chosen`. For the explain page: linear, and not on the
/// cleaning path.
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
mod tests {
    use super::*;

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
}
