//! The Summary view: objects grouped by class.
//!
//! Source: DevTools `buildAggregates`, `calculateClassesRetainedSize` and
//! `getAggregatesByClassKey`. Invariants:
//! - Only nodes with (redistributed) self size > 0 that pass the filter are counted.
//! - The class key is the location and class name for `object` nodes with a snapshot location
//!   (`"scriptId,line,col,Name"`, so same-named constructors are separate rows), else the class
//!   string index. Keys are then made public as strings (`","` + name for the latter); two
//!   index keys with the same name collide there and the later-created one wins, as in DevTools.
//! - `distance` is the minimum over the class (−5 if any instance is unreachable).
//! - `retained_size` (`maxRet`) sums the retained sizes of the counted instances that have no
//!   dominator ancestor of the same class key, so nested instances are not counted twice (see
//!   `class_retained`).

use super::class_retained::{self, NOT_COUNTED};
use super::dominators::Dominators;
use crate::graph::strings::NewStrings;
use crate::graph::{HeapGraph, Location};
use std::collections::HashMap;

/// One Summary row.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// The Constructor column.
    pub name: String,
    /// The allocation site that splits same-named classes, if any.
    pub location: Option<Location>,
    /// Number of objects.
    pub count: u64,
    /// Minimum distance over the objects (DevTools' raw value).
    pub distance: i32,
    /// Sum of the objects' self sizes.
    pub shallow_size: u64,
    /// Class retained size (`maxRet`).
    pub retained_size: u64,
    /// The objects (node ordinals), in node order.
    pub nodes: Vec<u32>,
}

impl Aggregate {
    /// DevTools' public class key: `"scriptId,line,col,Name"` or `",Name"`.
    pub fn key(&self) -> String {
        match self.location {
            Some(l) => format!("{},{},{},{}", l.script_id, l.line, l.column, self.name),
            None => format!(",{}", self.name),
        }
    }
}

/// DevTools' internal key. Located keys are strings there, so two class indexes with the same
/// name at one location share a row: `Located` maps through the name's text (see `by_text`).
#[derive(Hash, PartialEq, Eq, Clone, Copy)]
enum InternalKey {
    Class(u32),
    Located(Location, u32),
}

/// Row per class string index: a hash map behind a small direct-mapped cache (a Summary has
/// hundreds of classes, a snapshot millions of strings, so a table by string index would cost
/// more memory than the rows).
struct ClassRows {
    cache: Vec<(u32, u32)>,
    rows: HashMap<u32, u32>,
}

/// Slots of the direct-mapped cache: a power of two well above a Summary's few hundred classes,
/// so that collisions are rare, and small enough (32 KiB) to stay in the L1/L2 cache.
const ROW_CACHE_SLOTS: usize = 4096;

impl Default for ClassRows {
    fn default() -> Self {
        ClassRows {
            cache: vec![(u32::MAX, u32::MAX); ROW_CACHE_SLOTS],
            rows: HashMap::new(),
        }
    }
}

impl ClassRows {
    /// The row of `class`, or [`NOT_COUNTED`].
    #[inline]
    fn get(&mut self, class: u32) -> u32 {
        let slot = &mut self.cache[class as usize % ROW_CACHE_SLOTS];
        if slot.0 == class {
            return slot.1;
        }
        match self.rows.get(&class) {
            Some(&row) => {
                *slot = (class, row);
                row
            }
            None => NOT_COUNTED,
        }
    }

    fn insert(&mut self, class: u32, row: u32) {
        self.rows.insert(class, row);
    }
}

/// What aggregation needs to know about a snapshot.
pub struct Inputs<'a> {
    /// The graph.
    pub graph: &'a HeapGraph,
    /// Self size per node (redistributed).
    pub self_size: &'a [u32],
    /// Strings the analysis added that `graph.strings` does not hold yet (class names).
    pub new_strings: Option<&'a NewStrings>,
    /// Class string index per node.
    pub classes: &'a [u32],
    /// Distance per node.
    pub distances: &'a [i32],
    /// The dominator tree, for `maxRet`; `None` leaves class retained sizes at 0.
    pub tree: Option<&'a Dominators>,
}

/// The nodes grouped into rows, before class retained sizes and node lists.
pub struct Grouping {
    rows: Vec<Aggregate>,
    row_of: Vec<u32>,
}

/// Groups the nodes that pass `filter` into classes; returns the rows after DevTools'
/// public-key conversion.
pub fn aggregate(inputs: &Inputs, filter: Option<&dyn Fn(u32) -> bool>) -> Vec<Aggregate> {
    group(inputs, filter).finish(inputs.tree, inputs.self_size)
}

/// The first half of [`aggregate`]: rows with counts, shallow sizes and distances. It needs no
/// dominators, so the analysis runs it while they are being computed.
pub fn group(inputs: &Inputs, filter: Option<&dyn Fn(u32) -> bool>) -> Grouping {
    let graph = inputs.graph;
    let n = graph.node_count();
    let object = graph.node_kinds.object;
    let mut keys: HashMap<InternalKey, u32> = HashMap::new();
    let mut row_of_class = ClassRows::default();
    let mut by_text: HashMap<(Location, &str), u32> = HashMap::new();
    let mut rows: Vec<Aggregate> = Vec::new();
    // Row per node (for maxRet, and to fill the rows' node lists at their exact size after).
    let mut row_of = vec![NOT_COUNTED; n];
    let mut locations = graph.locations.iter().peekable();
    for node in 0..n as u32 {
        let location = loop {
            match locations.peek() {
                Some(&&(at, loc)) if at == node => break Some(loc),
                Some(&&(at, _)) if at < node => {
                    locations.next();
                }
                _ => break None,
            }
        };
        let size = inputs.self_size[node as usize];
        if size == 0 || filter.is_some_and(|f| !f(node)) {
            continue;
        }
        let class = inputs.classes[node as usize];
        let located = location.filter(|_| Some(graph.node_type[node as usize]) == object);
        let key = match located {
            Some(loc) => InternalKey::Located(loc, class),
            None => InternalKey::Class(class),
        };
        let distance = inputs.distances[node as usize];
        // Class keys (most nodes) go through a table by string index, not the hash map.
        let cached = match key {
            InternalKey::Class(c) => row_of_class.get(c),
            InternalKey::Located(..) => NOT_COUNTED,
        };
        let id = match (cached != NOT_COUNTED)
            .then_some(cached)
            .or_else(|| keys.get(&key).copied())
        {
            Some(id) => id,
            None => {
                let name = match inputs.new_strings {
                    Some(new) => new.get(&graph.strings, class),
                    None => graph.strings.get(class),
                };
                let existing = located.and_then(|loc| by_text.get(&(loc, name)).copied());
                let id = existing.unwrap_or_else(|| {
                    rows.push(Aggregate {
                        name: name.to_string(),
                        location: located,
                        count: 0,
                        distance,
                        shallow_size: 0,
                        retained_size: 0,
                        nodes: Vec::new(),
                    });
                    rows.len() as u32 - 1
                });
                if let Some(loc) = located {
                    by_text.insert((loc, name), id);
                }
                match key {
                    InternalKey::Class(c) => row_of_class.insert(c, id),
                    InternalKey::Located(..) => {
                        keys.insert(key, id);
                    }
                }
                id
            }
        };
        let row = &mut rows[id as usize];
        row.count += 1;
        row.distance = row.distance.min(distance);
        row.shallow_size += u64::from(size);
        row_of[node as usize] = id;
    }
    Grouping { rows, row_of }
}

impl Grouping {
    /// The second half of [`aggregate`]: class retained sizes over `tree` (when given; with
    /// the same self sizes as the grouping), node lists, public keys.
    pub fn finish(self, tree: Option<&Dominators>, self_size: &[u32]) -> Vec<Aggregate> {
        let Grouping { mut rows, row_of } = self;
        // Node lists sized exactly (no growth slack: a class can hold millions of objects).
        for row in &mut rows {
            row.nodes.reserve_exact(row.count as usize);
        }
        for (node, &id) in row_of.iter().enumerate() {
            if id != NOT_COUNTED {
                rows[id as usize].nodes.push(node as u32);
            }
        }
        if let Some(tree) = tree {
            let sums = class_retained::compute(tree, row_of, self_size, rows.len());
            for (row, sum) in rows.iter_mut().zip(sums) {
                row.retained_size = sum;
            }
        }
        public_keys(rows)
    }
}

/// Converts internal keys to DevTools' public string keys; a later row replaces an earlier one
/// with the same public key (a JS object assignment in DevTools).
fn public_keys(rows: Vec<Aggregate>) -> Vec<Aggregate> {
    let mut slot_of: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Aggregate> = Vec::with_capacity(rows.len());
    for row in rows {
        match slot_of.get(&row.key()) {
            Some(&slot) => out[slot] = row,
            None => {
                slot_of.insert(row.key(), out.len());
                out.push(row);
            }
        }
    }
    out
}
