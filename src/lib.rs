//! zhclean: scraped Chinese news pages in, clean, segmented, structured JSON out.
//!
//! A [`Cleaner`] runs one page through the pipeline, one way through its stages: decode (bytes
//! in any encoding → text, the encoding evidence weighed), repair (pinyin annotations,
//! broken-conversion garbage, mojibake, punctuation width, traditional → simplified), extract
//! (main content from HTML, boilerplate out, metadata in), segment (jieba words and TF-IDF
//! keywords), and gives an [`Article`], the JSON the command line writes. Build one cleaner
//! per process and share it: it is `Send + Sync`.
//!
//! ```
//! use zhclean::{Cleaner, InputMeta, Options};
//!
//! let cleaner = Cleaner::new(Options::default())?;
//! let page = "據(jù)悉,生活垃圾分類工作取得進(jìn)展。\n標(biāo)簽: 生活垃圾分類";
//! let article = cleaner.clean(page.as_bytes(), &InputMeta::default())?;
//! assert_eq!(article.body, "据悉，生活垃圾分类工作取得进展。");
//! assert_eq!(article.tags, ["生活垃圾分类"]);
//! println!("{}", serde_json::to_string(&article).unwrap());
//! # Ok::<(), zhclean::Error>(())
//! ```
//!
//! The API:
//! - [`Cleaner`], built from [`Options`]; [`Cleaner::clean`] takes the page bytes and an
//!   [`InputMeta`] (what the caller knows: id, URL, HTTP headers) and returns an [`Article`]
//!   (with [`InputReport`], [`Removed`], [`Repairs`], [`RepairedSpan`]s, [`Quality`] and
//!   [`Words`]) or an [`Error`], whose [`Error::kind`] is the `error.kind` of the JSON error
//!   records ([`ErrorRecord`]). [`Cleaner::clean_explained`] also returns how each field was
//!   decided ([`fields`]).
//! - [`clean_many`]: many pages on a bounded pool of worker threads, one [`Outcome`] per page,
//!   in order; a failure or a panic is that page's error record.
//!
//! Features: `cli` (default) is the `zhclean` command and what only it needs (flag parsing,
//! reading folders, JSONL and WARC, output files, progress bar, signals); with
//! `default-features = false` the crate is the library alone. `mimalloc` (default) is the
//! binary's allocator. `internals` exposes the stages, unstable, for the workspace's tools.
#![deny(missing_docs)]

/// Declares the stage modules: private to the crate, or (feature `internals`) public but
/// hidden, and re-exported together in [`internals`] for the tools, fuzz targets, benches and
/// the Python binding. The public API is the re-exports below; nothing else is under semver.
macro_rules! stage_modules {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "internals")]
            #[doc(hidden)]
            pub mod $name;
            #[cfg(not(feature = "internals"))]
            mod $name;
        )*
        /// Unstable internals (feature `internals`, off by default): the stage modules, for
        /// the workspace's tools (`tools/`), fuzz targets, benches and Python binding. Not
        /// part of the public API; anything here may change in any release.
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod internals {
            $(pub use crate::$name;)*
        }
    };
}

stage_modules!(
    article, batch, decode, error, extract, model, pipeline, quality, repair, segment, words,
);

#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
// The explain page and the run report are the command's HTML views (`--explain`, `--report`);
// they read the CLI's records and statistics, so they come with it.
#[cfg(feature = "cli")]
mod explain;
#[cfg(feature = "cli")]
mod render;
#[cfg(feature = "cli")]
mod report;

#[cfg(test)]
mod testing;

pub use article::{
    Article, ErrorInfo, ErrorRecord, InputReport, Passthrough, Removed, RemovedKind, RepairKind,
    RepairedSpan, Repairs, SkipRecord, SCHEMA_VERSION,
};
pub use batch::{clean_many, CleanMany, Outcome};
pub use decode::Evidence;
pub use error::{Error, Result};
pub use extract::html::Format;
pub use pipeline::{Cleaner, InputMeta, Options};
pub use quality::Quality;
pub use repair::Script;
pub use segment::DEFAULT_KEYWORDS;
pub use words::Words;

/// The README's examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// How [`Cleaner::clean_explained`] decided each field: every candidate the stages found, with
/// its zone, rule, evidence and verdict.
pub mod fields {
    pub use crate::extract::fields::{
        Candidate, Decision, Field, FieldReport, Judged, Values, Verdict, Zone,
    };
}
