//! A lazily loaded tree of objects below one object: its contents (the edges DevTools lists
//! when an object is expanded, in Summary, Comparison and Containment) or what it keeps alive
//! (its children in the dominator tree, in the Dominators view). Each level is loaded from the
//! library when opened, lists its first [`PAGE`] rows and a "more" row for the next, and a
//! contents row whose object already appears above it is a cycle: marked, never opened.
//!
//! Rows live in an arena; the rows on screen are a flat list rebuilt after each change to what
//! is open (its length is what the user opened, never the heap's size), so moving, paging and
//! drawing are plain index arithmetic.

use super::cursor::{Cursor, Move};
use heaptui_engine::Snapshot;
use std::cell::Cell;

/// Rows listed per level before its "more" row (DevTools' `defaultPopulateCount`).
pub const PAGE: usize = 100;

/// What a node's children are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Children {
    /// Its outgoing edges, in DevTools' order (all of them, invisible ones too, when `all`).
    Contents {
        /// Also list the edges DevTools hides.
        all: bool,
    },
    /// The objects it immediately dominates, largest retained size first.
    Dominated,
}

/// One object of the tree.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The object (node ordinal).
    pub node: u32,
    /// The edge it was reached by (contents), if any.
    pub edge: Option<usize>,
    /// Its parent row (`None` at the top level).
    pub parent: Option<usize>,
    /// 0 at the top level.
    pub depth: usize,
    /// True when the object already appears above it (not expandable).
    pub cycled: bool,
    children: Option<Vec<usize>>,
    shown: usize,
    open: bool,
    /// How many children it has, once asked (contents only).
    count: Cell<Option<usize>>,
}

/// A row on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeRow {
    /// An object, by arena id.
    Entry(usize),
    /// "… N more" under `parent` (the top level for `None`).
    More {
        /// The level's parent row.
        parent: Option<usize>,
        /// Depth of the level's rows.
        depth: usize,
        /// How many rows the level does not list yet.
        hidden: usize,
    },
}

/// What opening a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The row's children are shown now, or the next page of a level.
    Opened,
    /// The row was open: the cursor moved onto its first child.
    Stepped,
    /// Nothing to open: a cycle, or an object without children.
    Nothing,
}

/// The tree below one object of one snapshot.
pub struct ObjectTree {
    /// Index of the snapshot.
    pub snapshot: usize,
    /// The object whose children are the top level.
    pub root: u32,
    /// What children are.
    pub kind: Children,
    entries: Vec<Entry>,
    top: Vec<usize>,
    top_shown: usize,
    rows: Vec<TreeRow>,
    cursor: Cursor,
}

impl ObjectTree {
    /// The tree below `root` of `snapshot` (index `index`), its top level loaded.
    pub fn new(index: usize, snapshot: &Snapshot, root: u32, kind: Children) -> ObjectTree {
        let mut tree = ObjectTree {
            snapshot: index,
            root,
            kind,
            entries: Vec::new(),
            top: Vec::new(),
            top_shown: PAGE,
            rows: Vec::new(),
            cursor: Cursor::default(),
        };
        tree.top = tree.add_children(snapshot, None);
        tree.rebuild();
        tree
    }

    /// Number of rows on screen (when scrolled through).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when the object has no children.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `at`.
    pub fn row(&self, at: usize) -> Option<TreeRow> {
        self.rows.get(at).copied()
    }

    /// An object row by arena id.
    pub fn entry(&self, id: usize) -> &Entry {
        &self.entries[id]
    }

    /// The selected row's position.
    pub fn cursor(&self) -> usize {
        self.cursor.at()
    }

    /// The first row drawn.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// The selected row.
    pub fn selected(&self) -> Option<TreeRow> {
        self.row(self.cursor.at())
    }

    /// The selected object, unless a "more" row is selected.
    pub fn selected_node(&self) -> Option<u32> {
        match self.selected()? {
            TreeRow::Entry(id) => Some(self.entries[id].node),
            TreeRow::More { .. } => None,
        }
    }

    /// True when row `id` is open.
    pub fn is_open(&self, id: usize) -> bool {
        self.entries[id].open
    }

    /// True when row `id` can be opened: not a cycle, and it has (or may have) children.
    pub fn expandable(&self, snapshot: &Snapshot, id: usize) -> bool {
        let e = &self.entries[id];
        if e.cycled {
            return false;
        }
        if let Some(children) = &e.children {
            return !children.is_empty();
        }
        match self.kind {
            Children::Contents { all } => {
                let count = e
                    .count
                    .get()
                    .unwrap_or_else(|| snapshot.content_count(e.node, all));
                e.count.set(Some(count));
                count > 0
            }
            // Finding the children takes a scan of the whole dominator tree: rows say they
            // may open when the object keeps more than itself alive.
            Children::Dominated => snapshot.retained_size(e.node) > snapshot.self_size(e.node),
        }
    }

    /// Moves the cursor (pages of `page` rows), clamped.
    pub fn apply(&mut self, step: Move, page: usize) {
        self.cursor.apply(step, self.rows.len(), page);
    }

    /// Selects row `at`, clamped.
    pub fn select_row(&mut self, at: usize) {
        self.cursor.select(at);
        self.cursor.clamp(self.rows.len());
    }

    /// Keeps the cursor within a window of `height` rows from the first row drawn.
    pub fn fit(&mut self, height: usize) {
        self.cursor.fit(height, self.rows.len());
    }

    /// Opens the selected row (loading its children), shows the next page of a "more" row,
    /// or steps onto the first child of an open row.
    pub fn expand(&mut self, snapshot: &Snapshot) -> Opened {
        match self.selected() {
            None => Opened::Nothing,
            Some(TreeRow::More { parent, .. }) => {
                match parent {
                    None => self.top_shown += PAGE,
                    Some(id) => self.entries[id].shown += PAGE,
                }
                self.rebuild_keeping(self.selected());
                Opened::Opened
            }
            Some(TreeRow::Entry(id)) => {
                if self.entries[id].open {
                    self.cursor.move_by(1, self.rows.len());
                    return Opened::Stepped;
                }
                if !self.expandable(snapshot, id) {
                    return Opened::Nothing;
                }
                if self.entries[id].children.is_none() {
                    let children = self.add_children(snapshot, Some(id));
                    self.entries[id].children = Some(children);
                }
                if self.entries[id]
                    .children
                    .as_ref()
                    .is_some_and(Vec::is_empty)
                {
                    return Opened::Nothing;
                }
                self.entries[id].open = true;
                self.rebuild_keeping(Some(TreeRow::Entry(id)));
                Opened::Opened
            }
        }
    }

    /// Closes the selected row, or selects its parent when it is closed. Returns false at a
    /// closed top-level row (the caller's parent, if any, takes over).
    pub fn collapse(&mut self) -> bool {
        let parent = match self.selected() {
            None => return false,
            Some(TreeRow::More { parent, .. }) => parent,
            Some(TreeRow::Entry(id)) if self.entries[id].open => {
                self.entries[id].open = false;
                self.rebuild_keeping(Some(TreeRow::Entry(id)));
                return true;
            }
            Some(TreeRow::Entry(id)) => self.entries[id].parent,
        };
        match parent {
            Some(p) => {
                self.select(TreeRow::Entry(p));
                true
            }
            None => false,
        }
    }

    /// Selects the selected row's parent row; false at the top level.
    pub fn select_parent(&mut self) -> bool {
        let parent = match self.selected() {
            Some(TreeRow::Entry(id)) => self.entries[id].parent,
            Some(TreeRow::More { parent, .. }) => parent,
            None => None,
        };
        match parent {
            Some(p) => {
                self.select(TreeRow::Entry(p));
                true
            }
            None => false,
        }
    }

    /// Selects `row` if it is on screen.
    fn select(&mut self, row: TreeRow) {
        if let Some(at) = self.rows.iter().position(|&r| r == row) {
            self.cursor.select(at);
        }
    }

    /// Selects the top-level row of `node`, listing as many pages of the top level as it
    /// takes; returns whether the top level holds it.
    pub fn reveal_top_level(&mut self, node: u32) -> bool {
        let Some(at) = self
            .top
            .iter()
            .position(|&id| self.entries[id].node == node)
        else {
            return false;
        };
        if at >= self.top_shown {
            self.top_shown = (at / PAGE + 1) * PAGE;
            self.rebuild();
        }
        self.select(TreeRow::Entry(self.top[at]));
        true
    }

    /// Loads the children of `parent` (the top level for `None`) as new rows.
    fn add_children(&mut self, snapshot: &Snapshot, parent: Option<usize>) -> Vec<usize> {
        let (node, depth) = match parent {
            Some(id) => (self.entries[id].node, self.entries[id].depth + 1),
            None => (self.root, 0),
        };
        let children: Vec<(u32, Option<usize>)> = match self.kind {
            Children::Contents { all } => snapshot
                .contents(node, all)
                .into_iter()
                .map(|c| (c.node, Some(c.edge)))
                .collect(),
            Children::Dominated => snapshot
                .dominated(&[node])
                .into_iter()
                .flatten()
                .map(|n| (n, None))
                .collect(),
        };
        let contents = matches!(self.kind, Children::Contents { .. });
        children
            .into_iter()
            .map(|(child, edge)| {
                let cycled = contents && self.on_path(parent, child);
                self.entries.push(Entry {
                    node: child,
                    edge,
                    parent,
                    depth,
                    cycled,
                    children: None,
                    shown: PAGE,
                    open: false,
                    count: Cell::new(None),
                });
                self.entries.len() - 1
            })
            .collect()
    }

    /// True when `node` is the tree's root or a row from `at` up to the top.
    fn on_path(&self, mut at: Option<usize>, node: u32) -> bool {
        if node == self.root {
            return true;
        }
        while let Some(id) = at {
            if self.entries[id].node == node {
                return true;
            }
            at = self.entries[id].parent;
        }
        false
    }

    fn rebuild_keeping(&mut self, row: Option<TreeRow>) {
        self.rebuild();
        if let Some(row) = row {
            self.select(row);
        }
        self.cursor.clamp(self.rows.len());
    }

    fn rebuild(&mut self) {
        let mut rows = Vec::new();
        self.push_level(None, 0, &mut rows);
        self.rows = rows;
    }

    fn push_level(&self, parent: Option<usize>, depth: usize, rows: &mut Vec<TreeRow>) {
        let (ids, shown) = match parent {
            None => (&self.top[..], self.top_shown),
            Some(id) => (
                self.entries[id].children.as_deref().unwrap_or(&[]),
                self.entries[id].shown,
            ),
        };
        for &id in ids.iter().take(shown) {
            rows.push(TreeRow::Entry(id));
            if self.entries[id].open {
                self.push_level(Some(id), depth + 1, rows);
            }
        }
        if ids.len() > shown {
            rows.push(TreeRow::More {
                parent,
                depth,
                hidden: ids.len() - shown,
            });
        }
    }
}
