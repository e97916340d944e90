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
            let n = count_commas(&bytes[c.clone()]);
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

/// Number of commas in `bytes` (memchr's vectorised count: the pass is bound by memory).
pub(crate) fn count_commas(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b',', bytes).count()
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

/// Where the next value of a chunk goes, and how many the chunk has stored.
struct Cell {
    row: usize,
    col: usize,
    parsed: usize,
}

impl Cell {
    /// Stores `value` (found at byte `at`) and moves to the next field.
    #[inline(always)]
    fn put(&mut self, sinks: &[Sink], value: u32, at: usize, name: &str) -> Result<()> {
        store(sinks[self.col], self.row, value, at, name)?;
        self.parsed += 1;
        self.col += 1;
        if self.col == sinks.len() {
            self.col = 0;
            self.row += 1;
        }
        Ok(())
    }
}

fn parse_chunk(
    bytes: &[u8],
    range: Range<usize>,
    first: usize,
    expect: usize,
    sinks: &[Sink],
    name: &str,
) -> Result<()> {
    let mut cell = Cell {
        row: first / sinks.len(),
        col: first % sinks.len(),
        parsed: 0,
    };
    let mut pos = range.start;
    let end = range.end;
    while cell.parsed < expect {
        // Fast path for V8's own layout: a number of up to seven digits, then `,` or `\n,`,
        // all inside the chunk. Anything else goes the general way below, from the same place.
        if let Some(word) = bytes.get(pos..pos + 8) {
            let (value, len) = eight_digits(u64::from_le_bytes(word.try_into().unwrap()));
            let after = pos + len;
            let next = match bytes.get(after..(after + 2).min(end)) {
                Some([b',', ..]) => after + 1,
                Some([b'\n', b',']) => after + 2,
                _ => 0,
            };
            if len > 0 && len < 8 && next != 0 {
                cell.put(sinks, value as u32, pos, name)?;
                pos = next;
                continue;
            }
        }
        while pos < end && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        let mut value: u64 = 0;
        // Up to eight digits at once; longer numbers go on digit by digit.
        if let Some(word) = bytes.get(pos..pos + 8) {
            let (digits, len) = eight_digits(u64::from_le_bytes(word.try_into().unwrap()));
            if len <= end - pos {
                value = digits;
                pos += len;
            }
        }
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
        cell.put(sinks, value as u32, start, name)?;
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

/// The value of the leading decimal digits of the eight bytes in `word` (first byte lowest) and
/// how many there are (SWAR: every byte is tested and converted at once). A borrow out of a
/// non-digit byte only disturbs the bytes after it, which are not used.
#[inline]
fn eight_digits(word: u64) -> (u64, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let offsets = word.wrapping_sub(ONES * u64::from(b'0'));
    // Bytes at 10 or above (or wrapped below '0') get their top bit set.
    let non_digits = (offsets.wrapping_add(ONES * 0x76) | offsets) & (ONES * 0x80);
    let len = (non_digits.trailing_zeros() / 8) as usize;
    if len == 0 {
        return (0, 0);
    }
    // Shift the digits to the top bytes, so the missing ones act as leading zeros, then
    // combine pairs, quads and octets.
    let digits = offsets << (8 * (8 - len));
    let pairs = (digits & (ONES * 0x0f)).wrapping_mul(10 << 8 | 1) >> 8;
    let quads = (pairs & 0x00ff_00ff_00ff_00ff).wrapping_mul(100 << 16 | 1) >> 16;
    let octet = (quads & 0x0000_ffff_0000_ffff).wrapping_mul(10000 << 32 | 1) >> 32;
    (octet, len)
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

#[inline(always)]
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
    fn eight_digits_reads_the_leading_digits() {
        for text in [
            "0,", "7\n", "42,1", "1234567,", "12345678", "99999999", "00000001", "9]",
        ] {
            let mut word = [b' '; 8];
            word[..text.len()].copy_from_slice(text.as_bytes());
            let len = text.bytes().take_while(u8::is_ascii_digit).count();
            let expected = text[..len].parse::<u64>().unwrap();
            assert_eq!(
                eight_digits(u64::from_le_bytes(word)),
                (expected, len),
                "{text}"
            );
        }
        assert_eq!(eight_digits(u64::from_le_bytes(*b",1234567")), (0, 0));
        assert_eq!(eight_digits(u64::from_le_bytes(*b"/:123456")), (0, 0));
    }

    #[test]
    fn count_commas_matches_a_plain_count_across_block_boundaries() {
        let text: Vec<u8> = (0..30_000u32)
            .map(|i| {
                if i % 7 == 0 || i % 11 == 0 {
                    b','
                } else {
                    b'1'
                }
            })
            .collect();
        for len in [
            0,
            1,
            31,
            32,
            33,
            255 * 32 - 1,
            255 * 32,
            255 * 32 + 1,
            30_000,
        ] {
            let plain = text[..len].iter().filter(|&&b| b == b',').count();
            assert_eq!(count_commas(&text[..len]), plain, "{len}");
        }
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
