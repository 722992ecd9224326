//! Line classifier and multi-line structures of the extract stage.
//!
//! Owns *where* the rules of [`super::rules`] apply: it classifies every line, finds the
//! multi-line structures (runs of headline + timestamp pairs, `相关新闻` blocks), decides the
//! head of the page (title, publication time) and cuts bylines off paragraph ends. Values are
//! parsed by [`super::values`].
//!
//! Files: this one classifies the lines, finds the head and emits every line; `blocks.rs`
//! finds related-headline groups and comment threads; `cuts.rs` cuts pieces off body lines.
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

use blocks::{comment_lines, related_groups};
use cuts::body_line;

mod blocks;
mod cuts;

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
