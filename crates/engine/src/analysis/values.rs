//! What an object holds beyond its name: a number's value, a string's whole text, the variables
//! a closure captured.
//!
//! Source: V8's `HeapSnapshotGenerator` and DevTools `HeapSnapshotNode.findInternalEdgeTarget`
//! / `nodeValueAsInt`. Invariants:
//! - A `number` node (`heap number`, `smi number`, `int`, `bool`) has a value only where the
//!   snapshot wrote one: an internal `value` edge to a string node holding its text (V8 adds
//!   it when numeric values are exposed, as Chromium does).
//! - An oddball (`undefined`, `null`, `true`, `false`, the hole) is a hidden
//!   `system / Oddball` node whose first hidden edge (index 0, V8's `to_string`) leads to a
//!   string holding its name.
//! - A string's text is its name, except for a cons string, whose text is its `first` and
//!   `second` parts (internal edges) concatenated, depth first; the walk is bounded so a
//!   malformed snapshot whose parts refer to themselves cannot loop.
//! - A closure's variables are the `context` edges of the `system / Context` its internal
//!   `context` edge leads to, then of each `previous` context outwards; the walk stops at a
//!   context with no `previous` edge or at the native context (which holds the globals, not
//!   captured variables).

use crate::graph::HeapGraph;

/// Longest string text [`string_text`] assembles (UTF-8 bytes), so that showing one string
/// can never need more memory than a screenful of pages of it.
pub const MAX_TEXT: usize = 1 << 20;

/// Most contexts a closure's scope chain is followed through (a real one has a handful).
const MAX_SCOPE_DEPTH: usize = 64;

/// The target of `node`'s internal edge called `name`, if it has one.
pub fn internal_edge_target(graph: &HeapGraph, node: u32, name: &str) -> Option<u32> {
    let internal = graph.edge_kinds.internal;
    graph
        .edges(node)
        .find(|&e| {
            Some(graph.edge_type[e]) == internal && graph.strings.get(graph.edge_name[e]) == name
        })
        .map(|e| graph.edge_to[e])
}

/// The string node holding a number's value, for `number` nodes whose value was written.
pub fn number_value(graph: &HeapGraph, node: u32) -> Option<u32> {
    if Some(graph.node_type[node as usize]) != graph.node_kinds.number {
        return None;
    }
    internal_edge_target(graph, node, "value")
}

/// DevTools' `nodeValueAsInt`: the value of a `number` node named `int` whose value was
/// written, read with `parseInt` (`None` for NaN or a value past 64 bits).
pub fn int_value(graph: &HeapGraph, node: u32) -> Option<i64> {
    if graph.raw_name(node) != "int" {
        return None;
    }
    let text = graph.raw_name(number_value(graph, node)?);
    heaptui_common::util::js::parse_int_prefix(text)?
        .parse()
        .ok()
}

/// The string node naming an oddball (`undefined`, `null`, `true`, …), for
/// `system / Oddball` nodes whose snapshot has it.
pub fn oddball_value(graph: &HeapGraph, node: u32) -> Option<u32> {
    if Some(graph.node_type[node as usize]) != graph.node_kinds.hidden
        || graph.raw_name(node) != "system / Oddball"
    {
        return None;
    }
    let to_string = graph.edges(node).find(|&e| {
        Some(graph.edge_type[e]) == graph.edge_kinds.hidden && graph.edge_name[e] == 0
    })?;
    let target = graph.edge_to[to_string];
    (Some(graph.node_type[target as usize]) == graph.node_kinds.string).then_some(target)
}

/// The whole text of a string node (cons strings concatenated), at most [`MAX_TEXT`] bytes;
/// `None` for nodes that are not strings.
pub fn string_text(graph: &HeapGraph, node: u32) -> Option<String> {
    let k = graph.node_kinds;
    let t = Some(graph.node_type[node as usize]);
    if t != k.string && t != k.sliced_string && t != k.cons_string {
        return None;
    }
    let mut text = String::new();
    let mut stack = vec![node];
    let mut steps = 0;
    while let Some(current) = stack.pop() {
        steps += 1;
        if text.len() >= MAX_TEXT || steps > MAX_TEXT {
            break;
        }
        if Some(graph.node_type[current as usize]) != k.cons_string {
            let part = graph.raw_name(current);
            let room = MAX_TEXT - text.len();
            let mut cut = part.len().min(room);
            while !part.is_char_boundary(cut) {
                cut -= 1;
            }
            text.push_str(&part[..cut]);
            continue;
        }
        let first = internal_edge_target(graph, current, "first");
        let second = internal_edge_target(graph, current, "second");
        stack.extend(second);
        stack.extend(first);
    }
    Some(text)
}

/// A variable a closure captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextVariable {
    /// The `context` edge (its name is the variable's).
    pub edge: usize,
    /// The value.
    pub node: u32,
    /// 0 for the closure's own context, 1 for the one around it, and so on.
    pub depth: usize,
}

/// The variables `closure` captured, innermost scope first; empty for other nodes.
pub fn context_variables(graph: &HeapGraph, closure: u32) -> Vec<ContextVariable> {
    if Some(graph.node_type[closure as usize]) != graph.node_kinds.closure {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut context = internal_edge_target(graph, closure, "context");
    let mut depth = 0;
    while let Some(current) = context {
        if depth >= MAX_SCOPE_DEPTH || graph.raw_name(current) == "system / NativeContext" {
            break;
        }
        out.extend(
            graph
                .edges(current)
                .filter(|&e| Some(graph.edge_type[e]) == graph.edge_kinds.context)
                .map(|edge| ContextVariable {
                    edge,
                    node: graph.edge_to[edge],
                    depth,
                }),
        );
        context = internal_edge_target(graph, current, "previous");
        depth += 1;
    }
    out
}
