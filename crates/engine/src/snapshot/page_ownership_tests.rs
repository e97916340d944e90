//! Page ownership as the load finds it (the DFS's walk of the page-owned part, then
//! `analysis::page_owned::complete`) against its definition (`mark`), on real and tiny
//! snapshots, and the edge rules before it (`essential::by_edge_bits`) against theirs. Here rather than beside the analysis because the snapshots must be parsed, and
//! the analysis does not know the parser.
use crate::analysis::page_owned::{complete, mark};
use crate::analysis::{dominators, essential, weakmap::EphemeronNames};
use crate::graph::HeapGraph;
use crate::parse;
use heaptui_common::progress::Progress;
use heaptui_common::util::bits::BitVec;

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

/// The load's ownership against the definition, on every real snapshot of the test fixtures:
/// Node, Deno, Bun and Chromium pages with iframes and detached DOM trees.
#[test]
fn completing_the_dfs_walk_gives_the_definition_on_every_fixture() {
    for path in super::fixture_snapshots() {
        let parsed = parse::load(&path, parse::Options::default(), &Progress::NONE)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let graph = &parsed.graph;
        assert!(completed(graph) == mark(graph), "{}", path.display());
    }
}

/// The edge rules' bits (screened 64 edges at a time when the CPU has AVX-512) against the
/// rules edge by edge, on every real snapshot of the test fixtures and the tiny ones (a
/// `shortcut` from the root and from another node, an edge back to the root).
#[test]
fn edge_rule_bits_match_the_rules_edge_by_edge() {
    let mut graphs: Vec<(String, HeapGraph)> = super::fixture_snapshots()
        .into_iter()
        .map(|path| {
            let parsed = parse::load(&path, parse::Options::default(), &Progress::NONE)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.display().to_string(), parsed.graph)
        })
        .collect();
    graphs.push(("tiny shortcut".into(), tiny("5,8", 3)));
    graphs.push(("tiny self-loop".into(), tiny("2,8", 2)));
    let mut ephemeron_edges = 0;
    for (name, graph) in &graphs {
        let ephemerons = EphemeronNames::find(graph);
        let bits = essential::by_edge_bits(graph, &ephemerons);
        for node in 0..graph.node_count() as u32 {
            for edge in graph.edges(node) {
                let expected = essential::by_edge(graph, &ephemerons, node, edge);
                assert_eq!(
                    bits.get(edge),
                    expected,
                    "{name}: edge {edge} of node {node}"
                );
                if Some(graph.edge_type[edge]) == ephemerons.edge_type(graph)
                    && ephemerons.get(graph.edge_name[edge]).is_some()
                {
                    ephemeron_edges += 1;
                }
            }
        }
    }
    assert!(ephemeron_edges > 0, "some fixture has WeakMap entries");
}
