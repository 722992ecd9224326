//! zhclean: scraped Chinese news pages in, clean, segmented, structured JSON out.
#![deny(missing_docs)]

pub mod article;
pub mod decode;
pub mod error;
pub mod extract;
pub mod repair;
pub mod segment;

pub use article::{Article, ErrorInfo, ErrorRecord, InputReport, Removed, RemovedKind, Repairs};
pub use error::{Error, Result};
pub use repair::Script;
