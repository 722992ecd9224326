//! Every flag of `zhclean`, each with its help text; `--help` is generated from these.

use std::path::PathBuf;

use crate::batch::jsonl::JsonlFields;
use crate::batch::pool::{PoolOptions, MAX_JOBS};
use crate::batch::runner::RunOptions;
use crate::batch::site_template::{self, Mode};
use crate::batch::source::SourceOptions;
use crate::batch::Container;
use crate::extract::html::Format;
use crate::{Options, Script};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, ValueEnum};
use globset::{Glob, GlobSetBuilder};

const EXAMPLES: &str = "\
Examples:
  zhclean fixtures/seed/000_f764d41b789eb620.txt --pretty
      Clean one page dump and pretty-print the article JSON.
  zhclean page1.html page2.txt -o articles.jsonl
      One JSON line per input, in input order, written to articles.jsonl.
  zhclean pages/ --glob '*.html' -o articles.jsonl.gz --stats stats.json
      Every .html file under pages/ (recursively), gzip output, a JSON run summary.
  zhclean --jsonl dump.jsonl.gz --field content --errors failed.jsonl
      One page per JSON line (page in field `content`); errors and skips to their own file.
  zhclean crawl.warc.gz -o articles.jsonl
      The HTML responses of a WARC archive (images, redirects skipped and counted).
  cat dump.jsonl | zhclean --jsonl - --quiet | jq .title
      A streaming filter (also for Spark's rdd.pipe, Hadoop Streaming, GNU parallel --pipe).
  cat page.txt | zhclean --script keep --no-segment
      Read one page from stdin, keep traditional characters, skip segmentation.
  zhclean --user-dict my.dict --pos page.txt
      Add words to jieba's dictionary and tag parts of speech.
  zhclean --explain explain.html fixtures/seed/000_f764d41b789eb620.txt
      An HTML page showing what was removed (by kind), repaired (before → after) and
      why each field was chosen; add --id ID to pick a record of a JSONL or WARC file.
  zhclean pages/ -o articles.jsonl --report report.html
      Also write an HTML report of the run (counts, error examples, histograms).

Every input record gives exactly one output line: an article, an error record
{\"id\",\"input\",\"error\":{kind,message}} or a skip record {\"id\",\"input\",\"skipped\"}.

Exit status: 0 when every input was cleaned or skipped, 1 when some failed (their error
records are still written), 2 on usage errors and fatal output errors (a full disk), 128 +
the signal's number when stopped by SIGINT (Ctrl-C, 130), SIGTERM (143) or SIGHUP (129).
A first signal stops reading and finishes the records in flight; a second quits at once.
An output FILE that was not finished is left as it was, and the records written so far are
kept in FILE.partial.";

/// Turn scraped Chinese news pages (any encoding, text or HTML) into clean, segmented JSON.
///
/// Each input is one page. The page is decoded, repaired (pinyin annotations, broken
/// conversions, half-width punctuation, traditional characters), stripped of boilerplate
/// (bylines, tags, disclaimers, related headlines, navigation), segmented with jieba, and
/// written as one JSON object per line.
#[derive(Debug, Parser)]
#[command(name = "zhclean", version, after_long_help = EXAMPLES, after_help = "See --help for examples.")]
pub struct Args {
    /// Inputs: files, folders (read recursively) or `-` for stdin (the default). A file is
    /// one page, unless it is JSONL or WARC (by --jsonl/--warc, its extension, or a leading
    /// `WARC/`); gzip is undone on any input.
    #[arg(value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Write the JSON lines to FILE instead of stdout (`.gz` compresses). They go to
    /// FILE.partial, renamed to FILE when the run completes (an existing FILE keeps its
    /// permissions and owner); devices, FIFOs and /dev/stdout are written directly, and a
    /// symbolic link is followed to its target.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Inputs are JSONL: one JSON object per line, holding one page.
    #[arg(long, conflicts_with = "warc", help_heading = "Input")]
    pub jsonl: bool,

    /// Inputs are WARC archives (also detected by `.warc`/`.warc.gz`/`.wet` or `WARC/`).
    #[arg(long, help_heading = "Input")]
    pub warc: bool,

    /// JSONL field holding the page [default: first of html, content, text, raw].
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub field: Option<String>,

    /// JSONL field holding the record id [default: id, else the URL].
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub id_field: Option<String>,

    /// JSONL field holding the page URL.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "url",
        help_heading = "Input"
    )]
    pub url_field: String,

    /// Only read files under folders whose path (relative to the folder) matches GLOB;
    /// repeatable (e.g. `--glob '*.html' --glob '**/2018/*'`).
    #[arg(long, value_name = "GLOB", help_heading = "Input")]
    pub glob: Vec<String>,

    /// Pages (or JSONL lines, or HTTP bodies) larger than this many MiB are errors.
    /// Memory: the dictionaries take about 150 MB and cleaning a page about 8 times its size
    /// (more for a page of little but ASCII punctuation, see docs/robustness.md). Pages of
    /// megabytes are cleaned one at a time whatever --jobs says, so a run's peak RSS stays
    /// near 150 MB + 8 × its largest page: about 700 MB at the default 64 MiB, at any --jobs.
    #[arg(long, value_name = "MIB", default_value_t = 64, help_heading = "Input")]
    pub max_page_mib: usize,

    /// Worker threads, 1 to 1024 [default: all cores].
    #[arg(short, long, value_name = "N", value_parser = parse_jobs, help_heading = "Batch")]
    pub jobs: Option<usize>,

    /// Write records as they finish rather than in input order (a little faster). The
    /// records themselves are the same either way.
    #[arg(long, help_heading = "Batch")]
    pub unordered: bool,

    /// Write error and skip records to FILE instead of the main output.
    #[arg(long, value_name = "FILE", help_heading = "Batch")]
    pub errors: Option<PathBuf>,

    /// Write a JSON summary of the run to FILE (counts by encoding, error kind, removed
    /// kind; repairs; throughput).
    #[arg(long, value_name = "FILE", help_heading = "Batch")]
    pub stats: Option<PathBuf>,

    /// Write an HTML report of the run to FILE: records in, ok, errors (with example ids)
    /// and skipped; encodings; removed kinds; repairs; histograms of quality and body
    /// length; top site-template lines per site; throughput. Aggregates only: its memory
    /// does not grow with the run.
    #[arg(long, value_name = "FILE", help_heading = "Batch")]
    pub report: Option<PathBuf>,

    /// Explain one page instead of writing JSON: write an HTML page to FILE showing the
    /// decoded text line by line (removed lines coloured by kind, repairs as before →
    /// after), the fields with their evidence, encoding and quality. Takes one PATH: a page
    /// file, or a JSONL/WARC file with --id.
    #[arg(long, value_name = "FILE", help_heading = "Explain", conflicts_with_all = ["output", "errors", "stats", "report"])]
    pub explain: Option<PathBuf>,

    /// With --explain: the record to explain: its id (JSONL `id`, WARC-Record-ID), its URL,
    /// or `@N` for the JSONL line or WARC record number N.
    #[arg(
        long,
        value_name = "ID",
        requires = "explain",
        help_heading = "Explain"
    )]
    pub id: Option<String>,

    /// No progress bar and no summary line on stderr.
    #[arg(short, long, help_heading = "Batch")]
    pub quiet: bool,

    /// Remove paragraphs repeated verbatim on many pages of one site. This holds a window of
    /// up to 256 records (and 8 MiB of text) back before writing them. `auto`: on in runs of
    /// at least 50 records read from files and folders; off when reading stdin or a pipe, so
    /// that a streaming filter writes each record as soon as it is done.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = SiteBoilerplate::Auto, help_heading = "Batch")]
    pub site_boilerplate: SiteBoilerplate,

    /// Pretty-print each JSON object (multi-line; not JSON Lines).
    #[arg(long)]
    pub pretty: bool,

    /// Script of the output text.
    #[arg(long, value_parser = script_values(), default_value = "simplified")]
    pub script: Script,

    /// Do not segment: `words` and `keywords` stay empty (faster).
    #[arg(long)]
    pub no_segment: bool,

    /// A jieba user dictionary (`word [freq] [tag]` per line) added to the default one.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,

    /// Add part-of-speech tags (`pos`, parallel to `words`).
    #[arg(long, conflicts_with = "no_segment")]
    pub pos: bool,

    /// Input format: `auto` sniffs each input (doctype, `<html>`/`<body>`, tag density).
    #[arg(long, value_parser = format_values(), default_value = "auto")]
    pub format: Format,

    /// How many TF-IDF keywords to return.
    #[arg(long, value_name = "N", default_value_t = crate::segment::DEFAULT_KEYWORDS)]
    pub keywords: usize,

    /// Write a skip record (`"skipped": "low_quality"`, with the `quality`) instead of the
    /// article when its quality score (0..1, see docs/forensics.md) is below X.
    #[arg(long, value_name = "X", value_parser = parse_quality)]
    pub min_quality: Option<f64>,
}

/// `--jobs`: a whole number from 1 to [`MAX_JOBS`].
fn parse_jobs(text: &str) -> Result<usize, String> {
    let jobs: usize = text
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number"))?;
    if (1..=MAX_JOBS).contains(&jobs) {
        Ok(jobs)
    } else {
        Err(format!("must be from 1 to {MAX_JOBS}"))
    }
}

/// `--min-quality`: a number from 0 to 1 (scores are in 0..1; `nan` would skip nothing and
/// `2` everything).
fn parse_quality(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!(
            "{text} is not a quality score: must be from 0 to 1"
        ))
    }
}

/// Whether every input is a file or folder: a run that reads stdin, a pipe or a FIFO is a
/// stream, whose records should come out as they are done.
fn inputs_are_files(paths: &[PathBuf]) -> bool {
    !paths.is_empty()
        && paths.iter().all(|path| {
            // (A path that cannot be read is an error record, not a stream.)
            path.as_os_str() != "-"
                && std::fs::metadata(path).map_or(true, |meta| meta.is_file() || meta.is_dir())
        })
}

/// `--site-boilerplate` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SiteBoilerplate {
    /// On for runs of at least 50 records read from files (off for stdin and pipes).
    Auto,
    /// Always on.
    On,
    /// Off.
    Off,
}

/// `--format` values: the library's names ([`Format::as_str`]), with their help, parsed by
/// `Format`'s `FromStr` (as Python's `format=` is).
fn format_values() -> impl TypedValueParser<Value = Format> {
    let help = |format| match format {
        Format::Auto => "Decide per input: HTML pages go through main-content extraction first",
        Format::Html => "Every input is an HTML page",
        Format::Text => "Every input is already-extracted text",
    };
    PossibleValuesParser::new(Format::ALL.map(|f| PossibleValue::new(f.as_str()).help(help(f))))
        .try_map(|name| name.parse::<Format>())
}

/// `--script` values: the library's names ([`Script::as_str`]), with their help, parsed by
/// `Script`'s `FromStr` (as Python's `script=` is).
fn script_values() -> impl TypedValueParser<Value = Script> {
    let help = |script| match script {
        Script::Simplified => "Convert traditional characters to simplified (phrase level)",
        Script::Keep => "Leave the script as it is",
    };
    PossibleValuesParser::new(Script::ALL.map(|s| PossibleValue::new(s.as_str()).help(help(s))))
        .try_map(|name| name.parse::<Script>())
}

impl Args {
    /// The library options these flags ask for.
    pub fn options(&self) -> Options {
        Options {
            script: self.script,
            segment: !self.no_segment,
            pos: self.pos,
            user_dict: self.user_dict.clone(),
            keywords: self.keywords,
            format: self.format,
        }
    }
}

impl Args {
    /// How the sources read the inputs.
    ///
    /// # Errors
    /// A `--glob` that does not parse (the message names it).
    pub fn source_options(&self) -> Result<SourceOptions, String> {
        let globs = if self.glob.is_empty() {
            None
        } else {
            let mut set = GlobSetBuilder::new();
            for glob in &self.glob {
                set.add(Glob::new(glob).map_err(|e| format!("invalid --glob {glob:?}: {e}"))?);
            }
            Some(set.build().map_err(|e| format!("invalid --glob: {e}"))?)
        };
        Ok(SourceOptions {
            format: if self.jsonl {
                Container::Jsonl
            } else if self.warc {
                Container::Warc
            } else {
                Container::Auto
            },
            globs,
            jsonl: JsonlFields {
                page: self.field.clone(),
                id: self.id_field.clone(),
                url: self.url_field.clone(),
            },
            max_page_bytes: self.max_page_mib.saturating_mul(1024 * 1024),
        })
    }

    /// How the batch runs.
    pub fn run_options(&self) -> RunOptions {
        let pool = PoolOptions {
            ordered: !self.unordered,
            ..PoolOptions::new(self.jobs.unwrap_or(0))
        };
        RunOptions {
            pool,
            pretty: self.pretty,
            report_errors: !self.quiet,
            templates: site_template::TemplateOptions {
                mode: match self.site_boilerplate {
                    SiteBoilerplate::Auto if !inputs_are_files(&self.files) => Mode::Off,
                    SiteBoilerplate::Auto => Mode::Auto,
                    SiteBoilerplate::On => Mode::On,
                    SiteBoilerplate::Off => Mode::Off,
                },
                keywords: self.keywords,
                ..site_template::TemplateOptions::default()
            },
            min_quality: self.min_quality,
        }
    }
}
