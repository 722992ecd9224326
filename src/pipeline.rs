//! The pipeline: the one place that knows the order of the stages.
//!
//! decode → repair → extract → segment → [`Article`]. Each stage takes plain data and gives
//! plain data; [`Cleaner`] owns the heavy, shareable parts (jieba's dictionary, the OpenCC
//! converter, the compiled rule table) and is built once per process.

use std::path::PathBuf;

use crate::article::{Article, ErrorInfo, ErrorRecord, InputReport, Meta};
use crate::decode::{self, Hint};
use crate::error::{Error, Result};
use crate::extract::html::{self, Format};
use crate::extract::TextExtractor;
use crate::repair::{Repairer, Script};
use crate::segment::{Segmenter, DEFAULT_KEYWORDS};

/// How a [`Cleaner`] cleans. `Options::default()` is what the CLI does without flags.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Target script: simplified (default) or keep the page's own.
    pub script: Script,
    /// Segment the body into words and compute keywords (default `true`).
    pub segment: bool,
    /// Add part-of-speech tags (`Article::pos`) when segmenting.
    pub pos: bool,
    /// A jieba-format user dictionary added to the default one.
    pub user_dict: Option<PathBuf>,
    /// How many keywords to return.
    pub keywords: usize,
    /// Input format: [`Format::Auto`] (default) sniffs each input; `Html` / `Text` force it.
    pub format: Format,
    /// Batch runs write a `low_quality` skip record instead of an article whose
    /// `quality.score` is below this (see [`crate::batch::clean_item`]); `None` keeps all.
    pub min_quality: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            script: Script::Simplified,
            segment: true,
            pos: false,
            user_dict: None,
            keywords: DEFAULT_KEYWORDS,
            format: Format::Auto,
            min_quality: None,
        }
    }
}

/// What the caller knows about an input besides its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputMeta {
    /// Record id, copied to `Article::id`.
    pub id: Option<String>,
    /// File path, copied to `input.path`.
    pub path: Option<String>,
    /// Page URL, copied to `input.url`.
    pub url: Option<String>,
    /// HTTP `Content-Type` header, used as charset evidence.
    pub content_type: Option<String>,
    /// Format of this input when the caller knows it (e.g. a WARC record's `text/html`);
    /// overrides [`Options::format`]. `None` or `Some(Format::Auto)` defers to it.
    pub format: Option<Format>,
    /// Line number of the record in a JSONL input, copied to `input.line`.
    pub line: Option<u64>,
    /// Number of the record in a WARC input, copied to `input.record`.
    pub record: Option<u64>,
    /// Fields passed through to the output's `meta` (the other fields of a JSONL line).
    pub meta: Option<Meta>,
}

impl InputMeta {
    /// The `input` report for this input before anything was decoded.
    pub fn report(&self, bytes: usize) -> InputReport {
        InputReport {
            path: self.path.clone(),
            url: self.url.clone(),
            encoding: String::new(),
            malformed: 0,
            bytes,
            charset_evidence: None,
            format: None,
            line: self.line,
            record: self.record,
        }
    }
}

/// Turns raw page bytes into [`Article`]s. Build once with [`Cleaner::new`]; `Send + Sync`, so
/// one cleaner serves every worker thread.
///
/// ```
/// use zhclean::{Cleaner, InputMeta, Options};
/// let cleaner = Cleaner::new(Options::default()).unwrap();
/// let page = "據(jù)住房和城鄉(xiāng)建設(shè)部官網(wǎng)消息,按照完全自愿原則。";
/// let article = cleaner.clean(page.as_bytes(), &InputMeta::default()).unwrap();
/// assert_eq!(article.body, "据住房和城乡建设部官网消息，按照完全自愿原则。");
/// assert_eq!(article.repairs.pinyin_annotations, 4);
/// ```
pub struct Cleaner {
    options: Options,
    repairer: Repairer,
    extractor: TextExtractor,
    segmenter: Option<Segmenter>,
}

impl Cleaner {
    /// Builds a cleaner: loads the converter, compiles the rules and (unless segmentation is
    /// off) the jieba dictionary with the user dictionary.
    ///
    /// # Errors
    /// [`Error::UserDict`] when the user dictionary cannot be loaded.
    pub fn new(options: Options) -> Result<Cleaner> {
        let segmenter = if options.segment {
            let segmenter = Segmenter::new(options.user_dict.as_deref())?;
            Some(segmenter.with_keyword_count(options.keywords))
        } else {
            None
        };
        Ok(Cleaner {
            repairer: Repairer::new(options.script),
            extractor: TextExtractor::new(),
            segmenter,
            options,
        })
    }

    /// The options this cleaner was built with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Warnings from building the cleaner (e.g. user-dictionary lines without a frequency).
    pub fn warnings(&self) -> &[String] {
        self.segmenter
            .as_ref()
            .map_or(&[], |s| s.warnings.as_slice())
    }

    /// Cleans one page.
    ///
    /// # Errors
    /// [`Error::EmptyInput`] and [`Error::NotText`] from decoding. Never panics.
    pub fn clean(&self, bytes: &[u8], meta: &InputMeta) -> Result<Article> {
        let hint = Hint {
            content_type: meta.content_type.as_deref(),
        };
        let mut decoded = decode::decode(bytes, &hint)?;
        let format = match meta.format.unwrap_or(self.options.format) {
            Format::Auto => match self.options.format {
                Format::Auto => html::sniff(&decoded.text),
                forced => forced,
            },
            forced => forced,
        };
        let page = (format == Format::Html).then(|| html::extract(&decoded.text));
        let (mut extracted, mut repairs, mut spans) = match &page {
            // One code path after the DOM: the paragraphs go through the same repair and text
            // stages as text input. The HTML title leads the text so that the text stage takes
            // it, not a short first body line, as the title.
            Some(page) => {
                let title = page.meta.title.as_deref().unwrap_or("");
                let text = format!("{title}\n{}", page.content.paragraphs.join("\n"));
                let repaired = self.repairer.repair_decoded(&text, decoded.encoding);
                let extracted = self.extractor.extract(&repaired.text);
                (extracted, repaired.repairs, repaired.spans)
            }
            None => {
                let repaired = self
                    .repairer
                    .repair_decoded(&decoded.text, decoded.encoding);
                let extracted = self.extractor.extract(&repaired.text);
                (extracted, repaired.repairs, repaired.spans)
            }
        };
        // Only the encoding is needed from here on: a copy of the page less in memory while
        // the body is segmented (see docs/robustness.md, memory).
        decoded.text = String::new();
        let mut description = None;
        let mut canonical_url = None;
        if let Some(page) = page {
            // Metadata strings get the same repairs (T→S, punctuation) as the body.
            let mut repair = |s: &str| {
                let r = self.repairer.repair_decoded(s, decoded.encoding);
                repairs.add(&r.repairs);
                spans.extend(r.spans);
                r.text
            };
            let context = [
                &page.content.head_context[..],
                &page.content.tail_context[..],
            ]
            .concat()
            .join("\n");
            let context = self.extractor.extract(&repair(&context));
            let extras = html::merge(page, &mut extracted, &context, &mut repair);
            (description, canonical_url) = (extras.description, extras.canonical_url);
        }
        let segmented = self
            .segmenter
            .as_ref()
            .map(|s| s.segment(&extracted.paragraphs, self.options.pos))
            .unwrap_or_default();
        let body = extracted.paragraphs.join("\n");
        let quality = crate::quality::assess_repaired(&body, &spans);

        Ok(Article {
            id: meta.id.clone(),
            input: InputReport {
                encoding: decoded.encoding.name().to_string(),
                malformed: decoded.malformed,
                charset_evidence: Some(decoded.evidence),
                format: Some(format.as_str().to_string()),
                ..meta.report(bytes.len())
            },
            title: extracted.title,
            published_at: extracted.published_at,
            authors: extracted.authors,
            source: extracted.source,
            editor: extracted.editor,
            original_title: extracted.original_title,
            tags: extracted.tags,
            description,
            canonical_url,
            keywords: segmented.keywords,
            body,
            words: segmented.words,
            pos: segmented.pos,
            removed: extracted.removed,
            repairs,
            meta: meta.meta.clone(),
            repaired: spans,
            quality,
        })
    }

    /// Like [`Cleaner::clean`], but a failure becomes the error record written in its place,
    /// so that batch callers emit exactly one record per input.
    pub fn clean_record(
        &self,
        bytes: &[u8],
        meta: &InputMeta,
    ) -> std::result::Result<Article, Box<ErrorRecord>> {
        self.clean(bytes, meta)
            .map_err(|error| Box::new(error_record(meta, bytes.len(), &error)))
    }
}

/// The error record for an input that failed with `error`.
pub fn error_record(meta: &InputMeta, bytes: usize, error: &Error) -> ErrorRecord {
    ErrorRecord {
        id: meta.id.clone(),
        input: meta.report(bytes),
        error: ErrorInfo {
            kind: error.kind().to_string(),
            message: error.to_string(),
        },
        meta: meta.meta.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaner_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Cleaner>();
    }

    #[test]
    fn failures_become_error_records() {
        let cleaner = Cleaner::new(Options {
            segment: false,
            ..Options::default()
        })
        .unwrap();
        let meta = InputMeta {
            id: Some("r1".into()),
            path: Some("a.png".into()),
            ..InputMeta::default()
        };
        let record = cleaner
            .clean_record(b"\x89PNG\r\n\x1a\n....", &meta)
            .unwrap_err();
        assert_eq!(record.id.as_deref(), Some("r1"));
        assert_eq!(record.input.path.as_deref(), Some("a.png"));
        assert_eq!(record.error.kind, "not_text");
        assert_eq!(
            record.error.message,
            "input is not text: PNG image signature"
        );
    }
}
