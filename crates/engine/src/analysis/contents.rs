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
use heaptui_common::util::js::{cmp_utf16, parse_int_prefix};
use rayon::prelude::*;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Objects with more edges than this sort them on every core.
const PARALLEL_SORT: usize = 10_000;

/// One row of an expanded object: the edge and the object it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentEdge {
    /// The edge ordinal.
    pub edge: usize,
    /// Its target node.
    pub node: u32,
}

/// How an edge name sorts: DevTools compares `name()` strings, string names first.
enum NameKey<'a> {
    /// `__proto__`, last of all.
    Proto,
    /// A name from the strings.
    Text(&'a str),
    /// An element or hidden edge's index, as [`index_key`] orders it.
    Index(u64),
    /// A shortcut edge whose name `parseInt` reads as a number (that number's text).
    Number(String),
}

/// A key that orders indexes as their decimal strings do (`"1" < "10" < "2"`): each digit
/// plus one in base 11, left-aligned to the ten digits a `u32` can have, 0 filling the rest
/// (so a prefix sorts first). Element edges are most of a big object's edges; this keeps
/// their names out of the comparisons.
fn index_key(index: u32) -> u64 {
    // The digits, last first.
    let (mut digits, mut len, mut rest) = ([0u8; 10], 0, index);
    loop {
        digits[len] = (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    (0..10).fold(0u64, |key, at| {
        let digit = if at < len {
            u64::from(digits[len - 1 - at]) + 1
        } else {
            0
        };
        key * 11 + digit
    })
}

fn name_key(graph: &HeapGraph, edge: usize) -> NameKey<'_> {
    if !graph.edge_has_string_name(edge) {
        return NameKey::Index(index_key(graph.edge_name[edge]));
    }
    let name = graph.strings.get(graph.edge_name[edge]);
    if Some(graph.edge_type[edge]) == graph.edge_kinds.shortcut {
        if let Some(number) = parse_int_prefix(name) {
            return NameKey::Number(number);
        }
    }
    if name == "__proto__" {
        NameKey::Proto
    } else {
        NameKey::Text(name)
    }
}

/// The text of a name that is not from the strings, for comparing mixed kinds.
fn number_text(key: &NameKey) -> Cow<'static, str> {
    match key {
        NameKey::Index(k) => {
            // Back from the key: the digits are its base-11 places above 0.
            let mut places = Vec::with_capacity(10);
            let mut rest = *k;
            for _ in 0..10 {
                places.push(rest % 11);
                rest /= 11;
            }
            Cow::Owned(
                places
                    .iter()
                    .rev()
                    .filter(|&&d| d > 0)
                    .map(|&d| char::from(b'0' + (d - 1) as u8))
                    .collect(),
            )
        }
        NameKey::Number(text) => Cow::Owned(text.clone()),
        _ => Cow::Borrowed(""),
    }
}

fn cmp_names(a: &NameKey, b: &NameKey) -> Ordering {
    use NameKey::*;
    match (a, b) {
        (Proto, Proto) => Ordering::Equal,
        (_, Proto) => Ordering::Less,
        (Proto, _) => Ordering::Greater,
        (Text(x), Text(y)) => cmp_utf16(x, y),
        (Text(_), _) => Ordering::Less,
        (_, Text(_)) => Ordering::Greater,
        (Index(x), Index(y)) => x.cmp(y),
        _ => number_text(a).cmp(&number_text(b)),
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
    let order = |a: &(u64, NameKey, usize), b: &(u64, NameKey, usize)| {
        b.0.cmp(&a.0)
            .then_with(|| cmp_names(&a.1, &b.1))
            .then(a.2.cmp(&b.2))
    };
    if keyed.len() > PARALLEL_SORT {
        keyed.par_sort_unstable_by(order);
    } else {
        keyed.sort_unstable_by(order);
    }
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

    #[test]
    fn names_sort_like_devtools() {
        let (proto, a) = (NameKey::Proto, NameKey::Text("a"));
        let (ten, two, one) = (
            NameKey::Index(index_key(10)),
            NameKey::Index(index_key(2)),
            NameKey::Index(index_key(1)),
        );
        assert_eq!(cmp_names(&a, &proto), Ordering::Less);
        assert_eq!(cmp_names(&ten, &proto), Ordering::Less, "__proto__ is last");
        assert_eq!(cmp_names(&a, &ten), Ordering::Less, "string names first");
        assert_eq!(cmp_names(&ten, &two), Ordering::Less, "indexes as strings");
        assert_eq!(cmp_names(&one, &ten), Ordering::Less, "a prefix first");
        assert_eq!(
            number_text(&NameKey::Index(index_key(4_294_967_295))),
            "4294967295"
        );
        assert_eq!(number_text(&NameKey::Index(index_key(0))), "0");
        let nine = NameKey::Number("9".to_string());
        assert_eq!(cmp_names(&ten, &nine), Ordering::Less, "mixed: by text");
    }

    #[test]
    fn index_keys_order_like_decimal_strings() {
        let mut numbers: Vec<u32> = (0..2000).chain([u32::MAX, 1_000_000_000]).collect();
        let mut by_text = numbers.clone();
        by_text.sort_by_key(|n| n.to_string());
        numbers.sort_by_key(|&n| index_key(n));
        assert_eq!(numbers, by_text);
    }
}
