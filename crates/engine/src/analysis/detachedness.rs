//! DOM link state propagation and `Detached ` names.
//!
//! Source: DevTools `HeapSnapshot.propagateDOMState` / `initDetachednessAndClassIndex`.
//! Invariants:
//! - Seeds are the nodes whose snapshot `detachedness` is attached (1) or detached (2); only
//!   `native` nodes take part, other types stop propagation (JS never carries DOM state).
//! - Attached state spreads first over every edge except hidden, invisible and weak ones; then
//!   detached state spreads the same way to native nodes not yet reached.
//! - Every native node that ends detached is renamed `Detached <name>` (one new string per
//!   distinct old name).
//! - Snapshots without a `detachedness` field: native nodes already named `Detached …` are
//!   marked detached and nothing propagates.

use crate::graph::HeapGraph;
use std::collections::HashMap;

const ATTACHED: u8 = 1;
const DETACHED: u8 = 2;

/// Propagates DOM state through `graph` and renames detached native nodes.
pub fn propagate(graph: &mut HeapGraph) {
    let native = graph.node_kinds.native;
    if !graph.header.node_fields.iter().any(|f| f == "detachedness") {
        for node in 0..graph.node_count() {
            if Some(graph.node_type[node]) == native
                && graph.raw_name(node as u32).starts_with("Detached ")
            {
                graph.detachedness[node] = DETACHED;
            }
        }
        return;
    }
    let n = graph.node_count();
    let mut visited = vec![false; n];
    let mut attached = Vec::new();
    let mut detached = Vec::new();
    let mut renamed: HashMap<u32, u32> = HashMap::new();
    let skip = [
        graph.edge_kinds.hidden,
        graph.edge_kinds.invisible,
        graph.edge_kinds.weak,
    ];

    let mut process = |graph: &mut HeapGraph,
                       node: usize,
                       state: u8,
                       attached: &mut Vec<usize>,
                       detached: &mut Vec<usize>| {
        if visited[node] {
            return;
        }
        visited[node] = true;
        if Some(graph.node_type[node]) != native {
            return;
        }
        graph.detachedness[node] = state;
        if state == ATTACHED {
            attached.push(node);
        } else if state == DETACHED {
            let old = graph.node_name[node];
            let new = *renamed.entry(old).or_insert_with(|| {
                let name = format!("Detached {}", graph.strings.get(old));
                graph.strings.push(name)
            });
            graph.node_name[node] = new;
            detached.push(node);
        }
    };

    // Most snapshots have few DOM nodes: skip 64 zero states at a time.
    for start in (0..n).step_by(64) {
        let end = (start + 64).min(n);
        if all_zero(&graph.detachedness[start..end]) {
            continue;
        }
        for node in start..end {
            let state = graph.detachedness[node];
            if state != 0 {
                process(graph, node, state, &mut attached, &mut detached);
            }
        }
    }
    while let Some(node) = attached.pop() {
        for e in graph.edges(node as u32) {
            if !skip.contains(&Some(graph.edge_type[e])) {
                let to = graph.edge_to[e] as usize;
                process(graph, to, ATTACHED, &mut attached, &mut detached);
            }
        }
    }
    while let Some(node) = detached.pop() {
        if graph.detachedness[node] == ATTACHED {
            continue;
        }
        for e in graph.edges(node as u32) {
            if !skip.contains(&Some(graph.edge_type[e])) {
                let to = graph.edge_to[e] as usize;
                process(graph, to, DETACHED, &mut attached, &mut detached);
            }
        }
    }
}

/// Whether every state in `states` is 0 (unknown), eight at a time.
fn all_zero(states: &[u8]) -> bool {
    let mut words = states.chunks_exact(8);
    let any = words.by_ref().fold(0u64, |any, w| {
        any | u64::from_ne_bytes(w.try_into().unwrap())
    });
    any == 0 && words.remainder().iter().all(|&s| s == 0)
}

/// A node's DOM link state, as DevTools' `detachedness()` reads it after propagation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomState {
    /// Not known (every JS object, and DOM nodes the snapshot says nothing about).
    Unknown,
    /// Attached to a document.
    Attached,
    /// Detached from every document.
    Detached,
}

/// The DOM link state of every node after propagation, two bits per node (the analysis drops
/// the byte per node it propagated in).
#[derive(Debug, Clone)]
pub struct DomStates {
    len: usize,
    attached: heaptui_common::util::bits::BitVec,
    detached: heaptui_common::util::bits::BitVec,
}

impl DomStates {
    /// The states as [`propagate`] left them in `HeapGraph::detachedness` (nodes past its
    /// end are unknown).
    pub fn from_states(states: &[u8]) -> DomStates {
        use heaptui_common::util::bits::BitVec;
        let mut attached = BitVec::new(states.len());
        let mut detached = BitVec::new(states.len());
        // Most snapshots have few DOM nodes: 64 unknown states leave a word clear.
        for (word, chunk) in states.chunks(64).enumerate() {
            if all_zero(chunk) {
                continue;
            }
            for (i, &state) in chunk.iter().enumerate() {
                match state {
                    ATTACHED => attached.set(word * 64 + i),
                    DETACHED => detached.set(word * 64 + i),
                    _ => {}
                }
            }
        }
        DomStates {
            len: states.len(),
            attached,
            detached,
        }
    }

    /// The parts: the node count and the attached and detached bits (for the index).
    pub fn parts(
        &self,
    ) -> (
        usize,
        &heaptui_common::util::bits::BitVec,
        &heaptui_common::util::bits::BitVec,
    ) {
        (self.len, &self.attached, &self.detached)
    }

    /// The states from their [`DomStates::parts`].
    pub fn from_parts(
        len: usize,
        attached: heaptui_common::util::bits::BitVec,
        detached: heaptui_common::util::bits::BitVec,
    ) -> DomStates {
        DomStates {
            len,
            attached,
            detached,
        }
    }

    /// The state of `node`.
    pub fn state(&self, node: u32) -> DomState {
        let node = node as usize;
        if node >= self.len {
            DomState::Unknown
        } else if self.detached.get(node) {
            DomState::Detached
        } else if self.attached.get(node) {
            DomState::Attached
        } else {
            DomState::Unknown
        }
    }

    /// True when `node` is detached.
    pub fn is_detached(&self, node: u32) -> bool {
        self.state(node) == DomState::Detached
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// States at every place of a word and of the last, partial word, among long runs of
    /// unknown ones: each node reads back as it was given.
    #[test]
    fn dom_states_keep_every_state() {
        for len in [0usize, 1, 7, 8, 63, 64, 65, 200] {
            for at in 0..len {
                for state in [ATTACHED, DETACHED] {
                    let mut states = vec![0u8; len];
                    states[at] = state;
                    states[len - 1 - at / 2] = ATTACHED;
                    let dom = DomStates::from_states(&states);
                    for (node, &s) in states.iter().enumerate() {
                        let expected = match s {
                            ATTACHED => DomState::Attached,
                            DETACHED => DomState::Detached,
                            _ => DomState::Unknown,
                        };
                        assert_eq!(dom.state(node as u32), expected, "{len} {at} {node}");
                    }
                    assert!(!all_zero(&states));
                }
            }
            assert!(all_zero(&vec![0u8; len]));
        }
    }
}
