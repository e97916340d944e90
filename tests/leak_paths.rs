//! The explanatory path (`heaptui_leaks::explain`) on small hand-built graphs — a stack root
//! beside a named path, weak edges, internal links, cycles — and on the real Chromium
//! fixture, where it must be a real retaining path, end at a root, and cost no more than
//! DevTools' shortest path by the same measure.

use crate::common;
use common::TempDir;
use heaptui_common::progress::Progress;
use heaptui_engine::{LoadOptions, Snapshot};
use heaptui_leaks::explain::{self, Choice};

/// A tiny heap: nodes `(type, name)` with ids 1, 3, 5, … and edges `(from, type, name, to)`
/// (element and hidden edges take their index as the name), written as a V8 snapshot.
struct Heap {
    nodes: Vec<(&'static str, &'static str)>,
    edges: Vec<(usize, &'static str, &'static str, usize)>,
}

const NODE_TYPES: &[&str] = &[
    "hidden",
    "array",
    "string",
    "object",
    "code",
    "closure",
    "regexp",
    "number",
    "native",
    "synthetic",
];
const EDGE_TYPES: &[&str] = &[
    "context", "element", "property", "internal", "hidden", "shortcut", "weak",
];

impl Heap {
    fn load(&self, dir: &TempDir) -> Snapshot {
        let mut strings: Vec<String> = vec![String::new()];
        let mut intern = |s: &str| match strings.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                strings.push(s.to_string());
                strings.len() - 1
            }
        };
        let mut nodes = Vec::new();
        for (i, (t, name)) in self.nodes.iter().enumerate() {
            let count = self.edges.iter().filter(|e| e.0 == i).count();
            let t = NODE_TYPES.iter().position(|x| x == t).unwrap();
            nodes.push(format!("{t},{},{},16,{count}", intern(name), 2 * i + 1));
        }
        let mut edges = Vec::new();
        for from in 0..self.nodes.len() {
            for &(_, t, name, to) in self.edges.iter().filter(|e| e.0 == from) {
                let kind = EDGE_TYPES.iter().position(|x| *x == t).unwrap();
                let name = if t == "element" || t == "hidden" {
                    name.parse::<usize>().unwrap()
                } else {
                    intern(name)
                };
                edges.push(format!("{kind},{name},{}", to * 5));
            }
        }
        let json = format!(
            r#"{{"snapshot":{{"meta":{{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[{types},"string","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[{edge_types},"string_or_number","node"]}},"node_count":{},"edge_count":{}}},"nodes":[{}],"edges":[{}],"strings":{}}}"#,
            self.nodes.len(),
            edges.len(),
            nodes.join(","),
            edges.join(","),
            serde_json::to_string(&strings).unwrap(),
            types = serde_json::to_string(NODE_TYPES).unwrap(),
            edge_types = serde_json::to_string(EDGE_TYPES).unwrap(),
        );
        let file = dir.path("heap.heapsnapshot");
        std::fs::write(&file, json).unwrap();
        Snapshot::load(&file, LoadOptions::default(), &Progress::NONE).unwrap()
    }
}

/// The explanatory path of node `of` as `edge in object` names.
fn path_names(s: &Snapshot, of: usize) -> (Vec<String>, Choice) {
    let path = explain::explanatory_path(s, of as u32);
    let names = path
        .hops
        .iter()
        .map(|h| format!("{} in {}", s.edge_name(h.edge), s.object_cell(h.node)))
        .collect();
    (names, path.choice)
}

#[test]
fn a_named_path_wins_over_the_stack_roots() {
    let dir = TempDir::new("paths-stack");
    let heap = Heap {
        nodes: vec![
            ("synthetic", ""),                 // 0 root
            ("synthetic", "(GC roots)"),       // 1
            ("synthetic", "(Stack roots)"),    // 2
            ("synthetic", "(Global handles)"), // 3
            ("object", "Registry"),            // 4
            ("object", "Array"),               // 5
            ("object", "Leaky"),               // 6
        ],
        edges: vec![
            (0, "element", "1", 1),
            (1, "element", "1", 2),
            (1, "element", "2", 3),
            (2, "element", "0", 6),
            (3, "hidden", "0", 4),
            (4, "property", "items", 5),
            (5, "element", "3", 6),
        ],
    };
    let s = heap.load(&dir);
    let (names, choice) = path_names(&s, 6);
    assert_eq!(choice, Choice::Explanatory);
    assert_eq!(
        names,
        [
            "3 in Array",
            "items in Registry",
            "0 in (Global handles)",
            "2 in (GC roots)"
        ]
    );
    // DevTools' Retainers pane goes the shortest way, through the stack.
    let shortest = explain::shortest_path(&s, 6);
    assert_eq!(s.object_cell(shortest[0].node), "(Stack roots)");
}

#[test]
fn weak_edges_only_when_nothing_else_holds() {
    let dir = TempDir::new("paths-weak");
    let heap = Heap {
        nodes: vec![
            ("synthetic", ""),      // 0 root
            ("object", "global"),   // 1
            ("object", "WeakRef"),  // 2
            ("object", "Cache"),    // 3
            ("object", "Entry"),    // 4
            ("object", "Leaky"),    // 5: weakly near, strongly far
            ("object", "OnlyWeak"), // 6: weakly held only
        ],
        edges: vec![
            (0, "shortcut", "global", 1),
            (1, "property", "ref", 2),
            (1, "property", "cache", 3),
            (2, "weak", "target", 5),
            (2, "weak", "other", 6),
            (3, "property", "entry", 4),
            (4, "property", "value", 5),
        ],
    };
    let s = heap.load(&dir);
    let (names, _) = path_names(&s, 5);
    assert_eq!(
        names,
        ["value in Entry", "entry in Cache", "cache in global"]
    );
    let (names, choice) = path_names(&s, 6);
    assert_eq!(choice, Choice::Explanatory);
    assert_eq!(names, ["other in WeakRef", "ref in global"]);
}

#[test]
fn names_beat_internal_links_and_cycles_end() {
    let dir = TempDir::new("paths-cycles");
    let heap = Heap {
        nodes: vec![
            ("synthetic", ""),          // 0 root
            ("object", "global"),       // 1
            ("hidden", "system / Map"), // 2
            ("object", "A"),            // 3
            ("object", "B"),            // 4
            ("object", "Leaky"),        // 5
            ("object", "C"),            // 6: in a cycle no root reaches
            ("object", "D"),            // 7
        ],
        edges: vec![
            (0, "shortcut", "global", 1),
            (1, "internal", "map", 2),
            (2, "internal", "prototype_info", 5),
            (1, "property", "a", 3),
            (3, "property", "b", 4),
            (4, "property", "a", 3),
            (4, "property", "leaky", 5),
            (6, "property", "d", 7),
            (7, "property", "c", 6),
        ],
    };
    let s = heap.load(&dir);
    // Two internal hops cost more than three named ones; the A ⇄ B cycle is left behind.
    let (names, _) = path_names(&s, 5);
    assert_eq!(names, ["leaky in B", "b in A", "a in global"]);
    // A cycle no root reaches: no explanatory path, and DevTools' walk stops at the cycle.
    let (names, choice) = path_names(&s, 7);
    assert_eq!(choice, Choice::Shortest);
    assert!(names.len() <= 2, "{names:?}");
}

#[test]
fn on_the_chromium_fixture_paths_are_real_end_at_a_root_and_cost_no_more_than_devtools() {
    let s = Snapshot::load(
        &common::fixture("chromium-detached"),
        LoadOptions::default(),
        &Progress::NONE,
    )
    .unwrap();
    let detached: Vec<u32> = s
        .summary()
        .iter()
        .filter(|r| r.name.starts_with("Detached "))
        .flat_map(|r| r.nodes.iter().copied().take(20))
        .collect();
    assert!(detached.len() >= 20, "{}", detached.len());
    for &node in &detached {
        let path = explain::explanatory_path(&s, node);
        assert_eq!(path.choice, Choice::Explanatory, "@{}", s.node_id(node));
        // Every hop is a real edge from its object to the one before it.
        let mut below = node;
        for hop in &path.hops {
            assert!(
                s.edges_from(hop.node)
                    .any(|(e, to)| e == hop.edge && to == below),
                "@{}",
                s.node_id(node)
            );
            below = hop.node;
        }
        let end = path.hops.last().map_or(node, |h| h.node);
        assert!(
            s.edges_to(end).iter().any(|&(from, _)| from == s.root()),
            "@{} ends at a root",
            s.node_id(node)
        );
        let shortest = explain::shortest_path(&s, node);
        assert!(
            explain::path_cost(&s, &path.hops) <= explain::path_cost(&s, &shortest),
            "@{}",
            s.node_id(node)
        );
    }
}

#[test]
fn indexed_retaining_edges_equal_the_scanned_ones_on_every_object() {
    // The leak fixture's request cache is an array of hundreds of elements: its members are
    // answered from the index of large sources, everything else by a scan; both must agree
    // edge for edge, in the same order, for every object.
    let s = Snapshot::load(
        &common::fixture("leak-final"),
        LoadOptions::default(),
        &Progress::NONE,
    )
    .unwrap();
    let indexed = heaptui_engine::EdgesTo::new(&s);
    let mut from_large_sources = 0;
    for node in 0..s.node_count() as u32 {
        let scanned = s.edges_to(node);
        assert_eq!(indexed.of(node), scanned, "node {node}");
        from_large_sources += scanned
            .iter()
            .filter(|&&(source, _)| s.edges_from(source).count() > 64)
            .count();
    }
    assert!(from_large_sources > 1000, "{from_large_sources}");
}
