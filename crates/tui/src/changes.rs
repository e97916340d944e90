//! The Comparison of snapshots from different processes: object ids are unrelated, so rows are
//! the library's class aggregates ([`ClassChange`]: counts and sizes in each snapshot) with no
//! new / deleted split and no objects to list.

use super::classes::{ClassRow, Column, Scope, SortKey};
use super::instances::Instance;
use heaptui_engine::{ClassChange, Location};
use heaptui_present::cells;
use heaptui_present::sort::{self, ComparisonSort};
use heaptui_present::totals::ChangeTotals;

impl ClassRow for ClassChange {
    type Sort = ComparisonSort;
    const SORTS: &'static [ComparisonSort] = &[
        ComparisonSort::Name,
        ComparisonSort::Delta,
        ComparisonSort::SizeDelta,
    ];
    const DEFAULT_SORT: ComparisonSort = ComparisonSort::SizeDelta;
    const COLUMNS: &'static [Column<ComparisonSort>] = &[
        Column {
            title: "# Base",
            short: "# Base",
            sort: None,
            priority: 2,
        },
        Column {
            title: "# After",
            short: "# After",
            sort: None,
            priority: 4,
        },
        Column {
            title: "# Delta",
            short: "# Delta",
            sort: Some(ComparisonSort::Delta),
            priority: 6,
        },
        Column {
            title: "Base Size",
            short: "Base",
            sort: None,
            priority: 1,
        },
        Column {
            title: "After Size",
            short: "After",
            sort: None,
            priority: 3,
        },
        Column {
            title: "Size Delta",
            short: "Δ Size",
            sort: Some(ComparisonSort::SizeDelta),
            priority: 5,
        },
    ];

    fn sort(rows: &mut [Self], by: Self::Sort, reverse: bool) {
        sort::changes(rows, by, reverse);
    }

    fn ascending(by: Self::Sort) -> bool {
        by.ascending()
    }

    fn sort_title(by: Self::Sort) -> &'static str {
        match by {
            ComparisonSort::Name => "Constructor",
            ComparisonSort::SizeDelta => "Size Delta",
            _ => "# Delta",
        }
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
        cells::change(self).to_vec()
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
        ChangeTotals::of(rows).text()
    }
}
