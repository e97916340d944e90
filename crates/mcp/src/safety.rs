//! What keeps the server safe to point at production files and to hand to a language model:
//! paths are allowed only under the roots (after resolving `..` and symlinks), only regular
//! files are read, and every string that came from a heap leaves as inert data — control and
//! bidi characters escaped, lengths capped.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The longest heap string an answer carries, in characters: enough to recognise a URL, a
/// key or a message, short enough that one object cannot flood an agent's context.
pub const MAX_STRING_CHARS: usize = 200;

/// Trees no snapshot lives in: kernel interfaces, where reading can block or have effects.
const FORBIDDEN_TREES: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Why a path is refused.
#[derive(Debug)]
pub enum PathError {
    /// It cannot be resolved (missing, unreadable folder).
    Unresolvable {
        /// The path as asked.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// It resolves outside every root.
    OutsideRoots {
        /// The path as asked.
        path: String,
    },
    /// It is not a regular file (a device, a FIFO, a folder) or lies in a kernel tree.
    NotAFile {
        /// The path as asked.
        path: String,
    },
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathError::Unresolvable { path, source } => {
                write!(f, "cannot open {}: {source}", quoted(path))
            }
            PathError::OutsideRoots { path } => write!(
                f,
                "{} is outside the allowed roots (start the server with --root DIR)",
                quoted(path)
            ),
            PathError::NotAFile { path } => {
                write!(f, "{} is not a regular snapshot file", quoted(path))
            }
        }
    }
}

impl std::error::Error for PathError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PathError::Unresolvable { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The folders whose files the server may read, canonical.
#[derive(Debug, Clone)]
pub struct Roots {
    dirs: Vec<PathBuf>,
}

impl Roots {
    /// The roots given at start, resolved once (a root that cannot be resolved is an error:
    /// the operator meant something else).
    pub fn new(dirs: &[PathBuf]) -> std::io::Result<Roots> {
        let dirs = dirs
            .iter()
            .map(|d| d.canonicalize())
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Roots { dirs })
    }

    /// The roots, for the server's instructions and errors.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// These roots and `more` (the client's), those that resolve.
    pub fn with(&self, more: &[PathBuf]) -> Roots {
        let mut dirs = self.dirs.clone();
        dirs.extend(more.iter().filter_map(|d| d.canonicalize().ok()));
        Roots { dirs }
    }

    /// The canonical path of `asked` (relative paths are taken from the first root) when it is
    /// a regular file under a root. Canonicalizing first means `..` and symlinks are followed
    /// before the check, so neither can lead out.
    pub fn resolve(&self, asked: &str) -> Result<PathBuf, PathError> {
        let real = self.canonical(asked)?;
        if FORBIDDEN_TREES.iter().any(|t| real.starts_with(t)) {
            return Err(PathError::NotAFile {
                path: asked.to_string(),
            });
        }
        if !self.dirs.iter().any(|root| real.starts_with(root)) {
            return Err(PathError::OutsideRoots {
                path: asked.to_string(),
            });
        }
        match std::fs::metadata(&real) {
            Ok(meta) if meta.is_file() => Ok(real),
            Ok(_) => Err(PathError::NotAFile {
                path: asked.to_string(),
            }),
            Err(source) => Err(PathError::Unresolvable {
                path: asked.to_string(),
                source,
            }),
        }
    }
}

impl Roots {
    /// `asked` with `..` and symlinks followed (relative paths taken from the first root).
    fn canonical(&self, asked: &str) -> Result<PathBuf, PathError> {
        let path = Path::new(asked);
        let joined = match self.dirs.first() {
            Some(first) if path.is_relative() => first.join(path),
            _ => path.to_path_buf(),
        };
        joined
            .canonicalize()
            .map_err(|source| PathError::Unresolvable {
                path: asked.to_string(),
                source,
            })
    }

    /// The canonical folder `asked` names when it lies under a root (where `capture` may
    /// write).
    pub fn resolve_dir(&self, asked: &str) -> Result<PathBuf, PathError> {
        let real = self.canonical(asked)?;
        if FORBIDDEN_TREES.iter().any(|t| real.starts_with(t)) || !real.is_dir() {
            return Err(PathError::NotAFile {
                path: asked.to_string(),
            });
        }
        if !self.dirs.iter().any(|root| real.starts_with(root)) {
            return Err(PathError::OutsideRoots {
                path: asked.to_string(),
            });
        }
        Ok(real)
    }
}

/// `text` as a JSON string literal: how a heap string or a path appears inside prose, so it
/// reads as quoted data and never as words of the message around it.
pub fn quoted(text: &str) -> String {
    serde_json::Value::String(inert(text)).to_string()
}

/// `text` made inert: terminal-controlling and invisible characters escaped visibly
/// (`\x1b`, `\u{202e}`), then capped at [`MAX_STRING_CHARS`] with how much was cut.
pub fn inert(text: &str) -> String {
    let escaped = heaptui_common::util::sanitize::sanitize(text);
    let total = escaped.chars().count();
    if total <= MAX_STRING_CHARS {
        return escaped.into_owned();
    }
    let kept: String = escaped.chars().take(MAX_STRING_CHARS).collect();
    format!("{kept}… (+{} chars)", total - MAX_STRING_CHARS)
}

/// Makes every string of a JSON document inert ([`inert`]), keys included: the answers'
/// structured content is built from heap strings and goes to a model as it is.
pub fn inert_json(value: &mut Value) {
    match value {
        Value::String(s) => {
            if s.chars().count() > MAX_STRING_CHARS
                || s.chars().any(heaptui_common::util::sanitize::is_dangerous)
            {
                *s = inert(s);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(inert_json),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut v) in entries {
                inert_json(&mut v);
                map.insert(inert(&key), v);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_caps() {
        assert_eq!(inert("a\x1b[2Jb"), "a\\x1b[2Jb");
        let long = "x".repeat(MAX_STRING_CHARS + 5);
        assert!(inert(&long).ends_with("… (+5 chars)"));
        let mut v = serde_json::json!({"k\u{202e}": ["\u{7}"]});
        inert_json(&mut v);
        assert_eq!(v, serde_json::json!({"k\\u{202e}": ["\\x07"]}));
    }

    #[test]
    fn refuses_escapes_from_the_roots() {
        let roots = Roots::new(&[PathBuf::from(env!("CARGO_MANIFEST_DIR"))]).unwrap();
        assert!(roots.resolve("Cargo.toml").is_ok());
        assert!(matches!(
            roots.resolve("../../Cargo.toml"),
            Err(PathError::OutsideRoots { .. })
        ));
        assert!(matches!(
            roots.resolve("src"),
            Err(PathError::NotAFile { .. })
        ));
        assert!(roots.resolve("/proc/self/status").is_err());
    }
}
