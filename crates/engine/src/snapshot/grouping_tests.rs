//! The Summary grouping in parallel tasks against one task over all nodes, on every real
//! snapshot of the test fixtures. Here rather than beside the aggregation because the
//! snapshots must be loaded, and the analysis does not know the loader. The fixtures are
//! smaller than one task of the real size, so the tasks are made small here.
use super::Snapshot;
use crate::analysis::aggregates::{group_in_tasks, Inputs};
use heaptui_common::progress::Progress;

/// Task sizes that cut the fixtures into many tasks, some of one node.
const SMALL_TASKS: [usize; 4] = [1, 7, 640, 10_000];

#[test]
fn grouping_in_tasks_gives_the_rows_and_numbers_of_one_pass_on_every_fixture() {
    for path in super::fixture_snapshots() {
        let snapshot = Snapshot::load(&path, Default::default(), &Progress::NONE)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let classes = snapshot.classes();
        let inputs = Inputs {
            graph: snapshot.graph(),
            self_size: &classes.self_size,
            new_strings: Some(&classes.names),
            classes: &classes.classes,
        };
        let nodes = snapshot.graph().node_count();
        let whole = group_in_tasks(&inputs, None, nodes);
        let (rows, row_of) = whole.parts();
        // Located rows and several rows per name are what the merge must get right.
        let named = |rows: &[crate::analysis::aggregates::Aggregate]| -> Vec<_> {
            rows.iter()
                .map(|r| (r.name.clone(), r.location, r.count, r.shallow_size))
                .collect()
        };
        for tasks in SMALL_TASKS {
            let split = group_in_tasks(&inputs, None, tasks);
            let (split_rows, split_row_of) = split.parts();
            assert_eq!(
                named(split_rows),
                named(rows),
                "{}, {tasks}",
                path.display()
            );
            assert!(split_row_of == row_of, "{}, {tasks}", path.display());
        }
        // A filter keeps its meaning per task.
        let odd = |node: u32| node % 2 == 1;
        let whole = group_in_tasks(&inputs, Some(&odd), nodes);
        let split = group_in_tasks(&inputs, Some(&odd), 7);
        assert_eq!(
            named(split.parts().0),
            named(whole.parts().0),
            "{}",
            path.display()
        );
        assert!(split.parts().1 == whole.parts().1, "{}", path.display());
    }
}
