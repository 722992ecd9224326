//! JSON-LD (`<script type="application/ld+json">`): the fields read from it
//! (`headline`, `datePublished`, `dateModified`, `author`, …), whatever the nesting
//! (`@graph`, lists).

use super::collapse;

/// What [`parse_json_ld`] read.
#[derive(Default)]
pub(super) struct JsonLd {
    pub(super) headline: Option<String>,
    pub(super) date: Option<String>,
    pub(super) authors: Vec<String>,
    pub(super) description: Option<String>,
}

/// Reads `headline`, `datePublished`, `author` and `description` of the first article-like
/// object (`NewsArticle`, `Article`, `BlogPosting`, … or any object with a `headline`) in the
/// JSON-LD scripts, looking inside arrays and `@graph`.
pub(super) fn parse_json_ld(scripts: &[String]) -> JsonLd {
    fn walk(value: &serde_json::Value, out: &mut JsonLd, depth: usize) {
        if depth > 6 {
            return;
        }
        match value {
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out, depth + 1)),
            serde_json::Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    walk(graph, out, depth + 1);
                }
                // (Baidu's `cambrian` JSON-LD, on many Chinese sites, has `title` and
                // `pubDate` and no `@type`.)
                let cambrian = map.contains_key("pubDate");
                let is_article = map.contains_key("headline")
                    || cambrian
                    || map.get("@type").and_then(|t| t.as_str()).is_some_and(|t| {
                        t.ends_with("Article") || t == "BlogPosting" || t == "Report"
                    });
                if !is_article {
                    return;
                }
                let text = |key: &str| {
                    map.get(key)
                        .and_then(|v| v.as_str())
                        .map(collapse)
                        .filter(|s| !s.is_empty())
                };
                out.headline = out.headline.take().or_else(|| text("headline"));
                if cambrian {
                    out.headline = out.headline.take().or_else(|| text("title"));
                }
                out.date = out
                    .date
                    .take()
                    .or_else(|| text("datePublished"))
                    .or_else(|| text("pubDate"));
                out.description = out.description.take().or_else(|| text("description"));
                if out.authors.is_empty() {
                    let mut names = Vec::new();
                    author_names(map.get("author"), &mut names);
                    out.authors = names;
                }
            }
            _ => {}
        }
    }
    fn author_names(value: Option<&serde_json::Value>, out: &mut Vec<String>) {
        match value {
            Some(serde_json::Value::String(s)) => out.push(collapse(s)),
            Some(serde_json::Value::Array(items)) => {
                items.iter().for_each(|v| author_names(Some(v), out));
            }
            Some(serde_json::Value::Object(map)) => {
                let is_org = map
                    .get("@type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t == "Organization");
                if !is_org {
                    author_names(map.get("name"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = JsonLd::default();
    for script in scripts {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(script.trim()) {
            walk(&value, &mut out, 0);
        }
    }
    out
}
