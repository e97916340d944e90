//! Accumulation points: the nearest nodes under which a large share of memory piles up.
//!
//! Source: Eclipse MAT's leak suspects (`FindLeaksQuery.findAccumulationPoint` and the
//! grouping of `MultiplePathsFromGCRoots`): from a big node, descend to the biggest child
//! while it keeps most of its parent; the node above the "big drop" is the accumulation
//! point, "usually an array or a collection". MAT follows one child (the biggest) and a fixed
//! ratio; a leaking service often has several things growing under one module, so here every
//! candidate is judged by what is left to it.
//!
//! Definition: the *candidates* are the nodes holding at least the threshold (a large share of
//! all the memory measured). A candidate that may be reported is an accumulation point when
//! the memory it holds *beyond* the nearest reportable candidates below it is itself at least
//! the threshold. So the collection whose entries are each small is one (nothing below it
//! explains its memory); a module holding one such collection is not (the collection explains
//! it), but a module holding a cache of 70 % and, in many small pieces, another 30 % is one
//! too, for those 30 %; two leaks under one module are found at their own collections.
//!
//! Invariants: a node's memory is at least the sum over its children (it is a subtree
//! measure), so the candidates form a tree hanging from the roots given; nodes that cannot be
//! reported (roots, backing stores, new objects) are walked through.

use std::hash::Hash;

/// A tree of memory to walk: children (only those holding at least the threshold are
/// followed), the memory under a node, and which nodes may be reported.
pub struct Tree<'a, N> {
    /// The children of a node.
    pub children: &'a dyn Fn(N) -> Vec<N>,
    /// The memory under a node (itself included).
    pub memory: &'a dyn Fn(N) -> u64,
    /// True for nodes that may be reported as accumulation points.
    pub can_hold: &'a dyn Fn(N) -> bool,
    /// The memory a node needs to be a candidate, and to be left to an accumulation point.
    pub threshold: u64,
}

/// The accumulation points under `tops` (which are walked through, never reported), in the
/// order found.
pub fn points<N: Copy + Eq + Hash>(tree: &Tree<'_, N>, tops: &[N]) -> Vec<N> {
    let frontier = |node: N| {
        let mut out = Vec::new();
        let mut stack: Vec<N> = (tree.children)(node);
        while let Some(n) = stack.pop() {
            if (tree.memory)(n) < tree.threshold {
                continue;
            }
            if (tree.can_hold)(n) {
                out.push(n);
            } else {
                stack.extend((tree.children)(n));
            }
        }
        out
    };
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<N> = tops.iter().flat_map(|&t| frontier(t)).collect();
    while let Some(node) = stack.pop() {
        if !seen.insert(node) {
            continue;
        }
        let below = frontier(node);
        let explained: u64 = below.iter().map(|&n| (tree.memory)(n)).sum();
        if (tree.memory)(node).saturating_sub(explained) >= tree.threshold {
            found.push(node);
        }
        stack.extend(below);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Walks `edges` (parent → children) with memory per node; `blocked` nodes cannot hold.
    fn walk(edges: &[(u32, u32)], memory: &[u64], blocked: &[u32], threshold: u64) -> Vec<u32> {
        let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
        for &(p, c) in edges {
            children.entry(p).or_default().push(c);
        }
        let tree = Tree {
            children: &|n| children.get(&n).cloned().unwrap_or_default(),
            memory: &|n| memory[n as usize],
            can_hold: &|n| !blocked.contains(&n),
            threshold,
        };
        let mut found = points(&tree, &[0]);
        found.sort_unstable();
        found
    }

    #[test]
    fn finds_the_collection_whose_entries_are_small() {
        // 0 root → 1 module (100) → 2 array (95) → 3, 4, 5 (a third each).
        let memory = [100, 100, 95, 32, 32, 31];
        let edges = [(0, 1), (1, 2), (2, 3), (2, 4), (2, 5)];
        assert_eq!(walk(&edges, &memory, &[], 40), vec![2]);
    }

    #[test]
    fn a_module_keeps_what_its_collections_do_not_explain() {
        // 1 module (100) → 2 cache (69) → small entries; 31 more in pieces of 3.
        let memory = [100, 100, 69, 3, 3];
        let edges = [(0, 1), (1, 2), (2, 3), (1, 4)];
        assert_eq!(walk(&edges, &memory, &[], 10), vec![1, 2]);
        // With only 5 left beside the cache, the module is not a point.
        let memory = [100, 100, 95, 3, 3];
        assert_eq!(walk(&edges, &memory, &[], 10), vec![2]);
    }

    #[test]
    fn two_leaks_under_one_module_are_two_points() {
        // 1 module → 2 cache (50), 3 listeners (45); 2 and 3 spread their memory.
        let memory = [100, 100, 50, 45, 5, 5];
        let edges = [(0, 1), (1, 2), (1, 3), (2, 4), (3, 5)];
        assert_eq!(walk(&edges, &memory, &[], 10), vec![2, 3]);
    }

    #[test]
    fn walks_through_nodes_that_cannot_hold() {
        // 1 array → 2 its new backing store (cannot hold) → 3, 4, 5 (small).
        let memory = [100, 100, 99, 33, 33, 33];
        let edges = [(0, 1), (1, 2), (2, 3), (2, 4), (2, 5)];
        assert_eq!(walk(&edges, &memory, &[2], 40), vec![1]);
        // A backing store holding one big child passes the walk on to it.
        let memory = [100, 100, 99, 90, 5];
        let edges = [(0, 1), (1, 2), (2, 3), (2, 4)];
        assert_eq!(walk(&edges, &memory, &[2], 40), vec![3]);
    }
}
