//! Everything the views show, computed once after loading: the Summary rows of each snapshot;
//! with two or more, the Comparison of the first and the last (by object id when they come from
//! one process, else by class); with three or more, the per-class trend and the leak suspects.

use crate::error::{Error, Result};
use crate::leaks::suspects::{self, Suspect};
use crate::leaks::trend::{self, TrendRow};
use crate::snapshot::{self, Aggregate, Comparison, ComparisonRows, Snapshot};
use rayon::prelude::*;

/// How many suspects the Suspects view ranks.
pub const SUSPECTS: usize = 20;

/// The loaded snapshots and their views' rows.
pub struct Data {
    /// The snapshots, in command-line order (oldest first).
    pub snapshots: Vec<Snapshot>,
    /// Summary rows per snapshot (unsorted), each class's objects by retained size.
    pub summaries: Vec<Vec<Aggregate>>,
    /// The Comparison of the first and the last snapshot, with two or more.
    pub comparison: Option<Comparison>,
    /// Per-class counts across the series, sustained growth first (three or more snapshots).
    pub trend: Option<Vec<TrendRow>>,
    /// Ranked leak suspects (three or more snapshots).
    pub suspects: Option<Vec<Suspect>>,
}

impl Data {
    /// Builds the views' rows: the Comparison overlaps with the Summaries' object orderings.
    pub fn new(snapshots: Vec<Snapshot>) -> Result<Data> {
        let (first, last) = match (snapshots.first(), snapshots.last()) {
            (Some(first), Some(last)) => (first, last),
            _ => return Err(Error::usage("no snapshot to show")),
        };
        let ((mut comparison, series), summaries) = rayon::join(
            || {
                let comparison =
                    (snapshots.len() >= 2).then(|| snapshot::compare(first, last, None));
                (
                    comparison,
                    (snapshots.len() >= 3).then(|| series(&snapshots)),
                )
            },
            || {
                // Object rows are listed by retained size: order every class once, here, so
                // that expanding one (even of millions of objects) costs no keystroke time.
                snapshots
                    .par_iter()
                    .map(|s| {
                        let mut rows = s.summary().to_vec();
                        rows.par_iter_mut()
                            .for_each(|row| s.order_by_retained(&mut row.nodes));
                        rows
                    })
                    .collect::<Vec<_>>()
            },
        );
        if let Some(Comparison {
            rows: ComparisonRows::ById(rows),
            ..
        }) = &mut comparison
        {
            rows.par_iter_mut().for_each(|row| {
                last.order_by_retained(&mut row.added);
                first.order_by_retained(&mut row.removed);
            });
        }
        let (trend, suspects) = series.unzip();
        Ok(Data {
            snapshots,
            summaries,
            comparison,
            trend,
            suspects,
        })
    }

    /// The warnings of every snapshot, one line each, file name first.
    pub fn warnings(&self) -> Vec<String> {
        self.snapshots
            .iter()
            .flat_map(|s| {
                let file = crate::present::labels::file_label(s.path());
                s.warnings().iter().map(move |w| format!("{file}: {w}"))
            })
            .collect()
    }
}

/// The trend (sustained growth first) and the ranked suspects of a series.
fn series(snapshots: &[Snapshot]) -> (Vec<TrendRow>, Vec<Suspect>) {
    let rows = trend::of_series(snapshots);
    let (_, suspects) = suspects::of_series(snapshots, &rows, SUSPECTS);
    let mut sorted = rows;
    trend::sort_by_growth(&mut sorted);
    (sorted, suspects)
}
