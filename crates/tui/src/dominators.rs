//! The Dominators view (`6`): the dominator tree below one object (the root at first), each
//! node listing the objects it immediately dominates, largest retained size first, with its
//! share of the total. `D` shows it below the selected object ("what does it keep alive"),
//! `u` below the selected object's dominator, with the object selected.

use super::object_tree::{Children, ObjectTree};
use heaptui_engine::Snapshot;

/// The Dominators view's tree.
#[derive(Default)]
pub struct Dominators {
    tree: Option<ObjectTree>,
}

impl Dominators {
    /// The tree shown, if one was opened.
    pub fn tree(&self) -> Option<&ObjectTree> {
        self.tree.as_ref()
    }

    /// The tree shown, to move in it.
    pub fn tree_mut(&mut self) -> Option<&mut ObjectTree> {
        self.tree.as_mut()
    }

    /// Shows the tree of snapshot `at` from the root, unless one of that snapshot is shown.
    pub fn from_root(&mut self, at: usize, snapshot: &Snapshot) {
        if self.tree.as_ref().is_none_or(|t| t.snapshot != at) {
            self.below(at, snapshot, snapshot.root());
        }
    }

    /// Shows what `top` of snapshot `at` keeps alive.
    pub fn below(&mut self, at: usize, snapshot: &Snapshot, top: u32) {
        self.tree = Some(ObjectTree::new(at, snapshot, top, Children::Dominated));
    }

    /// Shows the tree below `node`'s dominator with `node` selected; false at the root.
    pub fn to_dominator(&mut self, at: usize, snapshot: &Snapshot, node: u32) -> bool {
        if node == snapshot.root() {
            return false;
        }
        self.below(at, snapshot, snapshot.dominator(node));
        if let Some(tree) = &mut self.tree {
            tree.reveal_top_level(node);
        }
        true
    }
}
