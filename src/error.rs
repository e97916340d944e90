//! The one error type of the library: every failure names the file, says what is wrong and,
//! where it helps, at which byte. It renders as a single line so the CLI and the TUI can show it
//! as is.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong while loading or analysing a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The snapshot file the error is about, if any.
    pub file: Option<PathBuf>,
    /// Human-readable description, one line, no trailing period.
    pub message: String,
    /// Byte offset in the (decompressed) file where the problem was found.
    pub offset: Option<u64>,
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with a message only; the file is attached later with [`Error::in_file`].
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            file: None,
            message: one_line(message.into()),
            offset: None,
        }
    }

    /// An error found at a byte offset of the input.
    pub fn at(offset: usize, message: impl Into<String>) -> Self {
        Error {
            offset: Some(offset as u64),
            ..Error::new(message)
        }
    }

    /// Attaches the file the error is about (keeps an already attached one).
    pub fn in_file(mut self, file: &Path) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_path_buf());
        }
        self
    }
}

/// How an input is named in messages: its path, or "standard input" for `-`.
pub fn input_name(path: &Path) -> String {
    if path == Path::new(crate::parse::input::STDIN) {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Folds control characters and newlines away so a message always prints as one line.
fn one_line(message: String) -> String {
    if message.chars().any(char::is_control) {
        message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    } else {
        message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}: ", crate::sanitize::sanitize(&input_name(file)))?;
        }
        f.write_str(&self.message)?;
        if let Some(offset) = self.offset {
            write!(f, " (at byte {offset})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
