//! Reads a regular file on a network or FUSE file system (see [`super::input`]) into memory in
//! a few sequential streams at once: the file is cut into [`STREAMS`] consecutive ranges, and
//! each range is read front to back in [`READ_BLOCK`] reads by its own thread through its own
//! open file, with `POSIX_FADV_SEQUENTIAL`. Each stream looks to the kernel's read-ahead and to
//! the server's prefetching (mountpoint-s3, gcsfuse, NFS) like one sequential reader, and the
//! streams keep several requests in flight, which hides a mount's per-request latency. Memory
//! mapping would fault pages in one at a time, in the order the parser's parallel passes touch
//! them, each fault a round trip.
//!
//! Invariant: the result holds exactly the file's `len` bytes, or the read fails (a file that
//! shrinks while it is read is an error, not a silently short snapshot).

use super::memory;
use heaptui_common::error::{Error, Result};
use heaptui_common::progress::{Phase, Progress};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Sequential streams at once: on a mount that adds 2 ms per request, one stream reads the
/// 498 MB benchmark file in 2.4 s, two in 1.2 s, four in 1.1 s (benches/slowfs.py); more would
/// look like random access to servers that prefetch per open file.
const STREAMS: usize = 4;

/// The size of each read (the kernel splits it into the mount's own request size).
const READ_BLOCK: usize = 8 << 20;

/// Reads all `len` bytes of `file`, which is on the file system named `origin` (for the
/// loading screen's "Reading (NFS): 120 of 498 MB"). With `check_memory`, refuses a file that
/// would not fit in the available memory before reading it.
pub fn read_file(
    file: &File,
    len: u64,
    origin: &str,
    check_memory: bool,
    progress: &Progress,
) -> Result<Vec<u8>> {
    if check_memory {
        memory::check_holding(0, len)?;
    }
    let size = usize::try_from(len)
        .map_err(|_| Error::out_of_memory("the file is too large for this machine"))?;
    // Zeroed by the kernel as pages are first written: no pass over the buffer before the reads.
    let mut out = vec![0u8; size];
    let read = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let ranges: Vec<&mut [u8]> = split(&mut out, STREAMS);
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let mut start = 0u64;
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                let from = start;
                start += range.len() as u64;
                let (read, failed) = (&read, &failed);
                scope.spawn(move || {
                    let result = read_range(file, from, range, read, failed, &|done| {
                        let phase = format!(
                            "Reading ({origin}): {} of {} MB",
                            done / 1_000_000,
                            len / 1_000_000
                        );
                        progress.report_as(Phase::Reading, &phase, 0.0);
                    });
                    if result.is_err() {
                        failed.store(true, Ordering::Relaxed);
                    }
                    result
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::internal("a reading thread failed")))
            })
            .collect()
    });
    results.into_iter().collect::<Result<()>>()?;
    Ok(out)
}

/// `count` consecutive pieces of `buf`, as equal as can be.
fn split(buf: &mut [u8], count: usize) -> Vec<&mut [u8]> {
    let piece = buf.len().div_ceil(count).max(1);
    buf.chunks_mut(piece).collect()
}

/// Fills `range` with the file's bytes from offset `from`, through a file of its own when the
/// file can be opened again (its own read-ahead state and server handle), stopping early once
/// another stream has `failed`. Adds what it read to `read` and reports the total.
fn read_range(
    file: &File,
    from: u64,
    range: &mut [u8],
    read: &AtomicU64,
    failed: &AtomicBool,
    report: &dyn Fn(u64),
) -> Result<()> {
    let own = File::open(format!("/proc/self/fd/{}", file.as_raw_fd())).ok();
    let file = own.as_ref().unwrap_or(file);
    advise_sequential(file);
    let mut done = 0;
    while done < range.len() && !failed.load(Ordering::Relaxed) {
        let end = (done + READ_BLOCK).min(range.len());
        let offset = from + done as u64;
        let n = match file.read_at(&mut range[done..end], offset) {
            Ok(0) => {
                return Err(Error::at(
                    offset as usize,
                    "the file got shorter while it was read",
                ))
            }
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("cannot read the file", e)),
        };
        done += n;
        report(read.fetch_add(n as u64, Ordering::Relaxed) + n as u64);
    }
    Ok(())
}

/// Tells the kernel the file is read in order, which doubles its read-ahead window.
fn advise_sequential(file: &File) {
    // SAFETY: posix_fadvise only takes a descriptor, which is open, and plain integers.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_SEQUENTIAL);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_is_read_whole_in_every_stream_count() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/parse/remote.rs");
        let expected = std::fs::read(&path).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let progress = heaptui_common::progress::Progress::NONE;
        let got = super::read_file(&file, expected.len() as u64, "test", true, &progress).unwrap();
        assert_eq!(got, expected);
        // Pieces cover the buffer in order, whatever the count.
        let mut buf: Vec<u8> = (0..=255).collect();
        for count in 1..=7 {
            let pieces = super::split(&mut buf, count);
            assert!(pieces.len() <= count);
            assert_eq!(pieces.concat(), (0..=255).collect::<Vec<u8>>());
        }
    }

    #[test]
    fn a_file_shorter_than_promised_is_an_error() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let real = std::fs::metadata(&path).unwrap().len();
        let file = std::fs::File::open(&path).unwrap();
        let progress = heaptui_common::progress::Progress::NONE;
        let e = super::read_file(&file, real + 10, "test", false, &progress).unwrap_err();
        assert!(e.to_string().contains("got shorter"), "{e}");
    }
}
