//! Everything the views show, computed once after loading: the Summary rows of each snapshot
//! and, with two snapshots, the Comparison rows (base → after).

use crate::analysis::aggregates::Aggregate;
use crate::analysis::diff::ClassDiff;
use crate::error::{Error, Result};
use crate::snapshot::{self, Snapshot};

/// The loaded snapshots and their views' rows.
pub struct Data {
    /// One snapshot, or `[base, after]`.
    pub snapshots: Vec<Snapshot>,
    /// Summary rows per snapshot (unsorted).
    pub summaries: Vec<Vec<Aggregate>>,
    /// Comparison rows (unsorted), with two snapshots.
    pub comparison: Option<Vec<ClassDiff>>,
}

impl Data {
    /// Builds the views' rows: the comparison (which needs the base mutably, once) overlaps
    /// with the after snapshot's summary.
    pub fn new(mut snapshots: Vec<Snapshot>) -> Result<Data> {
        match snapshots.as_mut_slice() {
            [single] => {
                let summary = single.summary();
                Ok(Data {
                    snapshots,
                    summaries: vec![summary],
                    comparison: None,
                })
            }
            [base, after] => {
                let ((comparison, base_summary), after_summary) = rayon::join(
                    || {
                        let comparison = snapshot::compare(base, after);
                        (comparison, base.summary())
                    },
                    || after.summary(),
                );
                Ok(Data {
                    snapshots,
                    summaries: vec![base_summary, after_summary],
                    comparison: Some(comparison),
                })
            }
            _ => Err(too_many(snapshots.len())),
        }
    }

    /// The warnings of every snapshot, one line each, file name first.
    pub fn warnings(&self) -> Vec<String> {
        self.snapshots
            .iter()
            .flat_map(|s| {
                let file = file_label(s);
                s.warnings.iter().map(move |w| format!("{file}: {w}"))
            })
            .collect()
    }
}

/// The error for anything but one or two snapshots.
pub fn too_many(count: usize) -> Error {
    Error::new(format!(
        "give one snapshot (Summary) or two (base, after: Comparison), not {count}"
    ))
}

/// A snapshot's file name as the views label it (not sanitised).
pub fn file_label(snapshot: &Snapshot) -> String {
    path_label(&snapshot.path)
}

/// The last component of `path`, or the whole path when it has none.
pub fn path_label(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
