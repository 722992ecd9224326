//! Field decisions: the one place that decides `title`, `published_at`, `authors`, `source`,
//! `editor`, `original_title` and `tags` from every candidate the stages found.
//!
//! The stages only *find*: the text stage reads candidates off lines ([`super::lines`]), the
//! HTML stage off markup ([`super::html::markup`]), the pipeline adds the page URL's date and
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
//! Files: this one holds the types and [`decide`] with its rankings; `checks.rs` the rules
//! every value must follow ([`title_problem`], [`name_problem`], [`source_problem`], tags);
//! `dates.rs` the date ranking, the fetch-date test and [`parse_fetch_date`].
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

use checks::tag_problem;
pub use checks::{name_problem, source_problem, title_problem};
pub use dates::parse_fetch_date;
use dates::{date_value, dates};

mod checks;
mod dates;

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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(super) fn c(field: Field, value: &str, zone: Zone, rule: &'static str) -> Candidate {
        Candidate::new(field, value, zone, rule, value)
    }

    pub(super) fn decided(candidates: Vec<Candidate>) -> FieldReport {
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
    fn a_markup_author_who_is_the_editor_is_not_an_author() {
        let r = decided(vec![
            c(Field::Authors, "刘峻凌", Zone::Markup, "meta:author"),
            c(Field::Editor, "刘峻凌", Zone::Footer, "metadata_fields"),
        ]);
        assert!(r.values.authors.is_empty());
        assert_eq!(r.values.editor.as_deref(), Some("刘峻凌"));
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
}
