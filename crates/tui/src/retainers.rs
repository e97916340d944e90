//! The retainer tree of the selected object, as DevTools' Retainers pane: each level lists the
//! objects that point at the one above (`Snapshot::retainers`, already filtered and sorted as
//! DevTools does), loaded only when a row is expanded. A retainer already on the path from the
//! selected object is a cycle: marked, never expandable.
//!
//! Rows live in an arena; a row on screen is a path of arena ids (the opened rows and the
//! selection are paths), and navigation walks the same visible list the pane draws, so keys
//! work the same whether or not a frame was drawn in between. The selection's place in that
//! list and the first row drawn are a [`Cursor`], fitted to the pane before each frame. Like
//! DevTools, a level lists its first 100 retainers and a "more" row ([`MORE`]) shows the next
//! 100; rows are made only for the retainers listed, so an object retained from a million
//! places costs no more to draw than one retained from ten. Ordering that many retainers takes
//! longer than a keystroke may, so a top level of more than [`BACKGROUND`] retainers is
//! listed by a background job while the pane says so ([`RetainerTree::poll`] takes it in).

use super::cursor::{Cursor, Move};
use super::jobs::Job;
use super::keys::Command;
use heaptui_engine::{IgnoredRetainers, Retainer, Snapshot};
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

/// The path element of a level's "… N more" row.
pub const MORE: usize = usize::MAX;

/// Retainers listed per level before the "more" row.
pub const PAGE: usize = 100;

/// Above this many retainers the top level is listed in the background: filtering and
/// ordering them (by distance, then name) takes about 25 ms per 100 000 on the 1.5 GB bench
/// snapshot, over the keystroke budget for a few hundred thousand.
pub const BACKGROUND: usize = 100_000;

/// What a key did to the retainer pane while it has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The selection moved, or a row opened or closed.
    Done,
    /// The focus goes back to the table (`Esc`, `Tab`, `←` at a closed top-level row).
    Leave,
    /// `Enter` on a row with nothing to open.
    NothingToOpen,
    /// The key is not the pane's.
    NotHere,
}

/// One row of the tree.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The retaining object and edge.
    pub retainer: Retainer,
    /// The row this one retains (`None` at the top level, which retains the selected object).
    pub parent: Option<usize>,
    /// Arena ids of its own retainers, once loaded.
    pub children: Option<Vec<usize>>,
    /// True when the retainer is already on the path from the selected object.
    pub cycled: bool,
    /// How many of its retainers are listed.
    pub shown: usize,
    /// Its retainers beyond those with rows, in order.
    rest: VecDeque<Retainer>,
}

/// The retainer tree of one object.
pub struct RetainerTree {
    /// Index of the object's snapshot.
    pub snapshot: usize,
    /// The object (node ordinal).
    pub object: u32,
    entries: Vec<Entry>,
    top: Vec<usize>,
    top_shown: usize,
    top_rest: VecDeque<Retainer>,
    /// The open rows' paths.
    opened: HashSet<Vec<usize>>,
    /// The selected row's path.
    selected: Vec<usize>,
    /// The selected row's place among the visible rows, and the first row drawn.
    cursor: Cursor,
    /// The retainers ignored in this snapshot ("Ignore this retainer"), if any.
    ignored: Option<Arc<IgnoredRetainers>>,
    /// The top level being listed in the background.
    pending: Option<Job<Vec<Retainer>>>,
}

impl RetainerTree {
    /// The tree of `object` in `snapshot` (index `index`), its direct retainers loaded.
    pub fn new(index: usize, snapshot: &Snapshot, object: u32) -> Self {
        Self::ignoring(index, snapshot, object, None)
    }

    /// [`RetainerTree::new`] with the pane's distances and order as `ignored` makes them.
    pub fn ignoring(
        index: usize,
        snapshot: &Snapshot,
        object: u32,
        ignored: Option<Arc<IgnoredRetainers>>,
    ) -> Self {
        let mut tree = RetainerTree {
            snapshot: index,
            object,
            entries: Vec::new(),
            top: Vec::new(),
            top_shown: PAGE,
            top_rest: VecDeque::new(),
            opened: HashSet::new(),
            selected: Vec::new(),
            cursor: Cursor::default(),
            ignored,
            pending: None,
        };
        let count = snapshot.retainer_count(object);
        if count > BACKGROUND {
            let (worker, ignored) = (snapshot.clone(), tree.ignored.clone());
            let label = format!(
                "listing {} retainers",
                heaptui_present::format::count(count as u64)
            );
            tree.pending = Some(Job::spawn(label, move |_| {
                worker.retainers_ignoring(ignored.as_deref(), object)
            }));
        } else {
            let all = snapshot.retainers_ignoring(tree.ignored.as_deref(), object);
            tree.fill_top(all);
        }
        tree
    }

    fn fill_top(&mut self, all: Vec<Retainer>) {
        let mut all = VecDeque::from(all);
        self.top = self.rows(&mut all, PAGE, None);
        self.top_rest = all;
        if let Some(&first) = self.top.first() {
            self.selected = vec![first];
        }
    }

    /// True while the top level is being listed in the background.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// What the background listing is doing, with its time so far.
    pub fn pending_progress(&self) -> Option<String> {
        self.pending.as_ref().map(Job::progress)
    }

    /// Takes in the top level once the background listing is done; returns whether it did.
    pub fn poll(&mut self) -> bool {
        let Some(done) = self.pending.as_ref().and_then(Job::finished) else {
            return false;
        };
        self.pending = None;
        self.fill_top(done.unwrap_or_default());
        true
    }

    /// True when `node` is an ignored retainer.
    pub fn is_ignored(&self, node: u32) -> bool {
        self.ignored.as_ref().is_some_and(|v| v.is_ignored(node))
    }

    /// The ignores the tree was built with.
    pub fn ignored(&self) -> Option<&Arc<IgnoredRetainers>> {
        self.ignored.as_ref()
    }

    /// The selected row's path of arena ids ([`MORE`] last on a "more" row).
    pub fn selected_path(&self) -> Vec<usize> {
        self.selected.clone()
    }

    /// True when the row at `path` is open.
    pub fn is_open(&self, path: &[usize]) -> bool {
        self.opened.contains(path)
    }

    /// The first visible row drawn.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// Keeps the selection within a window of `height` rows from the first row drawn.
    pub fn fit(&mut self, height: usize) {
        let visible = self.visible();
        if let Some(at) = visible.iter().position(|p| *p == self.selected) {
            self.cursor.select(at);
        }
        self.cursor.fit(height, visible.len());
    }

    /// The top-level rows (arena ids).
    pub fn top(&self) -> &[usize] {
        &self.top
    }

    /// The rows listed under `parent` (the top level for `None`) and how many are shown.
    pub fn listed(&self, parent: Option<usize>) -> (&[usize], usize) {
        match parent {
            None => (&self.top, self.top_shown),
            Some(id) => {
                let e = &self.entries[id];
                (e.children.as_deref().unwrap_or(&[]), e.shown)
            }
        }
    }

    /// How many retainers of the level under `parent` are not listed yet (its "more" row).
    pub fn hidden(&self, parent: Option<usize>) -> usize {
        let (ids, shown) = self.listed(parent);
        let rest = match parent {
            None => self.top_rest.len(),
            Some(id) => self.entries[id].rest.len(),
        };
        ids.len().saturating_sub(shown) + rest
    }

    /// A row by arena id.
    pub fn entry(&self, id: usize) -> &Entry {
        &self.entries[id]
    }

    /// True when the row can be opened: not a cycle, and it has (or may have, before loading)
    /// retainers of its own.
    pub fn expandable(&self, snapshot: &Snapshot, id: usize) -> bool {
        let e = &self.entries[id];
        !e.cycled
            && match &e.children {
                Some(children) => !children.is_empty(),
                None => snapshot.retainer_count(e.retainer.node) > 0,
            }
    }

    /// The selected row's arena id (`None` on a "more" row).
    pub fn selected(&self) -> Option<usize> {
        self.selected.last().copied().filter(|&id| id != MORE)
    }

    /// The rows on screen in order (paths of arena ids, [`MORE`] for a "more" row), given
    /// what is opened.
    pub fn visible(&self) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        self.push_visible(&mut Vec::new(), None, &mut out);
        out
    }

    fn push_visible(
        &self,
        path: &mut Vec<usize>,
        parent: Option<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let (ids, shown) = self.listed(parent);
        for &id in ids.iter().take(shown) {
            path.push(id);
            out.push(path.clone());
            if self.is_open(path) {
                self.push_visible(path, Some(id), out);
            }
            path.pop();
        }
        if self.hidden(parent) > 0 {
            path.push(MORE);
            out.push(path.clone());
            path.pop();
        }
    }

    /// Applies a key's `command` while the pane has the focus (pages of `page` rows); opening
    /// rows needs the tree's `snapshot`, complete.
    pub fn update(
        &mut self,
        command: Command,
        snapshot: Option<&Snapshot>,
        page: usize,
    ) -> Outcome {
        if let Some(step) = Move::of(command) {
            self.apply(step, page);
            return Outcome::Done;
        }
        match command {
            Command::Expand => match snapshot {
                Some(snapshot) if self.expand(snapshot) => Outcome::Done,
                Some(_) => Outcome::NothingToOpen,
                None => Outcome::NotHere,
            },
            Command::Collapse if self.collapse() => Outcome::Done,
            Command::Collapse | Command::Back | Command::ToggleFocus => Outcome::Leave,
            _ => Outcome::NotHere,
        }
    }

    /// Moves the selection through the visible rows (pages of `page` rows), clamped.
    pub fn apply(&mut self, step: Move, page: usize) {
        let visible = self.visible();
        let at = visible.iter().position(|p| *p == self.selected);
        self.cursor.select(at.unwrap_or(0));
        self.cursor.apply(step, visible.len(), page);
        if let Some(path) = visible.get(self.cursor.at()) {
            self.selected = path.clone();
        }
    }

    /// Opens the selected row (loading its retainers), or steps onto its first retainer when
    /// already open. Returns false when the row cannot be opened.
    pub fn expand(&mut self, snapshot: &Snapshot) -> bool {
        let path = self.selected_path();
        let Some(&id) = path.last() else { return false };
        if id == MORE {
            return self.show_more(path);
        }
        if !self.expandable(snapshot, id) {
            return false;
        }
        let children = self.load(snapshot, id);
        if children.is_empty() {
            return false;
        }
        if !self.opened.insert(path.clone()) {
            let mut first = path;
            first.push(children[0]);
            self.selected = first;
        }
        true
    }

    /// Lists the next [`PAGE`] rows of the level whose "more" row is at `path`, selecting the
    /// first of them.
    fn show_more(&mut self, mut path: Vec<usize>) -> bool {
        path.pop();
        let parent = path.last().copied();
        let mut rest = match parent {
            None => std::mem::take(&mut self.top_rest),
            Some(id) => std::mem::take(&mut self.entries[id].rest),
        };
        let new = self.rows(&mut rest, PAGE, parent);
        let (ids, shown) = match parent {
            None => {
                self.top_rest = rest;
                self.top.extend(&new);
                self.top_shown += PAGE;
                (&self.top, self.top_shown - PAGE)
            }
            Some(id) => {
                let e = &mut self.entries[id];
                e.rest = rest;
                e.children.get_or_insert_with(Vec::new).extend(&new);
                e.shown += PAGE;
                (e.children.as_ref().expect("listed"), e.shown - PAGE)
            }
        };
        let Some(&first_new) = ids.get(shown) else {
            return false;
        };
        path.push(first_new);
        self.selected = path;
        true
    }

    /// Closes the selected row, or selects its parent when it is closed. Returns false at a
    /// closed top-level row.
    pub fn collapse(&mut self) -> bool {
        let path = self.selected_path();
        if self.opened.remove(&path) {
            return true;
        }
        if path.len() > 1 {
            self.selected = path[..path.len() - 1].to_vec();
            return true;
        }
        false
    }

    /// Opens the path to the GC roots from the selected row (or the first retainer): follows
    /// the first retainer (the closest to the roots) while its distance is above 1 and it is
    /// reachable, stopping at a cycle or an object without retainers, and selects the deepest
    /// row. Like `Snapshot::auto_expanded_chain` without its 20-level cap.
    pub fn path_to_roots(&mut self, snapshot: &Snapshot, from_selection: bool) {
        let selected = self.selected_path();
        let mut path = if from_selection && selected.last() != Some(&MORE) {
            selected
        } else {
            Vec::new()
        };
        if path.is_empty() {
            match self.top.first() {
                Some(&first) => path.push(first),
                None => return,
            }
        }
        loop {
            let id = *path.last().expect("non-empty path");
            let e = &self.entries[id];
            if e.cycled || !e.retainer.leads_on() {
                break;
            }
            let children = self.load(snapshot, id);
            let Some(&first) = children.first() else {
                break;
            };
            self.opened.insert(path.clone());
            path.push(first);
        }
        self.selected = path;
    }

    /// Loads the retainers of row `id` once; returns their arena ids.
    fn load(&mut self, snapshot: &Snapshot, id: usize) -> Vec<usize> {
        if let Some(children) = &self.entries[id].children {
            return children.clone();
        }
        let node = self.entries[id].retainer.node;
        let mut all = VecDeque::from(snapshot.retainers_ignoring(self.ignored.as_deref(), node));
        let children = self.rows(&mut all, PAGE, Some(id));
        let e = &mut self.entries[id];
        e.rest = all;
        e.children = Some(children.clone());
        children
    }

    /// Rows for the first `count` retainers of `from` (taken out of it), under `parent`.
    fn rows(
        &mut self,
        from: &mut VecDeque<Retainer>,
        count: usize,
        parent: Option<usize>,
    ) -> Vec<usize> {
        let take = count.min(from.len());
        from.drain(..take)
            .collect::<Vec<_>>()
            .into_iter()
            .map(|retainer| {
                let cycled = self.on_path(parent, retainer.node);
                self.entries.push(Entry {
                    retainer,
                    parent,
                    children: None,
                    cycled,
                    shown: PAGE,
                    rest: VecDeque::new(),
                });
                self.entries.len() - 1
            })
            .collect()
    }

    /// True when `node` is the selected object or a row from `at` up to the top.
    fn on_path(&self, mut at: Option<usize>, node: u32) -> bool {
        if node == self.object {
            return true;
        }
        while let Some(id) = at {
            if self.entries[id].retainer.node == node {
                return true;
            }
            at = self.entries[id].parent;
        }
        false
    }
}
