//! Writing the HTML pages a person looks at: the explain page of one record
//! ([`crate::explain`]) and the run report ([`crate::report`]).
//!
//! Both pages are one self-contained file: inline CSS, no scripts, no external resources, so
//! they open offline and are safe to open. Every piece of page text goes through [`text`] or
//! [`attr`] (the `html-escape` crate, already a dependency); page HTML is never pasted in.
//! Labels are Chinese with the English in parentheses, always in that order ([`label`]).
//! Charts are inline SVG drawn by [`svg`]: a handful of bars and histogram columns need about a
//! hundred lines, where a plotting crate would bring a font and raster stack for nothing.

use std::fmt::Write as _;

pub mod svg;

/// `text` escaped for element content (`&`, `<`, `>`).
pub fn text(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// `text` escaped for a double-quoted attribute value.
pub fn attr(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// A bilingual label: `中文 (English)`, the one order both pages use.
pub fn label(zh: &str, en: &str) -> String {
    format!("{zh} ({en})")
}

/// The label of a removed kind (`byline` → `署名 (byline)`).
pub fn removed_label(kind: &str) -> String {
    let zh = match kind {
        "disclaimer" => "免责声明",
        "related_headlines" => "相关标题",
        "tag_line" => "标签行",
        "byline" => "署名",
        "navigation" => "导航",
        "metadata" => "元数据",
        "title" => "标题",
        "site_template" => "站点模板",
        "comments" => "评论",
        _ => "其他",
    };
    label(zh, &kind.replace('_', " "))
}

/// The label of a repair kind, by its [`crate::article::Repairs`] field or
/// [`crate::repair::StepKind`] name.
pub fn repair_label(kind: &str) -> String {
    let zh = match kind {
        "pinyin" | "pinyin_annotations" => "拼音注音",
        "recovered" => "字节错位恢复",
        "mojibake" => "乱码重解码",
        "normalized" => "规范化",
        "garbled" => "乱码碎片",
        "dropped_chars" => "删除字符",
        "punctuation" => "标点",
        "to_simplified" => "繁→简",
        _ => "修复",
    };
    let en = match kind {
        "pinyin" | "pinyin_annotations" => "pinyin annotation",
        "recovered" => "byte-shift recovery",
        "mojibake" => "mojibake re-decoded",
        "garbled" => "garbled debris",
        "dropped_chars" => "dropped characters",
        "to_simplified" => "traditional → simplified",
        other => other,
    };
    label(zh, en)
}

/// Each count of `repairs` by its JSON name, in the order of [`crate::article::Repairs`].
pub fn repair_counts(repairs: &crate::article::Repairs) -> [(&'static str, usize); 7] {
    let r = repairs;
    [
        ("pinyin_annotations", r.pinyin_annotations),
        ("to_simplified", r.to_simplified),
        ("punctuation", r.punctuation),
        ("garbled", r.garbled),
        ("dropped_chars", r.dropped_chars),
        ("recovered", r.recovered),
        ("mojibake", r.mojibake),
    ]
}

/// The page shell: `<!DOCTYPE html>`, the shared style sheet and `title`, then `body` as given
/// (already escaped by the caller).
pub fn page(title: &str, extra_css: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{}</title>\n<style>\n{CSS}{extra_css}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        text(title)
    );
    out
}

/// A column of [`table_head`]: its label, and whether it holds numbers (right-aligned).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    zh: &'static str,
    en: &'static str,
    numeric: bool,
}

/// A text column labelled `zh (en)` (just `zh` when `en` is empty).
pub const fn col(zh: &'static str, en: &'static str) -> Column {
    Column {
        zh,
        en,
        numeric: false,
    }
}

/// A numeric column labelled `zh (en)`.
pub const fn num(zh: &'static str, en: &'static str) -> Column {
    Column {
        zh,
        en,
        numeric: true,
    }
}

/// `<table ATTRS>` and its header row; `attrs` is markup of ours (e.g. `class="blocks"`).
pub fn table_head(attrs: &str, columns: &[Column]) -> String {
    let mut out = format!("<table {attrs}><tr>");
    for c in columns {
        let name = if c.en.is_empty() {
            c.zh.to_string()
        } else {
            label(c.zh, c.en)
        };
        let class = if c.numeric { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", text(&name));
    }
    out.push_str("</tr>\n");
    out
}

/// A two-column table of `(label, value)` rows; values already escaped.
pub fn key_values(rows: &[(String, String)]) -> String {
    let mut out = String::from("<table class=\"kv\">\n");
    for (key, value) in rows {
        let _ = writeln!(out, "<tr><th>{}</th><td>{value}</td></tr>", text(key));
    }
    out.push_str("</table>\n");
    out
}

/// The style sheet both pages share.
const CSS: &str = r#"
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  margin: 0 auto; max-width: 1100px; padding: 1em 1.5em; color: #1d1d1f; background: #fff; line-height: 1.6; }
h1 { font-size: 1.5em; margin: .2em 0 .6em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .5em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
table { border-collapse: collapse; margin: .3em 0 1em; }
th, td { border: 1px solid #ddd; padding: .2em .6em; text-align: left; vertical-align: top; }
th { background: #f5f5f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { width: 16em; }
.muted { color: #6e6e73; font-size: .9em; }
code, .mono { font-family: "Noto Sans Mono CJK SC", monospace; font-size: .92em; }
.grid { display: flex; flex-wrap: wrap; gap: 0 2em; }
.grid > div { flex: 1 1 320px; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_is_escaped() {
        assert_eq!(
            text("<script>alert(1)</script>&"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&amp;"
        );
        assert_eq!(
            attr("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
    }

    #[test]
    fn labels_are_chinese_then_english() {
        assert_eq!(removed_label("tag_line"), "标签行 (tag line)");
        assert_eq!(repair_label("pinyin"), "拼音注音 (pinyin annotation)");
        assert_eq!(
            repair_label("to_simplified"),
            "繁→简 (traditional → simplified)"
        );
    }
}
