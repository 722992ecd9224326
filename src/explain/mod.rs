//! The explain page: one record, everything the cleaner did to it, as a page a person reads.
//!
//! [`explain`] cleans the page with [`Cleaner::clean_explained`] (the article and how each
//! field was decided) and replays what the article does not keep: the decoded text, the
//! repair stage step by step ([`trace`]: every change as a before → after piece with its
//! kind) and, for HTML, the candidate containers with their scores. It then lines the
//! repaired text up with the article: each line's parts are body text or removed text of a
//! kind ([`Fate`]). [`page`] writes the result as one self-contained HTML file.
//!
//! None of this runs on the cleaning path: `clean` costs what it did.
//!
//! The tests at the end of this file show it on a two-line page (a tag line removed, pinyin
//! and punctuation repaired).

use crate::article::{Article, RemovedKind};
use crate::decode::{self, Hint};
use crate::error::Result;
use crate::extract::fields::FieldReport;
use crate::extract::html::{self, BlockReport};
use crate::pipeline::{Cleaner, InputMeta};

pub mod page;
pub mod pick;
pub mod trace;

pub use trace::Piece;

/// How many candidate containers an HTML page's explanation lists.
pub const CONTAINERS_SHOWN: usize = 8;

/// Everything the explain page shows of one record.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The cleaned article, as `clean` returns it.
    pub article: Article,
    /// How each field was decided.
    pub fields: FieldReport,
    /// HTML pages: the blocks and the candidate containers.
    pub blocks: Option<BlockReport>,
    /// HTML pages: how many of `article.removed` the HTML extractor removed (they come
    /// first); the rest were removed by the text stage from the lines below.
    pub removed_by_html: usize,
    /// The repair stage's input, line by line, with each line's repairs and fate.
    pub lines: Vec<Line>,
}

/// One line of the text the repair stage read (for HTML, the main content's paragraphs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's parts, in order: what became of each stretch of it.
    pub parts: Vec<Part>,
}

/// A stretch of a line and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Body text, removed text of a kind, or blank.
    pub fate: Fate,
    /// Its pieces, with their repairs.
    pub pieces: Vec<Piece>,
}

/// What became of a stretch of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Kept: in the article's body.
    Body,
    /// Removed, of this kind (in `article.removed`).
    Removed(RemovedKind),
    /// Whitespace, or an empty line: nothing to keep.
    Blank,
    /// Text the explanation could not line up with the article (a bug in the explanation,
    /// never in the article: shown, not hidden).
    Unmatched,
}

/// Cleans one page and explains it.
///
/// # Errors
/// As [`Cleaner::clean`]: the page could not be decoded.
pub fn explain(cleaner: &Cleaner, bytes: &[u8], meta: &InputMeta) -> Result<Explanation> {
    let (article, fields) = cleaner.clean_explained(bytes, meta)?;
    let decoded = decode::decode(
        bytes,
        &Hint {
            content_type: meta.content_type.as_deref(),
        },
    )?;
    let (text, blocks, removed_by_html) = if article.input.format.as_deref() == Some("html") {
        let (page, blocks) = html::extract_explained(&decoded.text, CONTAINERS_SHOWN);
        (
            page.content.paragraphs.join("\n"),
            Some(blocks),
            page.content.removed.len(),
        )
    } else {
        (decoded.text, None, 0)
    };
    let (_, steps) = cleaner.repairer().repair_traced(&text, decoded.encoding);
    let pieces = trace::pieces(&text, &steps);
    let lines = align(split_lines(pieces), &article, removed_by_html);
    Ok(Explanation {
        article,
        fields,
        blocks,
        removed_by_html,
        lines,
    })
}

/// The pieces cut at the repaired text's line breaks (a piece whose `after` spans lines is
/// cut too; its later parts keep its kinds, with an empty `before`).
fn split_lines(pieces: Vec<Piece>) -> Vec<Vec<Piece>> {
    let mut lines: Vec<Vec<Piece>> = vec![Vec::new()];
    for piece in pieces {
        if !piece.after.contains('\n') {
            if let Some(line) = lines.last_mut() {
                line.push(piece);
            }
            continue;
        }
        let parts: Vec<&str> = piece.after.split('\n').collect();
        for (i, after) in parts.iter().enumerate() {
            if i > 0 {
                lines.push(Vec::new());
            }
            // Unchanged text is the same before and after; a repair keeps its whole `before`
            // in its first line.
            let before = match (piece.is_repair(), i) {
                (false, _) => after,
                (true, 0) => piece.before.as_str(),
                (true, _) => "",
            };
            if after.is_empty() && !piece.is_repair() {
                continue;
            }
            if let Some(line) = lines.last_mut() {
                line.push(Piece {
                    before: before.to_string(),
                    after: (*after).to_string(),
                    kinds: piece.kinds.clone(),
                });
            }
        }
    }
    lines
}

/// Lines up the repaired lines with the article: each line is cut into parts that are, in
/// page order, the body's paragraphs and the text stage's removed lines (the extract stage's
/// contract: every non-empty line ends up in one or the other, or split between them).
fn align(lines: Vec<Vec<Piece>>, article: &Article, removed_by_html: usize) -> Vec<Line> {
    let mut body: std::collections::VecDeque<&str> =
        article.body.split('\n').filter(|p| !p.is_empty()).collect();
    let mut removed: std::collections::VecDeque<(RemovedKind, &str)> = article
        .removed
        .iter()
        .skip(removed_by_html)
        .flat_map(|r| r.text.split('\n').map(move |t| (r.kind, t.trim())))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    lines
        .into_iter()
        .map(|pieces| {
            let repaired: String = pieces.iter().map(|p| p.after.as_str()).collect();
            let cuts = cut(&repaired, &mut body, &mut removed);
            Line {
                parts: split_at_cuts(pieces, &cuts),
            }
        })
        .collect()
}

/// The parts of one repaired line as `(fate, end byte offset)`, taking body paragraphs and
/// removed lines off the fronts of their queues.
fn cut(
    line: &str,
    body: &mut std::collections::VecDeque<&str>,
    removed: &mut std::collections::VecDeque<(RemovedKind, &str)>,
) -> Vec<(Fate, usize)> {
    let mut cuts = Vec::new();
    let mut at = 0;
    let end = line.trim_end().len();
    while at < end {
        let rest = &line[at..end];
        let blank = rest.len() - rest.trim_start().len();
        if blank > 0 {
            at += blank;
            cuts.push((Fate::Blank, at));
            continue;
        }
        if let Some(p) = body.front().filter(|p| rest.starts_with(*p)) {
            at += p.len();
            cuts.push((Fate::Body, at));
            body.pop_front();
        } else if let Some(&(kind, r)) = removed.front().filter(|(_, r)| rest.starts_with(*r)) {
            at += r.len();
            cuts.push((Fate::Removed(kind), at));
            removed.pop_front();
        } else if let Some(taken) = body
            .front()
            .map(|p| common_prefix(rest, p))
            .filter(|&n| n > 0)
        {
            // The paragraph goes on after a removal inside the line (`北京商报讯（记者 …）5月20日`).
            at += taken;
            cuts.push((Fate::Body, at));
            if let Some(p) = body.front_mut() {
                *p = p[taken..].trim_start();
                if p.is_empty() {
                    body.pop_front();
                }
            }
        } else if let Some(i) = removed.iter().take(64).position(|(_, r)| *r == rest) {
            // Out of step (a line the text stage read otherwise): take the line where it is.
            let (kind, _) = removed[i];
            removed.drain(..=i);
            at = end;
            cuts.push((Fate::Removed(kind), at));
        } else {
            at = end;
            cuts.push((Fate::Unmatched, at));
        }
    }
    if line.len() > end || cuts.is_empty() {
        cuts.push((Fate::Blank, line.len()));
    }
    cuts
}

/// The pieces of a line grouped into parts at the cut offsets (of the repaired text). A
/// piece is cut where a cut falls inside its `after`; its `before` stays with its first part.
fn split_at_cuts(pieces: Vec<Piece>, cuts: &[(Fate, usize)]) -> Vec<Part> {
    let mut parts: Vec<Part> = cuts
        .iter()
        .map(|&(fate, _)| Part {
            fate,
            pieces: Vec::new(),
        })
        .collect();
    let mut part = 0;
    let mut offset = 0;
    for piece in pieces {
        let mut before = piece.before;
        let mut after = piece.after.as_str();
        loop {
            while part + 1 < cuts.len() && offset >= cuts[part].1 {
                part += 1;
            }
            let room = cuts[part].1.saturating_sub(offset);
            if after.len() <= room || part + 1 == cuts.len() {
                offset += after.len();
                parts[part].pieces.push(Piece {
                    before,
                    after: after.to_string(),
                    kinds: piece.kinds.clone(),
                });
                break;
            }
            let (head, tail) = after.split_at(floor_char_boundary(after, room));
            parts[part].pieces.push(Piece {
                before: std::mem::take(&mut before),
                after: head.to_string(),
                kinds: piece.kinds.clone(),
            });
            offset += head.len();
            after = tail;
            if head.is_empty() {
                part += 1;
            }
        }
    }
    // Neighbouring parts of the same fate (blank runs) read as one.
    parts.retain(|p| !p.pieces.is_empty());
    let mut merged: Vec<Part> = Vec::new();
    for p in parts {
        match merged.last_mut() {
            Some(last) if last.fate == p.fate && p.fate == Fate::Blank => {
                last.pieces.extend(p.pieces)
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// Bytes of the longest common prefix of `a` and `b`, at a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or_else(|| a.len().min(b.len()), |((i, _), _)| i)
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;

    const SEED: &[u8] = include_bytes!("../../fixtures/seed/000_f764d41b789eb620.txt");

    fn cleaner() -> Cleaner {
        Cleaner::new(Options {
            segment: false,
            ..Options::default()
        })
        .unwrap()
    }

    /// The text of every part of `fate`, in order.
    fn texts(explained: &Explanation, fate: Fate) -> Vec<String> {
        explained
            .lines
            .iter()
            .flat_map(|l| &l.parts)
            .filter(|p| p.fate == fate)
            .map(|p| p.pieces.iter().map(|x| x.after.as_str()).collect())
            .collect()
    }

    #[test]
    fn seed_lines_line_up_with_the_article() {
        let explained = explain(&cleaner(), SEED, &InputMeta::default()).unwrap();
        let article = &explained.article;
        assert_eq!(texts(&explained, Fate::Unmatched), Vec::<String>::new());
        assert_eq!(
            texts(&explained, Fate::Body).join("\n"),
            article.body,
            "body parts are the body"
        );
        assert_eq!(
            texts(&explained, Fate::Removed(RemovedKind::Byline)),
            ["（记者孙红丽）"]
        );
        assert_eq!(
            texts(&explained, Fate::Removed(RemovedKind::TagLine)),
            ["标签： 生活垃圾分类"]
        );
        assert_eq!(
            texts(&explained, Fate::Removed(RemovedKind::RelatedHeadlines)).len(),
            20
        );
        // Every line's before-texts are the decoded line.
        let before: Vec<String> = explained
            .lines
            .iter()
            .map(|l| {
                l.parts
                    .iter()
                    .flat_map(|p| &p.pieces)
                    .map(|p| p.before.as_str())
                    .collect()
            })
            .collect();
        let decoded = String::from_utf8(SEED.to_vec()).unwrap();
        assert_eq!(before.concat(), decoded.replace('\n', ""));
    }

    /// Every fixture we ship lines up: no unmatched text, the kept parts are the body, and
    /// every removed line of the text stage is shown with its kind.
    #[test]
    fn every_fixture_lines_up() {
        let cleaner = cleaner();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut seen = 0;
        for dir in ["seed", "html", "damaged", "encodings", "explain"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let Ok(explained) = explain(&cleaner, &bytes, &InputMeta::default()) else {
                    continue;
                };
                let name = path.display();
                assert_eq!(
                    texts(&explained, Fate::Unmatched),
                    Vec::<String>::new(),
                    "{name}"
                );
                assert_eq!(
                    texts(&explained, Fate::Body).join("\n"),
                    explained.article.body,
                    "{name}"
                );
                let shown: usize = explained
                    .lines
                    .iter()
                    .flat_map(|l| &l.parts)
                    .filter(|p| matches!(p.fate, Fate::Removed(_)))
                    .count();
                let removed: usize = explained.article.removed[explained.removed_by_html..]
                    .iter()
                    .map(|r| r.text.lines().filter(|l| !l.trim().is_empty()).count())
                    .sum();
                assert_eq!(shown, removed, "{name}");
                seen += 1;
            }
        }
        assert!(seen >= 25, "{seen}");
    }

    #[test]
    fn html_pages_list_containers_and_dom_removals() {
        let page = include_bytes!("../../fixtures/html/news_related_footer.html");
        let explained = explain(&cleaner(), page, &InputMeta::default()).unwrap();
        let blocks = explained.blocks.as_ref().unwrap();
        assert_eq!(blocks.containers.iter().filter(|c| c.chosen).count(), 1);
        assert!(blocks.containers[0].score >= blocks.containers[1].score);
        assert_eq!(texts(&explained, Fate::Unmatched), Vec::<String>::new());
        assert_eq!(
            texts(&explained, Fate::Body).join("\n"),
            explained.article.body
        );
    }
}

#[cfg(test)]
mod example {
    use super::*;
    use crate::pipeline::Options;

    #[test]
    fn a_tag_line_page_explained() {
        let cleaner = Cleaner::new(Options::default().segment(false)).unwrap();
        let page = "據(jù)悉,會議在北京舉行,討論了垃圾分類工作。\n標簽: 垃圾分類";
        let explained = explain(&cleaner, page.as_bytes(), &InputMeta::default()).unwrap();
        assert_eq!(explained.lines.len(), 2);
        let html = page::render(&explained);
        assert!(html.contains("标签行 (tag line)"));
    }
}
