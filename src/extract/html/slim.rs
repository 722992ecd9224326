//! Slimming: a linear pre-scan that removes from a page what the parser would spend most of
//! its time on and the extractor never reads, before the page is parsed.
//!
//! html5ever's tokenizer walks tags and attribute values one character at a time (with
//! character references resolved in every URL), and about half the bytes of a news page are
//! tag markup, a third script and style bodies. The extractor reads only a few attributes
//! (class/id hints, hiding styles, `<meta>`/`<link>`/`<time>` metadata, and the ones the tree
//! builder itself looks at, such as `type` on `<input>`; see [`kept_attribute`]) and never the text of `<script>` or
//! `<style>`. [`slim`] drops the other attributes from start tags and empties `<script>` and
//! `<style>` elements (JSON-LD scripts are kept), and collapses runs of ASCII whitespace in
//! text to one character (a newline when the run has one), so the element tree html5ever
//! builds is the same and the extractor's blocks are identical, with less to tokenize.
//!
//! The scan follows the HTML tokenizer's rules for where tags, comments and raw-text
//! elements begin and end, parse errors included (`<img alt="a" b""="" src=x>`). Where its
//! reading could differ from the tokenizer's, it keeps the input as is: after a tag with a NUL
//! or an unterminated quote, and after `<plaintext>`, the rest of the page is copied
//! unchanged; a script that contains `<!--` (which can change where it ends) is not
//! emptied. Comments are dropped (nothing reads them). End tags and the contents of other
//! raw-text elements (`<title>`, `<textarea>`, `<noscript>`, …) are copied byte for byte. Hand-written because
//! html5ever has no option to skip attributes or raw text, and a second tokenizer crate would
//! tokenize everything again.
//!
//! ```
//! use zhclean::internals::extract::html::slim::slim;
//! let page = r#"<div class="c" onclick="go()"><a href="/x?a=1&amp;b=2" rel="tag">标签</a></div><script>var a = "<div>";</script>"#;
//! assert_eq!(slim(page), r#"<div class="c"><a rel="tag">标签</a></div><script></script>"#);
//! assert_eq!(slim("<p>甲\n    乙  丙</p>\n\n<pre> a\n\n b</pre>"), "<p>甲\n乙 丙</p>\n<pre> a\nb</pre>");
//! assert_eq!(slim("<p>甲<!-- 广告 -->乙</p>"), "<p>甲乙</p>");
//! ```

use std::borrow::Cow;

use memchr::{memchr, memmem};

use super::content::style_hides;
use super::depth::counted;

/// Whether the attribute `attr` (lowercase ASCII compared) of a `tag` element is kept: what
/// `content` and `meta` read (class/id/role/itemprop hints on every element, `style` where it
/// hides the element, `<meta>` names and contents, `rel` of links, `href` of `<link>`,
/// `<time datetime>`), and what html5ever's tree builder looks at (`type` of `<input>`,
/// `encoding` of `<annotation-xml>`, `color`/`face`/`size` of `<font>` in foreign content),
/// and the `href` of a link to an author's page (`…/author/…`: an author element).
/// A `style` with a character reference is kept (its decoded value is unknown here).
pub fn kept_attribute(tag: &str, attr: &str, value: &str) -> bool {
    let is = |s: &str| attr.eq_ignore_ascii_case(s);
    let on = |s: &str| tag.eq_ignore_ascii_case(s);
    match attr.len() {
        2 if is("id") => true,
        5 if is("class") => true,
        4 if is("role") => true,
        6 if is("hidden") => true,
        8 if is("itemprop") => true,
        5 if is("style") => value.contains('&') || style_hides(value),
        4 | 7 | 8 | 10 if is("name") || is("content") || is("property") || is("http-equiv") => {
            on("meta")
        }
        7 if is("charset") => on("meta"),
        3 if is("rel") => on("a") || on("link"),
        4 if is("href") => on("link") || (on("a") && super::content::author_page(value)),
        8 | 7 if is("datetime") || is("pubdate") => on("time"),
        4 if is("type") => on("input") || on("script"),
        8 if is("encoding") => on("annotation-xml"),
        5 | 4 if is("color") || is("face") || is("size") => on("font"),
        _ => false,
    }
}

/// Raw-text elements whose contents are copied unchanged (the scan jumps to their end tag).
const RAW_TEXT: &[&str] = &[
    "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// `text` without unread attributes and script/style bodies, and with runs of ASCII
/// whitespace in text collapsed to one character (see the module doc).
#[cfg(any(test, feature = "internals"))]
pub fn slim(text: &str) -> Cow<'_, str> {
    slim_and_depth(text).0
}

/// [`slim`], and an estimate of the deepest element nesting, counted as
/// [`depth::limit_nesting`](super::depth::limit_nesting) counts it (`usize::MAX` when the
/// scan stopped early), so that shallow pages need no second scan.
///
/// One byte scan of about 150 lines whose cases (comments, declarations, end tags, start
/// tags, raw-text elements, the text between) share the output and the nesting count; a start tag's own states are
/// in `parse_start_tag`.
pub fn slim_and_depth(text: &str) -> (Cow<'_, str>, usize) {
    let bytes = text.as_bytes();
    let mut out = Out {
        text,
        s: String::with_capacity(text.len() / 2),
        copied: 0,
    };
    let mut i = 0;
    let mut bailed = false;
    let (mut depth, mut deepest) = (0usize, 0usize);
    // One attribute list reused for every tag.
    let mut attrs = Vec::new();
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            // A comment ends at `-->` (also `<!-->` and `<!--->`, which are empty). Nothing
            // reads comments: they are dropped (the text around them is written as if it
            // ran on, which is how the extractor joins adjacent text nodes anyway).
            let body = lt + 4;
            let end = if bytes[body..].starts_with(b">") {
                body + 1
            } else if bytes[body..].starts_with(b"->") {
                body + 2
            } else {
                memmem::find(&bytes[body..], b"-->").map_or(bytes.len(), |e| body + e + 3)
            };
            out.text_to(lt);
            out.skip_to(end);
            i = end;
            continue;
        }
        let markup_end = if matches!(rest.first(), Some(b'!' | b'?')) {
            Some(memchr(b'>', rest).map_or(bytes.len(), |e| lt + 1 + e + 1))
        } else if rest.first() == Some(&b'/') && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            // End tags are copied; their attributes (rare) are ignored by the parser anyway.
            let name_end = rest[1..]
                .iter()
                .position(|&b| is_space(b) || b == b'/' || b == b'>')
                .map_or(bytes.len(), |p| lt + 2 + p);
            if counted(&text[lt + 2..name_end]) {
                depth = depth.saturating_sub(1);
            }
            Some(memchr(b'>', rest).map_or(bytes.len(), |e| lt + 1 + e + 1))
        } else {
            None
        };
        if let Some(end) = markup_end {
            out.text_to(lt);
            out.verbatim_to(end);
            i = end;
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let Some(tag) = parse_start_tag(bytes, lt, &mut attrs) else {
            // Not parsed cleanly: leave the rest of the page to the parser as it is.
            out.text_to(lt);
            bailed = true;
            break;
        };
        let name = &text[lt + 1..tag.name_end];
        if name.eq_ignore_ascii_case("plaintext") {
            out.text_to(lt);
            bailed = true;
            break;
        }
        out.text_to(lt);
        if !tag.self_closing && counted(name) {
            depth += 1;
            deepest = deepest.max(depth);
        }
        let keep =
            |a: &Attr| kept_attribute(name, &text[a.name.0..a.name.1], &text[a.value.0..a.value.1]);
        if tag.attrs.iter().all(keep) {
            out.verbatim_to(tag.end);
        } else {
            out.s.push('<');
            out.s.push_str(name);
            for a in tag.attrs.iter().filter(|a| keep(a)) {
                out.s.push(' ');
                out.s.push_str(&text[a.name.0..a.end]);
            }
            if tag.self_closing {
                out.s.push('/');
            }
            out.s.push('>');
            out.copied = tag.end;
        }
        i = tag.end;
        // (`<script/>` and `<title/>` still open raw text: HTML ignores the `/` on them.)
        let script = name.eq_ignore_ascii_case("script");
        if script || name.eq_ignore_ascii_case("style") {
            let close = find_end_tag(bytes, i, name.as_bytes()).unwrap_or(bytes.len());
            let body = &bytes[i..close];
            let json_ld = script
                && tag.attrs.iter().any(|a| {
                    text[a.name.0..a.name.1].eq_ignore_ascii_case("type")
                        && text[a.name.1..a.end]
                            .to_ascii_lowercase()
                            .contains("ld+json")
                });
            let escaped = script && memmem::find(body, b"<!--").is_some();
            if json_ld || escaped {
                out.verbatim_to(close);
            } else {
                out.copied = close;
            }
            i = close;
        } else if RAW_TEXT.iter().any(|r| name.eq_ignore_ascii_case(r)) {
            match find_end_tag(bytes, i, name.as_bytes()) {
                Some(end) => {
                    i = end;
                    out.verbatim_to(i);
                }
                // An unclosed `<title>`: the HTML algorithm reads the rest of the page as the
                // title's text (a browser shows a blank page with a 60 000-character title).
                // A cleaner wants the page: the title ends where the next tag begins.
                None if name.eq_ignore_ascii_case("title") => {
                    let end = (i..bytes.len())
                        .find(|&j| {
                            bytes[j] == b'<'
                                && bytes
                                    .get(j + 1)
                                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
                        })
                        .unwrap_or(bytes.len());
                    out.verbatim_to(end);
                    out.s.push_str("</title>");
                    i = end;
                }
                None => {
                    i = bytes.len();
                    out.verbatim_to(i);
                }
            }
        }
    }
    if bailed {
        deepest = usize::MAX;
    } else {
        out.text_to(bytes.len());
    }
    out.verbatim_to(bytes.len());
    (Cow::Owned(out.s), deepest)
}

/// The slimmed page being written: `text[..copied]` is done.
struct Out<'a> {
    text: &'a str,
    s: String,
    copied: usize,
}

impl Out<'_> {
    /// Leaves `text[copied..to]` out.
    fn skip_to(&mut self, to: usize) {
        self.copied = self.copied.max(to);
    }

    /// Copies `text[copied..to]` unchanged.
    fn verbatim_to(&mut self, to: usize) {
        if to > self.copied {
            self.s.push_str(&self.text[self.copied..to]);
            self.copied = to;
        }
    }

    /// Copies the text `text[copied..to]` with each run of ASCII whitespace collapsed to one
    /// character (a newline if the run holds one): html5ever builds the same elements and the
    /// extractor collapses whitespace itself, but runs of indentation cost the tokenizer
    /// per line.
    fn text_to(&mut self, to: usize) {
        if to <= self.copied {
            return;
        }
        let piece = &self.text.as_bytes()[self.copied..to];
        let mut run_from = 0;
        let mut k = 0;
        while k < piece.len() {
            if !is_space(piece[k]) {
                k += 1;
                continue;
            }
            let mut end = k + 1;
            while end < piece.len() && is_space(piece[end]) {
                end += 1;
            }
            if end - k > 1 {
                self.s
                    .push_str(&self.text[self.copied + run_from..self.copied + k]);
                let newline = piece[k..end].iter().any(|&b| b == b'\n' || b == b'\r');
                self.s.push(if newline { '\n' } else { ' ' });
                run_from = end;
            }
            k = end;
        }
        self.s.push_str(&self.text[self.copied + run_from..to]);
        self.copied = to;
    }
}

/// A start tag as the tokenizer reads it.
struct StartTag<'a> {
    /// End of the tag name.
    name_end: usize,
    attrs: &'a [Attr],
    self_closing: bool,
    /// Just past the `>`.
    end: usize,
}

/// One attribute: its name's and value's byte ranges (the value without quotes; empty when
/// there is none) and the end of the attribute.
struct Attr {
    name: (usize, usize),
    value: (usize, usize),
    end: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Reads the start tag at `lt` (`<` followed by an ASCII letter) following the tokenizer's
/// tag and attribute states, parse errors included (a quote or `<` inside a name, a missing
/// value); `None` on a NUL or the end of input inside the tag. About 90 lines: the
/// tokenizer's tag states, one after the other, as the HTML standard lists them.
fn parse_start_tag<'a>(bytes: &[u8], lt: usize, attrs: &'a mut Vec<Attr>) -> Option<StartTag<'a>> {
    let n = bytes.len();
    let mut i = lt + 1;
    while i < n && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        if bytes[i] == 0 {
            return None;
        }
        i += 1;
    }
    let name_end = i;
    attrs.clear();
    loop {
        while i < n && (is_space(bytes[i]) || bytes[i] == b'/') {
            if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'>') {
                return Some(StartTag {
                    name_end,
                    attrs,
                    self_closing: true,
                    end: i + 2,
                });
            }
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                return Some(StartTag {
                    name_end,
                    attrs,
                    self_closing: false,
                    end: i + 1,
                })
            }
            0 => return None,
            _ => {}
        }
        // The attribute name state: quotes and `<` belong to the name (parse errors, as is a
        // leading `=`, which starts the name too).
        let start = i;
        i += 1;
        while i < n && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            if bytes[i] == 0 {
                return None;
            }
            i += 1;
        }
        let name = (start, i);
        let mut j = i;
        while j < n && is_space(bytes[j]) {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            attrs.push(Attr {
                name,
                value: (i, i),
                end: i,
            });
            i = j;
            continue;
        }
        j += 1;
        while j < n && is_space(bytes[j]) {
            j += 1;
        }
        let (value, end) = match bytes.get(j)? {
            &q @ (b'"' | b'\'') => {
                let close = memchr(q, &bytes[j + 1..])?;
                if memchr(0, &bytes[j + 1..j + 1 + close]).is_some() {
                    return None;
                }
                ((j + 1, j + 1 + close), j + 1 + close + 1)
            }
            // `<a x=>`: a missing value; the tag ends here, `x` is empty.
            b'>' => ((j, j), j),
            _ => {
                // Unquoted: quotes, `<`, `=` and backticks are parse errors kept in the value.
                let mut k = j;
                while k < n && !is_space(bytes[k]) && bytes[k] != b'>' {
                    if bytes[k] == 0 {
                        return None;
                    }
                    k += 1;
                }
                ((j, k), k)
            }
        };
        attrs.push(Attr { name, value, end });
        i = end;
        // After a quoted value the tokenizer wants a space, `/` or `>`; anything else starts
        // the next attribute without a space (a parse error with the same split).
    }
}

/// Start of the end tag `</name` (ASCII case-insensitive, followed by a space, `/` or `>`)
/// at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let after = lt + 2 + name.len();
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..after)
                .is_some_and(|s| s.eq_ignore_ascii_case(name))
            && bytes
                .get(after)
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
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
    use crate::extract::html::{content, markup};
    use scraper::Html;

    /// What the extractor sees of a page: its blocks and element ranges, and its metadata.
    fn extracted(page: &str) -> String {
        let html = Html::parse_document(page);
        let flat = content::flatten(&html);
        let h1 = flat.first_h1.map(|i| flat.blocks[i].text.clone());
        format!("{flat:?}\n{:?}", markup::read(&html, h1.as_deref()))
    }

    fn same_extraction(page: &str) {
        let slimmed = slim(page);
        assert_eq!(extracted(&slimmed), extracted(page), "{page}\n=> {slimmed}");
    }

    #[test]
    fn attributes_scripts_and_whitespace_go() {
        let page = "<html><head><meta charset=utf-8><meta property=\"og:title\" content=\"标题\">\
            <link rel=canonical href=\"https://x.cn/a\"><script src=a.js>var s = '<p>';</script>\
            <script type=\"application/ld+json\">{\"headline\": \"标题\"}</script>\
            <style>p { color: red }</style><title>标题 - 某网</title></head>\
            <body onload=\"f()\"><div id=main class=\"content\" data-x='1' style=\"display:none\">\n\n   \
            <a href=\"/x?a=1&b=2\" rel=\"tag\" target=_blank>标签</a>  正文</div></body></html>";
        assert_eq!(
            slim(page),
            "<html><head><meta charset=utf-8><meta property=\"og:title\" content=\"标题\">\
            <link rel=canonical href=\"https://x.cn/a\"><script></script>\
            <script type=\"application/ld+json\">{\"headline\": \"标题\"}</script>\
            <style></style><title>标题 - 某网</title></head>\
            <body><div id=main class=\"content\" style=\"display:none\">\n<a rel=\"tag\">标签</a> 正文</div></body></html>"
        );
        same_extraction(page);
    }

    #[test]
    fn malformed_tags_are_read_as_the_tokenizer_reads_them() {
        for page in [
            // Quotes and `<` inside attribute names, a leading `=`, a missing value.
            "<div><img alt=\"a\" b\"\"=\"\" src=x><p class=c x<y=1 =z>文字一</p><a x=>链接</a></div>",
            "<p style=\"{\" color\":\"red\"}\"=\"\" class=\"t\">文字二</p>",
            // Unquoted values with quotes and `=` in them; `/` between attributes.
            "<p class=a\"b id=c=d/title=x>文字三</p><br/><img/src=x/>",
            // Comments, bogus comments, doctype, processing instruction.
            "<!DOCTYPE html><!--> <p class=a onclick=x>甲</p><!---> <?xml x?><!-- <div> --><p>乙</p>",
            // Raw text: `<` inside scripts and titles, `</script` inside strings, escapes.
            "<title>a <b onclick=x> c</title><script>if (a<b) { s = '</scr' + 'ipt>'; }</script><p id=x>丙</p>",
            "<script><!-- document.write('<script>x</script>'); --></script><p>丁</p>",
            "<textarea onclick=x>  <p>  </textarea><noscript><p class=x onclick=y>戊</p></noscript>",
            // Whitespace in pre, tables, between inline elements.
            "<pre>\n\n  一  二\n\n\n三</pre><table>  \n  <tr> <td>  四  </td>\n</tr>\n</table>",
            "<p><a href=1>五</a>   <a href=2>六</a>\n\n<b>七</b></p>",
            // Unterminated things: the rest is left as it is.
            "<p class=\"x>八</p><div onclick=y>九</div>",
            // Hiding styles, also behind a character reference.
            "<div style=\"color:red\">一<p style='display : NONE'>二</p><p style=\"display&#x3a;none\">三</p></div>",
            "<p>十</p><plaintext><p class=x onclick=y>十一",
            "<div class=a",
            "<",
            "",
        ] {
            same_extraction(page);
        }
    }

    #[test]
    fn fixtures_extract_the_same() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/html");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures/html") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "html") {
                let bytes = std::fs::read(&path).expect("fixture");
                let text = crate::decode::decode(&bytes, &crate::decode::Hint::default())
                    .expect("decodes")
                    .text;
                same_extraction(&text);
                seen += 1;
            }
        }
        assert!(seen >= 5);
    }

    /// Every HTML page of `../shared/devset` (not in the repository: run with `--ignored`
    /// where it exists) extracts the same slimmed and unslimmed.
    #[test]
    #[ignore]
    fn devset_pages_extract_the_same() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/devset");
        let mut stack = vec![std::path::PathBuf::from(root)];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "html" || e == "htm") {
                    let bytes = std::fs::read(&path).expect("page");
                    if let Ok(decoded) =
                        crate::decode::decode(&bytes, &crate::decode::Hint::default())
                    {
                        same_extraction(&decoded.text);
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 0, "no pages under {root}");
        eprintln!("{seen} pages extract the same");
    }

    #[test]
    fn attributes_are_kept_where_they_are_read() {
        for (tag, attr, value, want) in [
            ("div", "class", "a", true),
            ("div", "ID", "a", true),
            ("section", "itemprop", "articleBody", true),
            ("div", "style", "color: red", false),
            ("div", "style", "DISPLAY: None", true),
            ("div", "style", "visibility:hidden", true),
            ("div", "style", "display&#58;none", true),
            ("meta", "content", "x", true),
            ("div", "content", "x", false),
            ("a", "name", "x", false),
            ("a", "rel", "tag", true),
            ("a", "href", "/x", false),
            ("link", "href", "/x", true),
            ("time", "datetime", "2024-01-01", true),
            ("span", "datetime", "2024-01-01", false),
            ("input", "type", "hidden", true),
            ("script", "type", "application/ld+json", true),
            ("font", "color", "red", true),
            ("img", "src", "x.png", false),
            ("div", "onclick", "f()", false),
        ] {
            assert_eq!(
                kept_attribute(tag, attr, value),
                want,
                "{tag} {attr}={value}"
            );
        }
    }

    #[test]
    fn depth_is_counted_like_the_nesting_cap() {
        let (_, deepest) = slim_and_depth("<div><div><p>a<span>b</span></div><br><img></div>");
        assert_eq!(deepest, 3);
        let (_, deepest) = slim_and_depth("<div>x<p class=\"unterminated>");
        assert_eq!(deepest, usize::MAX);
    }
}
