//! Which nodes the page (the JS world) owns, as opposed to the debugger or the engine.
//!
//! Source: DevTools `JSHeapSnapshot.markPageOwnedNodes`. Entry points are the targets of the
//! root's `shortcut` edges (the global objects) and of its `element` edges that lead to the
//! `(Document DOM trees)` node; everything reachable from them over non-weak edges is page-owned.
//! The dominator computation ignores edges from non-page-owned to page-owned nodes.

use crate::graph::HeapGraph;
use heaptui_common::util::bits::BitVec;

/// Returns one bit per node: set when the node is page-owned.
pub fn mark(graph: &HeapGraph) -> BitVec {
    let mut owned = BitVec::new(graph.node_count());
    let mut queue = Vec::new();
    let kinds = graph.edge_kinds;
    for e in graph.edges(graph.root) {
        let to = graph.edge_to[e];
        let t = Some(graph.edge_type[e]);
        let entry = if t == kinds.element {
            is_document_dom_trees_root(graph, to)
        } else {
            t == kinds.shortcut
        };
        if entry {
            owned.set(to as usize);
            queue.push(to);
        }
    }
    // Breadth-first (reachability does not depend on order), so the queue shows what comes next.
    let mut head = 0;
    while head < queue.len() {
        let node = queue[head];
        head += 1;
        graph.prefetch_queued(&queue, head);
        for e in graph.edges(node) {
            let to = graph.edge_to[e];
            if owned.get(to as usize) || Some(graph.edge_type[e]) == kinds.weak {
                continue;
            }
            owned.set(to as usize);
            queue.push(to);
        }
    }
    owned
}

/// DevTools' `isDocumentDOMTreesRoot`: the synthetic `(Document DOM trees)` node.
pub fn is_document_dom_trees_root(graph: &HeapGraph, node: u32) -> bool {
    Some(graph.node_type[node as usize]) == graph.node_kinds.synthetic
        && graph.raw_name(node) == "(Document DOM trees)"
}

/// DevTools' `isUserRoot` for the JS snapshot: a non-synthetic node or `(Document DOM trees)`.
pub fn is_user_root(graph: &HeapGraph, node: u32) -> bool {
    Some(graph.node_type[node as usize]) != graph.node_kinds.synthetic
        || is_document_dom_trees_root(graph, node)
}
