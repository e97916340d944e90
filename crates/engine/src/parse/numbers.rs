//! Parallel parsing of the big flat integer arrays (`nodes`, `edges`, `locations`) straight
//! into typed columns.
//!
//! The values are counted per fixed-size block (one value per comma) by the layout scan on its
//! way to the array's end, so one pass parses the chunks in parallel (rayon), each into its
//! rows at the offset the counts give. Chunks start just after the first comma of a block, so
//! no number is split. Each chunk's pages are handed back to the kernel once parsed, keeping
//! a mapped file out of the peak RSS.
//!
//! Within a chunk, 64-byte windows are parsed at once: byte-class masks give every value's
//! first and last digit, so each value is staged independently (its digits loaded and masked;
//! with AVX-512, a window's values eight at a time by byte permutations, and converted there)
//! into a batch of a few thousand, which is then converted (AVX2 multiply-adds eight values at
//! a time when the CPU has them, else SWAR) and stored column by column. The instruction set
//! is chosen at run time.
//! Anything unusual in a window (other white space, long numbers, syntax errors) goes the
//! value-by-value way, which gives every error message; a value over 32 bits or out of range
//! for its column (found per batch) makes the chunk parse again value by value to say which.

use super::digits::{
    convert_staged, eight_digits, long_runs, prefix_xor, stage, ByteClasses, Divisor, WINDOW,
};
use super::source::Source;
use heaptui_common::error::{Error, Result};
use heaptui_common::util::system::populate_for_writing;
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
    /// A string index (a name), stored like [`Column::U32`]; the table's largest is returned,
    /// so the caller checks every name against the strings with one comparison.
    Names(&'a mut [u32]),
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
    Names(*mut u32),
    NodeOrdinal {
        out: *mut u32,
        stride: Divisor,
        limit: u32,
    },
}

// SAFETY: the pointers are only written at distinct (row, field) cells by distinct chunks, and
// the slices they come from outlive the parallel section.
unsafe impl Send for Sink {}
unsafe impl Sync for Sink {}

/// Bytes per block: an array's values are counted per block from its first byte (by the
/// layout scan, on its way to the array's end), and each chunk of the parse starts just after
/// the first comma of a block.
pub const BLOCK: usize = 4 << 20;

/// Parses `range` of `source` as `rows` rows of `columns.len()` integers each, and returns the
/// largest value of its [`Column::Names`] columns (0 without). `name` is used in error
/// messages ("nodes", "edges", …). Every column slice must hold `rows` items.
/// `block_commas`: the commas per [`BLOCK`] of `range` when the layout scan counted them,
/// else they are counted here.
pub fn parse_table(
    source: &Source,
    range: Range<usize>,
    name: &str,
    rows: usize,
    columns: &mut [Column<'_>],
    progress: &(dyn Fn(f64) + Sync),
    block_commas: Option<Vec<usize>>,
) -> Result<u32> {
    parse_table_in_blocks(
        source,
        range,
        name,
        rows,
        columns,
        progress,
        block_commas,
        BLOCK,
    )
}

/// [`parse_table`] with blocks of `block` bytes (tests make them small).
#[allow(clippy::too_many_arguments)]
fn parse_table_in_blocks(
    source: &Source,
    range: Range<usize>,
    name: &str,
    rows: usize,
    columns: &mut [Column<'_>],
    progress: &(dyn Fn(f64) + Sync),
    block_commas: Option<Vec<usize>>,
    block: usize,
) -> Result<u32> {
    let fields = columns.len();
    let bytes = source.bytes();
    let block_commas = block_commas.unwrap_or_else(|| {
        bytes[range.clone()]
            .par_chunks(block)
            .map(count_commas)
            .collect()
    });
    let is_empty = bytes[range.clone()].iter().all(|b| b.is_ascii_whitespace());
    let total = if is_empty {
        0
    } else {
        block_commas.iter().sum::<usize>() + 1
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
    let chunks = split(bytes, range.clone(), &block_commas, block);
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
            Column::Names(out) => {
                assert_eq!(out.len(), rows);
                Sink::Names(out.as_mut_ptr())
            }
            Column::NodeOrdinal { out, stride, limit } => {
                assert_eq!(out.len(), rows);
                Sink::NodeOrdinal {
                    out: out.as_mut_ptr(),
                    stride: Divisor::new(*stride),
                    limit: *limit,
                }
            }
        })
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<u32>> = chunks
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let next = chunks.get(i + 1).map_or(total, |next| next.first);
            let expect = next - c.first;
            populate_rows(&sinks, c.first / fields..next.div_ceil(fields));
            let batched = Some(parse_batched_fastest as Batched);
            let r = parse_chunk(
                bytes,
                c.bytes.clone(),
                c.first,
                expect,
                &sinks,
                name,
                batched,
            );
            source.release(c.bytes.start, c.bytes.end);
            let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(finished as f64 / chunks.len() as f64);
            r
        })
        .collect();
    results
        .into_iter()
        .try_fold(0, |largest, chunk| Ok(largest.max(chunk?)))
}

/// Faults in the pages of `rows` in every column at once before a chunk fills them: fresh
/// pages cost less populated in one call than faulted one at a time by the stores
/// ([`populate_for_writing`]).
fn populate_rows(sinks: &[Sink], rows: Range<usize>) {
    for &sink in sinks {
        match sink {
            Sink::Skip => {}
            Sink::Enum { out, .. } => {
                populate_for_writing(out.wrapping_add(rows.start), rows.len())
            }
            Sink::U32(out) | Sink::Names(out) | Sink::NodeOrdinal { out, .. } => {
                populate_for_writing(out.wrapping_add(rows.start), rows.len())
            }
        }
    }
}

/// Number of commas in `bytes` (memchr's vectorised count: the pass is bound by memory).
pub(crate) fn count_commas(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b',', bytes).count()
}

/// A chunk of a table: its bytes and the number of its first value in the table.
struct Chunk {
    bytes: Range<usize>,
    first: usize,
}

/// Cuts `range` into chunks: one from the start, and one just after the first comma at or
/// after each later block's start (when there is one past the previous chunk's start). The
/// commas before a block's first comma are those of the blocks before it, so with
/// `block_commas` each chunk's first value number is known without counting again.
fn split(bytes: &[u8], range: Range<usize>, block_commas: &[usize], block: usize) -> Vec<Chunk> {
    let mut chunks = vec![Chunk {
        bytes: range.clone(),
        first: 0,
    }];
    let mut commas_before = 0;
    for k in 1..block_commas.len() {
        commas_before += block_commas[k - 1];
        let block_start = range.start + k * block;
        let Some(i) = memchr::memchr(b',', &bytes[block_start..range.end]) else {
            break;
        };
        let start = block_start + i + 1;
        let last = chunks.last_mut().expect("the first chunk");
        if start <= last.bytes.start {
            continue;
        }
        last.bytes.end = start;
        chunks.push(Chunk {
            bytes: start..range.end,
            first: commas_before + 1,
        });
    }
    chunks
}

/// Where the next value of a chunk goes, how many the chunk has stored, and the largest of
/// its names ([`Column::Names`]) so far.
#[derive(Clone, Copy)]
struct Cell {
    row: usize,
    col: usize,
    parsed: usize,
    largest_name: u32,
}

impl Cell {
    /// Stores `value` (found at byte `at`) and moves to the next field.
    #[inline(always)]
    fn put(&mut self, sinks: &[Sink], value: u32, at: usize, name: &str) -> Result<()> {
        let sink = sinks[self.col];
        store(sink, self.row, value, at, name)?;
        if let Sink::Names(_) = sink {
            self.largest_name = self.largest_name.max(value);
        }
        self.parsed += 1;
        self.col += 1;
        if self.col == sinks.len() {
            self.col = 0;
            self.row += 1;
        }
        Ok(())
    }
}

/// A fast path of [`parse_chunk`] ([`parse_batched_fastest`]; tests name one instruction set).
type Batched =
    fn(&[u8], Range<usize>, Cell, usize, &[Sink], &str) -> std::result::Result<u32, Stop>;

/// Parses the `expect` values of the chunk `range`, the first being value number `first` of
/// the table, by windows (`batched`) as far as they go, and returns the largest of its names.
/// `batched: None` takes the value-by-value path alone (tests compare the two).
fn parse_chunk(
    bytes: &[u8],
    range: Range<usize>,
    first: usize,
    expect: usize,
    sinks: &[Sink],
    name: &str,
    batched: Option<Batched>,
) -> Result<u32> {
    let cell = Cell {
        row: first / sinks.len(),
        col: first % sinks.len(),
        parsed: 0,
        largest_name: 0,
    };
    if let Some(batched) = batched {
        match batched(bytes, range.clone(), cell, expect, sinks, name) {
            Ok(largest_name) => return Ok(largest_name),
            Err(Stop::Failed(e)) => return Err(e),
            // A value out of range somewhere: the value-by-value path finds the first one and
            // says where it is.
            Err(Stop::Redo) => {}
        }
    }
    let mut cell = cell;
    let mut pos = range.start;
    let end = range.end;
    while cell.parsed < expect {
        pos = parse_value(bytes, pos, end, &mut cell, sinks, name)?;
    }
    finish(bytes, pos, end, name)?;
    Ok(cell.largest_name)
}

/// Why the batched path stopped.
enum Stop {
    /// The chunk is malformed: this is the first problem in it.
    Failed(Error),
    /// A value is out of range for its column; the chunk must be parsed again value by value
    /// to tell which.
    Redo,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

/// Values staged before they are converted and stored in their columns: a thousand or two,
/// so the batch (staged digits and values, 12 bytes a value) stays in the L1 cache between
/// staging, conversion and stores.
const BATCH: usize = 2048;

/// Instruction sets [`parse_batched`] can be compiled for.
mod level {
    /// SSE2 byte classes (every x86_64 CPU), SWAR digit conversion.
    pub const PORTABLE: u8 = 0;
    /// AVX2 byte classes and digit conversion, PCLMULQDQ prefix parities.
    #[cfg(target_arch = "x86_64")]
    pub const AVX2: u8 = 2;
    /// As [`AVX2`], with AVX-512 byte classes and a whole window's values staged and
    /// converted at once (VBMI byte permutations, VBMI2 compression).
    #[cfg(target_arch = "x86_64")]
    pub const AVX512: u8 = 3;
}

/// [`parse_batched`] compiled for the best instruction set the CPU has (told at run time, so
/// the portable binaries keep working on any x86_64 CPU).
fn parse_batched_fastest(
    bytes: &[u8],
    range: Range<usize>,
    cell: Cell,
    expect: usize,
    sinks: &[Sink],
    name: &str,
) -> std::result::Result<u32, Stop> {
    #[cfg(target_arch = "x86_64")]
    if has_avx2() {
        if has_avx512() {
            // SAFETY: the CPU has all ten.
            return unsafe { parse_batched_avx512(bytes, range, cell, expect, sinks, name) };
        }
        // SAFETY: the CPU has all five.
        return unsafe { parse_batched_avx2(bytes, range, cell, expect, sinks, name) };
    }
    parse_batched::<{ level::PORTABLE }>(bytes, range, cell, expect, sinks, name)
}

/// Whether the CPU has what [`parse_batched_avx2`] needs.
#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("lzcnt")
        && std::is_x86_feature_detected!("popcnt")
        && std::is_x86_feature_detected!("pclmulqdq")
}

/// Whether the CPU has what [`parse_batched_avx512`] needs beyond [`has_avx2`].
#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vl")
        && std::is_x86_feature_detected!("avx512vbmi")
        && std::is_x86_feature_detected!("avx512vbmi2")
}

/// [`parse_batched`] compiled for AVX-512 (F, BW, VL, VBMI, VBMI2) on top of
/// [`parse_batched_avx2`]'s instruction sets.
#[cfg(target_arch = "x86_64")]
#[target_feature(
    enable = "avx2,bmi1,lzcnt,popcnt,pclmulqdq,avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2"
)]
fn parse_batched_avx512(
    bytes: &[u8],
    range: Range<usize>,
    cell: Cell,
    expect: usize,
    sinks: &[Sink],
    name: &str,
) -> std::result::Result<u32, Stop> {
    parse_batched::<{ level::AVX512 }>(bytes, range, cell, expect, sinks, name)
}

/// [`parse_batched`] compiled for AVX2 (and the bit-manipulation instructions AVX2 CPUs have:
/// BMI1, LZCNT and POPCNT for its masks, PCLMULQDQ for prefix parities).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,lzcnt,popcnt,pclmulqdq")]
fn parse_batched_avx2(
    bytes: &[u8],
    range: Range<usize>,
    cell: Cell,
    expect: usize,
    sinks: &[Sink],
    name: &str,
) -> std::result::Result<u32, Stop> {
    parse_batched::<{ level::AVX2 }>(bytes, range, cell, expect, sinks, name)
}

/// The fast path of [`parse_chunk`]: whole windows of values are staged into a batch
/// ([`parse_window`]), and a full batch is converted and stored column by column
/// ([`Batch::flush`]), with no per-value dispatch on the column. What a window cannot take
/// goes value by value ([`parse_value`]), after the batch before it is stored. `LEVEL`: the
/// instruction set (a [`level`]) the CPU is known to have.
#[inline(always)]
fn parse_batched<const LEVEL: u8>(
    bytes: &[u8],
    range: Range<usize>,
    mut cell: Cell,
    expect: usize,
    sinks: &[Sink],
    name: &str,
) -> std::result::Result<u32, Stop> {
    let mut batch = Batch {
        staged: [0; BATCH + WINDOW],
        values: [0; BATCH + WINDOW],
        len: 0,
        too_large: false,
    };
    let mut pos = range.start;
    let end = range.end;
    while cell.parsed + batch.len < expect {
        let room = (expect - cell.parsed - batch.len).min(WINDOW);
        if let Some((next, count)) = parse_window::<LEVEL>(bytes, pos, end, &mut batch, room) {
            batch.len += count;
            pos = next;
            if batch.len >= BATCH {
                batch.flush::<LEVEL>(&mut cell, sinks)?;
            }
            continue;
        }
        batch.flush::<LEVEL>(&mut cell, sinks)?;
        pos = parse_value(bytes, pos, end, &mut cell, sinks, name)?;
    }
    batch.flush::<LEVEL>(&mut cell, sinks)?;
    finish(bytes, pos, end, name)?;
    Ok(cell.largest_name)
}

/// Staged values of [`parse_batched`] (room for a window's worth past [`BATCH`]), and the
/// converted values (with AVX-512, converted at once, never staged).
struct Batch {
    /// Each value's digits (see [`stage`]).
    staged: [u64; BATCH + WINDOW],
    /// The values, once converted.
    values: [u32; BATCH + WINDOW],
    /// How many values are staged (or converted).
    len: usize,
    /// Whether a value converted at once was over 32 bits.
    too_large: bool,
}

impl Batch {
    /// Converts the staged values (unless converted at once), stores them after `cell`
    /// ([`store_batch`]) and empties the batch. A value too large for 32 bits stops with
    /// [`Stop::Redo`].
    #[inline(always)]
    fn flush<const LEVEL: u8>(
        &mut self,
        cell: &mut Cell,
        sinks: &[Sink],
    ) -> std::result::Result<(), Stop> {
        let n = self.len;
        let (staged, values) = (&self.staged[..n], &mut self.values[..n]);
        #[cfg(target_arch = "x86_64")]
        let fits = if LEVEL >= level::AVX512 {
            !self.too_large
        } else if LEVEL >= level::AVX2 {
            // SAFETY: `LEVEL` is AVX2 or more only in `parse_batched_avx2` and
            // `parse_batched_avx512`, run when the CPU has AVX2.
            unsafe { super::digits::convert_staged_avx2(staged, values) }
        } else {
            convert_staged(staged, values)
        };
        // (Only the AVX-512 path converts at once; elsewhere `too_large` stays false.)
        #[cfg(not(target_arch = "x86_64"))]
        let fits = !self.too_large && convert_staged(staged, values);
        if !fits {
            return Err(Stop::Redo);
        }
        store_batch(values, cell, sinks)?;
        self.len = 0;
        Ok(())
    }
}

/// Stores `values`, the next ones of the table after `cell`, in their columns, and moves
/// `cell` past them. Each column is written in one strided loop; range checks are gathered
/// per column and, on a failure, answered with [`Stop::Redo`].
#[inline(never)]
fn store_batch(values: &[u32], cell: &mut Cell, sinks: &[Sink]) -> std::result::Result<(), Stop> {
    let fields = sinks.len();
    for (field, &sink) in sinks.iter().enumerate() {
        // The first value of this field in the batch, and its row.
        let (skip, row) = if field >= cell.col {
            (field - cell.col, cell.row)
        } else {
            (field + fields - cell.col, cell.row + 1)
        };
        let Some(from_skip) = values.get(skip..) else {
            continue;
        };
        // The field's values: every `fields`-th from `skip` (an index loop, which compiles
        // tighter than `step_by`'s remaining-length bookkeeping).
        let count = from_skip.len().div_ceil(fields);
        let column = (0..count).map(|i| (i, &from_skip[i * fields]));
        let mut in_range = true;
        // SAFETY: as in `store`: the rows exist (the value count was checked against rows ×
        // fields) and no other chunk writes them.
        unsafe {
            match sink {
                Sink::Skip => {}
                Sink::U32(out) => {
                    for (i, &value) in column {
                        *out.add(row + i) = value;
                    }
                }
                Sink::Names(out) => {
                    let mut largest = cell.largest_name;
                    for (i, &value) in column {
                        largest = largest.max(value);
                        *out.add(row + i) = value;
                    }
                    cell.largest_name = largest;
                }
                Sink::Enum { out, limit, .. } => {
                    for (i, &value) in column {
                        in_range &= value < limit;
                        *out.add(row + i) = value as u8;
                    }
                }
                Sink::NodeOrdinal { out, stride, limit } => {
                    for (i, &value) in column {
                        let (ordinal, exact) = stride.quotient_if_exact(value);
                        in_range &= exact & (ordinal < limit);
                        *out.add(row + i) = ordinal;
                    }
                }
            }
        }
        if !in_range {
            return Err(Stop::Redo);
        }
    }
    let next = cell.col + values.len();
    cell.row += next / fields;
    cell.col = next % fields;
    cell.parsed += values.len();
    Ok(())
}

/// Parses one value (with the white space and comma around it) at `pos`, the general way
/// that gives every error, and returns the position after it.
#[inline(always)]
fn parse_value(
    bytes: &[u8],
    mut pos: usize,
    end: usize,
    cell: &mut Cell,
    sinks: &[Sink],
    name: &str,
) -> Result<usize> {
    // Fast path for V8's own layout: a number of up to seven digits, then `,` or `\n,`, all
    // inside the chunk. Anything else goes the general way below, from the same place.
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
            return Ok(next);
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
    Ok(pos)
}

/// Checks that only white space follows the chunk's last value.
fn finish(bytes: &[u8], mut pos: usize, end: usize, name: &str) -> Result<()> {
    while pos < end && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    if pos < end {
        return Err(unexpected(bytes, pos, end, name));
    }
    Ok(())
}

/// Bytes before a window that staging reads: [`stage`] reads the sixteen bytes that end
/// with a value's last digit, which can be the window's first byte.
const BEFORE_WINDOW: usize = 16;

/// Stages the values in the [`WINDOW`] bytes at `pos`, up to the last comma among them, into
/// `batch` after its `len` values (see [`stage`]; with AVX-512 they are converted at once), and
/// returns the position after that comma and how many values there were. Separators are found for the whole window at once (byte-class bit masks), so
/// each value's first and last digit are known and the values are staged independently
/// instead of each waiting for the previous one's length. Returns `None`, having staged
/// nothing that counts, when the window is not in the plain form (digits, commas, newlines,
/// spaces; one comma between numbers of at most ten digits; `pos` at the start of a value),
/// holds more values than `room`, or is too close to either end of the input. (Whether the
/// values fit in 32 bits is checked when the batch is converted.)
#[inline(always)]
fn parse_window<const LEVEL: u8>(
    bytes: &[u8],
    pos: usize,
    end: usize,
    batch: &mut Batch,
    room: usize,
) -> Option<(usize, usize)> {
    if pos < BEFORE_WINDOW || pos + WINDOW > end {
        return None;
    }
    let span: &[u8; BEFORE_WINDOW + WINDOW] =
        bytes[pos - BEFORE_WINDOW..pos + WINDOW].try_into().unwrap();
    let window: &[u8; WINDOW] = span[BEFORE_WINDOW..].try_into().unwrap();
    #[cfg(target_arch = "x86_64")]
    let classes = if LEVEL >= level::AVX512 {
        // SAFETY: `LEVEL` is AVX512 only in `parse_batched_avx512`, run when the CPU has it.
        unsafe { ByteClasses::of_avx512(window) }
    } else if LEVEL >= level::AVX2 {
        // SAFETY: `LEVEL` is AVX2 only in `parse_batched_avx2`, run when the CPU has it.
        unsafe { ByteClasses::of_avx2(window) }
    } else {
        ByteClasses::of(window)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let classes = ByteClasses::of(window);
    if classes.comma == 0 {
        return None;
    }
    let last_comma = 63 - classes.comma.leading_zeros() as usize;
    let region = u64::MAX >> (63 - last_comma);
    if (classes.digit | classes.comma | classes.space) & region != region {
        return None;
    }
    // A value starts at a digit not preceded by one (`pos` follows a comma or the `[`), and
    // ends at a digit not followed by one (the region ends with a comma).
    let starts = classes.digit & !(classes.digit << 1) & region;
    let ends = classes.digit & !(classes.digit >> 1) & region;
    let commas = classes.comma & region;
    // Numbers and commas must alternate, a number first: bit i of `odd` tells whether an odd
    // number of them lie at or before i, so numbers sit at odd counts, commas at even ones.
    #[cfg(target_arch = "x86_64")]
    let odd = if LEVEL >= level::AVX2 {
        // SAFETY: `LEVEL` is AVX2 or more only in `parse_batched_avx2` and
        // `parse_batched_avx512`, run when the CPU has PCLMULQDQ too.
        unsafe { super::digits::prefix_xor_clmul(starts | commas) }
    } else {
        prefix_xor(starts | commas)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let odd = prefix_xor(starts | commas);
    let (nine, eleven) = long_runs(classes.digit);
    if starts & !odd != 0 || commas & odd != 0 || eleven & region != 0 {
        return None;
    }
    let count = starts.count_ones() as usize;
    if count > room {
        return None;
    }
    let slots = batch.len..batch.len + count;
    #[cfg(target_arch = "x86_64")]
    if LEVEL >= level::AVX512 {
        // SAFETY: `LEVEL` is AVX512 only in `parse_batched_avx512`, run when the CPU has it.
        // The slots are one per value start; `ends` marks as many last digits, in the window
        // (the region ends with a comma, and numbers and commas alternate).
        let fits = unsafe {
            super::digits::convert_window_avx512(window, starts, ends, &mut batch.values[slots])
        };
        batch.too_large |= !fits;
        return Some((pos + last_comma + 1, count));
    }
    let staged = &mut batch.staged[slots];
    // Most windows hold no number of more than eight digits: their staging skips the high
    // digits.
    if nine & region == 0 {
        stage_window::<false>(span, starts, ends, staged);
    } else {
        stage_window::<true>(span, starts, ends, staged);
    }
    Some((pos + last_comma + 1, count))
}

/// Stages the values of a window ([`parse_window`]) whose first and last digits are the
/// set bits of `starts` and `ends` (as many as `staged` has slots), `span` being the window
/// with [`BEFORE_WINDOW`] bytes before it. `LONG`: whether a value has more than eight digits.
#[inline(always)]
fn stage_window<const LONG: bool>(
    span: &[u8; BEFORE_WINDOW + WINDOW],
    mut starts: u64,
    mut ends: u64,
    staged: &mut [u64],
) {
    for slot in staged {
        let first = starts.trailing_zeros() as usize;
        // Masked so the compiler sees the span's bounds: the bit is below 64 anyway.
        let last = ends.trailing_zeros() as usize & (WINDOW - 1);
        starts &= starts - 1;
        ends &= ends - 1;
        *slot = stage::<LONG>(span, BEFORE_WINDOW + first, BEFORE_WINDOW + last);
    }
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
            Sink::U32(out) | Sink::Names(out) => *out.add(row) = value,
            Sink::Enum { out, limit, what } => {
                if value >= limit {
                    return Err(Error::at(at, format!("{what} {value} in the \"{name}\" array is out of range (there are {limit})")));
                }
                *out.add(row) = value as u8;
            }
            Sink::NodeOrdinal { out, stride, limit } => match stride.exact_quotient(value) {
                Some(ordinal) if ordinal < limit => *out.add(row) = ordinal,
                _ => {
                    let stride = stride.divisor;
                    return Err(Error::at(at, format!("\"{name}\" points at node index {value}, which is not a node (there are {limit} nodes of {stride} fields)")));
                }
            },
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
        parse_table(&source, 0..text.len(), "t", rows, &mut cols, &|_| {}, None)?;
        Ok((a, b))
    }

    /// Random tables in the forms the parsers meet (V8's `\n,` rows, other white space, long
    /// numbers), some with one defect, parse by windows as they do value by value.
    #[test]
    fn windows_parse_like_values_one_by_one() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = move |below: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % below
        };
        for case in 0..3_000 {
            // Some tables span several batches.
            let rows = if case % 50 == 0 {
                2_000 + random(2_000) as usize
            } else {
                1 + random(60) as usize
            };
            let mut text = String::new();
            for row in 0..rows {
                for field in 0..4 {
                    if row + field > 0 {
                        text.push_str(match random(20) {
                            0 => "\n,",
                            1 => " , ",
                            2 => ",\n",
                            // White space that windows leave to the value-by-value path.
                            3 if case % 5 == 0 => "\t,",
                            4 if case % 5 == 1 => "\r\n,",
                            5 if case % 5 == 2 => "\x0c,",
                            _ => ",",
                        });
                    }
                    let value = match field {
                        0 => random(5),
                        3 => random(NODES) * 3,
                        _ => match random(4) {
                            0 => random(10),
                            1 => random(100_000),
                            2 => random(1 << 32),
                            3 if case % 7 == 0 => 1_000_000 + random(10_000_000_000),
                            _ => u64::from(u32::MAX) - random(1_000_000),
                        },
                    };
                    text.push_str(&value.to_string());
                }
            }
            if case % 3 == 0 {
                let defects = ["-", "x", ",", " 5", "7", "4294967296", "99999999999", "1.5"];
                let at = random(text.len() as u64 + 1) as usize;
                let defect = defects[random(defects.len() as u64) as usize];
                if text.is_char_boundary(at) {
                    text.insert_str(at, defect);
                }
            }
            parses_like_values_one_by_one(&text);
        }
    }

    /// Nodes the tables of [`parses_like_values_one_by_one`] point at.
    const NODES: u64 = 1_000;

    /// Parses `text`, a table of four fields (a kind below 5, a skipped one, a name, a node
    /// index of stride 3), by windows (with the CPU's instruction set and the portable one)
    /// and value by value: all must give the same error, or, when both succeed, the values
    /// and the largest name a plain split-and-parse reference gives. (After an error the
    /// columns are discarded, so they are not compared then.)
    fn parses_like_values_one_by_one(text: &str) {
        let bytes = text.as_bytes();
        let expect = bytes.iter().filter(|&&b| b == b',').count() + 1;
        let parse = |batched: Option<Batched>| {
            let rows = expect.div_ceil(4);
            let (mut kinds, mut a, mut ordinals) =
                (vec![0u8; rows], vec![0u32; rows], vec![0u32; rows]);
            let sinks = [
                Sink::Enum {
                    out: kinds.as_mut_ptr(),
                    limit: 5,
                    what: "kind",
                },
                Sink::Skip,
                Sink::Names(a.as_mut_ptr()),
                Sink::NodeOrdinal {
                    out: ordinals.as_mut_ptr(),
                    stride: Divisor::new(3),
                    limit: NODES as u32,
                },
            ];
            let result = parse_chunk(bytes, 0..bytes.len(), 0, expect, &sinks, "t", batched)
                .map_err(|e| (e.offset(), e.to_string()));
            (result, kinds, a, ordinals)
        };
        let (batched, one_by_one) = (parse(Some(parse_batched_fastest)), parse(None));
        assert_eq!(batched.0, one_by_one.0, "{text:?}");
        // The portable instruction set too, whatever the CPU has, and AVX2 when the CPU has
        // more.
        assert_eq!(
            parse(Some(parse_batched::<{ level::PORTABLE }>)),
            batched,
            "{text:?}"
        );
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the CPU has what it needs (checked just above).
            let avx2: Batched = |b, r, c, e, s, n| unsafe { parse_batched_avx2(b, r, c, e, s, n) };
            assert_eq!(parse(Some(avx2)), batched, "{text:?}");
        }
        let reference: Option<Vec<u32>> = text.split(',').map(|v| v.trim().parse().ok()).collect();
        if batched.0.is_ok() {
            let values = reference.expect("the reference parses what the parser does");
            let column = |field: usize| values.iter().skip(field).step_by(4).copied();
            let kinds: Vec<u8> = column(0).map(|v| v as u8).collect();
            let plain: Vec<u32> = column(2).collect();
            let ordinals: Vec<u32> = column(3).map(|v| v / 3).collect();
            assert_eq!(batched.1[..kinds.len()], kinds, "{text:?}");
            assert_eq!(batched.2[..plain.len()], plain, "{text:?}");
            let largest = plain.iter().copied().max().unwrap_or(0);
            assert_eq!(batched.0, Ok(largest), "{text:?}");
            assert_eq!(batched.3[..ordinals.len()], ordinals, "{text:?}");
            assert_eq!(batched, one_by_one, "{text:?}");
        }
    }

    /// A number of every length from 1 to 11 digits (some over 32 bits, one with leading
    /// zeros) at every offset of the windows around it, after `,` or `\n,`, in a plain and a
    /// skipped field, among short values.
    #[test]
    fn windows_take_numbers_at_every_offset() {
        let numbers = [
            "7",
            "42",
            "1234567",
            "12345678",
            "123456789",
            "1234567890",
            "4294967295",
            "4294967296",
            "9999999999",
            "12345678901",
            "0000000001",
        ];
        for number in numbers {
            for separator in [",", "\n,"] {
                // The first value's width shifts everything after it by up to seven bytes,
                // the number's place by rows of at least eight.
                for width in 1..=8 {
                    for row in 2..2 + 2 * WINDOW / 8 {
                        for field in [1, 2] {
                            let mut values = vec!["0"; 4 * (row + 40)];
                            let first = "0".repeat(width);
                            values[0] = &first;
                            values[4 * row + field] = number;
                            parses_like_values_one_by_one(&values.join(separator));
                        }
                    }
                }
            }
        }
    }

    /// A table cut into many small blocks, with the block counts given (as the layout scan
    /// gives them) or counted here, parses as it does in one block: chunks start after each
    /// block's first comma, some blocks hold none (long white space), one ends on a comma.
    #[test]
    fn small_blocks_parse_like_one_block() {
        let mut text = String::new();
        for row in 0..500u32 {
            let gap = match row % 37 {
                0 => " ".repeat(90),
                5 => "\n".to_string(),
                _ => String::new(),
            };
            let sep = if row == 0 { "" } else { "," };
            text.push_str(&format!(
                "{sep}{gap}{},{},{}",
                row % 5,
                // Names whose largest is in a middle chunk, not the last.
                row * 7919 % 65_537,
                row * 1_000_003
            ));
        }
        let source = Source::from_bytes(text.as_bytes().to_vec()).unwrap();
        let parse = |block_commas: Option<Vec<usize>>, block: usize| {
            let (mut kinds, mut a, mut b) = (vec![0u8; 500], vec![0u32; 500], vec![0u32; 500]);
            let mut cols = [
                Column::Enum {
                    out: &mut kinds,
                    limit: 5,
                    what: "kind",
                },
                Column::Names(&mut a),
                Column::U32(&mut b),
            ];
            let range = 0..text.len();
            parse_table_in_blocks(
                &source,
                range,
                "t",
                500,
                &mut cols,
                &|_| {},
                block_commas,
                block,
            )
            .map(|largest_name| (kinds, a, b, largest_name))
            .map_err(|e| e.to_string())
        };
        let whole = parse(None, BLOCK).expect("the table parses");
        assert_eq!(whole.2[499], 499 * 1_000_003);
        assert_eq!(whole.3, *whole.1.iter().max().unwrap());
        assert!(whole.3 > whole.1[499]);
        for block in [1, 2, 3, 16, 64, 91, 1000] {
            let given: Vec<usize> = text.as_bytes().chunks(block).map(count_commas).collect();
            assert_eq!(parse(Some(given), block).as_ref(), Ok(&whole), "{block}");
            assert_eq!(parse(None, block).as_ref(), Ok(&whole), "{block}");
        }
        // A wrong count is caught by the chunks' own counts, never trusted.
        let mut wrong: Vec<usize> = text.as_bytes().chunks(64).map(count_commas).collect();
        wrong[3] += 1;
        wrong[4] -= 1;
        assert!(parse(Some(wrong), 64).is_err());
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
            .to_string()
            .contains("2 values but the header promises 3"));
        let e = table("1,-2,3", 1).unwrap_err();
        assert_eq!(
            (e.offset(), e.to_string().contains("negative")),
            (Some(2), true)
        );
        assert!(table("7,0,0", 1)
            .unwrap_err()
            .to_string()
            .contains("out of range"));
        assert!(table("1,0,4294967296", 1)
            .unwrap_err()
            .to_string()
            .contains("too large"));
        assert!(table("1,,3", 1)
            .unwrap_err()
            .to_string()
            .contains("empty value"));
        assert!(table("1,0,3.5", 1)
            .unwrap_err()
            .to_string()
            .contains("not an integer"));
    }
}
