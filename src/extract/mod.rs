//! Extract stage (text path): repaired text in, article body and metadata out.
//!
//! Lines are classified by a table of named patterns ([`rules`]) into body, boilerplate
//! (recorded in `removed` with its kind) and metadata lines (whose values become fields).
//! [`lines`] does the classification and the multi-line structures (runs of headline +
//! timestamp lines, `相关新闻` blocks), [`meta`] parses values (dates to ISO 8601, author
//! lists, tag lists).
//!
//! Contract: every non-empty input line ends up either in `paragraphs` or in `removed`
//! (possibly split between the two, e.g. a byline cut off the end of a paragraph);
//! nothing disappears.

use crate::article::Removed;

pub mod html;
pub mod lines;
pub mod meta;
pub mod rules;

/// What the extract stage found in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The headline, if the text starts with one.
    pub title: Option<String>,
    /// ISO 8601 publication time found at the head of the page.
    pub published_at: Option<String>,
    /// Author names from bylines, in order, deduplicated.
    pub authors: Vec<String>,
    /// `来源：` value.
    pub source: Option<String>,
    /// `责任编辑：` / `编辑：` value.
    pub editor: Option<String>,
    /// `原标题：` value.
    pub original_title: Option<String>,
    /// Tags from tag lines.
    pub tags: Vec<String>,
    /// Body paragraphs, in order, non-empty, trimmed.
    pub paragraphs: Vec<String>,
    /// Everything removed, in page order.
    pub removed: Vec<Removed>,
}

/// Line classifier with its compiled rule table. Build once, share freely (`Send + Sync`).
pub struct TextExtractor {
    // fields are private to the extract stage
}

impl TextExtractor {
    /// Compiles the rule table.
    pub fn new() -> TextExtractor {
        todo!()
    }

    /// Splits `text` (paragraphs separated by `\n`, already repaired) into body and the rest.
    pub fn extract(&self, text: &str) -> Extracted {
        todo!("extract: {text}")
    }
}

impl Default for TextExtractor {
    fn default() -> Self {
        Self::new()
    }
}
