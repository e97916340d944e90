//! Reads an input that is not memory-mapped (a stream, or a file on a network or FUSE file
//! system; see [`super::input`]) front to back into memory, in large reads and in order, so the
//! kernel's read-ahead and the server's own prefetching stay ahead of the reader. Gzip (told by
//! its magic bytes) is inflated as it arrives. Progress is reported in bytes read, and the
//! memory guard stops the read before holding the input would leave the machine without memory.
//! Nothing is written to disk.

use super::memory;
use crate::error::{Error, Result};
use crate::progress::Progress;
use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};

/// Bytes read between progress reports and memory checks; also the size of each read from a
/// file (a pipe hands over at most its buffer, 64 KiB, per read whatever is asked).
const READ_BLOCK: u64 = 8 << 20;

/// The first bytes of a gzip member.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads all of `file`; `len` is its size when known (a regular file), `origin` says what it is
/// on the loading screen ("stream", "NFS", …). Checks the memory left after each block when
/// `check_memory`.
pub fn read_all(
    file: File,
    len: Option<u64>,
    origin: &str,
    check_memory: bool,
    progress: &Progress,
) -> Result<Vec<u8>> {
    if len.is_some() {
        advise_sequential(&file);
    }
    let source = Counted {
        inner: file,
        read: Cell::new(0),
        failed: Cell::new(false),
    };
    let mut head = Vec::with_capacity(GZIP_MAGIC.len());
    // Reads until the magic can be told, however few bytes a pipe hands over at a time.
    (&source)
        .take(GZIP_MAGIC.len() as u64)
        .read_to_end(&mut head)
        .map_err(|e| read_error(&source, e))?;
    if head.is_empty() {
        return Err(Error::new("is empty"));
    }
    let report = |out: &Vec<u8>| -> Result<()> {
        let read = source.read.get();
        let phase = match len {
            Some(len) => format!(
                "Reading ({origin}): {} of {} MB",
                read / 1_000_000,
                len / 1_000_000
            ),
            None => format!("Reading ({origin}): {} MB", read / 1_000_000),
        };
        progress.report(&phase, 0.0);
        if check_memory {
            memory::check_reading(out.len() as u64)?;
        }
        Ok(())
    };
    if head.starts_with(&GZIP_MAGIC) {
        let compressed =
            io::Cursor::new(head).chain(io::BufReader::with_capacity(READ_BLOCK as usize, &source));
        let mut out = Vec::new();
        fill(
            flate2::read::MultiGzDecoder::new(compressed),
            &mut out,
            &report,
        )
        .map_err(|e| match e {
            Failure::Io(e) if !source.failed.get() => {
                Error::new(format!("corrupt or truncated gzip data: {e}"))
            }
            Failure::Io(e) => read_error(&source, e),
            Failure::Check(e) => e,
        })?;
        if out.is_empty() {
            return Err(Error::new("gzip data decompresses to nothing"));
        }
        return Ok(out);
    }
    let mut out = head;
    if let Some(len) = len {
        out.reserve_exact(usize::try_from(len).unwrap_or(0));
    }
    fill(&source, &mut out, &report).map_err(|e| match e {
        Failure::Io(e) => read_error(&source, e),
        Failure::Check(e) => e,
    })?;
    Ok(out)
}

enum Failure {
    Io(io::Error),
    Check(Error),
}

/// Appends all of `reader` to `out`, calling `after_block` after every [`READ_BLOCK`] bytes.
fn fill(
    mut reader: impl Read,
    out: &mut Vec<u8>,
    after_block: &dyn Fn(&Vec<u8>) -> Result<()>,
) -> std::result::Result<(), Failure> {
    loop {
        let n = (&mut reader)
            .take(READ_BLOCK)
            .read_to_end(out)
            .map_err(Failure::Io)?;
        if n == 0 {
            return Ok(());
        }
        after_block(out).map_err(Failure::Check)?;
    }
}

fn read_error(source: &Counted, e: io::Error) -> Error {
    Error::new(format!(
        "cannot read (after {} bytes): {e}",
        source.read.get()
    ))
}

/// Tells the kernel the file is read in order, which doubles its read-ahead window.
fn advise_sequential(file: &File) {
    use std::os::fd::AsRawFd;
    // SAFETY: posix_fadvise only takes a descriptor, which is open, and plain integers.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_SEQUENTIAL);
    }
}

/// A reader that counts the bytes it hands over and remembers whether the file failed (to tell
/// a read error from corrupt gzip data).
struct Counted {
    inner: File,
    read: Cell<u64>,
    failed: Cell<bool>,
}

impl Read for &Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (&self.inner).read(buf) {
            Ok(n) => {
                self.read.set(self.read.get() + n as u64);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.failed.set(true);
                }
                Err(e)
            }
        }
    }
}
