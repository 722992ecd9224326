//! The multi-line structures of a page: runs of related headlines (each followed by its
//! date) and the `相关新闻` blocks they stand under, and comment threads.

use super::*;

/// Marks the lines that belong to related-headline structures; each structure gets its own
/// group number so that adjacent structures stay separate removals.
pub(super) fn related_groups(lines: &[&str], kinds: &[Option<LineMatch>]) -> Vec<Option<usize>> {
    let n = lines.len();
    let kind = |i: usize| kinds.get(i).copied().flatten().map(|m| m.kind);
    let is_ts = |i: usize| kind(i) == Some(LineKind::Timestamp);
    let headline = |i: usize| {
        !matches!(
            kind(i),
            Some(LineKind::Timestamp | LineKind::RelatedHeading)
        ) && lines.get(i).is_some_and(|l| chars(l) <= HEADLINE_MAX_CHARS)
    };
    let clear_body = |i: usize| {
        lines
            .get(i)
            .is_some_and(|l| chars(l) >= BODY_MIN_CHARS && ends_sentence(l))
            && !is_ts(i + 1)
    };
    let mut group = vec![None; n];
    let mut next_group = 0;
    let mut i = 0;
    while i < n {
        if kind(i) == Some(LineKind::RelatedHeading) {
            // A heading opens a block that runs until clear body or another kind of line.
            let mut k = i + 1;
            while k < n && !clear_body(k) && matches!(kind(k), None | Some(LineKind::Timestamp)) {
                k += 1;
            }
            group[i..k].fill(Some(next_group));
            next_group += 1;
            i = k;
            continue;
        }
        let mut j = i;
        // (`is_ts` first: it is the cheap test, and both are plain tests.)
        while j + 1 < n && is_ts(j + 1) && headline(j) {
            j += 2;
        }
        if (j - i) / 2 >= MIN_HEADLINE_PAIRS {
            group[i..j].fill(Some(next_group));
            next_group += 1;
            i = j;
        } else {
            i += 1;
        }
    }
    group
}

/// How many lines a comment entry's text may run between two entry headers.
const COMMENT_MAX_GAP: usize = 6;

/// Marks the lines of a comment thread under the article (kind `comments`), found by
/// structure, only after the first body line (`from`):
///
/// * a comment heading (`网友评论`, `评论13`, `发表评论`, …) followed by at least one entry
///   header, or a heading that is a button or a count (`发表评论`, `评论（13）`) on its own:
///   the thread runs from the heading to the end;
/// * without a heading, at least three entry headers (`网友名 2005-4-16 17:22`, `# re: …`,
///   `3楼`) at most [`COMMENT_MAX_GAP`] lines apart, the last of them followed by no more
///   than that many lines: the thread runs from the first header to the end.
///
/// Disclaimers and navigation inside keep their own kind. A post's own dated header comes
/// before the body, so it is never part of a thread.
pub(super) fn comment_lines(
    lines: &[&str],
    kinds: &[Option<LineMatch>],
    groups: &[Option<usize>],
    from: usize,
) -> Vec<bool> {
    let n = lines.len();
    let mut marked = vec![false; n];
    let kind = |i: usize| kinds.get(i).copied().flatten().map(|m| m.kind);
    let foreign = |i: usize| {
        matches!(
            kind(i),
            Some(
                LineKind::Disclaimer
                    | LineKind::Navigation
                    | LineKind::TagLine
                    | LineKind::RelatedHeading
            )
        )
    };
    let heading = |i: usize| -> Option<bool> {
        let line = lines[i];
        // (`char` searches: a `&str` search sets up a searcher per call, too dear per line.)
        if line.len() > 80
            || kind(i).is_some()
            || groups[i].is_some()
            || !line.contains(['评', '評', '留', '回', '跟'])
        {
            return None;
        }
        crate::extract::rules::comment_heading(line)
    };
    let entry = |i: usize| -> bool {
        let line = lines[i];
        // (A bare timestamp, a line of a related-headlines run: not an entry. An entry has
        // a time `HH:MM`, a `N分钟前`, a floor `3楼`/`#` or a reply mark.)
        if line.len() > 180
            || foreign(i)
            || groups[i].is_some()
            || kind(i) == Some(LineKind::Timestamp)
        {
            return false;
        }
        // (A byte scan first: every entry but a reply mark holds a digit.)
        let marked = line.starts_with(['#', 'r', 'R', '回']);
        if !marked && !line.bytes().any(|b| b.is_ascii_digit()) {
            return false;
        }
        if !marked && !line.contains([':', '：', '前', '楼', '樓', '#']) {
            return false;
        }
        crate::extract::rules::comment_entry(line)
    };
    let mark_from = |start: usize, marked: &mut Vec<bool>| {
        for (i, m) in marked.iter_mut().enumerate().skip(start) {
            *m = !foreign(i);
        }
    };
    for i in from..n {
        if let Some(strong) = heading(i) {
            if strong || (i + 1..n).any(entry) {
                mark_from(i, &mut marked);
                return marked;
            }
        }
    }
    let headers: Vec<usize> = (from..n).filter(|&i| entry(i)).collect();
    let close = headers
        .windows(2)
        .all(|w| w[1] - w[0] <= COMMENT_MAX_GAP + 1);
    if headers.len() >= 3
        && close
        && headers
            .last()
            .is_some_and(|&l| n - 1 - l <= COMMENT_MAX_GAP)
    {
        mark_from(headers[0], &mut marked);
    }
    marked
}
