//! The pipeline: the one place that knows the order of the stages.
//!
//! decode → repair → extract (HTML: DOM, then text) → field decision → segment →
//! [`Article`]. The extract stages find field candidates; [`crate::extract::fields`] decides
//! them all in one place (with the page URL's date and the fetch date), and
//! [`Cleaner::clean_explained`] returns that decision record. Each stage takes plain data and
//! gives plain data; [`Cleaner`] owns the heavy, shareable parts (jieba's dictionary, the OpenCC
//! converter, the compiled rule table) and is built once per process.

use std::path::PathBuf;

use crate::article::{Article, ErrorInfo, ErrorRecord, InputReport, Passthrough};
use crate::decode::{self, Hint};
use crate::error::{Error, Result};
use crate::extract::fields::{
    self, parse_fetch_date, Candidate, Facts, Field, FieldReport, Verdict, Zone,
};
use crate::extract::html::{self, Format};
use crate::extract::lines::Hints;
use crate::extract::TextExtractor;
use crate::repair::{Repairer, Script};
use crate::segment::{Segmenter, DEFAULT_KEYWORDS};

/// How a [`Cleaner`] cleans. `Options::default()` is what the CLI does without flags; the
/// setters change one option each:
///
/// ```
/// use zhclean::{Format, Options, Script};
/// let options = Options::default().script(Script::Keep).segment(false).format(Format::Html);
/// assert_eq!(options.script, Script::Keep);
/// assert!(!options.segment);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
        }
    }
}

impl Options {
    /// Sets the target script.
    #[must_use]
    pub fn script(mut self, script: Script) -> Options {
        self.script = script;
        self
    }

    /// Turns segmentation (words and keywords) on or off.
    #[must_use]
    pub fn segment(mut self, segment: bool) -> Options {
        self.segment = segment;
        self
    }

    /// Turns part-of-speech tags on or off.
    #[must_use]
    pub fn pos(mut self, pos: bool) -> Options {
        self.pos = pos;
        self
    }

    /// Adds a jieba-format user dictionary (`None`: the default dictionary alone).
    #[must_use]
    pub fn user_dict(mut self, path: Option<PathBuf>) -> Options {
        self.user_dict = path;
        self
    }

    /// Sets how many keywords to return.
    #[must_use]
    pub fn keywords(mut self, keywords: usize) -> Options {
        self.keywords = keywords;
        self
    }

    /// Sets the input format ([`Format::Auto`] sniffs each input).
    #[must_use]
    pub fn format(mut self, format: Format) -> Options {
        self.format = format;
        self
    }
}

/// What the caller knows about an input besides its bytes. Built from `InputMeta::default()`
/// with one setter per field:
///
/// ```
/// use zhclean::InputMeta;
/// let meta = InputMeta::default().id("a1").url("http://news.example.cn/2024/01/02/1.html");
/// assert_eq!(meta.id.as_deref(), Some("a1"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
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
    pub meta: Option<Passthrough>,
    /// When the page was fetched: a WARC record's `WARC-Date` or the HTTP `Date` header, ISO
    /// 8601 (`2024-05-20T08:15:30Z`) or an HTTP date (`Mon, 20 May 2024 08:15:30 GMT`). A
    /// publication date after it is never taken.
    pub fetched_at: Option<String>,
}

impl InputMeta {
    /// Sets the record id.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> InputMeta {
        self.id = Some(id.into());
        self
    }

    /// Sets the file path.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> InputMeta {
        self.path = Some(path.into());
        self
    }

    /// Sets the page URL.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> InputMeta {
        self.url = Some(url.into());
        self
    }

    /// Sets the HTTP `Content-Type` header.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> InputMeta {
        self.content_type = Some(content_type.into());
        self
    }

    /// Sets this input's format.
    #[must_use]
    pub fn format(mut self, format: Format) -> InputMeta {
        self.format = Some(format);
        self
    }

    /// Sets the line number in a JSONL input.
    #[must_use]
    pub fn line(mut self, line: u64) -> InputMeta {
        self.line = Some(line);
        self
    }

    /// Sets the record number in a WARC input.
    #[must_use]
    pub fn record(mut self, record: u64) -> InputMeta {
        self.record = Some(record);
        self
    }

    /// Sets the fields passed through to the output's `meta`.
    #[must_use]
    pub fn meta(mut self, meta: Passthrough) -> InputMeta {
        self.meta = Some(meta);
        self
    }

    /// Sets when the page was fetched.
    #[must_use]
    pub fn fetched_at(mut self, fetched_at: impl Into<String>) -> InputMeta {
        self.fetched_at = Some(fetched_at.into());
        self
    }

    /// The `input` report for this input before anything was decoded.
    pub(crate) fn report(&self, bytes: usize) -> InputReport {
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

    /// The repair stage this cleaner runs (the explain page replays it step by step).
    #[cfg(feature = "cli")]
    pub(crate) fn repairer(&self) -> &Repairer {
        &self.repairer
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
        self.run(bytes, meta, false, true)
            .map(|(article, _)| article)
    }

    /// Like [`Cleaner::clean`], and also returns how each field was decided: every candidate
    /// the stages found, with its zone, rule, evidence and verdict (see [`crate::fields`]).
    ///
    /// ```
    /// use zhclean::{Cleaner, InputMeta, Options};
    /// use zhclean::fields::{Field, Zone};
    /// let cleaner = Cleaner::new(Options::default().segment(false)).unwrap();
    /// let page = "<html><head><title>标题</title><meta name=author content=张三></head><body>\
    ///     <h1>标题</h1><p>本报记者 李四</p><p>正文第一段，讲了一件事情，内容足够长。</p></body></html>";
    /// let (article, fields) = cleaner.clean_explained(page.as_bytes(), &InputMeta::default()).unwrap();
    /// assert_eq!(article.authors, ["李四"]);
    /// let won = fields.chosen(Field::Authors);
    /// assert_eq!((won[0].zone, won[0].rule), (Zone::Header, "byline_role"));
    /// ```
    ///
    /// # Errors
    /// As [`Cleaner::clean`].
    pub fn clean_explained(
        &self,
        bytes: &[u8],
        meta: &InputMeta,
    ) -> Result<(Article, FieldReport)> {
        self.run(bytes, meta, true, true)
    }

    /// Both [`Cleaner::clean`] and [`Cleaner::clean_explained`]; without `explain` the
    /// report's values are moved into the article, not copied (the report is dropped). Without
    /// `score`, `quality` is left at its default (see [`Cleaner::clean_record_unscored`]).
    ///
    /// About 200 lines on purpose: it is the one place that knows the order of the stages,
    /// each a few commented lines, read top to bottom.
    fn run(
        &self,
        bytes: &[u8],
        meta: &InputMeta,
        explain: bool,
        score: bool,
    ) -> Result<(Article, FieldReport)> {
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
        let page = (format == Format::Html).then(|| html::parse_page(&decoded.text));
        let repaired = match &page {
            Some(page) => self
                .repairer
                .repair_decoded(&page.content.paragraphs.join("\n"), decoded.encoding),
            None => self
                .repairer
                .repair_decoded(&decoded.text, decoded.encoding),
        };
        let (mut repairs, mut spans) = (repaired.repairs, repaired.spans);
        // Metadata strings get the same repairs (T→S, punctuation) as the body.
        let mut repair = |s: &str| {
            let r = self.repairer.repair_decoded(s, decoded.encoding);
            repairs.add(&r.repairs);
            spans.extend(r.spans);
            r.text
        };
        // Only the encoding is needed from here on: a copy of the page less in memory while
        // the body is segmented (see docs/robustness.md, memory).
        decoded.text = String::new();
        let mut description = None;
        let mut canonical_url = None;
        let mut facts = Facts::default();
        let mut markup_raw: Vec<(String, String)> = Vec::new();
        let (mut extracted, mut candidates) = match page {
            // One code path after the DOM: the paragraphs go through the same repair and text
            // stages as text input. The markup's title is a hint: the text stage takes the line
            // equal to it, not a short first body line, as the title line.
            Some(page) => {
                // (Repaired uncounted: the chosen title's repairs are counted with the markup's.)
                let title = page
                    .meta
                    .title
                    .as_deref()
                    .map(|t| self.repairer.repair_decoded(t, decoded.encoding).text);
                let hints = Hints {
                    title: title.as_deref(),
                    zone: None,
                };
                let mut body = self.extractor.candidates_with(&repaired.text, &hints);
                let mut candidates = std::mem::take(&mut body.candidates);
                // The short blocks under the headline and after the container: their
                // metadata lines only.
                for (blocks, zone) in [
                    (&page.content.head_context, Zone::Header),
                    (&page.content.tail_context, Zone::Footer),
                ] {
                    if blocks.is_empty() {
                        continue;
                    }
                    let text = repair(&blocks.join("\n"));
                    let hints = Hints {
                        title: None,
                        zone: Some(zone),
                    };
                    let context = self.extractor.candidates_with(&text, &hints);
                    candidates.extend(
                        context
                            .candidates
                            .into_iter()
                            .filter(|c| c.field != Field::Title),
                    );
                }
                // Author elements around the article (`<span class="author">王帆</span>`).
                for (zone, text) in &page.content.author_texts {
                    let text = self.repairer.repair_decoded(text, decoded.encoding).text;
                    for name in html::markup::author_element_names(&text) {
                        candidates.push(Candidate::new(
                            Field::Authors,
                            &name,
                            *zone,
                            "author_element",
                            &text,
                        ));
                    }
                }
                let head_context: Vec<String> = page
                    .content
                    .head_context
                    .iter()
                    .map(|l| repair(l))
                    .collect();
                candidates.extend(html::layout_candidates(&head_context, &body.paragraphs));
                // Markup values are repaired like the body; their repairs are counted below, for
                // the values chosen only (the evidence keeps the page's own text).
                for mut c in page.meta.candidates {
                    let repaired = self
                        .repairer
                        .repair_decoded(&c.value, decoded.encoding)
                        .text;
                    let raw = std::mem::replace(&mut c.value, repaired);
                    markup_raw.push((c.value.clone(), raw));
                    candidates.push(c);
                }
                facts.site_names = page.meta.site_names.iter().map(|n| repair(n)).collect();
                facts.text = format!(
                    "{}\n{}",
                    title.unwrap_or_default(),
                    body.paragraphs.join("\n")
                );
                let mut removed = page.content.removed;
                removed.append(&mut body.removed);
                body.removed = removed;
                description = page.meta.description.as_deref().map(&mut repair);
                canonical_url = page.meta.canonical_url;
                (body, candidates)
            }
            None => {
                let mut body = self
                    .extractor
                    .candidates_with(&repaired.text, &Hints::default());
                let candidates = std::mem::take(&mut body.candidates);
                // (`facts.text` is for the keywords test: text has no keywords markup.)
                (body, candidates)
            }
        };
        if let Some(date) = meta
            .url
            .as_deref()
            .or(canonical_url.as_deref())
            .and_then(crate::extract::values::url_date)
        {
            let url = meta
                .url
                .as_deref()
                .or(canonical_url.as_deref())
                .unwrap_or("");
            candidates.push(Candidate::new(
                Field::PublishedAt,
                &date,
                Zone::Url,
                "url",
                url,
            ));
        }
        facts.fetched_at = meta.fetched_at.as_deref().and_then(parse_fetch_date);
        let mut report = fields::decide(candidates, &facts);
        for c in report.decisions.iter().flat_map(|d| &d.candidates) {
            if c.verdict != Verdict::Chosen || c.candidate.zone != Zone::Markup {
                continue;
            }
            if let Some((_, raw)) = markup_raw.iter().find(|(v, _)| *v == c.candidate.value) {
                repair(raw);
            }
        }
        extracted.set_values(if explain {
            report.values.clone()
        } else {
            std::mem::take(&mut report.values)
        });

        let segmented = self
            .segmenter
            .as_ref()
            .map(|s| s.segment(&extracted.paragraphs, self.options.pos))
            .unwrap_or_default();
        let body = extracted.paragraphs.join("\n");
        let quality = if score {
            crate::quality::assess_repaired(&body, &spans)
        } else {
            crate::quality::Quality::default()
        };

        let article = Article {
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
        };
        Ok((article, report))
    }

    /// Like [`Cleaner::clean`], but a failure becomes the error record written in its place,
    /// so that batch callers emit exactly one record per input.
    pub fn clean_record(
        &self,
        bytes: &[u8],
        meta: &InputMeta,
    ) -> std::result::Result<Article, Box<ErrorRecord>> {
        self.clean(bytes, meta)
            .map_err(|error| Box::new(ErrorRecord::from_error(meta, bytes.len(), &error)))
    }

    /// [`Cleaner::clean_record`] with `quality` left unscored (at its default), for the batch
    /// runner: it scores each article once the site-template stage has edited its body (see
    /// [`crate::batch::score_and_judge`]), so that the score describes the body written.
    pub(crate) fn clean_record_unscored(
        &self,
        bytes: &[u8],
        meta: &InputMeta,
    ) -> std::result::Result<Article, Box<ErrorRecord>> {
        self.run(bytes, meta, false, false)
            .map(|(article, _)| article)
            .map_err(|error| Box::new(ErrorRecord::from_error(meta, bytes.len(), &error)))
    }
}

impl ErrorRecord {
    /// The error record for the input `meta` (`bytes` long) that failed with `kind` (e.g.
    /// [`Error::kind`]) and `message`: the one place error records are made.
    pub fn new(meta: &InputMeta, bytes: usize, kind: &str, message: String) -> ErrorRecord {
        ErrorRecord {
            id: meta.id.clone(),
            input: meta.report(bytes),
            error: ErrorInfo {
                kind: kind.to_string(),
                message,
            },
            meta: meta.meta.clone(),
        }
    }

    /// The error record for the input `meta` (`bytes` long) that failed with `error`.
    ///
    /// ```
    /// use zhclean::{Error, ErrorRecord, InputMeta};
    /// let record = ErrorRecord::from_error(&InputMeta::default().id("a"), 0, &Error::EmptyInput);
    /// assert_eq!(record.error.kind, "empty_input");
    /// assert_eq!(record.error.message, "input is empty");
    /// ```
    pub fn from_error(meta: &InputMeta, bytes: usize, error: &Error) -> ErrorRecord {
        ErrorRecord::new(meta, bytes, error.kind(), error.to_string())
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
        let cleaner = Cleaner::new(Options::default().segment(false))
        .unwrap();
        let meta = InputMeta::default().id("r1").path("a.png");
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
