//! What a capture costs, estimated before it starts, so a production process is not paused
//! into a full disk: the heap's size (V8's heap usage over the inspector, else the resident
//! memory from `/proc`), the memory the machine has available and the free space of the
//! output folder.
//!
//! The factors are measured on Node 20 (`benches/capture.sh`): snapshot files of object-heavy
//! heaps are 1.3–1.8 times the used heap (7 MB to 502 MB heaps), so twice the heap leaves a
//! margin; and while it takes a snapshot the process needs 6.5–7 times its used heap in extra
//! memory (a 502 MB heap: 3.2–3.5 GB more, by `v8.writeHeapSnapshot` and over the inspector
//! alike), for V8's copy of the graph.

use heaptui_common::error::{Error, Result};
use std::path::Path;

/// Snapshot file bytes per used heap byte, with margin (measured 1.3–1.8).
pub const FILE_PER_HEAP: u64 = 2;
/// Extra memory the process needs while it takes a snapshot, per used heap byte (measured
/// 6.5–7).
pub const MEMORY_PER_HEAP: u64 = 7;
/// How much smaller `--gzip` makes a snapshot, at least (measured about 5× at level 1).
pub const GZIP_SHRINKS: u64 = 4;

/// The figures shown before a capture.
#[derive(Debug, Clone, Copy)]
pub struct Estimate {
    /// The heap size the estimate starts from.
    pub heap: u64,
    /// True when `heap` is the resident memory (no inspector yet), an overestimate.
    pub from_rss: bool,
    /// The snapshot file's estimated size.
    pub file: u64,
    /// Memory available on the machine (`MemAvailable`), if known.
    pub memory_available: Option<u64>,
    /// Free space for unprivileged writers in the output folder.
    pub disk_available: u64,
}

impl Estimate {
    /// Works the figures out for a heap of `heap` bytes written into `dir`.
    pub fn new(heap: u64, from_rss: bool, dir: &Path, gzip: bool) -> Result<Estimate> {
        let file = heap * FILE_PER_HEAP / if gzip { GZIP_SHRINKS } else { 1 };
        Ok(Estimate {
            heap,
            from_rss,
            file,
            memory_available: memory_available(),
            disk_available: disk_available(dir)?,
        })
    }

    /// True when the folder can hold `count` snapshots of the estimated size.
    pub fn fits(&self, count: u64) -> bool {
        self.file.saturating_mul(count) <= self.disk_available
    }

    /// The extra memory the process is estimated to need while it takes the snapshot.
    pub fn memory(&self) -> u64 {
        self.heap.saturating_mul(MEMORY_PER_HEAP)
    }

    /// True when the machine may not have the memory the process needs while it writes.
    pub fn memory_tight(&self) -> bool {
        self.memory_available.is_some_and(|m| m < self.memory())
    }
}

/// `MemAvailable` from `/proc/meminfo`.
pub fn memory_available() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// Bytes an unprivileged writer may still put into the file system of `dir`.
pub fn disk_available(dir: &Path) -> Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| Error::usage("the output path contains a NUL byte"))?;
    // SAFETY: `stat` is plain data that statvfs fills; `path` is a valid C string.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(Error::io("cannot look at the free space", e).in_file(dir));
    }
    // The fields are narrower than u64 on some targets.
    #[allow(clippy::useless_conversion)]
    Ok(u64::from(stat.f_bavail).saturating_mul(u64::from(stat.f_frsize)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_and_fits() {
        let e = Estimate::new(100 << 20, false, Path::new("/"), false).unwrap();
        assert_eq!(e.file, 200 << 20);
        let gz = Estimate::new(100 << 20, false, Path::new("/"), true).unwrap();
        assert_eq!(gz.file, 50 << 20);
        let tiny = Estimate {
            disk_available: 300 << 20,
            ..e
        };
        assert!(tiny.fits(1) && !tiny.fits(2));
        assert!(memory_available().unwrap() > 0);
        assert!(disk_available(Path::new("/no/such/dir")).is_err());
    }
}
