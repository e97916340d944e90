//! What an index is keyed to: heaptui's version and the format's (an analysis change must
//! invalidate old indexes), the snapshot's canonical path, size, modification time and an xxh3
//! of its first and last [`SAMPLE`] bytes (a snapshot rewritten in place within the same
//! nanosecond and size still differs there: its header counts and its strings' tail).

use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes hashed at each end of the snapshot: enough to cover its header and its last strings,
/// small enough to read in a millisecond.
pub const SAMPLE: u64 = 1 << 20;

/// The key an index is valid for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    /// [`super::format::FORMAT_VERSION`].
    pub format: u32,
    /// heaptui's version.
    pub heaptui: String,
    /// The snapshot's canonical path.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in nanoseconds since the epoch.
    pub modified_ns: i128,
    /// xxh3 of its first and last [`SAMPLE`] bytes.
    pub head_tail: u64,
}

impl Key {
    /// The key of the snapshot at `canonical` (a canonical path to a regular file).
    pub fn of(canonical: &Path) -> std::io::Result<Key> {
        let mut file = std::fs::File::open(canonical)?;
        let meta = file.metadata()?;
        let size = meta.len();
        let modified_ns = meta
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i128);
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buf = vec![0; SAMPLE.min(size) as usize];
        file.read_exact(&mut buf)?;
        hasher.update(&buf);
        if size > SAMPLE {
            let tail = SAMPLE.min(size - SAMPLE);
            file.seek(SeekFrom::Start(size - tail))?;
            buf.resize(tail as usize, 0);
            file.read_exact(&mut buf)?;
            hasher.update(&buf);
        }
        Ok(Key {
            format: super::format::FORMAT_VERSION,
            heaptui: env!("CARGO_PKG_VERSION").to_string(),
            path: canonical.to_string_lossy().into_owned(),
            size,
            modified_ns,
            head_tail: hasher.digest(),
        })
    }

    /// What differs from `other`, in a few words (for the note), or `None` when they match.
    pub fn difference(&self, other: &Key) -> Option<&'static str> {
        if self.format != other.format || self.heaptui != other.heaptui {
            Some("written by another heaptui version")
        } else if self.path != other.path {
            Some("written for another file")
        } else if self.size != other.size
            || self.modified_ns != other.modified_ns
            || self.head_tail != other.head_tail
        {
            Some("the snapshot changed")
        } else {
            None
        }
    }
}
