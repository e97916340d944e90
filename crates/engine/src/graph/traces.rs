//! Allocation stacks, in snapshots taken with allocation tracking (`node
//! --track-heap-objects`, DevTools' "Allocation instrumentation on timeline"): for each
//! object, the JS call stack that allocated it, as a node of the snapshot's `trace_tree`.
//!
//! Source: V8's `HeapSnapshotJSONSerializer` (`SerializeTraceTree`, `SerializeTraceNodeInfos`):
//! `trace_function_infos` is a flat table (function id, name, script name, script id, line,
//! column; lines and columns 1-based, 0 when unknown); `trace_tree` nests nodes as `[id,
//! function_info_index, count, size, [children…], …]`, a child being a call made by its
//! parent's function; each object's `trace_node_id` names the node of its allocation (0:
//! none). Invariant: every trace node's parent was read before it (0 for the top level).

use std::collections::HashMap;

/// One function of `trace_function_infos`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraceFunction {
    /// Its name (a string index).
    pub name: u32,
    /// Its script's name (a string index).
    pub script_name: u32,
    /// V8's script id.
    pub script_id: u32,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
}

/// The allocation stacks of a snapshot; empty without allocation tracking.
#[derive(Debug, Clone, Default)]
pub struct AllocationTraces {
    /// The functions, by `function_info_index`.
    pub functions: Vec<TraceFunction>,
    /// Trace node id → (function index, parent trace node id; 0 at the top level).
    pub nodes: HashMap<u32, (u32, u32)>,
    /// Per graph node, its allocation's trace node id (0: none); empty without tracking.
    pub node_trace: Vec<u32>,
}

impl AllocationTraces {
    /// The functions of `node`'s allocation stack, the allocating one first, then its callers
    /// (at most `max` of them).
    pub fn stack(&self, node: u32, max: usize) -> Vec<&TraceFunction> {
        let mut frames = Vec::new();
        let mut at = self.node_trace.get(node as usize).copied().unwrap_or(0);
        while at != 0 && frames.len() < max {
            let Some(&(function, parent)) = self.nodes.get(&at) else {
                break;
            };
            if let Some(f) = self.functions.get(function as usize) {
                frames.push(f);
            }
            at = parent;
        }
        frames
    }
}
