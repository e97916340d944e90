//! The Comparison of two snapshots, matched the way their origin allows: by object id within
//! one process (DevTools' Comparison view), by class counts and sizes across processes. The
//! decision ([`Verdict`]) and the rows travel together, so front ends never dispatch on it. It
//! needs only the classes stage of both snapshots.

use super::{ClassChange, ClassDiff, MatchBy, Partial, Verdict};
use crate::analysis::diff::{self, Side};

/// A Comparison: how the snapshots were matched and why, and the rows (unsorted).
pub struct Comparison {
    /// The same-process check's finding; `match_by` is what the rows use.
    pub verdict: Verdict,
    /// The rows of the classes that changed.
    pub rows: ComparisonRows,
}

/// The rows of a [`Comparison`], by the way objects were matched.
pub enum ComparisonRows {
    /// Same process: new and deleted objects per class.
    ById(Vec<ClassDiff>),
    /// Different processes: counts and sizes per class only.
    ByClass(Vec<ClassChange>),
}

/// Compares `base` with `after`: `base` is classified with `after`'s interfaces, as DevTools
/// does. The matching is decided from the snapshots ([`Partial::judge_pair`]) unless `force`
/// gives it.
pub fn compare(base: &Partial, after: &Partial, force: Option<MatchBy>) -> Comparison {
    let mut verdict = base.judge_pair(after);
    if let Some(match_by) = force {
        verdict.match_by = match_by;
    }
    let base_rows = base.class_rows_with_interfaces(after.interface_definitions(), false);
    let after_rows = after.class_rows();
    let rows = match verdict.match_by {
        MatchBy::Id => ComparisonRows::ById(diff::compare(
            Side {
                graph: base.graph(),
                self_size: &base.classes().self_size,
                rows: &base_rows,
            },
            Side {
                graph: after.graph(),
                self_size: &after.classes().self_size,
                rows: after_rows,
            },
        )),
        MatchBy::Class => ComparisonRows::ByClass(diff::compare_by_class(&base_rows, after_rows)),
    };
    Comparison { verdict, rows }
}
