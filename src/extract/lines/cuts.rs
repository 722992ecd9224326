//! Body lines with a piece to cut off: a byline or an editor's note at the head or the tail
//! of a paragraph ([`crate::extract::rules::CUT_RULES`]), cut off and recorded.

use super::*;

/// A piece cut off a body line: byte range in the line, what it is, and the text to parse.
#[derive(Clone, Copy)]
struct Cut<'a> {
    start: usize,
    end: usize,
    kind: CutKind,
    rule: &'static str,
    body: &'a str,
}

/// Emits a body line, cutting at most one piece off its head and one off its tail.
///
/// About 110 lines: the head cut, then the tail cut, each tried only where the prefilter
/// allows, its match found before its groups.
pub(super) fn body_line(
    rules: &CompiledRules,
    out: &mut Out,
    line: &str,
    possible: Possible,
    last: bool,
) {
    let mut head: Option<Cut> = None;
    let mut tail: Option<Cut> = None;
    // Only the cut rules whose literals the line holds are tried (`possible`, from the
    // prefilter: the brackets every cut piece opens and closes with are among them). A tail cut
    // also ends the line with a closing bracket (see the contract on `CUT_RULES`), which the
    // last character tells.
    let may_cut_tail = line.ends_with([')', '）', '】', ']']);
    for (rule, re) in rules.cuts(possible) {
        let (slot, possible) = match rule.at {
            CutAt::Head => (&mut head, true),
            CutAt::Tail => (&mut tail, may_cut_tail),
        };
        if slot.is_some() || !possible {
            continue;
        }
        // Find the match first, then its groups within it: a search for groups over the whole
        // line costs far more (for these patterns, a backtracker that clears its memory of
        // every position of the line), and most lines the prefilter lets through do not
        // match. Same groups: the match is the leftmost one, so the search for groups from its
        // start finds it again; and when it is a head cut (no `$`: see `CutRule::pattern`),
        // ending the haystack where the match ends leaves every way of matching that could
        // win as it was.
        let Some(m) = re.find(line) else { continue };
        let hay = match rule.at {
            CutAt::Head => line.get(..m.end()).unwrap_or(line),
            CutAt::Tail => line,
        };
        let Some(c) = re.captures_at(hay, m.start()) else {
            continue;
        };
        let (Some(cut), Some(body)) = (c.name("cut"), c.name("body")) else {
            continue;
        };
        // What stays in the body must not be empty: a whole-line byline is a line rule's job.
        let rest = match rule.at {
            CutAt::Head => line.get(cut.end()..),
            CutAt::Tail => line.get(..cut.start()),
        };
        if rest.is_none_or(|r| r.trim().is_empty()) {
            continue;
        }
        *slot = Some(Cut {
            start: cut.start(),
            end: cut.end(),
            kind: rule.kind,
            rule: rule.name,
            body: body.as_str(),
        });
    }
    // `…成色更足。（钟才文）`, `（王明 上海报道）`, `（经济日报评论员）` ending the article:
    // names without a role word, read in code rather than by a rule's regex (see
    // [`bare_names`]); only on the last paragraph, where such a credit stands.
    if tail.is_none() && last && line.ends_with(['）', ')']) {
        if let Some(open) = line.rfind(['（', '(']) {
            let inside = &line[open..];
            let body = inside
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')']);
            if body.chars().count() <= 24 && bare_names(body) {
                tail = Some(Cut {
                    start: open,
                    end: line.len(),
                    kind: CutKind::Byline,
                    rule: "byline_tail_bare",
                    body,
                });
            }
        }
    }
    // Overlapping cuts: keep only the tail one.
    if let (Some(h), Some(t)) = (head, tail) {
        if h.end > t.start {
            head = None;
        }
    }
    if head.is_none() && tail.is_none() {
        // A photo caption's credit (`… 新华社记者 李梦馨 摄`) stays in the caption; the
        // photographer is recorded.
        if line.ends_with(['摄', '攝']) {
            if let Some(m) = rules.caption_credit.find(line) {
                let names = values::parse_names(m.as_str());
                out.authors(names, "photo_credit");
            }
        }
        // Nearly every line: the paragraph is the line, trimmed and not empty already (one
        // copy, no scratch string).
        out.ex.paragraphs.push(line.to_string());
        return;
    }
    let (keep_to, para_end) = match tail {
        Some(t) => (t.start, t.start),
        None => (line.len(), line.len()),
    };
    let mut para = String::new();
    match head {
        Some(h) => {
            para.push_str(line.get(..h.start).unwrap_or(""));
            para.push_str(line.get(h.end..keep_to).unwrap_or(""));
        }
        None => para.push_str(line.get(..para_end).unwrap_or("")),
    }
    // Page order: a head cut is recorded before its paragraph, a tail cut after it.
    if let Some(h) = head {
        record_cut(rules, out, line, h);
    }
    out.paragraph(&para);
    if let Some(t) = tail {
        record_cut(rules, out, line, t);
    }
}

/// Whether the body of a role-less bracketed credit reads as one: up to four names of 2–4
/// Han characters, each starting with a common surname, separated by `、`, `，` or spaces,
/// optionally followed by a place and `报道` (`王明 上海报道`); or a commentator's credit
/// (`经济日报评论员`). A photo caption's credit (`刘满仓摄`) is not one: it stays in the
/// caption.
fn bare_names(body: &str) -> bool {
    let han = |t: &str| t.chars().all(crate::model::is_han);
    let body = body.trim();
    if body.ends_with("评论员") || body.ends_with("評論員") {
        return han(body) && body.chars().count() <= 12;
    }
    let mut tokens: Vec<&str> = body
        .split(|c: char| c.is_whitespace() || "、，,".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() > 1
        && tokens
            .last()
            .is_some_and(|t| t.ends_with("报道") || t.ends_with("報道"))
    {
        tokens.pop();
    }
    !tokens.is_empty()
        && tokens.len() <= 4
        && tokens.iter().all(|t| {
            han(t)
                && (2..=4).contains(&t.chars().count())
                && crate::extract::rules::starts_with_surname(t)
                && !t.ends_with(['摄', '攝'])
        })
}

fn record_cut(rules: &CompiledRules, out: &mut Out, line: &str, cut: Cut) {
    let text = line.get(cut.start..cut.end).unwrap_or("");
    match cut.kind {
        CutKind::Byline => {
            out.byline(text, cut.rule);
            out.remove(RemovedKind::Byline, text);
        }
        CutKind::Fields => {
            out.fields_removed(values::parse_fields(rules, cut.body), cut.rule, text)
        }
    }
}
