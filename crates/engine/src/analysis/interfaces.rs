//! Interface classes for plain objects: `{a, b}` instead of one huge `Object` row.
//!
//! Source: DevTools `HeapSnapshot.inferInterfaceDefinitions` / `applyInterfaceDefinitions`.
//! Invariants:
//! - Plain objects are `object` nodes named `Object`. Each votes for the candidate made of its
//!   `property` edges except `__proto__`, in edge order, names shown with
//!   `formatPropertyName`, stopping before the name would pass 120 UTF-16 units (one property is
//!   always kept). Objects with no properties do not vote.
//! - Candidates with count ≥ max(2, plain objects / 1000) are kept, most popular first (stable).
//! - Each plain object takes the kept definition with the most properties that are all among
//!   its own property names (ties: the earlier definition); with none it stays `Object`.
//!
//! Matching walks a trie of each definition's sorted property names with the object's sorted
//! names. Names that appear in no definition can only prune the walk, never change its result,
//! so they are dropped before sorting.

use crate::graph::strings::NewStrings;
use crate::graph::HeapGraph;
use heaptui_common::util::js::{cmp_utf16, format_property_name, utf16_len};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One inferred interface: its class name and the properties an object needs to match it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceDefinition {
    /// The class name, e.g. `{id, payload}`.
    pub name: String,
    /// Property names, in the order of the objects that voted for it.
    pub properties: Vec<String>,
}

const MAX_INTERFACE_NAME_LENGTH: usize = 120;
const MIN_OBJECT_COUNT_PER_INTERFACE: f64 = 2.0;
const MIN_OBJECT_PROPORTION_PER_INTERFACE: f64 = 1000.0;

/// DevTools' `isPlainJSObject`.
pub fn is_plain_object(graph: &HeapGraph, node: u32) -> bool {
    Some(graph.node_type[node as usize]) == graph.node_kinds.object
        && graph.raw_name(node) == "Object"
}

/// [`is_plain_object`] for passes over every node: compares name string indexes, not texts
/// (a text read per object node is a random read).
struct PlainObjects {
    object_names: Vec<u32>,
}

impl PlainObjects {
    fn find(graph: &HeapGraph) -> PlainObjects {
        PlainObjects {
            object_names: graph.strings.indexes_of("Object"),
        }
    }

    #[inline(always)]
    fn contains(&self, graph: &HeapGraph, node: u32) -> bool {
        let plain = Some(graph.node_type[node as usize]) == graph.node_kinds.object
            && self.object_names.contains(&graph.node_name[node as usize]);
        debug_assert_eq!(plain, is_plain_object(graph, node));
        plain
    }
}

/// Maps keyed by string indexes or texts of this snapshot: looked up per object, with no need
/// for a keyed (DoS-resistant) hash; nothing depends on their iteration order.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Infers the interface definitions of a snapshot.
pub fn infer(graph: &HeapGraph) -> Vec<InterfaceDefinition> {
    struct Candidate {
        properties: Vec<u32>,
        count: u64,
    }
    let property = graph.edge_kinds.property;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut by_name: FastMap<String, usize> = FastMap::default();
    let plain_objects = PlainObjects::find(graph);
    let mut total = 0u64;
    let mut name = String::new();
    let mut props = Vec::new();
    for node in 0..graph.node_count() as u32 {
        if !plain_objects.contains(graph, node) {
            continue;
        }
        total += 1;
        name.clear();
        name.push('{');
        let mut name_len = 1;
        props.clear();
        for e in graph.edges(node) {
            if Some(graph.edge_type[e]) != property {
                continue;
            }
            let edge_name = graph.strings.get(graph.edge_name[e]);
            if edge_name == "__proto__" {
                continue;
            }
            let formatted = format_property_name(edge_name);
            let formatted_len = utf16_len(&formatted);
            if name_len > 1 && name_len + formatted_len > MAX_INTERFACE_NAME_LENGTH {
                break;
            }
            if name_len != 1 {
                name.push_str(", ");
                name_len += 2;
            }
            name.push_str(&formatted);
            name_len += formatted_len;
            props.push(graph.edge_name[e]);
        }
        if props.is_empty() {
            continue;
        }
        name.push('}');
        match by_name.get(name.as_str()) {
            Some(&i) => candidates[i].count += 1,
            None => {
                by_name.insert(name.clone(), candidates.len());
                candidates.push(Candidate {
                    properties: props.clone(),
                    count: 1,
                });
            }
        }
    }
    let mut names: Vec<(String, usize)> = by_name.into_iter().collect();
    names.sort_by_key(|&(_, i)| i);
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| candidates[b].count.cmp(&candidates[a].count));
    let min_count =
        MIN_OBJECT_COUNT_PER_INTERFACE.max(total as f64 / MIN_OBJECT_PROPORTION_PER_INTERFACE);
    order
        .into_iter()
        .take_while(|&i| candidates[i].count as f64 >= min_count)
        .map(|i| InterfaceDefinition {
            name: names[i].0.clone(),
            properties: candidates[i]
                .properties
                .iter()
                .map(|&s| graph.strings.get(s).to_string())
                .collect(),
        })
        .collect()
}

/// A trie over sorted property names (ranks), with the best definition ending at each node.
struct Trie {
    /// Per trie node: children as (property rank, child node), sorted by rank.
    next: Vec<Vec<(u32, u32)>>,
    /// Per trie node: (property count, definition index) of the first definition ending here.
    matched: Vec<Option<(usize, usize)>>,
}

/// Assigns interface classes to plain objects. `classes` is updated in place; interface class
/// names get a string index once (`interface_names` remembers them across calls), new ones
/// through `new`.
pub fn apply(
    graph: &HeapGraph,
    definitions: &[InterfaceDefinition],
    classes: &mut [u32],
    interface_names: &mut HashMap<String, u32>,
    new: &mut NewStrings,
) {
    // Rank every property name by JS string order.
    let mut alphabet: Vec<&str> = definitions
        .iter()
        .flat_map(|d| d.properties.iter().map(String::as_str))
        .collect();
    alphabet.sort_by(|a, b| cmp_utf16(a, b));
    alphabet.dedup();
    let rank_of: FastMap<&str, u32> = alphabet
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i as u32))
        .collect();

    let mut trie = Trie {
        next: vec![Vec::new()],
        matched: vec![None],
    };
    for (index, def) in definitions.iter().enumerate() {
        let mut ranks: Vec<u32> = def.properties.iter().map(|p| rank_of[p.as_str()]).collect();
        ranks.sort_unstable();
        let mut at = 0usize;
        for &r in &ranks {
            at = match trie.next[at].binary_search_by_key(&r, |&(k, _)| k) {
                Ok(i) => trie.next[at][i].1 as usize,
                Err(i) => {
                    let child = trie.next.len();
                    trie.next.push(Vec::new());
                    trie.matched.push(None);
                    trie.next[at].insert(i, (r, child as u32));
                    child
                }
            };
        }
        if trie.matched[at].is_none() {
            trie.matched[at] = Some((ranks.len(), index));
        }
    }
    let def_class: Vec<u32> = definitions
        .iter()
        .map(|d| {
            *interface_names
                .entry(d.name.clone())
                .or_insert_with(|| new.push(d.name.clone()))
        })
        .collect();

    let property = graph.edge_kinds.property;
    let mut rank_cache: FastMap<u32, Option<u32>> = FastMap::default();
    let plain_objects = PlainObjects::find(graph);
    let mut ranks = Vec::new();
    let mut states: Vec<u32> = Vec::new();
    let mut fresh: Vec<u32> = Vec::new();
    for node in 0..graph.node_count() as u32 {
        if !plain_objects.contains(graph, node) {
            continue;
        }
        ranks.clear();
        for e in graph.edges(node) {
            if Some(graph.edge_type[e]) != property {
                continue;
            }
            let s = graph.edge_name[e];
            let rank = *rank_cache
                .entry(s)
                .or_insert_with(|| rank_of.get(graph.strings.get(s)).copied());
            if let Some(r) = rank {
                ranks.push(r);
            }
        }
        ranks.sort_unstable();
        // Best match so far: (property count, definition index); None means `Object`.
        let mut best: Option<(usize, usize)> = None;
        states.clear();
        states.push(0);
        for &r in &ranks {
            fresh.clear();
            for &s in &states {
                if let Ok(i) = trie.next[s as usize].binary_search_by_key(&r, |&(k, _)| k) {
                    let child = trie.next[s as usize][i].1;
                    fresh.push(child);
                    if let Some(m) = trie.matched[child as usize] {
                        best = Some(match best {
                            Some(b) if b.0 > m.0 || (b.0 == m.0 && b.1 <= m.1) => b,
                            _ => m,
                        });
                    }
                }
            }
            for &c in &fresh {
                if !states.contains(&c) {
                    states.push(c);
                }
            }
        }
        classes[node as usize] = match best {
            Some((_, def)) => def_class[def],
            None => graph.node_name[node as usize],
        };
    }
}
