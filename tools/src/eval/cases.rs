//! Reading a labelled devset: [`load`] detects the layout of a directory (see the
//! [module doc](super)) and gives one [`Case`] per page, with its gold body, [`Labels`] and
//! snippet checks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use zhclean::{Error, Result};

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
