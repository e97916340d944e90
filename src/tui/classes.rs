//! The class tables' rows: what each column shows, how rows sort and which objects a class
//! lists when expanded. Summary rows are the library's [`Aggregate`]s, Comparison rows its
//! [`ClassDiff`]s (class-matched Comparison rows are in [`super::changes`]); sorting reuses the
//! CLI's comparators so both front ends agree.

use super::instances::{self, Change, Instance};
use crate::analysis::aggregates::Aggregate;
use crate::analysis::diff::ClassDiff;
use crate::cli::{diff, format, summary};
use crate::graph::Location;
use crate::snapshot::{shown_distance, Snapshot};

/// A numeric column right of the Constructor column.
#[derive(Debug, Clone, Copy)]
pub struct Column<S> {
    /// Header text.
    pub title: &'static str,
    /// Width in terminal columns.
    pub width: usize,
    /// The sort order that sorts by this column, if one does.
    pub sort: Option<S>,
    /// Narrow terminals drop the lowest priorities first.
    pub priority: u8,
}

/// What a row needs to know to format itself: the snapshots and, for Summary, which one.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// All loaded snapshots, oldest first.
    pub snapshots: &'a [Snapshot],
    /// The snapshot a Summary table lists.
    pub snapshot: usize,
}

/// A class row of one of the tables.
pub trait ClassRow: Sized {
    /// The sort orders.
    type Sort: Copy + PartialEq + std::fmt::Debug + 'static;
    /// Sort orders in the order `s` cycles through them.
    const SORTS: &'static [Self::Sort];
    /// DevTools' default order.
    const DEFAULT_SORT: Self::Sort;
    /// The numeric columns, left to right.
    const COLUMNS: &'static [Column<Self::Sort>];
    /// Sorts rows by `by` (ties by name), reversed on request.
    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool);
    /// True when `by` sorts ascending before any reversal.
    fn ascending(by: Self::Sort) -> bool;
    /// `▲` for an ascending order, `▼` for a descending one.
    fn arrow(by: Self::Sort, reverse: bool) -> &'static str {
        if Self::ascending(by) != reverse {
            "▲"
        } else {
            "▼"
        }
    }
    /// The name of a sort order for the status line.
    fn sort_title(by: Self::Sort) -> &'static str;
    /// The Constructor column (unsanitised).
    fn name(&self) -> &str;
    /// The allocation site that splits same-named classes; with the name, unique per row.
    fn location(&self) -> Option<Location>;
    /// Text after the name (Summary's `×count`).
    fn suffix(&self) -> Option<String>;
    /// The numeric cells, one per column.
    fn cells(&self, scope: Scope) -> Vec<String>;
    /// The objects listed when the class is expanded, in display order.
    fn instances(&self, scope: Scope) -> Vec<Instance>;
    /// How many objects [`ClassRow::instances`] lists (without building the list).
    fn instance_count(&self) -> usize;
    /// The numeric cells of an object row.
    fn instance_cells(instance: &Instance, scope: Scope) -> Vec<String>;
    /// The status line's totals of `rows`.
    fn totals<'r>(rows: impl Iterator<Item = &'r Self>) -> String
    where
        Self: 'r;
}

fn retained_cell(snapshot: &Snapshot, retained: u64) -> String {
    let percent = 100.0 * retained as f64 / snapshot.total_size().max(1) as f64;
    format!("{:>8} {:>3.0}%", format::bytes(retained), percent)
}

impl ClassRow for Aggregate {
    type Sort = summary::SortColumn;
    const SORTS: &'static [summary::SortColumn] = &[
        summary::SortColumn::Name,
        summary::SortColumn::Count,
        summary::SortColumn::Distance,
        summary::SortColumn::Shallow,
        summary::SortColumn::Retained,
    ];
    const DEFAULT_SORT: summary::SortColumn = summary::SortColumn::Retained;
    const COLUMNS: &'static [Column<summary::SortColumn>] = &[
        Column {
            title: "Distance",
            width: 8,
            sort: Some(summary::SortColumn::Distance),
            priority: 1,
        },
        Column {
            title: "Shallow Size",
            width: 12,
            sort: Some(summary::SortColumn::Shallow),
            priority: 2,
        },
        Column {
            title: "Retained Size",
            width: 14,
            sort: Some(summary::SortColumn::Retained),
            priority: 3,
        },
    ];

    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool) {
        summary::sort(rows, by, reverse);
    }

    fn ascending(by: Self::Sort) -> bool {
        matches!(
            by,
            summary::SortColumn::Name | summary::SortColumn::Distance
        )
    }

    fn sort_title(by: Self::Sort) -> &'static str {
        match by {
            summary::SortColumn::Name => "Constructor",
            summary::SortColumn::Count => "Count",
            summary::SortColumn::Distance => "Distance",
            summary::SortColumn::Shallow => "Shallow Size",
            summary::SortColumn::Retained => "Retained Size",
        }
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn location(&self) -> Option<Location> {
        self.location
    }

    fn suffix(&self) -> Option<String> {
        Some(format!("×{}", format::count(self.count)))
    }

    fn cells(&self, scope: Scope) -> Vec<String> {
        vec![
            format::distance(shown_distance(self.distance)),
            format::bytes(self.shallow_size),
            retained_cell(&scope.snapshots[scope.snapshot], self.retained_size),
        ]
    }

    fn instances(&self, scope: Scope) -> Vec<Instance> {
        instances::listed(scope.snapshot, &self.nodes, Change::None)
    }

    fn instance_count(&self) -> usize {
        self.nodes.len()
    }

    fn instance_cells(instance: &Instance, scope: Scope) -> Vec<String> {
        let s = &scope.snapshots[instance.snapshot as usize];
        let n = instance.node as usize;
        vec![
            format::distance(s.shown_distance(instance.node)),
            format::bytes(u64::from(s.graph.self_size[n])),
            retained_cell(s, s.analysis.retained[n]),
        ]
    }

    fn totals<'r>(rows: impl Iterator<Item = &'r Self>) -> String {
        let (mut classes, mut objects, mut size) = (0u64, 0u64, 0u64);
        for r in rows {
            classes += 1;
            objects += r.count;
            size += r.shallow_size;
        }
        format!(
            "{} classes · {} objects · {}",
            format::count(classes),
            format::count(objects),
            format::bytes(size)
        )
    }
}

impl ClassRow for ClassDiff {
    type Sort = diff::SortColumn;
    const SORTS: &'static [diff::SortColumn] = &[
        diff::SortColumn::Name,
        diff::SortColumn::New,
        diff::SortColumn::Deleted,
        diff::SortColumn::Delta,
        diff::SortColumn::AllocSize,
        diff::SortColumn::FreedSize,
        diff::SortColumn::SizeDelta,
    ];
    const DEFAULT_SORT: diff::SortColumn = diff::SortColumn::AllocSize;
    const COLUMNS: &'static [Column<diff::SortColumn>] = &[
        Column {
            title: "# New",
            width: 7,
            sort: Some(diff::SortColumn::New),
            priority: 4,
        },
        Column {
            title: "# Deleted",
            width: 9,
            sort: Some(diff::SortColumn::Deleted),
            priority: 2,
        },
        Column {
            title: "# Delta",
            width: 8,
            sort: Some(diff::SortColumn::Delta),
            priority: 6,
        },
        Column {
            title: "Alloc. Size",
            width: 11,
            sort: Some(diff::SortColumn::AllocSize),
            priority: 3,
        },
        Column {
            title: "Freed Size",
            width: 10,
            sort: Some(diff::SortColumn::FreedSize),
            priority: 1,
        },
        Column {
            title: "Size Delta",
            width: 10,
            sort: Some(diff::SortColumn::SizeDelta),
            priority: 5,
        },
    ];

    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool) {
        diff::sort(rows, by, reverse);
    }

    fn ascending(by: Self::Sort) -> bool {
        by == diff::SortColumn::Name
    }

    fn sort_title(by: Self::Sort) -> &'static str {
        match by {
            diff::SortColumn::Name => "Constructor",
            diff::SortColumn::New => "# New",
            diff::SortColumn::Deleted => "# Deleted",
            diff::SortColumn::Delta => "# Delta",
            diff::SortColumn::AllocSize => "Alloc. Size",
            diff::SortColumn::FreedSize => "Freed Size",
            diff::SortColumn::SizeDelta => "Size Delta",
        }
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn location(&self) -> Option<Location> {
        self.location
    }

    fn suffix(&self) -> Option<String> {
        None
    }

    fn cells(&self, _scope: Scope) -> Vec<String> {
        diff::cells(self).to_vec()
    }

    /// New objects (from the after snapshot, the last) first, then deleted ones (from the
    /// base, the first).
    fn instances(&self, scope: Scope) -> Vec<Instance> {
        let after = scope.snapshots.len() - 1;
        let mut list = instances::listed(after, &self.added, Change::New);
        list.extend(instances::listed(0, &self.removed, Change::Deleted));
        list
    }

    fn instance_count(&self) -> usize {
        self.added.len() + self.removed.len()
    }

    /// An object's own size is what it allocated (new) or freed (deleted).
    fn instance_cells(instance: &Instance, scope: Scope) -> Vec<String> {
        let s = &scope.snapshots[instance.snapshot as usize];
        let size = u64::from(s.graph.self_size[instance.node as usize]);
        let (alloc, freed, delta) = match instance.change {
            Change::Deleted => (String::new(), format::bytes(size), -(size as i64)),
            _ => (format::bytes(size), String::new(), size as i64),
        };
        vec![
            String::new(),
            String::new(),
            String::new(),
            alloc,
            freed,
            format::signed_bytes(delta),
        ]
    }

    fn totals<'r>(rows: impl Iterator<Item = &'r Self>) -> String {
        let (mut classes, mut new, mut deleted, mut delta) = (0u64, 0u64, 0u64, 0i64);
        for r in rows {
            classes += 1;
            new += r.added.len() as u64;
            deleted += r.removed.len() as u64;
            delta += r.size_delta();
        }
        format!(
            "{} classes · +{} new · −{} deleted · {}",
            format::count(classes),
            format::count(new),
            format::count(deleted),
            format::signed_bytes(delta)
        )
    }
}
