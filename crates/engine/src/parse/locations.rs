//! The `locations` section: each function's script, line and column, by node ordinal, the last
//! one V8 wrote for a node winning (as in DevTools, which assigns them into a map in file
//! order). V8 writes them in short ascending runs, not in node order, so they are sorted here:
//! by a stable radix sort on the node ordinal, a few passes over the rows instead of a
//! comparison sort's twenty-odd (1.5 M rows of the 1.5 GB bench snapshot: about 0.1 s with a
//! merge sort).

use super::numbers::{self, Column};
use super::source::Source;
use crate::graph::Location;
use heaptui_common::error::{Error, Result};
use std::ops::Range;

/// The locations in `range` (the array's contents), sorted by node ordinal, one per node.
pub(super) fn parse(
    source: &Source,
    header: &crate::graph::header::Header,
    range: Range<usize>,
    node_count: usize,
) -> Result<Vec<(u32, Location)>> {
    let fields = header.location_fields.len();
    let pos = |name: &str| header.location_fields.iter().position(|f| f == name);
    let (Some(f_node), Some(f_script), Some(f_line), Some(f_col)) = (
        pos("object_index"),
        pos("script_id"),
        pos("line"),
        pos("column"),
    ) else {
        return Ok(Vec::new());
    };
    let bytes = source.bytes();
    let commas = numbers::count_commas(&bytes[range.clone()]);
    let values = if bytes[range.clone()].iter().all(|b| b.is_ascii_whitespace()) {
        0
    } else {
        commas + 1
    };
    if !values.is_multiple_of(fields) {
        return Err(Error::at(
            range.start,
            format!("the \"locations\" array has {values} values, not a multiple of {fields}"),
        ));
    }
    let rows = values / fields;
    let (mut node, mut script, mut line, mut col) =
        (vec![0; rows], vec![0; rows], vec![0; rows], vec![0; rows]);
    let mut cols: Vec<Column> = (0..fields).map(|_| Column::Skip).collect();
    let stride = header.node_fields.len() as u32;
    cols[f_node] = Column::NodeOrdinal {
        out: &mut node,
        stride,
        limit: node_count as u32,
    };
    cols[f_script] = Column::U32(&mut script);
    cols[f_line] = Column::U32(&mut line);
    cols[f_col] = Column::U32(&mut col);
    numbers::parse_table(source, range, "locations", rows, &mut cols, &|_| {}, None)?;
    // Last row first, so that after a stable sort each node's last location leads its run.
    let reversed = (0..rows).rev().map(|i| {
        (
            node[i],
            Location {
                script_id: script[i],
                line: line[i],
                column: col[i],
            },
        )
    });
    Ok(first_per_node(reversed.collect(), node_count))
}

/// Bits of the key each radix pass sorts by: 2,048 counters fit the L1 cache, and three
/// passes cover any 32-bit node ordinal (two the bench snapshots' 20 M).
const RADIX_BITS: u32 = 11;

/// `items` stably sorted by node ordinal (each below `node_count`), keeping the first item of
/// each node.
fn first_per_node<T: Copy>(items: Vec<(u32, T)>, node_count: usize) -> Vec<(u32, T)> {
    let key_bits = u32::BITS - (node_count.max(1) as u32 - 1).leading_zeros();
    let mut items = items;
    let mut spare = items.clone();
    for shift in (0..key_bits).step_by(RADIX_BITS as usize) {
        let digit = |&(node, _): &(u32, T)| ((node >> shift) & ((1 << RADIX_BITS) - 1)) as usize;
        let mut next = [0usize; 1 << RADIX_BITS];
        for item in &items {
            next[digit(item)] += 1;
        }
        let mut start = 0;
        for slot in &mut next {
            let count = *slot;
            *slot = start;
            start += count;
        }
        for item in &items {
            let d = digit(item);
            spare[next[d]] = *item;
            next[d] += 1;
        }
        std::mem::swap(&mut items, &mut spare);
    }
    debug_assert!(items.windows(2).all(|w| w[0].0 <= w[1].0));
    items.dedup_by_key(|&mut (node, _)| node);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The radix sort keeps what a stable comparison sort and a dedup keep, for node counts
    /// needing one to three passes, with repeated nodes and short ascending runs.
    #[test]
    fn first_per_node_matches_a_stable_sort() {
        for node_count in [1usize, 2, 3, 2047, 2048, 2049, 5_000_000, 20_000_000] {
            let mut state = 0x9e37_79b9_7f4a_7c15u64;
            let mut random = move || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            };
            let items: Vec<(u32, u32)> = (0..20_000u32)
                .map(|i| {
                    let node = if i % 11 == 0 {
                        random() % node_count as u64
                    } else {
                        random() % (node_count as u64).min(64)
                    };
                    (node as u32, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(node, _)| node);
            expected.dedup_by_key(|&mut (node, _)| node);
            assert_eq!(first_per_node(items, node_count), expected, "{node_count}");
        }
        assert!(first_per_node(Vec::<(u32, u32)>::new(), 10).is_empty());
    }
}
