//! Reads a stream (standard input, a pipe, a FIFO, a process substitution; see
//! [`super::input`]) front to back into memory. Gzip (told by its magic bytes) is inflated as it
//! arrives. Progress is reported in bytes read, and the memory guard stops the read before
//! holding the input would leave the machine without memory. Nothing is written to disk.

use super::memory;
use heaptui_common::error::{Error, Result};
use heaptui_common::progress::{Phase, Progress};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read};

/// Bytes read between progress reports and memory checks (a pipe hands over at most its
/// buffer, 64 KiB, per read, whatever is asked).
const READ_BLOCK: u64 = 8 << 20;

/// The first bytes of a gzip member.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads all of the stream `file`, checking the memory left after each block when
/// `check_memory`.
pub fn read_stream(file: &File, check_memory: bool, progress: &Progress) -> Result<Vec<u8>> {
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
        .map_err(|e| Error::io("cannot read", e))?;
    if head.is_empty() {
        return Err(Error::malformed("is empty"));
    }
    let report = |out: &Vec<u8>| -> Result<()> {
        let phase = format!("Reading the stream: {} MB", source.read.get() / 1_000_000);
        progress.report_as(Phase::Reading, &phase, 0.0);
        if check_memory {
            memory::check_holding(out.len() as u64, 0)?;
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
                Error::malformed(format!("corrupt or truncated gzip data: {e}"))
            }
            Failure::Io(e) => Error::io("cannot read", e),
            Failure::Check(e) => e,
        })?;
        if out.is_empty() {
            return Err(Error::malformed("gzip data decompresses to nothing"));
        }
        return Ok(out);
    }
    let mut out = head;
    fill(&source, &mut out, &report).map_err(|e| match e {
        Failure::Io(e) => Error::io("cannot read", e),
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

/// A reader that counts the bytes it hands over and remembers whether the file failed (to tell
/// a read error from corrupt gzip data).
struct Counted<'a> {
    inner: &'a File,
    read: Cell<u64>,
    failed: Cell<bool>,
}

impl Read for &Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut file = self.inner;
        match file.read(buf) {
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
