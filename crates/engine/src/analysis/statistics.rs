//! The Statistics view's totals: code, strings, JS arrays, typed arrays, system objects.
//!
//! Source: DevTools `JSHeapSnapshot.calculateStatistics` / `calculateArraySize`. Uses the
//! redistributed self sizes; a JS `Array` also counts its `elements` store when that store has
//! exactly one retainer.

use crate::graph::{retainers::Retainers, HeapGraph};
use serde::Serialize;

/// Heap totals by category, in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    /// Total size (root retained size + `extra_native_bytes`).
    pub total: u64,
    /// V8 heap total (total − native).
    pub v8heap_total: u64,
    /// Compiled code.
    pub code: u64,
    /// Strings of all kinds.
    pub strings: u64,
    /// JS arrays with their element stores.
    pub js_arrays: u64,
    /// Hidden (system) objects.
    pub system: u64,
    /// Native (embedder) memory, `extra_native_bytes` included.
    pub native_total: u64,
    /// Array buffer backing stores.
    pub typed_arrays: u64,
}

/// The per-category sums (everything but the totals, which need the retained sizes), over the
/// redistributed `self_size`s.
pub fn sums(graph: &HeapGraph, self_size: &[u32], retainers: &Retainers) -> Statistics {
    let k = graph.node_kinds;
    let mut s = Statistics {
        native_total: graph.header.extra_native_bytes,
        ..Statistics::default()
    };
    // "Is this name `Array`?" once per distinct name, not once per node.
    let mut is_array_name: Vec<u8> = vec![0; graph.strings.len()];
    let internal = graph.edge_kinds.internal;
    for node in 0..graph.node_count() as u32 {
        let size = u64::from(self_size[node as usize]);
        let t = Some(graph.node_type[node as usize]);
        if t == k.hidden {
            s.system += size;
        } else if t == k.native {
            s.native_total += size;
            if graph.raw_name(node) == "system / JSArrayBufferData" {
                s.typed_arrays += size;
            }
        } else if t == k.code {
            s.code += size;
        } else if t == k.cons_string || t == k.sliced_string || t == k.string {
            s.strings += size;
        } else if is_named(&mut is_array_name, graph, node, "Array") {
            s.js_arrays += size;
            let elements = graph.edges(node).find(|&e| {
                Some(graph.edge_type[e]) == internal
                    && graph.strings.get(graph.edge_name[e]) == "elements"
            });
            if let Some(e) = elements {
                let store = graph.edge_to[e];
                if retainers.count(store) == 1 {
                    s.js_arrays += u64::from(self_size[store as usize]);
                }
            }
        }
    }
    s
}

/// Whether `node`'s raw name is `name`, remembering the answer per name index in `memo`
/// (0 unknown, 1 yes, 2 no).
fn is_named(memo: &mut [u8], graph: &HeapGraph, node: u32, name: &str) -> bool {
    let index = graph.node_name[node as usize] as usize;
    if memo[index] == 0 {
        memo[index] = if graph.strings.get(index as u32) == name {
            1
        } else {
            2
        };
    }
    memo[index] == 1
}

impl Statistics {
    /// The Statistics pie's "other JS objects": the V8 heap less code, strings, JS arrays and
    /// system objects (DevTools `HeapSnapshotView.retrieveStatistics`).
    pub fn other_js_objects(&self) -> u64 {
        self.v8heap_total
            .saturating_sub(self.code + self.strings + self.js_arrays + self.system)
    }

    /// The pie's "other non-JS objects": native memory less typed arrays' backing stores.
    pub fn other_non_js_objects(&self) -> u64 {
        self.native_total.saturating_sub(self.typed_arrays)
    }

    /// Completes the sums with the snapshot's total size.
    pub fn with_total(mut self, total: u64) -> Statistics {
        self.total = total;
        self.v8heap_total = total.saturating_sub(self.native_total);
        self
    }
}
