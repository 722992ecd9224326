//! Nesting limit: a linear pre-scan that caps how deep a page's elements nest before it is
//! parsed.
//!
//! html5ever's tree builder rescans the stack of open elements on many start tags (e.g.
//! `close_p_element_in_button_scope`), so a page that nests 100 000 `<div>`s takes time
//! quadratic in the depth. Browsers cap the tree depth in a similar way. [`limit_nesting`]
//! estimates the depth with a tokenizer-light scan (start tags of non-void elements minus
//! end tags; comments, doctypes, raw-text contents such as `<script>`/`<style>`, void and
//! self-closed tags, and elements whose end tag is optional (`<p>`, `<li>`, `<td>`…) do not
//! count) and, only when it exceeds [`MAX_DEPTH`], drops the start and end tags beyond that
//! depth, keeping all text. Every other page is returned as is (borrowed, byte-identical):
//! the cost for normal pages is this one scan. Hand-written because no crate offers a
//! depth-limited HTML5 parse; html5ever has no such option.

use std::borrow::Cow;

/// Deepest element nesting passed to the parser (browsers cap theirs at a few hundred).
pub const MAX_DEPTH: usize = 512;

/// Elements that never have content (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be omitted: they close implicitly and cannot nest deeply on
/// their own (their containers `<ul>`, `<table>`… do count).
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "rt", "rp", "rb", "rtc", "html", "head", "body",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Whether a tag named `name` counts toward the nesting depth: not void, not with an
/// optional end tag, not raw text (raw-text elements open and close around their text: net
/// zero, and never dropped, as their content must not turn into visible text).
pub(crate) fn counted(name: &str) -> bool {
    // All listed names are 1–8 ASCII letters or digits: longer names count without a search.
    if name.len() > 8 {
        return true;
    }
    let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    !is(RAW_TEXT) && !is(VOID) && !is(OPTIONAL_END)
}

/// One token the scan cares about.
enum Tag {
    /// A start tag of a counted element.
    Open,
    /// An end tag of a counted element.
    Close,
    /// Anything else (text, comment, uncounted tag): copied as is.
    Other,
}

/// `text` with element nesting deeper than [`MAX_DEPTH`] flattened (tags beyond the limit
/// dropped, their text kept); borrowed and unchanged when the page is not that deep.
///
/// ```
/// use zhclean::internals::extract::html::depth::{limit_nesting, MAX_DEPTH};
/// let page = "<div><p>正文</div>";
/// assert_eq!(limit_nesting(page), page);
/// let deep = format!("{}正文{}", "<div>".repeat(MAX_DEPTH + 3), "</div>".repeat(MAX_DEPTH + 3));
/// let flat = limit_nesting(&deep);
/// assert_eq!(flat, format!("{}正文{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH)));
/// ```
pub fn limit_nesting(text: &str) -> Cow<'_, str> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    scan(text, |_, _, tag| {
        match tag {
            Tag::Open => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Tag::Close => depth = depth.saturating_sub(1),
            Tag::Other => {}
        }
        true
    });
    if deepest <= MAX_DEPTH {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    scan(text, |start, end, tag| {
        let keep = match tag {
            Tag::Open => {
                depth += 1;
                depth <= MAX_DEPTH
            }
            Tag::Close => {
                let keep = depth <= MAX_DEPTH;
                depth = depth.saturating_sub(1);
                keep
            }
            Tag::Other => true,
        };
        if keep {
            out.push_str(&text[start..end]);
        }
        true
    });
    Cow::Owned(out)
}

/// Walks `text` once, calling `visit(start, end, tag)` for consecutive pieces that cover it.
/// Piece boundaries are at ASCII bytes (`<`, `>`), so they are char boundaries.
fn scan(text: &str, mut visit: impl FnMut(usize, usize, Tag) -> bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let rest = &bytes[lt + 1..];
        // Comments, doctypes, processing instructions: skip to their end.
        if rest.starts_with(b"!--") {
            i = find(bytes, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            i = memchr(b'>', rest).map_or(bytes.len(), |e| lt + 1 + e + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |p| name_start + p);
        let name = &text[name_start..name_end];
        let (tag_end, self_closed) = tag_end(bytes, name_end);
        let raw = RAW_TEXT.iter().any(|n| n.eq_ignore_ascii_case(name));
        let counted = counted(name);
        let tag = match (closing, counted, self_closed) {
            (true, true, _) => Tag::Close,
            (false, true, false) => Tag::Open,
            _ => Tag::Other,
        };
        if !matches!(tag, Tag::Other) {
            if copied < lt {
                visit(copied, lt, Tag::Other);
            }
            visit(lt, tag_end, tag);
            copied = tag_end;
        }
        i = tag_end;
        // Raw text: skip to the matching end tag (which the next round sees as a tag).
        if !closing && !self_closed && raw {
            i = find_close_ci(bytes, i, name.as_bytes()).unwrap_or(bytes.len());
        }
    }
    if copied < bytes.len() {
        visit(copied, bytes.len(), Tag::Other);
    }
}

/// End of a tag whose name ends at `from` (just past its `>`), and whether it ends in `/>`.
/// Quotes count only as attribute values (right after `=`), as in the HTML tokenizer.
fn tag_end(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut i = from;
    let mut last = 0u8;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'>' => return (i + 1, last == b'/'),
            b'"' | b'\'' if last == b'=' => {
                i = memchr(b, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1);
                last = b;
                continue;
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
        i += 1;
    }
    (bytes.len(), false)
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    memchr::memchr(needle, haystack)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p)
}

/// Start of the next `</name` (ASCII case-insensitive) at or after `from`.
fn find_close_ci(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr(b'<', bytes.get(i..)?) {
        let lt = i + off;
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..lt + 2 + name.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(name))
        {
            return Some(lt);
        }
        i = lt + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_pages_are_borrowed_unchanged() {
        for page in [
            "<html><body><div class=\"a>b\"><p>一<p>二<br/><img src=x>文字</div></body></html>",
            "<ul><li>甲<li>乙</ul><table><tr><td>1<td>2</table>",
            "<script>if (a<b) { x = '<div>'.repeat(9999); }</script><!-- <div><div> -->",
            "a < b, c<d",
            "",
        ] {
            assert!(matches!(limit_nesting(page), Cow::Borrowed(_)), "{page}");
        }
        let many_paragraphs = "<p>段落".repeat(5 * MAX_DEPTH);
        assert!(matches!(limit_nesting(&many_paragraphs), Cow::Borrowed(_)));
        let at_limit = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH),
            "</div>".repeat(MAX_DEPTH)
        );
        assert!(matches!(limit_nesting(&at_limit), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_cut_at_the_limit_keeping_text() {
        let n = MAX_DEPTH + 100;
        let page = format!("{}正文{}", "<div><span>".repeat(n), "尾");
        let flat = limit_nesting(&page);
        assert_eq!(flat.matches('<').count(), MAX_DEPTH);
        assert!(
            flat.ends_with("<div><span>正文尾"),
            "{}",
            &flat[flat.len() - 40..]
        );
        let script = format!("{}<script>a<b</script>", "<div>".repeat(n));
        assert!(limit_nesting(&script).ends_with("<script>a<b</script>"));
    }
}
