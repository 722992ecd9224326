//! (being written)
use crate::article::RepairedSpan;

/// Text after mojibake repair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixed {
    /// The text.
    pub text: String,
    /// Replaced spans.
    pub spans: Vec<RepairedSpan>,
}

/// Repairs mojibake.
pub fn repair(text: &str) -> Fixed {
    Fixed {
        text: text.to_string(),
        spans: Vec::new(),
    }
}
