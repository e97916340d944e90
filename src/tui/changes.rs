//! The Comparison of snapshots from different processes: object ids are unrelated, so rows are
//! the library's class aggregates ([`ClassChange`]: counts and sizes in each snapshot) with no
//! new / deleted split and no objects to list.

use super::classes::{ClassRow, Column, Scope};
use super::instances::Instance;
use crate::analysis::diff::ClassChange;
use crate::cli::{diff, format};
use crate::graph::Location;

impl ClassRow for ClassChange {
    type Sort = diff::SortColumn;
    const SORTS: &'static [diff::SortColumn] = &[
        diff::SortColumn::Name,
        diff::SortColumn::Delta,
        diff::SortColumn::SizeDelta,
    ];
    const DEFAULT_SORT: diff::SortColumn = diff::SortColumn::SizeDelta;
    const COLUMNS: &'static [Column<diff::SortColumn>] = &[
        Column {
            title: "# Base",
            width: 8,
            sort: None,
            priority: 2,
        },
        Column {
            title: "# After",
            width: 8,
            sort: None,
            priority: 4,
        },
        Column {
            title: "# Delta",
            width: 8,
            sort: Some(diff::SortColumn::Delta),
            priority: 6,
        },
        Column {
            title: "Base Size",
            width: 10,
            sort: None,
            priority: 1,
        },
        Column {
            title: "After Size",
            width: 10,
            sort: None,
            priority: 3,
        },
        Column {
            title: "Size Delta",
            width: 10,
            sort: Some(diff::SortColumn::SizeDelta),
            priority: 5,
        },
    ];

    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool) {
        diff::sort_changes(rows, by, reverse);
    }

    fn ascending(by: Self::Sort) -> bool {
        by == diff::SortColumn::Name
    }

    fn sort_title(by: Self::Sort) -> &'static str {
        match by {
            diff::SortColumn::Name => "Constructor",
            diff::SortColumn::SizeDelta => "Size Delta",
            _ => "# Delta",
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
        diff::change_cells(self).to_vec()
    }

    /// Objects cannot be matched across processes: a class lists none.
    fn instances(&self, _scope: Scope) -> Vec<Instance> {
        Vec::new()
    }

    fn instance_count(&self) -> usize {
        0
    }

    fn instance_cells(_instance: &Instance, _scope: Scope) -> Vec<String> {
        Vec::new()
    }

    fn totals<'r>(rows: impl Iterator<Item = &'r Self>) -> String {
        let (mut classes, mut delta, mut size) = (0u64, 0i64, 0i64);
        for r in rows {
            classes += 1;
            delta += r.count_delta();
            size += r.size_delta();
        }
        format!(
            "matched by class · {} classes · {} objects · {}",
            format::count(classes),
            format::signed_count(delta),
            format::signed_bytes(size)
        )
    }
}
