//! What an element says about itself: its tag, class, id, `itemprop` and style, read as an
//! article-like or boilerplate hint ([`hint`]), as a comment thread or feed, as hidden, or as
//! an author element (a byline's box, a link to an author's page).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use scraper::node::Element;

/// The attributes the hints read, found in one pass over the element's attributes (each
/// `Element::attr` call interns its argument and binary-searches; six of them per element
/// showed up in profiles). Only attributes without a namespace count, as with `attr`.
#[derive(Default)]
pub(super) struct HintAttrs<'a> {
    pub(super) hidden: bool,
    pub(super) style: Option<&'a str>,
    pub(super) class: Option<&'a str>,
    pub(super) id: Option<&'a str>,
    pub(super) itemprop: Option<&'a str>,
    pub(super) role: Option<&'a str>,
    pub(super) rel: Option<&'a str>,
    pub(super) href: Option<&'a str>,
}

impl<'a> HintAttrs<'a> {
    pub(super) fn of(el: &'a Element) -> Self {
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

pub(super) fn hidden(attrs: &HintAttrs) -> bool {
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
pub(super) const THREAD_SUB: &[&str] = &[
    "comment",
    "cmmt",
    "pinglun",
    "discuss",
    "feed",
    "recommend",
    "related",
];

pub(super) const COMMENT_SUB_WORDS: usize = 4;

/// Whole class/id tokens naming a comment thread.
pub(super) const COMMENT_TOKEN: &[&str] = &["cmt", "reply", "replies", "tie"];

/// What the class/id/tag of an element says.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hints {
    /// `> 0` article-like, `< 0` boilerplate, `0` neither (see [`hint`]).
    pub(super) hint: i8,
    /// A comment thread or a feed of other items.
    pub(super) thread: bool,
    /// A comment thread.
    pub(super) comment: bool,
}

/// [`hint`], and whether the element holds a comment thread or a feed (see [`THREAD_SUB`]).
///
/// Most of its 120 lines are the four word lists, kept beside the code that matches them.
pub(super) fn hint_of(name: &str, attrs: &HintAttrs) -> Hints {
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
pub(super) fn author_marker(attrs: &HintAttrs) -> AuthorMark {
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
pub(super) enum AuthorMark {
    None,
    /// The element's text is the credit.
    Element,
    /// A publisher's card (`user-info`, `author-info`: avatar, name, follow button, counts):
    /// its first text is the name.
    Card,
}

pub(super) fn author_element(attrs: &HintAttrs) -> bool {
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
pub(super) fn words_inside_tokens(
    words: &AhoCorasick,
    first_neg: usize,
    value: &str,
) -> (bool, bool) {
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
