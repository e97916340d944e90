//! What the views show, in the stages it becomes available:
//!
//! 1. [`Early`], once every snapshot's classes are known: the Comparison of the first and the
//!    last snapshot (by object id within one process, else by class) and each Summary's
//!    counts and shallow sizes. This is the first frame.
//! 2. [`Numbers`], once every snapshot is complete: the Summaries with distances and retained
//!    sizes and, with three or more snapshots, the per-class trend and the leak suspects.
//! 3. [`Orders`]: every class's objects in the order the object rows list them (retained size
//!    first), so that expanding a class of millions costs no keystroke time.
//!
//! [`Data::new`] builds all three at once from complete snapshots (tests, benches); the
//! loader builds them one by one in the background while the views are already up.

use heaptui_common::error::{Error, Result};
use heaptui_engine::{Aggregate, ClassDiff, Comparison, ComparisonRows, Partial, Snapshot};
use heaptui_leaks::suspects::{self, Suspect};
use heaptui_leaks::trend::{self, TrendRow};
use rayon::prelude::*;
use std::sync::Arc;

/// How many suspects the Suspects view ranks.
pub const SUSPECTS: usize = 20;

/// The first frame's data.
pub struct Early {
    /// The snapshots, in command-line order (oldest first), each with its classes.
    pub snapshots: Vec<Partial>,
    /// Each snapshot's Summary rows of the classes stage (unsorted; distance and retained
    /// size not yet known).
    pub class_rows: Vec<Vec<Aggregate>>,
    /// The Comparison of the first and the last snapshot, with two or more.
    pub comparison: Option<Comparison>,
}

/// The numbers of the complete snapshots.
pub struct Numbers {
    /// The complete snapshots, in the same order.
    pub snapshots: Vec<Snapshot>,
    /// Each snapshot's Summary rows, every column filled (unsorted).
    pub summaries: Vec<Vec<Aggregate>>,
    /// Per-class counts across the series, sustained growth first (three or more snapshots).
    pub trend: Option<Vec<TrendRow>>,
    /// Ranked leak suspects (three or more snapshots).
    pub suspects: Option<Vec<Suspect>>,
}

/// Object rows in their listing order.
pub struct Orders {
    /// Each snapshot's Summary rows with every class's objects by retained size.
    pub summaries: Vec<Vec<Aggregate>>,
    /// The id-matched Comparison's rows with new and deleted objects by retained size.
    pub comparison: Option<Vec<ClassDiff>>,
}

/// All of it at once.
pub struct Data {
    /// The first frame's data.
    pub early: Early,
    /// The complete numbers.
    pub numbers: Numbers,
    /// The listing orders.
    pub orders: Orders,
}

impl Data {
    /// Builds every stage's data from complete snapshots (oldest first).
    pub fn new(snapshots: Vec<Snapshot>) -> Result<Data> {
        let partials: Vec<Partial> = snapshots.iter().map(|s| Partial::clone(s)).collect();
        let early = Early::new(partials)?;
        let numbers = Numbers::new(snapshots);
        let by_id = match early.comparison.as_ref().map(|c| &c.rows) {
            Some(ComparisonRows::ById(rows)) => Some(rows.as_slice()),
            _ => None,
        };
        let orders = Orders::new(&numbers.snapshots, &numbers.summaries, by_id);
        Ok(Data {
            early,
            numbers,
            orders,
        })
    }
}

impl Early {
    /// The first frame's data: the snapshots' class rows and the Comparison of the first and
    /// the last.
    pub fn new(snapshots: Vec<Partial>) -> Result<Early> {
        let (first, last) = match (snapshots.first(), snapshots.last()) {
            (Some(first), Some(last)) => (first, last),
            _ => return Err(Error::usage("no snapshot to show")),
        };
        let comparison = (snapshots.len() >= 2).then(|| heaptui_engine::compare(first, last, None));
        let class_rows = snapshots.iter().map(|s| s.class_rows().to_vec()).collect();
        Ok(Early {
            snapshots,
            class_rows,
            comparison,
        })
    }

    /// The warnings of every snapshot, one line each, file name first.
    pub fn warnings(&self) -> Vec<String> {
        self.snapshots
            .iter()
            .flat_map(|s| {
                let file = heaptui_present::labels::file_label(s.path());
                s.warnings().iter().map(move |w| format!("{file}: {w}"))
            })
            .collect()
    }
}

impl Numbers {
    /// The complete Summaries and, for a series, the trend and the suspects.
    pub fn new(snapshots: Vec<Snapshot>) -> Numbers {
        let summaries = snapshots.iter().map(|s| s.summary().to_vec()).collect();
        let (trend, suspects) = if snapshots.len() >= 3 {
            let (trend, suspects) = series(&snapshots);
            (Some(trend), Some(suspects))
        } else {
            (None, None)
        };
        Numbers {
            snapshots,
            summaries,
            trend,
            suspects,
        }
    }
}

/// The per-class trend (sustained growth first) and the ranked leak suspects of `snapshots`
/// (two or more, oldest first): for a series when its numbers land, for a pair in a
/// background job.
pub fn series(snapshots: &[Snapshot]) -> (Vec<TrendRow>, Vec<Suspect>) {
    let rows = trend::of_series(snapshots);
    let (_, suspects) = suspects::of_series(snapshots, &rows, SUSPECTS);
    let mut sorted = rows;
    trend::sort_by_growth(&mut sorted);
    (sorted, suspects)
}

impl Orders {
    /// Every class's objects by retained size, for the `summaries` of complete `snapshots` and
    /// the id-matched `comparison` rows (of the first and the last snapshot).
    pub fn new(
        snapshots: &[Snapshot],
        summaries: &[Vec<Aggregate>],
        comparison: Option<&[ClassDiff]>,
    ) -> Orders {
        let summaries = snapshots
            .par_iter()
            .zip(summaries)
            .map(|(s, rows)| {
                rows.par_iter()
                    .map(|row| {
                        let mut nodes = row.nodes.to_vec();
                        s.order_by_retained(&mut nodes);
                        Aggregate {
                            nodes: Arc::new(nodes),
                            ..row.clone()
                        }
                    })
                    .collect()
            })
            .collect();
        let comparison = comparison.map(|rows| {
            let (first, last) = (&snapshots[0], &snapshots[snapshots.len() - 1]);
            rows.par_iter()
                .map(|row| {
                    let mut row = row.clone();
                    last.order_by_retained(&mut row.added);
                    first.order_by_retained(&mut row.removed);
                    row
                })
                .collect()
        });
        Orders {
            summaries,
            comparison,
        }
    }
}
