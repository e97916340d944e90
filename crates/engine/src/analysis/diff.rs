//! The Comparison view: per class, the objects new in the after snapshot and those deleted
//! since the base.
//!
//! Source: DevTools `HeapSnapshotDiffDataGrid.populateChildren`, `aggregatesForDiff`,
//! `calculateSnapshotDiff` and `calculateDiffForClass`. Invariants:
//! - The base is classified with the *after* snapshot's interface definitions, so class keys
//!   line up; classes are matched by public key.
//! - Within a class, objects are matched by snapshot object id (both sides sorted ascending):
//!   an id only in base is deleted, only in after is new, in both is ignored even if its size
//!   changed. An object whose class changed is deleted from one class and new in the other.
//! - Rows without new or deleted objects are left out.

use super::aggregates::Aggregate;
use crate::graph::{HeapGraph, Location};
use std::collections::HashMap;

/// One Comparison row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDiff {
    /// The Constructor column.
    pub name: String,
    /// The allocation site, for location-split classes.
    pub location: Option<Location>,
    /// # New: node ordinals in the after snapshot, by ascending id.
    pub added: Vec<u32>,
    /// # Deleted: node ordinals in the base snapshot, by ascending id.
    pub removed: Vec<u32>,
    /// Alloc. Size.
    pub added_size: u64,
    /// Freed Size.
    pub removed_size: u64,
}

impl ClassDiff {
    /// # Delta.
    pub fn count_delta(&self) -> i64 {
        self.added.len() as i64 - self.removed.len() as i64
    }

    /// Size Delta.
    pub fn size_delta(&self) -> i64 {
        self.added_size as i64 - self.removed_size as i64
    }
}

/// A class's objects sorted by id, with their sizes (DevTools' `AggregateForDiff`).
struct ById {
    nodes: Vec<u32>,
    ids: Vec<u32>,
}

fn sorted_by_id(graph: &HeapGraph, row: &Aggregate) -> ById {
    let mut pairs: Vec<(u32, u32)> = row
        .nodes
        .iter()
        .map(|&n| (graph.node_id[n as usize], n))
        .collect();
    pairs.sort_by_key(|&(id, _)| id);
    ById {
        ids: pairs.iter().map(|p| p.0).collect(),
        nodes: pairs.iter().map(|p| p.1).collect(),
    }
}

/// One snapshot's side of a Comparison: its graph, its (redistributed) self sizes and its
/// class rows.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// The graph (object ids).
    pub graph: &'a HeapGraph,
    /// Self size per node.
    pub self_size: &'a [u32],
    /// The class rows.
    pub rows: &'a [Aggregate],
}

/// Compares `base` rows (classified with the after snapshot's interfaces) with `after` rows.
pub fn compare(base_side: Side, after_side: Side) -> Vec<ClassDiff> {
    let (base, after) = (base_side.rows, after_side.rows);
    let after_by_key: HashMap<String, usize> = after
        .iter()
        .enumerate()
        .map(|(i, r)| (r.key(), i))
        .collect();
    let mut seen_after = vec![false; after.len()];
    let mut out = Vec::new();
    for row in base {
        let matching = after_by_key.get(&row.key()).copied();
        if let Some(i) = matching {
            seen_after[i] = true;
        }
        let after_row = matching.map(|i| &after[i]);
        let name = after_row.map_or(&row.name, |r| &r.name);
        if let Some(d) = diff_class(base_side, Some(row), after_side, after_row, name) {
            out.push(d);
        }
    }
    for (i, row) in after.iter().enumerate() {
        if !seen_after[i] {
            if let Some(d) = diff_class(base_side, None, after_side, Some(row), &row.name) {
                out.push(d);
            }
        }
    }
    out
}

fn diff_class(
    base_side: Side,
    base: Option<&Aggregate>,
    after_side: Side,
    after: Option<&Aggregate>,
    name: &str,
) -> Option<ClassDiff> {
    let empty = ById {
        nodes: Vec::new(),
        ids: Vec::new(),
    };
    let b = base.map_or_else(
        || ById {
            nodes: Vec::new(),
            ids: Vec::new(),
        },
        |r| sorted_by_id(base_side.graph, r),
    );
    let a = after.map_or(empty, |r| sorted_by_id(after_side.graph, r));
    let mut d = ClassDiff {
        name: name.to_string(),
        location: after.or(base).and_then(|r| r.location),
        added: Vec::new(),
        removed: Vec::new(),
        added_size: 0,
        removed_size: 0,
    };
    let (mut i, mut j) = (0, 0);
    while i < b.ids.len() || j < a.ids.len() {
        let take_base = j == a.ids.len() || (i < b.ids.len() && b.ids[i] < a.ids[j]);
        let take_after = i == b.ids.len() || (j < a.ids.len() && b.ids[i] > a.ids[j]);
        if take_base {
            d.removed.push(b.nodes[i]);
            d.removed_size += u64::from(base_side.self_size[b.nodes[i] as usize]);
            i += 1;
        } else if take_after {
            d.added.push(a.nodes[j]);
            d.added_size += u64::from(after_side.self_size[a.nodes[j] as usize]);
            j += 1;
        } else {
            i += 1;
            j += 1;
        }
    }
    if d.added.is_empty() && d.removed.is_empty() {
        None
    } else {
        Some(d)
    }
}

/// One row of a Comparison matched by class (snapshots from different processes): counts and
/// sizes per class, with no new/deleted split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassChange {
    /// The Constructor column.
    pub name: String,
    /// The allocation site, for location-split classes.
    pub location: Option<Location>,
    /// Objects in the base snapshot.
    pub base_count: u64,
    /// Objects in the after snapshot.
    pub after_count: u64,
    /// Their shallow size in the base snapshot.
    pub base_size: u64,
    /// Their shallow size in the after snapshot.
    pub after_size: u64,
}

impl ClassChange {
    /// # Delta.
    pub fn count_delta(&self) -> i64 {
        self.after_count as i64 - self.base_count as i64
    }

    /// Size Delta.
    pub fn size_delta(&self) -> i64 {
        self.after_size as i64 - self.base_size as i64
    }
}

/// Compares class aggregates by public class key; rows whose count and size are unchanged are
/// left out.
pub fn compare_by_class(base: &[Aggregate], after: &[Aggregate]) -> Vec<ClassChange> {
    let mut rows: Vec<ClassChange> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (side, list) in [(0, base), (1, after)] {
        for a in list {
            let i = *at.entry(a.key()).or_insert_with(|| {
                rows.push(ClassChange {
                    name: a.name.clone(),
                    location: a.location,
                    base_count: 0,
                    after_count: 0,
                    base_size: 0,
                    after_size: 0,
                });
                rows.len() - 1
            });
            let row = &mut rows[i];
            if side == 0 {
                row.base_count = a.count;
                row.base_size = a.shallow_size;
            } else {
                row.name = a.name.clone();
                row.after_count = a.count;
                row.after_size = a.shallow_size;
            }
        }
    }
    rows.retain(|r| r.base_count != r.after_count || r.base_size != r.after_size);
    rows
}
