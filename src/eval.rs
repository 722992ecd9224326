//! Evaluation against labelled page sets: the body metric, loaders for the three devsets, and
//! per-page checks. The runner is `examples/eval.rs`
//! (`cargo run --release --example eval -- DIR...`).
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
//! use zhclean::eval::BodyMetric;
//! let metric = BodyMetric::new();
//! assert_eq!(metric.f1("據悉，垃圾分類", "据悉垃圾分类"), 1.0);
//! assert_eq!(metric.f1("", "据悉"), 0.0);
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use opencc_fmmseg::OpenCC;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

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
    /// Gold title.
    pub title: Option<String>,
    /// Gold publication date (`YYYY-MM-DD…`).
    pub date: Option<String>,
    /// Gold author.
    pub author: Option<String>,
    /// Snippets the body must contain.
    pub must_contain: Vec<String>,
    /// Snippets the body must not contain.
    pub must_not_contain: Vec<String>,
}

/// Loads a devset directory, detecting its layout (see the module doc).
///
/// # Errors
/// [`Error::Io`] when the directory or its label file cannot be read or parsed.
pub fn load(dir: &Path) -> Result<Vec<Case>> {
    if dir.join("ground_truth_zh.json").is_file() {
        load_magic_html(dir)
    } else if dir.join("labels_zh.json").is_file() {
        load_trafilatura(dir)
    } else {
        load_readability(dir)
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

/// Loads magic-html's `ground_truth_zh.json` + `htmls/`.
///
/// # Errors
/// [`Error::Io`] when the label file cannot be read or parsed.
pub fn load_magic_html(dir: &Path) -> Result<Vec<Case>> {
    #[derive(Deserialize)]
    struct Gold {
        url: Option<String>,
        content: String,
    }
    let gold: HashMap<String, Gold> = read_json(&dir.join("ground_truth_zh.json"))?;
    let mut cases: Vec<Case> = gold
        .into_iter()
        .map(|(hash, g)| Case {
            name: hash.chars().take(12).collect(),
            path: dir.join("htmls").join(format!("{hash}.html")),
            url: g.url,
            body: Some(g.content),
            ..Case::default()
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
            title: non_empty(l.title),
            date: non_empty(l.date),
            author: non_empty(l.author),
            must_contain: l.with,
            must_not_contain: l.without,
            ..Case::default()
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
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
            .map(|html| crate::extract::html::visible_text(&html));
        cases.push(Case {
            name: entry.file_name().to_string_lossy().into_owned(),
            path: folder.join("source.html"),
            body,
            title: non_empty(expected.title),
            date: non_empty(expected.published_time),
            author: non_empty(expected.byline),
            ..Case::default()
        });
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(cases)
}

/// What a system produced for one page, for [`check`].
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
}

/// The outcome of one page; `None` where the page has no label for that check.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Body F1.
    pub f1: Option<f64>,
    /// Title matches: equal to the gold title after normalization, or the gold title minus a
    /// site suffix (gold titles of readability keep `_探索者 _光明网`).
    pub title_ok: Option<bool>,
    /// The date part of `published_at` equals the gold date.
    pub date_ok: Option<bool>,
    /// The gold author is one of the authors (or contains one, for readability's bylines).
    pub author_ok: Option<bool>,
    /// Must-contain snippets missing from the body.
    pub missing: Vec<String>,
    /// Must-not-contain snippets present in the body.
    pub unwanted: Vec<String>,
}

/// Checks a prediction against a case's labels.
pub fn check(metric: &BodyMetric, case: &Case, p: &Prediction) -> Outcome {
    let body = metric.normalize(&p.body);
    let found = |snippet: &String| body.contains(&metric.normalize(snippet));
    Outcome {
        f1: case.body.as_ref().map(|gold| metric.f1(&p.body, gold)),
        title_ok: case.title.as_ref().map(|gold| {
            let ours = metric.title_key(p.title.as_deref().unwrap_or(""));
            let gold = metric.title_key(gold);
            !ours.is_empty() && (gold == ours || gold.starts_with(&format!("{ours}|")))
        }),
        date_ok: case.date.as_ref().map(|gold| {
            let gold: String = gold.chars().take(10).collect();
            p.published_at
                .as_deref()
                .is_some_and(|d| d.starts_with(&gold))
        }),
        author_ok: case.author.as_ref().map(|gold| {
            let gold = metric.normalize(gold);
            p.authors.iter().any(|a| {
                let a = metric.normalize(a);
                !a.is_empty() && gold.contains(&a)
            })
        }),
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
