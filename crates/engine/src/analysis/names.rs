//! The name DevTools shows for one object (`node.name()`): the concatenated text for a cons
//! string, `{a, b, …, z}` for a plain object, the raw name otherwise.
//!
//! Source: DevTools `JSHeapSnapshotNode.name`, `consStringName` and `#plainObjectName`.

use crate::graph::HeapGraph;
use heaptui_common::util::js::{format_property_name, utf16_len};

/// The display name of `node`.
pub fn display_name(graph: &HeapGraph, node: u32) -> String {
    let t = Some(graph.node_type[node as usize]);
    if t == graph.node_kinds.cons_string {
        return cons_string_name(graph, node);
    }
    if super::interfaces::is_plain_object(graph, node) {
        return plain_object_name(graph, node);
    }
    graph.raw_name(node).to_string()
}

/// True when `node`'s display name would be empty, without building it: for a cons string,
/// when every part it is made of is empty (as far as the name walk would go).
pub fn is_empty_text(graph: &HeapGraph, node: u32) -> bool {
    if Some(graph.node_type[node as usize]) != graph.node_kinds.cons_string {
        return !super::interfaces::is_plain_object(graph, node) && graph.raw_name(node).is_empty();
    }
    let mut stack = vec![node];
    let mut steps = 0;
    while let Some(current) = stack.pop() {
        steps += 1;
        if steps > 100_000 {
            break;
        }
        if Some(graph.node_type[current as usize]) != graph.node_kinds.cons_string {
            if !graph.raw_name(current).is_empty() {
                return false;
            }
            continue;
        }
        for e in graph.edges(current) {
            if Some(graph.edge_type[e]) == graph.edge_kinds.internal
                && matches!(graph.strings.get(graph.edge_name[e]), "first" | "second")
            {
                stack.push(graph.edge_to[e]);
            }
        }
    }
    true
}

/// Walks the `first`/`second` parts of a cons string, stopping once 1024 UTF-16 units are
/// collected (a missing part counts as node 0, as in DevTools).
fn cons_string_name(graph: &HeapGraph, node: u32) -> String {
    let cons = graph.node_kinds.cons_string;
    let internal = graph.edge_kinds.internal;
    let mut stack = vec![node];
    let mut name = String::new();
    let mut length = 0;
    // A malformed snapshot can make cons strings refer to themselves: bound the walk.
    let mut steps = 0;
    while length < 1024 && steps < 100_000 {
        steps += 1;
        let Some(current) = stack.pop() else { break };
        if Some(graph.node_type[current as usize]) != cons {
            let part = graph.raw_name(current);
            name.push_str(part);
            length += utf16_len(part);
            continue;
        }
        let (mut first, mut second) = (None, None);
        for e in graph.edges(current) {
            if first.is_some() && second.is_some() {
                break;
            }
            if Some(graph.edge_type[e]) == internal {
                match graph.strings.get(graph.edge_name[e]) {
                    "first" => first = Some(graph.edge_to[e]),
                    "second" => second = Some(graph.edge_to[e]),
                    _ => {}
                }
            }
        }
        stack.push(second.unwrap_or(0));
        stack.push(first.unwrap_or(0));
    }
    name
}

/// `{p1, p2, …, pn}` from the first and last property names, alternating ends, within about
/// 100 UTF-16 units (at least one property).
fn plain_object_name(graph: &HeapGraph, node: u32) -> String {
    let property = graph.edge_kinds.property;
    let edges = graph.edges(node);
    let (mut from_start, mut from_end) = (edges.start as isize, edges.end as isize - 1);
    let mut start = String::from("{");
    let mut start_len = 1;
    let mut end = String::from("}");
    let mut end_len = 1;
    let mut next_from_end = false;
    while from_start <= from_end {
        let e = if next_from_end { from_end } else { from_start } as usize;
        let is_property = Some(graph.edge_type[e]) == property;
        let name = if is_property {
            graph.strings.get(graph.edge_name[e])
        } else {
            ""
        };
        if !is_property || name == "__proto__" {
            if next_from_end {
                from_end -= 1;
            } else {
                from_start += 1;
            }
            continue;
        }
        let formatted = format_property_name(name);
        let formatted_len = utf16_len(&formatted);
        if start_len > 1 && start_len + end_len + formatted_len > 100 {
            break;
        }
        if next_from_end {
            from_end -= 1;
            if end_len > 1 {
                end.insert_str(0, ", ");
                end_len += 2;
            }
            end.insert_str(0, &formatted);
            end_len += formatted_len;
        } else {
            from_start += 1;
            if start_len > 1 {
                start.push_str(", ");
                start_len += 2;
            }
            start.push_str(&formatted);
            start_len += formatted_len;
        }
        next_from_end = !next_from_end;
    }
    if from_start <= from_end {
        start.push_str(", …");
    }
    if end_len > 1 {
        start.push_str(", ");
    }
    start + &end
}
