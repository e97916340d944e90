//! What releasing a set of objects would free ("what if nothing else pointed at them?").
//!
//! Source: memlab's what-if analysis (the objects a set frees, none counted twice) on the
//! reachability DevTools' retained sizes stand on (`HeapSnapshot.calculateDominatorsAndRetainedSizes`
//! over the essential edges of `initEssentialEdges`).
//!
//! Definition. The *holding graph* has every node, the essential edges ([`super::essential`]:
//! not weak, not a self-loop, not a WeakMap table's side of an ephemeron, no `shortcut` but the
//! root's, none from an engine-owned node into the page) and an edge from the root to each
//! extra root of the dominator numbering ([`super::dominators::Dominators::extra_roots`]: the
//! orphans and what they do not reach), so every node is reachable from the root and the
//! engine's dominator tree is this graph's. Releasing a set `S` (the root excluded) removes
//! its nodes; the *freed* nodes are those the root no longer reaches: `S` itself and everything
//! whose every path from the root passes through `S`.
//!
//! Invariants (the tests check them against a brute force and the retained sizes):
//! - for `S = {x}` the freed nodes are `x`'s dominator subtree, so their self sizes add up to
//!   `x`'s retained size;
//! - the freed nodes include every member's dominator subtree, so their size is at least the
//!   sum of the retained sizes of the members no other member dominates;
//! - each node is counted once, and the walk never enters a released node.

use crate::graph::HeapGraph;
use heaptui_common::util::bits::BitVec;

/// What releasing a set frees.
pub struct Freed {
    /// The freed nodes, in ordinal order (the released ones included).
    pub nodes: Vec<u32>,
    /// Nodes that stay alive although a freed node holds them (through an essential edge):
    /// what the set shares with the rest of the heap, in ordinal order.
    pub still_held: Vec<u32>,
}

/// The nodes reached from `starts` over the edges `holding` marks, never entering a node
/// `blocked` marks (a start that is blocked is not taken). Breadth-first, its queue prefetched.
pub fn reach(
    graph: &HeapGraph,
    holding: &BitVec,
    starts: impl IntoIterator<Item = u32>,
    blocked: &dyn Fn(u32) -> bool,
) -> BitVec {
    let mut reached = BitVec::new(graph.node_count());
    let mut queue: Vec<u32> = Vec::new();
    for start in starts {
        if !blocked(start) && !reached.get(start as usize) {
            reached.set(start as usize);
            queue.push(start);
        }
    }
    let mut head = 0;
    while head < queue.len() {
        let node = queue[head];
        head += 1;
        graph.prefetch_queued(&queue, head);
        for edge in graph.edges(node) {
            let to = graph.edge_to[edge];
            if !holding.get(edge) || reached.get(to as usize) || blocked(to) {
                continue;
            }
            reached.set(to as usize);
            queue.push(to);
        }
    }
    reached
}

/// What releasing the nodes `released` marks frees, in the holding graph of `holding` (one bit
/// per edge) and `extra_roots`. The root must not be released.
pub fn freed(graph: &HeapGraph, holding: &BitVec, extra_roots: &[u32], released: &BitVec) -> Freed {
    debug_assert!(
        !released.get(graph.root as usize),
        "the root cannot be released"
    );
    let starts = std::iter::once(graph.root).chain(extra_roots.iter().copied());
    let alive = reach(graph, holding, starts, &|n| released.get(n as usize));
    let nodes: Vec<u32> = alive
        .clear_bits(graph.node_count())
        .map(|n| n as u32)
        .collect();
    debug_assert!((0..graph.node_count()).all(|n| !released.get(n) || !alive.get(n)));
    let mut held = BitVec::new(graph.node_count());
    let mut still_held = Vec::new();
    for &node in &nodes {
        for edge in graph.edges(node) {
            let to = graph.edge_to[edge];
            if holding.get(edge) && alive.get(to as usize) && !held.get(to as usize) {
                held.set(to as usize);
                still_held.push(to);
            }
        }
    }
    still_held.sort_unstable();
    Freed { nodes, still_held }
}
