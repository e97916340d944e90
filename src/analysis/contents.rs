//! An object's contents: its outgoing edges, as DevTools' Summary and Containment grids list
//! them when the user expands an object (and the Containment view lists the root's).
//!
//! Source: DevTools `HeapSnapshot.createEdgesProvider` (no options) with
//! `JSHeapSnapshot.containmentEdgesFilter`, sorted by `HeapSnapshotEdgesProvider.sort` with
//! the grids' default comparator `ComparatorConfig('retainedSize', false, '!edgeName', true)`;
//! edge names from `JSHeapSnapshotEdge.name` / `hasStringName`. Invariants:
//! - Filter: only `invisible` edges are hidden; weak, hidden, internal and shortcut edges are
//!   listed. With `all` nothing is hidden (the worker's unfiltered provider).
//! - Order: the target's retained size, largest first; then the edge name: `__proto__` last,
//!   names from strings before index names (element and hidden edges, and shortcut edges whose
//!   name `parseInt` reads as a number), names compared as JS strings (UTF-16 units, so an
//!   index `"10"` sorts before `"2"`); then the edge's position in the file.
//! - Two `__proto__` edges of one object (DevTools' comparator answers "less" both ways there)
//!   fall through to the position; V8 writes at most one.

use crate::graph::HeapGraph;
use crate::util::js::{cmp_utf16, parse_int_prefix};
use std::borrow::Cow;
use std::cmp::Ordering;

/// One row of an expanded object: the edge and the object it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentEdge {
    /// The edge ordinal.
    pub edge: usize,
    /// Its target node.
    pub node: u32,
}

/// How an edge name sorts: DevTools compares `name()` strings, string names first.
struct NameKey<'a> {
    proto: bool,
    from_string: bool,
    text: Cow<'a, str>,
}

fn name_key(graph: &HeapGraph, edge: usize) -> NameKey<'_> {
    if !graph.edge_has_string_name(edge) {
        return NameKey {
            proto: false,
            from_string: false,
            text: Cow::Owned(graph.edge_name[edge].to_string()),
        };
    }
    let name = graph.strings.get(graph.edge_name[edge]);
    if Some(graph.edge_type[edge]) == graph.edge_kinds.shortcut {
        if let Some(number) = parse_int_prefix(name) {
            return NameKey {
                proto: false,
                from_string: false,
                text: Cow::Owned(number),
            };
        }
    }
    NameKey {
        proto: name == "__proto__",
        from_string: true,
        text: Cow::Borrowed(name),
    }
}

fn cmp_names(a: &NameKey, b: &NameKey) -> Ordering {
    match (a.proto, b.proto) {
        (false, true) => return Ordering::Less,
        (true, false) => return Ordering::Greater,
        (true, true) => return Ordering::Equal,
        _ => {}
    }
    match (a.from_string, b.from_string) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => cmp_utf16(&a.text, &b.text),
    }
}

/// True when the contents list shows `edge` (`all` shows every edge).
pub fn is_listed(graph: &HeapGraph, edge: usize, all: bool) -> bool {
    all || Some(graph.edge_type[edge]) != graph.edge_kinds.invisible
}

/// How many edges the contents of `node` list.
pub fn count(graph: &HeapGraph, node: u32, all: bool) -> usize {
    graph
        .edges(node)
        .filter(|&e| is_listed(graph, e, all))
        .count()
}

/// The contents of `node` in DevTools' order; `retained` is the retained size per node.
pub fn contents(graph: &HeapGraph, retained: &[u64], node: u32, all: bool) -> Vec<ContentEdge> {
    // Keys are gathered once: an object can have a hundred thousand edges, and names of
    // element edges would otherwise be formatted at every comparison.
    let mut keyed: Vec<(u64, NameKey, usize)> = graph
        .edges(node)
        .filter(|&e| is_listed(graph, e, all))
        .map(|e| (retained[graph.edge_to[e] as usize], name_key(graph, e), e))
        .collect();
    keyed.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| cmp_names(&a.1, &b.1))
            .then(a.2.cmp(&b.2))
    });
    keyed
        .into_iter()
        .map(|(_, _, edge)| ContentEdge {
            edge,
            node: graph.edge_to[edge],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(proto: bool, from_string: bool, text: &str) -> NameKey<'_> {
        NameKey {
            proto,
            from_string,
            text: Cow::Borrowed(text),
        }
    }

    #[test]
    fn names_sort_like_devtools() {
        let proto = key(true, true, "__proto__");
        let a = key(false, true, "a");
        let ten = key(false, false, "10");
        let two = key(false, false, "2");
        assert_eq!(cmp_names(&a, &proto), Ordering::Less);
        assert_eq!(cmp_names(&ten, &proto), Ordering::Less, "__proto__ is last");
        assert_eq!(cmp_names(&a, &ten), Ordering::Less, "string names first");
        assert_eq!(cmp_names(&ten, &two), Ordering::Less, "indexes as strings");
    }
}
