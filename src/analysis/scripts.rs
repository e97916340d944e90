//! Where functions were defined: a closure's location from the snapshot's `locations` and the
//! name of its script.
//!
//! Source: V8's `HeapSnapshotGenerator` writes a closure's `shared` edge to its
//! `SharedFunctionInfo`, whose `script_or_debug_info` edge (`script` in older V8) leads to the
//! `Script` node named after its URL or file. DevTools links locations through the script id
//! instead; the snapshot's own edges give the name without a debugger. Invariant: a name is
//! only given when every hop exists and the script has a non-empty name.

use crate::graph::{HeapGraph, Location};

/// A function's definition site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The script's name (URL or file) from the snapshot, when it has one.
    pub script_name: Option<String>,
    /// V8's script id, and the 0-based line and column, as stored.
    pub location: Location,
}

/// Where `node` was defined, if the snapshot recorded a location for it.
pub fn source_location(graph: &HeapGraph, node: u32) -> Option<SourceLocation> {
    let location = graph.location(node)?;
    Some(SourceLocation {
        script_name: script_name(graph, node),
        location,
    })
}

fn script_name(graph: &HeapGraph, node: u32) -> Option<String> {
    let shared = internal_edge(graph, node, &["shared"])?;
    let script = internal_edge(graph, shared, &["script_or_debug_info", "script"])?;
    let name = graph.raw_name(script);
    (!name.is_empty()).then(|| name.to_string())
}

fn internal_edge(graph: &HeapGraph, node: u32, names: &[&str]) -> Option<u32> {
    graph
        .edges(node)
        .find(|&e| {
            Some(graph.edge_type[e]) == graph.edge_kinds.internal
                && names.contains(&graph.strings.get(graph.edge_name[e]))
        })
        .map(|e| graph.edge_to[e])
}
