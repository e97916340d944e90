//! Retained sizes.
//!
//! Source: DevTools `calculateDominatorsAndRetainedSizes` (final part). A node's retained size
//! is its (redistributed) self size plus the retained sizes of the nodes it immediately
//! dominates; summing in reverse DFS preorder visits every node after all nodes it dominates.
//! The root's retained size covers every node.
//!
//! Nodes are visited in reverse DFS order (every node before its dominator); the accesses are
//! by node and fetched a few nodes ahead, so the misses overlap.

use super::dominators::Dominators;
use heaptui_common::util::bits::{prefetch, SUM_PREFETCH_AHEAD, SUM_PREFETCH_NEAR};

/// Retained size per node, from the dominator tree, in `memory` (any contents; its pages are
/// reused when it is large enough).
pub fn compute(tree: &Dominators, self_size: &[u32], memory: Vec<u64>) -> Vec<u64> {
    let (order, dominator) = (&tree.dfs_order, &tree.dominator);
    let mut retained = memory;
    retained.clear();
    retained.extend(self_size.iter().map(|&size| u64::from(size)));
    for position in (1..order.len()).rev() {
        if position > SUM_PREFETCH_AHEAD {
            let ahead = order[position - SUM_PREFETCH_AHEAD] as usize;
            prefetch(dominator, ahead);
            prefetch(&retained, ahead);
            let near = order[position - SUM_PREFETCH_NEAR] as usize;
            prefetch(&retained, dominator[near] as usize);
        }
        let node = order[position] as usize;
        retained[dominator[node] as usize] += retained[node];
    }
    retained
}
