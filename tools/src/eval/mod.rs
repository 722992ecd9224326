//! Evaluation against labelled page sets: the body metric, loaders for the three devsets, and
//! per-page checks. The runner is `tools/examples/eval.rs`
//! (`cargo run --release -p zhclean-tools --example eval -- DIR...`).
//!
//! **Body metric.** Bag-of-characters F1 between the predicted body and the gold text,
//! counting only alphanumeric characters (Han included) after NFKC and conversion to
//! simplified script ([`BodyMetric`]). Order-free, so paragraph joins do not matter; a
//! dropped paragraph or a kept navigation block does.
//!
//! **Sets** ([`load`] detects which one a directory is):
//! * magic-html: `ground_truth_zh.json` (`{sha256: {url, content}}`) and `htmls/<sha256>.html`;
//! * readability: one folder per page with `source.html`, `expected.html` (gold body) and
//!   `expected-metadata.json` (`title`, `byline`, `publishedTime`);
//! * trafilatura: `labels_zh.json` (`{url: {file, title, author, date, with, without}}`) and
//!   `html/<file>`.
//!
//! **Files.** Data flows labels → checks; each file owns one step:
//! * `metric.rs`: [`BodyMetric`], the text normalization and the body F1 (also used by
//!   `damage_eval`);
//! * `cases.rs`: reading a labelled devset into [`Case`]s and their [`Labels`] ([`load`] and
//!   one loader per layout);
//! * `checks.rs`: [`Prediction`] (what a system produced) and [`check`], which compares it
//!   with a case's labels into [`PageChecks`];
//! * `junk.rs`: [`junk`], the rules every stored field value must follow, written apart from
//!   the extractor so that they check it.
//!
//! ```
//! use zhclean_tools::eval::BodyMetric;
//! let metric = BodyMetric::new();
//! assert_eq!(metric.f1("據悉，垃圾分類", "据悉垃圾分类"), 1.0);
//! assert_eq!(metric.f1("", "据悉"), 0.0);
//! ```

mod cases;
mod checks;
mod junk;
mod metric;

pub use cases::{
    load, load_magic_html, load_readability, load_trafilatura, load_unlabelled, Case, Labels,
};
pub use checks::{check, PageChecks, Prediction};
pub use junk::{junk, Junk};
pub use metric::BodyMetric;
