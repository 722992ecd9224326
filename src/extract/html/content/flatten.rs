//! The page flattened: one walk over the DOM into text blocks (with their counts and flags)
//! and the block range of every element ([`Flat`]).

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::hints::{author_marker, hidden, hint_of, AuthorMark, HintAttrs, Hints};
use super::{LINE_RUN_WEIGHT, SENTENCE_MIN_CHARS};

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
    pub(super) neg_chars: u32,
    /// The block is inside a comment thread that does not hold the article (set by
    /// [`super::mark_boilerplate`]): removed as `comments`.
    pub(super) in_comment: bool,
    /// 1–6 when the block is a heading `h1`–`h6`, else 0.
    pub heading: u8,
    /// Whether the block sits in a boilerplate-hinted element (set after the walk).
    pub boilerplate: bool,
    /// The block is a line of a run of `<br>`-separated lines (a poem, lyrics, an address
    /// list) long enough to count as text though its lines have no punctuation (set after the
    /// walk, see [`super::mark_line_runs`]).
    pub line_run: bool,
    /// A `<br>` ends the block / started it (links consecutive lines into runs).
    pub(super) br_after: bool,
    pub(super) br_before: bool,
}

impl Block {
    /// Most of the text is link text.
    pub fn link_dominated(&self) -> bool {
        self.link_chars * 2 > self.chars
    }

    /// A truncated summary of another page (`…`, `...`, `【详细】` at the end of a short
    /// block): counts against a container, but is left for the text stage to judge.
    pub(super) fn teaser(&self) -> bool {
        const ENDS: &[&str] = &["...", "…", "【详细】", "[详细]", "详细>>", "全文>>", ">>"];
        self.chars <= 160 && ENDS.iter().any(|e| self.text.ends_with(e))
    }

    /// Sentence-like article text.
    pub(super) fn sentence(&self) -> bool {
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
pub(super) struct El {
    pub(super) parent: usize,
    /// Blocks `start..end` lie inside the element.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) hint: i8,
    pub(super) block_level: bool,
    /// The element is a comment thread (see [`hint_of`]).
    pub(super) comment: bool,
}

/// The page flattened: blocks in page order and element ranges over them.
#[derive(Debug, Default)]
pub struct Flat {
    /// Text blocks in page order.
    pub blocks: Vec<Block>,
    pub(super) els: Vec<El>,
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
    pub(super) blocks: Vec<Block>,
    pub(super) cur: Block,
    pub(super) pending_space: bool,
    /// The last thing appended was the end of a link (adjacent links get a space between them,
    /// so tag clouds keep their words apart).
    pub(super) after_link: bool,
    /// The previous visible character.
    pub(super) prev: char,
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
///
/// One walk of the tree in about 180 lines: its open and close cases share the walk's state
/// (the stack of open elements, the block being built, the author element being read), each
/// case commented.
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
