//! The totals of a listing (the status bar's and the text tables' last line), summed in one
//! place for every front end.

use super::format;
use heaptui_engine::{Aggregate, ClassChange, ClassDiff};

/// Totals of Summary rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SummaryTotals {
    /// Classes listed.
    pub classes: u64,
    /// Objects in them.
    pub objects: u64,
    /// Their shallow size.
    pub shallow_size: u64,
}

impl SummaryTotals {
    /// The totals of `rows`.
    pub fn of<'r>(rows: impl IntoIterator<Item = &'r Aggregate>) -> Self {
        rows.into_iter()
            .fold(Self::default(), |t, r| SummaryTotals {
                classes: t.classes + 1,
                objects: t.objects + r.count,
                shallow_size: t.shallow_size + r.shallow_size,
            })
    }

    /// `N classes · X objects · size`.
    pub fn text(&self) -> String {
        format!(
            "{} classes · {} objects · {}",
            format::count(self.classes),
            format::count(self.objects),
            format::bytes(self.shallow_size)
        )
    }
}

/// Totals of id-matched Comparison rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComparisonTotals {
    /// Classes listed.
    pub classes: u64,
    /// New objects in them.
    pub new: u64,
    /// Deleted objects in them.
    pub deleted: u64,
    /// Their size delta.
    pub size_delta: i64,
}

impl ComparisonTotals {
    /// The totals of `rows`.
    pub fn of<'r>(rows: impl IntoIterator<Item = &'r ClassDiff>) -> Self {
        rows.into_iter()
            .fold(Self::default(), |t, r| ComparisonTotals {
                classes: t.classes + 1,
                new: t.new + r.added.len() as u64,
                deleted: t.deleted + r.removed.len() as u64,
                size_delta: t.size_delta + r.size_delta(),
            })
    }

    /// `N classes · +X new · −Y deleted · ±size`.
    pub fn text(&self) -> String {
        format!(
            "{} classes · +{} new · −{} deleted · {}",
            format::count(self.classes),
            format::count(self.new),
            format::count(self.deleted),
            format::signed_bytes(self.size_delta)
        )
    }
}

/// Totals of class-matched Comparison rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeTotals {
    /// Classes listed.
    pub classes: u64,
    /// Their count delta.
    pub count_delta: i64,
    /// Their size delta.
    pub size_delta: i64,
}

impl ChangeTotals {
    /// The totals of `rows`.
    pub fn of<'r>(rows: impl IntoIterator<Item = &'r ClassChange>) -> Self {
        rows.into_iter().fold(Self::default(), |t, r| ChangeTotals {
            classes: t.classes + 1,
            count_delta: t.count_delta + r.count_delta(),
            size_delta: t.size_delta + r.size_delta(),
        })
    }

    /// `matched by class · N classes · ±X objects · ±size`.
    pub fn text(&self) -> String {
        format!(
            "matched by class · {} classes · {} objects · {}",
            format::count(self.classes),
            format::signed_count(self.count_delta),
            format::signed_bytes(self.size_delta)
        )
    }
}
