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
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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

/// Nodes per task of the parallel passes over the nodes: enough that each task's caches of
/// property names pay off, few enough that both cores share the work evenly.
const NODES_PER_TASK: usize = 1 << 16;

/// [`is_plain_object`] for many nodes: compares name indexes with those of `Object` instead of
/// reading each node's name.
struct PlainObjects {
    names: Vec<u32>,
}

impl PlainObjects {
    fn of(graph: &HeapGraph) -> PlainObjects {
        let names = match graph.node_kinds.object {
            Some(_) => graph.strings.indexes_of("Object"),
            None => Vec::new(),
        };
        PlainObjects { names }
    }

    #[inline]
    fn contains(&self, graph: &HeapGraph, node: u32) -> bool {
        let plain = Some(graph.node_type[node as usize]) == graph.node_kinds.object
            && self.names.contains(&graph.node_name[node as usize]);
        debug_assert_eq!(plain, is_plain_object(graph, node));
        plain
    }
}

/// Maps keyed by string indexes or texts of this snapshot: looked up per object, with no need
/// for a keyed (DoS-resistant) hash; nothing depends on their iteration order.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The nodes of one parallel task.
fn task_nodes(graph: &HeapGraph, task: usize) -> std::ops::Range<u32> {
    let start = task * NODES_PER_TASK;
    start as u32..(start + NODES_PER_TASK).min(graph.node_count()) as u32
}

/// A candidate interface and how many plain objects voted for it.
struct Candidate {
    name: String,
    properties: Vec<u32>,
    count: u64,
}

/// The votes of some plain objects: candidates in order of their first voter, and how many
/// plain objects there were.
#[derive(Default)]
struct Tally {
    candidates: Vec<Candidate>,
    plain_objects: u64,
}

impl Tally {
    /// Adds `count` votes for `name` (whose first voter has `properties`).
    fn vote(
        &mut self,
        by_name: &mut FastMap<String, usize>,
        name: &str,
        properties: &[u32],
        count: u64,
    ) {
        match by_name.get(name) {
            Some(&i) => self.candidates[i].count += count,
            None => {
                by_name.insert(name.to_string(), self.candidates.len());
                self.candidates.push(Candidate {
                    name: name.to_string(),
                    properties: properties.to_vec(),
                    count,
                });
            }
        }
    }
}

/// The votes of the plain objects among `nodes`.
fn tally(graph: &HeapGraph, plain: &PlainObjects, nodes: std::ops::Range<u32>) -> Tally {
    let property = graph.edge_kinds.property;
    let mut tally = Tally::default();
    let mut by_name = HashMap::default();
    // Property names repeat across objects: each is formatted once per task (`None` for
    // `__proto__`, which does not count).
    let mut formatted: FastMap<u32, Option<(Cow<str>, usize)>> = FastMap::default();
    let mut name = String::new();
    let mut props = Vec::new();
    for node in nodes {
        if !plain.contains(graph, node) {
            continue;
        }
        tally.plain_objects += 1;
        name.clear();
        name.push('{');
        let mut name_len = 1;
        props.clear();
        for e in graph.edges(node) {
            if Some(graph.edge_type[e]) != property {
                continue;
            }
            let edge_name = graph.edge_name[e];
            let Some((text, text_len)) = formatted.entry(edge_name).or_insert_with(|| {
                let raw = graph.strings.get(edge_name);
                (raw != "__proto__").then(|| {
                    let text = format_property_name(raw);
                    let len = utf16_len(&text);
                    (text, len)
                })
            }) else {
                continue;
            };
            if name_len > 1 && name_len + *text_len > MAX_INTERFACE_NAME_LENGTH {
                break;
            }
            if name_len != 1 {
                name.push_str(", ");
                name_len += 2;
            }
            name.push_str(text);
            name_len += *text_len;
            props.push(edge_name);
        }
        if props.is_empty() {
            continue;
        }
        name.push('}');
        tally.vote(&mut by_name, &name, &props, 1);
    }
    tally
}

/// Infers the interface definitions of a snapshot. The nodes are tallied in parallel tasks,
/// merged in node order, so candidates keep the order of their first voter.
pub fn infer(graph: &HeapGraph) -> Vec<InterfaceDefinition> {
    let plain = PlainObjects::of(graph);
    let tasks = graph.node_count().div_ceil(NODES_PER_TASK);
    let tallies: Vec<Tally> = (0..tasks)
        .into_par_iter()
        .map(|task| tally(graph, &plain, task_nodes(graph, task)))
        .collect();
    let mut all = Tally::default();
    let mut by_name = HashMap::default();
    for part in tallies {
        all.plain_objects += part.plain_objects;
        for c in part.candidates {
            all.vote(&mut by_name, &c.name, &c.properties, c.count);
        }
    }
    let candidates = all.candidates;
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| candidates[b].count.cmp(&candidates[a].count));
    let min_count = MIN_OBJECT_COUNT_PER_INTERFACE
        .max(all.plain_objects as f64 / MIN_OBJECT_PROPORTION_PER_INTERFACE);
    order
        .into_iter()
        .take_while(|&i| candidates[i].count as f64 >= min_count)
        .map(|i| InterfaceDefinition {
            name: candidates[i].name.clone(),
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
    let plain = PlainObjects::of(graph);
    let (trie, rank_of, def_class) = (&trie, &rank_of, &def_class);
    classes
        .par_chunks_mut(NODES_PER_TASK)
        .enumerate()
        .for_each(|(task, classes)| {
            let mut rank_cache: FastMap<u32, Option<u32>> = FastMap::default();
            let mut ranks = Vec::new();
            let mut states: Vec<u32> = Vec::new();
            let mut fresh: Vec<u32> = Vec::new();
            for (class, node) in classes.iter_mut().zip(task_nodes(graph, task)) {
                if !plain.contains(graph, node) {
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
                        let next = &trie.next[s as usize];
                        if let Ok(i) = next.binary_search_by_key(&r, |&(k, _)| k) {
                            let child = next[i].1;
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
                *class = match best {
                    Some((_, def)) => def_class[def],
                    None => graph.node_name[node as usize],
                };
            }
        });
}
