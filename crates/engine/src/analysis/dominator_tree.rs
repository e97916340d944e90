//! The dominator tree top down: which objects a node keeps alive on its own (the objects it
//! immediately dominates), for the Dominators view.
//!
//! Source: the immediate dominators DevTools computes (`HeapSnapshot.buildDominatorTree`,
//! see `dominators`); DevTools' former Dominators view (`HeapSnapshotDominatorObjectNode`)
//! listed a node's dominated nodes by retained size, largest first. Invariants:
//! - The children of `n` are the nodes other than the root whose immediate dominator is `n`;
//!   each node but the root is the child of exactly one node, so a walk down never repeats.
//! - Order: retained size, largest first; then object id (stable across runs).
//! - Only the immediate dominators are kept, not a child index (that would cost 8 bytes per
//!   node for a view most sessions never open): children are found by one sequential scan of
//!   the dominator array, split across threads, for any number of parents at once.

use heaptui_common::util::bits::BitVec;
use rayon::prelude::*;
use std::cmp::Reverse;

/// Nodes per parallel chunk of the scan: large enough that splitting costs nothing next to
/// the scan itself, small enough that two cores share the work evenly.
const SCAN_CHUNK: usize = 1 << 20;

/// The children of each of `parents` in the dominator tree (`dominator` per node, `root`
/// dominating itself), each list in the view's order: by `retained` size, then by `ids`.
pub fn children(
    dominator: &[u32],
    retained: &[u64],
    ids: &[u32],
    root: u32,
    parents: &[u32],
) -> Vec<Vec<u32>> {
    let mut is_parent = BitVec::new(dominator.len());
    for &p in parents {
        is_parent.set(p as usize);
    }
    let found: Vec<u32> = dominator
        .par_chunks(SCAN_CHUNK)
        .enumerate()
        .flat_map_iter(|(chunk, doms)| {
            let base = chunk * SCAN_CHUNK;
            let is_parent = &is_parent;
            doms.iter().enumerate().filter_map(move |(i, &d)| {
                let node = (base + i) as u32;
                (node != root && is_parent.get(d as usize)).then_some(node)
            })
        })
        .collect();
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); parents.len()];
    let slot_of: std::collections::HashMap<u32, usize> =
        parents.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    for node in found {
        lists[slot_of[&dominator[node as usize]]].push(node);
    }
    for list in &mut lists {
        list.par_sort_unstable_by_key(|&n| (Reverse(retained[n as usize]), ids[n as usize]));
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_by_retained_size_then_id() {
        // 0 is the root; 1 and 2 under it; 3 and 4 under 1.
        let dominator = [0, 0, 0, 1, 1];
        let retained = [100, 50, 10, 5, 5];
        let ids = [1, 3, 5, 9, 7];
        let lists = children(&dominator, &retained, &ids, 0, &[0, 1, 2]);
        assert_eq!(lists, vec![vec![1, 2], vec![4, 3], vec![]]);
    }
}
