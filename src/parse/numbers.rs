//! Parallel parsing of the big flat integer arrays (`nodes`, `edges`, `locations`) straight
//! into typed columns.
//!
//! Two passes over fixed-size chunks (rayon): the first counts the values in each chunk (one
//! value per comma), the second parses each chunk into its rows at the offset the counts give.
//! Chunk boundaries sit just after a comma, so no number is split. Each chunk's pages are handed
//! back to the kernel once parsed, keeping a mapped file out of the peak RSS.

use super::source::Source;
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::ops::Range;

/// Where one field of each row goes.
pub enum Column<'a> {
    /// The field is not kept.
    Skip,
    /// A small enum value (node or edge type) that must be `< limit`.
    Enum {
        /// One value per row.
        out: &'a mut [u8],
        /// Values must be below this.
        limit: u32,
        /// What the value is, for error messages.
        what: &'static str,
    },
    /// A plain unsigned value.
    U32(&'a mut [u32]),
    /// A node index (`ordinal × stride`) that must point at one of `limit` nodes; stored as the
    /// ordinal.
    NodeOrdinal {
        /// One ordinal per row.
        out: &'a mut [u32],
        /// Node field count.
        stride: u32,
        /// Number of nodes.
        limit: u32,
    },
}

/// The raw-pointer form of [`Column`] the parallel chunks write through. Each chunk writes only
/// the rows its values belong to, so writes never overlap.
#[derive(Clone, Copy)]
enum Sink {
    Skip,
    Enum {
        out: *mut u8,
        limit: u32,
        what: &'static str,
    },
    U32(*mut u32),
    NodeOrdinal {
        out: *mut u32,
        stride: u32,
        limit: u32,
    },
}

// SAFETY: the pointers are only written at distinct (row, field) cells by distinct chunks, and
// the slices they come from outlive the parallel section.
unsafe impl Send for Sink {}
unsafe impl Sync for Sink {}

const CHUNK: usize = 4 << 20;

/// Parses `range` of `source` as `rows` rows of `columns.len()` integers each. `name` is used in
/// error messages ("nodes", "edges", …). Every column slice must hold `rows` items.
pub fn parse_table(
    source: &Source,
    range: Range<usize>,
    name: &str,
    rows: usize,
    columns: &mut [Column<'_>],
    progress: &(dyn Fn(f64) + Sync),
) -> Result<()> {
    let fields = columns.len();
    let bytes = source.bytes();
    let chunks = split(bytes, range.clone());
    let counts: Vec<usize> = chunks
        .par_iter()
        .map(|c| {
            let n = bytes[c.clone()].iter().filter(|&&b| b == b',').count();
            source.release_early(c.start, c.end);
            n
        })
        .collect();
    let is_empty = bytes[range.clone()].iter().all(|b| b.is_ascii_whitespace());
    let total = if is_empty {
        0
    } else {
        counts.iter().sum::<usize>() + 1
    };
    let expected = rows * fields;
    if total != expected {
        return Err(Error::at(
            range.start,
            format!(
                "the \"{name}\" array has {total} values but the header promises {expected} ({rows} × {fields} fields)"
            ),
        ));
    }
    let sinks: Vec<Sink> = columns
        .iter_mut()
        .map(|c| match c {
            Column::Skip => Sink::Skip,
            Column::Enum { out, limit, what } => {
                assert_eq!(out.len(), rows);
                Sink::Enum {
                    out: out.as_mut_ptr(),
                    limit: *limit,
                    what,
                }
            }
            Column::U32(out) => {
                assert_eq!(out.len(), rows);
                Sink::U32(out.as_mut_ptr())
            }
            Column::NodeOrdinal { out, stride, limit } => {
                assert_eq!(out.len(), rows);
                Sink::NodeOrdinal {
                    out: out.as_mut_ptr(),
                    stride: *stride,
                    limit: *limit,
                }
            }
        })
        .collect();
    let mut starts = Vec::with_capacity(chunks.len());
    let mut acc = 0;
    for &n in &counts {
        starts.push(acc);
        acc += n;
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let last = chunks.len().saturating_sub(1);
    let results: Vec<Result<()>> = chunks
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let expect = if i == last {
                total - starts[i]
            } else {
                counts[i]
            };
            let r = parse_chunk(bytes, c.clone(), starts[i], expect, &sinks, name);
            source.release(c.start, c.end);
            let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(finished as f64 / chunks.len() as f64);
            r
        })
        .collect();
    results.into_iter().collect()
}

/// Cuts `range` into chunks that each end just after a comma (the last ends at `range.end`).
fn split(bytes: &[u8], range: Range<usize>) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = range.start;
    while range.end - start > CHUNK {
        match memchr::memchr(b',', &bytes[start + CHUNK..range.end]) {
            Some(i) => {
                let end = start + CHUNK + i + 1;
                chunks.push(start..end);
                start = end;
            }
            None => break,
        }
    }
    chunks.push(start..range.end);
    chunks
}

fn parse_chunk(
    bytes: &[u8],
    range: Range<usize>,
    first: usize,
    expect: usize,
    sinks: &[Sink],
    name: &str,
) -> Result<()> {
    let fields = sinks.len();
    let (mut row, mut col) = (first / fields, first % fields);
    let mut parsed = 0usize;
    let mut pos = range.start;
    let end = range.end;
    while parsed < expect {
        while pos < end && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        let mut value: u64 = 0;
        while pos < end && bytes[pos].is_ascii_digit() {
            value = value * 10 + u64::from(bytes[pos] - b'0');
            if value > u64::from(u32::MAX) {
                return Err(Error::at(
                    start,
                    format!("number too large in the \"{name}\" array"),
                ));
            }
            pos += 1;
        }
        if pos == start {
            return Err(unexpected(bytes, pos, end, name));
        }
        store(sinks[col], row, value as u32, start, name)?;
        parsed += 1;
        col += 1;
        if col == fields {
            col = 0;
            row += 1;
        }
        while pos < end && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos < end {
            if bytes[pos] != b',' {
                return Err(unexpected(bytes, pos, end, name));
            }
            pos += 1;
        }
    }
    while pos < end && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    if pos < end {
        return Err(unexpected(bytes, pos, end, name));
    }
    Ok(())
}

fn unexpected(bytes: &[u8], pos: usize, end: usize, name: &str) -> Error {
    let what = match bytes.get(pos) {
        _ if pos >= end => "a missing value".to_string(),
        Some(b'-') => "a negative number".to_string(),
        Some(b'.' | b'e' | b'E') => "a number that is not an integer".to_string(),
        Some(b',') => "an empty value".to_string(),
        Some(&b) if b.is_ascii_graphic() => format!("an unexpected '{}'", b as char),
        Some(&b) => format!("an unexpected byte 0x{b:02x}"),
        None => "a missing value".to_string(),
    };
    Error::at(pos, format!("the \"{name}\" array holds {what}"))
}

#[inline]
fn store(sink: Sink, row: usize, value: u32, at: usize, name: &str) -> Result<()> {
    // SAFETY: `row < rows` because the total value count was checked against rows × fields, and
    // no other chunk writes this (row, field) cell.
    unsafe {
        match sink {
            Sink::Skip => {}
            Sink::U32(out) => *out.add(row) = value,
            Sink::Enum { out, limit, what } => {
                if value >= limit {
                    return Err(Error::at(at, format!("{what} {value} in the \"{name}\" array is out of range (there are {limit})")));
                }
                *out.add(row) = value as u8;
            }
            Sink::NodeOrdinal { out, stride, limit } => {
                if !value.is_multiple_of(stride) || value / stride >= limit {
                    return Err(Error::at(at, format!("\"{name}\" points at node index {value}, which is not a node (there are {limit} nodes of {stride} fields)")));
                }
                *out.add(row) = value / stride;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str, rows: usize) -> Result<(Vec<u8>, Vec<u32>)> {
        let source = Source::from_bytes(text.as_bytes().to_vec()).unwrap();
        let (mut a, mut b) = (vec![0u8; rows], vec![0u32; rows]);
        let mut cols = [
            Column::Enum {
                out: &mut a,
                limit: 5,
                what: "type",
            },
            Column::Skip,
            Column::U32(&mut b),
        ];
        parse_table(&source, 0..text.len(), "t", rows, &mut cols, &|_| {})?;
        Ok((a, b))
    }

    #[test]
    fn parses_rows_with_whitespace() {
        assert_eq!(
            table("1,9,10\n, 2,0,4294967295\n", 2).unwrap(),
            (vec![1, 2], vec![10, 4294967295])
        );
        assert_eq!(table("  ", 0).unwrap(), (vec![], vec![]));
    }

    #[test]
    fn rejects_bad_values_with_offsets() {
        assert!(table("1,2", 1)
            .unwrap_err()
            .message
            .contains("2 values but the header promises 3"));
        let e = table("1,-2,3", 1).unwrap_err();
        assert_eq!((e.offset, e.message.contains("negative")), (Some(2), true));
        assert!(table("7,0,0", 1)
            .unwrap_err()
            .message
            .contains("out of range"));
        assert!(table("1,0,4294967296", 1)
            .unwrap_err()
            .message
            .contains("too large"));
        assert!(table("1,,3", 1)
            .unwrap_err()
            .message
            .contains("empty value"));
        assert!(table("1,0,3.5", 1)
            .unwrap_err()
            .message
            .contains("not an integer"));
    }
}
