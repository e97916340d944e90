//! The reverse edge index: for each node, the nodes that point at it (CSR, counting sort).
//!
//! Slot order matches DevTools' `buildRetainers`: slots are filled from the end, so a node's
//! retainers appear in *reverse* (source node, edge) order. The Retainers pane uses slot order as
//! its last sort key. Only source nodes are stored; the edge behind a slot is recovered from the
//! source's own edges (its edges to the node, also in reverse order), which saves 4 bytes per edge.

use super::array::Array;
use super::HeapGraph;
use heaptui_common::util::bits::{prefetch, BitVec, EDGE_PREFETCH_AHEAD};

/// How many edges ahead the fill fetches the slot that a target's (by then cached) offset
/// points at.
const EDGE_PREFETCH_NEAR: usize = EDGE_PREFETCH_AHEAD / 2;

/// Retainer CSR: `sources[first[n]..first[n + 1]]` are the nodes with an edge to node `n`.
#[derive(Debug, Default)]
pub struct Retainers {
    /// Offsets per node, `node_count + 1` long.
    pub first: Array<u32>,
    /// Source node ordinal per slot.
    pub sources: Array<u32>,
}

impl Retainers {
    /// Builds the index from the edges' targets. With `essential` (one bit per edge), also
    /// returns one bit per slot telling whether the slot's edge is essential.
    pub fn build(
        first_edge: &[u32],
        edge_to: &[u32],
        essential: Option<&BitVec>,
    ) -> (Retainers, BitVec) {
        let node_count = first_edge.len() - 1;
        let mut first = vec![0u32; node_count + 1];
        // Both passes touch `first` (and the fill `sources` and the slot bits) at random
        // targets: fetch them while the edges in between are done.
        for (e, &to) in edge_to.iter().enumerate() {
            if let Some(&ahead) = edge_to.get(e + EDGE_PREFETCH_AHEAD) {
                prefetch(&first, ahead as usize + 1);
            }
            first[to as usize + 1] += 1;
        }
        for i in 0..node_count {
            first[i + 1] += first[i];
        }
        // Fill each node's slots from its end, walking edges in order: reverse order, like
        // DevTools. `first[to + 1]` is the cursor; filling moves it down to `first[to]`'s
        // value, so one shift afterwards restores the offsets (no separate cursor array).
        let mut sources = vec![0u32; edge_to.len()];
        let mut slot_essential = BitVec::new(if essential.is_some() {
            edge_to.len()
        } else {
            0
        });
        for src in 0..node_count {
            let edges = first_edge[src] as usize..first_edge[src + 1] as usize;
            for (edge, &to) in edges.clone().zip(&edge_to[edges]) {
                if let Some(&ahead) = edge_to.get(edge + EDGE_PREFETCH_AHEAD) {
                    prefetch(&first, ahead as usize + 1);
                }
                // The nearer edge's cursor is cached by now: fetch the slot it points at (the
                // edges in between may move it down a little, mostly within the line).
                if let Some(&near) = edge_to.get(edge + EDGE_PREFETCH_NEAR) {
                    let slot = (first[near as usize + 1] as usize).saturating_sub(1);
                    prefetch(&sources, slot);
                    if essential.is_some() {
                        prefetch(slot_essential.words(), slot / 64);
                    }
                }
                let cursor = &mut first[to as usize + 1];
                *cursor -= 1;
                let slot = *cursor as usize;
                sources[slot] = src as u32;
                if essential.is_some_and(|bits| bits.get(edge)) {
                    slot_essential.set(slot);
                }
            }
        }
        first.copy_within(1.., 0);
        first[node_count] = edge_to.len() as u32;
        (
            Retainers {
                first: first.into(),
                sources: sources.into(),
            },
            slot_essential,
        )
    }

    /// The slot range of `node`.
    #[inline]
    pub fn slots(&self, node: u32) -> std::ops::Range<usize> {
        self.first[node as usize] as usize..self.first[node as usize + 1] as usize
    }

    /// Number of retaining edges of `node`.
    pub fn count(&self, node: u32) -> usize {
        self.slots(node).len()
    }
}

impl Retainers {
    /// The retaining edges of `node` in `graph` as `(slot, source node, edge ordinal)`, in
    /// slot order. Costs the sum of the sources' degrees: a source is scanned for its edges to
    /// `node`. For many nodes of one large source, [`LargeSources`] answers without rescanning.
    pub fn retaining_edges(&self, graph: &HeapGraph, node: u32) -> Vec<(usize, u32, usize)> {
        self.retaining_edges_with(graph, node, &mut |_| None)
    }

    /// [`Retainers::retaining_edges`], asking `indexed` first for a source's edges to `node`
    /// (in descending edge order, as the slots hold them).
    pub fn retaining_edges_with(
        &self,
        graph: &HeapGraph,
        node: u32,
        indexed: &mut dyn FnMut(u32) -> Option<Vec<usize>>,
    ) -> Vec<(usize, u32, usize)> {
        let slots = self.slots(node);
        let sources = &self.sources;
        let mut out = Vec::with_capacity(slots.len());
        let mut slot = slots.start;
        while slot < slots.end {
            let src = sources[slot];
            let mut run_end = slot + 1;
            while run_end < slots.end && sources[run_end] == src {
                run_end += 1;
            }
            // The run holds src's edges to `node` in reverse edge order.
            let edges = indexed(src).unwrap_or_else(|| {
                let mut edges: Vec<usize> = graph
                    .edges(src)
                    .filter(|&e| graph.edge_to[e] == node)
                    .collect();
                edges.reverse();
                edges
            });
            for (i, s) in (slot..run_end).enumerate() {
                out.push((s, src, edges[i]));
            }
            slot = run_end;
        }
        out
    }
}

/// Sources with more edges than this are indexed by [`LargeSources`] when first met: below it a
/// scan of the source's edges costs less than the index's sort and memory.
pub const LARGE_SOURCE_EDGES: usize = 64;

/// The edges of large sources (arrays, maps, contexts with many entries) sorted by target, built
/// once per source: finding the edges that point at each of a collection's members then costs
/// a binary search, not a scan of the whole collection per member (which is quadratic in its
/// size when every member is asked about).
#[derive(Debug, Default)]
pub struct LargeSources {
    /// Per indexed source, its edges as `(target, edge)` sorted by target, then by descending
    /// edge ordinal (the slots' order).
    by_source: std::collections::HashMap<u32, Vec<(u32, u32)>>,
}

impl LargeSources {
    /// The edges from `src` to `node` in descending edge order, or `None` when `src` is small
    /// enough to scan.
    pub fn edges(&mut self, graph: &HeapGraph, src: u32, node: u32) -> Option<Vec<usize>> {
        let range = graph.edges(src);
        if range.len() <= LARGE_SOURCE_EDGES {
            return None;
        }
        let sorted = self.by_source.entry(src).or_insert_with(|| {
            let mut sorted: Vec<(u32, u32)> = range.map(|e| (graph.edge_to[e], e as u32)).collect();
            sorted.sort_unstable_by_key(|&(to, e)| (to, std::cmp::Reverse(e)));
            sorted
        });
        let start = sorted.partition_point(|&(to, _)| to < node);
        Some(
            sorted[start..]
                .iter()
                .take_while(|&&(to, _)| to == node)
                .map(|&(_, e)| e as usize)
                .collect(),
        )
    }
}
