//! The fields of a JSON record: which one holds the page, the id and the URL, and how the
//! rest passes through to the output's `"meta"`. Shared by the CLI's JSONL reader
//! ([`super::jsonl`], feature `cli`) and callers that get records in another form (the Python
//! binding's dicts), so that both read a record the same way.

use serde_json::Value;

use crate::article::Passthrough;
use crate::pipeline::InputMeta;

/// Page fields tried in order when `--field` is not given.
pub const DEFAULT_PAGE_FIELDS: [&str; 4] = ["html", "content", "text", "raw"];

/// Which fields of a JSONL object hold the page, the id and the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlFields {
    /// The page field; `None` tries [`DEFAULT_PAGE_FIELDS`].
    pub page: Option<String>,
    /// The id field; `None` tries `id`, then the URL.
    pub id: Option<String>,
    /// The URL field.
    pub url: String,
}

impl Default for JsonlFields {
    fn default() -> Self {
        JsonlFields {
            page: None,
            id: None,
            url: "url".to_string(),
        }
    }
}

/// Fills `meta` from the fields of a record whose page has been taken out: the URL from
/// `names.url` (a string), the id from `names.id`, else `id` (a string, number or boolean),
/// else the URL; and all of `fields`, the id and URL included, unchanged for the output's
/// `"meta"` (`None` when there are none).
///
/// This is how a JSONL line's fields are read; callers that get records in another form (the
/// Python binding's dicts) use it so that their output matches the CLI's.
///
/// ```
/// use zhclean::internals::batch::record_fields::{record_meta, JsonlFields};
/// use zhclean::InputMeta;
/// let fields = serde_json::json!({"url": "http://a.cn/1", "site": "a"});
/// let mut meta = InputMeta::default();
/// record_meta(fields.as_object().unwrap().clone(), &JsonlFields::default(), &mut meta);
/// assert_eq!(meta.id.as_deref(), Some("http://a.cn/1"));
/// assert_eq!(meta.url.as_deref(), Some("http://a.cn/1"));
/// assert_eq!(serde_json::to_string(&meta.meta).unwrap(), r#"{"site":"a","url":"http://a.cn/1"}"#);
/// ```
pub fn record_meta(fields: Passthrough, names: &JsonlFields, meta: &mut InputMeta) {
    meta.url = fields
        .get(&names.url)
        .and_then(Value::as_str)
        .map(str::to_string);
    meta.id = match &names.id {
        Some(name) => fields.get(name).and_then(scalar_text),
        None => fields.get("id").and_then(scalar_text),
    }
    .or_else(|| meta.url.clone());
    meta.meta = (!fields.is_empty()).then_some(fields);
}

/// A string, number or boolean as text; `None` for null, arrays and objects.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
