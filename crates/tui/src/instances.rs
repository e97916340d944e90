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

/// One object row under a class: 12 bytes, for classes of millions of objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instance {
    /// The node ordinal in its snapshot.
    pub node: u32,
    /// Index of its snapshot in the app's snapshot list ([`Instance::snapshot`]); a `u32`
    /// like the node, not a `usize`, which would make every row 16 bytes.
    snapshot: u32,
    /// Comparison marker.
    pub change: Change,
}

impl Instance {
    /// Object `node` of snapshot number `snapshot`.
    pub fn new(node: u32, snapshot: usize, change: Change) -> Instance {
        Instance {
            node,
            snapshot: u32::try_from(snapshot).expect("fewer than 2³² snapshots are loaded"),
            change,
        }
    }

    /// Index of its snapshot in the app's snapshot list.
    pub fn snapshot(&self) -> usize {
        self.snapshot as usize
    }
}

/// `nodes` of snapshot number `snapshot` (already in `Snapshot::order_by_retained`'s order) as
/// instance rows.
pub fn listed(snapshot: usize, nodes: &[u32], change: Change) -> Vec<Instance> {
    nodes
        .par_iter()
        .map(|&node| Instance::new(node, snapshot, change))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_is_twelve_bytes() {
        assert_eq!(std::mem::size_of::<Instance>(), 12);
    }

    #[test]
    fn an_instance_keeps_a_snapshot_index_past_255() {
        // The index was a `u8` once: snapshot 300 came back as 44 and its rows named objects
        // of another snapshot.
        for snapshot in [255, 256, 300, 1_000] {
            let rows = listed(snapshot, &[7, 9], Change::New);
            assert!(rows.iter().all(|r| r.snapshot() == snapshot), "{rows:?}");
        }
    }
}
