//! The Retainers pane with ignored retainers (DevTools' "Ignore this retainer"): the ignores
//! are computed once into an [`IgnoredRetainers`], which the pane's queries then take.

use super::{ChainStep, IgnoredRetainers, Retainer, Snapshot};
use crate::analysis::retainers_view;

impl Snapshot {
    /// The Retainers pane's distances with `nodes` ignored (a full pass over the heap).
    pub fn ignore_retainers(&self, nodes: &[u32]) -> IgnoredRetainers {
        IgnoredRetainers::compute(self.graph(), self.dominance().retainers(), nodes)
    }

    /// The Retainers pane's rows for a node, in its order, with the ignores applied.
    pub fn retainers_ignoring(
        &self,
        ignored: Option<&IgnoredRetainers>,
        node: u32,
    ) -> Vec<Retainer> {
        let Some(view) = ignored else {
            return self.retainers(node);
        };
        let normal = &self.distances().distances;
        retainers_view::retainers_by(
            self.graph(),
            self.dominance().retainers(),
            node,
            &|source, edge| view.edge_distance(normal, source, edge),
        )
    }

    /// The chain the Retainers pane opens by itself, with the ignores applied.
    pub fn auto_expanded_chain_ignoring(
        &self,
        ignored: Option<&IgnoredRetainers>,
        node: u32,
    ) -> Vec<ChainStep> {
        let Some(view) = ignored else {
            return self.auto_expanded_chain(node);
        };
        let normal = &self.distances().distances;
        retainers_view::auto_expanded_chain_by(
            self.graph(),
            self.dominance().retainers(),
            node,
            &|source, edge| view.edge_distance(normal, source, edge),
        )
    }

    /// A node's distance in the Retainers pane with the ignores applied (DevTools'
    /// `distanceForRetainersView`; the plain distance without ignores).
    pub fn retainers_view_distance(&self, ignored: Option<&IgnoredRetainers>, node: u32) -> i32 {
        match ignored {
            None => self.raw_distance(node),
            Some(view) => view.distance(&self.distances().distances, node),
        }
    }
}
