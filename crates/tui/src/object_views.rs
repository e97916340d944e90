//! The object views as one component: the Containment (`5`) and Dominators (`6`) trees, which
//! objects' contents list (the edges DevTools lists, or every edge). Each tree takes its own
//! keys ([`ObjectViews::update`]: moving, opening, closing, `u` up the dominator tree) and
//! says what it did ([`Outcome`]); opening a view on an object (`c`, `D`, `u` from elsewhere)
//! is the app's to ask, as it changes the view shown.

use super::containment::Containment;
use super::cursor::Move;
use super::dominators::Dominators;
use super::keys::Command;
use super::object_tree::{ObjectTree, Opened};
use heaptui_engine::Snapshot;

/// Which object tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The Containment view's tree.
    Containment,
    /// The Dominators view's tree.
    Dominators,
}

/// What a key did to the object view shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The tree took the key.
    Done,
    /// The tree cannot do what the key asks, and says why.
    Message(&'static str),
    /// `u` at a top-level row of the Dominators view: show the tree below the dominator of
    /// object `node` of snapshot `at` (the tree's top), the object selected.
    ToDominator {
        /// The snapshot.
        at: usize,
        /// The tree's top.
        node: u32,
    },
    /// The key is not the object view's.
    NotMine,
}

/// What the class tables' keys say in the object views.
const TABLE_KEY: &str = "that key works in the Summary (1) and Comparison (2) views";

/// The Containment and Dominators trees and the contents setting.
#[derive(Default)]
pub struct ObjectViews {
    containment: Containment,
    dominators: Dominators,
    all_edges: bool,
}

impl ObjectViews {
    /// The tree of `kind` while snapshot `at` is shown.
    pub fn tree(&self, kind: Kind, at: usize) -> Option<&ObjectTree> {
        match kind {
            Kind::Containment => self.containment.shown(at),
            Kind::Dominators => self.dominators.tree(),
        }
    }

    fn tree_mut(&mut self, kind: Kind, at: usize) -> Option<&mut ObjectTree> {
        match kind {
            Kind::Containment => self.containment.shown_mut(at),
            Kind::Dominators => self.dominators.tree_mut(),
        }
    }

    /// Keeps the selection of the tree of `kind` (shown with snapshot `at`) within `rows` rows
    /// from the first drawn; returns the rows per page (0 without a tree).
    pub fn fit(&mut self, kind: Kind, at: usize, rows: usize) -> usize {
        match self.tree_mut(kind, at) {
            Some(tree) => {
                tree.fit(rows);
                rows
            }
            None => 0,
        }
    }

    /// True when objects' contents list the edges DevTools hides too.
    pub fn all_edges(&self) -> bool {
        self.all_edges
    }

    /// Applies a key's `command` to the tree of `kind` (`None`: the Statistics view, which has
    /// none) shown with snapshot `at`, pages of `page` rows. The trees move once the snapshots
    /// are `complete`.
    pub fn update(
        &mut self,
        kind: Option<Kind>,
        at: usize,
        command: Command,
        complete: Option<&[Snapshot]>,
        page: usize,
    ) -> Outcome {
        let tree_key = match command {
            Command::Filter | Command::NextSort | Command::ReverseSort => {
                return Outcome::Message(TABLE_KEY)
            }
            Command::Expand | Command::Collapse | Command::Back => true,
            Command::ToDominator => kind == Some(Kind::Dominators),
            _ => Move::of(command).is_some(),
        };
        if !tree_key {
            return Outcome::NotMine;
        }
        let (Some(kind), Some(complete)) = (kind, complete) else {
            return Outcome::Done;
        };
        let Some(tree) = self.tree_mut(kind, at) else {
            return Outcome::Done;
        };
        let snapshot = &complete[tree.snapshot];
        match command {
            Command::Expand if tree.expand(snapshot) == Opened::Nothing => {
                return Outcome::Message(match kind {
                    Kind::Dominators => "it keeps nothing else alive",
                    Kind::Containment => "nothing to open here (no contents, or a cycle ↻)",
                })
            }
            Command::Expand => {}
            Command::Collapse | Command::Back => {
                tree.collapse();
            }
            // The selected row's dominator is its parent row; a top-level row's is the
            // dominator of the tree's top.
            Command::ToDominator if !tree.select_parent() => {
                return Outcome::ToDominator {
                    at: tree.snapshot,
                    node: tree.root,
                }
            }
            Command::ToDominator => {}
            _ => {
                if let Some(step) = Move::of(command) {
                    tree.apply(step, page);
                }
            }
        }
        Outcome::Done
    }

    /// Shows the tree of `kind` of snapshot `at` from the root (kept from its last showing).
    pub fn from_root(&mut self, kind: Kind, at: usize, snapshot: &Snapshot) {
        match kind {
            Kind::Containment => self.containment.from_root(at, snapshot, self.all_edges),
            Kind::Dominators => self.dominators.from_root(at, snapshot),
        }
    }

    /// Shows the Dominators tree of snapshot `at` from its root, whichever was shown.
    pub fn dominators_from_root(&mut self, at: usize, snapshot: &Snapshot) {
        self.dominators.below(at, snapshot, snapshot.root());
    }

    /// Shows the Dominators tree below `node`'s dominator with `node` selected; false at the
    /// root.
    pub fn to_dominator(&mut self, at: usize, snapshot: &Snapshot, node: u32) -> bool {
        self.dominators.to_dominator(at, snapshot, node)
    }

    /// Shows what `node` keeps alive; false when that is nothing.
    pub fn kept_alive(&mut self, at: usize, snapshot: &Snapshot, node: u32) -> bool {
        self.dominators.below(at, snapshot, node);
        !self.dominators.tree().is_some_and(ObjectTree::is_empty)
    }

    /// Shows the contents of `node`; false when it holds nothing.
    pub fn contents_of(&mut self, at: usize, snapshot: &Snapshot, node: u32) -> bool {
        self.containment.below(at, snapshot, node, self.all_edges);
        !self.containment.shown(at).is_none_or(ObjectTree::is_empty)
    }

    /// Lists the edges DevTools hides in the contents too, or not any more; returns the new
    /// setting.
    pub fn toggle_all_edges(&mut self, complete: &[Snapshot]) -> bool {
        self.all_edges = !self.all_edges;
        self.containment.reload(complete, self.all_edges);
        self.all_edges
    }
}
