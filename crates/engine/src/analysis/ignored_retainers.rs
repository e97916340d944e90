//! "Ignore this retainer" in the Retainers pane: distances recomputed as if no edge led into
//! the ignored objects, so the pane's order and its path to the GC roots step past them.
//!
//! Source: DevTools `HeapSnapshot.ignoreNodeInRetainersView`, `calculateDistances(true)`,
//! `#updateIgnoredEdgesInRetainersView`, `getDistanceForRetainersView` and
//! `HeapSnapshotRetainerEdge.#distance`. Invariants:
//! - The retainers-view distances are the normal distance passes (user roots at 1, then the
//!   root at 100000000; the same edge filter and WeakMap pair rule) skipping every edge whose
//!   target is ignored. An ignored user root keeps distance 1, being a start of the pass.
//! - A node the passes do not reach gets max(0, its normal distance) + 200000000 in the pane.
//! - Half of a WeakMap value's ephemeron pair from an unreached node cannot keep the value
//!   alive alone: the value's ephemeron edges with that pair's name are "ignored edges", at
//!   distance 200000000 exactly.
//! - Nothing else changes: the normal distances, retained sizes and dominators stay.

use super::distances::{self, BASE_UNREACHABLE_DISTANCE, NO_DISTANCE};
use super::weakmap::EphemeronNames;
use crate::graph::{retainers::Retainers, HeapGraph};
use heaptui_common::util::bits::BitVec;
use std::collections::{HashMap, HashSet};

/// The Retainers pane's distances with some objects ignored.
#[derive(Debug, Clone)]
pub struct IgnoredRetainers {
    ignored: Vec<u32>,
    ignored_set: BitVec,
    distances: Vec<i32>,
    ignored_edges: HashSet<usize>,
}

impl IgnoredRetainers {
    /// Ignores `nodes` (duplicates dropped, order kept): one pass of the distances and one
    /// over the unreached nodes' WeakMap edges (`index` holds the retainers).
    pub fn compute(graph: &HeapGraph, index: &Retainers, nodes: &[u32]) -> IgnoredRetainers {
        let mut ignored = Vec::new();
        let mut ignored_set = BitVec::new(graph.node_count());
        for &n in nodes {
            if !ignored_set.get(n as usize) {
                ignored_set.set(n as usize);
                ignored.push(n);
            }
        }
        let ephemerons = EphemeronNames::find(graph);
        let distances =
            distances::compute_skipping(graph, &ephemerons, |n| ignored_set.get(n as usize));
        let ignored_edges = unreachable_pair_edges(graph, index, &ephemerons, &distances);
        IgnoredRetainers {
            ignored,
            ignored_set,
            distances,
            ignored_edges,
        }
    }

    /// The ignored objects, in the order they were given.
    pub fn ignored(&self) -> &[u32] {
        &self.ignored
    }

    /// True when `node` is ignored.
    pub fn is_ignored(&self, node: u32) -> bool {
        self.ignored_set.get(node as usize)
    }

    /// DevTools' `getDistanceForRetainersView`: the node's distance with the ignores applied,
    /// unreached nodes after every reached one (`normal` holds the plain distances).
    pub fn distance(&self, normal: &[i32], node: u32) -> i32 {
        match self.distances[node as usize] {
            NO_DISTANCE => normal[node as usize].max(0) + BASE_UNREACHABLE_DISTANCE,
            d => d,
        }
    }

    /// The pane's distance of the retaining edge `edge` from `source`.
    pub fn edge_distance(&self, normal: &[i32], source: u32, edge: usize) -> i32 {
        if self.ignored_edges.contains(&edge) {
            BASE_UNREACHABLE_DISTANCE
        } else {
            self.distance(normal, source)
        }
    }
}

/// The ephemeron edges into WeakMap values whose pair has a half from an unreached node.
fn unreachable_pair_edges(
    graph: &HeapGraph,
    index: &Retainers,
    ephemerons: &EphemeronNames,
    distances: &[i32],
) -> HashSet<usize> {
    let internal = graph.edge_kinds.internal;
    let ephemeron = |e: usize| {
        (Some(graph.edge_type[e]) == internal)
            .then(|| ephemerons.get(graph.edge_name[e]))
            .flatten()
    };
    // Value node → the pairs one of whose halves comes from an unreached node.
    let mut pairs: HashMap<u32, HashSet<u32>> = HashMap::new();
    for node in 0..graph.node_count() as u32 {
        if distances[node as usize] != NO_DISTANCE {
            continue;
        }
        for e in graph.edges(node) {
            if let Some(eph) = ephemeron(e) {
                pairs.entry(graph.edge_to[e]).or_default().insert(eph.pair);
            }
        }
    }
    let mut edges = HashSet::new();
    for (&value, value_pairs) in &pairs {
        for (_, _, e) in index.retaining_edges(graph, value) {
            if ephemeron(e).is_some_and(|eph| value_pairs.contains(&eph.pair)) {
                edges.insert(e);
            }
        }
    }
    edges
}
