//! The Containment view (`5`): the heap from the synthetic root down (GC roots, global
//! handles, stack roots, the global objects or Windows), each object opening into its
//! contents as DevTools lists them; `c` shows the same tree below any selected object (a
//! retainer too). The root's tree of each snapshot is kept while the session lasts, so
//! switching views keeps the place.

use super::object_tree::{Children, ObjectTree};
use heaptui_engine::Snapshot;
use std::collections::HashMap;

/// The Containment view's trees.
#[derive(Default)]
pub struct Containment {
    from_root: HashMap<usize, ObjectTree>,
    below: Option<ObjectTree>,
}

impl Containment {
    /// Shows the tree of snapshot `at` from the root (built on first use).
    pub fn from_root(&mut self, at: usize, snapshot: &Snapshot, all: bool) {
        self.below = None;
        self.from_root.entry(at).or_insert_with(|| {
            ObjectTree::new(at, snapshot, snapshot.root(), Children::Contents { all })
        });
    }

    /// Shows the contents of `node` of snapshot `at`.
    pub fn below(&mut self, at: usize, snapshot: &Snapshot, node: u32, all: bool) {
        self.below = Some(ObjectTree::new(
            at,
            snapshot,
            node,
            Children::Contents { all },
        ));
    }

    /// The tree shown while snapshot `at` is shown.
    pub fn shown(&self, at: usize) -> Option<&ObjectTree> {
        self.below.as_ref().or_else(|| self.from_root.get(&at))
    }

    /// The tree shown, to move in it.
    pub fn shown_mut(&mut self, at: usize) -> Option<&mut ObjectTree> {
        self.below.as_mut().or_else(|| self.from_root.get_mut(&at))
    }

    /// Builds the trees again, their top levels only, listing the hidden edges or not.
    pub fn reload(&mut self, snapshots: &[Snapshot], all: bool) {
        let kind = Children::Contents { all };
        for tree in self.from_root.values_mut().chain(self.below.as_mut()) {
            *tree = ObjectTree::new(tree.snapshot, &snapshots[tree.snapshot], tree.root, kind);
        }
    }
}
