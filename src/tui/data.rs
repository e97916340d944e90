//! Everything the views show, computed once after loading: the Summary rows of each snapshot;
//! with two or more, the Comparison of the first and the last (by object id when they come from
//! one process, else by class); with three or more, the per-class trend and the leak suspects.

use crate::analysis::aggregates::Aggregate;
use crate::analysis::diff::{ClassChange, ClassDiff};
use crate::analysis::identity::{MatchBy, Verdict};
use crate::error::{Error, Result};
use crate::leaks::suspects::Suspect;
use crate::leaks::trend::{self, TrendRow};
use crate::snapshot::{self, Snapshot};
use crate::tui::instances;
use rayon::prelude::*;

/// How many suspects the Suspects view ranks.
pub const SUSPECTS: usize = 20;

/// The Comparison rows of the first and the last snapshot (unsorted).
pub enum Comparison {
    /// Same process: new and deleted objects per class.
    ById(Vec<ClassDiff>),
    /// Different processes: counts and sizes per class only.
    ByClass(Vec<ClassChange>),
}

/// The loaded snapshots and their views' rows.
pub struct Data {
    /// The snapshots, in command-line order (oldest first).
    pub snapshots: Vec<Snapshot>,
    /// Summary rows per snapshot (unsorted).
    pub summaries: Vec<Vec<Aggregate>>,
    /// How the first and the last snapshot match, with two or more.
    pub verdict: Option<Verdict>,
    /// The Comparison rows, with two or more snapshots.
    pub comparison: Option<Comparison>,
    /// Per-class counts across the series, sustained growth first (three or more snapshots).
    pub trend: Option<Vec<TrendRow>>,
    /// Ranked leak suspects (three or more snapshots).
    pub suspects: Option<Vec<Suspect>>,
}

impl Data {
    /// Builds the views' rows: the comparison (which needs the first snapshot mutably, once)
    /// overlaps with the other snapshots' summaries.
    pub fn new(mut snapshots: Vec<Snapshot>) -> Result<Data> {
        let Some((first, rest)) = snapshots.split_first_mut() else {
            return Err(Error::new("no snapshot to show"));
        };
        let rest: &[Snapshot] = rest;
        let verdict = rest.last().map(|last| snapshot::judge_pair(first, last));
        let ((mut comparison, first_summary), rest_summaries) = rayon::join(
            || {
                let comparison =
                    rest.last()
                        .zip(verdict.as_ref())
                        .map(|(last, v)| match v.match_by {
                            MatchBy::Id => Comparison::ById(snapshot::compare(first, last)),
                            MatchBy::Class => {
                                Comparison::ByClass(snapshot::compare_by_class(first, last))
                            }
                        });
                (comparison, first.summary().to_vec())
            },
            || {
                rest.par_iter()
                    .map(|s| s.summary().to_vec())
                    .collect::<Vec<_>>()
            },
        );
        let mut summaries = vec![first_summary];
        summaries.extend(rest_summaries);
        // Trend and suspects read the last Summary in node order, as the CLI does: before the
        // instance ordering below.
        let (trend, suspects) = if snapshots.len() >= 3 {
            let last_rows = summaries.last().expect("three or more snapshots");
            let rows = trend::trend(&trend::earlier_class_rows(&mut snapshots), last_rows);
            let (_, suspects) =
                crate::cli::series::suspects_of(&snapshots, last_rows, &rows, SUSPECTS);
            let mut sorted = rows;
            trend::sort_by_growth(&mut sorted);
            (Some(sorted), Some(suspects))
        } else {
            (None, None)
        };
        // Instance rows are listed by retained size: order every class once, here, so that
        // expanding one (even of millions of objects) costs no keystroke time.
        for (snapshot, rows) in snapshots.iter().zip(summaries.iter_mut()) {
            rows.par_iter_mut()
                .for_each(|row| instances::order(snapshot, &mut row.nodes));
        }
        if let Some(Comparison::ById(rows)) = &mut comparison {
            let (first, last) = (&snapshots[0], &snapshots[snapshots.len() - 1]);
            rows.par_iter_mut().for_each(|row| {
                instances::order(last, &mut row.added);
                instances::order(first, &mut row.removed);
            });
        }
        Ok(Data {
            snapshots,
            summaries,
            verdict,
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
                let file = file_label(s);
                s.warnings.iter().map(move |w| format!("{file}: {w}"))
            })
            .collect()
    }
}

/// A snapshot's file name as the views label it (not sanitised).
pub fn file_label(snapshot: &Snapshot) -> String {
    path_label(&snapshot.path)
}

/// The last component of `path`, or the whole path when it has none ("standard input" for
/// `-`).
pub fn path_label(path: &std::path::Path) -> String {
    match path.file_name() {
        Some(name) if path != std::path::Path::new(crate::parse::input::STDIN) => {
            name.to_string_lossy().into_owned()
        }
        _ => crate::error::input_name(path),
    }
}
