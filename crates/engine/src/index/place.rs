//! Where indexes live and how the cache is kept small. Snapshots often sit in a mounted bucket
//! and hold personal data, so an index is never written beside its snapshot: it goes to a local
//! cache folder, `$HEAPTUI_INDEX_DIR`, else `$XDG_CACHE_HOME/heaptui/index`, else
//! `~/.cache/heaptui/index` (created 0700), one file per snapshot named by a hash of the
//! snapshot's canonical path (mode 0600, written to a temporary file and renamed into place,
//! never truncated in place). A folder that cannot be written falls back to the next one.
//!
//! The cache is capped ([`DEFAULT_CAP`], or `$HEAPTUI_INDEX_CAP`): after each write, and on
//! `heaptui index --prune`, the least recently used indexes go first.

use super::format::{Bad, Index};
use super::key::Key;
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The environment variable naming the cache folder.
pub const DIR_VARIABLE: &str = "HEAPTUI_INDEX_DIR";

/// The environment variable overriding [`DEFAULT_CAP`] (`20GB`, `500MB`, bytes).
pub const CAP_VARIABLE: &str = "HEAPTUI_INDEX_CAP";

/// The cache's default size cap: an index is about 1.3 times its snapshot, so this keeps the
/// indexes of about ten 1.5 GB snapshots, a few investigations' worth, on a laptop's disk.
pub const DEFAULT_CAP: u64 = 20_000_000_000;

/// The file name ending of an index.
pub const EXTENSION: &str = "heaptui-index";

/// The cache folders to try, in order: the one asked for, then the default.
pub fn folders() -> Vec<PathBuf> {
    let mut folders = Vec::new();
    if let Some(dir) = std::env::var_os(DIR_VARIABLE).filter(|d| !d.is_empty()) {
        folders.push(PathBuf::from(dir));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| Path::new(d).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")));
    if let Some(cache) = cache {
        let default = cache.join("heaptui").join("index");
        if !folders.contains(&default) {
            folders.push(default);
        }
    }
    folders
}

/// The index file name of the snapshot at `canonical`.
pub fn file_name(canonical: &Path) -> String {
    let hash = xxhash_rust::xxh3::xxh3_128(canonical.as_os_str().as_encoded_bytes());
    format!("{hash:032x}.{EXTENSION}")
}

/// Writes a new index into `folder` through `write` (given the open temporary file): creates
/// the folder (0700) if needed, writes a 0600 temporary file, renames it into place. Returns
/// the index's path and size.
pub fn write_into(
    folder: &Path,
    name: &str,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<u64>,
) -> std::io::Result<(PathBuf, u64)> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)?;
    let target = folder.join(name);
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        // No fsync: a file torn by a crash fails its checksums on the next open and is rebuilt.
        let size = write(&mut file)?;
        std::fs::rename(&temporary, &target)?;
        Ok((target, size))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Marks an index as just used (its modification time), for the cap's least-recently-used order.
pub fn touch(path: &Path) {
    if let Ok(file) = OpenOptions::new().write(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

/// The cap in bytes: `$HEAPTUI_INDEX_CAP` (`20GB`, `500MB`, `1.5GiB`, bytes) or [`DEFAULT_CAP`].
pub fn cap() -> u64 {
    std::env::var(CAP_VARIABLE)
        .ok()
        .and_then(|v| parse_size(&v))
        .unwrap_or(DEFAULT_CAP)
}

/// A size such as `20GB`, `500 MB`, `1.5GiB` or `1000`, in bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "tb" | "t" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((number * scale) as u64)
}

/// One index file of a cache folder.
struct Entry {
    path: PathBuf,
    size: u64,
    used: SystemTime,
}

fn entries(folder: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    read.flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(EXTENSION))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            meta.is_file().then(|| Entry {
                path: e.path(),
                size: meta.len(),
                used: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            })
        })
        .collect()
}

/// Removes the least recently used indexes of `folder` until it holds at most `cap` bytes,
/// sparing `keep`. Returns the paths removed.
pub fn enforce_cap(folder: &Path, cap: u64, keep: Option<&Path>) -> Vec<PathBuf> {
    let mut all = entries(folder);
    let mut total: u64 = all.iter().map(|e| e.size).sum();
    all.sort_by_key(|e| e.used);
    let mut removed = Vec::new();
    for e in all {
        if total <= cap {
            break;
        }
        if Some(e.path.as_path()) == keep {
            continue;
        }
        if std::fs::remove_file(&e.path).is_ok() {
            total -= e.size;
            removed.push(e.path);
        }
    }
    removed
}

/// Why an index of the cache is of no more use, or `None` while its snapshot is unchanged.
fn useless(path: &Path) -> Option<String> {
    let key = std::fs::File::open(path)
        .map_err(|e| Bad(e.to_string()))
        .and_then(|f| Index::open(&f))
        .map(|index| index.contents.key);
    match key {
        Err(Bad(why)) => Some(why),
        Ok(key) => match Key::of(Path::new(&key.path)) {
            Err(_) => Some("its snapshot is gone".into()),
            Ok(now) => now.difference(&key).map(str::to_string),
        },
    }
}

/// Removes the indexes of `folder` whose snapshot is gone or changed, or that cannot be read,
/// then enforces the cap. Returns each path removed with the reason.
pub fn prune(folder: &Path, cap: u64) -> Vec<(PathBuf, String)> {
    let mut removed = Vec::new();
    for e in entries(folder) {
        if let Some(why) = useless(&e.path) {
            if std::fs::remove_file(&e.path).is_ok() {
                removed.push((e.path, why));
            }
        }
    }
    let over = enforce_cap(folder, cap, None);
    removed.extend(
        over.into_iter()
            .map(|p| (p, "over the size cap".to_string())),
    );
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("20GB"), Some(20_000_000_000));
        assert_eq!(parse_size("500 MB"), Some(500_000_000));
        assert_eq!(parse_size("1.5GiB"), Some(1_610_612_736));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("5 parsecs"), None);
    }

    #[test]
    fn names_differ_by_path() {
        let a = file_name(Path::new("/a/snap.heapsnapshot"));
        assert_ne!(a, file_name(Path::new("/b/snap.heapsnapshot")));
        assert!(a.ends_with(EXTENSION));
    }
}
