//! The API of "what if": which edges keep their targets alive (DevTools' essential edges),
//! what a set of objects reaches over them, and what releasing a set would free.

use super::Snapshot;
use crate::analysis::release;
use heaptui_common::util::bits::BitVec;

/// What releasing a set of objects would free ([`Snapshot::release`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The freed objects (the released ones included), in ordinal order.
    pub freed: Vec<u32>,
    /// Their self sizes, added up: the bytes the release frees.
    pub freed_size: u64,
    /// Objects that stay alive though a freed object holds them (they have other paths from
    /// the GC roots), in ordinal order.
    pub still_held: Vec<u32>,
}

impl Snapshot {
    /// True when `edge` keeps its target alive for the dominators and retained sizes (not
    /// weak, not one DevTools ignores: a WeakMap table's side of an ephemeron, a `shortcut`
    /// from anything but the root, a self-loop, an engine object's edge into the page).
    pub fn edge_holds(&self, edge: usize) -> bool {
        self.dominance().holding.get(edge)
    }

    /// Every object reachable from `from` (themselves included) over the edges that hold
    /// ([`Snapshot::edge_holds`]), one bit per node.
    pub fn reachable_from(&self, from: &[u32]) -> BitVec {
        let holding = &self.dominance().holding;
        release::reach(self.graph(), holding, from.iter().copied(), &|_| false)
    }

    /// What releasing `nodes` would free if nothing else pointed at them: the objects reachable
    /// from the GC roots now that no longer are once the set is gone, none counted twice
    /// (`analysis/release.rs` has the definition). For one object, its retained size. The root
    /// cannot be released and is left out.
    pub fn release(&self, nodes: &[u32]) -> Release {
        let dominance = self.dominance();
        let root = self.root();
        let mut released = BitVec::new(self.node_count());
        for &node in nodes.iter().filter(|&&n| n != root) {
            released.set(node as usize);
        }
        let freed = release::freed(
            self.graph(),
            &dominance.holding,
            &dominance.dominators.extra_roots,
            &released,
        );
        let freed_size = freed.nodes.iter().map(|&n| self.self_size(n)).sum();
        Release {
            freed: freed.nodes,
            freed_size,
            still_held: freed.still_held,
        }
    }
}
