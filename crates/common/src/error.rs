//! The library's error type. Every failure keeps what it is ([`Error::kind`]), the file it is
//! about and its source (an I/O error, a byte offset), and renders as the single line the CLI
//! and the TUI print as is: the file, what is wrong and, where it helps, at which byte.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file, folder or stream could not be opened or read.
    Io {
        /// The path it is about, if any.
        file: Option<PathBuf>,
        /// What was being done (`cannot open the file`, `cannot list`).
        action: &'static str,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The input is not a heap snapshot, or is broken: what is wrong and where.
    Malformed {
        /// The snapshot file, if known.
        file: Option<PathBuf>,
        /// Byte offset in the (decompressed) input where the problem was found.
        offset: Option<u64>,
        /// What is wrong, one line, no trailing period.
        message: String,
    },
    /// The analysis would need more memory than the machine has available.
    OutOfMemory {
        /// The snapshot file, if known.
        file: Option<PathBuf>,
        /// What would not fit, with the figures, one line.
        message: String,
    },
    /// An object id that the snapshot does not hold.
    NoSuchObject {
        /// The snapshot file, if known.
        file: Option<PathBuf>,
        /// The id asked for.
        id: u32,
    },
    /// A request that cannot be served as given (a malformed argument, a missing input).
    Usage {
        /// The input it is about, if any.
        file: Option<PathBuf>,
        /// What is wrong with it.
        message: String,
    },
    /// The terminal could not be set up or driven, or output could not be written.
    Terminal {
        /// What was being done (`terminal error`, `cannot write output`).
        action: &'static str,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A running process or debugging target could not be captured: not there, not Node, not
    /// allowed, not reachable, or it failed part way (`heaptui capture`).
    Capture {
        /// What failed, one line.
        message: String,
    },
    /// A failure inside heaptui itself (a worker thread that stopped, say).
    Internal {
        /// What happened.
        message: String,
    },
}

/// What kind of failure an [`Error`] is, for callers and tests that act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// [`Error::Io`].
    Io,
    /// [`Error::Malformed`].
    Malformed,
    /// [`Error::OutOfMemory`].
    OutOfMemory,
    /// [`Error::NoSuchObject`].
    NoSuchObject,
    /// [`Error::Usage`].
    Usage,
    /// [`Error::Terminal`].
    Terminal,
    /// [`Error::Capture`].
    Capture,
    /// [`Error::Internal`].
    Internal,
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Broken input, found at no particular place; the file is attached later with
    /// [`Error::in_file`].
    pub fn malformed(message: impl Into<String>) -> Self {
        Error::Malformed {
            file: None,
            offset: None,
            message: one_line(message.into()),
        }
    }

    /// Broken input found at a byte offset.
    pub fn at(offset: usize, message: impl Into<String>) -> Self {
        Error::Malformed {
            file: None,
            offset: Some(offset as u64),
            message: one_line(message.into()),
        }
    }

    /// An I/O failure while doing `action` (on the file attached later).
    pub fn io(action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            file: None,
            action,
            source,
        }
    }

    /// The analysis (or holding the input) would need more memory than is available.
    pub fn out_of_memory(message: impl Into<String>) -> Self {
        Error::OutOfMemory {
            file: None,
            message: one_line(message.into()),
        }
    }

    /// A request that cannot be served as given.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            file: None,
            message: one_line(message.into()),
        }
    }

    /// A capture that cannot be made or failed.
    pub fn capture(message: impl Into<String>) -> Self {
        Error::Capture {
            message: one_line(message.into()),
        }
    }

    /// A failure inside heaptui.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: one_line(message.into()),
        }
    }

    /// A terminal or output failure while doing `action`.
    pub fn terminal(action: &'static str, source: std::io::Error) -> Self {
        Error::Terminal { action, source }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::OutOfMemory { .. } => ErrorKind::OutOfMemory,
            Error::NoSuchObject { .. } => ErrorKind::NoSuchObject,
            Error::Usage { .. } => ErrorKind::Usage,
            Error::Terminal { .. } => ErrorKind::Terminal,
            Error::Capture { .. } => ErrorKind::Capture,
            Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// Attaches the file the error is about (keeps an already attached one).
    pub fn in_file(mut self, path: &Path) -> Self {
        match &mut self {
            Error::Io { file, .. }
            | Error::Malformed { file, .. }
            | Error::OutOfMemory { file, .. }
            | Error::NoSuchObject { file, .. }
            | Error::Usage { file, .. } => {
                if file.is_none() {
                    *file = Some(path.to_path_buf());
                }
            }
            Error::Terminal { .. } | Error::Capture { .. } | Error::Internal { .. } => {}
        }
        self
    }

    /// The file the error is about, if any.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Error::Io { file, .. }
            | Error::Malformed { file, .. }
            | Error::OutOfMemory { file, .. }
            | Error::NoSuchObject { file, .. }
            | Error::Usage { file, .. } => file.as_deref(),
            _ => None,
        }
    }

    /// The byte offset of a [`Error::Malformed`] input, where known.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Error::Malformed { offset, .. } => *offset,
            _ => None,
        }
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
        if let Some(file) = self.file() {
            let name = crate::util::input_name(file);
            write!(f, "{}: ", crate::util::sanitize::sanitize(&name))?;
        }
        match self {
            Error::Io { action, source, .. } => write!(f, "{action}: {source}"),
            Error::Malformed {
                message, offset, ..
            } => {
                f.write_str(message)?;
                match offset {
                    Some(offset) => write!(f, " (at byte {offset})"),
                    None => Ok(()),
                }
            }
            Error::OutOfMemory { message, .. } => f.write_str(message),
            Error::NoSuchObject { id, .. } => write!(f, "no object with id @{id}"),
            Error::Usage { message, .. }
            | Error::Capture { message }
            | Error::Internal { message } => f.write_str(message),
            Error::Terminal { action, source } => write!(f, "{action}: {source}"),
        }
    }
}

/// A copy: an I/O source is copied as its kind and message (all it shows).
impl Clone for Error {
    fn clone(&self) -> Self {
        let io = |e: &std::io::Error| std::io::Error::new(e.kind(), e.to_string());
        match self {
            Error::Io {
                file,
                action,
                source,
            } => Error::Io {
                file: file.clone(),
                action,
                source: io(source),
            },
            Error::Malformed {
                file,
                offset,
                message,
            } => Error::Malformed {
                file: file.clone(),
                offset: *offset,
                message: message.clone(),
            },
            Error::OutOfMemory { file, message } => Error::OutOfMemory {
                file: file.clone(),
                message: message.clone(),
            },
            Error::NoSuchObject { file, id } => Error::NoSuchObject {
                file: file.clone(),
                id: *id,
            },
            Error::Usage { file, message } => Error::Usage {
                file: file.clone(),
                message: message.clone(),
            },
            Error::Capture { message } => Error::Capture {
                message: message.clone(),
            },
            Error::Terminal { action, source } => Error::Terminal {
                action,
                source: io(source),
            },
            Error::Internal { message } => Error::Internal {
                message: message.clone(),
            },
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Terminal { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_line_with_file_and_offset() {
        let e = Error::at(42, "bad\nthing").in_file(Path::new("a\u{1b}.heapsnapshot"));
        assert_eq!(e.to_string(), "a\\x1b.heapsnapshot: bad thing (at byte 42)");
        assert_eq!((e.kind(), e.offset()), (ErrorKind::Malformed, Some(42)));
    }

    #[test]
    fn io_errors_keep_their_source() {
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let e = Error::io("cannot open the file", io).in_file(Path::new("x"));
        assert_eq!(e.kind(), ErrorKind::Io);
        let source = std::error::Error::source(&e).expect("a source");
        assert_eq!(
            source.downcast_ref::<std::io::Error>().map(|e| e.kind()),
            Some(std::io::ErrorKind::PermissionDenied)
        );
        assert!(e.to_string().starts_with("x: cannot open the file: "));
    }
}
