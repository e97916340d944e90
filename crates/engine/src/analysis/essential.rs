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

/// One bit per edge: set when the edge passes every rule but page ownership ([`by_edge`]).
pub fn by_edge_bits(graph: &HeapGraph, ephemerons: &EphemeronNames) -> BitVec {
    let rules = EdgeRules::of(graph, ephemerons);
    let test = |node, edge| rules.pass(graph, node, edge, ephemerons);
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512bw") {
        let screen = WordScreen::of(graph, ephemerons);
        // SAFETY: the CPU has AVX-512 F and BW (checked just above).
        let screen = |lowest, highest, start| unsafe { screen.avx512(lowest, highest, start) };
        return edge_bits(graph, test, Some(&screen));
    }
    edge_bits(graph, test, None)
}

/// Whether `edge`, out of `node`, passes every rule but page ownership: the definition
/// [`by_edge_bits`] evaluates for every edge (tests compare the two).
#[cfg(test)]
pub fn by_edge(graph: &HeapGraph, ephemerons: &EphemeronNames, node: u32, edge: usize) -> bool {
    EdgeRules::of(graph, ephemerons).pass(graph, node, edge, ephemerons)
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

/// What [`WordScreen`] tells of 64 edges: the bits of those that pass, but for those to
/// `check` one by one.
struct Screened {
    pass: u64,
    check: u64,
}

/// One bit per edge, set where `test(source, edge)` holds. Each task fills whole 64-edge
/// words, each built in a register (a read-modify-write of the word per edge would chain
/// every edge on the one before); sources are found by walking the CSR offsets. `screen`,
/// given the sources of a full word's first and last edges and its first edge, settles most
/// of its edges at once; the rest are tested one by one.
fn edge_bits(
    graph: &HeapGraph,
    test: impl Fn(u32, usize) -> bool + Sync,
    screen: Option<&(dyn Fn(u32, u32, usize) -> Screened + Sync)>,
) -> BitVec {
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
            let mut source_of = |edge: usize| {
                while node_end <= edge {
                    node += 1;
                    node_end = graph.first_edge[node as usize + 1] as usize;
                }
                node
            };
            for (w, word) in words.iter_mut().enumerate() {
                let start = first + w * 64;
                let end = (start + 64).min(edge_count);
                if let (Some(screen), 64) = (screen, end - start) {
                    let lowest = source_of(start);
                    let highest = source_of(end - 1);
                    let Screened { pass, check } = screen(lowest, highest, start);
                    let mut set = pass & !check;
                    let (mut rest, mut source) = (check, lowest);
                    while rest != 0 {
                        let bit = rest.trailing_zeros() as usize;
                        source = graph.edge_source_from(source, start + bit);
                        set |= u64::from(test(source, start + bit)) << bit;
                        rest &= rest - 1;
                    }
                    *word = set;
                    continue;
                }
                let mut set = 0u64;
                for edge in start..end {
                    set |= u64::from(test(source_of(edge), edge)) << (edge - start);
                }
                *word = set;
            }
        });
    bits
}

/// Settles most of 64 edges' [`by_edge`] rules at once from their types: an edge that is not
/// weak nor a `shortcut` passes unless it is a self-loop (looked for among the edges whose
/// target lies among the word's sources). A `shortcut` from the root (when the root is among
/// them) and an ephemeron (an internal edge named within [`EphemeronNames::name_range`]) are
/// left to be checked one by one.
#[cfg(target_arch = "x86_64")]
struct WordScreen<'a> {
    edge_type: &'a [u8],
    edge_to: &'a [u32],
    edge_name: &'a [u32],
    first_edge: &'a [u32],
    weak: Option<u8>,
    shortcut: Option<u8>,
    ephemeron: Option<u8>,
    ephemeron_names: std::ops::Range<u32>,
    root: u32,
}

#[cfg(target_arch = "x86_64")]
impl<'a> WordScreen<'a> {
    fn of(graph: &'a HeapGraph, ephemerons: &EphemeronNames) -> WordScreen<'a> {
        WordScreen {
            edge_type: &graph.edge_type,
            edge_to: &graph.edge_to,
            edge_name: &graph.edge_name,
            first_edge: &graph.first_edge,
            weak: graph.edge_kinds.weak,
            shortcut: graph.edge_kinds.shortcut,
            ephemeron: ephemerons.edge_type(graph),
            ephemeron_names: ephemerons.name_range(),
            root: graph.root,
        }
    }

    /// The 64 edges from `start`, whose sources run from `lowest` to `highest`, with AVX-512:
    /// a byte compare per type, a range compare of the targets (and names) sixteen at a time.
    ///
    /// # Safety
    ///
    /// The CPU has AVX-512 F and BW.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw")]
    unsafe fn avx512(&self, lowest: u32, highest: u32, start: usize) -> Screened {
        use std::arch::x86_64::*;
        let (types, to, names) = (
            &self.edge_type[start..start + 64],
            &self.edge_to[start..start + 64],
            &self.edge_name[start..start + 64],
        );
        // SAFETY: each load reads 64 bytes inside one of the three slices just taken.
        let load = |values: *const u8| unsafe { _mm512_loadu_si512(values.cast()) };
        let types = load(types.as_ptr());
        let of_type = |kind: Option<u8>| {
            kind.map_or(0, |k| {
                _mm512_cmpeq_epi8_mask(types, _mm512_set1_epi8(k as i8))
            })
        };
        let (weak, shortcut, ephemeron) = (
            of_type(self.weak),
            of_type(self.shortcut),
            of_type(self.ephemeron),
        );
        // The lanes of 16 values from `values` in `low..=high`, as bits `16 × quarter` on.
        let within = |values: &[u32], low: u32, high: u32| {
            let (low, high) = (
                _mm512_set1_epi32(low as i32),
                _mm512_set1_epi32(high as i32),
            );
            let mut bits = 0u64;
            for quarter in 0..4 {
                let v = load(values[16 * quarter..].as_ptr().cast());
                let lanes = _mm512_mask_cmple_epu32_mask(_mm512_cmpge_epu32_mask(v, low), v, high);
                bits |= u64::from(lanes) << (16 * quarter);
            }
            bits
        };
        let mut check = 0;
        if ephemeron != 0 && !self.ephemeron_names.is_empty() {
            let names_range = &self.ephemeron_names;
            check |= ephemeron & within(names, names_range.start, names_range.end - 1);
        }
        if (lowest..=highest).contains(&self.root) {
            check |= shortcut;
        }
        // An edge to a node among the sources (often: neighbours point at each other) is a
        // self-loop when it lies in its target's own edges.
        let mut near = within(to, lowest, highest) & !check;
        let mut self_loops = 0;
        while near != 0 {
            let bit = near.trailing_zeros() as usize;
            let (edge, target) = (start + bit, to[bit] as usize);
            let own = self.first_edge[target] as usize..self.first_edge[target + 1] as usize;
            self_loops |= u64::from(own.contains(&edge)) << bit;
            near &= near - 1;
        }
        Screened {
            pass: !weak & !shortcut & !self_loops,
            check,
        }
    }
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
