//! Access to a snapshot file's bytes without copying it: plain files are memory-mapped
//! read-only, gzipped ones (detected by their magic bytes, not by name) are inflated into memory.
//!
//! Pages of a mapped file count in the process's RSS once touched, so the parser calls
//! [`Source::release`] on each region it has finished with; the kernel then drops those pages.

use crate::error::{Error, Result};
use memmap2::Mmap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The bytes of one snapshot file.
pub struct Source {
    bytes: Bytes,
}

enum Bytes {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

impl Source {
    /// Opens `path` read-only. Never writes to the file.
    pub fn open(path: &Path) -> Result<Source> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io("cannot read the file", e))?;
        if meta.is_dir() {
            return Err(Error::malformed("is a directory, not a heap snapshot file"));
        }
        let file = File::open(path).map_err(|e| Error::io("cannot open the file", e))?;
        if meta.len() == 0 {
            return Err(Error::malformed("file is empty"));
        }
        // SAFETY: the map is read-only and private; a concurrent truncation by another process
        // could raise SIGBUS, the accepted risk of every mmap-based reader (ripgrep takes it too).
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io("cannot map the file", e))?;
        let _ = map.advise(memmap2::Advice::Sequential);
        if map.starts_with(&GZIP_MAGIC) {
            return Ok(Source {
                bytes: Bytes::Owned(inflate(&map)?),
            });
        }
        Ok(Source {
            bytes: Bytes::Mapped(map),
        })
    }

    /// Wraps bytes already in memory (tests, fuzzing).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Source> {
        if bytes.starts_with(&GZIP_MAGIC) {
            return Ok(Source {
                bytes: Bytes::Owned(inflate(&bytes)?),
            });
        }
        Ok(Source {
            bytes: Bytes::Owned(bytes),
        })
    }

    /// The whole (decompressed) content.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            Bytes::Mapped(map) => map,
            Bytes::Owned(vec) => vec,
        }
    }

    /// Like [`Source::release`], for a pass that reads pages a later pass reads again: only a
    /// file too big to keep resident alongside the parsed tables ([`EARLY_RELEASE_ABOVE`]) gives
    /// its pages back early; a smaller one keeps them, so they are not faulted in twice.
    pub fn release_early(&self, start: usize, end: usize) {
        if self.bytes().len() > EARLY_RELEASE_ABOVE {
            self.release(start, end);
        }
    }

    /// Tells the kernel the parser is done with `start..end`, so a mapped file's pages stop
    /// counting in RSS. The bytes stay readable (they are faulted in again from the page cache).
    pub fn release(&self, start: usize, end: usize) {
        if let Bytes::Mapped(map) = &self.bytes {
            let page = crate::util::system::page_size();
            let from = start.div_ceil(page) * page;
            let to = (end / page) * page;
            if to > from {
                // SAFETY: DontNeed on a read-only private file mapping only drops clean pages;
                // later reads fault them back in from the file.
                let _ = unsafe {
                    map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
                };
            }
        }
    }
}

/// File size above which searched pages are released before their final parse (2 GiB).
pub const EARLY_RELEASE_ABOVE: usize = 2 << 30;

fn inflate(compressed: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(compressed.len().saturating_mul(6));
    let mut decoder = flate2::read::MultiGzDecoder::new(compressed);
    decoder
        .read_to_end(&mut out)
        .map_err(|e| Error::malformed(format!("corrupt or truncated gzip data: {e}")))?;
    if out.is_empty() {
        return Err(Error::malformed("gzip data decompresses to nothing"));
    }
    Ok(out)
}
