//! Line classifier and multi-line structures of the extract stage.
//!
//! Owns *where* the rules of [`super::rules`] apply: it classifies every line, finds the
//! multi-line structures (runs of headline + timestamp pairs, `相关新闻` blocks), decides the
//! head of the page (title, publication time) and cuts bylines off paragraph ends. Values are
//! parsed by [`super::values`].
//!
//! Contract: every non-empty line ends up in `paragraphs`, in `removed`, or split between
//! them (a cut byline); only whitespace at a cut point may be dropped.

use super::fields::{Candidate, Field, Zone};
use super::prefilter::Possible;
use super::rules::{
    CompiledRules, CutAt, CutKind, LineKind, LineMatch, BODY_MIN_CHARS, HEADLINE_MAX_CHARS,
    MIN_HEADLINE_PAIRS, SENTENCE_END, TITLE_MAX_CHARS,
};
use super::values::{self, Fields};
use super::Extracted;
use crate::article::{Removed, RemovedKind};

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Whether `line` reads like a title: it has a Han character, or words (a letter and a
/// space), and none of a title's problems (markup, a breadcrumb trail: see
/// [`super::fields::title_problem`]). An identifier left by a page's template (`ad9_210*60`)
/// or an XML declaration is not taken for the title.
fn title_like(line: &str) -> bool {
    (line.chars().any(crate::model::is_han)
        || (line.contains(' ') && line.chars().any(char::is_alphabetic)))
        && super::fields::title_problem(line).is_none()
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(|c: char| "”’」』）)\"'".contains(c));
    s.ends_with(SENTENCE_END)
}

/// Marks the lines that belong to related-headline structures; each structure gets its own
/// group number so that adjacent structures stay separate removals.
fn related_groups(lines: &[&str], kinds: &[Option<LineMatch>]) -> Vec<Option<usize>> {
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

/// Whether the words before a byline's first role word make it a sentence: a verb such as
/// `告诉`, `对`, `向` (`他告诉新华社记者王明` reports a conversation, it credits no one).
fn sentence_before_role(line: &str) -> bool {
    // (The first `记`/`記`/`通` that begins a role word: a `char` search, no searcher set-up.)
    let role = line.char_indices().find(|&(i, c)| {
        matches!(c, '记' | '記' | '通')
            && ["记者", "記者", "通讯员", "通訊員"]
                .iter()
                .any(|r| line[i..].starts_with(r))
    });
    let Some((at, _)) = role else { return false };
    line[..at].contains([
        '告', '诉', '訴', '对', '對', '向', '给', '給', '据', '據', '跟', '说', '說', '问', '問',
        '让', '讓', '和', '与', '與', '是', '的', '了', '在', '被', '把', '将', '將',
    ])
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
fn comment_lines(
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
        super::rules::comment_heading(line)
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
        super::rules::comment_entry(line)
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

/// Whether a timestamp line (as [`super::rules`] matched it) is a year and month alone:
/// `1998年3月`, `1998-3` (no day).
fn month_only(line: &str) -> bool {
    // (`2024年12月` is the longest; a full date with a time is longer.)
    if line.len() > 13 {
        return false;
    }
    if line.contains('年') {
        !line.contains(['日', '号'])
    } else {
        line.matches(['-', '/', '.']).count() == 1
    }
}

/// Whether a byline credits a photographer: it ends with `摄`/`摄影` or `/图`, or starts
/// with `图/` (`文/图` credits a writer).
fn photo_credit(bare: &str) -> bool {
    let bare = bare.trim();
    ["摄", "攝", "摄影", "攝影", "/图", "/圖", "／图", "／圖"]
        .iter()
        .any(|e| bare.ends_with(e))
        || ["图/", "圖/", "图／", "圖／", "图｜", "圖｜", "图丨", "图|"]
            .iter()
            .any(|s| bare.starts_with(s))
}

/// Accumulates the output in page order.
struct Out<'a> {
    ex: Extracted,
    rules: &'a CompiledRules,
    /// Finds field labels (`来源：`) in a byline.
    labels: &'a regex::Regex,
    /// Zone of every line (see [`zones`]).
    zones: Vec<Zone>,
    /// The line being emitted: its index and text (the evidence of its candidates).
    at: usize,
    line: &'a str,
}

impl<'a> Out<'a> {
    fn remove(&mut self, kind: RemovedKind, text: &str) {
        if !text.trim().is_empty() {
            self.ex.removed.push(Removed {
                kind,
                text: text.trim().to_string(),
            });
        }
    }
    fn zone(&self) -> Zone {
        self.zones.get(self.at).copied().unwrap_or(Zone::Body)
    }
    fn candidate(&mut self, field: Field, value: &str, rule: &'static str) {
        let zone = self.zone();
        self.ex
            .candidates
            .push(Candidate::new(field, value, zone, rule, self.line));
    }
    fn authors(&mut self, names: Vec<String>, rule: &'static str) {
        for n in names {
            self.candidate(Field::Authors, &n, rule);
        }
    }
    /// The names of a byline `text` (a whole line or a cut piece): a photographer's credit
    /// (`新华社记者 李梦馨 摄`, `图/张三`) is recorded as such; a commentator's collective
    /// credit (`（经济日报评论员）`) is the author as written.
    fn byline(&mut self, text: &str, rule: &'static str) {
        let bare = text.trim_matches(|c: char| c.is_whitespace() || "（）()【】[]".contains(c));
        if bare.ends_with("评论员") || bare.ends_with("評論員") {
            let names = values::parse_names(bare);
            if names.is_empty() && bare.chars().count() <= 12 {
                self.candidate(Field::Authors, bare, "commentator");
                return;
            }
        }
        let rule = if photo_credit(bare) {
            "photo_credit"
        } else {
            rule
        };
        // Labels after the names (`中青报·中青网记者 魏其濛 来源：中国青年报`) are fields.
        // (A label needs a separator after it: most bylines have none, and skip the search.)
        let labelled = bare.contains([':', '：', '|', '｜', '丨']);
        let (names, fields) = match labelled.then(|| self.labels.find(bare)).flatten() {
            Some(m) if m.start() > 0 => (&bare[..m.start()], Some(&bare[m.start()..])),
            _ => (bare, None),
        };
        self.authors(values::parse_names(names), rule);
        if let Some(fields) = fields {
            let f = values::parse_fields(self.rules, fields);
            self.fields(f, "metadata_fields");
        }
    }
    fn fields(&mut self, f: Fields, rule: &'static str) {
        if let Some(d) = &f.date {
            self.candidate(Field::PublishedAt, d, rule);
        }
        if let Some(d) = &f.written_date {
            self.candidate(Field::PublishedAt, d, "written_date");
        }
        for p in &f.photographers {
            self.candidate(Field::Authors, p, "photo_credit");
        }
        for (field, value) in [
            (Field::Source, &f.source),
            (Field::OriginalTitle, &f.original_title),
        ] {
            if let Some(v) = value {
                self.candidate(field, v, rule);
            }
        }
        for e in &f.editors {
            self.candidate(Field::Editor, e, rule);
        }
        self.authors(f.authors, rule);
    }
    /// Records the candidates of a metadata line or piece `text` and removes it: as
    /// `metadata`, or as a `byline` when it holds author labels only.
    fn fields_removed(&mut self, f: Fields, rule: &'static str, text: &str) {
        let kind = if f.non_author {
            RemovedKind::Metadata
        } else {
            RemovedKind::Byline
        };
        self.fields(f, rule);
        self.remove(kind, text);
    }
    fn paragraph(&mut self, text: &str) {
        let t = text.trim();
        if !t.is_empty() {
            self.ex.paragraphs.push(t.to_string());
        }
    }
}

/// What the caller knows about a text before the stage reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints<'a> {
    /// The page's title from its markup: the head line equal to it (alphanumerics compared)
    /// is the title line, and no other line is taken for the title.
    pub title: Option<&'a str>,
    /// Every line stands in this zone (context blocks around an HTML page's container);
    /// `None`: by position (lines before the first body paragraph are the header, lines
    /// after the last one the footer).
    pub zone: Option<Zone>,
}

/// Alphanumeric characters only: how a line is compared with the title hint.
fn key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The zone of each line: `Header` before `first_body`, `Footer` after `last_body`, `Body`
/// between.
fn zones(n: usize, first_body: usize, last_body: Option<usize>) -> Vec<Zone> {
    (0..n)
        .map(|i| {
            if i < first_body {
                Zone::Header
            } else if last_body.is_some_and(|l| i > l) {
                Zone::Footer
            } else {
                Zone::Body
            }
        })
        .collect()
}

/// Runs the stage on `text` (one paragraph per line) with compiled `rules`: body, removals
/// and field candidates (`Extracted::candidates`; the field values are left for
/// [`super::fields::decide`]).
///
/// One function of about 200 lines: its passes (split the lines; classify each; year-month
/// lines; related-news groups; the head, comment threads and the title; the body's bounds and
/// zones; emit every line) share the page's lines and what earlier passes found about them,
/// and run in this order; each is marked by a comment.
pub fn classify_page(rules: &CompiledRules, text: &str, hints: &Hints) -> Extracted {
    // The lines, trimmed, without the empty ones. (Split at `\n` with `memchr`: the same
    // lines as `str::lines`, whose `\r` before a `\n` the trim removes anyway, for less.)
    let mut lines: Vec<&str> = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        let line = text.get(start..end).unwrap_or("").trim();
        if !line.is_empty() {
            lines.push(line);
        }
        start = end + 1;
    }
    // One prefilter scan per line serves both the line rules and the cut rules.
    let scans: Vec<Possible> = lines.iter().map(|l| rules.scan(l)).collect();
    let kinds: Vec<Option<LineMatch>> = lines
        .iter()
        .zip(&scans)
        .map(|(l, &p)| rules.classify_scanned(l, p))
        .collect();
    // A year and month alone (`1998年3月`) dates the page only above its text; below it, it
    // heads a chronicle's entry (`1988年7月` / `国务院批复…`) and is text.
    let mut kinds = kinds;
    let mut body_seen = false;
    let months = lines
        .iter()
        .zip(&kinds)
        .any(|(line, k)| k.is_some_and(|m| m.kind == LineKind::Timestamp) && month_only(line));
    for (i, line) in lines
        .iter()
        .enumerate()
        .take(if months { lines.len() } else { 0 })
    {
        match kinds[i] {
            None if ends_sentence(line) || chars(line) >= BODY_MIN_CHARS => body_seen = true,
            Some(LineMatch {
                kind: LineKind::Timestamp,
                ..
            }) if body_seen && month_only(line) => kinds[i] = None,
            _ => {}
        }
    }
    let groups = related_groups(&lines, &kinds);

    // The head ends at the first real body paragraph: an unclaimed line that ends a sentence
    // or is long.
    let head_end = (0..lines.len())
        .find(|&i| {
            kinds[i].is_none()
                && groups[i].is_none()
                && (ends_sentence(lines[i]) || chars(lines[i]) >= BODY_MIN_CHARS)
        })
        .unwrap_or(lines.len());
    let comments = comment_lines(&lines, &kinds, &groups, head_end + 1);
    let unclaimed = |i: usize| kinds[i].is_none() && groups[i].is_none() && !comments[i];
    let title_idx = match hints.title.map(key).filter(|k| !k.is_empty()) {
        // The markup's title names the title line, wherever it stands in the head.
        // (The title may end a sentence, `…吗？`, and so be where the head ends.)
        Some(title) => (0..(head_end + 1).max(3).min(lines.len()))
            .find(|&i| unclaimed(i) && key(lines[i]) == title),
        // The title is the first unclaimed line that reads like one, if it comes before the
        // body, is short and does not end a sentence.
        None => (0..head_end)
            .find(|&i| unclaimed(i) && title_like(lines[i]))
            .filter(|&i| {
                head_end < lines.len()
                    && chars(lines[i]) <= TITLE_MAX_CHARS
                    && !ends_sentence(lines[i])
            }),
    };
    let first_body = (0..lines.len())
        .find(|&i| unclaimed(i) && Some(i) != title_idx && i >= head_end)
        .unwrap_or(lines.len());
    let last_body = (first_body..lines.len())
        .rev()
        .find(|&i| unclaimed(i) && Some(i) != title_idx);
    let zones = match hints.zone {
        Some(zone) => vec![zone; lines.len()],
        None => zones(lines.len(), first_body, last_body),
    };

    let mut out = Out {
        ex: Extracted::default(),
        rules,
        labels: &rules.field_label,
        zones,
        at: 0,
        line: "",
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        (out.at, out.line) = (i, line);
        if let Some(g) = groups[i] {
            let mut j = i;
            while j < lines.len() && groups[j] == Some(g) {
                j += 1;
            }
            out.remove(RemovedKind::RelatedHeadlines, &lines[i..j].join("\n"));
            i = j;
            continue;
        }
        if comments[i] {
            let mut j = i;
            while j < lines.len() && comments[j] {
                j += 1;
            }
            out.remove(RemovedKind::Comments, &lines[i..j].join("\n"));
            i = j;
            continue;
        }
        match kinds[i] {
            Some(LineMatch {
                kind: LineKind::TagLine,
                rule,
            }) => {
                for tag in values::split_tags(values::after_colon(line)) {
                    out.candidate(Field::Tags, &tag, rule);
                }
                out.remove(RemovedKind::TagLine, line);
            }
            Some(LineMatch {
                kind: LineKind::Byline,
                rule,
            }) if !sentence_before_role(line) => {
                out.byline(line, rule);
                out.remove(RemovedKind::Byline, line);
            }
            Some(LineMatch {
                kind: LineKind::Byline,
                ..
            }) => body_line(rules, &mut out, line, scans[i], Some(i) == last_body),
            Some(LineMatch {
                kind: LineKind::Credit,
                rule,
            }) => {
                if rule == "credit_line" {
                    out.fields_removed(values::parse_credit_line(line), rule, line);
                } else {
                    match values::parse_blog_credit(rules, line) {
                        (Some(name), date) => {
                            out.candidate(Field::Authors, &name, rule);
                            if let Some(date) = date {
                                out.candidate(Field::PublishedAt, &date, rule);
                            }
                            out.remove(RemovedKind::Byline, line);
                        }
                        // No writer in it after all: a body line.
                        (None, _) => {
                            body_line(rules, &mut out, line, scans[i], Some(i) == last_body)
                        }
                    }
                }
            }
            Some(LineMatch {
                kind: LineKind::Metadata,
                rule: "ip_location",
            }) => out.remove(RemovedKind::Metadata, line),
            Some(LineMatch {
                kind: LineKind::Metadata,
                rule,
            }) => {
                let f = values::parse_fields(rules, line);
                // An interview's question (`记者：…？`) is text.
                if f.speech && !f.non_author && f.authors.is_empty() {
                    body_line(rules, &mut out, line, scans[i], Some(i) == last_body);
                    i += 1;
                    continue;
                }
                out.fields_removed(f, rule, line);
            }
            Some(LineMatch {
                kind: LineKind::Timestamp,
                rule,
            }) => {
                if let Some(d) = values::parse_date_or_month(rules, line) {
                    out.candidate(Field::PublishedAt, &d, rule);
                }
                out.remove(RemovedKind::Metadata, line);
            }
            Some(LineMatch {
                kind: LineKind::Disclaimer,
                ..
            }) => out.remove(RemovedKind::Disclaimer, line),
            Some(LineMatch {
                kind: LineKind::Navigation,
                ..
            }) => out.remove(RemovedKind::Navigation, line),
            Some(LineMatch {
                kind: LineKind::RelatedHeading,
                ..
            }) => out.remove(RemovedKind::RelatedHeadlines, line),
            None if Some(i) == title_idx => {
                out.candidate(Field::Title, line, "title_line");
                out.remove(RemovedKind::Title, line);
            }
            None => body_line(rules, &mut out, line, scans[i], Some(i) == last_body),
        }
        i += 1;
    }
    out.ex
}

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
fn body_line(rules: &CompiledRules, out: &mut Out, line: &str, possible: Possible, last: bool) {
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
                && super::rules::starts_with_surname(t)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(text: &str) -> Vec<Option<usize>> {
        let rules = CompiledRules::new();
        let lines: Vec<&str> = text.lines().collect();
        let kinds: Vec<_> = lines.iter().map(|l| rules.classify(l)).collect();
        related_groups(&lines, &kinds)
    }

    #[test]
    fn headline_timestamp_runs() {
        let g = groups("正文。\n标题一？\n2018-12-21 08:46\n标题二\n2018-12-21 08:39\n尾巴");
        assert_eq!(g, [None, Some(0), Some(0), Some(0), Some(0), None]);
        // Two runs separated by body are two groups; one pair alone is no run.
        let g = groups("甲\n2018-12-21\n乙\n2018-12-21\n正文很长。\n丙\n2018-12-21");
        assert_eq!(g, [Some(0), Some(0), Some(0), Some(0), None, None, None]);
    }

    #[test]
    fn heading_block_stops_at_other_kinds() {
        let g = groups("相关阅读\n标题一\n标题二\n责任编辑：张三");
        assert_eq!(g, [Some(0), Some(0), Some(0), None]);
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("他说：“好。”"));
        assert!(ends_sentence("真的吗？"));
        assert!(!ends_sentence("中关村在线第十一"));
    }

    #[test]
    fn cuts_keep_the_rest_of_the_paragraph() {
        let ex = |text: &str| super::super::TextExtractor::new().extract(text);
        let e = ex("新华社北京12月20日电（记者高亢）记者20日获悉。（编辑：李四）");
        assert_eq!(e.paragraphs, ["新华社北京12月20日电记者20日获悉。"]);
        assert_eq!(e.authors, ["高亢"]);
        assert_eq!(e.editor.as_deref(), Some("李四"));
        let texts: Vec<_> = e.removed.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["（记者高亢）", "（编辑：李四）"]);
        // Role-less names after a dateline need `电` or two names; `（周四）` is not a byline.
        let e = ex("中新网银川12月20日（于翔 杨迪）12月20日，工程投产。");
        assert_eq!(e.authors, ["于翔", "杨迪"]);
        let e = ex("本市12月20日（周四）举行活动。");
        assert!(e.authors.is_empty() && e.removed.is_empty());
    }
}
