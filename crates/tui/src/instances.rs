//! The objects listed under an expanded class.
//!
//! A class can hold millions of objects, so an instance is only an ordinal and the snapshot it
//! lives in; names are computed for the rows on screen, never for the whole list.

use rayon::prelude::*;

/// Whether an object is new in the after snapshot or deleted since the base (Comparison).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A Summary instance.
    None,
    /// In the after snapshot only (`+`).
    New,
    /// In the base snapshot only (`−`).
    Deleted,
}

/// One object row under a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance {
    /// The node ordinal in its snapshot.
    pub node: u32,
    /// Index of its snapshot in the app's snapshot list.
    pub snapshot: u8,
    /// Comparison marker.
    pub change: Change,
}

/// `nodes` of snapshot number `snapshot` (already in `Snapshot::order_by_retained`'s order) as
/// instance rows.
pub fn listed(snapshot: usize, nodes: &[u32], change: Change) -> Vec<Instance> {
    nodes
        .par_iter()
        .map(|&node| Instance {
            node,
            snapshot: snapshot as u8,
            change,
        })
        .collect()
}
