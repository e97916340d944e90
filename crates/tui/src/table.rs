//! A class table (Summary or Comparison) as a virtual list: class rows that pass the filter,
//! each followed by its objects when expanded, and an opened object by its contents. Nothing
//! is built per object: a screen row is found from `starts` (the first row of each listed
//! class) by binary search, so scrolling a class of millions of objects costs the same as
//! scrolling ten; the few opened objects are found from their class's [`OpenedObjects`].

use super::classes::{ClassRow, Loaded, Scope, SortKey};
use super::cursor::{Cursor, Move};
use super::filter::Filter;
use super::instances::{Change, Instance};
use super::object_tree::{Children, ObjectTree, Opened};
use super::table_contents::{Located, OpenedObjects};
use super::text;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Location;
use std::collections::HashMap;

/// What is on one row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A class: index into the rows and into the listed classes.
    Class {
        /// Index into [`ClassTable::rows`].
        row: usize,
        /// Position among the listed classes (for highlights).
        listed: usize,
    },
    /// The `index`-th object of class `row`.
    Instance {
        /// Index into [`ClassTable::rows`].
        row: usize,
        /// Position in the class's instance list.
        index: usize,
    },
    /// Row `at` of the contents of the `index`-th object of class `row`, when it is opened.
    Content {
        /// Index into [`ClassTable::rows`].
        row: usize,
        /// Position of the opened object in the class's instance list.
        index: usize,
        /// The row of its contents tree.
        at: usize,
    },
}

/// A class's place in the list: its row and, for an object row, which object.
type Anchor = (usize, Option<usize>);

/// What identifies a class across sorts: its name and allocation site.
type Identity = (String, Option<Location>);

/// One view's class table with its sort, filter, expanded classes and cursor.
pub struct ClassTable<R: ClassRow> {
    rows: Vec<R>,
    /// The snapshot a Summary table lists.
    pub snapshot: usize,
    sort: R::Sort,
    reverse: bool,
    pattern: String,
    listed: Vec<usize>,
    highlights: Vec<Vec<usize>>,
    expanded: Vec<bool>,
    instances: Vec<Option<Box<[Instance]>>>,
    opened: Vec<OpenedObjects>,
    /// Opened objects list the edges DevTools hides too.
    all_edges: bool,
    starts: Vec<usize>,
    widths: Widths,
    totals: String,
    cursor: Cursor,
}

impl<R: ClassRow> ClassTable<R> {
    /// A table of `rows` in DevTools' default order, unfiltered, cursor on the first row.
    /// `scope.snapshot` is the snapshot a Summary table lists.
    pub fn new(mut rows: Vec<R>, scope: Scope) -> Self {
        R::sort(&mut rows, R::DEFAULT_SORT, false);
        let n = rows.len();
        let widths = widths(&rows, scope);
        let mut table = ClassTable {
            rows,
            snapshot: scope.snapshot,
            sort: R::DEFAULT_SORT,
            reverse: false,
            pattern: String::new(),
            listed: Vec::new(),
            highlights: Vec::new(),
            expanded: vec![false; n],
            instances: vec![None; n],
            opened: (0..n).map(|_| OpenedObjects::default()).collect(),
            all_edges: false,
            starts: Vec::new(),
            widths,
            totals: String::new(),
            cursor: Cursor::default(),
        };
        table.refilter(&Filter::default());
        table
    }

    /// Replaces the rows with `rows`: the same classes with more of their numbers known, or
    /// with their objects in listing order. The sort, the filter, the expanded classes and the
    /// selection stay (a selected object stays selected wherever it moved); a cursor on the
    /// first row stays on the first row, whichever class that now is.
    pub fn refresh(&mut self, mut rows: Vec<R>, scope: Scope, filter: &Filter) {
        let identity = |r: &R| -> Identity { (r.name().to_string(), r.location()) };
        let anchor = self
            .anchor()
            .filter(|_| self.cursor.at() > 0)
            .map(|(row, k)| {
                let object = k.map(|k| self.instance(row, k));
                (identity(&self.rows[row]), object)
            });
        let expanded: std::collections::HashSet<Identity> = (0..self.rows.len())
            .filter(|&i| self.expanded[i])
            .map(|i| identity(&self.rows[i]))
            .collect();
        // Opened objects follow their object, wherever the new order puts it.
        let mut opened: HashMap<Identity, Vec<(Instance, ObjectTree)>> = HashMap::new();
        for i in 0..self.rows.len() {
            let trees = self.opened[i].take_all();
            if !trees.is_empty() {
                let list = self.instances[i]
                    .as_ref()
                    .expect("opened objects are listed");
                let trees = trees.into_iter().map(|(k, t)| (list[k], t)).collect();
                opened.insert(identity(&self.rows[i]), trees);
            }
        }
        self.widths = widths(&rows, scope);
        R::sort(&mut rows, self.sort, self.reverse);
        let n = rows.len();
        self.rows = rows;
        self.expanded = vec![false; n];
        self.instances = vec![None; n];
        self.opened = (0..n).map(|_| OpenedObjects::default()).collect();
        let mut anchor_at = None;
        for i in 0..n {
            let id = identity(&self.rows[i]);
            if expanded.contains(&id) {
                let list = self.rows[i].instances(scope).into_boxed_slice();
                for (object, tree) in opened.remove(&id).into_iter().flatten() {
                    if let Some(k) = list.iter().position(|x| *x == object) {
                        self.opened[i].open(k, tree);
                    }
                }
                self.instances[i] = Some(list);
                self.expanded[i] = true;
            }
            if let Some((_, object)) = anchor.as_ref().filter(|(a, _)| *a == id) {
                let index = object.and_then(|o| {
                    self.instances[i]
                        .as_ref()
                        .and_then(|list| list.iter().position(|x| *x == o))
                });
                anchor_at = Some((i, index));
            }
        }
        self.refilter(filter);
        match anchor_at {
            Some(at) => self.restore(at),
            None => self.cursor.select(0),
        }
    }

    /// How wide the columns want to be.
    pub fn widths(&self) -> &Widths {
        &self.widths
    }

    /// All class rows in sort order (listed or not).
    pub fn rows(&self) -> &[R] {
        &self.rows
    }

    /// The current sort order and whether it is reversed.
    pub fn sort(&self) -> (R::Sort, bool) {
        (self.sort, self.reverse)
    }

    /// The status line's totals of the listed classes.
    pub fn totals(&self) -> &str {
        &self.totals
    }

    /// Number of listed classes.
    pub fn listed_classes(&self) -> usize {
        self.listed.len()
    }

    /// Number of rows (classes and the objects of expanded ones).
    pub fn len(&self) -> usize {
        *self.starts.last().unwrap_or(&0)
    }

    /// True when no class passes the filter.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The selected row's position.
    pub fn cursor(&self) -> usize {
        self.cursor.at()
    }

    /// The first row drawn.
    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    /// What is on row `at`.
    pub fn row_at(&self, at: usize) -> Option<Row> {
        if at >= self.len() {
            return None;
        }
        let listed = self.starts.partition_point(|&s| s <= at) - 1;
        let row = self.listed[listed];
        Some(match at - self.starts[listed] {
            0 => Row::Class { row, listed },
            k => match self.opened[row].locate(k - 1) {
                Located::Object(index) => Row::Instance { row, index },
                Located::Content { index, at } => Row::Content { row, index, at },
            },
        })
    }

    /// The selected row.
    pub fn selected(&self) -> Option<Row> {
        self.row_at(self.cursor.at())
    }

    /// The `index`-th object of the expanded class `row`.
    pub fn instance(&self, row: usize, index: usize) -> Instance {
        self.instances[row].as_ref().expect("expanded class")[index]
    }

    /// Whether class `row` is expanded.
    pub fn is_expanded(&self, row: usize) -> bool {
        self.expanded[row]
    }

    /// The contents tree of the `index`-th object of class `row`, when it is opened.
    pub fn contents(&self, row: usize, index: usize) -> Option<&ObjectTree> {
        self.opened[row].get(index)
    }

    /// The matched char positions of a listed class's sanitised name.
    pub fn highlight(&self, listed: usize) -> &[usize] {
        &self.highlights[listed]
    }

    /// Sorts by `sort` (reversed when asked), keeping the selection and expanded classes.
    pub fn resort(&mut self, sort: R::Sort, reverse: bool, filter: &Filter) {
        let identity = |r: &R| -> Identity { (r.name().to_string(), r.location()) };
        let anchor = self.anchor().map(|(row, k)| (identity(&self.rows[row]), k));
        // Expansion state follows its class through the reordering.
        let mut state: HashMap<Identity, (bool, Box<[Instance]>, OpenedObjects)> = HashMap::new();
        for (i, cached) in self.instances.iter_mut().enumerate() {
            if let Some(list) = cached.take() {
                let opened = std::mem::take(&mut self.opened[i]);
                state.insert(identity(&self.rows[i]), (self.expanded[i], list, opened));
            }
        }
        self.sort = sort;
        self.reverse = reverse;
        R::sort(&mut self.rows, sort, reverse);
        self.expanded.fill(false);
        let mut anchor_row = None;
        for (i, r) in self.rows.iter().enumerate() {
            if state.is_empty() && (anchor_row.is_some() || anchor.is_none()) {
                break;
            }
            let id = identity(r);
            if let Some((expanded, list, opened)) = state.remove(&id) {
                self.expanded[i] = expanded;
                self.instances[i] = Some(list);
                self.opened[i] = opened;
            }
            if anchor.as_ref().is_some_and(|(a, _)| *a == id) {
                anchor_row = Some(i);
            }
        }
        self.refilter(filter);
        match (anchor_row, anchor) {
            (Some(row), Some((_, k))) => self.restore((row, k)),
            _ => self.cursor.select(0),
        }
    }

    /// Selects object `node` under its class `name` (expanded, the filter cleared when it
    /// hides the class). Returns false when no class of that name lists the object.
    pub fn reveal(&mut self, name: &str, node: u32, scope: Scope, filter: &Filter) -> bool {
        let found = (0..self.rows.len())
            .filter(|&i| self.rows[i].name() == name)
            .find_map(|i| {
                if self.instances[i].is_none() {
                    let list = self.rows[i].instances(scope).into_boxed_slice();
                    self.instances[i] = Some(list);
                }
                let list = self.instances[i].as_ref()?;
                list.iter().position(|x| x.node == node).map(|k| (i, k))
            });
        let Some((row, index)) = found else {
            return false;
        };
        self.expanded[row] = true;
        if self.listed.binary_search(&row).is_err() {
            self.pattern.clear();
            self.refilter(filter);
        } else {
            self.rebuild_starts();
        }
        self.restore((row, Some(index)));
        true
    }

    fn refilter(&mut self, filter: &Filter) {
        self.listed.clear();
        self.highlights.clear();
        for (i, r) in self.rows.iter().enumerate() {
            if let Some(positions) = filter.matches(&sanitize(r.name()), &self.pattern) {
                self.listed.push(i);
                self.highlights.push(positions);
            }
        }
        self.totals = R::totals(self.listed.iter().map(|&i| &self.rows[i]));
        self.rebuild_starts();
    }

    fn rebuild_starts(&mut self) {
        self.starts.clear();
        let mut at = 0;
        for &row in &self.listed {
            self.starts.push(at);
            at += 1;
            if self.expanded[row] {
                at += self.instances[row].as_ref().map_or(0, |l| l.len());
                at += self.opened[row].extra_rows();
            }
        }
        self.starts.push(at);
        self.cursor.clamp(at);
    }

    fn anchor(&self) -> Option<Anchor> {
        match self.selected()? {
            Row::Class { row, .. } => Some((row, None)),
            Row::Instance { row, index } | Row::Content { row, index, .. } => {
                Some((row, Some(index)))
            }
        }
    }

    /// Puts the cursor on `anchor` if its class is listed, else on the first row.
    fn restore(&mut self, (row, index): Anchor) {
        let at = match self.listed.binary_search(&row) {
            Ok(listed) => {
                let start = self.starts[listed];
                match index {
                    Some(k) if self.expanded[row] => start + 1 + self.opened[row].position_of(k),
                    _ => start,
                }
            }
            Err(_) => 0,
        };
        self.cursor.select(at);
    }
}

impl<R: ClassRow> ClassTable<R> {
    /// Opens the contents of the `index`-th object of class `row` (needs its snapshot's
    /// retained sizes); returns false when it has none or they are not known yet.
    fn open_contents(&mut self, row: usize, index: usize, scope: Scope) -> bool {
        let object = self.instance(row, index);
        let Some(snapshot) = scope.loaded.complete(object.snapshot()) else {
            return false;
        };
        let kind = Children::Contents {
            all: self.all_edges,
        };
        let tree = ObjectTree::new(object.snapshot(), snapshot, object.node, kind);
        if tree.is_empty() {
            return false;
        }
        self.opened[row].open(index, tree);
        self.rebuild_starts();
        true
    }

    /// Applies `change` to the contents tree of the `index`-th object of class `row`, then
    /// puts the cursor on the tree's selected row (or on the object when `change` says so by
    /// returning false).
    fn on_contents(
        &mut self,
        row: usize,
        index: usize,
        change: impl FnOnce(&mut ObjectTree) -> bool,
    ) -> bool {
        let Some(tree) = self.opened[row].get_mut(index) else {
            return false;
        };
        let stays = change(tree);
        let tree_cursor = tree.cursor();
        self.rebuild_starts();
        self.restore((row, Some(index)));
        if stays {
            self.cursor.select(self.cursor.at() + 1 + tree_cursor);
        }
        true
    }

    /// Lists the edges DevTools hides in opened objects too (or not): the opened objects are
    /// opened again, to their first level.
    pub fn set_all_edges(&mut self, all: bool, scope: Scope) {
        self.all_edges = all;
        let anchor = self.anchor();
        for row in 0..self.rows.len() {
            for (index, _) in self.opened[row].take_all() {
                self.open_contents(row, index, scope);
            }
        }
        self.rebuild_starts();
        if let Some(anchor) = anchor {
            self.restore(anchor);
        }
    }
}

/// The widest class cell of each column, and the width the Constructor column would need for
/// every class name with its suffix: columns are as wide as their widest cell, so numbers
/// never get cut and columns do not jump while scrolling.
fn widths<R: ClassRow>(rows: &[R], scope: Scope) -> Widths {
    let mut cells = vec![0; R::COLUMNS.len()];
    let mut name = 0;
    for r in rows {
        for (w, cell) in cells.iter_mut().zip(r.cells(scope)) {
            *w = (*w).max(text::width(&cell));
        }
        let suffix = r.suffix().map_or(0, |s| 1 + text::width(&s));
        name = name.max(text::width(&sanitize(r.name())) + suffix);
    }
    Widths { cells, name }
}

/// How wide a table's columns want to be.
#[derive(Debug, Clone, Default)]
pub struct Widths {
    /// The widest class cell of each column ([`ClassRow::COLUMNS`]).
    pub cells: Vec<usize>,
    /// The widest class name with its suffix.
    pub name: usize,
}

/// The operations the app applies to whichever table is shown, independent of its row type.
pub trait TableControl {
    /// The scope this table's rows format themselves in.
    fn scope<'a>(&self, loaded: Loaded<'a>) -> Scope<'a>;
    /// The selected object, when an object row is selected.
    fn selected_instance(&self) -> Option<Instance>;
    /// The class name of the selected row (unsanitised), when a class row is selected.
    fn selected_class_name(&self) -> Option<&str>;
    /// Moves the cursor (pages of `page` rows), clamped to the table.
    fn apply(&mut self, step: Move, page: usize);
    /// Expands the selected class (building its sorted object list once), or steps into it
    /// when already expanded. Returns false when there is nothing to expand.
    fn expand(&mut self, scope: Scope) -> bool;
    /// Collapses the selected class, or the class of the selected object (selecting the class).
    /// Returns false when nothing was expanded.
    fn collapse(&mut self) -> bool;
    /// Lists only the classes whose sanitised name fuzzy-matches `pattern`. Only class names are
    /// scored (thousands), never objects. The cursor stays on its row when still listed.
    fn set_filter(&mut self, pattern: &str, filter: &Filter);
    /// Sorts by the next column in [`ClassRow::SORTS`], in its natural direction.
    fn next_sort(&mut self, filter: &Filter);
    /// Reverses the sort order.
    fn reverse_sort(&mut self, filter: &Filter);
    /// Sorts by the order `key` stands for, in its natural direction, or reverses it when it
    /// is already the sort. Returns false when this table has no such order.
    fn sort_by_key(&mut self, key: SortKey, filter: &Filter) -> bool;
    /// The filter pattern.
    fn pattern(&self) -> &str;
    /// Keeps the cursor within a window of `height` rows from the first row drawn.
    fn fit(&mut self, height: usize);
}

impl<R: ClassRow> TableControl for ClassTable<R> {
    fn scope<'a>(&self, loaded: Loaded<'a>) -> Scope<'a> {
        Scope {
            loaded,
            snapshot: self.snapshot,
        }
    }

    fn selected_instance(&self) -> Option<Instance> {
        match self.selected()? {
            Row::Instance { row, index } => Some(self.instance(row, index)),
            Row::Content { row, index, at } => {
                let tree = self.opened[row].get(index)?;
                let node = match tree.row(at)? {
                    super::object_tree::TreeRow::Entry(id) => tree.entry(id).node,
                    super::object_tree::TreeRow::More { .. } => return None,
                };
                Some(Instance::new(node, tree.snapshot, Change::None))
            }
            Row::Class { .. } => None,
        }
    }

    fn selected_class_name(&self) -> Option<&str> {
        match self.selected()? {
            Row::Class { row, .. } => Some(self.rows[row].name()),
            Row::Instance { .. } | Row::Content { .. } => None,
        }
    }

    fn apply(&mut self, step: Move, page: usize) {
        self.cursor.apply(step, self.len(), page);
    }

    fn expand(&mut self, scope: Scope) -> bool {
        let row = match self.selected() {
            Some(Row::Class { row, .. }) => row,
            Some(Row::Instance { row, index }) => {
                if self.opened[row].get(index).is_some() {
                    self.cursor.move_by(1, self.len());
                    return true;
                }
                return self.open_contents(row, index, scope);
            }
            Some(Row::Content { row, index, at }) => {
                let Some(snapshot) = scope.loaded.complete(self.instance(row, index).snapshot())
                else {
                    return false;
                };
                let mut opened = Opened::Nothing;
                self.on_contents(row, index, |tree| {
                    tree.select_row(at);
                    opened = tree.expand(snapshot);
                    true
                });
                return opened != Opened::Nothing;
            }
            None => return false,
        };
        if self.expanded[row] {
            self.cursor.move_by(1, self.len());
            return true;
        }
        if self.rows[row].instance_count() == 0 {
            return false;
        }
        if self.instances[row].is_none() {
            self.instances[row] = Some(self.rows[row].instances(scope).into_boxed_slice());
        }
        self.expanded[row] = true;
        self.rebuild_starts();
        true
    }

    fn collapse(&mut self) -> bool {
        let row = match self.selected() {
            Some(Row::Instance { row, index }) if self.opened[row].close(index) => {
                self.rebuild_starts();
                self.restore((row, Some(index)));
                return true;
            }
            Some(Row::Content { row, index, at }) => {
                return self.on_contents(row, index, |tree| {
                    tree.select_row(at);
                    tree.collapse()
                });
            }
            Some(Row::Class { row, .. }) | Some(Row::Instance { row, .. }) => row,
            None => return false,
        };
        if !self.expanded[row] {
            return false;
        }
        self.expanded[row] = false;
        self.rebuild_starts();
        self.restore((row, None));
        true
    }

    fn set_filter(&mut self, pattern: &str, filter: &Filter) {
        if pattern == self.pattern {
            return;
        }
        let anchor = self.anchor();
        self.pattern = pattern.to_string();
        self.refilter(filter);
        match anchor {
            Some(anchor) => self.restore(anchor),
            None => self.cursor.select(0),
        }
    }

    fn next_sort(&mut self, filter: &Filter) {
        let at = R::SORTS.iter().position(|&s| s == self.sort).unwrap_or(0);
        let next = R::SORTS[(at + 1) % R::SORTS.len()];
        self.resort(next, false, filter);
    }

    fn reverse_sort(&mut self, filter: &Filter) {
        self.resort(self.sort, !self.reverse, filter);
    }

    fn sort_by_key(&mut self, key: SortKey, filter: &Filter) -> bool {
        let Some(sort) = R::sort_for(key) else {
            return false;
        };
        let reverse = sort == self.sort && !self.reverse;
        self.resort(sort, reverse, filter);
        true
    }

    fn pattern(&self) -> &str {
        &self.pattern
    }

    fn fit(&mut self, height: usize) {
        let len = self.len();
        self.cursor.fit(height, len);
    }
}
