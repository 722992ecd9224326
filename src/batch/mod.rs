//! Batch processing: many page records in, exactly one JSON line out per record.
//!
//! The flow runs one way:
//!
//! ```text
//! source (files, folders, JSONL, WARC, gzip, stdin)  →  Item          caller's thread, lazy
//!   → pool (bounded queue, N workers, one shared Cleaner) → Outcome   worker threads
//!   → site_template (optional look-ahead window)                     caller's thread, in order
//!   → quality score, --min-quality decision, JSON line               worker threads
//!   → stats → output                                                  caller's thread, in order
//! ```
//!
//! - [`source`] turns paths into a lazy stream of [`Item`]s: a page to clean, an input that
//!   could not be read (it becomes an error record), or one deliberately skipped (an image in a
//!   WARC archive). [`jsonl`] and [`warc`] read those container formats.
//! - [`pool`] cleans items on worker threads with a bounded number in flight, so memory stays
//!   flat, and hands results back in input order (or as they finish).
//! - [`site_template`] removes paragraphs that repeat across many pages of one site. The
//!   quality score and the `--min-quality` decision come after it (`score_and_judge`), so
//!   `quality` and that decision always describe the body written.
//! - [`runner`] ties these together for a full run with [`stats`], [`progress`] and
//!   [`output`]; the `zhclean` command is a thin layer over it.
//!
//! Names: [`Container`] is an input's container format (one page, JSONL, WARC), not the
//! page's own format ([`crate::extract::html::Format`]); [`Outcome`] is what one record became
//! (article, error or skip record); [`site_template::TemplateOptions`] tune the cross-record
//! stage, apart from the cleaner's [`crate::Options`].
//!
//! Contract: every [`Item`] yields exactly one [`Outcome`]: an article, an error record or a
//! skip record. A panic while cleaning one record becomes that record's error record.
//!
//! For library callers (ingestion jobs, the Python binding), [`clean_many`] is the whole thing
//! in one call: an iterator of `(bytes, InputMeta)` in, an iterator of [`Outcome`]s out, in
//! order, cleaned on a bounded pool of threads.
//!
//! ```
//! use std::sync::Arc;
//! use zhclean::{clean_many, Outcome};
//! use zhclean::{Cleaner, InputMeta, Options};
//!
//! # fn main() -> Result<(), zhclean::Error> {
//! let cleaner = Arc::new(Cleaner::new(Options::default())?);
//! let pages = vec![
//!     ("據悉,會議在北京舉行。".as_bytes().to_vec(), InputMeta::default().id("a")),
//!     (Vec::new(), InputMeta::default().id("b")),
//! ];
//! let outcomes: Vec<Outcome> = clean_many(cleaner, pages.into_iter(), 2).collect();
//! assert_eq!(outcomes.len(), 2);
//! assert!(matches!(&outcomes[0], Outcome::Article(a) if a.body == "据悉，会议在北京举行。"));
//! assert!(matches!(&outcomes[1], Outcome::Error(e) if e.error.kind == "empty_input"));
//! # Ok(())
//! # }
//! ```

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use serde::Serialize;

use crate::article::{Article, ErrorRecord, SkipRecord};
use crate::pipeline::{Cleaner, InputMeta};

pub mod json_line;
pub mod pool;
#[cfg(any(feature = "cli", feature = "internals"))]
pub mod record_fields;
// Reading files, folders, JSONL and WARC, writing output files, the full run: the command
// line's batch (feature `cli`). The library's batch is `clean_many`.
#[cfg(feature = "cli")]
pub mod gzip;
#[cfg(feature = "cli")]
pub mod jsonl;
#[cfg(feature = "cli")]
pub mod output;
#[cfg(feature = "cli")]
pub mod progress;
#[cfg(feature = "cli")]
pub mod runner;
#[cfg(feature = "cli")]
pub mod site_template;
#[cfg(feature = "cli")]
pub mod source;
#[cfg(feature = "cli")]
pub use source::Container;
#[cfg(feature = "cli")]
pub mod stats;
#[cfg(feature = "cli")]
pub mod stream;
#[cfg(feature = "cli")]
pub mod warc;

/// One input record on its way to a worker.
#[derive(Debug)]
pub enum Item {
    /// A page to clean.
    Page {
        /// The raw page bytes, any encoding.
        bytes: Vec<u8>,
        /// Where it came from.
        meta: InputMeta,
    },
    /// A record that could not be read or parsed; it becomes an error record.
    // Made by the readers of the `cli` feature and by the Python binding; `clean_many` only
    // makes pages.
    #[cfg_attr(not(any(feature = "cli", feature = "internals")), allow(dead_code))]
    Failed {
        /// Where it came from (as far as is known).
        meta: InputMeta,
        /// How many bytes of it were read.
        bytes: usize,
        /// What went wrong.
        error: InputError,
    },
    /// A record that is deliberately not cleaned (e.g. an image response); it becomes a skip
    /// record.
    #[cfg_attr(not(any(feature = "cli", feature = "internals")), allow(dead_code))]
    Skipped {
        /// Where it came from.
        meta: InputMeta,
        /// Size of the record's payload.
        bytes: usize,
        /// Machine-readable reason (`"not_html"`, `"http_status"`).
        reason: &'static str,
        /// The specifics (`"image/png"`, `"404"`).
        detail: Option<String>,
    },
    #[cfg(feature = "cli")]
    /// A record not parsed yet (a JSONL line, a WARC record's HTTP response): parsing is left
    /// to the worker ([`Item::parse`]), so that the one thread reading for all workers only
    /// finds where records start and end.
    Raw {
        /// The record as read (a JSONL line without its line ending or a BOM; an HTTP
        /// response, head and body).
        bytes: Vec<u8>,
        /// Where it came from.
        meta: InputMeta,
        /// How to parse it.
        format: RawFormat,
    },
}

/// How an [`Item::Raw`] record is parsed.
#[cfg(feature = "cli")]
#[derive(Debug, Clone)]
pub enum RawFormat {
    /// A JSONL line; which fields hold the page, the id and the URL.
    JsonlLine(Arc<jsonl::JsonlFields>),
    /// The block of a WARC `response` record; pages above `max_page_bytes` are errors.
    HttpResponse {
        /// The page limit in bytes.
        max_page_bytes: usize,
    },
}

impl Item {
    /// A page to clean.
    pub fn page(bytes: Vec<u8>, meta: InputMeta) -> Item {
        Item::Page { bytes, meta }
    }

    /// The item ready for cleaning: an [`Item::Raw`] parsed into a page, an error item or a
    /// skip item; any other item unchanged.
    pub fn parse(self) -> Item {
        #[cfg(not(feature = "cli"))]
        return self;
        #[cfg(feature = "cli")]
        match self {
            Item::Raw {
                bytes,
                meta,
                format: RawFormat::JsonlLine(fields),
            } => jsonl::parse_line(&bytes, meta, &fields),
            Item::Raw {
                bytes,
                meta,
                format: RawFormat::HttpResponse { max_page_bytes },
            } => warc::http_item(&bytes, meta, max_page_bytes),
            other => other,
        }
    }

    /// The bytes the item carries (a page, a raw record; 0 for failed and skipped records):
    /// its weight in the batch pools, which bound the bytes in flight.
    pub fn weight(&self) -> usize {
        match self {
            Item::Page { bytes, .. } => bytes.len(),
            #[cfg(feature = "cli")]
            Item::Raw { bytes, .. } => bytes.len(),
            Item::Failed { .. } | Item::Skipped { .. } => 0,
        }
    }

    /// A record that failed before cleaning with `kind` and a message naming the input.
    #[cfg(any(feature = "cli", feature = "internals"))]
    pub fn failed(meta: InputMeta, bytes: usize, kind: &'static str, message: String) -> Item {
        Item::Failed {
            meta,
            bytes,
            error: InputError { kind, message },
        }
    }
}

/// Why a record could not even be handed to the cleaner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Machine-readable kind: `"io"`, `"gzip"`, `"not_json"`, `"missing_field"`,
    /// `"too_large"`, `"warc_truncated"`, `"warc_format"`, `"http"`, `"content_encoding"`,
    /// `"symlink_loop"`.
    pub kind: &'static str,
    /// Human-readable message saying what is wrong (the input is named by the record's
    /// `input`; [`describe`] names it in messages on stderr).
    pub message: String,
}

/// What one input record became: the object written as its output line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Outcome {
    /// A cleaned article.
    Article(Box<Article>),
    /// An input that failed.
    Error(Box<ErrorRecord>),
    /// An input that was skipped on purpose.
    Skipped(Box<SkipRecord>),
}

impl Outcome {
    /// `true` for error records.
    pub fn is_error(&self) -> bool {
        matches!(self, Outcome::Error(_))
    }

    /// The record as one line of JSON (or pretty-printed JSON), without the newline.
    pub fn to_json(&self, pretty: bool) -> String {
        let result = if pretty {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        result.unwrap_or_else(|e| serialise_error(&e))
    }

    /// Appends the record to `out` as [`Outcome::to_json`] writes it, plus a newline. Bytes,
    /// not a `String`: writing into a buffer sized up front saves the regrowing (an article
    /// is tens of kilobytes of JSON) and the UTF-8 check a `String` would need afterwards.
    pub fn write_json_line(&self, pretty: bool, out: &mut Vec<u8>) {
        let start = out.len();
        if let Outcome::Article(article) = self {
            // Body and words dominate: each body byte appears about twice, plus quoting.
            out.reserve(article.body.len() * 3 + 1024);
        }
        let result = match self {
            _ if pretty => serde_json::to_writer_pretty(&mut *out, self),
            // Articles are nearly all the output: written by hand, the same bytes, faster.
            Outcome::Article(article) => json_line::write_article(article, out),
            _ => serde_json::to_writer(&mut *out, self),
        };
        if let Err(e) = result {
            out.truncate(start);
            out.extend_from_slice(serialise_error(&e).as_bytes());
        }
        out.push(b'\n');
    }
}

/// What is written in place of a record that failed to serialise. Our types are strings,
/// numbers, lists and JSON values read from JSON: serialising them cannot fail, but if it
/// ever did the record must still be accounted for.
fn serialise_error(error: &serde_json::Error) -> String {
    serde_json::json!({"error": {"kind": "internal", "message": error.to_string()}}).to_string()
}

/// How an input is named in messages: `path:line`, `path#record`, the URL, the id, or `<stdin>`.
#[cfg(any(feature = "cli", feature = "internals"))]
pub fn describe(meta: &InputMeta) -> String {
    let base = meta
        .path
        .clone()
        .or_else(|| meta.url.clone())
        .or_else(|| meta.id.clone())
        .unwrap_or_else(|| "<stdin>".to_string());
    match (meta.line, meta.record) {
        (Some(line), _) => format!("{base}:{line}"),
        (None, Some(record)) => format!("{base}#{record}"),
        _ => base,
    }
}

/// Cleans one item with `cleaner`, turning a failure or a panic into the record written in
/// its place, and an article whose `quality.score` is below `min_quality` into a
/// `low_quality` skip record. Never panics.
///
/// The batch runner does the same in two steps, `clean_item_unscored` and
/// `score_and_judge`, with the site-template stage between them, so that `quality` and
/// the decision describe the body written.
pub fn clean_item(cleaner: &Cleaner, item: Item, min_quality: Option<f64>) -> Outcome {
    keep_or_skip(clean_item_scored_or_not(cleaner, item, true), min_quality)
}

/// [`clean_item`] without the quality score (`quality` left at its default) and without the
/// `--min-quality` decision: every page that cleans is an [`Outcome::Article`], to be scored
/// by [`score_and_judge`]. Never panics.
#[cfg(feature = "cli")]
pub(crate) fn clean_item_unscored(cleaner: &Cleaner, item: Item) -> Outcome {
    clean_item_scored_or_not(cleaner, item, false)
}

/// Scores an article's body ([`crate::quality::assess_repaired`]), then makes the
/// `--min-quality` decision ([`keep_or_skip`]); any other outcome is kept as it is.
#[cfg(feature = "cli")]
pub(crate) fn score_and_judge(outcome: Outcome, min_quality: Option<f64>) -> Outcome {
    let mut outcome = outcome;
    if let Outcome::Article(article) = &mut outcome {
        article.quality = crate::quality::assess_repaired(&article.body, &article.repaired);
    }
    keep_or_skip(outcome, min_quality)
}

/// The work of [`clean_item`] (`score`) and `clean_item_unscored` (not).
fn clean_item_scored_or_not(cleaner: &Cleaner, item: Item, score: bool) -> Outcome {
    match item.parse() {
        Item::Page { bytes, meta } => {
            let cleaned = panic::catch_unwind(AssertUnwindSafe(|| {
                let cleaned = if score {
                    cleaner.clean_record(&bytes, &meta)
                } else {
                    cleaner.clean_record_unscored(&bytes, &meta)
                };
                match cleaned {
                    Ok(article) => Outcome::Article(Box::new(article)),
                    Err(record) => Outcome::Error(record),
                }
            }));
            cleaned.unwrap_or_else(|payload| {
                Outcome::Error(Box::new(panic_record(&meta, bytes.len(), payload.as_ref())))
            })
        }
        Item::Failed { meta, bytes, error } => Outcome::Error(Box::new(ErrorRecord::new(
            &meta,
            bytes,
            error.kind,
            error.message,
        ))),
        Item::Skipped {
            meta,
            bytes,
            reason,
            detail,
        } => Outcome::Skipped(Box::new(SkipRecord {
            id: meta.id.clone(),
            input: meta.report(bytes),
            skipped: reason.to_string(),
            detail,
            meta: meta.meta,
            quality: None,
        })),
        // `parse` leaves no record unparsed.
        #[cfg(feature = "cli")]
        Item::Raw { bytes, meta, .. } => Outcome::Error(Box::new(ErrorRecord::new(
            &meta,
            bytes.len(),
            "internal",
            "record left unparsed (a bug; please report it)".to_string(),
        ))),
    }
}

/// The `--min-quality` decision: an article whose score is below `min_quality` becomes a
/// `low_quality` skip record (never a silent drop); any other outcome is kept.
fn keep_or_skip(outcome: Outcome, min_quality: Option<f64>) -> Outcome {
    let article = match outcome {
        Outcome::Article(article) => article,
        other => return other,
    };
    match min_quality {
        Some(min) if article.quality.score < min => Outcome::Skipped(Box::new(SkipRecord {
            detail: Some(format!(
                "quality score {:.3} is below --min-quality {min}",
                article.quality.score
            )),
            id: article.id,
            input: article.input,
            skipped: "low_quality".to_string(),
            meta: article.meta,
            quality: Some(article.quality),
        })),
        _ => Outcome::Article(article),
    }
}

/// The error kind of a record whose cleaning panicked: a bug in zhclean, never the input's
/// fault. The CLI and the Python binding both report it so.
pub const PANIC: &str = "panic";

/// The message of an error record whose cleaning panicked with `payload` (`panic!("…")` gives
/// a `&str` or a `String`): the panic's text, marked as a bug.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    let what = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "unknown panic"
    };
    format!("internal error in zhclean (a bug; please report it): {what}")
}

/// The error record for the input `meta` (`bytes` long) whose cleaning panicked with `payload`.
pub fn panic_record(meta: &InputMeta, bytes: usize, payload: &(dyn Any + Send)) -> ErrorRecord {
    ErrorRecord::new(meta, bytes, PANIC, panic_message(payload))
}

/// Cleans `pages` on `jobs` worker threads sharing `cleaner`, yielding one [`Outcome`] per
/// page in input order. At most a few pages per worker, and at most 8 MiB of pages (or one
/// larger page), are in flight, so memory stays flat however long `pages` is and however
/// large its pages are; `pages` is pulled lazily on the calling thread and need not be
/// `Send`.
///
/// This is the library form of a batch run (no sources, templates or output files): see the
/// module example.
pub fn clean_many<I>(cleaner: Arc<Cleaner>, pages: I, jobs: usize) -> CleanMany<I>
where
    I: Iterator<Item = (Vec<u8>, InputMeta)>,
{
    let work = move |item: Item| clean_item(&cleaner, item, None);
    CleanMany {
        inner: pool::PoolIter::new(
            pages.map(to_item as fn((Vec<u8>, InputMeta)) -> Item),
            pool::PoolOptions::new(jobs),
            work,
        )
        .weighed_by(Item::weight),
    }
}

fn to_item((bytes, meta): (Vec<u8>, InputMeta)) -> Item {
    Item::page(bytes, meta)
}

/// Pages paired with what is known about them, turned into [`Item`]s.
type PageItems<I> = std::iter::Map<I, fn((Vec<u8>, InputMeta)) -> Item>;

/// The iterator returned by [`clean_many`].
pub struct CleanMany<I: Iterator<Item = (Vec<u8>, InputMeta)>> {
    inner: pool::PoolIter<PageItems<I>, Outcome>,
}

impl<I: Iterator<Item = (Vec<u8>, InputMeta)>> Iterator for CleanMany<I> {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        self.inner
            .next()
            .map(|result| result.unwrap_or_else(pool::Panicked::into_outcome))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::Words;

    #[test]
    fn json_line_is_to_json_plus_a_newline() {
        let article = Outcome::Article(Box::new(crate::Article {
            body: "正文。\n\"引号\"".into(),
            words: Words::from_paragraphs([vec!["正文", "。"], vec!["\"", "引号", "\""]]),
            ..crate::Article::default()
        }));
        let error = Outcome::Error(Box::new(ErrorRecord::new(
            &InputMeta::default(),
            3,
            "io",
            "cannot read".into(),
        )));
        for outcome in [article, error] {
            for pretty in [false, true] {
                let mut line = b"earlier line\n".to_vec();
                outcome.write_json_line(pretty, &mut line);
                let expected = format!("earlier line\n{}\n", outcome.to_json(pretty));
                assert_eq!(String::from_utf8(line).unwrap(), expected);
            }
        }
    }
}
