//! Checking one page: [`check`] compares a [`Prediction`] with the labels of its [`Case`] into
//! [`PageChecks`] (body F1, one verdict per labelled field, fields given where the page shows
//! none, snippet checks).

use std::collections::BTreeSet;

use super::{BodyMetric, Case, Labels};

/// What a system produced for one page, for [`check`] and [`junk`](super::junk).
#[derive(Debug, Clone, Default)]
pub struct Prediction {
    /// The body.
    pub body: String,
    /// The title.
    pub title: Option<String>,
    /// ISO 8601 publication time.
    pub published_at: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Editor.
    pub editor: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Original title (`原标题：`).
    pub original_title: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// The checks of one page against its labels; `None` where the page has no label for that check.
#[derive(Debug, Clone, Default)]
pub struct PageChecks {
    /// Body F1.
    pub f1: Option<f64>,
    /// Title. With complete labels: equal to the gold title after normalization (NFKC, T→S,
    /// alphanumerics only). Otherwise also when it is the gold title minus a site suffix
    /// (readability's gold titles keep `_探索者 _光明网`).
    pub title_ok: Option<bool>,
    /// The date part of `published_at` equals the gold date part (same day; a gold `YYYY-MM`
    /// needs our `YYYY-MM`).
    pub date_ok: Option<bool>,
    /// Our authors are exactly the gold authors (as sets, normalized).
    pub authors_exact: Option<bool>,
    /// Every gold author is among ours (for a free-form byline: one of ours occurs in it).
    pub authors_all: Option<bool>,
    /// Source equals the gold source (normalized).
    pub source_ok: Option<bool>,
    /// Editor equals the gold editor (normalized, as a set of names split on `、`).
    pub editor_ok: Option<bool>,
    /// Tags equal the gold tags (as sets, normalized).
    pub tags_ok: Option<bool>,
    /// Fields we filled where complete labels say the page shows none.
    pub extra: Vec<&'static str>,
    /// Must-contain snippets missing from the body.
    pub missing: Vec<String>,
    /// Must-not-contain snippets present in the body.
    pub unwanted: Vec<String>,
}

/// Checks a prediction against a case's labels, one named step per field.
pub fn check(metric: &BodyMetric, case: &Case, p: &Prediction) -> PageChecks {
    let labels = &case.labels;
    let ours_authors = normalized_set(metric, &p.authors);
    let gold_authors = normalized_set(metric, &labels.authors);
    let body = metric.normalize(&p.body);
    PageChecks {
        f1: case.body.as_ref().map(|gold| metric.f1(&p.body, gold)),
        title_ok: labels
            .title
            .as_ref()
            .map(|gold| title_matches(metric, labels.complete, p.title.as_deref(), gold)),
        date_ok: labels
            .published
            .as_ref()
            .map(|gold| same_day(p.published_at.as_deref(), gold)),
        authors_exact: (labels.complete && !gold_authors.is_empty())
            .then(|| ours_authors == gold_authors),
        authors_all: if !gold_authors.is_empty() {
            Some(gold_authors.is_subset(&ours_authors))
        } else {
            labels
                .byline
                .as_ref()
                .map(|byline| byline_names_one_of(metric, byline, &ours_authors))
        },
        source_ok: labels
            .source
            .as_ref()
            .map(|gold| same_value(metric, p.source.as_deref(), gold)),
        editor_ok: labels
            .editor
            .as_ref()
            .map(|gold| same_editors(metric, p.editor.as_deref(), gold)),
        tags_ok: (labels.complete && !labels.tags.is_empty())
            .then(|| normalized_set(metric, &p.tags) == normalized_set(metric, &labels.tags)),
        extra: given_where_none_shown(labels, p),
        missing: snippets_found(metric, &body, &case.must_contain, false),
        unwanted: snippets_found(metric, &body, &case.must_not_contain, true),
    }
}

/// `items` normalized by the metric, empty ones left out, as a set.
fn normalized_set(metric: &BodyMetric, items: &[String]) -> BTreeSet<String> {
    items
        .iter()
        .map(|i| metric.normalize(i))
        .filter(|i| !i.is_empty())
        .collect()
}

/// `ours` is given, and equal to `gold` after normalization (and not empty then).
fn same_value(metric: &BodyMetric, ours: Option<&str>, gold: &str) -> bool {
    ours.is_some_and(|o| {
        let o = metric.normalize(o);
        !o.is_empty() && o == metric.normalize(gold)
    })
}

/// See [`PageChecks::title_ok`]: exact after normalization with complete labels; otherwise
/// also our title followed by a site suffix in the gold one.
fn title_matches(metric: &BodyMetric, complete: bool, ours: Option<&str>, gold: &str) -> bool {
    if complete {
        return same_value(metric, ours, gold);
    }
    let ours = metric.title_key(ours.unwrap_or(""));
    let gold = metric.title_key(gold);
    !ours.is_empty() && (gold == ours || gold.starts_with(&format!("{ours}|")))
}

/// The date parts (before `T`) of `ours` and `gold` are equal.
fn same_day(ours: Option<&str>, gold: &str) -> bool {
    let day = |d: &str| d.split('T').next().unwrap_or("").to_string();
    ours.is_some_and(|d| day(d) == day(gold))
}

/// One of our (normalized) authors occurs in the free-form `byline`.
fn byline_names_one_of(metric: &BodyMetric, byline: &str, ours: &BTreeSet<String>) -> bool {
    let byline = metric.normalize(byline);
    ours.iter().any(|a| byline.contains(a.as_str()))
}

/// The editors, split on `、`, are the same set of names.
fn same_editors(metric: &BodyMetric, ours: Option<&str>, gold: &str) -> bool {
    let names = |s: &str| -> Vec<String> { s.split('、').map(str::to_string).collect() };
    ours.is_some_and(|e| normalized_set(metric, &names(e)) == normalized_set(metric, &names(gold)))
}

/// With complete labels, the fields we filled where the labels say the page shows none.
fn given_where_none_shown(labels: &Labels, p: &Prediction) -> Vec<&'static str> {
    if !labels.complete {
        return Vec::new();
    }
    let given = [
        ("title", labels.title.is_none() && p.title.is_some()),
        (
            "published_at",
            labels.published.is_none() && p.published_at.is_some(),
        ),
        (
            "authors",
            labels.authors.is_empty() && !p.authors.is_empty(),
        ),
        ("editor", labels.editor.is_none() && p.editor.is_some()),
        ("source", labels.source.is_none() && p.source.is_some()),
        ("tags", labels.tags.is_empty() && !p.tags.is_empty()),
    ];
    given.iter().filter(|(_, e)| *e).map(|(f, _)| *f).collect()
}

/// The `snippets` whose normalized text is (`found`) or is not (`!found`) in the normalized
/// `body`.
fn snippets_found(
    metric: &BodyMetric,
    body: &str,
    snippets: &[String],
    found: bool,
) -> Vec<String> {
    snippets
        .iter()
        .filter(|s| body.contains(&metric.normalize(s)) == found)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Prediction {
        Prediction::default()
    }

    #[test]
    fn field_checks_against_complete_labels() {
        let metric = BodyMetric::new();
        let case = Case {
            labels: Labels {
                complete: true,
                title: Some("日本企業5月信心".into()),
                published: Some("2024-05-22T08:21".into()),
                authors: vec!["王乐文".into(), "方敏".into()],
                editor: Some("倪仕轩、杨格".into()),
                ..Labels::default()
            },
            ..Case::default()
        };
        let out = check(
            &metric,
            &case,
            &Prediction {
                title: Some("日本企业5月信心".into()),
                published_at: Some("2024-05-22".into()),
                authors: vec!["王乐文".into(), "方敏".into(), "李四".into()],
                editor: Some("杨格、倪仕轩".into()),
                source: Some("新华网".into()),
                ..p()
            },
        );
        assert_eq!(out.title_ok, Some(true));
        assert_eq!(out.date_ok, Some(true));
        assert_eq!(out.authors_exact, Some(false));
        assert_eq!(out.authors_all, Some(true));
        assert_eq!(out.editor_ok, Some(true));
        assert_eq!(out.source_ok, None);
        assert_eq!(out.extra, ["source"]);
    }
}
