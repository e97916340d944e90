//! How Summary and Comparison rows sort: by a column in its natural direction (sizes and
//! counts largest first, names and distances smallest first), ties by name in DevTools' order
//! (UTF-16 code units), and the whole order reversible.

use heaptui_common::util::js::cmp_utf16;
use heaptui_engine::{Aggregate, ClassChange, ClassDiff};
use std::borrow::Borrow;
use std::cmp::Ordering;

/// The Summary's sort columns.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummarySort {
    /// Constructor, A to Z.
    Name,
    /// Distance from the GC roots, nearest first.
    Distance,
    /// Object count, most first.
    Count,
    /// Shallow size, largest first.
    Shallow,
    /// Retained size, largest first (DevTools' default).
    Retained,
}

/// The Comparison's sort columns.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComparisonSort {
    /// Constructor, A to Z.
    Name,
    /// # New, most first.
    New,
    /// # Deleted, most first.
    Deleted,
    /// # Delta, largest growth first.
    Delta,
    /// Alloc. Size, largest first (DevTools' default).
    AllocSize,
    /// Freed Size, largest first.
    FreedSize,
    /// Size Delta, largest growth first.
    SizeDelta,
}

impl SummarySort {
    /// True when the column sorts ascending before any reversal.
    pub fn ascending(self) -> bool {
        matches!(self, SummarySort::Name | SummarySort::Distance)
    }

    /// The column's title.
    pub fn title(self) -> &'static str {
        match self {
            SummarySort::Name => "Constructor",
            SummarySort::Count => "Count",
            SummarySort::Distance => "Distance",
            SummarySort::Shallow => "Shallow Size",
            SummarySort::Retained => "Retained Size",
        }
    }
}

impl ComparisonSort {
    /// True when the column sorts ascending before any reversal.
    pub fn ascending(self) -> bool {
        self == ComparisonSort::Name
    }

    /// The column's title.
    pub fn title(self) -> &'static str {
        match self {
            ComparisonSort::Name => "Constructor",
            ComparisonSort::New => "# New",
            ComparisonSort::Deleted => "# Deleted",
            ComparisonSort::Delta => "# Delta",
            ComparisonSort::AllocSize => "Alloc. Size",
            ComparisonSort::FreedSize => "Freed Size",
            ComparisonSort::SizeDelta => "Size Delta",
        }
    }
}

/// Sorts rows by `primary`, then by name in DevTools' order; `reverse` flips the whole order.
fn sort_rows<T>(
    rows: &mut [T],
    name: impl Fn(&T) -> &str,
    reverse: bool,
    primary: impl Fn(&T, &T) -> Ordering,
) {
    rows.sort_by(|a, b| {
        let order = primary(a, b).then_with(|| cmp_utf16(name(a), name(b)));
        if reverse {
            order.reverse()
        } else {
            order
        }
    });
}

/// Sorts Summary rows (or references to them) by `column`.
pub fn summary<R: Borrow<Aggregate>>(rows: &mut [R], column: SummarySort, reverse: bool) {
    sort_rows(
        rows,
        |row| &row.borrow().name,
        reverse,
        |a, b| {
            let (a, b): (&Aggregate, &Aggregate) = (a.borrow(), b.borrow());
            match column {
                SummarySort::Name => Ordering::Equal,
                SummarySort::Distance => a.distance.cmp(&b.distance),
                SummarySort::Count => b.count.cmp(&a.count),
                SummarySort::Shallow => b.shallow_size.cmp(&a.shallow_size),
                SummarySort::Retained => b.retained_size.cmp(&a.retained_size),
            }
        },
    );
}

/// Sorts id-matched Comparison rows by `column`.
pub fn comparison(rows: &mut [ClassDiff], column: ComparisonSort, reverse: bool) {
    sort_rows(
        rows,
        |row| &row.name,
        reverse,
        |a, b| match column {
            ComparisonSort::Name => Ordering::Equal,
            ComparisonSort::New => b.added.len().cmp(&a.added.len()),
            ComparisonSort::Deleted => b.removed.len().cmp(&a.removed.len()),
            ComparisonSort::Delta => b.count_delta().cmp(&a.count_delta()),
            ComparisonSort::AllocSize => b.added_size.cmp(&a.added_size),
            ComparisonSort::FreedSize => b.removed_size.cmp(&a.removed_size),
            ComparisonSort::SizeDelta => b.size_delta().cmp(&a.size_delta()),
        },
    );
}

/// Sorts class-matched Comparison rows; the columns without a meaning there (new, deleted,
/// allocated, freed) sort by the count or size delta they stand for.
pub fn changes(rows: &mut [ClassChange], column: ComparisonSort, reverse: bool) {
    sort_rows(
        rows,
        |row| &row.name,
        reverse,
        |a, b| match column {
            ComparisonSort::Name => Ordering::Equal,
            ComparisonSort::Delta | ComparisonSort::New | ComparisonSort::Deleted => {
                b.count_delta().cmp(&a.count_delta())
            }
            _ => b.size_delta().cmp(&a.size_delta()),
        },
    );
}

/// True when `name` passes DevTools' class filter (case-insensitive substring).
pub fn matches_filter(name: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| name.to_lowercase().contains(&f.to_lowercase()))
}
