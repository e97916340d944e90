//! Distances from the GC roots, as the Summary and Retainers views show them.
//!
//! Source: DevTools `HeapSnapshot.calculateDistances` + `bfs` and the filter of
//! `JSHeapSnapshot.calculateDistances`. Invariants:
//! - Two breadth-first passes over non-weak edges: first from the user roots (the root's
//!   children that are non-synthetic or `(Document DOM trees)`) at distance 1, then from the
//!   root at 100000000 (0 if there were no user roots) for what the first pass missed.
//! - Unreached nodes keep −5.
//! - The filter (consulted only for not-yet-reached targets, in BFS order) skips
//!   `sloppy_function_map` of hidden `system / NativeContext` nodes, descriptor slots
//!   (index ≥ 2, index % 3 == 1) of `(map descriptors)` arrays, and the *first* edge seen of each
//!   WeakMap ephemeron pair, so a value lands at max(key, table) + 1. The pending-pair set is
//!   shared by both passes.

use super::page_owned::is_user_root;
use super::weakmap::EphemeronNames;
use crate::graph::HeapGraph;
use heaptui_common::util::bits::{prefetch, BitVec};

/// How many queued nodes ahead the BFS fetches the first edge name it will test, when the
/// snapshot has ephemerons (the edge ranges themselves come from
/// [`HeapGraph::prefetch_queued`]): the names are read only for the few edge kinds the rules
/// single out, so a short distance covers them.
const EDGE_NAME_PREFETCH: usize = 5;

/// DevTools' distance of unreached nodes.
pub const NO_DISTANCE: i32 = -5;
/// Distance given to the root when user roots exist; system objects count up from it.
pub const BASE_SYSTEM_DISTANCE: i32 = 100_000_000;
/// Added to unreachable nodes' distance in the Retainers view so they sort last.
pub const BASE_UNREACHABLE_DISTANCE: i32 = 200_000_000;

/// Computes every node's distance.
pub fn compute(graph: &HeapGraph, ephemerons: &EphemeronNames) -> Vec<i32> {
    compute_skipping(graph, ephemerons, |_| false)
}

/// Computes the distances with no edge followed into a node `skip` picks (DevTools' retainers
/// view with ignored nodes: `calculateDistances(true)`, which tests the ignored target before
/// the filter, so an edge into a skipped node leaves the WeakMap pair state alone). A skipped
/// user root still gets distance 1: the passes start from the user roots directly.
pub fn compute_skipping(
    graph: &HeapGraph,
    ephemerons: &EphemeronNames,
    skip: impl Fn(u32) -> bool,
) -> Vec<i32> {
    let n = graph.node_count();
    let mut distances = vec![NO_DISTANCE; n];
    let mut queue: Vec<u32> = Vec::new();
    let mut pending = vec![false; ephemerons.pair_count()];
    let nk = graph.node_kinds;
    let ek = graph.edge_kinds;
    // Without ephemerons, only the rare special sources read edge names: the walk then reads
    // none for its internal edges, a cache line per node less (the distances of the 1.5 GB
    // bench snapshot, which has none, take 0.82-0.86 s instead of 0.93-1.02 s).
    let ephemeron_edge_type = ephemerons.edge_type(graph);
    // What the filter needs to know about the node being expanded, decided once per node.
    #[derive(PartialEq)]
    enum Source {
        Plain,
        NativeContext,
        MapDescriptors,
    }
    // The filter's special sources, found in one sequential pass so the BFS does not read two
    // more per-node columns at random.
    let native_contexts = graph.strings.indexes_of("system / NativeContext");
    let map_descriptors = graph.strings.indexes_of("(map descriptors)");
    let mut special = BitVec::new(n);
    for node in 0..n {
        let t = Some(graph.node_type[node]);
        let name = graph.node_name[node];
        if (t == nk.hidden && native_contexts.contains(&name))
            || (t == nk.array && map_descriptors.contains(&name))
        {
            special.set(node);
        }
    }
    let classify = |node: u32| -> Source {
        if !special.get(node as usize) {
            Source::Plain
        } else if Some(graph.node_type[node as usize]) == nk.hidden {
            Source::NativeContext
        } else {
            Source::MapDescriptors
        }
    };
    // Whether the edge may be followed; called only for an unreached target, as in DevTools.
    let mut allowed = |source: &Source, edge: usize| -> bool {
        match source {
            Source::NativeContext
                if graph.edge_has_string_name(edge)
                    && graph.strings.get(graph.edge_name[edge]) == "sloppy_function_map" =>
            {
                return false;
            }
            Source::MapDescriptors => {
                return match descriptor_index(graph, edge) {
                    Some(index) => index < 2 || index % 3 != 1,
                    None => true,
                };
            }
            _ => {}
        }
        if Some(graph.edge_type[edge]) == ephemeron_edge_type {
            if let Some(eph) = ephemerons.get(graph.edge_name[edge]) {
                let slot = &mut pending[eph.pair as usize];
                if !*slot {
                    *slot = true;
                    return false;
                }
                *slot = false;
            }
        }
        true
    };

    // "Reached?" is asked once per edge: a bit per node stays in cache where `distances` would not.
    let mut reached = BitVec::new(n);
    // Level by level (the same order as one FIFO queue), so only two levels are held at once.
    let mut bfs = |frontier: &mut Vec<u32>, distances: &mut [i32], reached: &mut BitVec| {
        let mut next_level = Vec::new();
        let Some(&first) = frontier.first() else {
            return;
        };
        // Every node of a level has the same distance.
        let mut next = distances[first as usize] + 1;
        while !frontier.is_empty() {
            for head in 0..frontier.len() {
                let node = frontier[head];
                // Breadth-first order jumps around memory: fetch the next nodes' edges early.
                graph.prefetch_queued(frontier, head + 1);
                if ephemeron_edge_type.is_some() {
                    if let Some(&ahead) = frontier.get(head + EDGE_NAME_PREFETCH) {
                        prefetch(&graph.edge_name, graph.first_edge[ahead as usize] as usize);
                    }
                }
                let source = classify(node);
                for e in graph.edges(node) {
                    if Some(graph.edge_type[e]) == ek.weak {
                        continue;
                    }
                    let to = graph.edge_to[e];
                    if reached.get(to as usize) || skip(to) || !allowed(&source, e) {
                        continue;
                    }
                    reached.set(to as usize);
                    distances[to as usize] = next;
                    next_level.push(to);
                }
            }
            std::mem::swap(frontier, &mut next_level);
            next_level.clear();
            next += 1;
        }
    };

    for e in graph.edges(graph.root) {
        let to = graph.edge_to[e];
        if is_user_root(graph, to) {
            distances[to as usize] = 1;
            reached.set(to as usize);
            queue.push(to);
        }
    }
    let had_user_roots = !queue.is_empty();
    bfs(&mut queue, &mut distances, &mut reached);
    reached.set(graph.root as usize);
    distances[graph.root as usize] = if had_user_roots {
        BASE_SYSTEM_DISTANCE
    } else {
        0
    };
    queue.clear();
    queue.push(graph.root);
    bfs(&mut queue, &mut distances, &mut reached);
    distances
}

/// `parseInt(edge.name(), 10)` for an edge of a `(map descriptors)` array; `None` is NaN.
fn descriptor_index(graph: &HeapGraph, edge: usize) -> Option<i64> {
    if !graph.edge_has_string_name(edge) {
        return Some(i64::from(graph.edge_name[edge]));
    }
    heaptui_common::util::js::parse_int_prefix(&graph.edge_name(edge)).and_then(|s| s.parse().ok())
}
