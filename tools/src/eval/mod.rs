//! Evaluation against labelled page sets: the body metric, loaders for the three devsets, and
//! per-page checks. The runner is `tools/examples/eval.rs`
//! (`cargo run --release -p zhclean-tools --example eval -- DIR...`).
//!
//! **Body metric.** Bag-of-characters F1 between the predicted body and the gold text,
//! counting only alphanumeric characters (Han included) after NFKC and conversion to
//! simplified script ([`BodyMetric`]). Order-free, so paragraph joins do not matter; a
//! dropped paragraph or a kept navigation block does.
//!
//! **Sets** ([`load`] detects which one a directory is):
//! * magic-html: `ground_truth_zh.json` (`{sha256: {url, content}}`) and `htmls/<sha256>.html`;
//! * readability: one folder per page with `source.html`, `expected.html` (gold body) and
//!   `expected-metadata.json` (`title`, `byline`, `publishedTime`);
//! * trafilatura: `labels_zh.json` (`{url: {file, title, author, date, with, without}}`) and
//!   `html/<file>`.
//!
//! ```
//! use zhclean_tools::eval::BodyMetric;
//! let metric = BodyMetric::new();
//! assert_eq!(metric.f1("據悉，垃圾分類", "据悉垃圾分类"), 1.0);
//! assert_eq!(metric.f1("", "据悉"), 0.0);
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use opencc_fmmseg::OpenCC;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use zhclean::{Error, Result};

/// The body metric: NFKC, traditional → simplified, alphanumeric characters only, bag-of-
/// characters F1.
pub struct BodyMetric {
    opencc: OpenCC,
}

impl Default for BodyMetric {
    fn default() -> Self {
        Self::new()
    }
}

impl BodyMetric {
    /// Loads the conversion dictionaries.
    pub fn new() -> BodyMetric {
        BodyMetric {
            opencc: OpenCC::new(),
        }
    }

    /// `text` as the metric sees it: NFKC, simplified script, lowercase alphanumerics only.
    pub fn normalize(&self, text: &str) -> String {
        let nfkc: String = text.nfkc().collect();
        self.opencc
            .t2s(&nfkc, false)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// A title as compared by [`check`]: normalized like the body, with title separators
    /// (`_`, `|`, `-`, `—`, …) kept as `|`, so a site suffix can be told apart.
    pub fn title_key(&self, title: &str) -> String {
        let nfkc: String = title.nfkc().collect();
        let mut key = String::new();
        for c in self.opencc.t2s(&nfkc, false).chars() {
            if c.is_alphanumeric() {
                key.extend(c.to_lowercase());
            } else if matches!(c, '_' | '|' | '｜' | '-' | '–' | '—' | ':' | '@')
                && !key.ends_with('|')
            {
                key.push('|');
            }
        }
        key.trim_end_matches('|').to_string()
    }

    /// Bag-of-characters F1 of `predicted` against `gold` (1.0 when both are empty).
    pub fn f1(&self, predicted: &str, gold: &str) -> f64 {
        let bag = |s: &str| {
            let mut counts: HashMap<char, usize> = HashMap::new();
            for c in self.normalize(s).chars() {
                *counts.entry(c).or_default() += 1;
            }
            counts
        };
        let (p, g) = (bag(predicted), bag(gold));
        let (np, ng) = (p.values().sum::<usize>(), g.values().sum::<usize>());
        if np == 0 && ng == 0 {
            return 1.0;
        }
        let common: usize = p
            .iter()
            .map(|(c, n)| (*n).min(g.get(c).copied().unwrap_or(0)))
            .sum();
        if common == 0 {
            return 0.0;
        }
        let precision = common as f64 / np as f64;
        let recall = common as f64 / ng as f64;
        2.0 * precision * recall / (precision + recall)
    }
}

/// One labelled page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    /// Short name for reports (file name or folder).
    pub name: String,
    /// The page file.
    pub path: PathBuf,
    /// The page URL, if labelled.
    pub url: Option<String>,
    /// Gold main text.
    pub body: Option<String>,
    /// Gold field values.
    pub labels: Labels,
    /// Snippets the body must contain.
    pub must_contain: Vec<String>,
    /// Snippets the body must not contain.
    pub must_not_contain: Vec<String>,
}

/// The gold field values of a page.
///
/// With `complete` labels (magic-html's `metadata_zh.json`, labelled by what a reader sees),
/// a `None` or empty value means the page shows no such value, so a value we give there is
/// counted as *extra*. Otherwise (readability, trafilatura) only the values present are
/// checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Whether every field is labelled (see the type's doc).
    pub complete: bool,
    /// The headline.
    pub title: Option<String>,
    /// Publication date/time, ISO 8601 without zone (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`,
    /// `YYYY-MM`).
    pub published: Option<String>,
    /// Credited writers, names only.
    pub authors: Vec<String>,
    /// A free-form byline (readability's `byline`, trafilatura's `author`): one of our
    /// authors must occur in it.
    pub byline: Option<String>,
    /// The editor, without its label (several joined with `、`).
    pub editor: Option<String>,
    /// The source, without its label.
    pub source: Option<String>,
    /// Tags shown with the article.
    pub tags: Vec<String>,
}

/// Loads a devset directory, detecting its layout (see the module doc). A directory without
/// label files gives every file under it as an unlabelled case (checked for junk only).
///
/// # Errors
/// [`Error::Io`] when the directory or its label file cannot be read or parsed.
pub fn load(dir: &Path) -> Result<Vec<Case>> {
    if dir.join("ground_truth_zh.json").is_file() {
        load_magic_html(dir)
    } else if dir.join("labels_zh.json").is_file() {
        load_trafilatura(dir)
    } else if has_readability_folders(dir) {
        load_readability(dir)
    } else {
        load_unlabelled(dir)
    }
}

fn io_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_string()),
    }
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| io_error(path, e))
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// Loads magic-html's `ground_truth_zh.json` + `htmls/`, and the field labels of
/// `metadata_zh.json` when it is there.
///
/// # Errors
/// [`Error::Io`] when a label file cannot be read or parsed.
pub fn load_magic_html(dir: &Path) -> Result<Vec<Case>> {
    #[derive(Deserialize)]
    struct Gold {
        url: Option<String>,
        content: String,
    }
    #[derive(Deserialize)]
    struct Fields {
        title: Option<String>,
        published: Option<String>,
        #[serde(default)]
        authors: Vec<String>,
        editor: Option<String>,
        source: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
    }
    let gold: HashMap<String, Gold> = read_json(&dir.join("ground_truth_zh.json"))?;
    let metadata = dir.join("metadata_zh.json");
    let mut fields: HashMap<String, Fields> = if metadata.is_file() {
        read_json(&metadata)?
    } else {
        HashMap::new()
    };
    let mut cases: Vec<Case> = gold
        .into_iter()
        .map(|(hash, g)| {
            let labels = fields
                .remove(&hash)
                .map_or_else(Labels::default, |f| Labels {
                    complete: true,
                    title: non_empty(f.title),
                    published: non_empty(f.published),
                    authors: f.authors,
                    byline: None,
                    editor: non_empty(f.editor),
                    source: non_empty(f.source),
                    tags: f.tags,
                });
            Case {
                name: hash.chars().take(12).collect(),
                path: dir.join("htmls").join(format!("{hash}.html")),
                url: g.url,
                body: Some(g.content),
                labels,
                ..Case::default()
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// Loads trafilatura's `labels_zh.json` + `html/`.
///
/// # Errors
/// [`Error::Io`] when the label file cannot be read or parsed.
pub fn load_trafilatura(dir: &Path) -> Result<Vec<Case>> {
    #[derive(Deserialize)]
    struct Label {
        file: String,
        title: Option<String>,
        author: Option<String>,
        date: Option<String>,
        #[serde(default)]
        with: Vec<String>,
        #[serde(default)]
        without: Vec<String>,
    }
    let labels: HashMap<String, Label> = read_json(&dir.join("labels_zh.json"))?;
    let mut cases: Vec<Case> = labels
        .into_iter()
        .map(|(url, l)| Case {
            name: l.file.clone(),
            path: dir.join("html").join(&l.file),
            url: Some(url),
            labels: Labels {
                title: non_empty(l.title),
                published: non_empty(l.date),
                byline: non_empty(l.author),
                ..Labels::default()
            },
            must_contain: l.with,
            must_not_contain: l.without,
            ..Case::default()
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

fn has_readability_folders(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().join("source.html").is_file())
    })
}

/// Loads mozilla/readability-style folders (`source.html`, `expected.html`,
/// `expected-metadata.json`).
///
/// # Errors
/// [`Error::Io`] when the directory cannot be listed or a metadata file cannot be parsed.
pub fn load_readability(dir: &Path) -> Result<Vec<Case>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Expected {
        title: Option<String>,
        byline: Option<String>,
        published_time: Option<String>,
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut cases = Vec::new();
    for entry in entries.flatten() {
        let folder = entry.path();
        if !folder.join("source.html").is_file() {
            continue;
        }
        let expected: Expected = read_json(&folder.join("expected-metadata.json"))?;
        let body = std::fs::read_to_string(folder.join("expected.html"))
            .ok()
            .map(|html| zhclean::internals::extract::html::visible_text(&html));
        cases.push(Case {
            name: entry.file_name().to_string_lossy().into_owned(),
            path: folder.join("source.html"),
            body,
            labels: Labels {
                title: non_empty(expected.title),
                published: non_empty(expected.published_time),
                byline: non_empty(expected.byline),
                ..Labels::default()
            },
            ..Case::default()
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// Every file under `dir` (recursively, except licence files) as a case without labels.
///
/// # Errors
/// [`Error::Io`] when a directory cannot be listed.
pub fn load_unlabelled(dir: &Path) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|source| Error::Io {
            path: folder.display().to_string(),
            source,
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("LICENSE"))
            {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                cases.push(Case {
                    name,
                    path,
                    ..Case::default()
                });
            }
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// What a system produced for one page, for [`check`] and [`junk`].
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

/// Checks a prediction against a case's labels.
pub fn check(metric: &BodyMetric, case: &Case, p: &Prediction) -> PageChecks {
    let body = metric.normalize(&p.body);
    let found = |snippet: &String| body.contains(&metric.normalize(snippet));
    let labels = &case.labels;
    let same = |ours: Option<&str>, gold: &str| {
        ours.is_some_and(|o| {
            let o = metric.normalize(o);
            !o.is_empty() && o == metric.normalize(gold)
        })
    };
    let set = |items: &[String]| -> std::collections::BTreeSet<String> {
        items
            .iter()
            .map(|i| metric.normalize(i))
            .filter(|i| !i.is_empty())
            .collect()
    };
    let names = |s: &str| -> Vec<String> { s.split('、').map(str::to_string).collect() };
    let ours_authors = set(&p.authors);
    let gold_authors = set(&labels.authors);
    let mut extra = Vec::new();
    if labels.complete {
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
        extra = given.iter().filter(|(_, e)| *e).map(|(f, _)| *f).collect();
    }
    PageChecks {
        f1: case.body.as_ref().map(|gold| metric.f1(&p.body, gold)),
        title_ok: labels.title.as_ref().map(|gold| {
            if labels.complete {
                return same(p.title.as_deref(), gold);
            }
            let ours = metric.title_key(p.title.as_deref().unwrap_or(""));
            let gold = metric.title_key(gold);
            !ours.is_empty() && (gold == ours || gold.starts_with(&format!("{ours}|")))
        }),
        date_ok: labels.published.as_ref().map(|gold| {
            let day = |d: &str| d.split('T').next().unwrap_or("").to_string();
            p.published_at
                .as_deref()
                .is_some_and(|d| day(d) == day(gold))
        }),
        authors_exact: (labels.complete && !gold_authors.is_empty())
            .then(|| ours_authors == gold_authors),
        authors_all: if !gold_authors.is_empty() {
            Some(gold_authors.is_subset(&ours_authors))
        } else {
            labels.byline.as_ref().map(|gold| {
                let gold = metric.normalize(gold);
                ours_authors.iter().any(|a| gold.contains(a.as_str()))
            })
        },
        source_ok: labels
            .source
            .as_ref()
            .map(|gold| same(p.source.as_deref(), gold)),
        editor_ok: labels.editor.as_ref().map(|gold| {
            p.editor
                .as_deref()
                .is_some_and(|e| set(&names(e)) == set(&names(gold)))
        }),
        tags_ok: (labels.complete && !labels.tags.is_empty())
            .then(|| set(&p.tags) == set(&labels.tags)),
        extra,
        missing: case
            .must_contain
            .iter()
            .filter(|s| !found(s))
            .cloned()
            .collect(),
        unwanted: case
            .must_not_contain
            .iter()
            .filter(|s| found(s))
            .cloned()
            .collect(),
    }
}

/// One field value that breaks the rules every stored value must follow (see [`junk`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Junk {
    /// The field (`authors`, `source`, …).
    pub field: &'static str,
    /// The value.
    pub value: String,
    /// Which rule it breaks.
    pub rule: &'static str,
}

/// The values of `p` no person would store: the rules of issue 17, written here on their
/// own (not with the extractor's code) so that the count checks the extractor.
///
/// * every field: no markup (`<…>`, `=`, `"`, `&…;` entities) and no labels left in
///   (`来源：`, `作者:`, `责任编辑` …);
/// * `title`: at most 200 characters; not a breadcrumb trail (`A>B`, `A » B`, three or more
///   `_`-joined parts);
/// * `published_at`: ISO 8601 (`YYYY[-MM[-DD[THH:MM:SS±HH:MM|Z]]]`), year 1990 to next year;
/// * `authors`: at most 10 of them; each at most 20 characters, no digits, brackets, quotes,
///   sentence punctuation, and not a UI string (阅读, 评论, 点击, 收藏, 字号, 分享, 举报,
///   关注 followed by nothing but counts);
/// * `source`, `editor`: at most 30 characters, no sentence punctuation; an editor has no
///   digits (staff codes such as `SF099`), a source no date or time;
/// * `tags`: at most 20 characters each, not a bare number;
/// * `original_title`: at most 200 characters.
pub fn junk(p: &Prediction) -> Vec<Junk> {
    let mut values: Vec<(&'static str, &str)> = Vec::new();
    values.extend(p.title.as_deref().map(|v| ("title", v)));
    values.extend(p.published_at.as_deref().map(|v| ("published_at", v)));
    values.extend(p.authors.iter().map(|v| ("authors", v.as_str())));
    values.extend(p.source.as_deref().map(|v| ("source", v)));
    values.extend(p.editor.as_deref().map(|v| ("editor", v)));
    values.extend(p.tags.iter().map(|v| ("tags", v.as_str())));
    values.extend(p.original_title.as_deref().map(|v| ("original_title", v)));
    let mut out: Vec<Junk> = values
        .into_iter()
        .filter_map(|(field, value)| {
            broken_rule(field, value).map(|rule| Junk {
                field,
                value: value.to_string(),
                rule,
            })
        })
        .collect();
    if p.authors.len() > 10 {
        out.push(Junk {
            field: "authors",
            value: p.authors.join("|"),
            rule: "too many",
        });
    }
    out
}

/// The first rule of [`junk`] that `value` of `field` breaks.
fn broken_rule(field: &str, value: &str) -> Option<&'static str> {
    const LABELS: &[&str] = &[
        "来源：",
        "来源:",
        "稿源：",
        "稿源:",
        "出处：",
        "出处:",
        "作者：",
        "作者:",
        "责任编辑",
        "责编：",
        "责编:",
        "编辑：",
        "编辑:",
        "记者：",
        "记者:",
        "发布时间",
        "來源",
        "發布",
    ];
    const UI: &[&str] = &[
        "阅读", "閱讀", "评论", "評論", "点击", "點擊", "收藏", "字号", "字號", "分享", "举报",
        "舉報", "关注", "關注", "浏览", "瀏覽",
    ];
    let chars = value.chars().count();
    let sentence = value.chars().any(|c| "。！？；!?;".contains(c));
    if field == "published_at" {
        return (!iso_date(value)).then_some("not ISO 8601 or out of range");
    }
    let tag = value
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'));
    let entity = ["&nbsp", "&amp;", "&lt;", "&gt;", "&quot;"]
        .iter()
        .any(|e| value.contains(e));
    if tag || entity || value.contains('=') || value.contains('"') {
        return Some("markup");
    }
    if LABELS.iter().any(|l| value.contains(l)) {
        return Some("label kept");
    }
    match field {
        "title" => {
            let parts = value.split('_').filter(|s| !s.trim().is_empty()).count();
            if chars > 200 {
                Some("too long")
            } else if value.contains(['>', '»', '›', '＞']) || parts >= 3 {
                Some("breadcrumb")
            } else {
                None
            }
        }
        "authors" => {
            let ui = UI.iter().any(|w| {
                value.strip_prefix(w).is_some_and(|rest| {
                    rest.chars()
                        .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
                })
            });
            if chars > 20 {
                Some("too long")
            } else if value.chars().any(char::is_numeric) {
                Some("digits")
            } else if value
                .chars()
                .any(|c| "()（）[]【】<>《》{}'‘’“”".contains(c))
            {
                Some("brackets or quotes")
            } else if sentence || value.chars().any(|c| "，,：:、".contains(c)) {
                Some("punctuation")
            } else if ui {
                Some("UI string")
            } else {
                None
            }
        }
        "source" | "editor" => {
            if chars > 30 {
                Some("too long")
            } else if field == "editor" && value.chars().any(|c| c.is_ascii_digit()) {
                Some("digits")
            } else if field == "source"
                && value.contains(['年', '月', ':', '：'])
                && value.chars().any(|c| c.is_ascii_digit())
            {
                Some("a date or time")
            } else if sentence {
                Some("punctuation")
            } else {
                None
            }
        }
        "tags" => {
            if chars > 20 {
                Some("too long")
            } else if value.chars().all(|c| c.is_ascii_digit()) {
                Some("a number")
            } else {
                None
            }
        }
        _ => (chars > 200).then_some("too long"),
    }
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` + `Z`/`±HH:MM`, with a real month,
/// day and time and a year from 1990 to next year.
fn iso_date(d: &str) -> bool {
    let num = |s: Option<&str>, lo: u32, hi: u32| {
        s.is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
            && s.and_then(|s| s.parse::<u32>().ok())
                .is_some_and(|n| (lo..=hi).contains(&n))
    };
    let this_year = 1970
        + std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs() / 31_556_952) as u32;
    let (date, time) = match d.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (d, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = match parts.as_slice() {
        [y] => y.len() == 4 && num(Some(y), 1990, this_year + 1),
        [y, m] => {
            y.len() == 4 && num(Some(y), 1990, this_year + 1) && m.len() == 2 && num(Some(m), 1, 12)
        }
        [y, m, day] => {
            y.len() == 4
                && num(Some(y), 1990, this_year + 1)
                && m.len() == 2
                && num(Some(m), 1, 12)
                && day.len() == 2
                && num(Some(day), 1, 31)
        }
        _ => false,
    };
    let time_ok = time.is_none_or(|t| {
        let (clock, zone) = if let Some(c) = t.strip_suffix('Z') {
            (c, "Z")
        } else if t.len() > 6 {
            t.split_at(t.len() - 6)
        } else {
            return false;
        };
        let zone_ok = zone == "Z"
            || (zone.len() == 6 && zone.starts_with(['+', '-']) && zone.as_bytes()[3] == b':');
        let c: Vec<&str> = clock.split(':').collect();
        zone_ok
            && c.len() == 3
            && num(c.first().copied(), 0, 23)
            && num(c.get(1).copied(), 0, 59)
            && num(c.get(2).copied(), 0, 59)
    });
    date_ok && (time.is_none() || (parts.len() == 3 && time_ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Prediction {
        Prediction::default()
    }

    #[test]
    fn junk_values_are_flagged_by_rule() {
        let bad = Prediction {
            title: Some("站名>栏目".into()),
            published_at: Some("2024-13-01".into()),
            authors: vec![
                "105092".into(),
                "size=\"20".into(),
                "阅读（1660".into(),
                "评论13".into(),
                "王明".into(),
            ],
            source: Some("来源：新华网".into()),
            editor: Some("支全明 SF099".into()),
            tags: vec!["1".into()],
            ..p()
        };
        let rules: Vec<(&str, &str)> = junk(&bad).iter().map(|j| (j.field, j.rule)).collect();
        assert_eq!(
            rules,
            [
                ("title", "breadcrumb"),
                ("published_at", "not ISO 8601 or out of range"),
                ("authors", "digits"),
                ("authors", "markup"),
                ("authors", "digits"),
                ("authors", "digits"),
                ("source", "label kept"),
                ("editor", "digits"),
                ("tags", "a number"),
            ]
        );
        let good = Prediction {
            title: Some("新华视界｜河北遵化：数字农机服务助力农业生产".into()),
            published_at: Some("2024-05-15T08:58:52+08:00".into()),
            authors: vec!["王乐文".into(), "Jeremy Tsheng".into(), "私~川流".into()],
            source: Some("人民网－人民日报".into()),
            editor: Some("胡永秋、杨光宇".into()),
            tags: vec!["LPR".into()],
            ..p()
        };
        assert_eq!(junk(&good), []);
        for d in ["1998-03", "2005-09-15", "2024-05-15T08:58:52Z", "2005"] {
            assert!(iso_date(d), "{d}");
        }
        for d in [
            "1989-01-01",
            "2024-5-1",
            "2024-05-15T08:58",
            "2024-05-15 08:58:52+08:00",
        ] {
            assert!(!iso_date(d), "{d}");
        }
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
