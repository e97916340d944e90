//! The class tables' rows: what each column shows, how rows sort and which objects a class
//! lists when expanded. Summary rows are the library's [`Aggregate`]s, Comparison rows its
//! [`ClassDiff`]s (class-matched Comparison rows are in [`super::changes`]); sorts, cells and
//! totals come from the presentation layer, so both front ends agree.

use super::instances::{self, Change, Instance};
use heaptui_engine::{Aggregate, ClassDiff, Location, Partial, Snapshot};
use heaptui_present::sort::{self, ComparisonSort, SummarySort};
use heaptui_present::totals::{ComparisonTotals, SummaryTotals};
use heaptui_present::{cells, format};

/// A numeric column right of the Constructor column.
#[derive(Debug, Clone, Copy)]
pub struct Column<S> {
    /// Header text.
    pub title: &'static str,
    /// A shorter title, used when the Constructor column needs the room.
    pub short: &'static str,
    /// The sort order that sorts by this column, if one does.
    pub sort: Option<S>,
    /// Narrow terminals drop the lowest priorities first.
    pub priority: u8,
}

/// The snapshots as far as they have loaded: each with its classes, and all of them complete
/// once every stage has landed.
#[derive(Clone, Copy)]
pub struct Loaded<'a> {
    /// The snapshots, oldest first.
    pub snapshots: &'a [Partial],
    /// The same snapshots, complete, once they all are.
    pub complete: Option<&'a [Snapshot]>,
}

impl<'a> Loaded<'a> {
    /// Snapshot `i`, complete, if it is.
    pub fn complete(&self, i: usize) -> Option<&'a Snapshot> {
        self.complete.map(|c| &c[i])
    }
}

/// The snapshots the app holds, as far as they have loaded ([`Loaded`] borrows them).
pub struct Heap {
    /// The snapshots, oldest first.
    pub snapshots: Vec<Partial>,
    /// The same snapshots, complete, once they all are.
    pub complete: Option<Vec<Snapshot>>,
}

impl Heap {
    /// The snapshots, borrowed for the rows to format themselves.
    pub fn loaded(&self) -> Loaded<'_> {
        Loaded {
            snapshots: &self.snapshots,
            complete: self.complete.as_deref(),
        }
    }
}

/// What a row needs to know to format itself: the snapshots and, for Summary, which one.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// The snapshots.
    pub loaded: Loaded<'a>,
    /// The snapshot a Summary table lists.
    pub snapshot: usize,
}

/// The sorts that have a key of their own: the two the leak hunt needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The Comparison's # Delta (`d`).
    Delta,
    /// The Summary's Retained Size (`r`).
    Retained,
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
    /// The sort order a direct sort key asks for, if this table has it.
    fn sort_for(key: SortKey) -> Option<Self::Sort>;
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
    /// The numeric cells of a row of an opened object's contents (none by default: the
    /// columns are about classes and their objects).
    fn content_cells(_snapshot: &Snapshot, _node: u32) -> Vec<String> {
        vec![String::new(); Self::COLUMNS.len()]
    }
}

impl ClassRow for Aggregate {
    type Sort = SummarySort;
    const SORTS: &'static [SummarySort] = &[
        SummarySort::Name,
        SummarySort::Count,
        SummarySort::Distance,
        SummarySort::Shallow,
        SummarySort::Retained,
    ];
    const DEFAULT_SORT: SummarySort = SummarySort::Retained;
    const COLUMNS: &'static [Column<SummarySort>] = &[
        Column {
            title: "Distance",
            short: "Dist",
            sort: Some(SummarySort::Distance),
            priority: 1,
        },
        Column {
            title: "Shallow Size",
            short: "Shallow",
            sort: Some(SummarySort::Shallow),
            priority: 2,
        },
        Column {
            title: "Retained Size",
            short: "Retained",
            sort: Some(SummarySort::Retained),
            priority: 3,
        },
    ];

    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool) {
        sort::summary(rows, by, reverse);
    }

    fn ascending(by: Self::Sort) -> bool {
        by.ascending()
    }

    fn sort_title(by: Self::Sort) -> &'static str {
        by.title()
    }

    fn sort_for(key: SortKey) -> Option<Self::Sort> {
        (key == SortKey::Retained).then_some(SummarySort::Retained)
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
        cells::summary(scope.loaded.complete(scope.snapshot), self).to_vec()
    }

    fn instances(&self, scope: Scope) -> Vec<Instance> {
        instances::listed(scope.snapshot, &self.nodes, Change::None)
    }

    fn instance_count(&self) -> usize {
        self.nodes.len()
    }

    fn instance_cells(instance: &Instance, scope: Scope) -> Vec<String> {
        let i = instance.snapshot();
        let snapshot = &scope.loaded.snapshots[i];
        cells::object(snapshot, scope.loaded.complete(i), instance.node).to_vec()
    }

    fn totals<'r>(rows: impl Iterator<Item = &'r Self>) -> String {
        SummaryTotals::of(rows).text()
    }

    fn content_cells(snapshot: &Snapshot, node: u32) -> Vec<String> {
        cells::object(snapshot, Some(snapshot), node).to_vec()
    }
}

impl ClassRow for ClassDiff {
    type Sort = ComparisonSort;
    const SORTS: &'static [ComparisonSort] = &[
        ComparisonSort::Name,
        ComparisonSort::New,
        ComparisonSort::Deleted,
        ComparisonSort::Delta,
        ComparisonSort::AllocSize,
        ComparisonSort::FreedSize,
        ComparisonSort::SizeDelta,
    ];
    const DEFAULT_SORT: ComparisonSort = ComparisonSort::AllocSize;
    const COLUMNS: &'static [Column<ComparisonSort>] = &[
        Column {
            title: "# New",
            short: "# New",
            sort: Some(ComparisonSort::New),
            priority: 4,
        },
        Column {
            title: "# Deleted",
            short: "# Del",
            sort: Some(ComparisonSort::Deleted),
            priority: 2,
        },
        Column {
            title: "# Delta",
            short: "# Delta",
            sort: Some(ComparisonSort::Delta),
            priority: 6,
        },
        Column {
            title: "Alloc. Size",
            short: "Alloc",
            sort: Some(ComparisonSort::AllocSize),
            priority: 3,
        },
        Column {
            title: "Freed Size",
            short: "Freed",
            sort: Some(ComparisonSort::FreedSize),
            priority: 1,
        },
        Column {
            title: "Size Delta",
            short: "Δ Size",
            sort: Some(ComparisonSort::SizeDelta),
            priority: 5,
        },
    ];

    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool) {
        sort::comparison(rows, by, reverse);
    }

    fn ascending(by: Self::Sort) -> bool {
        by.ascending()
    }

    fn sort_title(by: Self::Sort) -> &'static str {
        by.title()
    }

    fn sort_for(key: SortKey) -> Option<Self::Sort> {
        (key == SortKey::Delta).then_some(ComparisonSort::Delta)
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
        cells::comparison(self).to_vec()
    }

    /// New objects (from the after snapshot, the last) first, then deleted ones (from the
    /// base, the first).
    fn instances(&self, scope: Scope) -> Vec<Instance> {
        let after = scope.loaded.snapshots.len() - 1;
        let mut list = instances::listed(after, &self.added, Change::New);
        list.extend(instances::listed(0, &self.removed, Change::Deleted));
        list
    }

    fn instance_count(&self) -> usize {
        self.added.len() + self.removed.len()
    }

    /// An object's own size is what it allocated (new) or freed (deleted).
    fn instance_cells(instance: &Instance, scope: Scope) -> Vec<String> {
        let s = &scope.loaded.snapshots[instance.snapshot()];
        cells::comparison_object(
            s.self_size(instance.node),
            instance.change == Change::Deleted,
        )
        .to_vec()
    }

    fn totals<'r>(rows: impl Iterator<Item = &'r Self>) -> String {
        ComparisonTotals::of(rows).text()
    }
}
