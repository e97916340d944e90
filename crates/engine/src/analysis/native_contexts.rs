//! Native-context attribution: which realm (main world, `vm` context, iframe, extension) each
//! object belongs to, and the self sizes each one holds.
//!
//! Source: DevTools `HeapSnapshot.calculateNativeContextAttribution`,
//! `buildInitEdgeTargets`, `inferFixedNativeContextForOrdinal`,
//! `propagateNativeContextAttribution`, `mergeNativeContextOwner` and
//! `calculateNativeContextSizes`. Definition:
//! - A native context is a node named `system / NativeContext` or `system / NativeContext /
//!   …` (with or without a `Detached ` prefix). It is its own owner, fixed.
//! - Any other node is fixed to the native context its map's map names: the target of its
//!   first internal `map` edge, that node's first internal `map` edge, and that meta map's
//!   first internal `native_context` edge whose target is a native context. Edge names are
//!   compared by the string index of the first `map` / `native_context` in the table.
//! - From every fixed node, in ordinal order, a breadth-first propagation over all edges but
//!   shortcut and weak ones, skipping self-loops and fixed targets: a child's owner merges
//!   with its parent's (none + X = X, X + X = X, otherwise shared); a node whose owner
//!   changes is queued again.
//! - Sizes: each node's self size (as redistributed into owners) goes to its owner, to the
//!   shared total or to the unattributed total.
//!
//! Invariants: fixed nodes never change owner; an owner only moves none → context → shared,
//! so each node is queued at most twice beyond its start and the pass ends.

use crate::graph::HeapGraph;
use heaptui_common::util::bits::BitVec;
use rayon::prelude::*;

/// An object reached from no native context (DevTools' `NO_NATIVE_CONTEXT`).
pub const NO_NATIVE_CONTEXT: i32 = -1;
/// An object reached from several native contexts (DevTools' `SHARED_NATIVE_CONTEXT`).
pub const SHARED_NATIVE_CONTEXT: i32 = -2;

/// No target recorded in the edge-target columns.
const NO_TARGET: u32 = u32::MAX;

/// Every node's owner: a native context's node ordinal, [`NO_NATIVE_CONTEXT`] or
/// [`SHARED_NATIVE_CONTEXT`]; and the native contexts in ordinal order.
pub struct Attribution {
    /// Owner per node.
    pub owner: Vec<i32>,
    /// The native contexts' ordinals, ascending.
    pub native_contexts: Vec<u32>,
}

/// The sizes attributed to each native context (in [`Attribution::native_contexts`]' order),
/// to several and to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// Self sizes of the objects each native context alone reaches.
    pub attributed: Vec<u64>,
    /// Self sizes of the objects several reach.
    pub shared: u64,
    /// Self sizes of the objects none reaches.
    pub unattributed: u64,
}

/// DevTools' `isNativeContext`, per string index of the table (filled 64 strings at a time
/// in parallel: the table has millions).
fn native_context_names(graph: &HeapGraph) -> BitVec {
    let len = graph.strings.len();
    let mut names = BitVec::new(len);
    names
        .words_mut()
        .par_iter_mut()
        .enumerate()
        .for_each(|(w, word)| {
            for bit in 0..64 {
                let i = w * 64 + bit;
                if i < len && is_native_context_name(graph.strings.get(i as u32)) {
                    *word |= 1 << bit;
                }
            }
        });
    names
}

fn is_native_context_name(name: &str) -> bool {
    let name = name.strip_prefix("Detached ").unwrap_or(name);
    name == "system / NativeContext" || name.starts_with("system / NativeContext / ")
}

/// Attributes every node of `graph` to its native context.
pub fn attribute(graph: &HeapGraph) -> Attribution {
    let n = graph.node_count();
    let names = native_context_names(graph);
    let is_native_context = |node: u32| names.get(graph.node_name[node as usize] as usize);
    let first_index = |text: &str| graph.strings.indexes_of(text).into_iter().min();
    let (map_name, context_name) = (first_index("map"), first_index("native_context"));
    let internal = graph.edge_kinds.internal;
    // Each node's first internal `map` target and first internal `native_context` target that
    // is a native context (DevTools' `buildInitEdgeTargets`).
    let (map, native_context): (Vec<u32>, Vec<u32>) = (0..n as u32)
        .into_par_iter()
        .map(|node| {
            let (mut map_to, mut context_to) = (NO_TARGET, NO_TARGET);
            for e in graph.edges(node) {
                if Some(graph.edge_type[e]) != internal {
                    continue;
                }
                let name = Some(graph.edge_name[e]);
                let to = graph.edge_to[e];
                if name == context_name && context_to == NO_TARGET && is_native_context(to) {
                    context_to = to;
                } else if name == map_name && map_to == NO_TARGET {
                    map_to = to;
                }
            }
            (map_to, context_to)
        })
        .unzip();
    let mut native_contexts = Vec::new();
    let mut fixed = BitVec::new(n);
    let mut owner = vec![NO_NATIVE_CONTEXT; n];
    for node in 0..n as u32 {
        let i = node as usize;
        if is_native_context(node) {
            native_contexts.push(node);
            owner[i] = node as i32;
            fixed.set(i);
            continue;
        }
        let meta_map = match map[i] {
            NO_TARGET => NO_TARGET,
            m => map[m as usize],
        };
        if meta_map != NO_TARGET && native_context[meta_map as usize] != NO_TARGET {
            owner[i] = native_context[meta_map as usize] as i32;
            fixed.set(i);
        }
    }
    drop((map, native_context));
    propagate(graph, &mut owner, &fixed);
    Attribution {
        owner,
        native_contexts,
    }
}

/// DevTools' `mergeNativeContextOwner` (`incoming` is never none).
fn merge(current: i32, incoming: i32) -> i32 {
    debug_assert_ne!(incoming, NO_NATIVE_CONTEXT);
    if current == NO_NATIVE_CONTEXT {
        incoming
    } else if current == incoming {
        current
    } else {
        SHARED_NATIVE_CONTEXT
    }
}

/// DevTools' `propagateNativeContextAttribution`.
fn propagate(graph: &HeapGraph, owner: &mut [i32], fixed: &BitVec) {
    let (shortcut, weak) = (graph.edge_kinds.shortcut, graph.edge_kinds.weak);
    let mut queue: Vec<u32> = (0..owner.len() as u32)
        .filter(|&node| fixed.get(node as usize))
        .collect();
    let mut head = 0;
    while head < queue.len() {
        let node = queue[head];
        head += 1;
        graph.prefetch_queued(&queue, head);
        let current = owner[node as usize];
        debug_assert_ne!(current, NO_NATIVE_CONTEXT);
        for e in graph.edges(node) {
            let t = Some(graph.edge_type[e]);
            if t == shortcut || t == weak {
                continue;
            }
            let child = graph.edge_to[e];
            if child == node || fixed.get(child as usize) {
                continue;
            }
            let merged = merge(owner[child as usize], current);
            if merged != owner[child as usize] {
                owner[child as usize] = merged;
                queue.push(child);
            }
        }
    }
}

/// DevTools' `calculateNativeContextSizes`: `self_size` per node as redistributed.
pub fn sizes(attribution: &Attribution, self_size: &[u32]) -> Sizes {
    let slot: std::collections::HashMap<i32, usize> = attribution
        .native_contexts
        .iter()
        .enumerate()
        .map(|(i, &node)| (node as i32, i))
        .collect();
    let mut out = Sizes {
        attributed: vec![0; attribution.native_contexts.len()],
        shared: 0,
        unattributed: 0,
    };
    for (&owner, &size) in attribution.owner.iter().zip(self_size) {
        let size = u64::from(size);
        match owner {
            SHARED_NATIVE_CONTEXT => out.shared += size,
            NO_NATIVE_CONTEXT => out.unattributed += size,
            context => out.attributed[slot[&context]] += size,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_only_moves_towards_shared() {
        assert_eq!(merge(NO_NATIVE_CONTEXT, 4), 4);
        assert_eq!(merge(4, 4), 4);
        assert_eq!(merge(4, 7), SHARED_NATIVE_CONTEXT);
        assert_eq!(merge(SHARED_NATIVE_CONTEXT, 4), SHARED_NATIVE_CONTEXT);
        assert_eq!(merge(4, SHARED_NATIVE_CONTEXT), SHARED_NATIVE_CONTEXT);
    }
}
