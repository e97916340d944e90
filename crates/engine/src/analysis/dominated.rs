//! What each node's dominator subtree holds: sums of a per-node weight over the subtree, and
//! for every node the nearest of a few chosen nodes among itself and its dominators.
//!
//! Source: the retained-size pass of DevTools `calculateDominatorsAndRetainedSizes` (a node's
//! subtree sum is its own weight plus its dominated children's sums) with any weight instead
//! of the self size; Eclipse MAT's leak suspects and memlab's growth analyses read the tree
//! the same way (what a holder would free if it went). Invariants: the DFS preorder of the
//! dominator computation lists every node after its dominator, so a reverse pass finishes each
//! node's sum before adding it to its dominator, and a forward pass labels each node after its
//! dominator; both are one sequential pass, the accesses by node fetched a few nodes ahead.

use super::dominators::Dominators;
use heaptui_common::util::bits::{prefetch, PREFETCH_AHEAD};

/// Marks a node that has none of the chosen nodes among its dominators.
pub const NO_OWNER: u32 = u32::MAX;

/// Per node, the sum of `weight` over its dominator subtree (the node included).
pub fn subtree_sums(tree: &Dominators, weight: &dyn Fn(u32) -> u64) -> Vec<u64> {
    let (order, dominator) = (&tree.dfs_order, &tree.dominator);
    let mut sums: Vec<u64> = (0..dominator.len() as u32).map(weight).collect();
    for position in (1..order.len()).rev() {
        if position > PREFETCH_AHEAD {
            let ahead = order[position - PREFETCH_AHEAD] as usize;
            prefetch(dominator, ahead);
            prefetch(&sums, ahead);
        }
        let node = order[position] as usize;
        sums[dominator[node] as usize] += sums[node];
    }
    sums
}

/// Per node, the position in `owners` of the nearest owner among the node and its dominators,
/// or [`NO_OWNER`]. An owner inside another's subtree takes its own subtree from the outer one.
pub fn nearest_owner(tree: &Dominators, owners: &[u32]) -> Vec<u32> {
    let (order, dominator) = (&tree.dfs_order, &tree.dominator);
    let mut owner = vec![NO_OWNER; dominator.len()];
    for (at, &node) in owners.iter().enumerate() {
        if let Some(slot) = owner.get_mut(node as usize) {
            *slot = at as u32;
        }
    }
    let is_owner: Vec<bool> = owner.iter().map(|&o| o != NO_OWNER).collect();
    for (position, &node) in order.iter().enumerate().skip(1) {
        if let Some(&ahead) = order.get(position + PREFETCH_AHEAD) {
            prefetch(dominator, ahead as usize);
        }
        let node = node as usize;
        if !is_owner[node] {
            owner[node] = owner[dominator[node] as usize];
        }
    }
    owner
}

/// Which nodes lie under which owner, and under marked nodes, in one pass down the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership {
    /// Per node, [`nearest_owner`]'s answer.
    pub owner: Vec<u32>,
    /// Per node: a marked node that is not an owner lies between it and its owner (a proper
    /// dominator with the same owner); false at owners and outside them.
    pub nested: Vec<bool>,
    /// Per node: one of its proper dominators (the root excluded) is marked.
    pub under_marked: Vec<bool>,
}

/// [`nearest_owner`] and two marks at once: for each node, whether a `marked` node lies above
/// it within its owner's subtree, and whether one lies above it at all. A node that
/// `continues` its dominator (the next node of a linked list, empty for none) is not nested by
/// it: it is nested only where its dominator is.
pub fn ownership(
    tree: &Dominators,
    owners: &[u32],
    marked: &[bool],
    continues: &[bool],
) -> Ownership {
    let (order, dominator) = (&tree.dfs_order, &tree.dominator);
    let n = dominator.len();
    let mut owner = vec![NO_OWNER; n];
    let mut is_owner = vec![false; n];
    for (at, &node) in owners.iter().enumerate() {
        if let Some(slot) = owner.get_mut(node as usize) {
            *slot = at as u32;
            is_owner[node as usize] = true;
        }
    }
    let mut nested = vec![false; n];
    let mut under_marked = vec![false; n];
    let root = order.first().copied().unwrap_or(0) as usize;
    for (position, &node) in order.iter().enumerate().skip(1) {
        if let Some(&ahead) = order.get(position + PREFETCH_AHEAD) {
            prefetch(dominator, ahead as usize);
        }
        let node = node as usize;
        let d = dominator[node] as usize;
        if !is_owner[node] {
            owner[node] = owner[d];
            let continued = continues.get(node).copied().unwrap_or(false);
            nested[node] =
                owner[d] != NO_OWNER && (nested[d] || (marked[d] && !is_owner[d] && !continued));
        }
        under_marked[node] = under_marked[d] || (d != root && marked[d]);
    }
    Ownership {
        owner,
        nested,
        under_marked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// root 0 → 1 → {2, 3}, 3 → 4.
    fn tree() -> Dominators {
        Dominators {
            dominator: vec![0, 0, 1, 1, 3].into(),
            dfs_order: vec![0, 1, 3, 4, 2].into(),
            extra_roots: Vec::new(),
        }
    }

    #[test]
    fn sums_cover_each_subtree() {
        let sums = subtree_sums(&tree(), &|n| u64::from(n) * 10);
        assert_eq!(sums, vec![100, 100, 20, 70, 40]);
    }

    #[test]
    fn ownership_marks_what_lies_below_marked_nodes() {
        // root 0 → 1 (owner) → {2, 3 (marked)}, 3 → 4.
        let o = ownership(&tree(), &[1], &[false, false, false, true, false], &[]);
        assert_eq!(o.owner, vec![NO_OWNER, 0, 0, 0, 0]);
        assert_eq!(o.nested, vec![false, false, false, false, true]);
        assert_eq!(o.under_marked, vec![false, false, false, false, true]);
        // A marked owner does not nest its own subtree, but is above it.
        let o = ownership(&tree(), &[1], &[false, true, false, false, false], &[]);
        assert_eq!(o.nested, vec![false; 5]);
        assert_eq!(o.under_marked, vec![false, false, true, true, true]);
    }

    #[test]
    fn a_node_continuing_a_list_is_not_nested_by_the_node_before() {
        // root 0 → 1 (owner) → 3 (marked) → 4 (marked, the list's next node) → 5 (marked).
        let tree = Dominators {
            dominator: vec![0, 0, 1, 1, 3, 4].into(),
            dfs_order: vec![0, 1, 3, 4, 5, 2].into(),
            extra_roots: Vec::new(),
        };
        let marked = [false, false, false, true, true, true];
        let o = ownership(
            &tree,
            &[1],
            &marked,
            &[false, false, false, false, true, true],
        );
        assert_eq!(o.nested, vec![false; 6]);
        // Without the list, 4 and 5 are nested in 3.
        let o = ownership(&tree, &[1], &marked, &[]);
        assert_eq!(o.nested, vec![false, false, false, false, true, true]);
        // What a list node holds (not a continuation) is still nested.
        let o = ownership(
            &tree,
            &[1],
            &marked,
            &[false, false, false, false, true, false],
        );
        assert_eq!(o.nested, vec![false, false, false, false, false, true]);
    }

    #[test]
    fn nearest_owner_is_the_innermost() {
        let owner = nearest_owner(&tree(), &[1, 3]);
        assert_eq!(owner, vec![NO_OWNER, 0, 0, 1, 1]);
    }
}
