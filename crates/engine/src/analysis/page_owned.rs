//! Which nodes the page (the JS world) owns, as opposed to the debugger or the engine.
//!
//! Source: DevTools `JSHeapSnapshot.markPageOwnedNodes`. Entry points are the targets of the
//! root's `shortcut` edges (the global objects) and of its `element` edges that lead to the
//! `(Document DOM trees)` node; everything reachable from them over non-weak edges is page-owned.
//! The dominator computation ignores edges from non-page-owned to page-owned nodes.
//!
//! [`mark`] is the definition, one breadth-first pass. The load does not run it: its DFS
//! walks the entries first ([`is_entry_edge`]), over the edges that pass every essential rule
//! but page ownership, and everything that walk reaches besides the root is page-owned (those
//! edges are non-weak). [`complete`] then adds the rest: what the non-weak edges those rules
//! reject lead to from there, what a walked node's edge to the root leads to, and what they
//! reach in turn. So ownership costs a scan of the rejected edges instead of a pass over the
//! graph. Invariant (`debug_assert!`ed, and tested on every fixture and on tiny graphs in
//! the snapshot module's `page_ownership_tests`): `complete` returns `mark`'s bits.

use crate::graph::HeapGraph;
use heaptui_common::util::bits::BitVec;

/// Returns one bit per node: set when the node is page-owned.
pub fn mark(graph: &HeapGraph) -> BitVec {
    let mut owned = BitVec::new(graph.node_count());
    let mut queue = Vec::new();
    for e in graph.edges(graph.root) {
        let to = graph.edge_to[e];
        if is_entry_edge(graph, e) && !owned.get(to as usize) {
            owned.set(to as usize);
            queue.push(to);
        }
    }
    spread(graph, &mut owned, queue);
    owned
}

/// Whether one of the root's edges leads to an entry point: a `shortcut` (to a global object),
/// or an `element` to `(Document DOM trees)`.
pub fn is_entry_edge(graph: &HeapGraph, edge: usize) -> bool {
    let kinds = graph.edge_kinds;
    let t = Some(graph.edge_type[edge]);
    if t == kinds.element {
        is_document_dom_trees_root(graph, graph.edge_to[edge])
    } else {
        t == kinds.shortcut
    }
}

/// [`mark`]'s bits from a walk that started at the root, took only its entry edges and then
/// every edge set in `by_edge` (the essential rules but page ownership, all of them non-weak
/// edges) out of every node it reached: `walked` has those nodes, the root included.
/// `walked_into_root` tells whether one of those edges from a node other than the root leads
/// to the root.
pub fn complete(
    graph: &HeapGraph,
    by_edge: &BitVec,
    walked: &BitVec,
    walked_into_root: bool,
) -> BitVec {
    let root = graph.root as usize;
    // The walk reached nothing but the root without an edge from an entry.
    let mut owned = walked.clone();
    owned.clear(root);
    let mut queue = Vec::new();
    let mut own = |owned: &mut BitVec, node: u32| {
        if !owned.get(node as usize) {
            owned.set(node as usize);
            queue.push(node);
        }
    };
    if walked_into_root {
        own(&mut owned, graph.root);
    }
    for e in graph.edges(graph.root) {
        if is_entry_edge(graph, e) {
            own(&mut owned, graph.edge_to[e]);
        }
    }
    // The walk followed every edge of `by_edge` out of its nodes; the non-weak edges it did
    // not follow are the clear bits. Edges are in source order, so the source only moves on.
    let weak = graph.edge_kinds.weak;
    let mut source = 0usize;
    for edge in by_edge.clear_bits(graph.edge_count()) {
        source = graph.edge_source_from(source as u32, edge) as usize;
        if source != root && walked.get(source) && Some(graph.edge_type[edge]) != weak {
            own(&mut owned, graph.edge_to[edge]);
        }
    }
    spread(graph, &mut owned, queue);
    debug_assert!(owned == mark(graph), "ownership as marked");
    owned
}

/// Marks everything reachable from `queue` (already marked) over non-weak edges.
fn spread(graph: &HeapGraph, owned: &mut BitVec, mut queue: Vec<u32>) {
    let kinds = graph.edge_kinds;
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
