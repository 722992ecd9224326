//! The explain page as HTML: header, HTML blocks, text with removals and repairs, fields.
//!
//! Markup the tests (and a reader's own scripts) can rely on:
//! - each line of text is a `div.line`; each stretch of it a `span.part`, with
//!   `data-removed="KIND"` when it was removed (`byline`, `tag_line`, …), `data-body` when
//!   kept;
//! - each repair is a `span.fix` with `data-repair="KIND …"` (the steps, e.g. `pinyin`,
//!   `recovered to_simplified`) holding `del` (before), `span.arrow` and `ins` (after);
//! - removals by the HTML extractor are `div.dom-removed` with `data-removed`.
//!
//! A checkbox at the top (CSS only, no script) hides the repaired text to show the original.

use std::fmt::Write as _;

use super::{Explanation, Fate, Part, Piece};
use crate::article::Article;
use crate::extract::fields::{Field, Verdict};
use crate::extract::html::BlockReport;
use crate::quality::Quality;
use crate::render::{
    self, attr, col, key_values, label, num, removed_label, repair_label, table_head, text,
};

/// Characters of a block's text shown in the blocks table.
const BLOCK_PREVIEW_CHARS: usize = 60;
/// Blocks listed at most (a page can have thousands).
const BLOCKS_SHOWN: usize = 400;
/// Paragraphs whose words are shown.
const WORD_PARAGRAPHS: usize = 3;

/// The explain page of `explained`, a complete HTML document.
pub fn render(explained: &Explanation) -> String {
    let article = &explained.article;
    let name = article
        .id
        .clone()
        .or_else(|| article.input.path.clone())
        .or_else(|| article.input.url.clone())
        .unwrap_or_else(|| "<stdin>".to_string());
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<h1>{} <span class=\"mono\">{}</span></h1>",
        text(&label("清洗说明", "explain")),
        text(&name)
    );
    header(&mut body, explained);
    if explained.blocks.is_some() {
        blocks(&mut body, explained);
    }
    lines(&mut body, explained);
    fields(&mut body, explained);
    render::page(&format!("zhclean explain: {name}"), CSS, &body)
}

/// The overview section: the input and the quality score beside the quality components and
/// the repair and removal counts, then the repaired spans and the first paragraphs' words.
fn header(out: &mut String, explained: &Explanation) {
    let article = &explained.article;
    let _ = writeln!(out, "<h2>{}</h2>", text(&label("概况", "overview")));
    let _ = write!(
        out,
        "<div class=\"grid\"><div>{}",
        key_values(&input_rows(article))
    );
    counts(
        out,
        &label("质量构成", "quality components"),
        &quality_rows(&article.quality),
    );
    out.push_str("</div><div>");
    let repair_rows: Vec<(String, String)> = render::repair_counts(&article.repairs)
        .iter()
        .map(|(kind, n)| (repair_label(kind), n.to_string()))
        .collect();
    counts(out, &label("修复计数", "repair counts"), &repair_rows);
    counts(
        out,
        &label("移除计数", "removed counts"),
        &removed_rows(article),
    );
    out.push_str("</div></div>");
    repaired_spans(out, article);
    words(out, article);
}

/// A heading and its table of counts.
fn counts(out: &mut String, heading: &str, rows: &[(String, String)]) {
    let _ = write!(out, "<h3>{}</h3>{}", text(heading), key_values(rows));
}

/// The overview's first table: where the record came from, how it was decoded, its score.
fn input_rows(article: &Article) -> Vec<(String, String)> {
    let input = &article.input;
    let evidence = input
        .charset_evidence
        .and_then(|e| serde_json::to_value(e).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (zh, en, value) in [
        ("记录", "record id", article.id.clone()),
        ("文件", "path", input.path.clone()),
        ("网址", "URL", input.url.clone()),
    ] {
        if let Some(value) = value {
            rows.push((label(zh, en), text(&value)));
        }
    }
    rows.push((
        label("编码", "encoding"),
        format!(
            "<b>{}</b> <span class=\"muted\">{} {}</span>",
            text(&input.encoding),
            text(&label("依据", "evidence")),
            text(&evidence)
        ),
    ));
    rows.push((
        label("格式", "format"),
        text(input.format.as_deref().unwrap_or("")),
    ));
    rows.push((label("字节", "bytes"), input.bytes.to_string()));
    rows.push((
        label("错误字节序列", "malformed"),
        input.malformed.to_string(),
    ));
    rows.push((
        label("质量", "quality"),
        format!("<b class=\"score\">{:.3}</b>", article.quality.score),
    ));
    rows
}

/// The parts of the quality score.
fn quality_rows(q: &Quality) -> Vec<(String, String)> {
    vec![
        (
            label("汉字比例", "han share"),
            format!("{:.3}", q.han_share),
        ),
        (
            label("生僻字比例", "rare share"),
            format!("{:.3}", q.rare_share),
        ),
        (label("残留乱码", "garbled"), q.garbled.to_string()),
        (
            label("段落平均字数", "avg paragraph chars"),
            format!("{:.1}", q.avg_paragraph_chars),
        ),
        (
            label("残留拼音", "pinyin remnants"),
            q.pinyin_remnants.to_string(),
        ),
        (label("残留乱码对", "mojibake"), q.mojibake.to_string()),
        (label("猜测字符", "guessed"), q.guessed.to_string()),
        (label("丢失字符", "lost"), q.lost.to_string()),
    ]
}

/// How many stretches of each kind were removed.
fn removed_rows(article: &Article) -> Vec<(String, String)> {
    let mut removed: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in &article.removed {
        *removed.entry(r.kind.as_str()).or_default() += 1;
    }
    removed
        .iter()
        .map(|(kind, n)| (removed_label(kind), n.to_string()))
        .collect()
}

/// The table of repaired spans (none when nothing was repaired).
fn repaired_spans(out: &mut String, article: &Article) {
    if article.repaired.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h3>{}</h3>",
        text(&label("修复片段", "repaired spans"))
    );
    out.push_str(&table_head(
        "class=\"spans\"",
        &[
            col("类型", "kind"),
            col("修复前", "before"),
            col("修复后", "after"),
            num("猜测", "guessed"),
            num("丢弃", "dropped"),
        ],
    ));
    for span in &article.repaired {
        let kind = serde_json::to_value(span.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr class=\"span\" data-span=\"{}\"><td>{}</td><td><del>{}</del></td><td><ins>{}</ins></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            attr(&kind),
            text(&kind),
            text(&span.before),
            text(&span.after),
            span.guessed,
            span.dropped
        );
    }
    out.push_str("</table>\n");
}

/// The words of the first paragraphs, and the keywords.
fn words(out: &mut String, article: &Article) {
    let _ = writeln!(
        out,
        "<h3>{}</h3>",
        text(&label("分词（前几段）", "words of the first paragraphs"))
    );
    if article.words.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>",
            text(&label("未分词", "not segmented"))
        );
    }
    for words in article.words.paragraphs().take(WORD_PARAGRAPHS) {
        out.push_str("<p class=\"words\">");
        for word in words {
            let _ = write!(out, "<span class=\"w\">{}</span>", text(word));
        }
        out.push_str("</p>\n");
    }
    if !article.keywords.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}: {}</p>",
            text(&label("关键词", "keywords")),
            text(&article.keywords.join("、"))
        );
    }
}

/// The main content section (HTML pages): the candidate containers, the text blocks, and
/// what the HTML extractor removed.
fn blocks(out: &mut String, explained: &Explanation) {
    let Some(report) = &explained.blocks else {
        return;
    };
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<p class=\"muted\">{}</p>",
        text(&label("正文容器", "main content")),
        text(&label(
            "得分 = 容器内文本块价值之和（句子 +字数，链接/模板 −），正向提示另加分；选最高者",
            "score = sum of the block values inside (sentences + chars, links/boilerplate −), plus a bonus for a positive hint; the best wins"
        ))
    );
    containers_table(out, report);
    blocks_table(out, report);
    dom_removed(out, explained);
}

/// The candidate containers, best first, the chosen one marked.
fn containers_table(out: &mut String, report: &BlockReport) {
    out.push_str(&table_head(
        "class=\"containers\"",
        &[
            num("#", ""),
            num("得分", "score"),
            col("文本块", "blocks"),
            num("字数", "chars"),
            num("链接比例", "link share"),
            col("开头", "starts with"),
        ],
    ));
    for (i, c) in report.containers.iter().enumerate() {
        let first = report
            .blocks
            .get(c.blocks.start)
            .map_or("", |b| b.text.as_str());
        let _ = writeln!(
            out,
            "<tr{}><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td>{}–{}{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{}</td></tr>",
            if c.chosen { " class=\"chosen\" data-chosen" } else { "" },
            i + 1,
            c.score,
            c.blocks.start,
            c.blocks.end,
            if c.chosen {
                format!(" <b>{}</b>", text(&label("选中", "chosen")))
            } else {
                String::new()
            },
            c.chars,
            f64::from(c.link_chars) / f64::from(c.chars.max(1)),
            text(&preview(first)),
        );
    }
    out.push_str("</table>\n");
}

/// All text blocks (the first [`BLOCKS_SHOWN`]), folded; those inside the chosen container
/// marked.
fn blocks_table(out: &mut String, report: &BlockReport) {
    let chosen = report.containers.iter().find(|c| c.chosen);
    let _ = writeln!(
        out,
        "<details><summary>{} ({})</summary>",
        text(&label("全部文本块", "all text blocks")),
        report.blocks.len(),
    );
    out.push_str(&table_head(
        "class=\"blocks\"",
        &[
            num("#", ""),
            num("价值", "value"),
            num("字数", "chars"),
            col("文本", "text"),
        ],
    ));
    for (i, block) in report.blocks.iter().enumerate().take(BLOCKS_SHOWN) {
        let inside = chosen.is_some_and(|c| c.blocks.contains(&i));
        let _ = writeln!(
            out,
            "<tr{}><td class=\"num\">{i}</td><td class=\"num\">{:.1}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            if inside { " class=\"inside\"" } else { "" },
            block.value(),
            block.chars,
            text(&preview(&block.text)),
        );
    }
    out.push_str("</table></details>\n");
}

/// What the HTML extractor removed before the text stage.
fn dom_removed(out: &mut String, explained: &Explanation) {
    let dom_removed = &explained.article.removed[..explained.removed_by_html];
    if !dom_removed.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>",
            text(&label("HTML 阶段移除", "removed by the HTML extractor"))
        );
        for removed in dom_removed {
            let kind = removed.kind.as_str();
            let _ = writeln!(
                out,
                "<div class=\"dom-removed k-{kind}\" data-removed=\"{kind}\"><span class=\"tag\">{}</span>{}</div>",
                text(&removed_label(kind)),
                text(&removed.text).replace('\n', "<br>"),
            );
        }
    }
}

fn preview(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(BLOCK_PREVIEW_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

fn lines(out: &mut String, explained: &Explanation) {
    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        text(&label("文本与修复", "text and repairs"))
    );
    out.push_str("<input type=\"checkbox\" id=\"original\">");
    let _ = writeln!(
        out,
        "<label for=\"original\">{}</label>",
        text(&label("只看原文", "show the original only"))
    );
    out.push_str("<p class=\"legend\">");
    let _ = write!(
        out,
        "<span class=\"part\" data-body>{}</span> ",
        text(&label("正文", "body"))
    );
    let mut kinds: Vec<&str> = explained
        .lines
        .iter()
        .flat_map(|l| &l.parts)
        .filter_map(|p| match p.fate {
            Fate::Removed(kind) => Some(kind.as_str()),
            _ => None,
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let _ = write!(
            out,
            "<span class=\"k-{kind}\">{}</span> ",
            text(&removed_label(kind))
        );
    }
    let _ = writeln!(
        out,
        "<span class=\"fix\"><del>{}</del><span class=\"arrow\">→</span><ins>{}</ins></span></p>",
        text(&label("修复前", "before")),
        text(&label("修复后", "after"))
    );
    out.push_str("<div class=\"text\">\n");
    for (n, line) in explained.lines.iter().enumerate() {
        let _ = write!(
            out,
            "<div class=\"line\"><span class=\"ln\">{}</span>",
            n + 1
        );
        for part in &line.parts {
            write_part(out, part);
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n");
}

fn write_part(out: &mut String, part: &Part) {
    match part.fate {
        Fate::Body => out.push_str("<span class=\"part\" data-body>"),
        Fate::Removed(kind) => {
            let kind = kind.as_str();
            let _ = write!(
                out,
                "<span class=\"part removed k-{kind}\" data-removed=\"{kind}\">"
            );
        }
        Fate::Blank => out.push_str("<span class=\"part blank\">"),
        Fate::Unmatched => out.push_str("<span class=\"part unmatched\" data-unmatched>"),
    }
    for piece in &part.pieces {
        write_piece(out, piece);
    }
    out.push_str("</span>");
    if let Fate::Removed(kind) = part.fate {
        let _ = write!(
            out,
            "<span class=\"tag\">{}</span>",
            text(&removed_label(kind.as_str()))
        );
    }
}

fn write_piece(out: &mut String, piece: &Piece) {
    if !piece.is_repair() {
        out.push_str(&text(&piece.before));
        return;
    }
    let kinds: Vec<&str> = piece.kinds.iter().map(|k| k.as_str()).collect();
    let title: Vec<String> = kinds.iter().map(|k| repair_label(k)).collect();
    let _ = write!(
        out,
        "<span class=\"fix\" data-repair=\"{}\" title=\"{}\"><del>{}</del><span class=\"arrow\">→</span><ins>{}</ins></span>",
        attr(&kinds.join(" ")),
        attr(&title.join(", ")),
        text(&piece.before).replace('\n', "↵"),
        text(&piece.after),
    );
}

fn fields(out: &mut String, explained: &Explanation) {
    let _ = writeln!(out, "<h2>{}</h2>", text(&label("字段", "fields")));
    let a = &explained.article;
    for field in Field::ALL {
        let value = match field {
            Field::Title => a.title.clone().unwrap_or_default(),
            Field::PublishedAt => a.published_at.clone().unwrap_or_default(),
            Field::Authors => a.authors.join("、"),
            Field::Source => a.source.clone().unwrap_or_default(),
            Field::Editor => a.editor.clone().unwrap_or_default(),
            Field::OriginalTitle => a.original_title.clone().unwrap_or_default(),
            Field::Tags => a.tags.join("、"),
        };
        let (zh, en) = field_label(field);
        let _ = writeln!(
            out,
            "<h3 data-field=\"{}\">{} = <span class=\"value\">{}</span></h3>",
            field.as_str(),
            text(&label(zh, en)),
            if value.is_empty() {
                "<span class=\"muted\">—</span>".to_string()
            } else {
                text(&value)
            }
        );
        let Some(decision) = explained.fields.decision(field) else {
            continue;
        };
        out.push_str(&table_head(
            "class=\"candidates\"",
            &[
                col("候选值", "candidate"),
                col("位置", "zone"),
                col("规则", "rule"),
                col("结论", "verdict"),
                col("依据", "evidence"),
            ],
        ));
        for judged in &decision.candidates {
            let c = &judged.candidate;
            let (class, verdict) = match judged.verdict {
                Verdict::Chosen => ("chosen", label("采用", "chosen")),
                Verdict::Outranked => ("lost", label("落选", "outranked")),
                Verdict::Duplicate => ("lost", label("重复", "duplicate")),
                Verdict::Rejected(why) => ("rejected", label("拒绝", &format!("rejected: {why}"))),
            };
            let _ = writeln!(
                out,
                "<tr class=\"{class}\"><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td class=\"evidence\">{}</td></tr>",
                text(&c.value),
                c.zone.as_str(),
                text(c.rule),
                text(&verdict),
                text(&preview(&c.evidence)),
            );
        }
        out.push_str("</table>\n");
    }
}

fn field_label(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Title => ("标题", "title"),
        Field::PublishedAt => ("发布时间", "published_at"),
        Field::Authors => ("作者", "authors"),
        Field::Source => ("来源", "source"),
        Field::Editor => ("编辑", "editor"),
        Field::OriginalTitle => ("原标题", "original_title"),
        Field::Tags => ("标签", "tags"),
    }
}

/// The explain page's own styles: kinds' colours, repairs, the original-only toggle.
const CSS: &str = r#"
.text { border: 1px solid #ddd; padding: .5em .8em; }
.line { padding: .15em 0; border-bottom: 1px dotted #eee; white-space: pre-wrap; word-break: break-all; }
.ln { display: inline-block; width: 2.6em; color: #aaa; font-size: .8em; user-select: none; }
.part.removed, .dom-removed { border-radius: 3px; padding: 0 .15em; }
.dom-removed { margin: .2em 0; padding: .2em .4em; }
.tag { font-size: .75em; color: #444; background: #fff; border: 1px solid #bbb; border-radius: 3px; padding: 0 .3em; margin: 0 .3em; white-space: nowrap; }
.unmatched { outline: 2px dashed #c00; }
.k-byline { background: #fde2e4; } .k-tag_line { background: #e2ecfd; } .k-disclaimer { background: #eee4fb; }
.k-related_headlines { background: #fff1c9; } .k-navigation { background: #d9f2e6; } .k-metadata { background: #dff3f7; }
.k-title { background: #ffe0c2; } .k-site_template { background: #e8e8e8; } .k-comments { background: #f9dcf0; }
.k-other { background: #ececec; }
.legend span { margin-right: .6em; padding: 0 .3em; }
.fix { background: #fff8d6; border-bottom: 1px solid #e0b400; }
.fix del { color: #b00020; background: #fde7ea; }
.fix ins { color: #05702a; text-decoration: none; background: #e3f6e8; }
.fix .arrow { color: #888; font-size: .7em; }
.fix[data-repair="to_simplified"], .fix[data-repair="punctuation"] { background: none; }
.fix[data-repair="to_simplified"] del, .fix[data-repair="punctuation"] del { font-size: .7em; vertical-align: super; background: none; }
.fix[data-repair~="pinyin"] del { font-size: .8em; }
#original:checked ~ .text .fix ins, #original:checked ~ .text .fix .arrow,
#original:checked ~ .text .tag { display: none; }
#original:checked ~ .text .fix, #original:checked ~ .text .fix del { background: none; color: inherit; text-decoration: none; border: 0; }
.words .w { display: inline-block; border: 1px solid #ccd; border-radius: 3px; padding: 0 .25em; margin: .1em; font-size: .92em; }
tr.chosen td { background: #e3f6e8; font-weight: 600; } tr.inside td { background: #f3faf5; }
tr.rejected td { color: #8a1c1c; } tr.lost td { color: #6e6e73; }
td.evidence { font-size: .85em; color: #444; }
details { margin: .5em 0; }
"#;
