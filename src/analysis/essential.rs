//! Which edges count for dominators ("essential" edges).
//!
//! Source: DevTools `HeapSnapshot.computeIsEssentialEdge` / `initEssentialEdges`. An edge is
//! *not* essential when it is weak, a self-loop, the table side of a WeakMap ephemeron pair
//! (so the key dominates the value), a `shortcut` from a node other than the root, or goes from
//! a non-page-owned node to a page-owned one (so debugger references do not steal dominance).

use super::bits::BitVec;
use super::weakmap::EphemeronNames;
use crate::graph::HeapGraph;
use rayon::prelude::*;

/// One bit per edge: set when the edge is essential.
pub fn compute(graph: &HeapGraph, page_owned: &BitVec, ephemerons: &EphemeronNames) -> BitVec {
    let ek = graph.edge_kinds;
    let mut bits = BitVec::new(graph.edge_count());
    let words = bits.words_mut();
    // Each task fills whole 64-edge words; sources are found by walking the CSR offsets.
    words
        .par_chunks_mut(1024)
        .enumerate()
        .for_each(|(chunk, words)| {
            let first = chunk * 1024 * 64;
            let last = (first + words.len() * 64).min(graph.edge_count());
            if first >= last {
                return;
            }
            let mut node = graph.edge_source(first);
            for edge in first..last {
                while graph.first_edge[node as usize + 1] as usize <= edge {
                    node += 1;
                }
                if is_essential(graph, node, edge, page_owned, ephemerons, ek) {
                    words[(edge - first) / 64] |= 1 << ((edge - first) % 64);
                }
            }
        });
    bits
}

#[inline]
fn is_essential(
    graph: &HeapGraph,
    node: u32,
    edge: usize,
    page_owned: &BitVec,
    ephemerons: &EphemeronNames,
    ek: crate::graph::EdgeKinds,
) -> bool {
    let t = Some(graph.edge_type[edge]);
    if t == ek.internal {
        if let Some(eph) = ephemerons.get(graph.edge_name[edge]) {
            if u64::from(graph.node_id[node as usize]) == eph.table_id {
                return false;
            }
        }
    }
    if t == ek.weak {
        return false;
    }
    let to = graph.edge_to[edge];
    if to == node {
        return false;
    }
    if node != graph.root {
        if t == ek.shortcut {
            return false;
        }
        if page_owned.get(to as usize) && !page_owned.get(node as usize) {
            return false;
        }
    }
    true
}
