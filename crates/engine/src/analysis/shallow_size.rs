//! Shallow-size redistribution: internal arrays and hidden objects owned by exactly one object
//! are folded into that object's self size, so `Array` shows its elements' store and an object
//! its property array.
//!
//! Source: DevTools `JSHeapSnapshot.calculateShallowSizes`. Invariants:
//! - Runs only when the root has a user root (not for `exposeInternals` snapshots).
//! - `hidden` and `array` nodes and native `system / ExternalStringData` start unowned; every
//!   other node owns itself.
//! - Ownership spreads over non-weak edges; an unowned node reached from two owners (or from a
//!   node with several) has "multiple owners" and keeps its size.
//! - A node with one owner moves its size into it, unless the owner is synthetic or the root.
//!
//! The fixpoint is a set property (who can reach the node through unowned nodes), so the
//! worklist order does not matter.

use super::page_owned::is_user_root;
use crate::graph::HeapGraph;
use heaptui_common::util::bits::{prefetch, EDGE_PREFETCH_AHEAD, PREFETCH_AHEAD};

const UNVISITED: u32 = u32::MAX;
const MULTIPLE: u32 = u32::MAX - 1;

/// Redistributes `sizes` (the snapshot's self sizes, taken out of the graph so the other
/// passes can share it meanwhile) in place. Returns its working memory (a `u32` per node when
/// it ran) for the next pass to fill, so the side lane does not hold two such arrays at once.
pub fn redistribute(graph: &HeapGraph, sizes: &mut [u32]) -> Vec<u32> {
    let has_user_roots = graph
        .edges(graph.root)
        .any(|e| is_user_root(graph, graph.edge_to[e]));
    if !has_user_roots {
        return Vec::new();
    }
    let k = graph.node_kinds;
    let n = graph.node_count();
    // Names compared by string index: a string read per native node would cost a random read.
    let external_string_data = graph.strings.indexes_of("system / ExternalStringData");
    let starts_unowned = |i: usize| {
        let t = Some(graph.node_type[i]);
        t == k.hidden
            || t == k.array
            || (t == k.native && external_string_data.contains(&graph.node_name[i]))
    };
    let mut owners: Vec<u32> = (0..n)
        .map(|i| {
            if starts_unowned(i) {
                UNVISITED
            } else {
                i as u32
            }
        })
        .collect();
    // Every self-owner is expanded once, in ordinal order (its edges read as one stream); the
    // nodes whose owner changes are expanded from a worklist right away.
    let weak = graph.edge_kinds.weak;
    let mut worklist = Vec::new();
    for node in 0..n as u32 {
        if owners[node as usize] != node {
            continue;
        }
        let mut next = Some(node);
        while let Some(id) = next {
            let owner = owners[id as usize];
            for e in graph.edges(id) {
                // The edges run mostly in order (self-owners by ordinal), their targets' owners
                // at random: fetch the owner of the edge that far ahead.
                if let Some(&ahead) = graph.edge_to.get(e + EDGE_PREFETCH_AHEAD) {
                    prefetch(&owners, ahead as usize);
                }
                if Some(graph.edge_type[e]) == weak {
                    continue;
                }
                let target = graph.edge_to[e];
                let current = owners[target as usize];
                if current == UNVISITED {
                    owners[target as usize] = owner;
                    worklist.push(target);
                } else if current != target && current != owner && current != MULTIPLE {
                    owners[target as usize] = MULTIPLE;
                    worklist.push(target);
                }
            }
            next = worklist.pop();
        }
    }
    for i in 0..n {
        if let Some(&ahead) = owners.get(i + PREFETCH_AHEAD) {
            if (ahead as usize) < n {
                prefetch(&graph.node_type, ahead as usize);
                prefetch(sizes, ahead as usize);
            }
        }
        let owner = owners[i];
        if owner == UNVISITED || owner == MULTIPLE || owner == i as u32 {
            continue;
        }
        if Some(graph.node_type[owner as usize]) == k.synthetic || owner == graph.root {
            continue;
        }
        let moved = sizes[i];
        sizes[i] = 0;
        sizes[owner as usize] = sizes[owner as usize].wrapping_add(moved);
    }
    owners
}
