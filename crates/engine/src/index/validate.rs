//! The values of an index whose checksums passed: checksums catch damage, not a file written
//! wrong (a bug in another build's writer, a crafted file in the cache folder, a section
//! rewritten with its checksum recomputed). What the rest of the engine indexes with, or walks
//! until it ends, is checked here once, so a wrong value is a rebuilt index and never a panic
//! or a hang later.
//!
//! Invariants checked (each failure is [`Bad`], naming the array and the value):
//! - the graph: the root is a node; node types are in the header's list, edge types in it or
//!   DevTools' extra `invisible` one; names are strings (edges of element and hidden types hold
//!   numbers instead); `first_edge` starts at 0 and never decreases (its end, the edge count,
//!   is checked by [`contents`](super::contents)); edge targets are nodes; allocation trace ids
//!   are one per node or none; locations name nodes in increasing order; scope tables name
//!   strings and their variable and use ranges fit their tables, depths as the parser checks;
//!   the header's field lists are not empty (their lengths are strides);
//! - the classes: `names` numbers its strings right after the graph's; every class, interned
//!   name and interface name is one of those strings;
//! - the reverse edges: `retainer_first` starts at 0 and never decreases, each node's sources
//!   are nodes in decreasing order, and the (source, target) pairs are exactly the forward
//!   edges' — compared as a sum of keyed hashes, so a crafted file cannot match it;
//! - the dominator tree: every dominator is a node, the root dominates itself, `dfs_order` is a
//!   permutation starting at the root with every node after its dominator (so a walk up the
//!   tree ends at the root); the extra roots are nodes; no retained size exceeds the root's;
//! - the Summary rows (both stages'): each lists at least one object, as many as its count,
//!   each a node.
//!
//! Distances and sizes are only compared and summed, never used as indexes, so they have no
//! bound but the root's retained size.
//!
//! Cost: one parallel pass over each big array; the DFS order is checked in one sequential pass
//! with a bit per node, beside the retainers' check.

use super::contents::Stored;
use super::format::Bad;
use crate::analysis::aggregates::Aggregate;
use crate::graph::HeapGraph;
use heaptui_common::util::bits::{prefetch, BitVec, PREFETCH_AHEAD};
use rayon::prelude::*;
use std::hash::BuildHasher;

/// Nodes (or edges) per parallel task: large enough that scheduling costs nothing, small
/// enough that both cores stay busy to the end.
const PER_TASK: usize = 1 << 16;

/// Checks every value of `stored` the engine relies on (see the module's invariants).
pub fn check(stored: &Stored) -> Result<(), Bad> {
    let g = &stored.graph;
    graph(g)?;
    classes(stored)?;
    let n = g.node_count();
    let (retainers, dominators) = rayon::join(|| retainers(stored), || dominators(stored));
    retainers?;
    dominators?;
    let all_rows = stored.classes.rows.iter().chain(&stored.dominators.summary);
    rows(all_rows, n)
}

/// `check` over the ranges of `PER_TASK` items of `0..len`, in parallel; the first failure
/// found is returned. Checks run over whole ranges so their loops have no early exit and
/// compile to vector code.
fn chunks(
    len: usize,
    check: impl Fn(std::ops::Range<usize>) -> Result<(), Bad> + Sync + Send,
) -> Result<(), Bad> {
    (0..len.div_ceil(PER_TASK))
        .into_par_iter()
        .try_for_each(|c| check(c * PER_TASK..((c + 1) * PER_TASK).min(len)))
}

/// The largest value of `values`, 0 when empty.
fn max(values: &[u32]) -> u32 {
    values.iter().copied().fold(0, u32::max)
}

fn graph(g: &HeapGraph) -> Result<(), Bad> {
    let (n, m) = (g.node_count(), g.edge_count());
    let strings = g.strings.len();
    let h = &g.header;
    if h.node_fields.is_empty() || h.edge_fields.is_empty() {
        return Err(Bad("the header has no node or edge fields".into()));
    }
    if g.root as usize >= n {
        return Err(Bad(format!("the root {} is not one of {n} nodes", g.root)));
    }
    if g.first_edge[0] != 0 {
        return Err(Bad("first_edge does not start at 0".into()));
    }
    let node_types = h.node_types.len();
    chunks(n, |r| {
        let types = g.node_type[r.clone()].iter().copied().fold(0, u8::max);
        if types as usize >= node_types {
            return Err(Bad("node_type holds a type past the header's".into()));
        }
        if max(&g.node_name[r.clone()]) as usize >= strings {
            return Err(Bad("node_name holds a string past the table".into()));
        }
        let offsets = &g.first_edge[r.start..=r.end];
        if offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(Bad("first_edge decreases".into()));
        }
        Ok(())
    })?;
    // DevTools' extra `invisible` edge type comes after the header's.
    let edge_types = h.edge_types.len() + 1;
    let string_named: Vec<bool> = (0..=u8::MAX)
        .map(|t| Some(t) != g.edge_kinds.element && Some(t) != g.edge_kinds.hidden)
        .collect();
    chunks(m, |r| {
        let types = g.edge_type[r.clone()].iter().copied().fold(0, u8::max);
        if types as usize >= edge_types {
            return Err(Bad("edge_type holds a type past the header's".into()));
        }
        if max(&g.edge_to[r.clone()]) as usize >= n {
            return Err(Bad("edge_to holds a node past the node count".into()));
        }
        let named = g.edge_type[r.clone()].iter().zip(&g.edge_name[r]);
        if named.fold(false, |bad, (&t, &name)| {
            bad | (string_named[t as usize] & (name as usize >= strings))
        }) {
            return Err(Bad("edge_name holds a string past the table".into()));
        }
        Ok(())
    })?;
    let traces = g.traces.node_trace.len();
    if traces != 0 && traces != n {
        return Err(Bad(format!("{traces} allocation trace ids for {n} nodes")));
    }
    let mut previous: Option<u32> = None;
    for &(node, _) in &g.locations {
        if node as usize >= n || previous.is_some_and(|p| p >= node) {
            return Err(Bad(format!("a location names node {node}")));
        }
        previous = Some(node);
    }
    scopes(g, strings)
}

/// The scope tables, as the parser checks them (`parse::scopes`).
fn scopes(g: &HeapGraph, strings: usize) -> Result<(), Bad> {
    let s = &g.scopes;
    if let Some(name) = s.var_names.iter().find(|&&name| name as usize >= strings) {
        return Err(Bad(format!("a scope variable names string {name}")));
    }
    let fits = |r: &std::ops::Range<usize>, len: usize| r.start <= r.end && r.end <= len;
    let mut previous: Option<(u32, u32)> = None;
    for (i, row) in s.rows.iter().enumerate() {
        let deepest = match previous {
            Some((script, depth)) if script == row.script_node_index => depth.saturating_add(1),
            _ => 0,
        };
        if row.depth > deepest
            || !fits(&row.vars, s.var_names.len())
            || !fits(&row.uses, s.uses.len())
        {
            return Err(Bad(format!("scope {i} does not fit its tables")));
        }
        previous = Some((row.script_node_index, row.depth));
    }
    Ok(())
}

fn classes(stored: &Stored) -> Result<(), Bad> {
    let g = &stored.graph;
    let c = &stored.classes;
    let (first, added, interned) = c.names.parts();
    if first as usize != g.strings.len() {
        return Err(Bad(format!(
            "the class names start at string {first}, not {}",
            g.strings.len()
        )));
    }
    let names = first as usize + added.len();
    chunks(g.node_count(), |r| {
        if max(&c.classes[r]) as usize >= names {
            return Err(Bad("classes holds a name past the class names".into()));
        }
        Ok(())
    })?;
    let named = interned.values().chain(c.interface_names.values());
    if let Some(name) = named.into_iter().find(|&&i| i as usize >= names) {
        return Err(Bad(format!("a class name is string {name}")));
    }
    Ok(())
}

/// A hash of the edge `source → target` under `key`: summed over all edges, it fingerprints
/// the edges as a multiset. The folded multiply (foldhash's, after wyhash) mixes the two
/// halves non-linearly, so no swap of sources or targets keeps the sum.
fn edge_hash(key: (u64, u64), source: u32, target: u32) -> u64 {
    let x = (u64::from(source) << 32 | u64::from(target)) ^ key.0;
    let product = u128::from(x) * u128::from(key.1);
    (product as u64) ^ (product >> 64) as u64
}

/// The sum of `hash` over the ranges of `PER_TASK` nodes of `0..len`, in parallel; the first
/// failure found is returned.
fn sum(
    len: usize,
    hash: impl Fn(std::ops::Range<usize>) -> Result<u64, Bad> + Sync + Send,
) -> Result<u64, Bad> {
    (0..len.div_ceil(PER_TASK))
        .into_par_iter()
        .map(|c| hash(c * PER_TASK..((c + 1) * PER_TASK).min(len)))
        .try_reduce(|| 0, |a, b| Ok(a.wrapping_add(b)))
}

fn retainers(stored: &Stored) -> Result<(), Bad> {
    let g = &stored.graph;
    let r = stored.dominators.retainers();
    let n = g.node_count();
    if r.first[0] != 0 {
        return Err(Bad("retainer_first does not start at 0".into()));
    }
    // A key of this process only: a file cannot be made to match a hash it cannot know.
    let random = std::collections::hash_map::RandomState::new();
    let key = (random.hash_one(0u64), random.hash_one(1u64) | 1);
    // `first_edge` and `edge_to` are checked: every range is in bounds.
    let forward = sum(n, |nodes| {
        let mut acc = 0u64;
        for v in nodes {
            for &to in &g.edge_to[g.edges(v as u32)] {
                acc = acc.wrapping_add(edge_hash(key, v as u32, to));
            }
        }
        Ok(acc)
    })?;
    let backward = sum(n, |nodes| {
        let offsets = &r.first[nodes.start..=nodes.end];
        if offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(Bad("retainer_first decreases".into()));
        }
        let (mut acc, mut bad) = (0u64, false);
        for (v, w) in nodes.zip(offsets.windows(2)) {
            // In bounds: the offsets rise to the edge count, the length of `sources`.
            let sources = &r.sources[w[0] as usize..w[1] as usize];
            let mut previous = u32::MAX;
            for &source in sources {
                bad |= source > previous || source as usize >= n;
                previous = source;
                acc = acc.wrapping_add(edge_hash(key, source, v as u32));
            }
        }
        if bad {
            return Err(Bad("a node's retainers are out of order".into()));
        }
        Ok(acc)
    })?;
    // Equal sums: the same (source, target) pairs, so every source is a node.
    if forward != backward {
        return Err(Bad("the retainers are not the edges reversed".into()));
    }
    Ok(())
}

fn dominators(stored: &Stored) -> Result<(), Bad> {
    let g = &stored.graph;
    let d = &stored.dominators;
    let tree = &d.dominators;
    let (n, root) = (g.node_count(), g.root);
    if tree.dominator[root as usize] != root || tree.dfs_order.first() != Some(&root) {
        return Err(Bad("the root does not head the dominator tree".into()));
    }
    if let Some(extra) = tree.extra_roots.iter().find(|&&v| v as usize >= n) {
        return Err(Bad(format!("extra root {extra} is not a node")));
    }
    let top = d.retained[root as usize];
    chunks(n, |r| {
        if d.retained[r].iter().any(|&size| size > top) {
            return Err(Bad("a node retains more than the root".into()));
        }
        Ok(())
    })?;
    if tree.dominator.len() != n {
        return Err(Bad(
            "the dominator tree does not have one entry per node".into()
        ));
    }
    dfs_order(&tree.dfs_order, &tree.dominator, root)
}

/// `order` (as long as the nodes, the root first) is a permutation of the nodes in which every
/// node but the root comes after its dominator: one pass with a bit per node, set once seen (a
/// node seen twice, or whose dominator is not yet seen or not a node, fails). Sequential, so it
/// runs beside the retainers' parallel check.
fn dfs_order(order: &[u32], dominator: &[u32], root: u32) -> Result<(), Bad> {
    let n = dominator.len();
    if order.len() != n {
        return Err(Bad("dfs_order is not a permutation of the nodes".into()));
    }
    let mut seen = BitVec::new(n);
    for (i, &v) in order.iter().enumerate() {
        // The dominators are read in the order's sequence, at random: fetch them early.
        if let Some(&ahead) = order.get(i + PREFETCH_AHEAD) {
            prefetch(dominator, ahead as usize);
        }
        let v = v as usize;
        if v >= n || seen.get(v) {
            return Err(Bad("dfs_order is not a permutation of the nodes".into()));
        }
        let above = dominator[v] as usize;
        if v != root as usize && (above >= n || !seen.get(above)) {
            return Err(Bad("a node comes before its dominator in dfs_order".into()));
        }
        seen.set(v);
    }
    Ok(())
}

/// Every row lists its objects: at least one, as many as its count, each a node.
fn rows<'a>(rows: impl Iterator<Item = &'a Aggregate>, n: usize) -> Result<(), Bad> {
    for (i, row) in rows.enumerate() {
        let nodes = &row.nodes;
        if nodes.is_empty() || nodes.len() as u64 != row.count {
            return Err(Bad(format!("Summary row {i} has a wrong count")));
        }
        if nodes.par_iter().any(|&v| v as usize >= n) {
            return Err(Bad(format!("Summary row {i} lists a non-node")));
        }
    }
    Ok(())
}
