//! Which edges count for dominators ("essential" edges).
//!
//! Source: DevTools `HeapSnapshot.computeIsEssentialEdge` / `initEssentialEdges`. An edge is
//! *not* essential when it is weak, a self-loop, the table side of a WeakMap ephemeron pair
//! (so the key dominates the value), a `shortcut` from a node other than the root, or goes from
//! a non-page-owned node to a page-owned one (so debugger references do not steal dominance).
//!
//! The test is split in two so the retainer index can be built before page ownership is known:
//! `by_edge` needs only the edge and its source, [`by_page`] only the two nodes' ownership.
//! Both are evaluated once per edge into bit vectors, in parallel.

use super::weakmap::EphemeronNames;
use crate::graph::{retainers::Retainers, HeapGraph};
use heaptui_common::util::bits::BitVec;
use rayon::prelude::*;

/// One bit per edge: set when the edge passes every rule but page ownership.
pub fn by_edge_bits(graph: &HeapGraph, ephemerons: &EphemeronNames) -> BitVec {
    let rules = EdgeRules::of(graph, ephemerons);
    edge_bits(graph, |node, edge| {
        rules.pass(graph, node, edge, ephemerons)
    })
}

/// Turns [`by_edge_bits`] into the essential edges by applying the page-ownership rule. Only
/// edges out of a node that is neither the root nor page-owned can fall to it, and such nodes
/// are few (the engine's own objects), so the bits are copied and only their edges looked at.
pub fn with_page_rule(graph: &HeapGraph, by_edge: &BitVec, page_owned: &BitVec) -> BitVec {
    let mut bits = by_edge.clone();
    for node in page_owned.clear_bits(graph.node_count()) {
        if node as u32 == graph.root {
            continue;
        }
        for edge in graph.edges(node as u32) {
            if page_owned.get(graph.edge_to[edge] as usize) {
                bits.clear(edge);
            }
        }
    }
    bits
}

/// One bit per edge, set where `test(source, edge)` holds. Each task fills whole 64-edge
/// words, each built in a register (a read-modify-write of the word per edge would chain
/// every edge on the one before); sources are found by walking the CSR offsets.
fn edge_bits(graph: &HeapGraph, test: impl Fn(u32, usize) -> bool + Sync) -> BitVec {
    const WORDS_PER_TASK: usize = 1024;
    let edge_count = graph.edge_count();
    let mut bits = BitVec::new(edge_count);
    bits.words_mut()
        .par_chunks_mut(WORDS_PER_TASK)
        .enumerate()
        .for_each(|(chunk, words)| {
            let first = chunk * WORDS_PER_TASK * 64;
            if first >= edge_count {
                return;
            }
            let mut node = graph.edge_source(first);
            let mut node_end = graph.first_edge[node as usize + 1] as usize;
            for (w, word) in words.iter_mut().enumerate() {
                let start = first + w * 64;
                let mut set = 0u64;
                for edge in start..(start + 64).min(edge_count) {
                    while node_end <= edge {
                        node += 1;
                        node_end = graph.first_edge[node as usize + 1] as usize;
                    }
                    set |= u64::from(test(node, edge)) << (edge - start);
                }
                *word = set;
            }
        });
    bits
}

/// One bit per node, set when exactly one of its retainer slots is set in `slot_essential`
/// (most heap objects: the dominator pass takes their semidominator from the DFS without
/// reading their retainers). Made from [`by_edge_bits`]' slots before page ownership is
/// known; [`slots_with_page_rule`] corrects the few nodes that rule touches.
pub fn single_retainers(retainers: &Retainers, slot_essential: &BitVec) -> BitVec {
    let node_count = retainers.first.len() - 1;
    // Each word built in a register: 64 nodes' counts, then one store.
    let words = (0..node_count.div_ceil(64))
        .map(|word| {
            let nodes = word * 64..((word + 1) * 64).min(node_count);
            nodes.fold(0u64, |set, node| {
                let single = slot_essential.count_ones(retainers.slots(node as u32)) == 1;
                set | u64::from(single) << (node % 64)
            })
        })
        .collect();
    BitVec::from_words(words)
}

/// Applies the page-ownership rule to retainer slot bits made from [`by_edge_bits`]: clears the
/// bits of slots whose edge goes from a non-page-owned node to a page-owned one, and updates
/// those nodes' bits in `single` (see [`single_retainers`]). Like [`with_page_rule`], only the
/// edges out of the few nodes that are neither the root nor page-owned can fall to it. Each
/// such edge's slots are found by a binary search of its target's slots, which hold their
/// sources in descending order: a target can be a hidden class with millions of retainers.
pub fn slots_with_page_rule(
    graph: &HeapGraph,
    retainers: &Retainers,
    slot_essential: &mut BitVec,
    single: &mut BitVec,
    page_owned: &BitVec,
) {
    let mut affected = Vec::new();
    let mut targets = Vec::new();
    for node in page_owned.clear_bits(graph.node_count()) {
        let source = node as u32;
        if source == graph.root {
            continue;
        }
        // Each target once: the search finds all of the source's slots in it.
        targets.clear();
        targets.extend(
            graph
                .edges(source)
                .map(|edge| graph.edge_to[edge])
                .filter(|&to| page_owned.get(to as usize)),
        );
        targets.sort_unstable();
        targets.dedup();
        for &to in &targets {
            let slots = retainers.slots(to);
            let sources = &retainers.sources[slots.clone()];
            let first = sources.partition_point(|&s| s > source);
            let count = sources[first..]
                .iter()
                .take_while(|&&s| s == source)
                .count();
            debug_assert!(!by_page(graph, page_owned, source, to));
            let from = slots.start + first;
            for slot in from..from + count {
                slot_essential.clear(slot);
            }
            affected.push(to);
        }
    }
    affected.sort_unstable();
    affected.dedup();
    for node in affected {
        if slot_essential.count_ones(retainers.slots(node)) == 1 {
            single.set(node as usize);
        } else {
            single.clear(node as usize);
        }
    }
}

/// The edge types the rules that need only the edge and its source look at, widened so that
/// a type a snapshot lacks matches no edge (one compare each, no `Option`).
struct EdgeRules {
    /// The internal type when the snapshot has ephemeron names, else none: without them no
    /// edge name is read.
    ephemeron: u16,
    weak: u16,
    shortcut: u16,
}

/// Stands for an edge type the snapshot does not have (edge types are bytes).
const NO_TYPE: u16 = u16::MAX;

impl EdgeRules {
    fn of(graph: &HeapGraph, ephemerons: &EphemeronNames) -> EdgeRules {
        let ek = graph.edge_kinds;
        let widen = |kind: Option<u8>| kind.map_or(NO_TYPE, u16::from);
        EdgeRules {
            ephemeron: widen(ephemerons.edge_type(graph)),
            weak: widen(ek.weak),
            shortcut: widen(ek.shortcut),
        }
    }

    /// The rules that need only the edge and its source `node`: not weak, not a self-loop, not
    /// an ephemeron's table side, not a `shortcut` from a node other than the root. Evaluated
    /// without branches but for the rare ephemeron test.
    #[inline]
    fn pass(&self, graph: &HeapGraph, node: u32, edge: usize, ephemerons: &EphemeronNames) -> bool {
        let t = u16::from(graph.edge_type[edge]);
        if t == self.ephemeron {
            if let Some(eph) = ephemerons.get(graph.edge_name[edge]) {
                if u64::from(graph.node_id[node as usize]) == eph.table_id {
                    return false;
                }
            }
        }
        (t != self.weak)
            & (graph.edge_to[edge] != node)
            & ((node == graph.root) | (t != self.shortcut))
    }
}

/// The page-ownership rule: an edge from a node other than the root that is not page-owned to
/// a page-owned node is not essential.
#[inline]
pub fn by_page(graph: &HeapGraph, page_owned: &BitVec, from: u32, to: u32) -> bool {
    from == graph.root || !page_owned.get(to as usize) || page_owned.get(from as usize)
}
