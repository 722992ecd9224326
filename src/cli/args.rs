//! Every flag of `zhclean`, each with its help text; `--help` is generated from these.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use zhclean::extract::html::Format;
use zhclean::{Options, Script};

const EXAMPLES: &str = "\
Examples:
  zhclean fixtures/seed/000_f764d41b789eb620.txt --pretty
      Clean one page dump and pretty-print the article JSON.
  zhclean page1.html page2.txt -o articles.jsonl
      One JSON line per input, in input order, written to articles.jsonl.
  cat page.txt | zhclean --script keep --no-segment
      Read stdin, keep traditional characters, skip segmentation.
  zhclean --user-dict my.dict --pos page.txt
      Add words to jieba's dictionary and tag parts of speech.

Exit status: 0 when every input was cleaned, 1 when some failed (their error records are
still written), 2 on usage errors.";

/// Turn scraped Chinese news pages (any encoding, text or HTML) into clean, segmented JSON.
///
/// Each input is one page. The page is decoded, repaired (pinyin annotations, broken
/// conversions, half-width punctuation, traditional characters), stripped of boilerplate
/// (bylines, tags, disclaimers, related headlines, navigation), segmented with jieba, and
/// written as one JSON object per line.
#[derive(Debug, Parser)]
#[command(name = "zhclean", version, after_long_help = EXAMPLES, after_help = "See --help for examples.")]
pub struct Args {
    /// Input files, one page each. No file, or `-`, reads one page from stdin.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Write the JSON lines to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Pretty-print each JSON object (multi-line; not JSON Lines).
    #[arg(long)]
    pub pretty: bool,

    /// Script of the output text.
    #[arg(long, value_enum, default_value_t = ScriptArg::Simplified)]
    pub script: ScriptArg,

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
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// How many TF-IDF keywords to return.
    #[arg(long, value_name = "N", default_value_t = zhclean::segment::DEFAULT_KEYWORDS)]
    pub keywords: usize,

    /// Write a skip record (`{"id","input","skip","quality"}`) instead of the article when its
    /// quality score (0..1, see docs/forensics.md) is below X.
    #[arg(long, value_name = "X")]
    pub min_quality: Option<f64>,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Decide per input: HTML pages go through main-content extraction first.
    Auto,
    /// Every input is an HTML page.
    Html,
    /// Every input is already-extracted text.
    Text,
}

/// `--script` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScriptArg {
    /// Convert traditional characters to simplified (phrase level).
    Simplified,
    /// Leave the script as it is.
    Keep,
}

impl Args {
    /// The library options these flags ask for.
    pub fn options(&self) -> Options {
        Options {
            script: match self.script {
                ScriptArg::Simplified => Script::Simplified,
                ScriptArg::Keep => Script::Keep,
            },
            segment: !self.no_segment,
            pos: self.pos,
            user_dict: self.user_dict.clone(),
            keywords: self.keywords,
            format: match self.format {
                FormatArg::Auto => Format::Auto,
                FormatArg::Html => Format::Html,
                FormatArg::Text => Format::Text,
            },
        }
    }
}
