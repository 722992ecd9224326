//! Input-format sniffing: is this decoded page HTML or already-extracted text?
//!
//! A page is HTML when it opens like a document (`<!DOCTYPE html`, `<html`, `<head`, `<body`,
//! `<meta`, an XML declaration or a comment followed by one of those), when it has an
//! `<html`/`<head`/`<body` tag in its first 8 KiB, or when known HTML tags are dense in it
//! (at least 8 of them and at least one per 400 bytes). Anything else is text, so a text dump
//! quoting one `<br>` or a stray `<b>` stays text.
//!
//! ```
//! use zhclean::internals::extract::html::{sniff, Format};
//! assert_eq!(sniff("<!doctype html><title>x</title>"), Format::Html);
//! assert_eq!(sniff("据悉，<b>生活垃圾</b>分类工作取得进展。"), Format::Text);
//! ```

use std::sync::LazyLock;

use regex::Regex;

/// What kind of input a page is. `Auto` decides from the content (doctype, `<html>`/`<body>`,
/// tag density).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Decide from the content (the default).
    #[default]
    Auto,
    /// An HTML document: main content is found in the DOM first.
    Html,
    /// Already-extracted text: paragraphs separated by newlines.
    Text,
}

impl Format {
    /// Every format, in the order the CLI's help lists them.
    pub const ALL: [Format; 3] = [Format::Auto, Format::Html, Format::Text];

    /// The lowercase name used in JSON (`input.format`) and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

/// Parses the names [`Format::as_str`] gives; the one parser of `--format` and Python's
/// `format=`.
///
/// ```
/// use zhclean::Format;
/// assert_eq!("html".parse::<Format>().unwrap(), Format::Html);
/// assert_eq!(
///     "xml".parse::<Format>().unwrap_err().to_string(),
///     r#"invalid option: format must be "auto", "html" or "text", not "xml""#
/// );
/// ```
impl std::str::FromStr for Format {
    type Err = crate::error::Error;

    fn from_str(name: &str) -> Result<Format, Self::Err> {
        crate::error::parse_choice("format", &Format::ALL, Format::as_str, name)
    }
}

/// How far into the page document-level tags are looked for.
const HEAD_SCAN_BYTES: usize = 8192;
/// How far into the page tag density is measured.
const DENSITY_SCAN_BYTES: usize = 65536;

/// Decides whether `text` (already decoded) is HTML or text. Never returns [`Format::Auto`].
pub fn sniff(text: &str) -> Format {
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]")
            .expect("static regex")
    });
    static DOC_TAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)<(?:html|head|body)[\s>]").expect("static regex"));
    static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)</?(?:p|div|br|a|span|table|tr|td|li|ul|h[1-6]|img|script|style|meta|link|section|article|strong|font)[\s>/]")
            .expect("static regex")
    });
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let head = prefix(trimmed, HEAD_SCAN_BYTES);
    if OPENING.is_match(prefix(trimmed, 2048)) || DOC_TAG.is_match(head) {
        return Format::Html;
    }
    let sample = prefix(trimmed, DENSITY_SCAN_BYTES);
    let tags = ANY_TAG.find_iter(sample).count();
    if tags >= 8 && tags * 400 >= sample.len() {
        Format::Html
    } else {
        Format::Text
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_html() {
        for page in [
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\"><html>",
            "\u{feff}  <html lang=zh><body>正文</body></html>",
            "<?xml version=\"1.0\"?>\n<!-- saved -->\n<html>",
            "<meta charset=gbk><p>正文</p>",
            "网页快照\n<div>a</div>\n<body><p>正文</p></body>",
        ] {
            assert_eq!(sniff(page), Format::Html, "{page}");
        }
    }

    #[test]
    fn fragments_with_dense_tags_are_html() {
        let fragment = "<div class=a><p>第一段。</p><p>第二段。</p><br><p>第三段。</p><a href=x>链接</a><span>注</span></div>";
        assert_eq!(sniff(fragment), Format::Html);
    }

    #[test]
    fn text_with_a_few_tags_stays_text() {
        let text = format!(
            "{}<br>\n<b>记者</b> 张三\n",
            "标题\n据悉，工作取得进展。\n".repeat(20)
        );
        assert_eq!(sniff(&text), Format::Text);
        assert_eq!(sniff("1 < 2 且 3 > 2。"), Format::Text);
        assert_eq!(sniff(&"长文本".repeat(5000)), Format::Text);
    }
}
