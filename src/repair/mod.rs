//! Repair stage: decoded text in, clean text out, every change counted in [`Repairs`].
//!
//! Steps, in order (each its own file):
//! 1. [`normalize`]: HTML entities, control / zero-width / private-use characters dropped,
//!    U+3000 and NBSP to spaces, full-width digits and Latin letters to ASCII, whitespace
//!    runs collapsed, paragraph breaks (`\n`) kept.
//! 2. [`pinyin`]: `X(py)` annotations removed when `py` is a reading of `X`.
//! 3. [`garbled`]: orphans of broken conversion (`?shù)`) removed.
//! 4. [`punct`]: ASCII `, : ; ( ) ! ?` in Chinese context to full width.
//! 5. [`script`]: traditional → simplified (phrase level), skipped when the text has no
//!    traditional characters.
//!
//! Contract: the output never contains a character that was neither in the input nor produced
//! by a counted repair; `\n` paragraph breaks survive; repairing already-repaired text is a
//! no-op (idempotence).

use crate::article::Repairs;

pub mod garbled;
pub mod normalize;
pub mod pinyin;
pub mod punct;
pub mod recover;
pub mod script;

/// Which script the output should be in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Script {
    /// Convert traditional characters to simplified (phrase level, OpenCC dictionaries).
    #[default]
    Simplified,
    /// Leave the script alone.
    Keep,
}

/// The repaired text and what was changed to get it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repaired {
    /// The clean text; paragraphs separated by `\n`.
    pub text: String,
    /// Counts of each kind of change.
    pub repairs: Repairs,
}

/// Runs the repair steps. Build once (the script converter loads dictionaries), share freely:
/// it is `Send + Sync`.
pub struct Repairer {
    // fields are private to the repair stage
}

impl Repairer {
    /// Builds a repairer for the given target script.
    pub fn new(script: Script) -> Repairer {
        todo!("repair stage: {script:?}")
    }

    /// Repairs `text`. Never panics, whatever the input.
    pub fn repair(&self, text: &str) -> Repaired {
        todo!("repair stage: {text}")
    }
}
