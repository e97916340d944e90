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
//! graph. Invariant (`debug_assert!`ed): `complete` returns `mark`'s bits.

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
        while graph.first_edge[source + 1] as usize <= edge {
            source += 1;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{dominators, essential, weakmap::EphemeronNames};
    use crate::parse;
    use heaptui_common::progress::Progress;

    /// The load's ownership: the DFS's walk of the page-owned entries, then [`complete`].
    fn completed(graph: &HeapGraph) -> BitVec {
        let by_edge = essential::by_edge_bits(graph, &EphemeronNames::find(graph));
        let mut completed = None;
        dominators::number_from_root(graph, &by_edge, |walked, into_root| {
            let owned = complete(graph, &by_edge, walked, into_root);
            let rule = essential::with_page_rule(graph, &by_edge, &owned);
            completed = Some(owned);
            rule
        });
        completed.expect("the walk asked for the page rule")
    }

    /// A tiny snapshot: the root's `shortcut` to a global `G` and `element` to `(GC roots)`,
    /// `G` → `X` → `Y` → `Z`, where `X`'s edge is `x_edge` (a JSON edge row's type and name).
    fn tiny(x_edge: &str, x_target: u32) -> HeapGraph {
        let text = format!(
            r#"{{"snapshot":{{"meta":{{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],
            "node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],"string","number","number","number","number","number"],
            "edge_fields":["type","name_or_index","to_node"],
            "edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]}},
            "node_count":6,"edge_count":5,"trace_function_count":0}},
            "nodes":[9,0,1,0,2,0,0, 3,1,3,10,1,0,0, 3,2,5,10,1,0,0, 3,3,7,10,1,0,0, 9,4,9,0,0,0,0, 3,5,11,10,0,0,0],
            "edges":[5,6,7, 1,1,28, 2,7,14, {x_edge},{}, 2,9,35],
            "strings":["","Global","X","Y","(GC roots)","Z","g","x","y","z"]}}"#,
            x_target * 7
        );
        let source = crate::parse::source::Source::from_bytes(text.into_bytes()).expect("bytes");
        parse::parse(&source, parse::Options::default(), &Progress::NONE)
            .expect("the tiny snapshot parses")
            .graph
    }

    /// The edges the walk does not take but that still spread ownership: a `shortcut` from a
    /// page-owned node other than the root (`X` → `Y`, and on to `Z`), and an edge back to the
    /// root (which makes the root and `(GC roots)` page-owned).
    #[test]
    fn completing_adds_what_rejected_edges_and_edges_to_the_root_own() {
        let shortcut = tiny("5,8", 3);
        assert!(mark(&shortcut).get(5), "Z is owned through X's shortcut");
        assert_eq!(completed(&shortcut), mark(&shortcut));
        let back_to_root = tiny("2,8", 0);
        assert!(
            mark(&back_to_root).get(4),
            "(GC roots) is owned through the root"
        );
        assert_eq!(completed(&back_to_root), mark(&back_to_root));
    }

    /// The load's ownership against the definition, on every real snapshot of the test fixtures: Node, Deno, Bun and
    /// Chromium pages with iframes and detached DOM trees.
    #[test]
    fn completing_the_dfs_walk_gives_the_definition_on_every_fixture() {
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut checked = 0;
        for entry in std::fs::read_dir(&fixtures).expect("the fixtures folder") {
            let path = entry.expect("a fixture").path();
            if !path.to_string_lossy().ends_with(".heapsnapshot.gz") {
                continue;
            }
            let parsed = parse::load(&path, parse::Options::default(), &Progress::NONE)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let graph = &parsed.graph;
            assert!(completed(graph) == mark(graph), "{}", path.display());
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} fixtures");
    }
}
