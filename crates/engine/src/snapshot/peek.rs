//! A look at a snapshot's header without loading it: what made it, how many nodes and edges it
//! has, and what loading it would need. Reads at most [`PEEK_LIMIT`] bytes from the start of the
//! file (decompressed for gzip), so it answers at once even for a multi-gigabyte file.

use crate::parse::{layout, memory, meta};
use heaptui_common::error::{Error, Result};
use std::io::{Read, Seek};
use std::path::Path;

/// The most bytes read for a peek: the header (meta, counts) comes first and is a few
/// kilobytes in Node's and Chromium's snapshots; a header larger than this is not a header.
pub const PEEK_LIMIT: usize = 1 << 20;

/// What a snapshot's header says, and what loading it would need.
#[derive(Debug, Clone)]
pub struct Peek {
    /// The file's size on disk.
    pub file_size: u64,
    /// Whether the file is gzipped.
    pub gzipped: bool,
    /// `snapshot.title` (empty in Node's snapshots).
    pub title: String,
    /// The per-node fields (`type`, `name`, `id`, …).
    pub node_fields: Vec<String>,
    /// `snapshot.node_count`.
    pub node_count: u64,
    /// `snapshot.edge_count`.
    pub edge_count: u64,
    /// Whether allocations were tracked (`trace_function_count` non-zero).
    pub allocation_tracking: bool,
    /// The memory a load is estimated to need (the memory check's figure).
    pub estimated_memory: u64,
    /// The memory the kernel says is available now, if it says.
    pub available_memory: Option<u64>,
}

impl Peek {
    /// What most likely wrote the snapshot, from its node fields: Node writes 7 (with
    /// `detachedness`), Chromium 6 or 7 with a title; a guess, said as one.
    pub fn producer(&self) -> &'static str {
        if !self.title.is_empty() {
            "chromium"
        } else if self.node_fields.len() == 7 {
            "node"
        } else {
            "unknown"
        }
    }
}

/// Reads the header of the snapshot at `path` without loading the snapshot.
pub fn peek(path: &Path) -> Result<Peek> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io("cannot open the file", e).in_file(path))?;
    let file_size = file
        .metadata()
        .map_err(|e| Error::io("cannot read the file", e).in_file(path))?
        .len();
    let mut start = Vec::with_capacity(2);
    // A clone shares the file's offset: the magic is read, then the offset put back.
    file.try_clone()
        .and_then(|mut f| {
            (&mut f).take(2).read_to_end(&mut start)?;
            f.rewind()
        })
        .map_err(|e| Error::io("cannot read the file", e).in_file(path))?;
    let gzipped = start == [0x1f, 0x8b];
    let reader: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader
        .take(PEEK_LIMIT as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Error::malformed(format!("cannot read the start of the file: {e}")).in_file(path)
        })?;
    let range = header_range(&bytes).map_err(|e| e.in_file(path))?;
    let header =
        meta::parse_header(&bytes[range.clone()], range.start).map_err(|e| e.in_file(path))?;
    Ok(Peek {
        file_size,
        gzipped,
        title: header.title,
        node_fields: header.node_fields,
        node_count: header.node_count,
        edge_count: header.edge_count,
        allocation_tracking: header.trace_function_count > 0,
        estimated_memory: memory::estimate(header.node_count as usize, header.edge_count as usize),
        available_memory: memory::available(),
    })
}

/// Where the `"snapshot"` header object lies in `bytes`: the first key of the document.
fn header_range(bytes: &[u8]) -> Result<std::ops::Range<usize>> {
    let not_snapshot =
        || Error::malformed("not a heap snapshot: no \"snapshot\" header at the start");
    let key = memchr::memmem::find(bytes, b"\"snapshot\"").ok_or_else(not_snapshot)?;
    let colon = layout::skip_ws(bytes, key + "\"snapshot\"".len());
    if bytes.get(colon) != Some(&b':') {
        return Err(not_snapshot());
    }
    let open = layout::skip_ws(bytes, colon + 1);
    if bytes.get(open) != Some(&b'{') {
        return Err(not_snapshot());
    }
    // Bracket balance outside strings; the header holds only strings, numbers and arrays.
    let mut depth = 0usize;
    let mut pos = open;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => {
                pos = layout::string_end(bytes, pos)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(open..pos + 1);
                }
            }
            _ => {}
        }
        pos += 1;
    }
    Err(Error::malformed(format!(
        "the \"snapshot\" header does not end within the first {PEEK_LIMIT} bytes"
    )))
}
