//! Retained sizes and the dominator tree's child lists.
//!
//! Source: DevTools `calculateDominatorsAndRetainedSizes` (final part) and
//! `buildDominatedNodes`. A node's retained size is its (redistributed) self size plus the
//! retained sizes of the nodes it immediately dominates; summing in reverse DFS preorder visits
//! every node after all nodes it dominates. The root's retained size covers every node.
//!
//! The sums run over positions in DFS order, where a node's dominator is usually close by, and
//! are then scattered to node order.

/// Retained size per node, from the dominator tree in DFS order (consumed: each array is freed
/// as soon as it is no longer needed, which keeps this phase's peak down).
pub fn compute(dfs_order: Vec<u32>, dfs_dominator: Vec<u32>, self_size: &[u32]) -> Vec<u64> {
    let mut by_position: Vec<u64> = dfs_order
        .iter()
        .map(|&node| u64::from(self_size[node as usize]))
        .collect();
    for position in (1..dfs_order.len()).rev() {
        let dominator = dfs_dominator[position] as usize;
        by_position[dominator] += by_position[position];
    }
    drop(dfs_dominator);
    let mut retained = vec![0u64; self_size.len()];
    for (&node, &size) in dfs_order.iter().zip(&by_position) {
        retained[node as usize] = size;
    }
    retained
}

/// Children lists of the dominator tree (CSR): `nodes[first[n]..first[n + 1]]` are the nodes
/// `n` immediately dominates.
#[derive(Debug, Default)]
pub struct DominatedNodes {
    /// Offsets, `node_count + 1` long.
    pub first: Vec<u32>,
    /// Dominated node ordinals.
    pub nodes: Vec<u32>,
}

impl DominatedNodes {
    /// Builds the lists by counting sort over the dominator array.
    pub fn build(dominator: &[u32], root: u32) -> DominatedNodes {
        let n = dominator.len();
        let mut first = vec![0u32; n + 1];
        for (node, &dom) in dominator.iter().enumerate() {
            if node as u32 != root {
                first[dom as usize + 1] += 1;
            }
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        // Filling advances each list's offset to the next list's start; one shift restores
        // them (no second offset array).
        let mut nodes = vec![0u32; n.saturating_sub(1)];
        for (node, &dom) in dominator.iter().enumerate() {
            if node as u32 != root {
                nodes[first[dom as usize] as usize] = node as u32;
                first[dom as usize] += 1;
            }
        }
        for i in (1..=n).rev() {
            first[i] = first[i - 1];
        }
        first[0] = 0;
        DominatedNodes { first, nodes }
    }

    /// The nodes `node` immediately dominates.
    pub fn children(&self, node: u32) -> &[u32] {
        &self.nodes[self.first[node as usize] as usize..self.first[node as usize + 1] as usize]
    }
}
