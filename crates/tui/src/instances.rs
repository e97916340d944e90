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
    pub snapshot: usize,
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
            snapshot,
            change,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_keeps_a_snapshot_index_past_255() {
        // The index was a `u8` once: snapshot 300 came back as 44 and its rows named objects
        // of another snapshot.
        for snapshot in [255, 256, 300, 1_000] {
            let rows = listed(snapshot, &[7, 9], Change::New);
            assert!(rows.iter().all(|r| r.snapshot == snapshot), "{rows:?}");
        }
    }
}
