//! The retainer index a load publishes, whose sources the dominator computation leaves as DFS
//! numbers until first read ([`crate::analysis::retainer_index`]), against one built afresh
//! from the edges, on every real snapshot of the test fixtures, and read from several threads
//! at once. Here rather than beside the analysis because the snapshots must be loaded.
use super::Snapshot;
use crate::graph::retainers::Retainers;
use heaptui_common::progress::Progress;

#[test]
fn the_published_retainers_are_node_ordinals_on_every_fixture() {
    for path in super::fixture_snapshots() {
        let snapshot = Snapshot::load(&path, Default::default(), &Progress::NONE)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let graph = snapshot.graph();
        let (fresh, _) = Retainers::build(&graph.first_edge, &graph.edge_to, None);
        // The first readers race to turn the sources back; all must see the same index.
        let read: Vec<(Vec<u32>, Vec<u32>)> = std::thread::scope(|scope| {
            let readers: Vec<_> = (0..3)
                .map(|_| {
                    scope.spawn(|| {
                        let r = snapshot.dominance().retainers();
                        (r.first.to_vec(), r.sources.to_vec())
                    })
                })
                .collect();
            readers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for (first, sources) in read {
            assert_eq!(first, fresh.first.to_vec(), "{}", path.display());
            assert_eq!(sources, fresh.sources.to_vec(), "{}", path.display());
        }
    }
}
