//! Per-class counts and sizes across a series of snapshots. All snapshots are classified with
//! the *last* snapshot's interface definitions (as the Comparison view classifies the base with
//! the after snapshot's), so a class has one key across the series.

use heaptui_engine::{Aggregate, Location, Snapshot};
use std::collections::HashMap;

/// One class across the series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendRow {
    /// The Constructor column.
    pub name: String,
    /// The allocation site, for location-split classes.
    pub location: Option<Location>,
    /// Object count per snapshot.
    pub counts: Vec<u64>,
    /// Shallow size per snapshot.
    pub sizes: Vec<u64>,
    /// Class retained size per snapshot.
    pub retained: Vec<u64>,
}

impl TrendRow {
    /// The class key, as [`Aggregate::key`] writes it: one per row across the series.
    pub fn key(&self) -> String {
        match self.location {
            Some(l) => format!("{},{},{},{}", l.script_id, l.line, l.column, self.name),
            None => format!(",{}", self.name),
        }
    }

    /// Intervals in which the object count grew.
    pub fn growing_intervals(&self) -> usize {
        self.counts.windows(2).filter(|w| w[1] > w[0]).count()
    }

    /// True when the count grew in every interval.
    pub fn grew_every_interval(&self) -> bool {
        self.counts.len() > 1 && self.growing_intervals() == self.counts.len() - 1
    }

    /// Count change from the first snapshot to the last.
    pub fn count_delta(&self) -> i64 {
        *self.counts.last().unwrap_or(&0) as i64 - *self.counts.first().unwrap_or(&0) as i64
    }

    /// Shallow size change from the first snapshot to the last.
    pub fn size_delta(&self) -> i64 {
        *self.sizes.last().unwrap_or(&0) as i64 - *self.sizes.first().unwrap_or(&0) as i64
    }
}

/// The per-class trend of a series of snapshots (oldest first), in the order classes are first
/// seen: every snapshot but the last is classified with the last one's interfaces.
pub fn of_series(snapshots: &[Snapshot]) -> Vec<TrendRow> {
    let Some((last, earlier)) = snapshots.split_last() else {
        return Vec::new();
    };
    let earlier: Vec<Vec<Aggregate>> = earlier
        .iter()
        .map(|s| s.summary_with_interfaces(last.interface_definitions()))
        .collect();
    trend(&earlier, last.summary())
}

/// Builds the trend rows from the earlier snapshots' class rows and the last one's Summary
/// (classes missing from a snapshot count 0).
fn trend(earlier: &[Vec<Aggregate>], last: &[Aggregate]) -> Vec<TrendRow> {
    let per_snapshot: Vec<&[Aggregate]> = earlier.iter().map(Vec::as_slice).chain([last]).collect();
    let n = per_snapshot.len();
    let mut rows: Vec<TrendRow> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (i, list) in per_snapshot.iter().enumerate() {
        for a in list.iter() {
            let row = *at.entry(a.key()).or_insert_with(|| {
                rows.push(TrendRow {
                    name: a.name.clone(),
                    location: a.location,
                    counts: vec![0; n],
                    sizes: vec![0; n],
                    retained: vec![0; n],
                });
                rows.len() - 1
            });
            rows[row].counts[i] = a.count;
            rows[row].sizes[i] = a.shallow_size;
            rows[row].retained[i] = a.retained_size;
        }
    }
    rows
}

/// Sorts by sustained growth: classes that grew in every interval first, then by the number of
/// growing intervals, the size growth and the name.
pub fn sort_by_growth(rows: &mut [TrendRow]) {
    rows.sort_by(|a, b| {
        b.grew_every_interval()
            .cmp(&a.grew_every_interval())
            .then(b.growing_intervals().cmp(&a.growing_intervals()))
            .then(b.size_delta().cmp(&a.size_delta()))
            .then_with(|| heaptui_common::util::js::cmp_utf16(&a.name, &b.name))
    });
}
