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
//!
//! The rows come in stages, as their inputs do: [`group`] counts objects and sums shallow sizes
//! (class names and self sizes suffice), [`Grouping::rows`] gives the public rows with their
//! objects, then [`Grouping::distances`] and [`Grouping::class_retained`] the per-row values
//! the later stages of the analysis allow, and [`complete`] joins them.

use super::class_retained::{self, NOT_COUNTED};
use super::dominators::Dominators;
use crate::graph::strings::NewStrings;
use crate::graph::{HeapGraph, Location};
use std::collections::HashMap;
use std::sync::Arc;

/// One Summary row.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// The Constructor column.
    pub name: String,
    /// The allocation site that splits same-named classes, if any.
    pub location: Option<Location>,
    /// Number of objects.
    pub count: u64,
    /// Minimum distance over the objects (DevTools' raw value; 0 until the distances stage).
    pub distance: i32,
    /// Sum of the objects' self sizes.
    pub shallow_size: u64,
    /// Class retained size (`maxRet`; 0 until the dominators stage).
    pub retained_size: u64,
    /// The objects (node ordinals), in node order; shared by the rows of every stage.
    pub nodes: Arc<Vec<u32>>,
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
    /// Strings the analysis added that `graph.strings` does not hold (class names).
    pub new_strings: Option<&'a NewStrings>,
    /// Class string index per node.
    pub classes: &'a [u32],
}

/// The nodes grouped into classes: DevTools' internal rows (counts and shallow sizes) and the
/// row of each node, from which the later stages' per-row values come.
pub struct Grouping {
    rows: Vec<Aggregate>,
    row_of: Vec<u32>,
    /// The internal row each public row is (a later row with the same public key replaces an
    /// earlier one, as a JS object assignment does in DevTools).
    public: Vec<u32>,
}

/// All of the Summary rows at once: grouped, with distances and, given the dominator `tree`,
/// class retained sizes (0 without).
pub fn aggregate(
    inputs: &Inputs,
    filter: Option<&(dyn Fn(u32) -> bool + Sync)>,
    distances: &[i32],
    tree: Option<&Dominators>,
) -> Vec<Aggregate> {
    let grouping = group(inputs, filter);
    let rows = grouping.rows();
    let row_distances = grouping.distances(distances);
    let retained = match tree {
        Some(tree) => grouping.class_retained(tree, None, inputs.self_size),
        None => vec![0; rows.len()],
    };
    complete(&rows, &row_distances, &retained)
}

/// Nodes per grouping task: a task's row caches and its row list are small beside a million
/// nodes' work, and a 20 M-node snapshot still gives both cores many tasks.
const NODES_PER_TASK: usize = 1 << 20;

/// What one row stands for: a class string index, or a location and a class name (DevTools'
/// located keys are strings, so two class indexes of one name at one location share a row).
#[derive(Hash, PartialEq, Eq, Clone, Copy)]
enum RowIdentity<'a> {
    Class(u32),
    Located(Location, &'a str),
}

/// A row as one task found it: its identity and name, and its objects' count and size.
struct TaskRow<'a> {
    identity: RowIdentity<'a>,
    name: &'a str,
    count: u64,
    shallow_size: u64,
}

/// Groups the nodes that pass `filter` into classes: counts and shallow sizes. Needs neither
/// distances nor dominators, so the analysis runs it as soon as the class names are known.
///
/// Runs in parallel tasks over node ranges, each numbering its rows in order of first
/// appearance; the tasks' rows are then merged in node order (a row takes the place of its
/// first appearance in the earliest task, which is its first object's place) and each task's
/// row numbers translated, so rows and numbers are those of one pass in node order.
pub fn group(inputs: &Inputs, filter: Option<&(dyn Fn(u32) -> bool + Sync)>) -> Grouping {
    group_in_tasks(inputs, filter, NODES_PER_TASK)
}

/// [`group`] in tasks of `nodes_per_task` nodes (tests make them small).
pub(crate) fn group_in_tasks(
    inputs: &Inputs,
    filter: Option<&(dyn Fn(u32) -> bool + Sync)>,
    nodes_per_task: usize,
) -> Grouping {
    use rayon::prelude::*;
    let n = inputs.graph.node_count();
    // Row per node (for maxRet, and to fill the rows' node lists at their exact size after).
    // Each task writes every entry of its range, so the array starts as fresh zeroed pages
    // (no fill pass on one core first), first touched by the tasks on every core.
    let mut row_of = vec![0; n];
    let tasks: Vec<Vec<TaskRow>> = row_of
        .par_chunks_mut(nodes_per_task)
        .enumerate()
        .map(|(task, rows)| group_task(inputs, filter, task * nodes_per_task, rows))
        .collect();
    let mut rows: Vec<Aggregate> = Vec::new();
    let mut row_by_identity: HashMap<RowIdentity, u32> = HashMap::new();
    let numbers: Vec<Vec<u32>> = tasks
        .iter()
        .map(|task| {
            task.iter()
                .map(|found| {
                    let id = *row_by_identity.entry(found.identity).or_insert_with(|| {
                        rows.push(Aggregate {
                            name: found.name.to_string(),
                            location: match found.identity {
                                RowIdentity::Located(location, _) => Some(location),
                                RowIdentity::Class(_) => None,
                            },
                            count: 0,
                            distance: 0,
                            shallow_size: 0,
                            retained_size: 0,
                            nodes: Arc::default(),
                        });
                        rows.len() as u32 - 1
                    });
                    let row = &mut rows[id as usize];
                    row.count += found.count;
                    row.shallow_size += found.shallow_size;
                    id
                })
                .collect()
        })
        .collect();
    row_of
        .par_chunks_mut(nodes_per_task)
        .zip(&numbers)
        .for_each(|(task_rows, number)| {
            let unchanged = number.iter().enumerate().all(|(i, &id)| i as u32 == id);
            if !unchanged {
                for id in task_rows.iter_mut().filter(|id| **id != NOT_COUNTED) {
                    *id = number[*id as usize];
                }
            }
        });
    let public = public_keys(&rows);
    Grouping {
        rows,
        row_of,
        public,
    }
}

/// Groups the nodes `first..first + row_of.len()` (DevTools' `buildAggregates` loop over a
/// range): each counted node's row number in the task goes to `row_of` ([`NOT_COUNTED`] for
/// the others), and the task's rows are returned in order of first appearance.
fn group_task<'a>(
    inputs: &Inputs<'a>,
    filter: Option<&(dyn Fn(u32) -> bool + Sync)>,
    first: usize,
    row_of: &mut [u32],
) -> Vec<TaskRow<'a>> {
    let graph = inputs.graph;
    let object = graph.node_kinds.object;
    let mut keys: HashMap<InternalKey, u32> = HashMap::new();
    let mut row_of_class = ClassRows::default();
    let mut by_text: HashMap<(Location, &str), u32> = HashMap::new();
    let mut rows: Vec<TaskRow> = Vec::new();
    let from = graph
        .locations
        .partition_point(|&(at, _)| (at as usize) < first);
    let mut locations = graph.locations[from..].iter().peekable();
    for (node, row) in (first as u32..).zip(row_of.iter_mut()) {
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
            *row = NOT_COUNTED;
            continue;
        }
        let class = inputs.classes[node as usize];
        let located = location.filter(|_| Some(graph.node_type[node as usize]) == object);
        let key = match located {
            Some(loc) => InternalKey::Located(loc, class),
            None => InternalKey::Class(class),
        };
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
                    rows.push(TaskRow {
                        identity: match located {
                            Some(loc) => RowIdentity::Located(loc, name),
                            None => RowIdentity::Class(class),
                        },
                        name,
                        count: 0,
                        shallow_size: 0,
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
        let found = &mut rows[id as usize];
        found.count += 1;
        found.shallow_size += u64::from(size);
        *row = id;
    }
    rows
}

impl Grouping {
    /// The internal rows (counts and shallow sizes) and each node's row, for tests.
    #[cfg(test)]
    pub(crate) fn parts(&self) -> (&[Aggregate], &[u32]) {
        (&self.rows, &self.row_of)
    }

    /// The public rows (DevTools' string keys), each with its objects in node order; distance
    /// and retained size are left at 0.
    pub fn rows(&self) -> Vec<Aggregate> {
        // Node lists sized exactly (no growth slack: a class can hold millions of objects).
        let mut lists: Vec<Vec<u32>> = self
            .rows
            .iter()
            .map(|r| Vec::with_capacity(r.count as usize))
            .collect();
        for (node, &id) in self.row_of.iter().enumerate() {
            if id != NOT_COUNTED {
                lists[id as usize].push(node as u32);
            }
        }
        let mut lists: Vec<Option<Vec<u32>>> = lists.into_iter().map(Some).collect();
        self.public
            .iter()
            .map(|&id| Aggregate {
                nodes: Arc::new(lists[id as usize].take().unwrap_or_default()),
                ..self.rows[id as usize].clone()
            })
            .collect()
    }

    /// Frees the row per node (a word per node) once the rows' objects are out: it is rebuilt
    /// by [`Grouping::restore_rows_per_node`] when the later stages need it, so the classes
    /// stage does not hold it while the dominators hold their working memory.
    pub fn release_rows_per_node(&mut self) {
        self.row_of = Vec::new();
    }

    /// Rebuilds the row per node from `rows`, the public rows [`Grouping::rows`] gave (for a
    /// released grouping of `node_count` nodes). The objects of a row that lost its public key
    /// to a later one stay uncounted: no public row's distance or class retained size depends
    /// on them (a class's sum counts the nodes with it on their dominator path; other classes'
    /// nodes only add themselves to paths).
    pub fn restore_rows_per_node(&mut self, rows: &[Aggregate], node_count: usize) {
        debug_assert_eq!(rows.len(), self.public.len());
        let mut row_of = vec![NOT_COUNTED; node_count];
        for (row, &id) in rows.iter().zip(&self.public) {
            for &node in row.nodes.iter() {
                row_of[node as usize] = id;
            }
        }
        self.row_of = row_of;
    }

    /// The minimum distance over each public row's objects.
    pub fn distances(&self, distances: &[i32]) -> Vec<i32> {
        let mut per_row = vec![i32::MAX; self.rows.len()];
        for (&id, &d) in self.row_of.iter().zip(distances) {
            if id != NOT_COUNTED {
                let min = &mut per_row[id as usize];
                *min = (*min).min(d);
            }
        }
        self.public.iter().map(|&id| per_row[id as usize]).collect()
    }

    /// Each public row's class retained size (`maxRet`) over the dominator `tree`, with the
    /// self sizes the grouping used. `dominator_at`: the position in `tree.dfs_order` of each
    /// position's dominator when the caller has them (the class pass's working memory), else
    /// they are derived from the tree.
    pub fn class_retained(
        &self,
        tree: &Dominators,
        dominator_at: Option<Vec<u32>>,
        self_size: &[u32],
    ) -> Vec<u64> {
        let dominator_at =
            dominator_at.unwrap_or_else(|| class_retained::dominator_positions(tree));
        let sums = class_retained::compute(
            &tree.dfs_order,
            dominator_at,
            &self.row_of,
            self_size,
            self.rows.len(),
        );
        self.public.iter().map(|&id| sums[id as usize]).collect()
    }
}

/// The rows of the classes stage with their per-row distances and class retained sizes (in
/// the same order); the objects are shared, not copied.
pub fn complete(rows: &[Aggregate], distances: &[i32], retained: &[u64]) -> Vec<Aggregate> {
    debug_assert!(rows.len() == distances.len() && rows.len() == retained.len());
    rows.iter()
        .zip(distances.iter().zip(retained))
        .map(|(row, (&distance, &retained_size))| Aggregate {
            distance,
            retained_size,
            ..row.clone()
        })
        .collect()
}

/// DevTools' conversion of internal keys to public string keys: the internal row behind each
/// public row, in order of first appearance; a later row with the same public key replaces an
/// earlier one (a JS object assignment in DevTools).
fn public_keys(rows: &[Aggregate]) -> Vec<u32> {
    let mut slot_of: HashMap<String, usize> = HashMap::new();
    let mut public: Vec<u32> = Vec::with_capacity(rows.len());
    for (id, row) in rows.iter().enumerate() {
        match slot_of.get(&row.key()) {
            Some(&slot) => public[slot] = id as u32,
            None => {
                slot_of.insert(row.key(), public.len());
                public.push(id as u32);
            }
        }
    }
    public
}
