//! Field decisions: the one place that decides `title`, `published_at`, `authors`, `source`,
//! `editor`, `original_title` and `tags` from every candidate the stages found.
//!
//! The stages only *find*: the text stage reads candidates off lines ([`super::lines`]), the
//! HTML stage off markup ([`super::html::meta`]), the pipeline adds the page URL's date and
//! the fetch date. Each [`Candidate`] records its [`Zone`] (where on the page it stood), the
//! rule that found it and the text it was read from. [`decide`] ranks them, rejects the
//! values no person would store, and returns the chosen values with every candidate's
//! [`Verdict`], so a test (or an explain page) can say which evidence won and why the others
//! lost.
//!
//! **Precedence** (first valid candidate wins unless said otherwise):
//!
//! | field | order |
//! |---|---|
//! | `title` | `<h1>` confirmed by `og:title`/`<title>`; `og:title`; JSON-LD `headline`; `<title>`; an unconfirmed `<h1>`; the text's title line |
//! | `published_at` | a date in the header zone; `<meta>` publication tags, JSON-LD `datePublished`, `<time>`; the URL's date; a *labelled* date line in the body or footer; the modification time. A date after the fetch date is rejected; a date-only winner takes the time of a same-day candidate |
//! | `authors` | every visible credit (bylines in the header, body and footer), in page order; else author markup (`<meta name=author>`, `article:author`, JSON-LD, author elements) |
//! | `source` | header, body, footer, `<meta name=source>` |
//! | `editor` | every visible editor credit, joined with `、` |
//! | `original_title` | the first `原标题：` |
//! | `tags` | tag lines; else `article:tag` / `rel=tag`; else `<meta name=keywords>` when most of them occur in the title or body |
//!
//! **Rules every value must follow** (else the candidate is rejected with the rule's name):
//! no markup (`<tag`, `=`, quotes, entities) and no label left in (`来源：`); names are
//! [`name_problem`]-clean (2–4 Han characters, or longer with `·` or a compound surname, a
//! Latin name, or a pen name of at most 20 characters after an explicit credit; never
//! digits, brackets, sentence punctuation or a UI string); sources at most
//! [`SOURCE_MAX_CHARS`] characters; titles never a breadcrumb trail.
//!
//! ```
//! use zhclean::internals::extract::fields::{decide, Candidate, Facts, Field, Zone};
//! let candidates = vec![
//!     Candidate::new(Field::Authors, "新京报", Zone::Markup, "meta:author", "<meta name=author content=新京报>"),
//!     Candidate::new(Field::Authors, "王明", Zone::Header, "byline_role", "本报记者 王明"),
//! ];
//! let report = decide(candidates, &Facts::default());
//! assert_eq!(report.values.authors, ["王明"]);
//! ```

use std::fmt;

/// An article field decided here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Field {
    /// `title`.
    Title,
    /// `published_at`.
    PublishedAt,
    /// `authors`.
    Authors,
    /// `source`.
    Source,
    /// `editor`.
    Editor,
    /// `original_title`.
    OriginalTitle,
    /// `tags`.
    Tags,
}

impl Field {
    /// Every field, in output order.
    pub const ALL: [Field; 7] = [
        Field::Title,
        Field::PublishedAt,
        Field::Authors,
        Field::Source,
        Field::Editor,
        Field::OriginalTitle,
        Field::Tags,
    ];

    /// The JSON name of the field.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::PublishedAt => "published_at",
            Field::Authors => "authors",
            Field::Source => "source",
            Field::Editor => "editor",
            Field::OriginalTitle => "original_title",
            Field::Tags => "tags",
        }
    }
}

/// Where on the page a candidate stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Zone {
    /// Structured markup: `<title>`, `<h1>`, `<meta>`, JSON-LD, `<time>`, author elements.
    Markup,
    /// Above the article text: the lines before the first body paragraph, and (HTML) the
    /// short blocks between the headline and the main container. Dates and bylines here are
    /// the article's own.
    Header,
    /// Between the first and the last body paragraph (a byline cut off a paragraph).
    Body,
    /// Below the article text: lines after the last body paragraph, blocks after the
    /// container.
    Footer,
    /// The page's URL (`/2019-09/07/`, `/20190907/`).
    Url,
}

impl Zone {
    /// Lowercase name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Markup => "markup",
            Zone::Header => "header",
            Zone::Body => "body",
            Zone::Footer => "footer",
            Zone::Url => "url",
        }
    }
}

/// One value a stage found for a field, with where and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Candidate {
    /// The field it is a value for.
    pub field: Field,
    /// The value: repaired text; a date as ISO 8601 (`YYYY-MM-DD[THH:MM:SS±HH:MM]`, or
    /// `YYYY-MM` when the page gives only that); one name, one tag.
    pub value: String,
    /// Where it stood.
    pub zone: Zone,
    /// The rule that found it: a line rule of the text stage's rule table (`byline_role`,
    /// `metadata_fields`, `timestamp`, …), a markup name (`meta:article:published_time`,
    /// `json-ld:author`, `og:title`, `h1+title`, …) or `url`.
    pub rule: &'static str,
    /// The text it was read from (the line, the tag's content).
    pub evidence: String,
}

impl Candidate {
    /// A candidate from borrowed parts.
    pub fn new(
        field: Field,
        value: &str,
        zone: Zone,
        rule: &'static str,
        evidence: &str,
    ) -> Candidate {
        Candidate {
            field,
            value: value.to_string(),
            zone,
            rule,
            evidence: evidence.to_string(),
        }
    }
}

/// What the decision made of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Its value is (part of) the field's value.
    Chosen,
    /// Valid, but a candidate of higher precedence won.
    Outranked,
    /// The same value as a chosen candidate.
    Duplicate,
    /// Broke a rule; the rule is named.
    Rejected(&'static str),
}

/// A candidate and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Judged {
    /// The candidate.
    pub candidate: Candidate,
    /// Its verdict.
    pub verdict: Verdict,
}

/// Every candidate of one field, with its verdict, in the order they were ranked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decision {
    /// The field.
    pub field: Field,
    /// Candidates, best rank first (page order within a rank).
    pub candidates: Vec<Judged>,
}

/// The decided values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Values {
    /// The headline.
    pub title: Option<String>,
    /// ISO 8601 publication date/time.
    pub published_at: Option<String>,
    /// Credited writers, in page order, without duplicates.
    pub authors: Vec<String>,
    /// The source, without its label.
    pub source: Option<String>,
    /// The editors, without their labels, joined with `、`.
    pub editor: Option<String>,
    /// `原标题：` value.
    pub original_title: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// The outcome of the field decision: the values and the decision record of every field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldReport {
    /// The chosen values.
    pub values: Values,
    /// One decision per field that had candidates, in [`Field::ALL`] order.
    pub decisions: Vec<Decision>,
}

impl FieldReport {
    /// The decision record of `field`, if it had candidates.
    pub fn decision(&self, field: Field) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.field == field)
    }

    /// The candidates of `field` that were chosen.
    pub fn chosen(&self, field: Field) -> Vec<&Candidate> {
        self.decision(field).map_or_else(Vec::new, |d| {
            d.candidates
                .iter()
                .filter(|j| j.verdict == Verdict::Chosen)
                .map(|j| &j.candidate)
                .collect()
        })
    }
}

impl fmt::Display for FieldReport {
    /// One block per field: the value, then each candidate with its zone, rule, verdict and
    /// evidence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.values;
        for field in Field::ALL {
            let value = match field {
                Field::Title => format!("{:?}", v.title),
                Field::PublishedAt => format!("{:?}", v.published_at),
                Field::Authors => format!("{:?}", v.authors),
                Field::Source => format!("{:?}", v.source),
                Field::Editor => format!("{:?}", v.editor),
                Field::OriginalTitle => format!("{:?}", v.original_title),
                Field::Tags => format!("{:?}", v.tags),
            };
            writeln!(f, "{} = {value}", field.as_str())?;
            let Some(d) = self.decision(field) else {
                continue;
            };
            for j in &d.candidates {
                let c = &j.candidate;
                let verdict = match j.verdict {
                    Verdict::Chosen => "chosen".to_string(),
                    Verdict::Outranked => "outranked".to_string(),
                    Verdict::Duplicate => "duplicate".to_string(),
                    Verdict::Rejected(why) => format!("rejected: {why}"),
                };
                let evidence: String = c.evidence.chars().take(80).collect();
                writeln!(
                    f,
                    "    {:?} [{} {}] {verdict} <- {evidence:?}",
                    c.value,
                    c.zone.as_str(),
                    c.rule
                )?;
            }
        }
        Ok(())
    }
}

/// What the caller knows besides the page: the fetch date, and the article's text (for the
/// keywords test).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// When the page was fetched, ISO 8601 (see [`parse_fetch_date`]); dates after it are
    /// rejected.
    pub fetched_at: Option<String>,
    /// The title and body, for the `<meta name=keywords>` test (most keywords must occur in
    /// it).
    pub text: String,
    /// Names the page gives its site (`og:site_name`, `<title>` suffixes): a markup author
    /// that is one of them is the site, not a writer.
    pub site_names: Vec<String>,
}

/// A source value is at most this many characters.
pub const SOURCE_MAX_CHARS: usize = 30;
/// A title is at most this many characters.
pub const TITLE_MAX_CHARS: usize = 150;
/// A pen name (after an explicit credit) is at most this many characters.
pub const PEN_NAME_MAX_CHARS: usize = 20;

/// Decides every field from `candidates` (in page order within each stage).
pub fn decide(candidates: Vec<Candidate>, facts: &Facts) -> FieldReport {
    let mut by_field: Vec<(Field, Vec<Candidate>)> =
        Field::ALL.iter().map(|&f| (f, Vec::new())).collect();
    for c in candidates {
        if let Some((_, list)) = by_field.iter_mut().find(|(f, _)| *f == c.field) {
            list.push(c);
        }
    }
    let has = |field: Field| by_field.iter().any(|(f, l)| *f == field && !l.is_empty());
    // (Copied only when both are there: a markup author who is the editor is not an author.)
    let editors: Vec<String> = if has(Field::Authors) && has(Field::Editor) {
        by_field
            .iter()
            .find(|(f, _)| *f == Field::Editor)
            .map(|(_, list)| list.iter().map(|c| c.value.clone()).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut report = FieldReport::default();
    for (field, list) in by_field {
        if list.is_empty() {
            continue;
        }
        let decision = match field {
            Field::Title => single(field, list, title_rank, |c| title_problem(&c.value)),
            Field::PublishedAt => dates(list, facts),
            Field::Authors => authors(list, |c| {
                name_problem(&c.value, c.rule).or_else(|| {
                    // (A bare `（郭旭）` ending an article is often its editor.)
                    let weak = c.zone == Zone::Markup || c.rule == "byline_tail_bare";
                    if !weak {
                        None
                    } else if editors.contains(&c.value) {
                        Some("the editor")
                    } else if facts.site_names.contains(&c.value) {
                        Some("the site's name")
                    } else {
                        None
                    }
                })
            }),
            Field::Source => single(field, list, zone_rank, |c| source_problem(&c.value)),
            Field::Editor => several(field, list, |_| Some(0), |c| name_problem(&c.value, c.rule)),
            Field::OriginalTitle => single(field, list, zone_rank, |c| title_problem(&c.value)),
            Field::Tags => tags(list, facts),
        };
        let chosen: Vec<&Candidate> = decision
            .candidates
            .iter()
            .filter(|j| j.verdict == Verdict::Chosen)
            .map(|j| &j.candidate)
            .collect();
        let v = &mut report.values;
        match field {
            Field::Title => v.title = chosen.first().map(|c| c.value.clone()),
            Field::PublishedAt => v.published_at = date_value(&chosen),
            Field::Authors => v.authors = chosen.iter().map(|c| c.value.clone()).collect(),
            Field::Source => v.source = chosen.first().map(|c| c.value.clone()),
            Field::Editor => {
                let names: Vec<&str> = chosen.iter().map(|c| c.value.as_str()).collect();
                v.editor = (!names.is_empty()).then(|| names.join("、"));
            }
            Field::OriginalTitle => v.original_title = chosen.first().map(|c| c.value.clone()),
            Field::Tags => v.tags = chosen.iter().map(|c| c.value.clone()).collect(),
        }
        report.decisions.push(decision);
    }
    report
}

/// Sorts candidates by rank (stable: page order within a rank); `None` ranks are rejected.
fn ranked(
    list: Vec<Candidate>,
    rank: impl Fn(&Candidate) -> Option<u8>,
) -> Vec<(Option<u8>, Candidate)> {
    let mut out: Vec<(Option<u8>, Candidate)> = list.into_iter().map(|c| (rank(&c), c)).collect();
    out.sort_by_key(|(r, _)| r.unwrap_or(u8::MAX));
    out
}

/// One value: the first valid candidate of the best rank.
fn single(
    field: Field,
    list: Vec<Candidate>,
    rank: impl Fn(&Candidate) -> Option<u8>,
    problem: impl Fn(&Candidate) -> Option<&'static str>,
) -> Decision {
    let mut chosen: Option<String> = None;
    let candidates = ranked(list, rank)
        .into_iter()
        .map(|(r, candidate)| {
            let verdict = if r.is_none() {
                Verdict::Rejected("not used for this field")
            } else if let Some(why) = problem(&candidate) {
                Verdict::Rejected(why)
            } else if chosen.as_deref() == Some(candidate.value.as_str()) {
                Verdict::Duplicate
            } else if chosen.is_some() {
                Verdict::Outranked
            } else {
                chosen = Some(candidate.value.clone());
                Verdict::Chosen
            };
            Judged { candidate, verdict }
        })
        .collect();
    Decision { field, candidates }
}

/// Several values: every valid candidate of the best rank that has one, without duplicates.
fn several(
    field: Field,
    list: Vec<Candidate>,
    rank: impl Fn(&Candidate) -> Option<u8>,
    problem: impl Fn(&Candidate) -> Option<&'static str>,
) -> Decision {
    let ranked = ranked(list, rank);
    let judged: Vec<(Option<u8>, Option<&'static str>)> = ranked
        .iter()
        .map(|(r, c)| (*r, r.and_then(|_| problem(c))))
        .collect();
    let best = judged
        .iter()
        .filter(|(r, why)| r.is_some() && why.is_none())
        .filter_map(|(r, _)| *r)
        .min();
    let mut taken: Vec<String> = Vec::new();
    let candidates = ranked
        .into_iter()
        .zip(judged)
        .map(|((r, candidate), (_, why))| {
            let verdict = if r.is_none() {
                Verdict::Rejected("not used for this field")
            } else if let Some(why) = why {
                Verdict::Rejected(why)
            } else if taken.contains(&candidate.value) {
                Verdict::Duplicate
            } else if r == best {
                taken.push(candidate.value.clone());
                Verdict::Chosen
            } else {
                Verdict::Outranked
            };
            Judged { candidate, verdict }
        })
        .collect();
    Decision { field, candidates }
}

fn zone_rank(c: &Candidate) -> Option<u8> {
    Some(match c.zone {
        Zone::Header => 0,
        Zone::Body => 1,
        Zone::Footer => 2,
        Zone::Markup => 3,
        Zone::Url => return None,
    })
}

fn title_rank(c: &Candidate) -> Option<u8> {
    match (c.zone, c.rule) {
        (Zone::Markup, "h1+title") => Some(0),
        (Zone::Markup, "og:title") => Some(1),
        (Zone::Markup, "json-ld:headline") => Some(2),
        (Zone::Markup, "title") => Some(3),
        (Zone::Markup, "h1") => Some(4),
        (Zone::Markup, _) => Some(5),
        (Zone::Url, _) => None,
        _ => Some(6),
    }
}

/// Cut rules that take a byline opening a paragraph (`新华社北京5月9日电（记者X）…`): after
/// the article such a paragraph is another article's lead (a related item's teaser).
const LEAD_BYLINES: &[&str] = &[
    "byline_after_dateline",
    "byline_after_date",
    "byline_after_xun",
    "byline_head",
];

fn author_rank(c: &Candidate) -> Option<u8> {
    if c.zone == Zone::Footer && LEAD_BYLINES.contains(&c.rule) {
        return None;
    }
    if c.rule == "photo_credit" {
        return Some(2);
    }
    match c.zone {
        Zone::Header | Zone::Body | Zone::Footer => Some(0),
        Zone::Markup => Some(1),
        Zone::Url => None,
    }
}

/// Authors: [`several`], and an organisation credited beside persons (`作者：新京报` with
/// `（记者 奚丹霓 张赛）`) is not a writer.
fn authors(list: Vec<Candidate>, problem: impl Fn(&Candidate) -> Option<&'static str>) -> Decision {
    let mut decision = several(Field::Authors, list, author_rank, problem);
    let chosen = decision
        .candidates
        .iter()
        .filter(|j| j.verdict == Verdict::Chosen)
        .count();
    if chosen < 2 {
        return decision;
    }
    // Which chosen names read as a person's (one check each; most are).
    let persons: Vec<Option<bool>> = decision
        .candidates
        .iter()
        .map(|j| {
            (j.verdict == Verdict::Chosen)
                .then(|| name_problem(&j.candidate.value, "byline_role").is_none())
        })
        .collect();
    if persons.contains(&Some(true)) && persons.contains(&Some(false)) {
        for (j, person) in decision.candidates.iter_mut().zip(persons) {
            if person == Some(false) && j.candidate.rule != "commentator" {
                j.verdict = Verdict::Rejected("an organisation where persons are credited");
            }
        }
    }
    decision
}

/// Rules whose dates carry a label or a credit (`发布时间：`, `来源：… 2018-12-24`,
/// `X 发表于 …`): trusted outside the header too.
fn labelled_date_rule(rule: &str) -> bool {
    matches!(rule, "metadata_fields" | "fields_tail" | "blog_credit")
}

fn date_rank(c: &Candidate) -> Option<u8> {
    if c.rule == "written_date" {
        return Some(4);
    }
    match c.zone {
        Zone::Header => Some(0),
        Zone::Markup if c.rule.starts_with("modified:") => Some(5),
        Zone::Markup => Some(1),
        Zone::Url => Some(2),
        Zone::Body | Zone::Footer if labelled_date_rule(c.rule) => Some(3),
        Zone::Body | Zone::Footer => None,
    }
}

fn dates(list: Vec<Candidate>, facts: &Facts) -> Decision {
    let fetched = facts.fetched_at.as_deref().and_then(Instant::of);
    let problem = |c: &Candidate| -> Option<&'static str> {
        let Some(at) = Instant::of(&c.value) else {
            return Some("not a valid date");
        };
        match fetched {
            Some(f) if at.after(&f) => Some("after the fetch date"),
            _ => None,
        }
    };
    let mut decision = single(Field::PublishedAt, list, date_rank, |c| {
        if date_rank(c).is_none() {
            return Some("a bare date outside the header");
        }
        problem(c)
    });
    // A less precise winner (a month, a day) takes the day or time of a valid candidate that
    // agrees with it (a meta tag gives the time the header line leaves out).
    let winner = decision
        .candidates
        .iter()
        .find(|j| j.verdict == Verdict::Chosen)
        .map(|j| j.candidate.value.clone());
    if let Some(short) = winner.as_ref().filter(|w| w.len() <= 10) {
        if let Some(j) = decision.candidates.iter_mut().find(|j| {
            j.verdict == Verdict::Outranked
                && j.candidate.value.len() > short.len()
                && j.candidate.value.starts_with(short.as_str())
        }) {
            j.verdict = Verdict::Chosen;
        }
    } else if let Some(at) = winner.as_deref().and_then(Instant::of) {
        // A time to the minute (`23:23`, written `23:23:00`) takes the seconds of a
        // candidate at that minute (`23:23:53`).
        if let Some(seconds) = at.seconds.filter(|s| s % 60 == 0) {
            if let Some(j) = decision.candidates.iter_mut().find(|j| {
                j.verdict == Verdict::Outranked
                    && Instant::of(&j.candidate.value).is_some_and(|c| {
                        c.days == at.days
                            && c.seconds
                                .is_some_and(|cs| cs > seconds && cs < seconds + 60)
                    })
            }) {
                j.verdict = Verdict::Chosen;
            }
        }
    }
    for j in &mut decision.candidates {
        if j.verdict == Verdict::Rejected("not used for this field") {
            j.verdict = Verdict::Rejected("a bare date outside the header");
        }
    }
    decision
}

/// The date of the chosen candidates: the first, or the more precise second that agrees
/// with it (see [`dates`]).
fn date_value(chosen: &[&Candidate]) -> Option<String> {
    let first = chosen.first()?;
    Some(chosen.get(1).unwrap_or(first).value.clone())
}

fn tags(list: Vec<Candidate>, facts: &Facts) -> Decision {
    let keywords: Vec<&Candidate> = list.iter().filter(|c| c.rule == "keywords").collect();
    let specific = keywords
        .iter()
        .filter(|k| facts.text.contains(k.value.as_str()))
        .count();
    let keywords_ok = specific * 2 > keywords.len();
    several(
        Field::Tags,
        list,
        |c| match (c.zone, c.rule) {
            (Zone::Markup, "keywords") => Some(2),
            (Zone::Markup, _) => Some(1),
            (Zone::Url, _) => None,
            _ => Some(0),
        },
        |c| {
            if c.rule == "keywords" && !keywords_ok {
                return Some("site keywords (most are not in the text)");
            }
            tag_problem(&c.value)
        },
    )
}

/// Markup or a field label left in a value.
fn markup_or_label(value: &str) -> Option<&'static str> {
    let bytes = value.as_bytes();
    // (One pass over the bytes tells whether any markup check is needed.)
    if bytes
        .iter()
        .any(|b| matches!(b, b'<' | b'&' | b'=' | b'"' | b'{' | b'}'))
    {
        let tag = bytes.windows(2).any(|w| {
            w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'/' | b'!' | b'?'))
        });
        let entity = ["&nbsp", "&amp;", "&lt;", "&gt;", "&quot;", "&#"]
            .iter()
            .any(|e| value.contains(e));
        if tag || entity || value.contains(['=', '"', '{', '}']) {
            return Some("markup");
        }
    }
    // Every label but four holds a colon: look for those only when a colon is there.
    const COLON_LABELS: &[&str] = &[
        "来源：",
        "来源:",
        "來源：",
        "來源:",
        "稿源：",
        "稿源:",
        "出处：",
        "出处:",
        "作者：",
        "作者:",
        "责编：",
        "责编:",
        "编辑：",
        "编辑:",
        "記者：",
        "记者：",
        "记者:",
    ];
    const LABELS: &[&str] = &["责任编辑", "責任編輯", "发布时间", "發布時間"];
    let colon = value.contains(['：', ':']);
    let long_label = value.contains(['编', '編', '时', '時']);
    ((long_label && LABELS.iter().any(|l| value.contains(l)))
        || (colon && COLON_LABELS.iter().any(|l| value.contains(l))))
    .then_some("a label left in")
}

/// Why `value` cannot be a title, if it cannot: markup, a breadcrumb trail (`A>B`, `A » B`,
/// `A_B_C`), too short or too long.
pub fn title_problem(value: &str) -> Option<&'static str> {
    let value = value.trim();
    let n = value.chars().count();
    if let Some(why) = markup_or_label(value) {
        return Some(why);
    }
    if n < 2 || !value.chars().any(char::is_alphanumeric) {
        return Some("too short");
    }
    if n > TITLE_MAX_CHARS {
        return Some("too long");
    }
    let parts = value.split('_').filter(|s| !s.trim().is_empty()).count();
    if value.contains(['>', '<', '»', '›', '＞', '＜']) || parts >= 3 {
        return Some("a breadcrumb trail");
    }
    if value.contains("://") {
        return Some("a URL");
    }
    None
}

/// UI strings that are never a name or tag: counters and buttons (`阅读（1660`, `评论5`).
const UI_WORDS: &[&str] = &[
    "阅读", "閱讀", "评论", "評論", "点击", "點擊", "收藏", "字号", "字號", "分享", "举报", "舉報",
    "关注", "關注", "浏览", "瀏覽", "打印", "关闭", "關閉", "返回", "登录", "登錄", "注册", "註冊",
    "更多", "回复", "回復", "点赞", "點讚", "转发", "轉發", "下载", "下載",
];

/// Words that are not names: anonymous credits and roles without a name.
const NOT_NAMES: &[&str] = &[
    "佚名",
    "匿名",
    "未知",
    "网友",
    "網友",
    "本报",
    "本報",
    "本刊",
    "本网",
    "本網",
    "记者",
    "記者",
    "编辑",
    "編輯",
    "作者",
    "来源",
    "來源",
    "通讯员",
    "通訊員",
    "管理员",
    "管理員",
    "admin",
    "Admin",
    "小编",
    "小編",
    "报道",
    "報道",
    "摄影",
    "攝影",
    "整理",
    "探访",
    "探訪",
    "采访",
    "採訪",
    "综合",
    "綜合",
    "编译",
    "編譯",
    "手记",
    "手記",
    "观察",
    "觀察",
    "述评",
    "述評",
    "调查",
    "調查",
];

/// Endings and words of organisations (a site, paper, agency, office); an organisation is an
/// author only after an explicit `作者：` / `发文机关：`.
const ORG_WORDS: &[&str] = &[
    "网",
    "網",
    "报",
    "報",
    "社",
    "台",
    "中心",
    "新闻",
    "新聞",
    "公司",
    "集团",
    "集團",
    "频道",
    "頻道",
    "官方",
    "客户端",
    "委员会",
    "委員會",
    "政府",
    "办公室",
    "辦公室",
    "协会",
    "協會",
    "大学",
    "大學",
    "学院",
    "學院",
    "研究院",
    "研究所",
    "银行",
    "銀行",
    "医院",
    "醫院",
    "法院",
    "董事会",
    "董事會",
    "编辑部",
    "編輯部",
    "杂志",
    "雜誌",
    "出版社",
    "网站",
    "網站",
    "平台",
    "视频",
    "視頻",
    "传媒",
    "傳媒",
    "媒体",
    "媒體",
    "日报",
    "日報",
    "晚报",
    "晚報",
    ".com",
    ".cn",
    "www",
    "http",
];

/// The last character of a short organisation's name (`新京报`, `人民网`, `新华社`).
const ORG_ENDINGS: &[char] = &[
    '网', '網', '报', '報', '社', '台', '部', '局', '厅', '廳', '院', '所', '会', '會',
];

/// Two-character endings of four-character organisations (`中山大学`, `某某公司`).
const ORG_ENDINGS_2: &[&str] = &[
    "大学", "大學", "学院", "學院", "公司", "集团", "集團", "中心", "政府", "医院", "醫院", "银行",
    "銀行", "协会", "協會", "日报", "日報", "晚报", "晚報",
];

/// Rules after which an organisation or a pen name is a credit (`作者：某某委员会`, a blog's
/// `X 发表于`, author markup).
fn explicit_credit(rule: &str) -> bool {
    rule == "metadata_fields"
        || rule == "credit_line"
        || rule == "blog_credit"
        || rule == "commentator"
        || rule.starts_with("meta:")
        || rule.starts_with("json-ld:")
        || rule == "author_element"
}

/// Why `name` (found by `rule`) cannot be stored as a person's name, if it cannot.
///
/// A name is 2–4 Han characters, or 5–6 after a compound surname, or `·`-joined Han parts
/// (`买买提·艾力`), or a Latin-script name (letters, spaces, `.`, `-`), or, after an explicit
/// credit (`作者：`, a blog credit, author markup), a pen name or organisation of at most
/// [`PEN_NAME_MAX_CHARS`] characters. Never: digits, markup, `=`/quotes/brackets, sentence
/// punctuation, a UI string (`阅读`, `评论`, … with or without a count), an anonymous credit
/// (`佚名`) or a role without a name.
pub fn name_problem(name: &str, rule: &str) -> Option<&'static str> {
    let name = name.trim();
    let n = name.chars().count();
    if n < 2 {
        return Some("too short");
    }
    let han = |c: char| crate::model::is_han(c);
    let all_han = name.chars().all(han);
    // Most names are a few Han characters: no markup, digits or punctuation to look for.
    if !all_han {
        if let Some(why) = non_han_problem(name) {
            return Some(why);
        }
    }
    if UI_WORDS.iter().any(|w| name.starts_with(w)) {
        return Some("a UI string");
    }
    if NOT_NAMES.contains(&name) {
        return Some("not a name");
    }
    if all_han && n <= 4 && !explicit_credit(rule) {
        // (Only a longer Han name can end in an organisation's word: `王网` is a name,
        // `新京报`, `中山大学` are not.)
        let org = (n > 2 && name.ends_with(ORG_ENDINGS))
            || (n == 4 && ORG_ENDINGS_2.iter().any(|e| name.ends_with(e)));
        return org.then_some("an organisation");
    }
    name_shape_problem(name, n, all_han, rule)
}

/// The checks of [`name_problem`] a name with characters other than Han needs.
fn non_han_problem(name: &str) -> Option<&'static str> {
    if let Some(why) = markup_or_label(name) {
        return Some(why);
    }
    if name.chars().any(char::is_numeric) {
        return Some("digits");
    }
    if name
        .chars()
        .any(|c| "()（）[]【】<>《》{}「」『』'‘’“”\"".contains(c))
    {
        return Some("brackets or quotes");
    }
    if name
        .chars()
        .any(|c| "。，,！!？?；;：:、|｜/／\\@#%&*+".contains(c))
    {
        return Some("punctuation");
    }
    // `sina_mobile`, `L_104485`: a system's identifier, not a byline.
    if name.contains('_') && name.is_ascii() {
        return Some("an identifier");
    }
    None
}

/// The shape checks of [`name_problem`]: a person's name, or a pen name or organisation
/// after an explicit credit.
fn name_shape_problem(name: &str, n: usize, all_han: bool, rule: &str) -> Option<&'static str> {
    let han = |c: char| crate::model::is_han(c);
    let dotted = name.contains(['·', '•'])
        && name
            .split(['·', '•'])
            .all(|p| !p.is_empty() && p.chars().all(han))
        && n <= 16;
    let latin = name
        .chars()
        .all(|c| c.is_ascii_alphabetic() || " .-".contains(c))
        && name.chars().filter(char::is_ascii_alphabetic).count() >= 2
        && n <= 40
        && name.split_whitespace().count() <= 4;
    let compound = super::rules::starts_with_compound_surname(name);
    let person = (all_han && (n <= 4 || (compound && n <= 6))) || dotted || latin;
    let commentator = name.ends_with("评论员") || name.ends_with("評論員");
    let org = ORG_WORDS.iter().any(|w| name.contains(w));
    if explicit_credit(rule) {
        if commentator {
            return None;
        }
        if n > PEN_NAME_MAX_CHARS {
            return Some("too long");
        }
        // After `作者：` an organisation is the credited writer; a blogger's handle is
        // whatever they chose. Markup naming an organisation names the site.
        if org && !matches!(rule, "metadata_fields" | "credit_line" | "blog_credit") {
            return Some("an organisation");
        }
        return None;
    }
    if commentator && n <= PEN_NAME_MAX_CHARS {
        return None;
    }
    if !person {
        return Some("not name-shaped");
    }
    if all_han && n > 2 && org && !compound {
        return Some("an organisation");
    }
    None
}

/// Why `value` cannot be a source, if it cannot: markup or a label left in, a date or time,
/// sentence punctuation, longer than [`SOURCE_MAX_CHARS`].
pub fn source_problem(value: &str) -> Option<&'static str> {
    if let Some(why) = markup_or_label(value) {
        return Some(why);
    }
    let n = value.chars().count();
    if n < 2 || !value.chars().any(char::is_alphanumeric) {
        return Some("too short");
    }
    if n > SOURCE_MAX_CHARS {
        return Some("too long");
    }
    if value.chars().any(|c| "。！？；!?;".contains(c)) {
        return Some("punctuation");
    }
    if value.contains(['：', ':']) {
        return Some("a label or time left in");
    }
    if value.contains(['年', '月']) && value.chars().any(|c| c.is_ascii_digit()) {
        return Some("a date");
    }
    if UI_WORDS.iter().any(|w| value.starts_with(w)) {
        return Some("a UI string");
    }
    None
}

/// Why `value` cannot be a tag: markup, a bare number, longer than 20 characters, sentence
/// punctuation.
fn tag_problem(value: &str) -> Option<&'static str> {
    if let Some(why) = markup_or_label(value) {
        return Some(why);
    }
    let n = value.chars().count();
    if n == 0
        || value
            .chars()
            .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
    {
        return Some("a number or punctuation");
    }
    if n > 20 {
        return Some("too long");
    }
    if value.chars().any(|c| "。！？；!?;，,".contains(c)) {
        return Some("punctuation");
    }
    None
}

/// A point in time, for the fetch-date test: days since 1970-01-01 and seconds into the day
/// (UTC when the value has a time and zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Instant {
    days: i64,
    /// Seconds into the (UTC) day, when the value has a time.
    seconds: Option<i64>,
}

impl Instant {
    /// Reads ISO 8601 as this module writes it: `YYYY[-MM[-DD[THH:MM:SS(Z|±HH:MM)]]]`.
    fn of(iso: &str) -> Option<Instant> {
        let (date, time) = match iso.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (iso, None),
        };
        let mut parts = date.split('-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: i64 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
        let d: i64 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
        if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let mut days = days_from_civil(y, m, d);
        let seconds = match time {
            None => None,
            Some(t) => {
                let (clock, offset) = if let Some(c) = t.strip_suffix('Z') {
                    (c, 0)
                } else {
                    let at = t.rfind(['+', '-'])?;
                    let (c, z) = t.split_at(at);
                    let sign = if z.starts_with('-') { -1 } else { 1 };
                    let (zh, zm) = z.get(1..)?.split_once(':')?;
                    (
                        c,
                        sign * (zh.parse::<i64>().ok()? * 3600 + zm.parse::<i64>().ok()? * 60),
                    )
                };
                let mut hms = clock.split(':').map(|p| p.parse::<i64>().ok());
                let h = hms.next()??;
                let mi = hms.next()??;
                let s = hms.next().flatten().unwrap_or(0);
                let mut secs = h * 3600 + mi * 60 + s - offset;
                days += secs.div_euclid(86_400);
                secs = secs.rem_euclid(86_400);
                Some(secs)
            }
        };
        Some(Instant { days, seconds })
    }

    /// Whether `self` is after `fetched`. A value without a time is after only from the day
    /// after the fetch day's next day (its zone is unknown: up to a day ahead of UTC).
    fn after(&self, fetched: &Instant) -> bool {
        match (self.seconds, fetched.seconds) {
            (Some(a), Some(b)) => (self.days, a) > (fetched.days, b),
            _ => self.days > fetched.days + 1,
        }
    }
}

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A fetch date as ISO 8601 (UTC): a WARC-Date (`2024-05-20T08:15:30Z`, ISO 8601 with any
/// zone) or an HTTP `Date` header (`Mon, 20 May 2024 08:15:30 GMT`). `None` when it is
/// neither.
///
/// ```
/// use zhclean::internals::extract::fields::parse_fetch_date;
/// assert_eq!(parse_fetch_date("Mon, 20 May 2024 08:15:30 GMT").as_deref(), Some("2024-05-20T08:15:30Z"));
/// assert_eq!(parse_fetch_date("2024-05-20T08:15:30Z").as_deref(), Some("2024-05-20T08:15:30Z"));
/// assert_eq!(parse_fetch_date("yesterday"), None);
/// ```
pub fn parse_fetch_date(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(iso) = crate::extract::html::meta::normalize_date(value) {
        if value.len() >= 10 && value.as_bytes().get(4) == Some(&b'-') {
            return Some(iso);
        }
    }
    // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let rest = value.split_once(',').map_or(value, |(_, r)| r).trim();
    let mut parts = rest.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? + 1;
    let year: u32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    let zone = parts.next().unwrap_or("GMT");
    if !zone.eq_ignore_ascii_case("GMT") && !zone.eq_ignore_ascii_case("UTC") {
        return None;
    }
    let mut hms = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{mi:02}:{s:02}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(field: Field, value: &str, zone: Zone, rule: &'static str) -> Candidate {
        Candidate::new(field, value, zone, rule, value)
    }

    fn decided(candidates: Vec<Candidate>) -> FieldReport {
        decide(candidates, &Facts::default())
    }

    #[test]
    fn the_byline_zone_beats_the_meta_tag() {
        let r = decided(vec![
            c(Field::Authors, "张三", Zone::Markup, "meta:author"),
            c(Field::Authors, "李四", Zone::Header, "byline_role"),
            c(Field::Authors, "王五", Zone::Footer, "byline_tail"),
        ]);
        assert_eq!(r.values.authors, ["李四", "王五"]);
        let d = r.decision(Field::Authors).unwrap();
        assert_eq!(d.candidates[2].verdict, Verdict::Outranked);
        assert_eq!(d.candidates[2].candidate.rule, "meta:author");
        // Markup fills in when the page credits no one.
        let r = decided(vec![c(Field::Authors, "张三", Zone::Markup, "meta:author")]);
        assert_eq!(r.values.authors, ["张三"]);
    }

    #[test]
    fn junk_names_are_rejected_with_their_rule() {
        for (name, rule, why) in [
            ("105092", "meta:author", "digits"),
            ("L_104485", "meta:author", "digits"),
            ("size=\"20", "meta:author", "markup"),
            ("阅读（1660", "byline_role", "digits"),
            ("评论", "byline_role", "a UI string"),
            ("收藏本文", "meta:author", "a UI string"),
            ("新京报", "meta:author", "an organisation"),
            ("他告诉记者王明", "byline_role", "not name-shaped"),
            ("佚名", "metadata_fields", "not a name"),
            ("谁能告诉我这是为什么", "byline_role", "not name-shaped"),
            ("你觉得呢？", "metadata_fields", "punctuation"),
        ] {
            assert_eq!(name_problem(name, rule), Some(why), "{name}");
        }
        for (name, rule) in [
            ("王明", "byline_role"),
            ("欧阳中石", "byline_role"),
            ("买买提·艾力", "byline_role"),
            ("Jeremy Tsheng", "meta:author"),
            ("私~川流", "blog_credit"),
            ("A-肖老师-树谷学院", "blog_credit"),
            ("经济日报评论员", "commentator"),
            ("某某市人民政府办公室", "metadata_fields"),
        ] {
            assert_eq!(name_problem(name, rule), None, "{name}");
        }
    }

    #[test]
    fn a_markup_author_who_is_the_editor_is_not_an_author() {
        let r = decided(vec![
            c(Field::Authors, "刘峻凌", Zone::Markup, "meta:author"),
            c(Field::Editor, "刘峻凌", Zone::Footer, "metadata_fields"),
        ]);
        assert!(r.values.authors.is_empty());
        assert_eq!(r.values.editor.as_deref(), Some("刘峻凌"));
    }

    #[test]
    fn dates_rank_by_zone_and_respect_the_fetch_date() {
        let header = c(
            Field::PublishedAt,
            "2024-05-06T15:47:53+08:00",
            Zone::Header,
            "blog_credit",
        );
        let meta = c(
            Field::PublishedAt,
            "2024-05-07T22:12:13+08:00",
            Zone::Markup,
            "meta:pubdate",
        );
        let url = c(Field::PublishedAt, "2024-05-06", Zone::Url, "url");
        let r = decided(vec![meta.clone(), url.clone(), header.clone()]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T15:47:53+08:00")
        );
        // A bare date in the footer (a comment's, a related headline's) is never taken.
        let footer = c(Field::PublishedAt, "2024-05-09", Zone::Footer, "timestamp");
        let r = decided(vec![footer.clone()]);
        assert_eq!(r.values.published_at, None);
        assert_eq!(
            r.decision(Field::PublishedAt).unwrap().candidates[0].verdict,
            Verdict::Rejected("a bare date outside the header")
        );
        // After the fetch date: rejected, the next one wins.
        let facts = Facts {
            fetched_at: Some("2024-05-07T01:00:00Z".into()),
            ..Facts::default()
        };
        let r = decide(vec![meta, url], &facts);
        assert_eq!(r.values.published_at.as_deref(), Some("2024-05-06"));
        // A date-only header date takes the time of a same-day meta tag.
        let r = decided(vec![
            c(Field::PublishedAt, "2024-05-06", Zone::Header, "timestamp"),
            c(
                Field::PublishedAt,
                "2024-05-06T15:47:53+08:00",
                Zone::Markup,
                "meta:pubdate",
            ),
        ]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T15:47:53+08:00")
        );
        // A time to the minute takes the seconds of that minute, in any zone.
        let r = decided(vec![
            c(
                Field::PublishedAt,
                "2024-05-06T15:47:00+08:00",
                Zone::Header,
                "timestamp",
            ),
            c(
                Field::PublishedAt,
                "2024-05-06T07:47:53Z",
                Zone::Markup,
                "meta:pubdate",
            ),
        ]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T07:47:53Z")
        );
        let r = decided(vec![
            c(
                Field::PublishedAt,
                "2024-05-06T15:47:00+08:00",
                Zone::Header,
                "timestamp",
            ),
            c(
                Field::PublishedAt,
                "2024-05-06T15:48:53+08:00",
                Zone::Markup,
                "meta:pubdate",
            ),
        ]);
        assert_eq!(
            r.values.published_at.as_deref(),
            Some("2024-05-06T15:47:00+08:00")
        );
    }

    #[test]
    fn instants_compare_across_zones() {
        let a = Instant::of("2024-05-20T07:00:00+08:00").unwrap();
        let b = Instant::of("2024-05-19T23:30:00Z").unwrap();
        assert!(!a.after(&b));
        assert!(Instant::of("2024-05-20T08:00:00+08:00").unwrap().after(&b));
        // Without a time, the next day is still allowed (zones ahead of UTC).
        assert!(!Instant::of("2024-05-20").unwrap().after(&b));
        assert!(Instant::of("2024-05-21").unwrap().after(&b));
        assert_eq!(Instant::of("1970-01-01").unwrap().days, 0);
        assert_eq!(Instant::of("2000-03-01").unwrap().days, 11_017);
        assert_eq!(Instant::of("1998-03").unwrap().days, 10_286);
        assert_eq!(Instant::of("2024-02-30x"), None);
    }

    #[test]
    fn titles_are_never_breadcrumbs_or_markup() {
        let r = decided(vec![
            c(Field::Title, "站名>栏目", Zone::Markup, "title"),
            c(
                Field::Title,
                "<?xml version=\"1.0\"?>",
                Zone::Header,
                "title_line",
            ),
            c(Field::Title, "新闻_国内_某某网", Zone::Markup, "og:title"),
            c(
                Field::Title,
                "我市启动老旧小区改造",
                Zone::Header,
                "title_line",
            ),
        ]);
        assert_eq!(r.values.title.as_deref(), Some("我市启动老旧小区改造"));
    }

    #[test]
    fn sources_and_editors_keep_no_labels() {
        assert_eq!(source_problem("来源：新华网"), Some("a label left in"));
        assert_eq!(source_problem("size=\"20\""), Some("markup"));
        assert_eq!(source_problem("新华网"), None);
        assert_eq!(source_problem("1905电影网"), None);
        let r = decided(vec![
            c(Field::Editor, "倪仕轩", Zone::Footer, "metadata_fields"),
            c(Field::Editor, "杨格", Zone::Footer, "metadata_fields"),
            c(Field::Editor, "倪仕轩", Zone::Footer, "fields_tail"),
        ]);
        assert_eq!(r.values.editor.as_deref(), Some("倪仕轩、杨格"));
    }

    #[test]
    fn site_keywords_are_not_tags() {
        let facts = Facts {
            text: "垃圾分类 正文".into(),
            ..Facts::default()
        };
        let kw = |v| c(Field::Tags, v, Zone::Markup, "keywords");
        let r = decide(vec![kw("资讯"), kw("新闻"), kw("垃圾分类")], &facts);
        assert!(r.values.tags.is_empty());
        let r = decide(vec![kw("垃圾分类"), kw("正文")], &facts);
        assert_eq!(r.values.tags, ["垃圾分类", "正文"]);
        // A tag line wins over markup.
        let r = decide(
            vec![
                kw("垃圾分类"),
                c(Field::Tags, "环保", Zone::Footer, "tag_line"),
            ],
            &facts,
        );
        assert_eq!(r.values.tags, ["环保"]);
    }

    #[test]
    fn fetch_dates() {
        assert_eq!(
            parse_fetch_date("Sun, 06 Nov 1994 08:49:37 GMT").as_deref(),
            Some("1994-11-06T08:49:37Z")
        );
        assert_eq!(
            parse_fetch_date("2024-05-20T16:15:30+08:00").as_deref(),
            Some("2024-05-20T16:15:30+08:00")
        );
        assert_eq!(parse_fetch_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
    }
}
