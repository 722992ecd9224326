//! The output types: what one cleaned page becomes, and what a failed one becomes.
//!
//! This module owns the JSON schema (version [`SCHEMA_VERSION`], described in
//! `schema/article.schema.json` and the README). Every stage writes into these plain types;
//! none of them holds references into another stage's state.
//!
//! Names: [`InputReport`] is what the output says about an input (from the caller's
//! [`crate::InputMeta`] and the decoder); [`Passthrough`] is the other fields of a JSONL
//! record, written back unchanged under `"meta"`.
//!
//! Schema changes are additive only: new fields are optional (`#[serde(default)]`) so that
//! readers written for an older version-1 file keep working.

use serde::{Deserialize, Serialize};

/// Fields passed through unchanged from an input record (the other fields of a JSONL line),
/// written under the JSON key `"meta"` (the Rust fields that hold them are named `meta` after
/// that key).
pub type Passthrough = serde_json::Map<String, serde_json::Value>;

/// Version of the JSON output schema. Bumped only for incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// What we know about where an input came from and how its bytes were read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InputReport {
    /// File path the page was read from, if any.
    pub path: Option<String>,
    /// URL of the page, if the caller knows it.
    pub url: Option<String>,
    /// Name of the encoding the bytes were decoded with (WHATWG label, e.g. `"GBK"`, `"UTF-8"`).
    /// Empty when decoding never happened (e.g. the input was rejected before it).
    pub encoding: String,
    /// Number of malformed byte sequences replaced by U+FFFD while decoding.
    pub malformed: usize,
    /// Size of the raw input in bytes.
    pub bytes: usize,
    /// Which evidence decided the encoding: `bom`, `content_type`, `meta_charset`,
    /// `valid_utf8`, `utf16_pattern` or `detected`. Absent when decoding never happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset_evidence: Option<crate::decode::Evidence>,
    /// How the decoded input was read: `"html"` (main content found in the DOM first) or
    /// `"text"`. Absent when decoding never happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Line number (from 1) of the record in a JSONL input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Number (from 1) of the record in a WARC input, counting every WARC record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

/// Why a piece of text left the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RemovedKind {
    /// Site disclaimers and copyright notices (`凡本网注明…`, `版权所有`).
    Disclaimer,
    /// A list of unrelated headlines (often with bare timestamps), or a `相关新闻` block.
    RelatedHeadlines,
    /// A tag line (`标签：…`); its tags go to [`Article::tags`].
    TagLine,
    /// A reporter byline (`（记者孙红丽）`); its names go to [`Article::authors`].
    Byline,
    /// Navigation, breadcrumbs, share and print links.
    Navigation,
    /// A metadata line (source, editor, original title, date) whose value went to a field.
    Metadata,
    /// The title line; its text went to [`Article::title`].
    Title,
    /// Text that repeats across many pages of one site (batch mode).
    SiteTemplate,
    /// Other non-article text found by the HTML extractor (widgets, sidebars).
    Other,
    /// A comment or reply thread under the article: entries with user/time/reply headers,
    /// after a `网友评论`-style heading or in a comment container of the markup.
    Comments,
}

impl RemovedKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RemovedKind::Disclaimer => "disclaimer",
            RemovedKind::RelatedHeadlines => "related_headlines",
            RemovedKind::TagLine => "tag_line",
            RemovedKind::Byline => "byline",
            RemovedKind::Navigation => "navigation",
            RemovedKind::Metadata => "metadata",
            RemovedKind::Title => "title",
            RemovedKind::SiteTemplate => "site_template",
            RemovedKind::Other => "other",
            RemovedKind::Comments => "comments",
        }
    }
}

/// One piece of text taken out of the body, kept so that nothing disappears silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Removed {
    /// Why it was removed.
    pub kind: RemovedKind,
    /// The removed text, lines joined with `\n`.
    pub text: String,
}

/// Counts of every change the repair stage made to the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Repairs {
    /// `X(py)` pinyin annotations removed.
    pub pinyin_annotations: usize,
    /// Characters changed by traditional → simplified conversion.
    pub to_simplified: usize,
    /// Punctuation marks changed (half-width → full-width in Chinese context, full-width
    /// digits/letters → ASCII).
    pub punctuation: usize,
    /// Fragments of broken conversion removed (`?shù)` orphans, stray U+FFFD).
    pub garbled: usize,
    /// Control, zero-width and private-use characters dropped.
    pub dropped_chars: usize,
    /// Spans of GBK/Big5 byte-shift damage re-aligned (`當?shù)貤l件` → `當地條件`); each is
    /// listed in [`Article::repaired`].
    #[serde(default)]
    pub recovered: usize,
    /// Spans of mojibake (text decoded with the wrong encoding) re-decoded; each is listed in
    /// [`Article::repaired`].
    #[serde(default)]
    pub mojibake: usize,
}

impl Repairs {
    /// Adds every count of `other` to `self`.
    pub(crate) fn add(&mut self, other: &Repairs) {
        self.pinyin_annotations += other.pinyin_annotations;
        self.to_simplified += other.to_simplified;
        self.punctuation += other.punctuation;
        self.garbled += other.garbled;
        self.dropped_chars += other.dropped_chars;
        self.recovered += other.recovered;
        self.mojibake += other.mojibake;
    }
}

/// What kind of damage a [`RepairedSpan`] undid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RepairKind {
    /// GBK (or Big5) byte-shift damage: a byte lost, `?` in its place, the following
    /// double-byte stream read one byte out of step; re-aligned.
    ByteShift,
    /// UTF-8 bytes that had been decoded as GBK (`鍦版柟鏀垮簻` → `地方政府`).
    Utf8AsGbk,
    /// UTF-8 bytes that had been decoded as windows-1252 / Latin-1 (`æ•°æ®` → `数据`).
    Utf8AsLatin1,
    /// GBK bytes that had been decoded as Big5.
    GbkAsBig5,
    /// Big5 bytes that had been decoded as GBK.
    Big5AsGbk,
}

/// One span of damaged text that a forensic repair replaced, kept for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RepairedSpan {
    /// What was undone.
    pub kind: RepairKind,
    /// The damaged text as it was (before any later repair step).
    pub before: String,
    /// What replaced it.
    pub after: String,
    /// Characters of `after` chosen by the character model among the values of bytes a
    /// replacing decoder had lost (lossy mojibake); omitted when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub guessed: usize,
    /// Characters with lost bytes that could not be recovered and are left out of `after`
    /// (counted in [`Repairs::dropped_chars`] too); omitted when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dropped: usize,
}

impl RepairedSpan {
    /// A span replaced with nothing guessed and nothing dropped.
    pub(crate) fn new(kind: RepairKind, before: String, after: String) -> RepairedSpan {
        RepairedSpan {
            kind,
            before,
            after,
            guessed: 0,
            dropped: 0,
        }
    }
}

/// For `skip_serializing_if`: counts that are 0 are left out of the JSON.
pub(crate) fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A cleaned article: the JSON object written for each successful input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Article {
    /// Caller-supplied record id (JSONL `id`, WARC-Record-ID), if any.
    pub id: Option<String>,
    /// Where the input came from and how it was decoded.
    pub input: InputReport,
    /// The headline, or `None` when the page has none we can trust.
    pub title: Option<String>,
    /// Publication time as ISO 8601 (`2018-12-24T08:37:00+08:00`; `+08:00` when the page gives no zone).
    pub published_at: Option<String>,
    /// Reporters / authors, in page order, without duplicates.
    pub authors: Vec<String>,
    /// The source line (`来源：新华社`).
    pub source: Option<String>,
    /// The responsible editor (`责任编辑：张三`). Never an author.
    pub editor: Option<String>,
    /// `原标题：…`.
    pub original_title: Option<String>,
    /// Tags from the page's tag line (and, for HTML, `article:tag` / `rel=tag` markup, or the
    /// `<meta name=keywords>` when they are about this article rather than the site).
    pub tags: Vec<String>,
    /// The page's description (`og:description` / `<meta name=description>`); HTML only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The page's canonical URL (`<link rel=canonical>` / `og:url`); HTML only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    /// Top TF-IDF keywords of the body (jieba's IDF table), best first.
    pub keywords: Vec<String>,
    /// The article text: paragraphs separated by `\n`.
    pub body: String,
    /// Words of each body paragraph (same order as the lines of `body`); empty with `--no-segment`.
    pub words: crate::words::Words,
    /// Part-of-speech tags parallel to `words`; present only with `--pos`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos: Option<Vec<Vec<String>>>,
    /// Everything taken out of the page, in page order.
    pub removed: Vec<Removed>,
    /// What the repair stage changed.
    pub repairs: Repairs,
    /// Fields passed through from the input record (JSONL), unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Passthrough>,
    /// Every span replaced by byte-shift recovery or mojibake repair, in text order; omitted
    /// when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repaired: Vec<RepairedSpan>,
    /// Quality signals of the body and their score.
    #[serde(default)]
    pub quality: crate::quality::Quality,
}

/// The `error` object of a failed input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// Machine-readable kind, e.g. `"empty_input"`, `"not_text"`, `"io"`.
    pub kind: String,
    /// Human-readable message naming the problem.
    pub message: String,
}

/// The JSON object written for an input that failed: `{"id", "input", "error"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorRecord {
    /// Caller-supplied record id, if any.
    pub id: Option<String>,
    /// Where the input came from.
    pub input: InputReport,
    /// What went wrong.
    pub error: ErrorInfo,
    /// Fields passed through from the input record (JSONL), unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Passthrough>,
}

/// The JSON object written for an input that is deliberately not cleaned, e.g. an image or a
/// redirect in a WARC archive, or an article below `--min-quality`:
/// `{"id", "input", "skipped", "detail"}` (plus `"quality"` for `low_quality`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SkipRecord {
    /// Caller-supplied record id, if any.
    pub id: Option<String>,
    /// Where the input came from.
    pub input: InputReport,
    /// Machine-readable reason, e.g. `"not_html"`, `"http_status"`.
    pub skipped: String,
    /// The specifics, e.g. the content type `"image/png"` or the status `"404"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The quality that decided a `low_quality` skip (`--min-quality`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<crate::quality::Quality>,
    /// Fields passed through from the input record (JSONL), unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Passthrough>,
}
