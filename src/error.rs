//! The library's one error type. Nothing in the library panics on bad input; every failure
//! is an [`Error`] whose message names the problem.

use std::fmt;

/// Everything that can go wrong while building a [`crate::Cleaner`] or cleaning one input.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input has no bytes (or only whitespace).
    EmptyInput,
    /// The input is not text: binary data, an image or archive signature, too many NULs.
    NotText {
        /// What gave it away, e.g. `"PNG image signature"`.
        reason: String,
    },
    /// A user dictionary could not be read or parsed.
    UserDict {
        /// The dictionary's path.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// An option value is invalid.
    InvalidOption(String),
    /// Reading an input failed.
    Io {
        /// What was being read.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// Machine-readable kind used in error records (`error.kind`): `empty_input`, `not_text`,
    /// `user_dict`, `invalid_option` or `io`. Stable: a kind is never renamed.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::EmptyInput => "empty_input",
            Error::NotText { .. } => "not_text",
            Error::UserDict { .. } => "user_dict",
            Error::InvalidOption(_) => "invalid_option",
            Error::Io { .. } => "io",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyInput => write!(f, "input is empty"),
            Error::NotText { reason } => write!(f, "input is not text: {reason}"),
            Error::UserDict { path, message } => write!(f, "user dictionary {path}: {message}"),
            Error::InvalidOption(msg) => write!(f, "invalid option: {msg}"),
            Error::Io { path, source } => write!(f, "{path}: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The value of `choices` whose name (`name_of`) is `name`: the one parser of the option enums
/// ([`crate::Script`], [`crate::Format`]), whose error names the option (`what`) and every
/// choice, e.g. `script must be "simplified" or "keep", not "trad"`.
pub(crate) fn parse_choice<T: Copy>(
    what: &str,
    choices: &[T],
    name_of: fn(T) -> &'static str,
    name: &str,
) -> Result<T> {
    if let Some(&choice) = choices.iter().find(|&&c| name_of(c) == name) {
        return Ok(choice);
    }
    let names: Vec<String> = choices.iter().map(|&c| format!("{:?}", name_of(c))).collect();
    let listed = match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    Err(Error::InvalidOption(format!(
        "{what} must be {listed}, not {name:?}"
    )))
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
