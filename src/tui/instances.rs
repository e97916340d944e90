//! The objects listed under an expanded class, and the facts shown for the selected one.
//!
//! A class can hold millions of objects, so an instance is only an ordinal and the snapshot it
//! lives in; names are computed for the rows on screen, never for the whole list.

use crate::snapshot::Snapshot;
use rayon::prelude::*;
use std::cmp::Reverse;

/// Whether an object is new in the after snapshot or deleted since the base (Comparison).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A Summary instance.
    None,
    /// In the after snapshot only (`+`).
    New,
    /// In the base snapshot only (`−`).
    Deleted,
}

/// One object row under a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance {
    /// The node ordinal in its snapshot.
    pub node: u32,
    /// Index of its snapshot in the app's snapshot list.
    pub snapshot: u8,
    /// Comparison marker.
    pub change: Change,
}

/// Puts `nodes` of `snapshot` in the order the instance rows list them: retained size
/// descending, then object id ascending (stable across runs). Done once per class when the
/// data is built, so expanding even a class of millions of objects sorts nothing.
pub fn order(snapshot: &Snapshot, nodes: &mut [u32]) {
    let retained = &snapshot.analysis.retained;
    let ids = &snapshot.graph.node_id;
    // Sort keys gathered next to each node: comparisons then read no scattered memory.
    let mut keyed: Vec<(Reverse<u64>, u32, u32)> = nodes
        .iter()
        .map(|&n| (Reverse(retained[n as usize]), ids[n as usize], n))
        .collect();
    keyed.par_sort_unstable();
    for (slot, (_, _, node)) in nodes.iter_mut().zip(keyed) {
        *slot = node;
    }
}

/// `nodes` of `snapshot` (already in [`order`]) as instance rows.
pub fn listed(snapshot: usize, nodes: &[u32], change: Change) -> Vec<Instance> {
    nodes
        .par_iter()
        .map(|&node| Instance {
            node,
            snapshot: snapshot as u8,
            change,
        })
        .collect()
}

/// Where a function was defined, as `script:line:column` (1-based, as DevTools links show it).
/// The script is named by the closure's `shared` → `script_or_debug_info` (older V8: `script`)
/// chain when the snapshot has it, else by its script id.
pub fn source_location(snapshot: &Snapshot, node: u32) -> Option<String> {
    let location = snapshot.graph.location(node)?;
    let script = script_name(snapshot, node)
        .map(|name| crate::util::sanitize::sanitize(&name).into_owned())
        .unwrap_or_else(|| format!("script {}", location.script_id));
    Some(format!(
        "{script}:{}:{}",
        location.line + 1,
        location.column + 1
    ))
}

fn script_name(snapshot: &Snapshot, node: u32) -> Option<String> {
    let shared = internal_edge(snapshot, node, &["shared"])?;
    let script = internal_edge(snapshot, shared, &["script_or_debug_info", "script"])?;
    let name = snapshot.graph.raw_name(script);
    (!name.is_empty()).then(|| name.to_string())
}

fn internal_edge(snapshot: &Snapshot, node: u32, names: &[&str]) -> Option<u32> {
    let g = &snapshot.graph;
    g.edges(node)
        .find(|&e| {
            Some(g.edge_type[e]) == g.edge_kinds.internal
                && names.contains(&g.strings.get(g.edge_name[e]))
        })
        .map(|e| g.edge_to[e])
}

/// The name an object row shows, cut to at most `max` chars: `"value"` for strings, the
/// display name otherwise (both from the library, so its masking of string values applies),
/// or the class name for nameless objects such as anonymous functions. Not sanitised.
pub fn object_name(snapshot: &Snapshot, node: u32, max: usize) -> String {
    let name = snapshot.display_name(node);
    if snapshot.is_string(node) {
        let value: String = name.chars().take(max).collect();
        format!("\"{value}\"")
    } else if name.is_empty() {
        snapshot.class_name(node).to_string()
    } else {
        name
    }
}
