//! zhclean: scraped Chinese news pages in, clean, segmented, structured JSON out.
//!
//! The pipeline runs one way through five stages, each its own module:
//! [`decode`] (bytes → text, encoding evidence weighed), [`repair`] (pinyin annotations,
//! broken-conversion garbage, punctuation width, traditional → simplified), [`extract`]
//! (boilerplate out, metadata in), [`segment`] (jieba words and TF-IDF keywords) and
//! [`article`] (the JSON output types). [`Cleaner`] in [`pipeline`] chains them.
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
#![deny(missing_docs)]

pub mod article;
pub mod batch;
pub mod decode;
pub mod error;
pub mod eval;
pub mod explain;
pub mod extract;
pub mod model;
pub mod pipeline;
pub mod quality;
pub mod render;
pub mod repair;
pub mod report;
pub mod segment;
pub mod words;

#[cfg(test)]
mod testing;

pub use article::{
    Article, ErrorInfo, ErrorRecord, InputReport, Meta, Removed, RemovedKind, Repairs, SkipRecord,
};
pub use error::{Error, Result};
pub use pipeline::{error_record, Cleaner, InputMeta, Options};
pub use repair::Script;
pub use words::Words;
