//! Access to a snapshot's bytes: a regular file on a local disk is memory-mapped read-only
//! (gzipped ones, detected by their magic bytes, not by name, are inflated into memory);
//! standard input and pipes are read into memory as they arrive ([`super::read`]), files on
//! network or FUSE file systems in a few sequential streams ([`super::remote`]);
//! [`super::input`] decides which.
//!
//! Pages of a mapped file count in the process's RSS once touched, so the parser calls
//! [`Source::release`] on each region it has finished with; the kernel then drops those pages.

use super::input::{Access, Input};
use super::read::{self, GZIP_MAGIC};
use super::remote;
use heaptui_common::error::{Error, Result};
use heaptui_common::progress::Progress;
use memmap2::Mmap;
use std::io::Read;
use std::path::Path;

/// The bytes of one snapshot.
pub struct Source {
    bytes: Bytes,
}

enum Bytes {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl Source {
    /// Opens `path` (`-` for standard input) read-only and maps or reads it, reporting the bytes
    /// read to `progress` and, when `check_memory`, stopping a read into memory before it
    /// exhausts the machine's memory. Never writes to the input.
    pub fn open(path: &Path, check_memory: bool, progress: &Progress) -> Result<Source> {
        let Input { file, access } = Input::open(path)?;
        let bytes = match access {
            Access::Map => None,
            Access::Stream => Some(read::read_stream(&file, check_memory, progress)?),
            Access::Remote { len, file_system } => {
                let bytes = remote::read_file(&file, len, file_system, check_memory, progress)?;
                Some(if bytes.starts_with(&GZIP_MAGIC) {
                    inflate(&bytes)?
                } else {
                    bytes
                })
            }
        };
        if let Some(bytes) = bytes {
            return Ok(Source {
                bytes: Bytes::Owned(bytes),
            });
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

    /// Bytes of input held in memory (not mapped) until the parse ends.
    pub fn held(&self) -> u64 {
        match &self.bytes {
            Bytes::Mapped(_) => 0,
            Bytes::Owned(vec) => vec.len() as u64,
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
            let page = heaptui_common::util::system::page_size();
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
