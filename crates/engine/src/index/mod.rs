//! The opt-in index (`--index`, `HEAPTUI_INDEX=1`): a loaded snapshot's graph and analysis
//! written once to a local cache folder, memory-mapped on the next open so that no parse and
//! no analysis run again. It holds the snapshot's data (strings included), so it is off by
//! default, mode 0600 and never written beside the snapshot ([`place`]).
//!
//! Never trusted: an index is used only when its key matches the snapshot ([`key`]), its
//! layout and every section's checksum check out ([`format`]), its arrays fit together
//! ([`contents`]) and its values are what the engine relies on ([`validate`]); otherwise the
//! snapshot is loaded as usual and the index rewritten, with a one-line note.

pub mod contents;
pub mod format;
pub mod key;
pub mod place;
pub mod validate;

pub use contents::{Parts, Stored};

use format::Bad;
use key::Key;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The environment variable that turns the index on by default (`1`, `true`, `yes`, `on`).
pub const DEFAULT_VARIABLE: &str = "HEAPTUI_INDEX";

/// True when `$HEAPTUI_INDEX` asks for the index by default.
pub fn on_by_default() -> bool {
    std::env::var(DEFAULT_VARIABLE).is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

/// One snapshot's place in the index cache.
pub struct Slot {
    key: Key,
    name: String,
    folders: Vec<PathBuf>,
}

/// What reopening from the index gave.
pub enum Reopened {
    /// The snapshot's parts, and the wall time of each step of reopening.
    Hit(Box<Stored>, Vec<(&'static str, Duration)>),
    /// No index yet.
    Missing,
    /// An index that cannot be used: why, in a few words.
    Unusable(String),
}

/// What writing an index gave: its path, size and wall time.
pub struct Written {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// How long writing it took.
    pub time: Duration,
}

impl Slot {
    /// The slot of the snapshot at `path`, or why it gets no index (standard input, anything
    /// but a regular file, no cache folder).
    pub fn of(path: &Path) -> Result<Slot, String> {
        if path == Path::new(crate::parse::input::STDIN) {
            return Err("no index for standard input".into());
        }
        let canonical = std::fs::canonicalize(path)
            .map_err(|e| format!("no index: cannot resolve the path ({e})"))?;
        if !canonical.is_file() {
            return Err("no index: not a regular file".into());
        }
        let key = Key::of(&canonical).map_err(|e| format!("no index: cannot read it ({e})"))?;
        let folders = place::folders();
        if folders.is_empty() {
            return Err(format!(
                "no index: no cache folder (set {} or HOME)",
                place::DIR_VARIABLE
            ));
        }
        Ok(Slot {
            name: place::file_name(&canonical),
            key,
            folders,
        })
    }

    /// Reopens the snapshot from the first cache folder that has its index.
    pub fn reopen(&self) -> Reopened {
        let Some(path) = self
            .folders
            .iter()
            .map(|f| f.join(&self.name))
            .find(|p| p.exists())
        else {
            return Reopened::Missing;
        };
        let mut timings = Vec::new();
        match open_checked(&path, &self.key, &mut timings) {
            Ok(stored) => {
                place::touch(&path);
                Reopened::Hit(Box::new(stored), timings)
            }
            Err(Bad(why)) => Reopened::Unusable(why),
        }
    }

    /// Writes the index of `parts` to the first cache folder that takes it, then keeps that
    /// folder under the cap. Returns what was written, and a note when a folder was skipped;
    /// or the note that no folder took it.
    pub fn write(&self, parts: &Parts) -> Result<(Written, Option<String>), String> {
        let clock = Instant::now();
        let mut skipped: Option<String> = None;
        for folder in &self.folders {
            let written = place::write_into(folder, &self.name, |file| {
                contents::write(parts, |sections| format::write(file, &self.key, sections))
            });
            match written {
                Ok((path, size)) => {
                    place::enforce_cap(folder, place::cap(), Some(&path));
                    let note =
                        skipped.map(|why| format!("{why}; wrote it in {}", folder.display()));
                    let time = clock.elapsed();
                    return Ok((Written { path, size, time }, note));
                }
                Err(e) => {
                    let why = format!("cannot write the index in {} ({e})", folder.display());
                    skipped.get_or_insert(why);
                }
            }
        }
        Err(format!(
            "{}; going on without one",
            skipped.unwrap_or_else(|| "no cache folder".into())
        ))
    }
}

fn open_checked(
    path: &Path,
    key: &Key,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Stored, Bad> {
    let mut clock = Instant::now();
    let mut lap = |name, timings: &mut Vec<_>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let file = std::fs::File::open(path).map_err(|e| Bad(format!("cannot open it ({e})")))?;
    let index = format::Index::open(&file)?;
    if let Some(why) = key.difference(&index.contents.key) {
        return Err(Bad(why.to_string()));
    }
    lap("index: map, key", timings);
    index.verify()?;
    lap("index: checksums", timings);
    let stored = contents::read(&index)?;
    lap("reopen from the index", timings);
    validate::check(&stored)?;
    lap("index: values", timings);
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_input_and_folders_get_no_index() {
        let why = |p: &str| Slot::of(Path::new(p)).err().unwrap_or_default();
        assert_eq!(why("-"), "no index for standard input");
        assert!(why("/").contains("not a regular file"), "{}", why("/"));
        assert!(why("/no/such/file").contains("cannot resolve"));
    }
}
